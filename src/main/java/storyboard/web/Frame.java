package storyboard.web;

import io.javalin.http.Context;
import java.util.List;
import storyboard.kernel.Principal;
import storyboard.kernel.RouteAccess;

/**
 * What the layout of every page needs: who is signed in, the navigation they may use, the CSRF token their scripts
 * and forms send back, and the URLs of the static files. A template asks {@link #may} before it shows a link or a
 * button, with the same rule the route applies.
 *
 * @param principal who is signed in; null on an error page of a request without a valid credential
 * @param csrf the session's CSRF token; empty for a request authenticated by a bearer token
 */
public record Frame(Principal principal, List<Link> nav, String csrf, String path, StaticFiles files) {
    /** A navigation link, and whether it is the current page's. */
    public record Link(String label, String path, boolean current) {}

    public static Frame of(Context ctx) {
        Site site = Site.of(ctx);
        Principal principal = ctx.attribute(Principal.ATTRIBUTE);
        String path = ctx.path();
        List<Link> links = principal == null ? List.of() : site.nav().stream()
                .filter(l -> RouteAccess.of("GET", l.path()).map(r -> r.allows(principal)).orElse(false))
                .map(l -> new Link(l.label(), l.path(), current(l.path(), path)))
                .toList();
        String csrf = ctx.attribute(Principal.CSRF_ATTRIBUTE);
        return new Frame(principal, links, csrf == null ? "" : csrf, path, site.files());
    }

    private static boolean current(String link, String path) {
        return link.equals("/") ? path.equals("/") : path.equals(link) || path.startsWith(link + "/");
    }

    /** The URL of a static file ({@code web/app.css}, {@code webjars/htmx.org/dist/htmx.min.js}). */
    public String asset(String name) {
        return files.url(name);
    }

    /** Whether the signed-in credential may use a route, given as in the access table: {@code "POST /api/v1/budgets"}. */
    public boolean may(String route) {
        if (principal == null) return false;
        RouteAccess.Rule rule = RouteAccess.table().get(route);
        if (rule == null) throw new IllegalArgumentException("no route " + route + " in the access table");
        return rule.allows(principal);
    }

    /** The name shown for who is signed in. */
    public String who() {
        return principal == null ? "" : principal.name();
    }
}
