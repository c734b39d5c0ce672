package storyboard.kernel;

import java.security.SecureRandom;
import java.util.Base64;

/** New secrets (tokens, session cookies, webhook signing keys): 256 random bits behind a readable prefix. */
public final class Secrets {
    private static final SecureRandom RANDOM = new SecureRandom();

    private Secrets() {}

    /** {@code prefix} and 256 random bits in URL-safe Base64 (43 characters). */
    public static String generate(String prefix) {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return prefix + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
