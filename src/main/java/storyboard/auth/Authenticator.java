package storyboard.auth;

import storyboard.kernel.Scope;
import storyboard.kernel.Principal;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import storyboard.api.ApiException;

/**
 * Checks the credential of a request: the configured AUTH_TOKEN (compared as hashes in constant time) or a
 * stored token, looked up by its hash; without an Authorization header, a signed-in session's cookie. Tokens
 * and cookies are never logged or echoed.
 *
 * <p>A browser sends the cookie by itself, so a cookie-authenticated request that may change something must
 * also carry the session's CSRF token, which only pages of this site can read. Bearer tokens need none: no
 * browser adds them on its own.
 */
public final class Authenticator {
    public static final String SESSION_ATTRIBUTE = "storyboard.session";
    public static final String CSRF_HEADER = "X-CSRF-Token";
    public static final String CSRF_FIELD = "_csrf";
    private static final long MAX_FORM_BYTES = 64 * 1024;
    private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS");
    /** Compiled once: String.split with a regex compiles it on every request. */
    private static final Pattern WHITESPACE = Pattern.compile("\\s+");

    private final ConfiguredToken configuredToken;
    private final TokenStore tokens;
    private final SessionStore sessions;
    private JwtVerifier jwt;

    /** With {@code sessions} null, only bearer tokens are accepted. */
    Authenticator(ConfiguredToken configuredToken, TokenStore tokens, SessionStore sessions) {
        this.configuredToken = configuredToken;
        this.tokens = tokens;
        this.sessions = sessions;
    }

    /** Also accepts JWTs from the studio's identity provider. */
    public Authenticator withJwt(JwtVerifier verifier) {
        this.jwt = verifier;
        return this;
    }

    /** The signed-in session of a cookie-authenticated request, if that is how it was authenticated. */
    public static Optional<SessionStore.Session> session(Context ctx) {
        return Optional.ofNullable(ctx.attribute(SESSION_ATTRIBUTE));
    }

    /**
     * Refuses (403) a principal restricted to projects on server-wide management (tokens, users, the audit
     * trail): a project lead's admin token must not mint itself an unrestricted one.
     */
    public static Principal requireUnrestricted(Context ctx) {
        Principal p = Principal.of(ctx);
        if (p.restricted()) {
            throw new ApiException(403, "forbidden", "a credential restricted to projects cannot manage the whole server");
        }
        return p;
    }

    /** Answers 401 (no or unknown credential) or 403 (it lacks the scope) by throwing. */
    public Principal require(Context ctx, Scope needed) {
        String header = ctx.header("Authorization");
        if (header == null || header.isBlank()) {
            String cookie = sessions == null ? null : ctx.cookie(SessionCookies.SESSION);
            if (cookie == null || cookie.isEmpty()) {
                throw unauthorized("missing_token", "this endpoint needs an Authorization: Bearer <token> header"
                        + (sessions == null ? "" : " or a signed-in session"));
            }
            SessionStore.Session session = sessions.authenticate(cookie).orElseThrow(() -> {
                SessionCookies.clearSession(ctx);
                return unauthorized("session_expired", "the session has ended or expired; sign in again at /login");
            });
            if (!SAFE_METHODS.contains(ctx.method().name())) requireCsrfToken(ctx, session);
            ctx.attribute(SESSION_ATTRIBUTE, session);
            ctx.attribute(Principal.CSRF_ATTRIBUTE, session.csrfToken());
            return authorize(ctx, session.principal(), needed);
        }
        String[] parts = WHITESPACE.split(header.trim(), 2);
        if (parts.length != 2 || !parts[0].equalsIgnoreCase("Bearer") || parts[1].isBlank()) {
            throw unauthorized("invalid_token", "the Authorization header must be 'Bearer <token>'");
        }
        Principal principal = bearer(parts[1].trim()).orElseThrow(() ->
                unauthorized("invalid_token", "the token is unknown, revoked or expired"));
        return authorize(ctx, principal, needed);
    }

    private Optional<Principal> bearer(String token) {
        byte[] hash = Tokens.hash(token);
        if (configuredToken.matches(hash)) return Optional.of(configuredToken.principal());
        if (jwt != null && JwtVerifier.looksLikeJwt(token)) return jwt.verify(token);
        return tokens.authenticate(HexFormat.of().formatHex(hash));
    }

    /**
     * The session's CSRF token must come back in the header (scripts) or the form field (HTML forms), compared in
     * constant time. A browser that says the request comes from another site is refused even with a token.
     */
    private static void requireCsrfToken(Context ctx, SessionStore.Session session) {
        if ("cross-site".equalsIgnoreCase(ctx.header("Sec-Fetch-Site"))) throw csrfFailed();
        String given = ctx.header(CSRF_HEADER);
        if (given == null && isSmallForm(ctx)) given = ctx.formParam(CSRF_FIELD);
        if (given == null || !MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8),
                session.csrfToken().getBytes(StandardCharsets.UTF_8))) {
            throw csrfFailed();
        }
    }

    private static boolean isSmallForm(Context ctx) {
        String type = ctx.header("Content-Type");
        long length = ctx.req().getContentLengthLong();
        return type != null && type.toLowerCase(Locale.ROOT).startsWith("application/x-www-form-urlencoded")
                && length >= 0 && length <= MAX_FORM_BYTES;
    }

    private static ApiException csrfFailed() {
        return new ApiException(403, "csrf_failed", "a signed-in browser request that changes something needs the "
                + "session's CSRF token in the " + CSRF_HEADER + " header or the " + CSRF_FIELD
                + " form field (GET /api/v1/session gives it)");
    }

    private static Principal authorize(Context ctx, Principal principal, Scope needed) {
        // Known even when refused: a refusal shown as a page still shows who is signed in and what they may open.
        ctx.attribute(Principal.ATTRIBUTE, principal);
        if (!principal.may(needed)) {
            throw new ApiException(403, "forbidden", "this credential lacks the '" + needed.id() + "' scope");
        }
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
