package storyboard.promptlog;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;
import storyboard.server.DatabaseUrl;
import storyboard.support.TcpProxy;
import storyboard.support.TestDatabase;
import storyboard.support.TestServer;

/** With the database away, writes get a bounded 503 with Retry-After; when it returns, the server recovers. */
class DatabaseOutageTest {
    @Test
    void anUnreachableDatabaseGives503WithinBoundedTimeAndTheServerRecovers() throws Exception {
        DatabaseUrl db = TestDatabase.get().newDatabase();
        URI target = URI.create(db.jdbcUrl().substring("jdbc:".length()));
        try (TcpProxy proxy = new TcpProxy(target.getHost(), target.getPort())) {
            String viaProxy = "jdbc:postgresql://127.0.0.1:" + proxy.port() + target.getPath()
                    + (target.getQuery() == null ? "" : "?" + target.getQuery());
            try (TestServer server = TestServer.start(new DatabaseUrl(viaProxy, db.user(), db.password()), Map.of())) {
                assertThat(server.postJson("/api/v1/prompt-history", "{\"type\":\"shots\"}").status()).isEqualTo(201);

                proxy.cut();
                long start = System.nanoTime();
                TestServer.Response down = server.postJson("/api/v1/prompt-history", "{\"type\":\"shots\",\"user\":\"during-outage\"}");
                long ms = (System.nanoTime() - start) / 1_000_000;
                assertThat(down.status()).as(down.toString()).isEqualTo(503);
                assertThat(down.header("Retry-After")).isNotBlank();
                assertThat(down.json().get("error").asText()).isEqualTo("database_unavailable");
                assertThat(ms).as("answered within a bounded time").isLessThan(15_000);

                TestServer.Response batch = server.postJson("/api/v1/prompt-history/batch", "{\"items\":[{\"type\":\"shots\"}]}");
                assertThat(batch.status()).isEqualTo(503);
                TestServer.Response read = server.get("/api/v1/prompt-history");
                assertThat(read.status()).isEqualTo(503);
                assertThat(read.json().get("error").asText()).isEqualTo("database_unavailable");
                assertThat(server.send(server.anonymous("/readyz").GET().build()).status()).isEqualTo(503);
                assertThat(server.send(server.anonymous("/healthz").GET().build()).status()).isEqualTo(200);

                proxy.restore();
                TestServer.Response back = null;
                for (int i = 0; i < 40; i++) {
                    back = server.postJson("/api/v1/prompt-history", "{\"type\":\"shots\",\"user\":\"after-outage\"}");
                    if (back.status() == 201) break;
                    Thread.sleep(250);
                }
                assertThat(back.status()).as("recovers without a restart: " + back).isEqualTo(201);
                assertThat(server.send(server.anonymous("/readyz").GET().build()).status()).isEqualTo(200);
                assertThat(server.get("/api/v1/prompt-history/" + back.json().get("id").asText()).status()).isEqualTo(200);
            }
        }
    }
}
