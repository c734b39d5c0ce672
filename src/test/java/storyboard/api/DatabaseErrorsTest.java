package storyboard.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import org.junit.jupiter.api.Test;

/** Which database failures a client may simply retry: a transaction that lost a deadlock or a serialization race. */
class DatabaseErrorsTest {
    @Test
    void deadlocksAndSerializationFailuresAreConflictsEvenWhenWrapped() {
        assertThat(DatabaseUnavailableException.isTransactionConflict(new SQLException("deadlock detected", "40P01"))).isTrue();
        assertThat(DatabaseUnavailableException.isTransactionConflict(
                new RuntimeException(new SQLException("could not serialize access", "40001")))).isTrue();
        assertThat(DatabaseUnavailableException.isTransactionConflict(new SQLException("duplicate key", "23505"))).isFalse();
        assertThat(DatabaseUnavailableException.isTransactionConflict(new IllegalStateException("no cause"))).isFalse();
    }
}
