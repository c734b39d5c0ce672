package storyboard.auth;

import org.jdbi.v3.core.Jdbi;
import storyboard.kernel.Change;
import storyboard.kernel.Changes;
import storyboard.kernel.Actor;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.slf4j.MDC;
import storyboard.kernel.Api;
import storyboard.api.ApiError;
import storyboard.api.ApiException;
import storyboard.api.HttpBodies;
import storyboard.api.JsonBody;
import storyboard.api.RequestParams;

/**
 * Browser sign-in: {@code GET/POST /login}, {@code POST /logout} and {@code GET /api/v1/session}. A person signs in
 * with a username and password, or by pasting a token (a stored one, or the configured AUTH_TOKEN): the session
 * then acts as that token, whose scopes and projects are checked again at every request.
 *
 * <p>A failed sign-in answers the same status and message whether the username exists, is disabled or the
 * password is wrong, and takes the same time (an unknown user's attempt is checked against a dummy hash).
 * Attempts are throttled per username and address ({@link LoginThrottle}). The form is protected against
 * login CSRF with a double-submit token: a random value in a SameSite=Strict cookie that the form must repeat.
 * Token sign-ins are throttled the same way, per address, and an unknown, revoked or expired token is answered
 * alike (the audit trail tells them apart).
 */
public final class LoginRoutes {
    static final String FAILED = "wrong username or password";
    static final String TOKEN_FAILED = "the token is unknown, revoked or expired";
    /** Longer than any token this server makes or AUTH_TOKEN sensibly is; longer text is refused unread. */
    static final int MAX_TOKEN = 1024;
    private static final Pattern TOKEN_SHAPE = Pattern.compile("sbs_[A-Za-z0-9_-]{43}");
    /** A path on this site: one leading slash (not //, not /\), printable ASCII only, so never another host. */
    private static final Pattern SAFE_NEXT = Pattern.compile("/(?![/\\\\])[\\x21-\\x5b\\x5d-\\x7e]{0,1999}");
    private static final int MAX_FORM_BYTES = 64 * 1024;
    private static final Set<String> FORM_FIELDS = Set.of("username", "password", "token", "_csrf", "next");

    private final UserStore users;
    private final TokenStore tokens;
    private final ConfiguredToken configuredToken;
    private final SessionStore sessions;
    private final LoginThrottle throttle;
    private final Jdbi jdbi;

    LoginRoutes(UserStore users, TokenStore tokens, ConfiguredToken configuredToken, SessionStore sessions,
                LoginThrottle throttle, Jdbi jdbi) {
        this.users = users;
        this.tokens = tokens;
        this.configuredToken = configuredToken;
        this.sessions = sessions;
        this.throttle = throttle;
        this.jdbi = jdbi;
        Passwords.warmUp();
    }

    public void register(Api api) {
        api.get("/login", this::page);
        api.post("/login", this::login);
        api.post("/logout", this::logout);
        api.get("/api/v1/session", this::session);
    }

    private void page(Context ctx) {
        String next = safeNext(RequestParams.of(ctx, Set.of("next")).string("next").orElse(null));
        LoginPage.send(ctx, 200, LoginPage.View.blank(loginCsrfToken(ctx), next));
    }

    private void login(Context ctx) {
        if ("cross-site".equalsIgnoreCase(ctx.header("Sec-Fetch-Site"))) {
            throw new ApiException(403, "csrf_failed", "sign-in requests from other sites are refused");
        }
        String type = ctx.header("Content-Type");
        String media = type == null ? "" : type.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        if (media.equals("application/x-www-form-urlencoded")) {
            loginWithForm(ctx);
        } else if (media.equals("application/json")) {
            loginWithJson(ctx); // a page of another site cannot send this type without a CORS pre-flight
        } else {
            // Also without a Content-Type: another site's page could send that without a pre-flight.
            throw new ApiException(415, "unsupported_media_type", "sign in with a form "
                    + "(application/x-www-form-urlencoded) or JSON (Content-Type: application/json)", "Content-Type");
        }
    }

    private void loginWithJson(Context ctx) {
        JsonBody body = JsonBody.read(ctx, Set.of("username", "password", "token"));
        boolean withToken = body.has("token");
        Outcome o;
        if (withToken) {
            if (body.has("username") || body.has("password")) {
                throw ApiException.badRequest("invalid_field",
                        "sign in with 'username' and 'password', or with 'token', not both", "token");
            }
            String token = body.requiredString("token", MAX_TOKEN).strip();
            if (token.isEmpty()) throw ApiException.badRequest("invalid_field", "'token' is empty", "token");
            o = attemptToken(ctx, token);
        } else {
            String username = body.requiredString("username", 1024);
            String password = body.requiredString("password", Passwords.MAX_LENGTH * 4);
            o = attempt(ctx, username, password);
        }
        if (o.retryAfterSeconds() > 0) {
            ctx.status(429).header("Retry-After", String.valueOf(o.retryAfterSeconds())).json(new ApiError(
                    "too_many_attempts", "too many failed sign-ins; try again in " + o.retryAfterSeconds() + " seconds", null));
        } else if (o.signedIn() == null) {
            ctx.status(401).json(withToken ? new ApiError("invalid_token", TOKEN_FAILED, null)
                    : new ApiError("invalid_credentials", FAILED, null));
        } else {
            SessionCookies.setSession(ctx, o.signedIn().cookieValue());
            ctx.header("Cache-Control", "no-store").json(SessionJson.of(o.signedIn().session()));
        }
    }

    private void loginWithForm(Context ctx) {
        Map<String, String> form = readForm(ctx);
        String next = safeNext(form.get("next"));
        boolean withToken = form.containsKey("token");
        String username = withToken ? "" : form.getOrDefault("username", "");
        if (username.length() > 200) username = username.substring(0, 200);
        String expected = ctx.cookie(SessionCookies.LOGIN_CSRF);
        String given = form.get("_csrf");
        if (expected == null || given == null || !MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8),
                given.getBytes(StandardCharsets.UTF_8))) {
            LoginPage.send(ctx, 403, new LoginPage.View(loginCsrfToken(ctx), username, next,
                    "The sign-in form expired. Please try again.", withToken));
            return;
        }
        Outcome o;
        if (withToken) {
            String token = form.get("token").strip();
            if (form.containsKey("username") || form.containsKey("password")) {
                LoginPage.send(ctx, 400, new LoginPage.View(expected, "", next,
                        "Sign in with a username and password, or with a token, not both.", true));
                return;
            }
            if (token.isEmpty()) {
                LoginPage.send(ctx, 400, new LoginPage.View(expected, "", next, "Paste a token.", true));
                return;
            }
            o = attemptToken(ctx, token);
        } else {
            String password = form.get("password");
            if (username.isBlank() || password == null || password.isEmpty()) {
                LoginPage.send(ctx, 400, new LoginPage.View(expected, username, next,
                        "Enter your username and password.", false));
                return;
            }
            o = attempt(ctx, username, password);
        }
        if (o.retryAfterSeconds() > 0) {
            ctx.header("Retry-After", String.valueOf(o.retryAfterSeconds()));
            long minutes = (o.retryAfterSeconds() + 59) / 60;
            LoginPage.send(ctx, 429, new LoginPage.View(expected, username, next, "Too many failed sign-ins. Try again in "
                    + minutes + (minutes == 1 ? " minute." : " minutes."), withToken));
        } else if (o.signedIn() == null) {
            LoginPage.send(ctx, 401, new LoginPage.View(expected, username, next, withToken
                    ? "That token is unknown, revoked or expired." : "Wrong username or password.", withToken));
        } else {
            SessionCookies.setSession(ctx, o.signedIn().cookieValue());
            SessionCookies.clearLoginCsrf(ctx);
            ctx.header("Cache-Control", "no-store");
            ctx.redirect(next == null ? "/" : next, HttpStatus.SEE_OTHER);
        }
    }

    /** The result of checking a username and password: a new session, a refusal, or a wait. */
    private record Outcome(SessionStore.SignedIn signedIn, long retryAfterSeconds) {}

    private Outcome attempt(Context ctx, String username, String password) {
        LoginThrottle.Attempt attempt = throttle.begin(username, ctx.ip());
        if (!attempt.allowed()) return new Outcome(null, attempt.retryAfterSeconds());
        Optional<UserStore.Credentials> found = users.credentials(username);
        String hash = found.map(UserStore.Credentials::passwordHash).orElse(null);
        boolean passwordOk = Passwords.verify(password, hash); // checks a dummy hash when there is no such user
        String reason = found.isEmpty() ? "unknown_user" : !passwordOk ? "wrong_password"
                : found.get().user().disabled() ? "disabled" : null;
        if (reason != null) {
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("username", username.length() > 100 ? username.substring(0, 100) : username);
            details.put("reason", reason);
            Changes.audit(jdbi, Actor.anonymous(ctx), Change.of("session.login_failed", "user", found.map(c -> c.user().id().toString()).orElse(null), null, details));
            return new Outcome(null, 0);
        }
        throttle.succeeded(attempt);
        UserStore.UserInfo user = found.get().user();
        String rehash = null;
        if (Passwords.needsRehash(hash)) {
            try {
                rehash = Passwords.hash(password);
            } catch (IllegalArgumentException e) {
                // set before today's rules; it still verified, so it stays until the user changes it
            }
        }
        Actor actor = new Actor("user", user.id().toString(), user.username(), ctx.ip(), MDC.get("requestId"));
        // Empty when an admin disabled or deleted the user a moment ago: then it is a failure like any other.
        return new Outcome(sessions.signIn(actor, user, rehash, ctx.cookie(SessionCookies.SESSION), ctx.userAgent())
                .orElse(null), 0);
    }

    /**
     * Checks a pasted token: the configured AUTH_TOKEN (compared as hashes in constant time), else a stored token
     * by its hash. A live one opens a session bound to it; any other is a failure, audited with its reason.
     */
    private Outcome attemptToken(Context ctx, String token) {
        LoginThrottle.Attempt attempt = throttle.beginToken(ctx.ip());
        if (!attempt.allowed()) return new Outcome(null, attempt.retryAfterSeconds());
        String previous = ctx.cookie(SessionCookies.SESSION);
        byte[] hash = Tokens.hash(token);
        if (configuredToken.matches(hash)) {
            throttle.refund(attempt);
            Actor actor = new Actor("auth_token", null, "AUTH_TOKEN", ctx.ip(), MDC.get("requestId"));
            return new Outcome(sessions.signInWithAuthToken(actor, previous, ctx.userAgent()), 0);
        }
        Optional<TokenStore.TokenInfo> found = tokens.findByHash(HexFormat.of().formatHex(hash));
        String state = found.map(TokenStore.TokenInfo::state).orElse("unknown");
        if (!state.equals("active")) {
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("method", "token");
            details.put("reason", found.isEmpty() ? "unknown_token" : state);
            found.ifPresent(t -> details.put("prefix", t.prefix()));
            Changes.audit(jdbi, Actor.anonymous(ctx), Change.of("session.login_failed", "token",
                    found.map(t -> t.id().toString()).orElse(null), null, details));
            return new Outcome(null, 0);
        }
        throttle.refund(attempt);
        TokenStore.TokenInfo t = found.get();
        Actor actor = new Actor("token", t.id().toString(), t.name(), ctx.ip(), MDC.get("requestId"));
        // Empty when an admin revoked it a moment ago (or it just expired): then it is a failure like any other.
        return new Outcome(sessions.signInWithToken(actor, t, previous, ctx.userAgent()).orElse(null), 0);
    }

    private void logout(Context ctx) {
        RequestParams.of(ctx, Set.of());
        SessionStore.Session session = Authenticator.session(ctx).orElseThrow(LoginRoutes::noSession);
        sessions.signOut(Actor.of(ctx), session);
        SessionCookies.clearSession(ctx);
        ctx.header("Cache-Control", "no-store");
        if (wantsJson(ctx)) {
            ctx.status(204);
        } else {
            ctx.redirect("/login", HttpStatus.SEE_OTHER);
        }
    }

    private void session(Context ctx) {
        RequestParams.of(ctx, Set.of());
        SessionStore.Session session = Authenticator.session(ctx).orElseThrow(LoginRoutes::noSession);
        ctx.header("Cache-Control", "no-store").json(SessionJson.of(session));
    }

    private static ApiException noSession() {
        return new ApiException(404, "no_session",
                "this request is authenticated by a bearer token, not a signed-in session (see GET /api/v1/me)");
    }

    /**
     * A signed-in session as {@code GET /api/v1/session} and a JSON sign-in answer show it: what opened it
     * ({@code user}, {@code token} or {@code auth_token}), the user (null for a token's session) and the
     * credential it acts as, as {@code GET /api/v1/me} shows it.
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record SessionJson(String kind, UserStore.UserInfo user, TokenRoutes.Me credential, String csrfToken,
                       Instant createdAt, Instant expiresAt, Instant idleExpiresAt) {
        static SessionJson of(SessionStore.Session s) {
            return new SessionJson(s.kind().id(), s.user(), TokenRoutes.Me.of(s.principal()), s.csrfToken(),
                    s.createdAt(), s.expiresAt(), s.idleExpiresAt());
        }
    }

    /** The form's double-submit token: the browser's current one if it has one, else a new one set as a cookie. */
    private static String loginCsrfToken(Context ctx) {
        String current = ctx.cookie(SessionCookies.LOGIN_CSRF);
        if (current != null && TOKEN_SHAPE.matcher(current).matches()) return current;
        String fresh = Tokens.generate();
        SessionCookies.setLoginCsrf(ctx, fresh);
        return fresh;
    }

    /** A {@code next} that stays on this site, or a 400: a redirect must never lead elsewhere. */
    private static String safeNext(String next) {
        if (next == null || next.isEmpty()) return null;
        if (!SAFE_NEXT.matcher(next).matches()) {
            throw ApiException.badRequest("invalid_parameter",
                    "'next' must be a path on this server such as /dashboard", "next");
        }
        return next;
    }

    private static boolean wantsJson(Context ctx) {
        String type = ctx.header("Content-Type");
        if (type != null && type.toLowerCase(Locale.ROOT).contains("json")) return true;
        String accept = ctx.header("Accept");
        return accept != null && accept.contains("application/json") && !accept.contains("text/html");
    }

    /** Reads a small urlencoded form strictly: known fields once each, valid percent-encoding. */
    private static Map<String, String> readForm(Context ctx) {
        String body = new String(HttpBodies.read(ctx, MAX_FORM_BYTES), StandardCharsets.UTF_8);
        Map<String, String> out = new HashMap<>();
        if (body.isEmpty()) return out;
        for (String pair : body.split("&")) {
            if (pair.isEmpty()) continue;
            int eq = pair.indexOf('=');
            String name;
            String value;
            try {
                name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw ApiException.badRequest("invalid_body", "the form is not valid application/x-www-form-urlencoded", null);
            }
            if (!FORM_FIELDS.contains(name)) {
                throw ApiException.badRequest("unknown_field", "unknown form field (known: _csrf, next, password, token, username)", null);
            }
            if (out.put(name, value) != null) {
                throw ApiException.badRequest("invalid_body", "the form field '" + name + "' is given more than once", name);
            }
        }
        return out;
    }
}
