package storyboard.kernel;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Handler;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * How capabilities register their routes. Each route's access rule comes from {@link RouteAccess}, the single
 * table of them; a route missing from it stops the server from starting (and so every test), so there is no
 * way to add a route without declaring what it needs. The list of what was registered feeds the OpenAPI test.
 */
public final class Api {
    /** A registered route: method, path in Javalin syntax ({id}), and its rule. */
    public record Route(String method, String path, Scope scope, boolean serverWide) {}

    private final RoutesConfig routes;
    private final List<Route> registered = new ArrayList<>();

    public Api(RoutesConfig routes) {
        this.routes = routes;
    }

    public Api get(String path, Handler handler) {
        routes.get(path, handler, rule("GET", path));
        return this;
    }

    public Api post(String path, Handler handler) {
        routes.post(path, handler, rule("POST", path));
        return this;
    }

    public Api put(String path, Handler handler) {
        routes.put(path, handler, rule("PUT", path));
        return this;
    }

    public Api patch(String path, Handler handler) {
        routes.patch(path, handler, rule("PATCH", path));
        return this;
    }

    public Api head(String path, Handler handler) {
        routes.head(path, handler, rule("HEAD", path));
        return this;
    }

    public Api options(String path, Handler handler) {
        routes.options(path, handler, rule("OPTIONS", path));
        return this;
    }

    public Api delete(String path, Handler handler) {
        routes.delete(path, handler, rule("DELETE", path));
        return this;
    }

    private RouteAccess.Rule rule(String method, String path) {
        RouteAccess.Rule rule = RouteAccess.of(method, path).orElseThrow(() -> new IllegalStateException(
                "the route " + method + " " + path + " has no rule in storyboard.kernel.RouteAccess: add one"));
        registered.add(new Route(method, path, rule.scope(), rule.serverWide()));
        return rule;
    }

    public List<Route> routes() {
        return Collections.unmodifiableList(registered);
    }
}
