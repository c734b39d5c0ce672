package storyboard.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import storyboard.kernel.Json;

/**
 * The HTTP client of the commands that talk to a running server (import-logs, assets scan, prompts, project, and
 * the credential check before each): the server's URL and a bearer token, JSON both ways, and one way to fail.
 * <p>
 * A request the server answers 503 or 429 (busy, database away, rate limited) is tried again a few times, waiting
 * longer each time; so is one whose connection was refused after the server has answered once (it is restarting:
 * a refused connection sent nothing). A server never reached fails at once, as {@link UserException}. Any other
 * answer than a 2xx with JSON is a {@link BadAnswer}, whose message is one line with the server's JSON error; a
 * request cut off (a timeout, a reset) is an IOException naming the request.
 */
public final class ServerClient {
    static final int MAX_ATTEMPTS = 5;
    /** How long an answer may take; a batch of a thousand logs is the slowest JSON request. */
    static final Duration ANSWER_TIMEOUT = Duration.ofMinutes(2);
    /** How long an upload may take: its body streams from the file, and may be gigabytes on a slow link. */
    static final Duration UPLOAD_TIMEOUT = Duration.ofMinutes(30);

    private final String base;
    private final String token;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    /** Whether the server has answered a request: from then on a refused connection is a restart, worth a wait. */
    private volatile boolean answered;

    /** A client of {@code server} (an http:// or https:// URL, else a {@link UserException}) using {@code token}. */
    public ServerClient(String server, String token) {
        this.base = server.replaceAll("/+$", "");
        this.token = token;
        URI uri;
        try {
            uri = URI.create(base + "/");
        } catch (IllegalArgumentException e) {
            throw new UserException("--server '" + server + "' is not a URL: " + e.getMessage());
        }
        if (uri.getScheme() == null || !uri.getScheme().matches("https?") || uri.getHost() == null) {
            throw new UserException("--server '" + server + "' is not an http:// or https:// URL");
        }
    }

    /** The server's URL as messages show it (no trailing slash). */
    public String base() {
        return base;
    }

    /** The server answered, but not with a 2xx and JSON: its status and JSON error, as one line. */
    public static final class BadAnswer extends IOException {
        private final String request;
        private final int status;
        private final String error;
        private final String detail;
        private final transient JsonNode body;

        BadAnswer(String request, int status, String error, String detail, String field, JsonNode body) {
            super(request + " answered " + status + (error == null ? "" : " " + error) + (detail == null ? "" : ": " + detail)
                    + (field == null ? "" : " (field " + field + ")"));
            this.request = request;
            this.status = status;
            this.error = error;
            this.detail = detail;
            this.body = body;
        }

        /** "METHOD /path?query", as sent. */
        public String request() {
            return request;
        }

        public int status() {
            return status;
        }

        /** The server's error code ({@code "error"} of its JSON, e.g. revision_conflict), or null. */
        public String error() {
            return error;
        }

        /** The server's message ({@code "message"} of its JSON, else a short plain-text body), or null. */
        public String detail() {
            return detail;
        }

        /** The server's whole JSON answer (its other fields: problems, currentRevision, ...), or null. */
        public JsonNode body() {
            return body;
        }
    }

    public JsonNode get(String path) throws IOException, InterruptedException {
        return send("GET", path, HttpRequest.BodyPublishers.noBody(), null, ANSWER_TIMEOUT);
    }

    /** A GET of something that may not exist: empty for a 404. */
    public Optional<JsonNode> find(String path) throws IOException, InterruptedException {
        try {
            return Optional.of(get(path));
        } catch (BadAnswer e) {
            if (e.status() == 404) return Optional.empty();
            throw e;
        }
    }

    /** POSTs {@code body} (a record, node or map, as JSON; null: no body). */
    public JsonNode post(String path, Object body) throws IOException, InterruptedException {
        return send("POST", path, json(body), body == null ? null : "application/json", ANSWER_TIMEOUT);
    }

    public JsonNode put(String path, Object body) throws IOException, InterruptedException {
        return send("PUT", path, json(body), body == null ? null : "application/json", ANSWER_TIMEOUT);
    }

    /** PUTs a file's bytes, streamed from disk (never held in memory). */
    public JsonNode upload(String path, Path file) throws IOException, InterruptedException {
        return send("PUT", path, HttpRequest.BodyPublishers.ofFile(file), "application/octet-stream", UPLOAD_TIMEOUT);
    }

    /** A request body made as it is sent (e.g. a zip written by another thread); opened again for each attempt. */
    public interface StreamBody {
        InputStream open();
    }

    /**
     * POSTs a body streamed from {@code body} (never held in memory). Each stream opened is closed once the request
     * is done, so a producer that the request stopped reading (the server answered early) ends too.
     */
    public JsonNode postStream(String path, String contentType, StreamBody body) throws IOException, InterruptedException {
        List<InputStream> opened = new ArrayList<>();
        HttpRequest.BodyPublisher publisher = HttpRequest.BodyPublishers.ofInputStream(() -> {
            InputStream in = body.open();
            synchronized (opened) {
                opened.add(in);
            }
            return in;
        });
        try {
            return send("POST", path, publisher, contentType, UPLOAD_TIMEOUT);
        } finally {
            synchronized (opened) {
                for (InputStream in : opened) in.close();
            }
        }
    }

    /**
     * GETs raw bytes (a file) into {@code target}, made or overwritten; an answer other than a 2xx is a
     * {@link BadAnswer} as for JSON, and {@code target} is then deleted.
     */
    public void download(String path, Path target) throws IOException, InterruptedException {
        HttpResponse<Path> r = exchange(request("GET", path, HttpRequest.BodyPublishers.noBody(), null, UPLOAD_TIMEOUT)
                .setHeader("Accept", "*/*").build(), "GET " + path, HttpResponse.BodyHandlers.ofFile(target,
                StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING));
        if (r.statusCode() / 100 == 2) return;
        String body;
        try (InputStream in = Files.newInputStream(target)) {
            body = new String(in.readNBytes(64 * 1024), StandardCharsets.UTF_8);
        } finally {
            Files.deleteIfExists(target);
        }
        throw badAnswer("GET " + path, r.statusCode(), body);
    }

    /**
     * GETs raw bytes as a stream, read as they arrive (the caller closes it); an answer other than a 2xx is a
     * {@link BadAnswer} as for JSON.
     */
    public InputStream stream(String path) throws IOException, InterruptedException {
        HttpResponse<InputStream> r = exchange(request("GET", path, HttpRequest.BodyPublishers.noBody(), null,
                UPLOAD_TIMEOUT).setHeader("Accept", "*/*").build(), "GET " + path, HttpResponse.BodyHandlers.ofInputStream());
        if (r.statusCode() / 100 == 2) return r.body();
        String body;
        try (InputStream in = r.body()) {
            body = new String(in.readNBytes(64 * 1024), StandardCharsets.UTF_8);
        }
        throw badAnswer("GET " + path, r.statusCode(), body);
    }

    private static HttpRequest.BodyPublisher json(Object body) throws IOException {
        return body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofByteArray(Json.MAPPER.writeValueAsBytes(body));
    }

    private HttpRequest.Builder request(String method, String path, HttpRequest.BodyPublisher body, String contentType,
                                        Duration timeout) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", "Bearer " + token)
                .header("Accept", "application/json").timeout(timeout).method(method, body);
        if (contentType != null) b.header("Content-Type", contentType);
        return b;
    }

    /** {@code path} starts with a slash and may hold a query. A 2xx with no body answers an empty object. */
    private JsonNode send(String method, String path, HttpRequest.BodyPublisher body, String contentType, Duration timeout)
            throws IOException, InterruptedException {
        String what = method + " " + path;
        HttpResponse<String> r = exchange(request(method, path, body, contentType, timeout).build(), what,
                HttpResponse.BodyHandlers.ofString());
        int status = r.statusCode();
        JsonNode answer = parse(r.body());
        if (status / 100 == 2 && answer != null) return answer;
        if (status / 100 == 2 && r.body().isBlank()) return Json.MAPPER.createObjectNode();
        if (status / 100 == 2) throw new BadAnswer(what, status, null, "not JSON", null, null);
        throw badAnswer(what, status, r.body());
    }

    private static BadAnswer badAnswer(String what, int status, String body) {
        JsonNode answer = parse(body);
        if (answer == null) return new BadAnswer(what, status, null, plainText(body), null, null);
        return new BadAnswer(what, status, answer.path("error").asText(null), answer.path("message").asText(null),
                answer.path("field").asText(null), answer);
    }

    /** Sends {@code request}, again after a 503, a 429 or a refused connection (see the class comment). */
    private <T> HttpResponse<T> exchange(HttpRequest request, String what, HttpResponse.BodyHandler<T> handler)
            throws IOException, InterruptedException {
        for (int attempt = 1; ; attempt++) {
            HttpResponse<T> r;
            try {
                r = http.send(request, handler);
            } catch (ConnectException e) {
                if (!answered || attempt == MAX_ATTEMPTS) {
                    throw new UserException("cannot connect to " + base + ": is the server running? (--server sets its URL)");
                }
                pause(attempt);
                continue;
            } catch (IOException e) {
                throw new IOException(what + ": " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()), e);
            }
            answered = true;
            int status = r.statusCode();
            if ((status == 503 || status == 429) && attempt < MAX_ATTEMPTS) {
                if (r.body() instanceof InputStream unread) unread.close(); // frees the connection
                pause(attempt);
                continue;
            }
            return r;
        }
    }

    private static JsonNode parse(String body) {
        if (body.isBlank()) return null;
        try {
            JsonNode node = Json.MAPPER.readTree(body);
            return node != null && node.isContainerNode() ? node : null;
        } catch (IOException e) {
            return null;
        }
    }

    /** A body that is not JSON, when it is short enough to read in a message (not a proxy's HTML page). */
    private static String plainText(String body) {
        String line = body.strip().replaceAll("\\s+", " ");
        return line.isEmpty() || line.length() > 200 || line.startsWith("<") ? null : line;
    }

    private static void pause(int attempt) throws InterruptedException {
        Thread.sleep(Math.min(8000, 250L << attempt));
    }
}
