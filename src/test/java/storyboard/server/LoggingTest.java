package storyboard.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import storyboard.support.TestDatabase;
import storyboard.support.TestLogging;
import storyboard.support.TestServer;

/** The production logging set-up: batched writing loses no line, and lines carry their request's id. */
class LoggingTest {
    @TempDir
    Path dir;

    @AfterEach
    void restore() {
        TestLogging.restoreDefault();
    }

    @Test
    void everyLineFromManyThreadsIsWrittenInOrderWithItsThreadsContext() throws Exception {
        Path file = dir.resolve("logs/many.log"); // the directory is created
        Logging.configure(Config.LogFormat.TEXT, Optional.of(file));
        Logger log = LoggerFactory.getLogger("storyboard.test");
        int threads = 8;
        int lines = 5000;
        List<Thread> started = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int id = t;
            Thread thread = new Thread(() -> {
                MDC.put("requestId", "req-" + id);
                for (int i = 0; i < lines; i++) log.info("line {} {}", id, i);
                MDC.remove("requestId");
            });
            thread.start();
            started.add(thread);
        }
        for (Thread t : started) t.join();
        Logging.configure(Config.LogFormat.TEXT, Optional.empty()); // stops the appenders: everything is written

        List<String> written = Files.readAllLines(file, StandardCharsets.UTF_8);
        assertThat(written).hasSize(threads * lines);
        int[] next = new int[threads];
        for (String line : written) {
            String[] words = line.split(" ");
            int id = Integer.parseInt(words[words.length - 2]);
            assertThat(line).contains("[req-" + id + "]");
            assertThat(Integer.parseInt(words[words.length - 1])).isEqualTo(next[id]++);
        }
    }

    @Test
    void aStoredLogsLinesCarryTheRequestId() throws Exception {
        Path file = dir.resolve("server.log");
        Logging.configure(Config.LogFormat.TEXT, Optional.of(file));
        try (TestServer server = TestServer.start(TestDatabase.get().newDatabase(), Map.of())) {
            HttpRequest post = server.request("/api/v1/prompt-history")
                    .header("Content-Type", "application/json")
                    .header("X-Request-Id", "trace-4711")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"type\":\"shots\",\"tokens\":12}")).build();
            assertThat(server.send(post).status()).isEqualTo(201);
        }
        Logging.configure(Config.LogFormat.TEXT, Optional.empty());

        String log = Files.readString(file, StandardCharsets.UTF_8);
        assertThat(log).containsPattern("\\[trace-4711\\] promptlog - Logged prompt: type=shots, tokens=12")
                .containsPattern("\\[trace-4711\\] requests - POST /api/v1/prompt-history 201 \\d+ms");
    }
}
