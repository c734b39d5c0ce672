package storyboard.auth;

import storyboard.kernel.RouteAccess;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.javalin.Javalin;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import storyboard.kernel.Api;
import storyboard.support.TestServer;

/** RouteAccess is the one table of rules: every route has one, no rule is left without its route. */
class RouteAccessTest {
    @Test
    void aRouteWithoutARuleCannotBeRegistered() {
        assertThatThrownBy(() -> Javalin.create(c -> new Api(c.routes).get("/api/v1/forgotten", ctx -> ctx.result("x"))))
                .hasStackTraceContaining("GET /api/v1/forgotten has no rule in storyboard.kernel.RouteAccess");
    }

    @Test
    void everyRuleBelongsToARegisteredRoute() {
        Set<String> registered = new TreeSet<>();
        for (Api.Route r : TestServer.shared().app().routes()) registered.add(r.method() + " " + r.path());
        assertThat(registered).containsExactlyElementsOf(new TreeSet<>(RouteAccess.table().keySet()));
    }
}
