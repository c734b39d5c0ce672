package storyboard.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.password4j.Argon2Function;
import com.password4j.Password;
import com.password4j.types.Argon2;
import org.junit.jupiter.api.Test;

/** Argon2id hashes in PHC form, the length rules, normalisation, and hashes due for an upgrade. */
class PasswordsTest {
    @Test
    void hashesAreArgon2idWithTodaysParametersAndASaltOfTheirOwn() {
        String a = Passwords.hash("correct horse battery");
        String b = Passwords.hash("correct horse battery");
        assertThat(a).startsWith("$argon2id$v=19$m=19456,t=2,p=1$").isNotEqualTo(b);
        assertThat(Passwords.verify("correct horse battery", a)).isTrue();
        assertThat(Passwords.verify("correct horse batterY", a)).isFalse();
        assertThat(Passwords.needsRehash(a)).isFalse();
    }

    @Test
    void anUnknownUserNeverMatchesAndAMalformedHashMatchesNothing() {
        assertThat(Passwords.verify("correct horse battery", null)).isFalse();
        assertThat(Passwords.verify("", null)).isFalse();
        assertThat(Passwords.verify("correct horse battery", "not a hash")).isFalse();
    }

    @Test
    void lengthIsCountedInCharactersAfterNormalisation() {
        assertThat(Passwords.problem("elevenchars")).isEqualTo("the password must have at least 12 characters");
        assertThat(Passwords.problem("twelve chars")).isNull();
        assertThat(Passwords.problem("🙂".repeat(12))).isNull();
        assertThat(Passwords.problem("x".repeat(1025))).isEqualTo("the password must have at most 1024 characters");
        assertThat(Passwords.problem("            ")).isEqualTo("the password must not be only spaces");
        assertThat(Passwords.problem(null)).isEqualTo("a password is required");
        assertThatThrownBy(() -> Passwords.hash("short")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the password must have at least 12 characters");
        // The same password typed as precomposed or combining characters is the same password.
        assertThat(Passwords.verify("cafe\u0301 au lait!", Passwords.hash("caf\u00e9 au lait!"))).isTrue();
    }

    @Test
    void aHashMadeWithOtherParametersStillVerifiesAndIsDueForRehashing() {
        String old = Password.hash("correct horse battery").addRandomSalt(16)
                .with(Argon2Function.getInstance(4096, 3, 1, 32, Argon2.ID, Argon2Function.ARGON2_VERSION_13)).getResult();
        assertThat(Passwords.verify("correct horse battery", old)).isTrue();
        assertThat(Passwords.needsRehash(old)).isTrue();
    }
}
