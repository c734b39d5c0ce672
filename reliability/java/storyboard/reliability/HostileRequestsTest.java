package storyboard.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import storyboard.kernel.Json;
import storyboard.support.TestDatabase;
import storyboard.support.TestServer;

/**
 * Hostile requests generated over every operation in openapi.yaml: NUL and invalid UTF-8 in paths, parameters,
 * headers and bodies, wrong JSON types, deep nesting, 5 MB bodies, traversal, bad cursors and ranges, tus and
 * multipart junk, every method. Each must be refused with a 4xx and the JSON error body, never a 5xx or a stack
 * trace; afterwards the server still serves correctly.
 */
class HostileRequestsTest {
    private static final int MIN_REQUESTS = 1000;
    private static TestServer server;

    @BeforeAll
    static void start() {
        // No rate limit: a 429 would hide how each request is really answered.
        server = TestServer.start(TestDatabase.get().newDatabase(), Map.of("RATE_LIMIT", "0", "RATE_LIMIT_INGEST", "0"));
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
    }

    record Hostile(String kind, String method, String target, Map<String, String> headers, byte[] body) {
        String describe() {
            return kind + ": " + method + " " + (target.length() > 120 ? target.substring(0, 120) + "..." : target);
        }
    }

    record Answer(int status, String head, byte[] body) {}

    @Test
    void everyHostileRequestIsA4xxWithAJsonErrorAndTheServerStaysCorrect() throws Exception {
        List<Hostile> requests = generate();
        assertThat(requests.size()).isGreaterThanOrEqualTo(MIN_REQUESTS);
        Map<String, Integer> statuses = new TreeMap<>();
        List<String> failures = new ArrayList<>();
        long started = System.nanoTime();
        for (Hostile h : requests) {
            Answer a = send(h);
            statuses.merge(String.valueOf(a.status), 1, Integer::sum);
            String problem = problem(h, a);
            if (problem != null) failures.add(h.describe() + " -> " + problem);
        }
        long ms = (System.nanoTime() - started) / 1_000_000;
        // Still correct afterwards: it stores and reads back a log.
        TestServer.Response created = server.postJson("/api/v1/prompt-history", "{\"type\":\"shots\",\"prompt\":\"p\",\"response\":\"r\"}");
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        assertThat(server.get("/api/v1/prompt-history/" + created.json().get("id").asText()).status()).isEqualTo(200);
        assertThat(server.get("/readyz").status()).isEqualTo(200);
        Figures.write("hostile-requests", "Hostile requests over every operation in openapi.yaml",
                List.of("requests: " + requests.size(), "statuses: " + statuses, "took: " + ms + " ms",
                        "refused wrongly: " + failures.size()));
        assertThat(failures).as("requests not refused with a 4xx JSON error").isEmpty();
    }

    /** Why an answer is wrong, or null. */
    private static String problem(Hostile h, Answer a) {
        if (a.status < 400 || a.status >= 500) return "status " + a.status + " " + text(a.body);
        String lower = a.head.toLowerCase();
        if (h.method.equals("HEAD")) return null; // no body by definition
        if (!lower.contains("content-type: application/json")) return a.status + " without a JSON content type: " + text(a.body);
        try {
            JsonNode n = Json.MAPPER.readTree(a.body);
            if (n == null || !n.path("error").isTextual() || !n.path("message").isTextual()) return a.status + " not the error shape: " + text(a.body);
        } catch (IOException e) {
            return a.status + " not JSON: " + text(a.body);
        }
        String body = text(a.body);
        if (body.contains("Exception") || body.contains("\tat ") || body.contains("at storyboard.")) return "a stack trace: " + body;
        return null;
    }

    private static String text(byte[] b) {
        String s = new String(b, StandardCharsets.UTF_8);
        return s.length() > 300 ? s.substring(0, 300) + "..." : s;
    }

    // ---- generation --------------------------------------------------------------------------------------------

    private static final List<String> BAD_SEGMENTS = List.of("%00", "a%00b", "%ff%fe%fd", "%C0%AF", "..%2F..%2Fetc%2Fpasswd",
            "%2e%2e", "x".repeat(5000), "%E2%80%AE%00");
    private static final List<String> BAD_TEXT = List.of("%00", "a%00", "%ff", "%C0%80", "%zz", "%");
    private static final List<String> BAD_NUMBERS = List.of("abc", "-1", "99999999999999999999999", "1e400", "NaN", "%00");
    private static final List<String> BAD_CURSORS = List.of("!!!", "a1:", "a1:%00", "YWJj", "a1:" + "Z".repeat(3000), "%ff");
    private static final List<String> ALL_METHODS = List.of("GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "HEAD", "TRACE", "PROPFIND");

    static List<Hostile> generate() throws IOException {
        JsonNode spec = new ObjectMapper(new YAMLFactory()).readTree(HostileRequestsTest.class.getResourceAsStream("/openapi.yaml"));
        JsonNode components = spec.path("components");
        List<Hostile> out = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> paths = spec.path("paths").fields(); paths.hasNext(); ) {
            Map.Entry<String, JsonNode> path = paths.next();
            String template = path.getKey().replace("<name>", "{name}");
            List<String> declared = new ArrayList<>();
            for (Iterator<Map.Entry<String, JsonNode>> ops = path.getValue().fields(); ops.hasNext(); ) {
                Map.Entry<String, JsonNode> op = ops.next();
                if (op.getKey().equals("parameters")) continue;
                String method = op.getKey().toUpperCase();
                declared.add(method);
                forOperation(out, method, template, op.getValue(), components);
            }
            // Every method the path does not declare.
            for (String m : ALL_METHODS) {
                if (declared.contains(m) || m.equals("HEAD") && declared.contains("GET") || m.equals("OPTIONS")) continue;
                out.add(hostile("undeclared method", m, fill(template, Map.of()), Map.of(), null));
            }
        }
        return out;
    }

    private static void forOperation(List<Hostile> out, String method, String template, JsonNode op, JsonNode components) {
        if (template.equals("/healthz") || template.equals("/readyz") || template.equals("/openapi.yaml")) {
            for (String q : BAD_TEXT) out.add(hostile("bad query", method, template + "?x=" + q, Map.of(), null));
            return;
        }
        String valid = fill(template, Map.of());
        // Public operations (the sign-in page, tus discovery) ignore credentials and query strings, as HTTP allows.
        boolean open = op.has("security") && op.get("security").isEmpty();
        // Path parameters.
        for (String name : pathParams(template)) {
            for (String bad : BAD_SEGMENTS) out.add(hostile("bad path parameter " + name, method, fill(template, Map.of(name, bad)), Map.of(), body(op)));
        }
        // Query parameters, as declared.
        for (JsonNode p : parameters(op, components)) {
            if (!"query".equals(p.path("in").asText())) continue;
            String name = p.path("name").asText();
            String type = p.path("schema").path("type").asText("string");
            List<String> values = name.equals("cursor") || name.equals("after") ? BAD_CURSORS
                    : type.equals("integer") || type.equals("number") ? BAD_NUMBERS : BAD_TEXT;
            for (String v : values) out.add(hostile("bad query " + name, method, valid + "?" + name + "=" + v, Map.of(), body(op)));
        }
        if (!open) out.add(hostile("unknown query parameter", method, valid + "?no_such_parameter=1", Map.of(), body(op)));
        out.add(hostile("query name with NUL", method, valid + "?a%00=1", Map.of(), body(op)));
        // Credentials and headers.
        for (String auth : List.of("Bearer ", "Bearer sbs_" + "A".repeat(43), "Basic Zm9vOmJhcg==", "Bearer a\u0001b", "Bearer \u00ff\u00fe",
                "Bearer " + "x".repeat(9000), "bearer")) {
            if (open && !auth.contains("\u0001") && !auth.contains("x".repeat(9000))) continue;
            out.add(new Hostile("bad Authorization", method, valid, Map.of("Authorization", auth), body(op)));
        }
        out.add(hostile("NUL in a header", method, valid, Map.of("X-Request-Id", "a\u0000b"), body(op)));
        out.add(hostile("control character in Origin", method, valid, Map.of("Origin", "http://a\u0002b"), body(op)));
        out.add(hostile("unknown Expect", method, valid, Map.of("Expect", "200-maybe", "Content-Length", "2"), null));
        out.add(hostile("bad Content-Length", method, valid, Map.of("Content-Length", "abc"), null));
        out.add(hostile("negative Content-Length", method, valid, Map.of("Content-Length", "-1"), null));
        if (method.equals("GET") && template.startsWith("/api/v1/blobs/")) {
            for (String range : List.of("bytes=abc", "bytes=5-1", "bytes=-", "items=0-1", "bytes=0-1,2-3,%00", "bytes=99999999999999999999-"))
                out.add(hostile("bad Range", method, valid, Map.of("Range", range), null));
        }
        // Bodies.
        JsonNode content = op.path("requestBody").path("content");
        if (content.has("application/json")) {
            JsonNode schema = resolve(content.path("application/json").path("schema"), components);
            String json = "application/json";
            for (String b : List.of("", "{", "[]", "null", "\"x\"", "{\"a\":1,\"a\":2}", "{\"x\":\"\\u0000\"}", "{\"\u0000\":1}"))
                out.add(hostile("bad JSON body " + b, method, valid, Map.of("Content-Type", json), b.getBytes(StandardCharsets.UTF_8)));
            out.add(hostile("JSON body not UTF-8", method, valid, Map.of("Content-Type", json), new byte[] {'{', '"', 'a', '"', ':', '"', (byte) 0xff, (byte) 0xfe, '"', '}'}));
            out.add(hostile("10,000-level nesting", method, valid, Map.of("Content-Type", json),
                    ("{\"a\":" + "[".repeat(10_000) + "]".repeat(10_000) + "}").getBytes(StandardCharsets.UTF_8)));
            out.add(hostile("5 MB body", method, valid, Map.of("Content-Type", json),
                    ("{\"prompt\":\"" + "x".repeat(5 << 20) + "\"}").getBytes(StandardCharsets.UTF_8)));
            out.add(hostile("JSON as text/plain", method, valid, Map.of("Content-Type", "text/plain"), "{}".getBytes(StandardCharsets.UTF_8)));
            for (Iterator<Map.Entry<String, JsonNode>> props = schema.path("properties").fields(); props.hasNext(); ) {
                Map.Entry<String, JsonNode> prop = props.next();
                for (String wrong : wrongValues(resolve(prop.getValue(), components))) {
                    // A batch answers each bad item in its results (a 200 that says 'rejected'), by design.
                    if (template.endsWith("/batch") && wrong.equals("[null]")) continue;
                    out.add(hostile("wrong type for " + prop.getKey(), method, valid, Map.of("Content-Type", json),
                            ("{\"" + prop.getKey() + "\":" + wrong + "}").getBytes(StandardCharsets.UTF_8)));
                }
            }
        }
        if (content.has("multipart/form-data")) {
            for (String junk : List.of("--x\r\n\r\n", "--b\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\nabc", "no boundary at all",
                    "--b\r\nContent-Disposition: form-data; name=\"asset\"\r\n\r\n{\"name\":\"\\u0000\"}\r\n--b--\r\n"))
                out.add(hostile("multipart junk", method, valid, Map.of("Content-Type", "multipart/form-data; boundary=b"), junk.getBytes(StandardCharsets.UTF_8)));
            out.add(hostile("multipart without boundary", method, valid, Map.of("Content-Type", "multipart/form-data"), "x".getBytes(StandardCharsets.UTF_8)));
        }
        if (template.startsWith("/api/v1/uploads") && !open) {
            for (Map<String, String> h : List.of(Map.of("Tus-Resumable", "0.0.1"), Map.of("Tus-Resumable", "1.0.0", "Upload-Length", "-5"),
                    Map.of("Tus-Resumable", "1.0.0", "Upload-Length", "abc"), Map.of("Tus-Resumable", "1.0.0", "Upload-Metadata", "sha256 %%%"),
                    Map.of("Tus-Resumable", "1.0.0", "Upload-Offset", "-1", "Content-Type", "application/offset+octet-stream"),
                    Map.of("Tus-Resumable", "1.0.0", "Upload-Offset", "x", "Content-Type", "application/offset+octet-stream"),
                    Map.of("Tus-Resumable", "1.0.0", "Upload-Offset", "0", "Content-Type", "text/plain"),
                    Map.of("Tus-Resumable", "1.0.0", "Upload-Length", "99999999999999999999"))) {
                out.add(hostile("tus junk " + h, method, valid, h, "abc".getBytes(StandardCharsets.UTF_8)));
            }
        }
    }

    private static List<String> wrongValues(JsonNode schema) {
        JsonNode t = schema.path("type");
        String type = t.isArray() ? t.get(0).asText() : t.asText("");
        return switch (type) {
            case "string" -> List.of("123", "{}", "[\"a\"]", "\"\\u0000\"", "\"" + "s".repeat(100_000) + "\"");
            case "integer" -> List.of("\"1\"", "1.5", "1e400", "-99999999999999999999", "[]");
            case "number" -> List.of("\"1\"", "1e400", "{}");
            case "boolean" -> List.of("\"true\"", "1");
            case "array" -> List.of("{}", "\"a\"", "[" + "1,".repeat(100_000) + "1]", "[null]");
            case "object" -> List.of("[]", "\"a\"", "1");
            default -> List.of("{\"\\u0000\":1}", "[[[[[[[[]]]]]]]]");
        };
    }

    private static JsonNode resolve(JsonNode node, JsonNode components) {
        JsonNode n = node;
        for (int i = 0; i < 5 && n.has("$ref"); i++) {
            String[] parts = n.get("$ref").asText().replace("#/components/", "").split("/");
            n = components.path(parts[0]).path(parts[1]);
        }
        return n;
    }

    private static List<JsonNode> parameters(JsonNode op, JsonNode components) {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode p : op.path("parameters")) out.add(resolve(p, components));
        return out;
    }

    private static byte[] body(JsonNode op) {
        return op.has("requestBody") ? "{}".getBytes(StandardCharsets.UTF_8) : null;
    }

    private static List<String> pathParams(String template) {
        List<String> out = new ArrayList<>();
        for (int i = template.indexOf('{'); i >= 0; i = template.indexOf('{', i + 1)) out.add(template.substring(i + 1, template.indexOf('}', i)));
        return out;
    }

    /** The path with each parameter replaced: the given bad value, else a plausible one that names nothing. */
    private static String fill(String template, Map<String, String> values) {
        String s = template;
        for (String name : pathParams(template)) {
            String v = values.getOrDefault(name, switch (name) {
                case "sha256" -> "0".repeat(64);
                case "name" -> "no-such-prompt";
                case "label" -> "production";
                default -> UUID.randomUUID().toString();
            });
            s = s.replace("{" + name + "}", v);
        }
        return s;
    }

    private static Hostile hostile(String kind, String method, String target, Map<String, String> headers, byte[] body) {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Authorization", "Bearer " + TestServer.TOKEN);
        h.putAll(headers);
        return new Hostile(kind, method, target, h, body);
    }

    // ---- sending -----------------------------------------------------------------------------------------------

    /** The request exactly as generated, over a socket (HTTP clients refuse or re-encode most of these). */
    private static Answer send(Hostile h) throws IOException {
        URI base = URI.create(server.baseUrl());
        ByteArrayOutputStream req = new ByteArrayOutputStream();
        StringBuilder head = new StringBuilder(h.method).append(' ').append(h.target).append(" HTTP/1.1\r\nHost: localhost\r\n");
        h.headers.forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
        if (h.body != null && !h.headers.containsKey("Content-Length")) head.append("Content-Length: ").append(h.body.length).append("\r\n");
        head.append("Connection: close\r\n\r\n");
        req.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
        if (h.body != null) req.write(h.body);
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            try {
                out.write(req.toByteArray());
                out.flush();
            } catch (IOException e) {
                // The server may answer and close before a large body is sent: read what it said.
            }
            byte[] all = readAll(socket.getInputStream());
            String text = new String(all, StandardCharsets.ISO_8859_1);
            int end = text.indexOf("\r\n\r\n");
            if (!text.startsWith("HTTP/1.1 ") || end < 0) throw new AssertionError(h.describe() + ": no HTTP answer: " + text);
            byte[] body = java.util.Arrays.copyOfRange(all, end + 4, all.length);
            if (text.substring(0, end).toLowerCase().contains("transfer-encoding: chunked")) body = dechunk(body);
            return new Answer(Integer.parseInt(text.substring(9, 12)), text.substring(0, end), body);
        }
    }

    private static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        try {
            for (int n; (n = in.read(buf)) > 0; ) b.write(buf, 0, n);
        } catch (java.net.SocketException e) {
            // reset after the answer: keep what arrived
        }
        return b.toByteArray();
    }

    private static byte[] dechunk(byte[] chunked) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int i = 0;
        while (i < chunked.length) {
            int eol = indexOf(chunked, i);
            if (eol < 0) break;
            int size = Integer.parseInt(new String(chunked, i, eol - i, StandardCharsets.ISO_8859_1).split(";")[0].trim(), 16);
            if (size == 0) break;
            out.write(chunked, eol + 2, Math.min(size, chunked.length - eol - 2));
            i = eol + 2 + size + 2;
        }
        return out.toByteArray();
    }

    private static int indexOf(byte[] b, int from) {
        for (int i = from; i + 1 < b.length; i++) if (b[i] == '\r' && b[i + 1] == '\n') return i;
        return -1;
    }
}
