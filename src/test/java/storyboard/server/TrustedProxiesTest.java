package storyboard.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import storyboard.support.TestDatabase;
import storyboard.support.TestServer;

/**
 * Behind a load balancer the client's address comes from X-Forwarded-For, but only from a trusted proxy, and only
 * the right-most untrusted hop: what audit entries (and sign-in throttling) see.
 */
class TrustedProxiesTest {

    /** The address a failed sign-in was audited with, for each X-Forwarded-For sent (null: none). */
    private static List<String> auditedAddresses(Map<String, String> settings, List<String> forwardedFor) {
        List<String> out = new ArrayList<>();
        try (TestServer server = TestServer.start(TestDatabase.get().newDatabase(), settings)) {
            for (String xff : forwardedFor) {
                String user = "ghost-" + UUID.randomUUID();
                HttpRequest.Builder b = server.anonymous("/login").header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"" + user + "\",\"password\":\"wrong\"}"));
                if (xff != null) b.header("X-Forwarded-For", xff);
                assertThat(server.send(b.build()).status()).isEqualTo(401);
                JsonNode items = server.get("/api/v1/audit?action=session.login_failed&limit=500").json().get("items");
                for (JsonNode item : items) {
                    if (item.toString().contains(user)) out.add(item.get("address").asText());
                }
            }
        }
        return out;
    }

    @Test
    void theForwardedClientIsBelievedOnlyFromATrustedProxy() {
        List<String> sent = new ArrayList<>();
        sent.add(null);
        sent.add("198.51.100.7");
        sent.add("203.0.113.1, 198.51.100.7");           // a client-chosen left part is not believed
        sent.add("198.51.100.7, 127.0.0.1");             // a second trusted proxy in front is skipped
        sent.add("not-an-address, 198.51.100.7");
        sent.add("garbage");
        assertThat(auditedAddresses(Map.of("TRUSTED_PROXIES", "127.0.0.0/8, ::1"), sent)).containsExactly(
                "127.0.0.1", "198.51.100.7", "198.51.100.7", "198.51.100.7", "198.51.100.7", "127.0.0.1");
        // Not configured: the header is ignored, whoever sends it.
        assertThat(auditedAddresses(Map.of(), List.of("198.51.100.7"))).containsExactly("127.0.0.1");
    }

    @Test
    void anInvalidEntryStopsStartUpNamingTheSetting() {
        assertThatThrownBy(() -> Config.resolve(Map.of("TRUSTED_PROXIES", "10.0.0.0/8, proxy.studio.local"), Map.of(),
                java.nio.file.Path.of("no-such.env")))
                .isInstanceOf(Config.ConfigException.class)
                .hasMessageContaining("TRUSTED_PROXIES").hasMessageContaining("proxy.studio.local");
    }
}
