package storyboard.web;

import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;
import io.javalin.http.Context;
import io.javalin.security.RouteRole;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import storyboard.api.ApiException;
import storyboard.kernel.RouteAccess;

/**
 * Answers the dashboard's pages and their fragments: a template (a {@code .jte} file beside its package's Java,
 * compiled with the build) rendered with its parameters and the request's {@link Frame}, under a Content Security
 * Policy that lets a page run and style only what this server serves (no inline script or style), be framed by
 * nobody and send forms only here. And the pages' refusals: a signed-out visitor goes to the sign-in page, any
 * other refusal is an HTML page saying what happened.
 */
public final class Pages {
    public static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; "
            + "img-src 'self' data: blob:; connect-src 'self'; font-src 'self'; form-action 'self'; "
            + "frame-ancestors 'none'; base-uri 'none'";

    private static final TemplateEngine TEMPLATES = TemplateEngine.createPrecompiled(ContentType.Html);

    private Pages() {}

    /**
     * Renders {@code template} (its path under {@code src/main/java}, e.g. {@code "storyboard/prompts/list.jte"}) with
     * {@code params} and {@code frame}, as the answer.
     */
    public static void render(Context ctx, String template, Map<String, Object> params) {
        Map<String, Object> all = new HashMap<>(params);
        all.put("frame", Frame.of(ctx));
        StringOutput out = new StringOutput(8192);
        TEMPLATES.render(template, all, out);
        headers(ctx);
        ctx.contentType("text/html; charset=utf-8").result(out.toString());
    }

    /** The headers of every page: its policy, never cached (it shows one person's view), never framed. */
    static void headers(Context ctx) {
        ctx.header("Content-Security-Policy", CONTENT_SECURITY_POLICY)
                .header("Cache-Control", "no-store")
                .header("X-Frame-Options", "DENY")
                .header("Vary", "Cookie, Authorization, HX-Request");
    }

    private static String title(int status) {
        return switch (status) {
            case 400 -> "Bad request";
            case 403 -> "Not allowed";
            case 404 -> "Not found";
            case 409 -> "Conflict";
            case 410 -> "Gone";
            case 429 -> "Too many requests";
            case 503 -> "Unavailable";
            default -> "Error " + status;
        };
    }

    /** Whether a request is a browser's for a page: a page route's, or an unknown path asked for as HTML. */
    public static boolean wanted(Context ctx) {
        for (RouteRole role : ctx.routeRoles()) {
            if (role instanceof RouteAccess.Rule rule) return rule.page();
        }
        String accept = ctx.header("Accept");
        return !ctx.path().startsWith("/api/") && accept != null
                && accept.toLowerCase(Locale.ROOT).contains("text/html");
    }

    /**
     * Answers a refusal as a page: a missing or ended sign-in sends the browser to the sign-in page (and back here
     * after it); anything else is the error page with the status.
     */
    public static void refuse(Context ctx, ApiException e) {
        if (e.status() == 401) {
            String next = ctx.path() + (ctx.queryString() == null ? "" : "?" + ctx.queryString());
            String login = "/login?next=" + URLEncoder.encode(next, StandardCharsets.UTF_8);
            if (ctx.header("HX-Request") != null) {
                // htmx follows this header with a full navigation; a plain 303 would swap the sign-in page into a panel.
                ctx.status(401).header("HX-Redirect", login).result("");
            } else {
                ctx.status(303).header("Location", login).result("");
            }
            return;
        }
        if (e.retryAfterSeconds() > 0) ctx.header("Retry-After", String.valueOf(e.retryAfterSeconds()));
        ctx.status(e.status());
        render(ctx, "storyboard/web/error.jte", Map.of("title", title(e.status()), "status", e.status(), "code", e.toError().error(),
                "message", e.getMessage() == null ? "" : e.getMessage()));
        ctx.status(e.status());
    }
}
