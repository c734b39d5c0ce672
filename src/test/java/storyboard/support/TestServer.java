package storyboard.support;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;
import storyboard.kernel.Json;
import storyboard.server.App;
import storyboard.server.Config;
import storyboard.server.DatabaseUrl;

/** A real server on a random port and its own fresh database, driven over HTTP like any client. */
public final class TestServer implements AutoCloseable {
    public static final String TOKEN = "test-admin-token-0123456789";
    private static TestServer shared;

    private final App app;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private TestServer(App app) {
        this.app = app;
    }

    /** One server shared by the tests that only add uniquely-marked data. */
    public static synchronized TestServer shared() {
        if (shared == null) {
            shared = start(TestDatabase.get().newDatabase(), Map.of());
            Runtime.getRuntime().addShutdownHook(new Thread(shared::close));
        }
        return shared;
    }

    public static TestServer start(DatabaseUrl db, Map<String, String> settings) {
        Map<String, String> values = new HashMap<>();
        values.put("DATABASE_URL", TestDatabase.asSetting(db));
        values.put("AUTH_TOKEN", TOKEN);
        values.put("HOST", "127.0.0.1");
        values.put("PORT", "0");
        values.put("STORYBOARD_DATA_DIR", dataDir().toString());
        values.putAll(settings);
        values.values().removeIf(v -> v == null);
        Config config = Config.resolve(values, Map.of(), Path.of("does-not-exist.env"));
        return new TestServer(App.start(config));
    }

    /** A data directory of its own (blobs), removed when the JVM exits. */
    private static Path dataDir() {
        try {
            Path dir = java.nio.file.Files.createTempDirectory("storyboard-test-data");
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try (var files = java.nio.file.Files.walk(dir)) {
                    files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                } catch (IOException ignored) {
                    // best effort
                }
            }));
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public App app() {
        return app;
    }

    public Jdbi jdbi() {
        return app.database().jdbi();
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + app.port();
    }

    public Response get(String path) {
        return send(request(path).GET().build());
    }

    public Response delete(String path) {
        return send(request(path).DELETE().build());
    }

    public Response postJson(String path, String body) {
        return send(request(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build());
    }

    public Response postJson(String path, byte[] body) {
        return send(request(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build());
    }

    /** A request with this bearer token (null: none) and JSON body (null: none). */
    public Response call(String token, String method, String path, String jsonBody) {
        HttpRequest.Builder b = anonymous(path);
        if (token != null) b.header("Authorization", "Bearer " + token);
        if (jsonBody != null) b.header("Content-Type", "application/json");
        b.method(method, jsonBody == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(jsonBody, StandardCharsets.UTF_8));
        return send(b.build());
    }

    /** The status and headers of an endless answer (a stream), without waiting for its end. */
    public Response open(String token, String path) {
        HttpRequest.Builder b = anonymous(path);
        if (token != null) b.header("Authorization", "Bearer " + token);
        try {
            HttpResponse<java.io.InputStream> r = http.send(b.GET().build(), HttpResponse.BodyHandlers.ofInputStream());
            byte[] body = r.statusCode() >= 400 ? r.body().readAllBytes() : new byte[0];
            r.body().close();
            return new Response(r.statusCode(), r.headers().map(), body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Creates a stored token through the API (as the admin AUTH_TOKEN) and returns its secret. */
    public String createToken(String jsonSpec) {
        Response r = call(TOKEN, "POST", "/api/v1/tokens", jsonSpec);
        if (r.status() != 201) throw new AssertionError("token not created: " + r);
        return r.json().get("token").asText();
    }

    public HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(baseUrl() + path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + TOKEN);
    }

    public HttpRequest.Builder anonymous(String path) {
        return HttpRequest.newBuilder(URI.create(baseUrl() + path)).timeout(Duration.ofSeconds(30));
    }

    public Response send(HttpRequest request) {
        try {
            HttpResponse<byte[]> r = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            return new Response(r.statusCode(), r.headers().map(), r.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        app.close();
    }

    /** An HTTP answer. */
    public record Response(int status, Map<String, java.util.List<String>> headers, byte[] bytes) {
        public String body() {
            return new String(bytes, StandardCharsets.UTF_8);
        }

        public JsonNode json() {
            try {
                return Json.MAPPER.readTree(bytes);
            } catch (IOException e) {
                throw new AssertionError("not JSON (status " + status + "): " + body(), e);
            }
        }

        public String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().get(0)).findFirst().orElse(null);
        }

        @Override
        public String toString() {
            return status + " " + body();
        }
    }
}
