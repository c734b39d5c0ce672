package storyboard.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import storyboard.server.Config;
import storyboard.server.Logging;
import storyboard.support.TestDatabase;
import storyboard.support.TestServer;

/** No token, nor its stored hash, appears in a log line (with the production logging set-up) or an error body. */
class SecretsNotLoggedTest {
    @TempDir
    static Path dir;
    private static Path logFile;
    private static TestServer server;

    @BeforeAll
    static void start() {
        logFile = dir.resolve("server.log");
        Logging.configure(Config.LogFormat.TEXT, Optional.of(logFile));
        server = TestServer.start(TestDatabase.get().newDatabase(), Map.of());
    }

    @AfterAll
    static void restoreLogging() {
        if (server != null) server.close();
        Logging.configure(Config.LogFormat.TEXT, Optional.empty());
    }

    @Test
    void tokensAndTheirHashesStayOutOfLogsAndErrors() throws Exception {
        List<String> secrets = new ArrayList<>(List.of(TestServer.TOKEN));
        List<TestServer.Response> answers = new ArrayList<>();

        String reader = server.createToken("{\"name\":\"reader\",\"scopes\":[\"read\"]}");
        String ingest = server.createToken("{\"name\":\"desktop\",\"scopes\":[\"ingest\"],\"projects\":[\"p1\"]}");
        secrets.add(reader);
        secrets.add(ingest);
        String wrong = "sbs_" + "Z".repeat(43);
        secrets.add(wrong);

        answers.add(server.call(reader, "GET", "/api/v1/prompt-history", null));
        answers.add(server.call(reader, "POST", "/api/v1/prompt-history", "{\"type\":\"x\"}"));
        answers.add(server.call(ingest, "POST", "/api/v1/prompt-history", "{\"type\":\"x\"}"));
        answers.add(server.call(ingest, "POST", "/api/v1/prompt-history", "{\"type\":\"x\",\"projectId\":\"p2\"}"));
        answers.add(server.call(ingest, "GET", "/api/v1/prompt-history", null));
        answers.add(server.call(wrong, "GET", "/api/v1/prompt-history", null));
        answers.add(server.call(reader, "GET", "/api/v1/prompt-history?access_token=" + reader, null));
        answers.add(server.send(server.anonymous("/api/v1/me").header("Authorization", "Basic " + reader).build()));
        answers.add(server.send(server.anonymous("/api/v1/me").header("Authorization", "Bearer " + wrong + " extra").build()));
        answers.add(server.call(TestServer.TOKEN, "POST", "/api/v1/tokens", "{\"name\":\"" + reader + "x\",\"scopes\":[\"nope\"]}"));
        String readerId = server.call(reader, "GET", "/api/v1/me", null).json().get("id").asText();
        answers.add(server.call(TestServer.TOKEN, "DELETE", "/api/v1/tokens/" + readerId, null));
        answers.add(server.call(reader, "GET", "/api/v1/me", null));
        answers.add(server.call(TestServer.TOKEN, "GET", "/api/v1/audit", null));
        answers.add(server.call(TestServer.TOKEN, "GET", "/api/v1/tokens", null));
        // Webhook signing secrets: generated, given, rotated, and refused when too short.
        TestServer.Response hook = server.call(TestServer.TOKEN, "POST", "/api/v1/webhooks", "{\"url\":\"http://127.0.0.1:9/x\"}");
        secrets.add(hook.json().get("secret").asText());
        String hookPath = "/api/v1/webhooks/" + hook.json().get("id").asText();
        secrets.add("whsec_rotated-and-not-logged-0123");
        answers.add(server.call(TestServer.TOKEN, "PATCH", hookPath, "{\"secret\":\"whsec_rotated-and-not-logged-0123\"}"));
        secrets.add("short-secret");
        answers.add(server.call(TestServer.TOKEN, "POST", "/api/v1/webhooks", "{\"url\":\"http://127.0.0.1:9/x\",\"secret\":\"short-secret\"}"));
        answers.add(server.call(TestServer.TOKEN, "GET", "/api/v1/webhooks", null));
        assertThat(answers.subList(answers.size() - 3, answers.size())).allSatisfy(r -> {
            for (String secret : secrets) assertThat(r.body()).doesNotContain(secret);
        });

        List<String> hashes = server.jdbi().withHandle(h -> h.createQuery("select token_hash from api_token")
                .mapTo(String.class).list());
        assertThat(hashes).isNotEmpty();
        secrets.addAll(hashes);
        secrets.add(Tokens.hashHex(TestServer.TOKEN));
        secrets.add(Tokens.hashHex(wrong));

        server.close();
        server = null;
        Logging.configure(Config.LogFormat.TEXT, Optional.empty()); // stops the appenders: everything is flushed
        String log = Files.readString(logFile, StandardCharsets.UTF_8);
        assertThat(log).as("the log file captured the requests").contains("POST /api/v1/tokens 201")
                .contains("GET /api/v1/prompt-history 403").contains("DELETE /api/v1/tokens/" + readerId + " 204");
        for (String secret : secrets) {
            assertThat(log).as("log holds a secret").doesNotContain(secret);
            for (TestServer.Response r : answers) {
                if (r.status() >= 400) assertThat(r.body()).as("error body holds a secret").doesNotContain(secret);
            }
        }
        assertThat(answers).extracting(TestServer.Response::status).contains(401, 403, 404, 400);
    }
}
