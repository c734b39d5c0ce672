package storyboard.auth;

import com.password4j.Argon2Function;
import com.password4j.Password;
import com.password4j.types.Argon2;
import java.text.Normalizer;

/**
 * Password hashing with Argon2id at OWASP's recommended minimum (19 MiB, 2 passes, 1 lane), stored as a PHC
 * string so the parameters can be raised later: a hash made with other parameters verifies and is then due
 * for {@link #needsRehash rehashing}. Passwords are NFKC-normalised first (NIST SP 800-63B) so the same
 * password typed on another keyboard or OS still matches.
 */
public final class Passwords {
    public static final int MIN_LENGTH = 12;
    public static final int MAX_LENGTH = 1024;

    private static final int MEMORY_KIB = 19 * 1024;
    private static final int ITERATIONS = 2;
    private static final int PARALLELISM = 1;
    private static final int HASH_BYTES = 32;
    private static final int SALT_BYTES = 16;
    private static final Argon2Function ARGON2ID = Argon2Function.getInstance(MEMORY_KIB, ITERATIONS, PARALLELISM,
            HASH_BYTES, Argon2.ID, Argon2Function.ARGON2_VERSION_13);
    private static final String CURRENT_PARAMETERS = "$argon2id$v=19$m=" + MEMORY_KIB + ",t=" + ITERATIONS + ",p="
            + PARALLELISM + "$";

    /** Verified when the user does not exist, so a miss costs as much time as a wrong password. */
    private static final String DUMMY_HASH = Password.hash(Tokens.generate()).addRandomSalt(SALT_BYTES).with(ARGON2ID)
            .getResult();

    private Passwords() {}

    /** The password's problem in one sentence (never echoing it), or null when it is acceptable. */
    public static String problem(String password) {
        if (password == null || password.isEmpty()) return "a password is required";
        String p = normalize(password);
        int length = p.codePointCount(0, p.length());
        if (length < MIN_LENGTH) return "the password must have at least " + MIN_LENGTH + " characters";
        if (length > MAX_LENGTH) return "the password must have at most " + MAX_LENGTH + " characters";
        if (p.isBlank()) return "the password must not be only spaces";
        if (p.indexOf('\0') >= 0) return "the password must not contain NUL characters";
        return null;
    }

    /** A PHC string for a password that passed {@link #problem}; throws {@link IllegalArgumentException} otherwise. */
    public static String hash(String password) {
        String problem = problem(password);
        if (problem != null) throw new IllegalArgumentException(problem);
        return Password.hash(normalize(password)).addRandomSalt(SALT_BYTES).with(ARGON2ID).getResult();
    }

    /**
     * Whether the password matches the hash. A null hash (no such user) is checked against a dummy hash, so the
     * answer takes the same time either way; it is then always false.
     */
    public static boolean verify(String password, String hash) {
        String p = password == null ? "" : password;
        if (p.length() > MAX_LENGTH * 4) p = p.substring(0, MAX_LENGTH * 4); // bounds the work an attacker can ask for
        String target = hash != null ? hash : DUMMY_HASH;
        boolean ok;
        try {
            ok = Password.check(normalize(p), target).with(Argon2Function.getInstanceFromHash(target));
        } catch (RuntimeException e) {
            ok = false; // a malformed stored hash matches nothing
        }
        return ok && hash != null;
    }

    /** Whether a hash was made with other parameters than today's and should be replaced at the next sign-in. */
    public static boolean needsRehash(String hash) {
        return hash == null || !hash.startsWith(CURRENT_PARAMETERS);
    }

    /** Loads the class (and makes the dummy hash) at start-up, so the first sign-in is not slower than the rest. */
    public static void warmUp() {
        // the static initialisers have run by now
    }

    private static String normalize(String password) {
        return Normalizer.normalize(password, Normalizer.Form.NFKC);
    }
}
