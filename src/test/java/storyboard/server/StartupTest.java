package storyboard.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import storyboard.support.TestDatabase;

class StartupTest {
    @TempDir
    Path dataDir;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void withoutAuthTokenTheFirstStartCreatesOneAdminTokenStoredOnlyAsAHash() throws Exception {
        DatabaseUrl db = TestDatabase.get().newDatabase();
        Map<String, String> settings = Map.of("DATABASE_URL", TestDatabase.asSetting(db), "HOST", "127.0.0.1", "PORT", "0");
        String token;
        try (App app = App.start(Config.resolve(settings, Map.of(), dataDir.resolve(".env")))) {
            token = app.initialAdminToken().orElseThrow();
            assertThat(token).startsWith("sbs_").hasSizeGreaterThan(40);
            assertThat(get(app, "/api/v1/prompt-history", token)).isEqualTo(200);
            assertThat(get(app, "/api/v1/prompt-history", token + "x")).isEqualTo(401);
            String stored = app.database().jdbi().withHandle(h -> h.createQuery(
                    "select string_agg(concat_ws(' ', token_hash, token_prefix, name), ' ') from api_token")
                    .mapTo(String.class).one());
            assertThat(stored).doesNotContain(token);
        }
        try (App again = App.start(Config.resolve(settings, Map.of(), dataDir.resolve(".env")))) {
            assertThat(again.initialAdminToken()).isEmpty();
            assertThat(get(again, "/api/v1/prompt-history", token)).isEqualTo(200);
        }
    }

    @Test
    void theEmbeddedDatabaseIsDurableAndReusedOnTheNextStart() throws Exception {
        Map<String, String> settings = Map.of("STORYBOARD_DATA_DIR", dataDir.toString(), "HOST", "127.0.0.1",
                "PORT", "0", "AUTH_TOKEN", "embedded-test-token");
        String id;
        try (App app = App.start(Config.resolve(settings, Map.of(), dataDir.resolve(".env")))) {
            assertThat(app.embeddedDatabase()).isPresent();
            assertThat(app.embeddedDatabase().get().directory()).isEqualTo(dataDir.resolve("postgres").toAbsolutePath());
            for (String setting : new String[] {"fsync", "synchronous_commit", "full_page_writes"}) {
                String value = app.database().jdbi().withHandle(h -> h.createQuery("show " + setting)
                        .mapTo(String.class).one());
                assertThat(value).as(setting).isEqualTo("on");
            }
            HttpResponse<String> created = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port()
                            + "/api/v1/prompt-history")).header("Authorization", "Bearer embedded-test-token")
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"type\":\"shots\",\"prompt\":\"kept\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(created.statusCode()).isEqualTo(201);
            id = storyboard.kernel.Json.MAPPER.readTree(created.body()).get("id").asText();
        }
        try (App again = App.start(Config.resolve(settings, Map.of(), dataDir.resolve(".env")))) {
            HttpResponse<String> read = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + again.port()
                    + "/api/v1/prompt-history/" + id)).header("Authorization", "Bearer embedded-test-token").build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(read.statusCode()).isEqualTo(200);
            assertThat(read.body()).contains("\"prompt\":\"kept\"");
        }
    }

    @Test
    void anUnreachableDatabaseUrlStopsStartUpWithOneClearLine() {
        Map<String, String> settings = Map.of("DATABASE_URL", "postgresql://nobody@127.0.0.1:1/none",
                "HOST", "127.0.0.1", "PORT", "0");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> App.start(Config.resolve(settings, Map.of(), dataDir.resolve(".env"))))
                .isInstanceOf(App.StartupException.class)
                .hasMessageContaining("jdbc:postgresql://127.0.0.1:1/none")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    private int get(App app, String path, String token) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + path))
                .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
