package storyboard.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import storyboard.kernel.Json;
import storyboard.support.TestServer;

/**
 * Errors the web server raises before any route runs (bad path encoding, oversized or malformed headers, bad
 * Content-Length, unknown Expect) are the same JSON error as every other, for every method.
 */
class WebServerErrorsTest {
    private static final TestServer SERVER = TestServer.shared();
    private static final List<String> METHODS = List.of("GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS");

    static Stream<Arguments> cases() {
        String auth = "Authorization: Bearer " + TestServer.TOKEN + "\r\n";
        List<Arguments> out = new ArrayList<>();
        for (String m : METHODS) {
            out.add(Arguments.of(m, "invalid UTF-8 in the path", "/api/v1/prompt-history/%ff%fe%fd", auth, 400));
            out.add(Arguments.of(m, "a 20k Authorization", "/api/v1/prompt-history",
                    "Authorization: Bearer " + "a".repeat(20_000) + "\r\n", 431));
            out.add(Arguments.of(m, "a 64 KB header", "/api/v1/prompt-history", auth + "X-Big: " + "b".repeat(65_536) + "\r\n", 431));
            out.add(Arguments.of(m, "a 10k X-Request-Id", "/api/v1/prompt-history", auth + "X-Request-Id: " + "r".repeat(10_000) + "\r\n", 431));
            out.add(Arguments.of(m, "a control character in Authorization", "/api/v1/prompt-history",
                    "Authorization: Bearer a\u0001b\r\n", 400));
            out.add(Arguments.of(m, "Content-Length abc", "/api/v1/prompt-history", auth + "Content-Length: abc\r\n", 400));
            out.add(Arguments.of(m, "Content-Length -1", "/api/v1/prompt-history", auth + "Content-Length: -1\r\n", 400));
            out.add(Arguments.of(m, "Content-Length with chunked", "/api/v1/prompt-history",
                    auth + "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n", 400));
            out.add(Arguments.of(m, "an unknown Expect", "/api/v1/prompt-history", auth + "Expect: 200-ok\r\nContent-Length: 2\r\n", 417));
            out.add(Arguments.of(m, "a control character in Origin", "/api/v1/prompt-history",
                    auth + "Origin: http://a\u0002b\r\nAccess-Control-Request-Method: GET\r\n", 400));
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} with {1}")
    @MethodSource("cases")
    void isAJsonError(String method, String what, String target, String headers, int status) throws IOException {
        String answer = send(method + " " + target + " HTTP/1.1\r\nHost: localhost\r\n" + headers + "Connection: close\r\n\r\n");
        int code = Integer.parseInt(answer.substring(9, 12));
        assertThat(code).as(what + ": " + answer).isEqualTo(status);
        String head = answer.substring(0, answer.indexOf("\r\n\r\n")).toLowerCase();
        assertThat(head).as(what).contains("content-type: application/json");
        JsonNode body = Json.MAPPER.readTree(answer.substring(answer.indexOf("\r\n\r\n") + 4));
        assertThat(body.path("error").asText()).as(what + ": " + answer).isNotBlank();
        assertThat(body.path("message").asText()).as(what).isNotBlank();
        assertThat(SERVER.get("/healthz").status()).isEqualTo(200);
    }

    private static String send(String request) throws IOException {
        URI base = URI.create(SERVER.baseUrl());
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
