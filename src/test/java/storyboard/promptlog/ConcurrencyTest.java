package storyboard.promptlog;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import storyboard.support.TestServer;

class ConcurrencyTest {
    private final TestServer server = TestServer.shared();

    @Test
    void twoHundredConcurrentPostsAreAllAcknowledgedAndAllPresent() throws Exception {
        String user = "conc-" + UUID.randomUUID();
        ExecutorService pool = Executors.newFixedThreadPool(200);
        try {
            List<Future<TestServer.Response>> futures = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                int n = i;
                futures.add(pool.submit(() -> server.postJson("/api/v1/prompt-history",
                        "{\"type\":\"shots\",\"user\":\"" + user + "\",\"tokens\":" + n + "}")));
            }
            Set<String> ids = new HashSet<>();
            for (Future<TestServer.Response> f : futures) {
                TestServer.Response r = f.get();
                assertThat(r.status()).as(r.toString()).isEqualTo(201);
                ids.add(r.json().get("id").asText());
            }
            assertThat(ids).hasSize(200);
            List<String> stored = server.jdbi().withHandle(h -> h.createQuery(
                    "select id::text from prompt_log where user_name = :u").bind("u", user).mapTo(String.class).list());
            assertThat(stored).containsExactlyInAnyOrderElementsOf(ids);
            long tokenSum = server.jdbi().withHandle(h -> h.createQuery(
                    "select sum(tokens) from prompt_log where user_name = :u").bind("u", user).mapTo(Long.class).one());
            assertThat(tokenSum).isEqualTo(199 * 200 / 2);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aCursorWalkUnderConcurrentInsertsReturnsEveryExistingRowExactlyOnce() throws Exception {
        String user = "walk-" + UUID.randomUUID();
        StringBuilder items = new StringBuilder("{\"items\":[");
        for (int i = 0; i < 300; i++) {
            if (i > 0) items.append(',');
            items.append("{\"type\":\"shots\",\"user\":\"").append(user).append("\"}");
        }
        JsonNode seeded = server.postJson("/api/v1/prompt-history/batch", items.append("]}").toString()).json();
        Set<String> existing = new HashSet<>();
        seeded.get("results").forEach(r -> existing.add(r.get("id").asText()));
        assertThat(existing).hasSize(300);

        AtomicBoolean walking = new AtomicBoolean(true);
        ExecutorService writers = Executors.newFixedThreadPool(4);
        List<Future<Integer>> inserted = new ArrayList<>();
        for (int w = 0; w < 4; w++) {
            inserted.add(writers.submit(() -> {
                int n = 0;
                while (walking.get()) {
                    assertThat(server.postJson("/api/v1/prompt-history",
                            "{\"type\":\"shots\",\"user\":\"" + user + "\"}").status()).isEqualTo(201);
                    n++;
                }
                return n;
            }));
        }
        try {
            List<String> walked = new ArrayList<>();
            String cursor = null;
            do {
                JsonNode page = server.get("/api/v1/prompt-history?user=" + user + "&limit=25"
                        + (cursor == null ? "" : "&cursor=" + cursor)).json();
                page.get("items").forEach(i -> walked.add(i.get("id").asText()));
                cursor = page.get("next_cursor").isNull() ? null : page.get("next_cursor").asText();
                Thread.sleep(5);
            } while (cursor != null);
            walking.set(false);
            int added = 0;
            for (Future<Integer> f : inserted) added += f.get();
            assertThat(added).isPositive();
            assertThat(walked).doesNotHaveDuplicates();
            assertThat(walked).containsAll(existing);
        } finally {
            walking.set(false);
            writers.shutdownNow();
        }
    }
}
