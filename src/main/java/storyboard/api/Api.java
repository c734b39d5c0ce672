package storyboard.api;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Handler;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import storyboard.auth.Scope;

/**
 * How capabilities register their routes: each one names the scope it needs, so there is no way to add a
 * route without one. The list of what was registered feeds the OpenAPI coverage test.
 */
public final class Api {
    /** A registered route: method, path in Javalin syntax ({id}), and the scope it needs. */
    public record Route(String method, String path, Scope scope) {}

    private final RoutesConfig routes;
    private final List<Route> registered = new ArrayList<>();

    public Api(RoutesConfig routes) {
        this.routes = routes;
    }

    public Api get(String path, Scope scope, Handler handler) {
        routes.get(path, handler, scope);
        return record("GET", path, scope);
    }

    public Api post(String path, Scope scope, Handler handler) {
        routes.post(path, handler, scope);
        return record("POST", path, scope);
    }

    public Api put(String path, Scope scope, Handler handler) {
        routes.put(path, handler, scope);
        return record("PUT", path, scope);
    }

    public Api patch(String path, Scope scope, Handler handler) {
        routes.patch(path, handler, scope);
        return record("PATCH", path, scope);
    }

    public Api delete(String path, Scope scope, Handler handler) {
        routes.delete(path, handler, scope);
        return record("DELETE", path, scope);
    }

    private Api record(String method, String path, Scope scope) {
        registered.add(new Route(method, path, scope));
        return this;
    }

    public List<Route> routes() {
        return Collections.unmodifiableList(registered);
    }
}
