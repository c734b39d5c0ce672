package storyboard.auth;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import storyboard.kernel.Principal;
import storyboard.kernel.Scope;

/**
 * The AUTH_TOKEN of the server's settings, known only by its SHA-256, and the scopes it grants. A browser session
 * opened with it keeps no trace of it in the database but {@link #sessionCheck}: an HMAC of its hash keyed by the
 * session's cookie value, so the session ends when AUTH_TOKEN changes or is removed, and the database alone tells
 * nothing about AUTH_TOKEN (it could be a short one, open to guessing from a plain hash).
 */
final class ConfiguredToken {
    static final ConfiguredToken NONE = new ConfiguredToken(null, Set.of());

    private final byte[] hash;
    private final Set<Scope> scopes;

    private ConfiguredToken(byte[] hash, Set<Scope> scopes) {
        this.hash = hash;
        this.scopes = Set.copyOf(scopes);
    }

    static ConfiguredToken of(Optional<String> token, Set<Scope> scopes) {
        return token.map(t -> new ConfiguredToken(Tokens.hash(t), scopes)).orElse(NONE);
    }

    boolean configured() {
        return hash != null;
    }

    /** Whether a presented token's SHA-256 is AUTH_TOKEN's, compared in constant time. */
    boolean matches(byte[] presentedHash) {
        return hash != null && MessageDigest.isEqual(hash, presentedHash);
    }

    /** Who AUTH_TOKEN is, with today's AUTH_TOKEN_SCOPES. */
    Principal principal() {
        return new Principal(Principal.Kind.AUTH_TOKEN, null, "AUTH_TOKEN", scopes, Set.of(), null);
    }

    /** What a session opened with AUTH_TOKEN stores: HMAC-SHA256(key: the cookie value, message: AUTH_TOKEN's hash). */
    String sessionCheck(String cookieValue) {
        if (hash == null) throw new IllegalStateException("no AUTH_TOKEN is configured");
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(cookieValue.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(hash));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Whether a session's stored check was made with this cookie and today's AUTH_TOKEN (constant time). */
    boolean checks(String cookieValue, String stored) {
        if (hash == null || stored == null) return false;
        return MessageDigest.isEqual(sessionCheck(cookieValue).getBytes(StandardCharsets.US_ASCII),
                stored.getBytes(StandardCharsets.US_ASCII));
    }
}
