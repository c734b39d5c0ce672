package storyboard.promptlog;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import storyboard.kernel.Json;
import storyboard.kernel.SpendListener;
import storyboard.kernel.Visibility;
import storyboard.support.TestServer;

/**
 * The overview's rollups (prompt_log_hourly, prompt_log_monthly) agree exactly with a GROUP BY over prompt_log
 * after every kind of ingest and delete, and the overview reads them as the credential's visibility allows.
 */
class OverviewRollupTest {
    private final TestServer server = TestServer.shared();
    private final PromptLogStore store = new PromptLogStore(server.jdbi(), SpendListener.NONE);

    @Test
    void theRollupsEqualAGroupByOverThePromptHistoryAfterIngestReplaysAndDeletes() throws Exception {
        String project = "roll-" + UUID.randomUUID();
        Instant now = Instant.now();
        // Single logs: every optional field absent or present, at several hours and months, project from context.
        List<String> ids = new ArrayList<>();
        ids.add(created(server.postJson("/api/v1/prompt-history", "{\"type\":\"shots\"}")));
        ids.add(created(server.postJson("/api/v1/prompt-history", log(project, "console", "llama", "ann", 120, "0.0125",
                now.minus(Duration.ofHours(3))).toString())));
        ids.add(created(server.postJson("/api/v1/prompt-history", log(null, "acts", null, null, null, null,
                now.minus(Duration.ofDays(45))).put("projectId", "").toString())));
        ids.add(created(server.postJson("/api/v1/prompt-history", Json.MAPPER.createObjectNode().put("type", "acts")
                .put("cost", 1.5).put("user", "").set("context", Json.MAPPER.createObjectNode()
                        .put("projectId", project)).toString())));
        // Idempotent replays: a key repeated, a client id repeated, a batch sent twice, known bodies skipped.
        String key = UUID.randomUUID().toString();
        String keyed = log(project, "shots", "qwen", "bob", 7, "0.5", null).toString();
        ids.add(created(postWithKey(keyed, key)));
        assertThat(postWithKey(keyed, key).status()).isEqualTo(200);
        String withId = log(project, "shots", "qwen", "bob", 9, "0.25", now.minus(Duration.ofHours(30)))
                .put("id", UUID.randomUUID().toString()).toString();
        ids.add(created(server.postJson("/api/v1/prompt-history", withId)));
        assertThat(server.postJson("/api/v1/prompt-history", withId).status()).isEqualTo(200);

        ArrayNode items = Json.MAPPER.createArrayNode();
        for (int i = 0; i < 60; i++) {
            items.add(log(i % 7 == 0 ? null : project + "-" + (i % 3), i % 2 == 0 ? "shots" : "console",
                    i % 5 == 0 ? null : "m" + (i % 4), i % 6 == 0 ? null : "u" + (i % 8), i % 4 == 0 ? null : i * 11L,
                    i % 3 == 0 ? null : "0.00" + i, now.minus(Duration.ofMinutes(97L * i)))
                    .put("id", UUID.randomUUID().toString()));
        }
        // The same log twice in one batch is stored, and counted, once.
        items.add(items.get(1).deepCopy());
        items.add(Json.MAPPER.createObjectNode().put("prompt", "no type: rejected"));
        String batch = Json.MAPPER.createObjectNode().set("items", items).toString();
        JsonNode first = server.postJson("/api/v1/prompt-history/batch", batch).json();
        assertThat(first.get("created").asInt()).isEqualTo(60);
        assertThat(first.get("existing").asInt()).isEqualTo(1);
        JsonNode again = server.postJson("/api/v1/prompt-history/batch", batch).json();
        assertThat(again.get("created").asInt()).isZero();
        assertThat(again.get("existing").asInt()).isEqualTo(61);
        ArrayNode bodies = Json.MAPPER.createArrayNode();
        String known = log(project, "acts", "m9", "carl", 5L, "0.01", null).toString();
        for (int i = 0; i < 5; i++) bodies.add(known);
        String skipping = Json.MAPPER.createObjectNode().put("skip_known_bodies", true).set("items", bodies).toString();
        assertThat(server.postJson("/api/v1/prompt-history/batch", skipping).json().get("created").asInt()).isEqualTo(1);
        assertThat(server.postJson("/api/v1/prompt-history/batch", skipping).json().get("created").asInt()).isZero();

        // Concurrent singles: both writer threads (each its own shard) add to the same hour's rows.
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<TestServer.Response>> posts = new ArrayList<>();
            for (int i = 0; i < 64; i++) {
                String body = log(project, "shots", "llama", "u" + (i % 3), 10L, "0.001", null).toString();
                posts.add(pool.submit(() -> server.postJson("/api/v1/prompt-history", body)));
            }
            for (Future<TestServer.Response> f : posts) ids.add(created(f.get()));
        } finally {
            pool.shutdownNow();
        }
        assertRollupsExact();

        // Deletes take exactly the deleted logs off, once: a log of no project, one of last month, one of today.
        for (String id : List.of(ids.get(0), ids.get(2), ids.get(1), ids.get(ids.size() - 1))) {
            assertThat(server.delete("/api/v1/prompt-history/" + id).status()).isEqualTo(204);
            assertThat(server.delete("/api/v1/prompt-history/" + id).status()).isEqualTo(404);
        }
        assertThat(server.delete("/api/v1/prompt-history/" + UUID.randomUUID()).status()).isEqualTo(404);
        assertRollupsExact();
    }

    @Test
    void theOverviewShowsTodayTheMonthTheLastHoursAndTheTopsOfTheVisibleProjectsOnly() {
        String mine = "ov-mine-" + UUID.randomUUID();
        String theirs = "ov-theirs-" + UUID.randomUUID();
        Instant now = Instant.now();
        List<Sent> sent = new ArrayList<>();
        String[] types = {"shots", "shots", "shots", "console", "console", "acts", "shots_repair", "t6", "t7"};
        for (int i = 0; i < 40; i++) {
            // Spread over the last 60 hours and once more 40 days back; six users, types and models of uneven use.
            Instant at = i == 39 ? now.minus(Duration.ofDays(40)) : now.minus(Duration.ofMinutes(90L * i));
            sent.add(new Sent(at, mine, types[i % types.length], i % 4 == 0 ? null : "model-" + (i % 3),
                    "user-" + (i % 7), 100 + i, new BigDecimal("0.01").multiply(BigDecimal.valueOf(i))));
        }
        for (int i = 0; i < 10; i++) {
            sent.add(new Sent(now.minus(Duration.ofMinutes(30L * i)), theirs, "secret", "secret-model", "spy", 1000,
                    BigDecimal.TEN));
        }
        ArrayNode items = Json.MAPPER.createArrayNode();
        for (Sent s : sent) {
            items.add(log(s.project(), s.type(), s.llm(), s.user(), s.tokens(), s.cost().toPlainString(), s.at()));
        }
        JsonNode answer = server.postJson("/api/v1/prompt-history/batch",
                Json.MAPPER.createObjectNode().set("items", items).toString()).json();
        assertThat(answer.get("created").asInt()).as(answer.toString()).isEqualTo(50);

        PromptLogOverview mineOnly = store.overview(Visibility.of(Set.of(mine)), now);
        assertOverview(mineOnly, sent.stream().filter(s -> s.project().equals(mine)).toList(), now);
        assertThat(mineOnly.topProjects()).extracting(PromptLogOverview.Top::key).containsExactly(mine);
        assertThat(mineOnly.topTypes()).extracting(PromptLogOverview.Top::key).doesNotContain("secret");
        assertThat(mineOnly.topUsers()).hasSize(PromptLogOverview.TOP);

        PromptLogOverview both = store.overview(Visibility.of(Set.of(mine, theirs)), now);
        assertOverview(both, sent, now);
        assertThat(both.topProjects()).extracting(PromptLogOverview.Top::key).containsExactly(mine, theirs);
        assertThat(store.overview(Visibility.of(Set.of("ov-nobody-" + UUID.randomUUID())), now).month().count()).isZero();

        // The unrestricted overview counts every log: at least these, and exactly what the table holds this month.
        PromptLogOverview all = store.overview(Visibility.ALL, now);
        assertThat(all.month().count()).isEqualTo(server.jdbi().withHandle(h -> h.createQuery(
                "select count(*) from prompt_log where date_trunc('month', occurred_at at time zone 'UTC') = "
                        + "date_trunc('month', cast(:now as timestamptz) at time zone 'UTC')")
                .bind("now", now.atOffset(ZoneOffset.UTC)).mapTo(Long.class).one()));
    }

    @Test
    void theMigrationBackfillsTheRollupsFromTheLogsAlreadyStored() {
        var url = storyboard.support.TestDatabase.get().newDatabase();
        try (storyboard.server.Database db = storyboard.server.Database.open(url, 2)) {
            org.flywaydb.core.Flyway.configure().dataSource(db.dataSource()).locations("classpath:db/migration")
                    .target("20").load().migrate();
            Instant now = Instant.now();
            List<Sent> stored = List.of(
                    new Sent(now, "p1", "shots", "llama", "ann", 10, new BigDecimal("0.5")),
                    new Sent(now, "p1", "shots", "qwen", "ann", 20, new BigDecimal("0.25")),
                    new Sent(now.minus(Duration.ofHours(5)), "p1", "acts", null, null, 0, BigDecimal.ZERO),
                    new Sent(now.minus(Duration.ofHours(1)), "p2", "console", "llama", "bob", 7, new BigDecimal("1")),
                    new Sent(now.minus(Duration.ofDays(70)), "p2", "console", "llama", "bob", 7, new BigDecimal("1")),
                    new Sent(now.minus(Duration.ofMinutes(10)), null, "shots", "llama", "cy", 3, new BigDecimal("2")));
            db.jdbi().useHandle(h -> {
                for (Sent s : stored) {
                    h.createUpdate("insert into prompt_log (id, received_at, occurred_at, type, llm, user_name, tokens,"
                                    + " cost, project, body_sha256) values (:id, now(), :at, :type, :llm, :user,"
                                    + " :tokens, :cost, :project, 'x')")
                            .bind("id", UUID.randomUUID()).bind("at", s.at().atOffset(ZoneOffset.UTC))
                            .bind("type", s.type()).bind("llm", s.llm()).bind("user", s.user())
                            // a log with no tokens and no cost counts as 0 of each
                            .bind("tokens", s.tokens() == 0 ? null : s.tokens())
                            .bind("cost", s.cost().signum() == 0 ? null : s.cost())
                            .bind("project", s.project()).execute();
                }
            });
            assertThat(db.migrate().migrationsExecuted).isGreaterThanOrEqualTo(1);

            PromptLogStore migrated = new PromptLogStore(db.jdbi(), SpendListener.NONE);
            assertOverview(migrated.overview(Visibility.ALL, now), stored, now);
            assertOverview(migrated.overview(Visibility.of(Set.of("p2")), now),
                    stored.stream().filter(s -> "p2".equals(s.project())).toList(), now);
            long shards = db.jdbi().withHandle(h -> h.createQuery(
                    "select count(*) from prompt_log_monthly where shard <> 0").mapTo(Long.class).one());
            assertThat(shards).isZero();
        }
    }

    /** A log as sent. */
    private record Sent(Instant at, String project, String type, String llm, String user, long tokens,
                        BigDecimal cost) {}

    /** The overview's every figure, computed here from the logs that were sent. */
    private static void assertOverview(PromptLogOverview o, List<Sent> logs, Instant now) {
        var day = now.atZone(ZoneOffset.UTC).toLocalDate();
        List<Sent> today = logs.stream().filter(f -> f.at().atZone(ZoneOffset.UTC).toLocalDate().equals(day)).toList();
        List<Sent> month = logs.stream().filter(f -> f.at().atZone(ZoneOffset.UTC).toLocalDate().withDayOfMonth(1)
                .equals(day.withDayOfMonth(1))).toList();
        assertTotals(o.today(), today);
        assertTotals(o.month(), month);

        assertThat(o.asOf()).isEqualTo(now);
        assertThat(o.perHour()).hasSize(PromptLogOverview.HOURS);
        Instant hour = now.truncatedTo(ChronoUnit.HOURS);
        assertThat(o.perHour().get(PromptLogOverview.HOURS - 1).hour()).isEqualTo(hour);
        for (PromptLogOverview.Hour h : o.perHour()) {
            List<Sent> in = logs.stream().filter(f -> f.at().truncatedTo(ChronoUnit.HOURS).equals(h.hour())).toList();
            assertThat(h.count()).as("logs at " + h.hour()).isEqualTo(in.size());
            assertThat(h.tokens()).isEqualTo(in.stream().mapToLong(Sent::tokens).sum());
            assertThat(h.cost()).isEqualByComparingTo(in.stream().map(Sent::cost).reduce(BigDecimal.ZERO, BigDecimal::add));
        }
        assertThat(o.perHour().stream().mapToLong(PromptLogOverview.Hour::count).sum()).isPositive();

        assertTop(o.topTypes(), month, Sent::type);
        assertTop(o.topModels(), month, Sent::llm);
        assertTop(o.topUsers(), month, Sent::user);
        assertTop(o.topProjects(), month, Sent::project);
    }

    private static void assertTop(List<PromptLogOverview.Top> top, List<Sent> logs,
                                  java.util.function.Function<Sent, String> key) {
        Map<String, List<Sent>> groups = logs.stream().filter(f -> key.apply(f) != null)
                .collect(Collectors.groupingBy(key, LinkedHashMap::new, Collectors.toList()));
        List<String> expected = groups.entrySet().stream()
                .sorted(Comparator.comparing((Map.Entry<String, List<Sent>> e) -> -e.getValue().size())
                        .thenComparing(Map.Entry::getKey))
                .limit(PromptLogOverview.TOP).map(Map.Entry::getKey).toList();
        assertThat(top).extracting(PromptLogOverview.Top::key).containsExactlyElementsOf(expected);
        for (PromptLogOverview.Top t : top) {
            assertTotals(new PromptLogOverview.Totals(t.count(), t.tokens(), t.cost()), groups.get(t.key()));
        }
    }

    private static void assertTotals(PromptLogOverview.Totals totals, List<Sent> logs) {
        assertThat(totals.count()).isEqualTo(logs.size());
        assertThat(totals.tokens()).isEqualTo(logs.stream().mapToLong(Sent::tokens).sum());
        assertThat(totals.cost()).isEqualByComparingTo(logs.stream().map(Sent::cost).reduce(BigDecimal.ZERO, BigDecimal::add));
    }

    /**
     * Every (hour, project) and (month, dimension, project, key) group of prompt_log, and the monthly spending per
     * project, equal the rollups' sums over their shards; a group the rollups hold beyond those sums to nothing.
     */
    private void assertRollupsExact() {
        List<String> hourly = differences("""
                select date_trunc('hour', occurred_at, 'UTC') as hour, coalesce(project, '') as project,
                       count(*) as logs, coalesce(sum(tokens), 0) as tokens, coalesce(sum(cost), 0) as cost
                  from prompt_log group by 1, 2""", """
                select hour, project, sum(logs) as logs, sum(tokens) as tokens, sum(cost) as cost
                  from prompt_log_hourly group by 1, 2""", "hour, project");
        List<String> monthly = differences("""
                select l.month, d.dimension, l.project, d.key, count(*) as logs, coalesce(sum(l.tokens), 0) as tokens,
                       coalesce(sum(l.cost), 0) as cost
                  from (select (date_trunc('month', occurred_at at time zone 'UTC'))::date as month,
                               coalesce(project, '') as project, type, coalesce(llm, '') as llm,
                               coalesce(user_name, '') as user_name, tokens, cost from prompt_log) l
                 cross join lateral (values ('type', l.type), ('llm', l.llm), ('user', l.user_name)) d(dimension, key)
                 group by 1, 2, 3, 4""", """
                select month, dimension, project, key, sum(logs) as logs, sum(tokens) as tokens, sum(cost) as cost
                  from prompt_log_monthly group by 1, 2, 3, 4""", "month, dimension, project, key");
        List<String> spending = differences("""
                select coalesce(project, '') as project, (date_trunc('month', occurred_at at time zone 'UTC'))::date
                       as month, count(*) as logs, 0 as tokens, coalesce(sum(cost), 0) as cost from prompt_log group by 1, 2""", """
                select project, month, sum(logs) as logs, 0 as tokens, sum(cost) as cost from prompt_spend group by 1, 2""",
                "project, month");
        assertThat(hourly).as("prompt_log_hourly").isEmpty();
        assertThat(monthly).as("prompt_log_monthly").isEmpty();
        assertThat(spending).as("prompt_spend").isEmpty();
        long rows = server.jdbi().withHandle(h -> h.createQuery("select count(*) from prompt_log_hourly")
                .mapTo(Long.class).one());
        assertThat(rows).isPositive();
    }

    /** The groups whose figures differ between the truth and the rollup (a group missing on one side is 0 there). */
    private List<String> differences(String truth, String rollup, String keys) {
        String sql = "select * from (select " + keys + ", coalesce(t.logs, 0) as t_logs, coalesce(r.logs, 0) as r_logs,"
                + " coalesce(t.tokens, 0) as t_tokens, coalesce(r.tokens, 0) as r_tokens,"
                + " coalesce(t.cost, 0) as t_cost, coalesce(r.cost, 0) as r_cost"
                + " from (" + truth + ") t full join (" + rollup + ") r using (" + keys + ")) x"
                + " where t_logs <> r_logs or t_tokens <> r_tokens or t_cost <> r_cost";
        return server.jdbi().withHandle(h -> h.createQuery(sql).mapToMap().map(Map::toString).list());
    }

    private static ObjectNode log(String project, String type, String llm, String user, Number tokens, String cost,
                                  Instant at) {
        ObjectNode o = Json.MAPPER.createObjectNode().put("type", type).put("prompt", "p " + UUID.randomUUID());
        if (project != null) o.put("projectId", project);
        if (llm != null) o.put("llm", llm);
        if (user != null) o.put("user", user);
        if (tokens != null) o.put("tokens", tokens.longValue());
        if (cost != null) o.put("cost", new BigDecimal(cost));
        if (at != null) o.put("timestamp", at.truncatedTo(ChronoUnit.MILLIS).toString());
        return o;
    }

    private static String created(TestServer.Response r) {
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        return r.json().get("id").asText();
    }

    private TestServer.Response postWithKey(String body, String key) {
        return server.send(server.request("/api/v1/prompt-history").header("Content-Type", "application/json")
                .header("Idempotency-Key", key).POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }
}
