package storyboard.prompts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import storyboard.kernel.Json;
import storyboard.support.Contract;
import storyboard.support.TestDatabase;
import storyboard.support.TestServer;

/**
 * The registry's usage figures per version against the prompt logs: the app's real payload, with
 * {@code promptName}/{@code promptVersion} at the top level or in {@code context}, in every form a client may
 * send them. The figures must equal what was sent, a direct SQL count over prompt history, and the logs their
 * link lists.
 */
class PromptUsageTest {
    private static final String ADMIN = TestServer.TOKEN;
    private static final String PROMPT = "breakdown/shots";
    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start(TestDatabase.get().newDatabase(), Map.of("RATE_LIMIT", "0", "RATE_LIMIT_INGEST", "0"));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** What one version should show, added up from the logs as they were sent. */
    private static final class Expected {
        long count;
        long tokens;
        BigDecimal cost = BigDecimal.ZERO;
        double processingSum;
        int processingCount;
        Instant last;

        void add(long t, BigDecimal c, Double processing, Instant at) {
            count++;
            tokens += t;
            cost = cost.add(c);
            if (processing != null) {
                processingSum += processing;
                processingCount++;
            }
            if (last == null || at.isAfter(last)) last = at;
        }
    }

    @Test
    void usagePerVersionEqualsWhatTheLogsSaidAndADirectCount() throws Exception {
        for (int v = 1; v <= 3; v++) {
            assertThat(server.call(ADMIN, "POST", "/api/v1/prompts/" + PROMPT + "/versions",
                    "{\"template\":\"Break it into shots, take " + v + "\"}").status()).isEqualTo(201);
        }
        ObjectNode base = (ObjectNode) Json.MAPPER.readTree(Contract.promptLog("v3_shots.json"));
        Random random = new Random(42);
        Map<Integer, Expected> byVersion = new HashMap<>();   // key 0: no usable version
        Map<Integer, Expected> projectA = new HashMap<>();
        ArrayNode items = Json.MAPPER.createArrayNode();
        Instant start = Instant.parse("2026-03-01T00:00:00Z");
        for (int i = 0; i < 240; i++) {
            ObjectNode log = base.deepCopy();
            ObjectNode context = (ObjectNode) log.get("context");
            Instant at = start.plusSeconds(60L * i);
            log.put("timestamp", at.toString());
            long tokens = random.nextInt(5000);
            BigDecimal cost = BigDecimal.valueOf(random.nextInt(100000), 5);
            log.put("tokens", tokens);
            log.put("cost", cost);
            Double processing = random.nextBoolean() ? (double) random.nextInt(20000) / 4 : null;
            if (processing != null) context.put("processing_time", processing);
            String project = random.nextBoolean() ? "usage-a" : "usage-b";
            log.put("projectId", project);

            // Where the name is, and which one.
            int where = random.nextInt(5);
            boolean named = where < 4;
            ObjectNode holder = where % 2 == 0 ? log : context;
            if (where == 0) holder.put("promptName", PROMPT);
            else if (where == 1) holder.put("promptName", PROMPT);
            else if (where == 2) {   // top level wins over context
                log.put("promptName", PROMPT);
                context.put("promptName", "breakdown/other");
            } else if (where == 3) {
                context.put("promptName", PROMPT);
                holder = random.nextBoolean() ? log : context;
            } else {
                log.put("promptName", random.nextBoolean() ? "breakdown/other" : "breakdown/shots-extra");
            }
            // Which version, in which form.
            int form = random.nextInt(6);
            int version = switch (form) {
                case 0 -> { holder.put("promptVersion", 1); yield 1; }
                case 1 -> { holder.put("promptVersion", "2"); yield 2; }
                case 2 -> { holder.put("promptVersion", " 3 "); yield 3; }
                case 3 -> { holder.put("promptVersion", 9); yield 9; }       // the registry has no version 9
                case 4 -> { holder.put("promptVersion", "draft"); yield 0; }  // not a number: unversioned
                default -> 0;                                                // none
            };
            if (named) {
                byVersion.computeIfAbsent(version, k -> new Expected()).add(tokens, cost, processing, at);
                if (project.equals("usage-a")) {
                    projectA.computeIfAbsent(version, k -> new Expected()).add(tokens, cost, processing, at);
                }
            }
            items.add(log);
        }
        TestServer.Response posted = server.call(ADMIN, "POST", "/api/v1/prompt-history/batch",
                Json.MAPPER.writeValueAsString(Json.MAPPER.createObjectNode().set("items", items)));
        assertThat(posted.status()).as(posted.body()).isEqualTo(200);
        assertThat(posted.json().get("created").asInt()).isEqualTo(240);

        JsonNode usage = usage(ADMIN, "");
        assertMatches(usage, byVersion);
        // Registry versions 3, 2, 1 (unused ones would show 0) after the logs' unknown 9, newest first.
        assertThat(usage.get("versions")).extracting(v -> v.get("version").asInt()).containsExactly(9, 3, 2, 1);
        assertThat(usage.get("versions").get(0).get("in_registry").asBoolean()).isFalse();
        assertThat(usage.get("versions").get(1).get("in_registry").asBoolean()).isTrue();
        assertThat(usage.get("total_count").asLong())
                .isEqualTo(byVersion.values().stream().mapToLong(e -> e.count).sum());

        // A direct count over prompt history, reading the JSON itself.
        for (int version : List.of(1, 2, 3, 9)) {
            long direct = server.jdbi().withHandle(h -> h.createQuery("""
                            select count(*) from prompt_log
                             where coalesce(extra ->> 'promptName', context ->> 'promptName') = :name
                               and trim(coalesce(extra ->> 'promptVersion', context ->> 'promptVersion')) = :version""")
                    .bind("name", PROMPT).bind("version", String.valueOf(version)).mapTo(Long.class).one());
            assertThat(versionNode(usage, version).get("count").asLong()).as("version " + version).isEqualTo(direct);
            // The link lists exactly those logs.
            assertThat(countPages(versionNode(usage, version).get("logs").asText())).isEqualTo(direct);
        }

        // A credential of one project counts only its logs.
        String projectToken = server.createToken("{\"name\":\"usage a\",\"scopes\":[\"read\"],\"projects\":[\"usage-a\"]}");
        assertMatches(usage(projectToken, ""), projectA);

        // A time window: the first hour of logs.
        Map<Integer, Expected> firstHour = new HashMap<>();
        for (JsonNode log : items) {
            Instant at = Instant.parse(log.get("timestamp").asText());
            if (at.isBefore(start.plusSeconds(3600))) {
                String name = log.has("promptName") ? log.get("promptName").asText()
                        : log.get("context").path("promptName").asText(null);
                if (!PROMPT.equals(name)) continue;
                JsonNode v = log.has("promptVersion") ? log.get("promptVersion") : log.get("context").get("promptVersion");
                int version = v == null || !v.asText().trim().matches("[0-9]+") ? 0 : Integer.parseInt(v.asText().trim());
                JsonNode processing = log.get("context").get("processing_time");
                firstHour.computeIfAbsent(version, k -> new Expected()).add(log.get("tokens").asLong(),
                        log.get("cost").decimalValue(), processing == null ? null : processing.asDouble(), at);
            }
        }
        assertMatches(usage(ADMIN, "?from=2026-03-01T00:00:00Z&to=2026-03-01T01:00:00Z"), firstHour);

        assertThat(server.call(ADMIN, "GET", "/api/v1/prompts/usage/nothing-here/usage", null).status()).isEqualTo(400);
        assertThat(server.call(ADMIN, "GET", "/api/v1/prompts/no-such-prompt/usage", null).status()).isEqualTo(404);
        assertThat(server.call(ADMIN, "GET", "/api/v1/prompts/" + PROMPT + "/usage?from=tomorrow", null).status()).isEqualTo(400);
        assertThat(server.call(ADMIN, "GET", "/api/v1/prompt-history?prompt_version=1", null).status()).isEqualTo(400);
        assertThat(server.call(ADMIN, "GET", "/api/v1/prompt-history?prompt_name=x&prompt_version=zero", null).status())
                .isEqualTo(400);
    }

    private static JsonNode usage(String token, String query) {
        TestServer.Response r = server.call(token, "GET", "/api/v1/prompts/" + PROMPT + "/usage" + query, null);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json();
    }

    private static JsonNode versionNode(JsonNode usage, int version) {
        for (JsonNode v : usage.get("versions")) {
            if (v.get("version").asInt() == version) return v;
        }
        throw new AssertionError("no version " + version + " in " + usage);
    }

    private static void assertMatches(JsonNode usage, Map<Integer, Expected> expected) {
        for (var e : expected.entrySet()) {
            JsonNode got = e.getKey() == 0 ? usage.get("unversioned") : versionNode(usage, e.getKey());
            Expected want = e.getValue();
            String as = "version " + e.getKey();
            assertThat(got.get("count").asLong()).as(as).isEqualTo(want.count);
            assertThat(got.get("tokens").asLong()).as(as).isEqualTo(want.tokens);
            assertThat(got.get("cost").decimalValue()).as(as).isEqualByComparingTo(want.cost);
            if (want.processingCount == 0) {
                assertThat(got.get("avg_processing_ms").isNull()).as(as).isTrue();
            } else {
                assertThat(BigDecimal.valueOf(got.get("avg_processing_ms").asDouble()).setScale(6, RoundingMode.HALF_UP))
                        .as(as).isEqualByComparingTo(BigDecimal.valueOf(want.processingSum / want.processingCount)
                                .setScale(6, RoundingMode.HALF_UP));
            }
            assertThat(Instant.parse(got.get("last_used_at").asText())).as(as).isEqualTo(want.last);
        }
        for (JsonNode v : usage.get("versions")) {
            if (!expected.containsKey(v.get("version").asInt())) {
                assertThat(v.get("count").asLong()).as("version " + v.get("version")).isZero();
            }
        }
        if (!expected.containsKey(0)) assertThat(usage.get("unversioned").isNull()).isTrue();
    }

    /** Follows the prompt-history list from this link through its pages, counting the logs. */
    private static long countPages(String link) {
        long count = 0;
        String path = link + "&limit=50";
        List<String> seen = new ArrayList<>();
        while (path != null) {
            TestServer.Response r = server.call(ADMIN, "GET", path, null);
            assertThat(r.status()).as(r.body()).isEqualTo(200);
            for (JsonNode item : r.json().get("items")) {
                seen.add(item.get("id").asText());
                count++;
            }
            JsonNode next = r.json().get("next_cursor");
            path = next == null || next.isNull() ? null : link + "&limit=50&cursor=" + next.asText();
        }
        assertThat(seen).doesNotHaveDuplicates();
        return count;
    }
}
