package storyboard.auth;

import io.javalin.http.Context;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Set;
import storyboard.api.ApiException;

/**
 * Checks the credential of a request: the configured AUTH_TOKEN (compared as hashes in constant time) or a
 * stored token, looked up by its hash. Tokens are never logged or echoed.
 */
public final class Authenticator {
    public static final String PRINCIPAL_ATTRIBUTE = "storyboard.principal";

    private final byte[] configuredTokenHash;
    private final Set<Scope> configuredTokenScopes;
    private final TokenStore tokens;

    public Authenticator(Optional<String> configuredToken, Set<Scope> configuredTokenScopes, TokenStore tokens) {
        this.configuredTokenHash = configuredToken.map(Tokens::hash).orElse(null);
        this.configuredTokenScopes = Set.copyOf(configuredTokenScopes);
        this.tokens = tokens;
    }

    /** The principal of an authenticated request (set by {@link #require}). */
    public static Principal principal(Context ctx) {
        Principal p = ctx.attribute(PRINCIPAL_ATTRIBUTE);
        if (p == null) throw new IllegalStateException("no principal on an authenticated route");
        return p;
    }

    /**
     * Refuses (403) a principal restricted to projects on server-wide management (tokens, users, the audit
     * trail): a project lead's admin token must not mint itself an unrestricted one.
     */
    public static Principal requireUnrestricted(Context ctx) {
        Principal p = principal(ctx);
        if (p.restricted()) {
            throw new ApiException(403, "forbidden", "a credential restricted to projects cannot manage the whole server");
        }
        return p;
    }

    /** Answers 401 (no or unknown credential) or 403 (it lacks the scope) by throwing. */
    public Principal require(Context ctx, Scope needed) {
        String header = ctx.header("Authorization");
        if (header == null || header.isBlank()) {
            throw unauthorized("missing_token", "this endpoint needs an Authorization: Bearer <token> header");
        }
        String[] parts = header.trim().split("\\s+", 2);
        if (parts.length != 2 || !parts[0].equalsIgnoreCase("Bearer") || parts[1].isBlank()) {
            throw unauthorized("invalid_token", "the Authorization header must be 'Bearer <token>'");
        }
        Principal principal = bearer(parts[1].trim()).orElseThrow(() ->
                unauthorized("invalid_token", "the token is unknown, revoked or expired"));
        return authorize(ctx, principal, needed);
    }

    private Optional<Principal> bearer(String token) {
        byte[] hash = Tokens.hash(token);
        if (configuredTokenHash != null && MessageDigest.isEqual(configuredTokenHash, hash)) {
            return Optional.of(new Principal(Principal.Kind.AUTH_TOKEN, null, "AUTH_TOKEN", configuredTokenScopes,
                    Set.of(), null));
        }
        return tokens.authenticate(HexFormat.of().formatHex(hash));
    }

    private static Principal authorize(Context ctx, Principal principal, Scope needed) {
        if (!principal.may(needed)) {
            throw new ApiException(403, "forbidden", "this credential lacks the '" + needed.id() + "' scope");
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
