package storyboard.promptlog;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpRequest;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import storyboard.support.TestServer;

/** Every bad input gets its precise JSON error and status; nothing is stored; the server stays up. */
class IngestErrorsTest {
    private final TestServer server = TestServer.shared();

    static Stream<Arguments> badBodies() {
        String longType = "x".repeat(201);
        return Stream.of(
                Arguments.of("{not json", "invalid_json", null),
                Arguments.of("", "invalid_json", null),
                Arguments.of("[{\"type\":\"shots\"}]", "invalid_body", null),
                Arguments.of("\"shots\"", "invalid_body", null),
                Arguments.of("{\"type\":\"a\",\"type\":\"b\"}", "invalid_json", null),
                Arguments.of("{\"prompt\":\"p\"}", "invalid_field", "type"),
                Arguments.of("{\"type\":\"\"}", "invalid_field", "type"),
                Arguments.of("{\"type\":\"   \"}", "invalid_field", "type"),
                Arguments.of("{\"type\":null}", "invalid_field", "type"),
                Arguments.of("{\"type\":7}", "invalid_field", "type"),
                Arguments.of("{\"type\":\"" + longType + "\"}", "invalid_field", "type"),
                Arguments.of("{\"type\":\"shots\",\"prompt\":12}", "invalid_field", "prompt"),
                Arguments.of("{\"type\":\"shots\",\"prompt\":[\"a\"]}", "invalid_field", "prompt"),
                Arguments.of("{\"type\":\"shots\",\"tokens\":-1}", "invalid_field", "tokens"),
                Arguments.of("{\"type\":\"shots\",\"tokens\":1.5}", "invalid_field", "tokens"),
                Arguments.of("{\"type\":\"shots\",\"tokens\":\"10\"}", "invalid_field", "tokens"),
                Arguments.of("{\"type\":\"shots\",\"tokens\":99999999999999999999999}", "invalid_field", "tokens"),
                Arguments.of("{\"type\":\"shots\",\"cost\":-0.01}", "invalid_field", "cost"),
                Arguments.of("{\"type\":\"shots\",\"cost\":\"0.1\"}", "invalid_field", "cost"),
                Arguments.of("{\"type\":\"shots\",\"context\":[1]}", "invalid_field", "context"),
                Arguments.of("{\"type\":\"shots\",\"context\":\"scene\"}", "invalid_field", "context"),
                Arguments.of("{\"type\":\"shots\",\"timestamp\":\"yesterday\"}", "invalid_field", "timestamp"),
                Arguments.of("{\"type\":\"shots\",\"timestamp\":1758485523}", "invalid_field", "timestamp"),
                Arguments.of("{\"type\":\"shots\",\"timestamp\":\"+999999999-12-31T23:59:59Z\"}", "invalid_field", "timestamp"),
                Arguments.of("{\"type\":\"shots\",\"cost\":1e400}", "invalid_field", "cost"),
                Arguments.of("{\"type\":\"shots\",\"prompt\":\"a\\u0000b\"}", "invalid_field", "prompt"),
                Arguments.of("{\"type\":\"shots\",\"context\":{\"k\":\"\\u0000\"}}", "invalid_field", "context"));
    }

    @ParameterizedTest
    @MethodSource("badBodies")
    void badBodiesAre400WithThePreciseError(String body, String code, String field) {
        long before = count();
        TestServer.Response r = server.postJson("/api/v1/prompt-history", body);
        assertThat(r.status()).as(r.toString()).isEqualTo(400);
        JsonNode error = r.json();
        assertThat(error.get("error").asText()).isEqualTo(code);
        assertThat(error.get("message").asText()).isNotBlank().doesNotContain("Exception").doesNotContain("\tat ");
        if (field == null) assertThat(error.get("field").isNull()).isTrue();
        else assertThat(error.get("field").asText()).isEqualTo(field);
        assertThat(r.header("Content-Type")).startsWith("application/json");
        assertThat(count()).isEqualTo(before);
    }

    @Test
    void aBodyOverTheLimitIs413() {
        String big = "{\"type\":\"shots\",\"prompt\":\"" + "x".repeat(1024 * 1024) + "\"}";
        TestServer.Response r = server.postJson("/api/v1/prompt-history", big);
        assertThat(r.status()).isEqualTo(413);
        assertThat(r.json().get("error").asText()).isEqualTo("body_too_large");
    }

    @Test
    void aNonJsonContentTypeIs415() {
        for (String type : new String[] {"text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x"}) {
            TestServer.Response r = server.send(server.request("/api/v1/prompt-history").header("Content-Type", type)
                    .POST(HttpRequest.BodyPublishers.ofString("{\"type\":\"shots\"}")).build());
            assertThat(r.status()).as(type).isEqualTo(415);
            assertThat(r.json().get("error").asText()).isEqualTo("unsupported_media_type");
        }
        TestServer.Response charset = server.send(server.request("/api/v1/prompt-history")
                .header("Content-Type", "application/json; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofString("{\"type\":\"console\"}")).build());
        assertThat(charset.status()).isEqualTo(201);
    }

    @Test
    void withoutAValidTokenIs401WithWwwAuthenticate() {
        TestServer.Response none = server.send(server.anonymous("/api/v1/prompt-history")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"type\":\"shots\"}")).build());
        assertThat(none.status()).isEqualTo(401);
        assertThat(none.header("WWW-Authenticate")).startsWith("Bearer");
        assertThat(none.json().get("error").asText()).isEqualTo("missing_token");

        for (String header : new String[] {"Bearer wrong-token-value", "Basic dXNlcjpwYXNz", "Bearer", TestServer.TOKEN}) {
            TestServer.Response wrong = server.send(server.anonymous("/api/v1/prompt-history")
                    .header("Authorization", header).GET().build());
            assertThat(wrong.status()).as(header).isEqualTo(401);
            assertThat(wrong.header("WWW-Authenticate")).startsWith("Bearer");
            assertThat(wrong.body()).doesNotContain(TestServer.TOKEN).doesNotContain("wrong-token-value");
        }
    }

    @Test
    void healthChecksNeedNoToken() {
        assertThat(server.send(server.anonymous("/healthz").GET().build()).status()).isEqualTo(200);
        TestServer.Response ready = server.send(server.anonymous("/readyz").GET().build());
        assertThat(ready.status()).isEqualTo(200);
        assertThat(ready.json().get("status").asText()).isEqualTo("ready");
    }

    @Test
    void errorsJettyAnswersItselfAreJsonToo() {
        String badUri = rawRequest("GET /api/v1/prompt-history/%zz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        assertThat(badUri).startsWith("HTTP/1.1 400").contains("application/json").contains("\"error\":\"bad_request\"");
        TestServer.Response longUri = server.get("/api/v1/prompt-history?type=" + "a".repeat(20_000));
        assertThat(longUri.status()).isEqualTo(414);
        assertThat(longUri.json().get("error").asText()).isEqualTo("uri_too_long");
        assertThat(server.get("/api/v1/prompt-history?min_cost=1e999999").json().get("field").asText()).isEqualTo("min_cost");
    }

    @Test
    void anIdempotencyKeyThatIsTooLongIs400() {
        TestServer.Response r = server.send(server.request("/api/v1/prompt-history")
                .header("Content-Type", "application/json").header("Idempotency-Key", "k".repeat(201))
                .POST(HttpRequest.BodyPublishers.ofString("{\"type\":\"shots\"}")).build());
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().get("field").asText()).isEqualTo("Idempotency-Key");
    }

    @Test
    void unknownRoutesAndMethodsAreJsonErrors() {
        TestServer.Response r = server.get("/api/v1/nothing-here");
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.json().get("error").asText()).isEqualTo("not_found");
        TestServer.Response put = server.send(server.request("/api/v1/prompt-history")
                .PUT(HttpRequest.BodyPublishers.ofString("{}")).build());
        assertThat(put.status()).isIn(404, 405);
        assertThat(put.json().get("error").asText()).isIn("not_found", "method_not_allowed");
    }

    private String rawRequest(String request) {
        java.net.URI base = java.net.URI.create(server.baseUrl());
        try (java.net.Socket socket = new java.net.Socket(base.getHost(), base.getPort())) {
            socket.getOutputStream().write(request.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            return new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private long count() {
        return server.jdbi().withHandle(h -> h.createQuery("select count(*) from prompt_log").mapTo(Long.class).one());
    }
}
