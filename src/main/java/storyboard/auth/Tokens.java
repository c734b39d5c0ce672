package storyboard.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import storyboard.kernel.Secrets;

/** Token text: 256 random bits behind a readable prefix; only SHA-256 hashes are ever stored. */
public final class Tokens {
    public static final String PREFIX = "sbs_";

    private Tokens() {}

    public static String generate() {
        return Secrets.generate(PREFIX);
    }

    public static byte[] hash(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String hashHex(String token) {
        return HexFormat.of().formatHex(hash(token));
    }

    /** What may be shown of a token: its prefix and first characters, enough to recognise it, not to use it. */
    public static String displayPrefix(String token) {
        return token.substring(0, Math.min(token.length(), PREFIX.length() + 6));
    }
}
