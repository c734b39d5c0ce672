package storyboard.promptlog;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.StringReader;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import storyboard.kernel.Json;
import storyboard.support.TestServer;

/** Filters, pagination, stats and export over a known set of logs (marked by a project of their own). */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReadTest {
    private final TestServer server = TestServer.shared();
    private final String project = "read-" + UUID.randomUUID();
    private final List<String> ids = new ArrayList<>();

    @BeforeAll
    void seed() {
        ArrayNode items = Json.MAPPER.createArrayNode();
        for (int i = 0; i < 30; i++) {
            ObjectNode log = Json.MAPPER.createObjectNode()
                    .put("type", i % 3 == 0 ? "acts" : "shots")
                    .put("category", "Text")
                    .put("user", i % 2 == 0 ? "mara" : "theo")
                    .put("llm", i % 5 == 0 ? "gpt-4o" : "llama")
                    .put("timestamp", String.format("2025-09-%02dT10:%02d:00Z", 10 + i % 5, i))
                    .put("prompt", i == 7 ? "A harbor at dawn, the fisherman's argument" : "Scene number " + i)
                    .put("response", i == 8 ? "The KITCHEN scene breaks into three shots" : "ok")
                    .put("tokens", i * 10)
                    .put("cost", i / 100.0);
            ObjectNode context = log.putObject("context").put("processing_time", 100 + i)
                    .put("sceneName", "SCENE_00" + (i % 4));
            if (i % 2 == 0) log.put("projectId", project);
            else context.put("projectId", project);
            items.add(log);
        }
        JsonNode r = server.postJson("/api/v1/prompt-history/batch",
                Json.MAPPER.createObjectNode().set("items", items).toString()).json();
        assertThat(r.get("created").asInt()).as(r.toString()).isEqualTo(30);
        r.get("results").forEach(x -> ids.add(x.get("id").asText()));
    }

    @Test
    void projectMatchesProjectIdAndContextProjectId() {
        assertThat(list("project=" + project + "&limit=500").get("items")).hasSize(30);
    }

    @Test
    void filtersNarrowTheList() {
        assertThat(list("project=" + project + "&type=acts&limit=500").get("items")).hasSize(10);
        assertThat(list("project=" + project + "&user=mara&limit=500").get("items")).hasSize(15);
        assertThat(list("project=" + project + "&llm=gpt-4o&limit=500").get("items")).hasSize(6);
        assertThat(list("project=" + project + "&category=Text&limit=500").get("items")).hasSize(30);
        assertThat(list("project=" + project + "&scene=SCENE_001&limit=500").get("items")).hasSize(8);
        assertThat(list("project=" + project + "&min_cost=0.25&limit=500").get("items")).hasSize(5);
        assertThat(list("project=" + project + "&from=2025-09-11&to=2025-09-12&limit=500").get("items")).hasSize(6);
        assertThat(list("project=" + project + "&from=2025-09-11T10:00:00Z&limit=500").get("items")).hasSize(24);
    }

    @Test
    void fullTextFindsWordsPrefixesAndSubstrings() {
        assertThat(texts("harbor")).containsExactly(ids.get(7));
        assertThat(texts("fisher")).containsExactly(ids.get(7));     // a word's beginning
        assertThat(texts("kitchen")).containsExactly(ids.get(8));    // case-insensitive, in the response
        assertThat(texts("rgumen")).containsExactly(ids.get(7));     // inside a word: trigram
        assertThat(texts("dawn harb")).containsExactly(ids.get(7));  // all words, any order
        assertThat(texts("nothing-like-this")).isEmpty();
        assertThat(texts("100%")).isEmpty();
        assertThat(texts("%%")).isEmpty();
        assertThat(texts("o'brien \\ & | ! :*")).isEmpty();
    }

    @Test
    void newestFirstAndTheCursorWalkReturnsEachRowOnce() {
        List<String> walked = new ArrayList<>();
        String cursor = null;
        List<String> times = new ArrayList<>();
        do {
            JsonNode page = list("project=" + project + "&limit=7" + (cursor == null ? "" : "&cursor=" + cursor));
            page.get("items").forEach(i -> {
                walked.add(i.get("id").asText());
                times.add(i.get("timestamp").asText());
            });
            cursor = page.get("next_cursor").isNull() ? null : page.get("next_cursor").asText();
        } while (cursor != null);
        assertThat(walked).hasSize(30).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(ids);
        assertThat(times).isSortedAccordingTo(java.util.Comparator.reverseOrder());
    }

    @Test
    void aSearchWithManyMatchesWalksEveryMatchOnceNewestFirst() {
        String word = "zq" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        StringBuilder items = new StringBuilder("{\"items\":[");
        for (int i = 0; i < 1000; i++) {
            if (i > 0) items.append(',');
            items.append(String.format("{\"type\":\"shots\",\"prompt\":\"%s number %d\",\"timestamp\":\"2025-10-%02dT%02d:%02d:00Z\"}",
                    word, i, 1 + i % 28, i % 24, i % 60));
        }
        for (int batch = 0; batch < 2; batch++) {
            assertThat(server.postJson("/api/v1/prompt-history/batch", items + "]}").json().get("created").asInt()).isEqualTo(1000);
        }
        // without statistics the word counts as rare (full-text index first); after ANALYZE as common (time walk)
        walkSearch(word.substring(0, 8), 2000);
        server.jdbi().useHandle(h -> h.execute("analyze prompt_log"));
        walkSearch(word.substring(0, 8), 2000);
        walkSearch(word, 2000);
    }

    private void walkSearch(String q, int expected) {
        List<String> walked = new ArrayList<>();
        List<String> times = new ArrayList<>();
        String cursor = null;
        do {
            JsonNode page = list("q=" + q + "&limit=300" + (cursor == null ? "" : "&cursor=" + cursor));
            page.get("items").forEach(i -> {
                walked.add(i.get("id").asText());
                times.add(i.get("timestamp").asText());
            });
            cursor = page.get("next_cursor").isNull() ? null : page.get("next_cursor").asText();
        } while (cursor != null);
        assertThat(walked).hasSize(expected).doesNotHaveDuplicates();
        assertThat(times).isSortedAccordingTo(java.util.Comparator.reverseOrder());
    }

    @Test
    void badQueryParametersAre400() {
        assertThat(error("limit=0")).isEqualTo("limit");
        assertThat(error("limit=501")).isEqualTo("limit");
        assertThat(error("limit=ten")).isEqualTo("limit");
        assertThat(error("cursor=garbage")).isEqualTo("cursor");
        assertThat(error("from=yesterday")).isEqualTo("from");
        assertThat(error("min_cost=cheap")).isEqualTo("min_cost");
        assertThat(error("projet=x")).isEqualTo("projet");
        assertThat(error("from=2025-09-12&to=2025-09-11")).isEqualTo("from");
        TestServer.Response stats = server.get("/api/v1/prompt-history/stats?group_by=colour");
        assertThat(stats.status()).isEqualTo(400);
        assertThat(stats.json().get("field").asText()).isEqualTo("group_by");
        assertThat(server.get("/api/v1/prompt-history/export?format=xml").status()).isEqualTo(400);
        assertThat(server.get("/api/v1/prompt-history/not-a-uuid").status()).isEqualTo(400);
        assertThat(server.get("/api/v1/prompt-history/" + UUID.randomUUID()).status()).isEqualTo(404);
    }

    @Test
    void statsEqualADirectCount() {
        for (String group : new String[] {"type", "category", "llm", "user", "project", "scene", "day", "hour"}) {
            JsonNode stats = server.get("/api/v1/prompt-history/stats?project=" + project + "&group_by=" + group).json();
            assertThat(stats.get("totals").get("count").asLong()).isEqualTo(30);
            assertThat(stats.get("totals").get("tokens").asLong()).isEqualTo(4350);
            assertThat(stats.get("totals").get("cost").decimalValue()).isEqualByComparingTo("4.35");
            assertThat(stats.get("totals").get("avg_processing_time").asDouble()).isEqualTo(114.5);
            String expr = PromptLogStore.GROUPS.get(group);
            Map<String, long[]> direct = new HashMap<>();
            String keyText = group.equals("day") ? "to_char(" + expr + ", 'YYYY-MM-DD')"
                    : group.equals("hour") ? "to_char(" + expr + ", 'YYYY-MM-DD\"T\"HH24:00:00\"Z\"')" : expr;
            server.jdbi().useHandle(h -> h.createQuery("select " + keyText + " as k, count(*) as n, sum(tokens) as t"
                            + " from prompt_log where project = :p group by 1")
                    .bind("p", project).map((rs, c) -> direct.put(rs.getString("k"),
                            new long[] {rs.getLong("n"), rs.getLong("t")})).list());
            assertThat(stats.get("groups")).hasSize(direct.size());
            for (JsonNode g : stats.get("groups")) {
                long[] expected = direct.get(g.get("key").isNull() ? null : g.get("key").asText());
                assertThat(expected).as(group + " " + g).isNotNull();
                assertThat(g.get("count").asLong()).isEqualTo(expected[0]);
                assertThat(g.get("tokens").asLong()).isEqualTo(expected[1]);
            }
        }
        JsonNode byDay = server.get("/api/v1/prompt-history/stats?project=" + project + "&group_by=day").json();
        assertThat(byDay.get("groups").get(0).get("key").asText()).isEqualTo("2025-09-10");
    }

    @Test
    void exportRoundTripsAsJsonLinesAndCsv() throws Exception {
        TestServer.Response jsonl = server.get("/api/v1/prompt-history/export?format=jsonl&project=" + project);
        assertThat(jsonl.status()).isEqualTo(200);
        assertThat(jsonl.header("Content-Disposition")).contains("attachment");
        String[] lines = jsonl.body().split("\n");
        assertThat(lines).hasSize(30);
        for (String line : lines) {
            JsonNode exported = Json.MAPPER.readTree(line);
            JsonNode stored = server.get("/api/v1/prompt-history/" + exported.get("id").asText()).json();
            assertThat(exported).isEqualTo(stored);
        }

        TestServer.Response csv = server.get("/api/v1/prompt-history/export?format=csv&type=acts&project=" + project);
        assertThat(csv.header("Content-Type")).startsWith("text/csv");
        List<CSVRecord> records = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get()
                .parse(new StringReader(csv.body())).getRecords();
        assertThat(records).hasSize(10);
        for (CSVRecord rec : records) {
            JsonNode stored = server.get("/api/v1/prompt-history/" + rec.get("id")).json();
            assertThat(rec.get("type")).isEqualTo("acts");
            assertThat(rec.get("prompt")).isEqualTo(stored.get("prompt").asText());
            assertThat(Long.parseLong(rec.get("tokens"))).isEqualTo(stored.get("tokens").asLong());
            assertThat(Json.MAPPER.readTree(rec.get("context"))).isEqualTo(stored.get("context"));
        }
    }

    @Test
    void deleteRemovesALog() {
        String id = server.postJson("/api/v1/prompt-history", "{\"type\":\"console\"}").json().get("id").asText();
        assertThat(server.delete("/api/v1/prompt-history/" + id).status()).isEqualTo(204);
        assertThat(server.get("/api/v1/prompt-history/" + id).status()).isEqualTo(404);
        assertThat(server.delete("/api/v1/prompt-history/" + id).status()).isEqualTo(404);
    }

    private JsonNode list(String query) {
        TestServer.Response r = server.get("/api/v1/prompt-history?" + query);
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return r.json();
    }

    private List<String> texts(String q) {
        List<String> out = new ArrayList<>();
        list("project=" + project + "&q=" + URLEncoder.encode(q, StandardCharsets.UTF_8))
                .get("items").forEach(i -> out.add(i.get("id").asText()));
        return out;
    }

    private String error(String query) {
        TestServer.Response r = server.get("/api/v1/prompt-history?" + query);
        assertThat(r.status()).as(query + " -> " + r).isEqualTo(400);
        return r.json().get("field").asText();
    }
}
