package storyboard.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import storyboard.kernel.Json;

/** The prompt registry's HTTP API, as {@code prompts export|import} use it. */
final class RegistryClient {
    private final String server;
    private final String token;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    RegistryClient(String server, String token) {
        this.server = server.replaceAll("/+$", "");
        this.token = token;
    }

    /** A refused request: the server's status and its JSON error. */
    static final class RequestFailed extends IOException {
        final int status;
        final String error;

        RequestFailed(String what, int status, String error, String message) {
            super(what + ": " + status + (error == null ? "" : " " + error) + (message == null ? "" : ": " + message));
            this.status = status;
            this.error = error;
        }
    }

    /** The JSON answer of a GET, or null for a 404. */
    JsonNode get(String path) throws IOException, InterruptedException {
        HttpResponse<String> r = send("GET", path, null);
        if (r.statusCode() == 404) return null;
        return check("GET " + path, r);
    }

    JsonNode post(String path, JsonNode body) throws IOException, InterruptedException {
        return check("POST " + path, send("POST", path, body));
    }

    JsonNode put(String path, JsonNode body) throws IOException, InterruptedException {
        return check("PUT " + path, send("PUT", path, body));
    }

    private HttpResponse<String> send(String method, String path, JsonNode body) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server + path)).timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + token);
        if (body == null) {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            b.header("Content-Type", "application/json").method(method,
                    HttpRequest.BodyPublishers.ofString(Json.MAPPER.writeValueAsString(body)));
        }
        try {
            return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (java.net.ConnectException e) {
            throw new IOException("cannot reach " + server + " (is the server running? --server sets its URL)");
        }
    }

    private static JsonNode check(String what, HttpResponse<String> r) throws IOException {
        JsonNode body = null;
        try {
            body = r.body().isEmpty() ? null : Json.MAPPER.readTree(r.body());
        } catch (IOException e) {
            // not JSON: reported below by status
        }
        if (r.statusCode() / 100 == 2) return body;
        throw new RequestFailed(what, r.statusCode(), body == null ? null : body.path("error").asText(null),
                body == null ? null : body.path("message").asText(null));
    }
}
