package storyboard.kernel;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
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
        return route(HandlerType.GET, path, handler);
    }

    public Api post(String path, Handler handler) {
        return route(HandlerType.POST, path, handler);
    }

    public Api put(String path, Handler handler) {
        return route(HandlerType.PUT, path, handler);
    }

    public Api patch(String path, Handler handler) {
        return route(HandlerType.PATCH, path, handler);
    }

    public Api head(String path, Handler handler) {
        return route(HandlerType.HEAD, path, handler);
    }

    public Api options(String path, Handler handler) {
        return route(HandlerType.OPTIONS, path, handler);
    }

    public Api delete(String path, Handler handler) {
        return route(HandlerType.DELETE, path, handler);
    }

    /** Registers a route under the access rule that {@link RouteAccess} gives its method and path. */
    public Api route(HandlerType method, String path, Handler handler) {
        routes.addHttpHandler(method, path, handler, rule(method.name(), path));
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
