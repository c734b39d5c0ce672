package storyboard.api;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;

/** The database did not answer in time: the client gets 503 with Retry-After and may try again. */
public class DatabaseUnavailableException extends ApiException {
    public static final int RETRY_AFTER_SECONDS = 5;

    public DatabaseUnavailableException(String message) {
        super(503, "database_unavailable", message);
    }

    /** True when the failure is the database being unreachable rather than a fault in the request or the code. */
    /**
     * Whether the database gave up on the transaction because it collided with another (a deadlock, a serialization
     * failure): nothing of it was kept, and the same request is expected to succeed when tried again.
     */
    public static boolean isTransactionConflict(Throwable t) {
        for (Throwable c = t; c != null && c.getCause() != c; c = c.getCause()) {
            if (c instanceof SQLException s && ("40P01".equals(s.getSQLState()) || "40001".equals(s.getSQLState()))) {
                return true;
            }
        }
        return false;
    }

    public static boolean isConnectionFailure(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof DatabaseUnavailableException || c instanceof SQLTransientConnectionException
                    || c instanceof java.sql.SQLNonTransientConnectionException || c instanceof java.sql.SQLRecoverableException
                    || c instanceof java.net.ConnectException || c instanceof java.net.SocketException
                    || c instanceof java.io.EOFException) {
                return true;
            }
            if (c instanceof SQLException s && s.getMessage() != null && s.getMessage().contains("onnection is closed")) {
                return true;
            }
            if (c instanceof SQLException s && s.getSQLState() != null
                    && (s.getSQLState().startsWith("08") || s.getSQLState().startsWith("57P"))) {
                return true;
            }
            if (c.getCause() == c) break;
        }
        return false;
    }
}
