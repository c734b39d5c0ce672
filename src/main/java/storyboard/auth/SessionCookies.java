package storyboard.auth;

import io.javalin.http.Context;
import java.time.Duration;

/**
 * The cookies of browser sign-in, written by hand so every attribute is explicit: HttpOnly (no script reads
 * them), SameSite=Strict (no other site's page sends them), Secure whenever the browser reached us over https
 * (directly or through a proxy that says so in X-Forwarded-Proto).
 */
public final class SessionCookies {
    public static final String SESSION = "sbs_session";
    /** The double-submit token of the sign-in form, before there is a session to hold a CSRF token. */
    public static final String LOGIN_CSRF = "sbs_login_csrf";

    private SessionCookies() {}

    public static boolean overHttps(Context ctx) {
        if ("https".equalsIgnoreCase(ctx.scheme())) return true;
        String forwarded = ctx.header("X-Forwarded-Proto");
        return forwarded != null && forwarded.split(",", 2)[0].trim().equalsIgnoreCase("https");
    }

    public static void setSession(Context ctx, String value) {
        set(ctx, SESSION, value, "/", SessionStore.LIFETIME);
    }

    public static void clearSession(Context ctx) {
        set(ctx, SESSION, "", "/", Duration.ZERO);
    }

    public static void setLoginCsrf(Context ctx, String value) {
        set(ctx, LOGIN_CSRF, value, "/login", Duration.ofHours(2));
    }

    public static void clearLoginCsrf(Context ctx) {
        set(ctx, LOGIN_CSRF, "", "/login", Duration.ZERO);
    }

    private static void set(Context ctx, String name, String value, String path, Duration maxAge) {
        StringBuilder c = new StringBuilder(name).append('=').append(value)
                .append("; Path=").append(path)
                .append("; Max-Age=").append(maxAge.toSeconds())
                .append("; HttpOnly; SameSite=Strict");
        if (overHttps(ctx)) c.append("; Secure");
        ctx.res().addHeader("Set-Cookie", c.toString());
    }
}
