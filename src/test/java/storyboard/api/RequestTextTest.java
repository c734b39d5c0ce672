package storyboard.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;
import storyboard.support.TestServer;

/** NUL and text that is not UTF-8, in query strings and JSON bodies, are 400s naming where they were, on every route. */
class RequestTextTest {
    private static final TestServer SERVER = TestServer.shared();

    static Stream<Arguments> textFilters() {
        return Stream.of(
                "/api/v1/prompt-history?type", "/api/v1/prompt-history?category", "/api/v1/prompt-history?user",
                "/api/v1/prompt-history?llm", "/api/v1/prompt-history?project", "/api/v1/prompt-history?scene",
                "/api/v1/prompt-history?prompt_name", "/api/v1/prompt-history?q", "/api/v1/prompt-history/stats?user",
                "/api/v1/prompt-history/stats?type", "/api/v1/prompt-history/export?llm",
                "/api/v1/assets?project", "/api/v1/assets?scene", "/api/v1/assets?shot", "/api/v1/assets?panel",
                "/api/v1/assets?tag", "/api/v1/assets?name", "/api/v1/audit?action", "/api/v1/audit?actor",
                "/api/v1/audit?actor_type", "/api/v1/audit?target_type", "/api/v1/audit?target_id",
                "/api/v1/prompts?prefix", "/api/v1/prompts?q", "/api/v1/events?project", "/api/v1/budgets/check?project")
                .map(Arguments::of);
    }

    @ParameterizedTest
    @MethodSource("textFilters")
    void aNulInATextFilterIsA400NamingTheParameter(String pathAndName) throws IOException {
        String name = pathAndName.substring(pathAndName.indexOf('?') + 1);
        Answer nul = raw("GET " + pathAndName + "=a%00b");
        assertThat(nul.status).as(nul.toString()).isEqualTo(400);
        assertThat(nul.body).contains("\"error\":\"invalid_parameter\"").contains("\"field\":\"" + name + "\"")
                .contains("NUL");
        Answer notUtf8 = raw("GET " + pathAndName + "=%ff%fe");
        assertThat(notUtf8.status).as(notUtf8.toString()).isEqualTo(400);
        assertThat(notUtf8.body).contains("\"field\":\"" + name + "\"").contains("not valid UTF-8");
        Answer overlong = raw("GET " + pathAndName + "=%C0%80");
        assertThat(overlong.status).as(overlong.toString()).isEqualTo(400);
    }

    @Test
    void validTextStillWorksAndBrokenEscapesAreNamed() throws IOException {
        assertThat(raw("GET /api/v1/prompt-history?type=%C3%A9t%C3%A9+caf%C3%A9&limit=1").status).isEqualTo(200);
        assertThat(raw("GET /api/v1/prompt-history?q=%E6%97%A5%E6%9C%AC").status).isEqualTo(200);
        Answer broken = raw("GET /api/v1/prompt-history?type=%zz");
        assertThat(broken.status).isEqualTo(400);
        assertThat(broken.body).contains("\"field\":\"type\"");
        Answer badName = raw("GET /api/v1/prompt-history?ty%00pe=x");
        assertThat(badName.status).isEqualTo(400);
        assertThat(badName.body).contains("\"field\":\"ty%00pe\"");
    }

    @Test
    void aNulAnywhereInAJsonBodyIsA400NamingTheTopLevelField() {
        var r = SERVER.postJson("/api/v1/prompts/nul-test/versions",
                "{\"template\":\"hi\",\"config\":{\"deep\":[{\"x\":\"a\\u0000b\"}]}}");
        assertThat(r.status()).as(r.toString()).isEqualTo(400);
        assertThat(r.json().get("field").asText()).isEqualTo("config");
        var key = SERVER.postJson("/api/v1/prompts/nul-test/versions", "{\"template\":\"hi\",\"config\":{\"a\\u0000\":1}}");
        assertThat(key.status()).as(key.toString()).isEqualTo(400);
        var fine = SERVER.postJson("/api/v1/prompts/nul-test/versions", "{\"template\":\"hi\",\"config\":{\"a\":\"\\u0001\"}}");
        assertThat(fine.status()).as(fine.toString()).isEqualTo(201);
        assertThat(SERVER.get("/healthz").status()).isEqualTo(200);
    }

    record Answer(int status, String body) {}

    /** Sends the request line exactly as given (a socket: HTTP clients re-encode or refuse such URIs). */
    private static Answer raw(String methodAndTarget) throws IOException {
        URI base = URI.create(SERVER.baseUrl());
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            OutputStream out = socket.getOutputStream();
            out.write((methodAndTarget + " HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + TestServer.TOKEN
                    + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int status = Integer.parseInt(answer.substring(9, 12));
            int bodyStart = answer.indexOf("\r\n\r\n");
            return new Answer(status, bodyStart < 0 ? "" : answer.substring(bodyStart + 4));
        }
    }
}
