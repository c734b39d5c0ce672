package storyboard.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Locale;
import java.util.Set;
import org.junit.jupiter.api.Test;
import storyboard.kernel.Api;
import storyboard.kernel.RouteAccess;
import storyboard.support.TestServer;

/** openapi.yaml lists exactly the routes the server registers, each with the scope it really needs. */
class OpenApiTest {
    private final TestServer server = TestServer.shared();

    @Test
    void everyRouteIsDocumentedWithItsScopeAndNothingElseIs() throws Exception {
        TestServer.Response doc = server.get("/openapi.yaml");
        assertThat(doc.status()).isEqualTo(200);
        JsonNode paths = new ObjectMapper(new YAMLFactory()).readTree(doc.body()).get("paths");

        Set<String> documented = new HashSet<>();
        for (Iterator<String> p = paths.fieldNames(); p.hasNext(); ) {
            String path = p.next();
            for (Iterator<String> m = paths.get(path).fieldNames(); m.hasNext(); ) {
                String method = m.next();
                if (method.equals("parameters")) continue;
                documented.add(method.toUpperCase(Locale.ROOT) + " " + path);
            }
        }
        Set<String> registered = new HashSet<>();
        for (Api.Route r : server.app().routes()) {
            String key = r.method() + " " + r.path();
            // The dashboard's pages and their static files answer browsers, not API clients.
            if (RouteAccess.of(r.method(), r.path()).orElseThrow().page() || r.path().startsWith("/static/")) continue;
            registered.add(key);
            JsonNode op = paths.path(r.path()).path(r.method().toLowerCase(Locale.ROOT));
            assertThat(op.isMissingNode()).as(key + " is in openapi.yaml").isFalse();
            assertThat(op.path("x-required-scope").asText()).as(key + " scope").isEqualTo(r.scope().id());
            assertThat(op.path("x-server-wide").asBoolean(false)).as(key + " x-server-wide").isEqualTo(r.serverWide());
        }
        assertThat(documented).containsExactlyInAnyOrderElementsOf(registered);
    }

    /**
     * A comma in an unquoted description inside {@code {...}} splits it into keys without values ("shown once: null"):
     * the document stays valid YAML but says something else. No key in it is meant to be empty.
     */
    @Test
    void noKeyIsLeftWithoutAValue() throws Exception {
        JsonNode doc = new ObjectMapper(new YAMLFactory()).readTree(server.get("/openapi.yaml").body());
        java.util.List<String> empty = new java.util.ArrayList<>();
        nullKeys(doc, "", empty);
        assertThat(empty).as("keys without a value (quote the description that holds a comma)").isEmpty();
    }

    private static void nullKeys(JsonNode node, String path, java.util.List<String> out) {
        if (node.isObject()) {
            node.fields().forEachRemaining(e -> {
                if (e.getValue().isNull()) out.add(path + "." + e.getKey());
                nullKeys(e.getValue(), path + "." + e.getKey(), out);
            });
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) nullKeys(node.get(i), path + "[" + i + "]", out);
        }
    }
}
