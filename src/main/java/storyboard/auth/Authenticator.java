package storyboard.auth;

import io.javalin.http.Context;
import java.security.MessageDigest;
import java.util.Optional;
import storyboard.api.ApiException;

/**
 * Checks the bearer token of a request: the configured AUTH_TOKEN (compared as hashes in constant time) or a
 * stored token, looked up by its hash. Tokens are never logged or echoed.
 */
public final class Authenticator {
    public static final String PRINCIPAL_ATTRIBUTE = "storyboard.principal";

    private final byte[] configuredTokenHash;
    private final TokenStore tokens;

    public Authenticator(Optional<String> configuredToken, TokenStore tokens) {
        this.configuredTokenHash = configuredToken.map(Tokens::hash).orElse(null);
        this.tokens = tokens;
    }

    /** Answers 401 (no or unknown token) or 403 (token lacks the scope) by throwing. */
    public Principal require(Context ctx, Scope needed) {
        String header = ctx.header("Authorization");
        if (header == null || header.isBlank()) {
            throw unauthorized("missing_token", "this endpoint needs an Authorization: Bearer <token> header");
        }
        String[] parts = header.trim().split("\\s+", 2);
        if (parts.length != 2 || !parts[0].equalsIgnoreCase("Bearer") || parts[1].isBlank()) {
            throw unauthorized("invalid_token", "the Authorization header must be 'Bearer <token>'");
        }
        byte[] hash = Tokens.hash(parts[1].trim());
        Principal principal = null;
        if (configuredTokenHash != null && MessageDigest.isEqual(configuredTokenHash, hash)) {
            principal = new Principal(null, "AUTH_TOKEN", Scope.all());
        } else {
            principal = tokens.authenticate(java.util.HexFormat.of().formatHex(hash)).orElse(null);
        }
        if (principal == null) throw unauthorized("invalid_token", "the token is unknown, revoked or expired");
        if (!principal.may(needed)) {
            throw new ApiException(403, "forbidden", "this token lacks the '" + needed.id() + "' scope");
        }
        ctx.attribute(PRINCIPAL_ATTRIBUTE, principal);
        return principal;
    }

    private static ApiException unauthorized(String code, String message) {
        return new UnauthorizedException(code, message);
    }

    /** A 401; the error handler adds {@code WWW-Authenticate: Bearer}. */
    public static final class UnauthorizedException extends ApiException {
        UnauthorizedException(String code, String message) {
            super(401, code, message);
        }
    }
}
