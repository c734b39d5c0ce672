package storyboard.budgets;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import storyboard.support.TestDatabase;
import storyboard.support.TestServer;

/**
 * The dashboard's budgets over HTTP: each budget's month against its limit, the set-a-limit form (the API's command
 * and event), a budget's months, the overview's bars, what a restricted credential sees, and bad input as 4xx.
 */
class BudgetPagesTest {
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

    private static TestServer.Response page(String token, String path) {
        return server.send(server.anonymous(path).header("Authorization", "Bearer " + token)
                .header("Accept", "text/html").GET().build());
    }

    private static TestServer.Response post(String token, String form) {
        return server.send(server.anonymous("/budgets").header("Authorization", "Bearer " + token)
                .header("Accept", "text/html").header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build());
    }

    private static String form(String project, String limit, String currency) {
        return "project=" + URLEncoder.encode(project, StandardCharsets.UTF_8) + "&monthly_limit="
                + URLEncoder.encode(limit, StandardCharsets.UTF_8) + "&currency=" + URLEncoder.encode(currency, StandardCharsets.UTF_8);
    }

    private static void log(String project, String cost) {
        assertThat(server.postJson("/api/v1/prompt-history", "{\"type\":\"shots\",\"projectId\":\"" + project
                + "\",\"cost\":" + cost + "}").status()).isEqualTo(201);
    }

    @Test
    void anAdminSetsALimitWithTheFormAndSeesTheMonthAgainstIt() {
        log("bp-film", "8.5");
        TestServer.Response set = post(ADMIN, form("bp-film", "10", "eur"));
        assertThat(set.status()).as(set.body()).isEqualTo(303);
        Matcher saved = Pattern.compile("^/budgets\\?saved=([0-9a-f-]{36})$").matcher(set.header("Location"));
        assertThat(saved.find()).isTrue();
        String id = saved.group(1);
        // The same command as the API: the budget, its budget.set event (and the 80 % threshold it reached at once).
        JsonNode budget = server.call(ADMIN, "GET", "/api/v1/budgets/" + id, null).json();
        assertThat(budget.get("project").asText()).isEqualTo("bp-film");
        assertThat(budget.get("monthly_limit").decimalValue()).isEqualByComparingTo("10");
        assertThat(budget.get("currency").asText()).isEqualTo("EUR");
        assertThat(budget.get("thresholds_reached")).extracting(JsonNode::asInt).containsExactly(80);
        JsonNode events = server.call(ADMIN, "GET", "/api/v1/events?types=budget.set&project=bp-film", null).json().get("items");
        assertThat(events).hasSize(1);
        assertThat(events.get(0).get("subject_id").asText()).isEqualTo(id);
        assertThat(server.call(ADMIN, "GET", "/api/v1/audit?action=budget.set&target_id=" + id, null).json().get("items"))
                .hasSize(1);

        TestServer.Response list = page(ADMIN, set.header("Location"));
        assertThat(list.status()).isEqualTo(200);
        assertThat(list.body()).contains("Saved: bp-film may spend 10.00 EUR a month.")
                .contains("<meter min=\"0\" max=\"10\" low=\"8.0\" high=\"10\" optimum=\"0\" value=\"8.5\"")
                .contains("85 %").contains("8.50 EUR").contains("1.50 EUR").contains("Set a monthly limit");
        // Setting it again replaces the limit (200 in the API), one budget still.
        assertThat(post(ADMIN, form("bp-film", "20.5", "EUR")).header("Location")).isEqualTo("/budgets?saved=" + id);
        assertThat(server.call(ADMIN, "GET", "/api/v1/budgets/" + id, null).json().get("monthly_limit").decimalValue())
                .isEqualByComparingTo("20.5");
        // The studio-wide budget: an empty project.
        TestServer.Response studio = post(ADMIN, form("", "1000", "USD"));
        assertThat(studio.status()).isEqualTo(303);
        assertThat(page(ADMIN, "/budgets").body()).contains("Studio-wide");

        // A month's history: twelve months, the current one spent, in a table and a chart.
        String month = YearMonth.now(ZoneOffset.UTC).toString();
        TestServer.Response history = page(ADMIN, "/budgets/" + id);
        assertThat(history.status()).isEqualTo(200);
        assertThat(history.body()).contains("Budget: bp-film").contains("<th scope=\"row\">" + month + "</th>")
                .contains("<th scope=\"row\">" + YearMonth.now(ZoneOffset.UTC).minusMonths(11) + "</th>")
                .doesNotContain("<th scope=\"row\">" + YearMonth.now(ZoneOffset.UTC).minusMonths(12) + "</th>")
                .contains("data-chart").contains("\"label\":\"Spent (EUR)\"");
        TestServer.Response earlier = page(ADMIN, "/budgets/" + id + "?period=2020-06");
        assertThat(earlier.body()).contains("<th scope=\"row\">2020-06</th>").contains("<th scope=\"row\">2019-07</th>")
                .contains("0.00 EUR");
        // The overview's bars.
        TestServer.Response panel = server.send(server.anonymous("/budgets/panel").header("Authorization", "Bearer " + ADMIN)
                .header("HX-Request", "true").GET().build());
        assertThat(panel.status()).isEqualTo(200);
        assertThat(panel.body()).doesNotContain("<html").contains("<meter").contains("bp-film").contains("Studio-wide");
    }

    @Test
    void badInputIsRefusedWithWhatIsWrong() {
        assertFormRefused(form("bp-bad", "abc", "USD"), "The monthly limit must be a number such as 250 or 99.50.");
        assertFormRefused(form("bp-bad", "0", "USD"), "The monthly limit must be a number above 0 and below 1e15.");
        assertFormRefused(form("bp-bad", "-5", "USD"), "The monthly limit must be a number above 0 and below 1e15.");
        assertFormRefused(form("bp-bad", "1e20", "USD"), "The monthly limit must be a number above 0 and below 1e15.");
        assertFormRefused(form("bp-bad", "NaN", "USD"), "The monthly limit must be a number such as 250 or 99.50.");
        assertFormRefused(form("bp-bad", "", "USD"), "Give a monthly limit.");
        assertFormRefused(form("bp-bad", "5", "US"), "The currency is a three-letter code such as USD.");
        assertFormRefused(form("x".repeat(201), "5", "USD"), "The project's name is at most 200 characters.");
        // The form comes back filled in, escaped.
        assertThat(post(ADMIN, form("<i>bp</i>", "abc", "USD")).body()).contains("value=\"&lt;i>bp&lt;/i>\"")
                .contains("value=\"abc\"");
        assertPage(post(ADMIN, "monthly_limit=5&colour=red"), 400, "unknown_field");
        assertPage(post(ADMIN, "monthly_limit=5&monthly_limit=6"), 400, "invalid_field");
        assertThat(server.call(ADMIN, "GET", "/api/v1/budgets", null).json().get("items").toString()).doesNotContain("bp-bad");

        assertPage(page(ADMIN, "/budgets?period=2026-13"), 400, "invalid_parameter");
        assertPage(page(ADMIN, "/budgets?period=0999-01"), 400, "invalid_parameter");
        assertPage(page(ADMIN, "/budgets?saved=nope"), 400, "invalid_parameter");
        assertPage(page(ADMIN, "/budgets?cursor=nope"), 400, "invalid_parameter");
        assertPage(page(ADMIN, "/budgets?colour=red"), 400, "unknown_parameter");
        assertPage(page(ADMIN, "/budgets/not-a-uuid"), 400, "invalid_parameter");
        assertPage(page(ADMIN, "/budgets/00000000-0000-0000-0000-000000000000"), 404, "not_found");
        assertPage(page(ADMIN, "/budgets/panel?period=2026-01"), 400, "unknown_parameter");
    }

    private static void assertFormRefused(String form, String message) {
        TestServer.Response r = post(ADMIN, form);
        assertThat(r.status()).as(r.body()).isEqualTo(400);
        assertThat(r.header("Content-Type")).startsWith("text/html");
        assertThat(r.body()).contains("<p class=\"notice bad\" role=\"alert\">" + message + "</p>");
    }

    private static void assertPage(TestServer.Response r, int status, String code) {
        assertThat(r.status()).as(r.body()).isEqualTo(status);
        assertThat(r.header("Content-Type")).startsWith("text/html");
        assertThat(r.body()).contains(code);
    }

    @Test
    void readersSeeNoFormAndRestrictedCredentialsOnlyTheirProjects() {
        assertThat(post(ADMIN, form("bp-a-mine", "5", "USD")).status()).isEqualTo(303);
        assertThat(post(ADMIN, form("bp-a-theirs", "5", "USD")).status()).isEqualTo(303);
        assertThat(post(ADMIN, form("", "500", "USD")).status()).isEqualTo(303);
        String reader = server.createToken("{\"name\":\"bp-reader\",\"scopes\":[\"read\"]}");
        TestServer.Response readable = page(reader, "/budgets");
        assertThat(readable.status()).isEqualTo(200);
        assertThat(readable.body()).contains("bp-a-mine").contains("bp-a-theirs").doesNotContain("Set a monthly limit")
                .doesNotContain("method=\"post\" action=\"/budgets\"");
        assertPage(post(reader, form("bp-a-mine", "6", "USD")), 403, "forbidden");

        String mine = server.createToken("{\"name\":\"bp-a-mine\",\"scopes\":[\"admin\"],\"projects\":[\"bp-a-mine\"]}");
        TestServer.Response restricted = page(mine, "/budgets");
        assertThat(restricted.body()).contains("bp-a-mine").doesNotContain("bp-a-theirs").doesNotContain("Studio-wide");
        String theirs = null;
        for (JsonNode b : server.call(ADMIN, "GET", "/api/v1/budgets", null).json().get("items")) {
            if (b.get("project").asText().equals("bp-a-theirs")) theirs = b.get("id").asText();
        }
        assertThat(theirs).isNotNull();
        assertPage(page(mine, "/budgets/" + theirs), 404, "not_found");
        // Its own project's limit it may set; the studio's is forbidden, another project's not found.
        assertThat(post(mine, form("bp-a-mine", "7", "USD")).status()).isEqualTo(303);
        assertPage(post(mine, form("", "7", "USD")), 403, "forbidden");
        assertPage(post(mine, form("bp-a-theirs", "7", "USD")), 404, "not_found");
    }

    @Test
    void budgetsArePagedByCursor() {
        for (int i = 0; i < BudgetPages.PAGE + 3; i++) {
            assertThat(post(ADMIN, form(String.format("bp-page-%03d", i), "5", "USD")).status()).isEqualTo(303);
        }
        String first = page(ADMIN, "/budgets").body();
        Matcher more = Pattern.compile("hx-get=\"/budgets\\?period=([0-9-]+)&amp;cursor=([^\"]+)\"").matcher(first);
        assertThat(more.find()).isTrue();
        TestServer.Response next = server.send(server.anonymous("/budgets?period=" + more.group(1) + "&cursor=" + more.group(2))
                .header("Authorization", "Bearer " + ADMIN).header("HX-Request", "true").GET().build());
        assertThat(next.status()).isEqualTo(200);
        assertThat(next.body()).doesNotContain("<html").contains("bp-page-052");
        long rowsFirst = Pattern.compile("<tr id=\"budget-").matcher(first).results().count();
        long rowsNext = Pattern.compile("<tr id=\"budget-").matcher(next.body()).results().count();
        assertThat(rowsFirst).isEqualTo(BudgetPages.PAGE);
        long total = server.call(ADMIN, "GET", "/api/v1/budgets", null).json().get("items").size();
        assertThat(rowsFirst + rowsNext).isLessThanOrEqualTo(total);
        assertThat(first).doesNotContain("bp-page-052");
    }
}
