package storyboard.budgets;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import storyboard.support.TestDatabase;
import storyboard.support.TestServer;

/** Monthly budgets: spending from prompt-history cost, thresholds reported once, and the pre-flight check. */
class BudgetsTest {
    private static TestServer server;
    private static final String ADMIN = TestServer.TOKEN;

    @BeforeAll
    static void start() {
        server = TestServer.start(TestDatabase.get().newDatabase(), Map.of("RATE_LIMIT", "0", "RATE_LIMIT_INGEST", "0"));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static void log(String project, String cost) {
        assertThat(server.postJson("/api/v1/prompt-history", "{\"type\":\"shots\",\"projectId\":\"" + project
                + "\",\"cost\":" + cost + "}").status()).isEqualTo(201);
    }

    private static List<JsonNode> thresholdEvents(String budgetId) {
        List<JsonNode> out = new ArrayList<>();
        server.call(ADMIN, "GET", "/api/v1/events?types=budget.threshold_reached&limit=1000", null).json().get("items")
                .forEach(e -> {
                    if (e.get("subject_id").asText().equals(budgetId)) out.add(e);
                });
        return out;
    }

    private static JsonNode check(String project) {
        TestServer.Response r = server.call(ADMIN, "GET", "/api/v1/budgets/check?project=" + project, null);
        assertThat(r.status()).isEqualTo(200);
        return r.json();
    }

    @Test
    void thresholdsAreReportedOncePerMonthAndIngestNeverStops() {
        TestServer.Response created = server.call(ADMIN, "POST", "/api/v1/budgets", "{\"project\":\"film-a\",\"monthly_limit\":2}");
        assertThat(created.status()).isEqualTo(201);
        String id = created.json().get("id").asText();
        TestServer.Response replaced = server.call(ADMIN, "POST", "/api/v1/budgets", "{\"project\":\"film-a\",\"monthly_limit\":1.00}");
        assertThat(replaced.status()).isEqualTo(200);
        assertThat(replaced.json().get("id").asText()).isEqualTo(id);

        log("film-a", "0.5");
        JsonNode c = check("film-a");
        assertThat(c.get("allowed").asBoolean()).isTrue();
        assertThat(c.get("spent").decimalValue()).isEqualByComparingTo("0.5");
        assertThat(c.get("remaining").decimalValue()).isEqualByComparingTo("0.5");
        assertThat(thresholdEvents(id)).isEmpty();

        log("film-a", "0.3");
        log("film-a", "0.1");
        List<JsonNode> at80 = thresholdEvents(id);
        assertThat(at80).hasSize(1);
        assertThat(at80.get(0).get("payload").get("threshold").asInt()).isEqualTo(80);
        assertThat(at80.get(0).get("project").asText()).isEqualTo("film-a");

        log("film-a", "0.2");
        log("film-a", "5");
        assertThat(server.postJson("/api/v1/prompt-history", "{\"type\":\"x\",\"projectId\":\"film-a\",\"cost\":1}").status())
                .as("ingest goes on over budget").isEqualTo(201);
        List<JsonNode> all = thresholdEvents(id);
        assertThat(all).extracting(e -> e.get("payload").get("threshold").asInt()).containsExactly(80, 100);
        JsonNode over = check("film-a");
        assertThat(over.get("allowed").asBoolean()).isFalse();
        assertThat(over.get("remaining").decimalValue()).isEqualByComparingTo("0");
        assertThat(over.get("spent").decimalValue()).isEqualByComparingTo("7.1");
        JsonNode budget = server.call(ADMIN, "GET", "/api/v1/budgets/" + id, null).json();
        assertThat(budget.get("thresholds_reached")).extracting(JsonNode::asInt).containsExactly(80, 100);
    }

    @Test
    void spendingEqualsADirectSumOfThisMonthsCostsAndFollowsDeletes() {
        log("film-b", "0.25");
        log("film-b", "0.5");
        assertThat(server.postJson("/api/v1/prompt-history", "{\"type\":\"x\",\"projectId\":\"film-b\",\"cost\":9,"
                + "\"timestamp\":\"2020-01-05T10:00:00Z\"}").status()).isEqualTo(201);
        String id = server.postJson("/api/v1/prompt-history", "{\"type\":\"x\",\"projectId\":\"film-b\",\"cost\":0.125}")
                .json().get("id").asText();
        BigDecimal direct = server.jdbi().withHandle(h -> h.createQuery("""
                select coalesce(sum(cost), 0) from prompt_log where project = 'film-b'
                   and occurred_at >= date_trunc('month', now() at time zone 'UTC') at time zone 'UTC'""")
                .mapTo(BigDecimal.class).one());
        assertThat(check("film-b").get("spent").decimalValue()).isEqualByComparingTo(direct).isEqualByComparingTo("0.875");
        assertThat(check("film-b").get("monthly_limit").isNull()).isTrue();
        assertThat(check("film-b").get("allowed").asBoolean()).isTrue();
        assertThat(server.delete("/api/v1/prompt-history/" + id).status()).isEqualTo(204);
        assertThat(check("film-b").get("spent").decimalValue()).isEqualByComparingTo("0.75");
    }

    @Test
    void concurrentLogsCrossingAThresholdReportItExactlyOnce() throws Exception {
        String id = server.call(ADMIN, "POST", "/api/v1/budgets", "{\"project\":\"film-c\",\"monthly_limit\":10}")
                .json().get("id").asText();
        ExecutorService pool = Executors.newFixedThreadPool(16);
        List<Future<?>> done = new ArrayList<>();
        for (int i = 0; i < 40; i++) done.add(pool.submit(() -> log("film-c", "0.25")));
        for (Future<?> f : done) f.get();
        pool.shutdown();
        assertThat(thresholdEvents(id)).extracting(e -> e.get("payload").get("threshold").asInt()).containsExactly(80, 100);
    }

    @Test
    void aStudioBudgetCountsEveryProjectAndAProjectTokenChecksItsOwn() {
        String id = server.call(ADMIN, "POST", "/api/v1/budgets", "{\"monthly_limit\":1000000,\"currency\":\"EUR\"}")
                .json().get("id").asText();
        String desktop = server.createToken("{\"name\":\"desktop\",\"scopes\":[\"ingest\"],\"projects\":[\"film-d\"]}");
        TestServer.Response own = server.call(desktop, "GET", "/api/v1/budgets/check", null);
        assertThat(own.status()).isEqualTo(200);
        assertThat(own.json().get("project").asText()).isEqualTo("film-d");
        assertThat(own.json().get("studio").get("currency").asText()).isEqualTo("EUR");
        assertThat(server.call(desktop, "GET", "/api/v1/budgets/check?project=film-a", null).status()).isEqualTo(404);
        BigDecimal studioSpent = server.call(ADMIN, "GET", "/api/v1/budgets/" + id, null).json().get("spent").decimalValue();
        BigDecimal direct = server.jdbi().withHandle(h -> h.createQuery("""
                select coalesce(sum(cost), 0) from prompt_log
                 where occurred_at >= date_trunc('month', now() at time zone 'UTC') at time zone 'UTC'""")
                .mapTo(BigDecimal.class).one());
        assertThat(studioSpent).isEqualByComparingTo(direct);
        String lead = server.createToken("{\"name\":\"lead\",\"scopes\":[\"admin\"],\"projects\":[\"film-d\"]}");
        assertThat(server.call(lead, "POST", "/api/v1/budgets", "{\"monthly_limit\":5}").status()).isEqualTo(403);
        assertThat(server.call(lead, "POST", "/api/v1/budgets", "{\"project\":\"film-a\",\"monthly_limit\":5}").status()).isEqualTo(404);
        assertThat(server.call(lead, "POST", "/api/v1/budgets", "{\"project\":\"film-d\",\"monthly_limit\":5}").status()).isEqualTo(201);
        assertThat(server.call(lead, "GET", "/api/v1/budgets", null).json().get("items"))
                .extracting(b -> b.get("project").asText()).containsExactly("film-d");
        assertThat(server.call(lead, "GET", "/api/v1/budgets/" + id, null).status()).isEqualTo(404);
        assertThat(server.call(lead, "DELETE", "/api/v1/budgets/" + id, null).status()).isEqualTo(404);
        assertThat(server.call(ADMIN, "DELETE", "/api/v1/budgets/" + id, null).status()).isEqualTo(204);
    }

    @Test
    void invalidBudgetsAreClearErrors() {
        expect("{\"project\":\"x\"}", "missing_field", "monthly_limit");
        expect("{\"project\":\"x\",\"monthly_limit\":0}", "invalid_field", "monthly_limit");
        expect("{\"project\":\"x\",\"monthly_limit\":\"5\"}", "invalid_field", "monthly_limit");
        expect("{\"project\":\"\",\"monthly_limit\":5}", "invalid_field", "project");
        expect("{\"project\":\"x\",\"monthly_limit\":5,\"currency\":\"usd\"}", "invalid_field", "currency");
        expect("{\"project\":\"x\",\"monthly_limit\":5,\"period\":\"2026-11\"}", "unknown_field", "period");
        assertThat(server.call(ADMIN, "GET", "/api/v1/budgets/check", null).json().get("field").asText()).isEqualTo("project");
        assertThat(server.call(ADMIN, "GET", "/api/v1/budgets?period=November", null).status()).isEqualTo(400);
        assertThat(server.call(ADMIN, "GET", "/api/v1/budgets/" + java.util.UUID.randomUUID(), null).status()).isEqualTo(404);
    }

    private static void expect(String body, String code, String field) {
        TestServer.Response r = server.call(ADMIN, "POST", "/api/v1/budgets", body);
        assertThat(r.status()).as(body).isEqualTo(400);
        assertThat(r.json().get("error").asText()).as(body).isEqualTo(code);
        assertThat(r.json().get("field").asText()).as(body).isEqualTo(field);
    }
}
