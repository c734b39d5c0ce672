package storyboard.promptlog;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import storyboard.support.TestServer;
import storyboard.web.Pages;

/** Prompt history's overview panels over HTTP: their figures, their links, their refusals, the credential's view. */
class OverviewPanelsTest {
    private final TestServer server = TestServer.shared();
    private final String mark = UUID.randomUUID().toString().substring(0, 8);

    @Test
    void thePanelsShowTheVisibleProjectsFiguresAndLinkToTheHistory() {
        String mine = "panel-mine-" + mark;
        String theirs = "panel-theirs-" + mark;
        post("{\"type\":\"shots\",\"projectId\":\"" + mine + "\",\"llm\":\"model-" + mark + "\",\"user\":\"ann-" + mark
                + "\",\"tokens\":1200,\"cost\":0.125}");
        post("{\"type\":\"shots\",\"projectId\":\"" + mine + "\",\"tokens\":34,\"cost\":1.5}");
        post("{\"type\":\"secret-" + mark + "\",\"projectId\":\"" + theirs + "\",\"user\":\"spy-" + mark
                + "\",\"tokens\":999,\"cost\":7}");
        String token = server.createToken("{\"name\":\"panels " + mark + "\",\"scopes\":[\"read\"],\"projects\":[\""
                + mine + "\"]}");

        TestServer.Response costs = server.call(token, "GET", "/history/overview/costs", null);
        assertThat(costs.status()).isEqualTo(200);
        assertThat(costs.header("Content-Type")).startsWith("text/html");
        assertThat(costs.header("Content-Security-Policy")).isEqualTo(Pages.CONTENT_SECURITY_POLICY);
        String html = costs.body();
        assertThat(html).doesNotContain("<html").contains("data-chart=\"{&#34;x&#34;:[");
        assertThat(figure(html, "today-count")).contains(">2</a>");
        assertThat(figure(html, "today-tokens")).isEqualTo("1,234");
        assertThat(figure(html, "today-cost")).isEqualTo("1.63"); // 1.625, to two decimals from 1 up
        assertThat(figure(html, "month-tokens")).isEqualTo("1,234");
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        assertThat(html).contains("href=\"/history?from=" + today + "\"")
                .contains("href=\"/history?from=" + today.withDayOfMonth(1) + "\"");

        String top = server.call(token, "GET", "/history/overview/top", null).body();
        String from = "&amp;from=" + today.withDayOfMonth(1);
        assertThat(top).contains("href=\"/history?type=shots" + from + "\"")
                .contains("href=\"/history?llm=model-" + mark + from + "\"")
                .contains("href=\"/history?user=ann-" + mark + from + "\"")
                .contains("href=\"/history?project=" + mine + from + "\"")
                .doesNotContain(theirs).doesNotContain("secret-" + mark).doesNotContain("spy-" + mark);
        assertThat(server.call(token, "GET", "/history/overview/costs", null).body())
                .doesNotContain(theirs).doesNotContain("999");

        // A credential of both projects sees both (the unrestricted top five may hold other tests' projects).
        String both = server.createToken("{\"name\":\"panels both " + mark + "\",\"scopes\":[\"read\"],\"projects\":[\""
                + mine + "\",\"" + theirs + "\"]}");
        assertThat(server.call(both, "GET", "/history/overview/top", null).body())
                .contains("/history?project=" + mine).contains("/history?project=" + theirs);
        assertThat(figure(server.call(both, "GET", "/history/overview/costs", null).body(), "today-tokens"))
                .isEqualTo("2,233");
    }

    @Test
    void theOverviewListsThePanelsOnlyToACredentialThatMayReadThem() {
        String reader = server.createToken("{\"name\":\"reader " + mark + "\",\"scopes\":[\"read\"]}");
        String ingest = server.createToken("{\"name\":\"ingest " + mark + "\",\"scopes\":[\"ingest\"]}");
        assertThat(server.call(reader, "GET", "/", null).body())
                .contains("hx-get=\"" + OverviewPanels.COSTS + "\"").contains("hx-get=\"" + OverviewPanels.TOP + "\"");
        assertThat(server.call(ingest, "GET", "/", null).body())
                .doesNotContain(OverviewPanels.COSTS).doesNotContain(OverviewPanels.TOP);
        TestServer.Response refused = server.call(ingest, "GET", OverviewPanels.COSTS, null);
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.header("Content-Type")).startsWith("text/html");
    }

    @Test
    void aParameterThePanelsDoNotTakeIsA400NoticeInThePanel() {
        for (String path : new String[] {OverviewPanels.COSTS, OverviewPanels.TOP}) {
            TestServer.Response r = server.call(TestServer.TOKEN, "GET", path + "?days=7", null);
            assertThat(r.status()).isEqualTo(400);
            assertThat(r.body()).doesNotContain("<html").contains("class=\"notice bad\"").contains("days");
        }
    }

    @Test
    void costsReadAsPeopleWriteThem() {
        assertThat(OverviewPanels.cost(new java.math.BigDecimal("0"))).isEqualTo("0");
        assertThat(OverviewPanels.cost(new java.math.BigDecimal("0.012345"))).isEqualTo("0.0123");
        assertThat(OverviewPanels.cost(new java.math.BigDecimal("0.5000"))).isEqualTo("0.5");
        assertThat(OverviewPanels.cost(new java.math.BigDecimal("1234.5"))).isEqualTo("1,234.50");
        assertThat(OverviewPanels.number(1234567)).isEqualTo("1,234,567");
    }

    private void post(String body) {
        TestServer.Response r = server.postJson("/api/v1/prompt-history", body);
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
    }

    /** The text of a figure, {@code <dd data-figure="name">text</dd>}. */
    private static String figure(String html, String name) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("data-figure=\"" + name + "\">(.*?)</dd>")
                .matcher(html);
        assertThat(m.find()).as("figure " + name).isTrue();
        return m.group(1);
    }
}
