package storyboard.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import storyboard.server.DatabaseUrl;
import storyboard.support.ServerProcess;
import storyboard.support.SseReader;
import storyboard.support.TestDatabase;
import storyboard.support.TestServer;

/** The event log: every change in order, replay without gaps or duplicates, and live Server-Sent Events. */
class EventLogTest {
    private static DatabaseUrl db;
    private static TestServer server;
    private static final String ADMIN = TestServer.TOKEN;

    @BeforeAll
    static void start() {
        db = TestDatabase.get().newDatabase();
        server = TestServer.start(db, Map.of("RATE_LIMIT", "0", "RATE_LIMIT_INGEST", "0"));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static long head() {
        JsonNode page = server.call(ADMIN, "GET", "/api/v1/events?after=0&limit=1000", null).json();
        long after = page.get("next_after").asLong();
        while (page.get("items").size() == 1000) {
            page = server.call(ADMIN, "GET", "/api/v1/events?after=" + after + "&limit=1000", null).json();
            after = page.get("next_after").asLong();
        }
        return after;
    }

    @Test
    void everyChangeAppendsItsEventInOrder() {
        long before = head();
        JsonNode token = server.call(ADMIN, "POST", "/api/v1/tokens", "{\"name\":\"ev\",\"scopes\":[\"read\"]}").json();
        String logId = server.postJson("/api/v1/prompt-history", "{\"type\":\"shots\",\"projectId\":\"ev-film\",\"prompt\":\"secret words\"}")
                .json().get("id").asText();
        assertThat(server.delete("/api/v1/prompt-history/" + logId).status()).isEqualTo(204);
        assertThat(server.call(ADMIN, "DELETE", "/api/v1/tokens/" + token.get("id").asText(), null).status()).isEqualTo(204);

        JsonNode page = server.call(ADMIN, "GET", "/api/v1/events?after=" + before, null).json();
        JsonNode items = page.get("items");
        assertThat(items).extracting(e -> e.get("type").asText())
                .containsExactly("token.created", "prompt_log.created", "prompt_log.deleted", "token.revoked");
        assertThat(items.get(0).get("subject_id").asText()).isEqualTo(token.get("id").asText());
        assertThat(items.get(1).get("subject_id").asText()).isEqualTo(logId);
        assertThat(items.get(1).get("project").asText()).isEqualTo("ev-film");
        assertThat(items.get(1).get("payload").get("ids").get(0).asText()).isEqualTo(logId);
        assertThat(items.get(1).get("actor").get("type").asText()).isEqualTo("auth_token");
        assertThat(items.toString()).doesNotContain("secret words");
        long previous = before;
        for (JsonNode e : items) {
            assertThat(e.get("seq").asLong()).isGreaterThan(previous);
            previous = e.get("seq").asLong();
        }
        assertThat(page.get("next_after").asLong()).isEqualTo(previous);

        // Replay from a cursor returns exactly what came after it.
        long middle = items.get(1).get("seq").asLong();
        JsonNode rest = server.call(ADMIN, "GET", "/api/v1/events?after=" + middle, null).json().get("items");
        assertThat(rest).extracting(e -> e.get("type").asText()).containsExactly("prompt_log.deleted", "token.revoked");
        JsonNode filtered = server.call(ADMIN, "GET", "/api/v1/events?after=" + before + "&types=token.*", null).json().get("items");
        assertThat(filtered).extracting(e -> e.get("type").asText()).containsExactly("token.created", "token.revoked");
        JsonNode byProject = server.call(ADMIN, "GET", "/api/v1/events?after=" + before + "&project=ev-film", null).json().get("items");
        assertThat(byProject).extracting(e -> e.get("type").asText()).containsExactly("prompt_log.created", "prompt_log.deleted");
    }

    @Test
    void aReaderPollingDuringConcurrentWritesSeesEveryEventExactlyOnce() throws Exception {
        long start = head();
        AtomicBoolean writing = new AtomicBoolean(true);
        ExecutorService pool = Executors.newFixedThreadPool(16);
        List<Future<?>> writers = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            int w = i;
            writers.add(pool.submit(() -> {
                for (int j = 0; j < 25; j++) {
                    if (j % 5 == 0) {
                        server.call(ADMIN, "POST", "/api/v1/tokens", "{\"name\":\"w" + w + "\",\"scopes\":[\"read\"]}");
                    } else {
                        server.postJson("/api/v1/prompt-history", "{\"type\":\"race\",\"projectId\":\"race-" + w + "\"}");
                    }
                }
                return null;
            }));
        }
        List<Long> seen = new ArrayList<>();
        long cursor = start;
        Thread finisher = new Thread(() -> {
            try {
                for (Future<?> f : writers) f.get();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            } finally {
                writing.set(false);
            }
        });
        finisher.start();
        while (true) {
            boolean last = !writing.get();
            JsonNode page = server.call(ADMIN, "GET", "/api/v1/events?limit=1000&after=" + cursor, null).json();
            for (JsonNode e : page.get("items")) seen.add(e.get("seq").asLong());
            cursor = page.get("next_after").asLong();
            if (last && page.get("items").isEmpty()) break;
        }
        pool.shutdown();
        // Everything the poller saw, in order, equals the log as it is now: nothing skipped, nothing twice.
        List<Long> all = new ArrayList<>();
        server.jdbi().useHandle(h -> all.addAll(h.createQuery("select seq from event where seq > :s order by seq")
                .bind("s", start).mapTo(Long.class).list()));
        assertThat(seen).isEqualTo(all);
        assertThat(all).hasSizeGreaterThanOrEqualTo(16 * 25);
    }

    @Test
    void aProjectTokenSeesOnlyItsProjectsEventsAndNoneAboutCredentials() {
        long before = head();
        String reader = server.createToken("{\"name\":\"proj reader\",\"scopes\":[\"read\"],\"projects\":[\"vis-a\"]}");
        String plain = server.createToken("{\"name\":\"plain reader\",\"scopes\":[\"read\"]}");
        server.postJson("/api/v1/prompt-history", "{\"type\":\"x\",\"projectId\":\"vis-a\"}");
        server.postJson("/api/v1/prompt-history", "{\"type\":\"x\",\"projectId\":\"vis-b\"}");
        JsonNode mine = server.call(reader, "GET", "/api/v1/events?after=" + before, null).json().get("items");
        assertThat(mine).extracting(e -> e.get("project").asText()).containsExactly("vis-a");
        assertThat(server.call(reader, "GET", "/api/v1/events?project=vis-b", null).status()).isEqualTo(404);
        JsonNode all = server.call(plain, "GET", "/api/v1/events?after=" + before, null).json().get("items");
        assertThat(all).extracting(e -> e.get("type").asText()).containsExactly("prompt_log.created", "prompt_log.created");
        assertThat(server.call(ADMIN, "GET", "/api/v1/events?after=" + before, null).json().get("items")).hasSize(4);
        assertThat(server.call(ADMIN, "GET", "/api/v1/events?after=-1", null).status()).isEqualTo(400);
        assertThat(server.call(ADMIN, "GET", "/api/v1/events?types=DROP%20TABLE", null).status()).isEqualTo(400);
    }

    @Test
    void twoServerProcessesOnOneDatabaseBothStreamEveryEvent() throws Exception {
        try (ServerProcess other = ServerProcess.start(db);
             SseReader here = new SseReader(server.baseUrl() + "/api/v1/events/stream?types=prompt_log.created", ADMIN, null);
             SseReader there = new SseReader(other.baseUrl() + "/api/v1/events/stream?types=prompt_log.created", ADMIN, null)) {
            assertThat(other.pid()).isNotEqualTo(ProcessHandle.current().pid());
            java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                String base = i % 2 == 0 ? server.baseUrl() : other.baseUrl();
                var r = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "/api/v1/prompt-history"))
                        .header("Authorization", "Bearer " + ADMIN).header("Content-Type", "application/json")
                        .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"type\":\"two-processes\"}")).build(),
                        java.net.http.HttpResponse.BodyHandlers.ofString());
                assertThat(r.statusCode()).isEqualTo(201);
                ids.add(storyboard.kernel.Json.MAPPER.readTree(r.body()).get("id").asText());
            }
            List<SseReader.Event> fromHere = here.take(6, Duration.ofSeconds(10));
            List<SseReader.Event> fromThere = there.take(6, Duration.ofSeconds(10));
            assertThat(fromHere).extracting(e -> e.data().get("subject_id").asText()).containsExactlyElementsOf(ids);
            assertThat(fromThere).extracting(SseReader.Event::id)
                    .containsExactlyElementsOf(fromHere.stream().map(SseReader.Event::id).toList());
        }
    }

    @Test
    void userChangesAppendTheirEventsInOrder() {
        long before = head();
        String id = server.call(ADMIN, "POST", "/api/v1/users",
                "{\"username\":\"ev-user\",\"password\":\"a long enough passphrase\",\"role\":\"viewer\"}").json().get("id").asText();
        assertThat(server.call(ADMIN, "PATCH", "/api/v1/users/" + id, "{\"role\":\"editor\"}").status()).isEqualTo(200);
        assertThat(server.call(ADMIN, "PATCH", "/api/v1/users/" + id, "{\"disabled\":true}").status()).isEqualTo(200);
        assertThat(server.call(ADMIN, "DELETE", "/api/v1/users/" + id, null).status()).isEqualTo(204);
        JsonNode items = server.call(ADMIN, "GET", "/api/v1/events?types=user.*&after=" + before, null).json().get("items");
        assertThat(items).extracting(e -> e.get("type").asText())
                .containsExactly("user.created", "user.updated", "user.disabled", "user.deleted");
        assertThat(items).allSatisfy(e -> assertThat(e.get("subject_id").asText()).isEqualTo(id));
        assertThat(items.toString()).doesNotContain("a long enough passphrase");
    }

    @Test
    void theStreamDeliversLiveAndResumesFromLastEventIdAcrossARestartOnTwoServers() throws Exception {
        TestServer second = TestServer.start(db, Map.of("RATE_LIMIT", "0"));
        try (SseReader one = new SseReader(server.baseUrl() + "/api/v1/events/stream?types=prompt_log.created", ADMIN, null);
             SseReader two = new SseReader(second.baseUrl() + "/api/v1/events/stream?types=prompt_log.created", ADMIN, null)) {
            assertThat(one.status()).isEqualTo(200);
            assertThat(one.header("Content-Type")).startsWith("text/event-stream");
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                TestServer writer = i % 2 == 0 ? server : second;
                ids.add(writer.postJson("/api/v1/prompt-history", "{\"type\":\"live\"}").json().get("id").asText());
            }
            List<SseReader.Event> fromOne = one.take(5, Duration.ofSeconds(10));
            List<SseReader.Event> fromTwo = two.take(5, Duration.ofSeconds(10));
            assertThat(fromOne).extracting(e -> e.data().get("subject_id").asText()).containsExactlyElementsOf(ids);
            assertThat(fromTwo).extracting(SseReader.Event::id).containsExactlyElementsOf(
                    fromOne.stream().map(SseReader.Event::id).toList());
            assertThat(fromOne).allSatisfy(e -> assertThat(e.type()).isEqualTo("prompt_log.created"));

            // The second server stops; events go on; a client resuming from its last id gets exactly the rest.
            long lastSeen = fromTwo.get(2).id();
            second.close();
            List<String> more = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                more.add(server.postJson("/api/v1/prompt-history", "{\"type\":\"after-restart\"}").json().get("id").asText());
            }
            TestServer restarted = TestServer.start(db, Map.of());
            try (SseReader resumed = new SseReader(restarted.baseUrl() + "/api/v1/events/stream?types=prompt_log.created",
                    ADMIN, String.valueOf(lastSeen))) {
                List<SseReader.Event> got = resumed.take(5, Duration.ofSeconds(10));
                List<String> expected = new ArrayList<>(ids.subList(3, 5));
                expected.addAll(more);
                assertThat(got).extracting(e -> e.data().get("subject_id").asText()).containsExactlyElementsOf(expected);
                assertThat(resumed.drain(Duration.ofMillis(300))).isEmpty();
            } finally {
                restarted.close();
            }
        } finally {
            second.close();
        }
    }
}
