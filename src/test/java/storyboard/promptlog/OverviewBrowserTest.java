package storyboard.promptlog;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Page;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import storyboard.kernel.SpendListener;
import storyboard.kernel.Visibility;
import storyboard.support.TestServer;
import storyboard.web.Browser;

/**
 * Prompt history's panels on the overview in Debian's Chromium: a log posted through the API counts in today's
 * figures, the hourly chart is drawn, the top lists lead to the history filtered; a token restricted to a project
 * sees that project's figures only. The session fails on any console error or CSP violation.
 */
class OverviewBrowserTest {
    private final TestServer server = TestServer.shared();
    private final PromptLogStore store = new PromptLogStore(server.jdbi(), SpendListener.NONE);
    private final String mark = UUID.randomUUID().toString().substring(0, 8);

    @Test
    void aLogPostedThroughTheApiCountsInTodaysFigures() {
        // A studio's recent days, for the chart and the top lists to show something like real use.
        com.fasterxml.jackson.databind.node.ArrayNode items = storyboard.kernel.Json.MAPPER.createArrayNode();
        String[] types = {"shots", "shots", "console", "acts", "shots", "shots_repair", "console"};
        String[] models = {"llama", "llama", "qwen2.5-7b", "gpt-4o-mini"};
        for (int i = 0; i < 90; i++) {
            items.addObject().put("type", types[i % types.length]).put("llm", models[i % models.length])
                    .put("user", "artist-" + (i % 6)).put("projectId", "ov-" + mark + "-" + (i % 3))
                    .put("tokens", 300 + 37 * i).put("cost", 0.002 * (i % 9))
                    .put("timestamp", Instant.now().minusSeconds(1800L * (i % 40) + 60L * i).toString());
        }
        assertThat(server.postJson("/api/v1/prompt-history/batch", storyboard.kernel.Json.MAPPER.createObjectNode()
                .set("items", items).toString()).json().get("created").asInt()).isEqualTo(90);
        String user = Browser.newUser(server, "viewer");
        try (Browser.Session browser = Browser.open(server)) {
            browser.signIn(user, Browser.PASSWORD);
            Page page = overview(browser);
            long before = count(page, "today-count");
            assertThat(before).isEqualTo(store.overviewRecent(Visibility.ALL, Instant.now()).today().count());

            post("{\"type\":\"overview-" + mark + "\",\"projectId\":\"ov-" + mark + "\",\"llm\":\"model-" + mark
                    + "\",\"tokens\":4321,\"cost\":0.75}");
            page = overview(browser);
            PromptLogOverview.Recent now = store.overviewRecent(Visibility.ALL, Instant.now());
            assertThat(count(page, "today-count")).isEqualTo(before + 1).isEqualTo(now.today().count());
            assertThat(text(page, "today-tokens")).isEqualTo(OverviewPanels.number(now.today().tokens()));
            assertThat(text(page, "today-cost")).isEqualTo(OverviewPanels.cost(now.today().cost()));
            assertThat(text(page, "month-cost")).isEqualTo(OverviewPanels.cost(now.month().cost()));
            // The chart is drawn by the page's script (allowed by the policy), the hour's count in its table.
            assertThat(page.locator(".prompt-costs .uplot canvas").count()).isPositive();
            assertThat(page.locator(".hours-table tbody tr").count()).isEqualTo(PromptLogOverview.HOURS);
            browser.screenshots("overview-prompts");
        }
    }

    @Test
    void aTokenRestrictedToAProjectSeesItsFiguresOnlyAndItsTopsLeadToTheHistory() {
        String mine = "ov-mine-" + mark;
        String theirs = "ov-theirs-" + mark;
        post("{\"type\":\"mine-" + mark + "\",\"projectId\":\"" + mine + "\",\"user\":\"ann\",\"tokens\":1500,\"cost\":2.5}");
        post("{\"type\":\"mine-" + mark + "\",\"projectId\":\"" + mine + "\",\"user\":\"bob\",\"tokens\":500}");
        post("{\"type\":\"theirs-" + mark + "\",\"projectId\":\"" + theirs + "\",\"tokens\":777,\"cost\":9}");
        String token = server.createToken("{\"name\":\"overview " + mark + "\",\"scopes\":[\"read\"],\"projects\":[\""
                + mine + "\"]}");
        try (Browser.Session browser = Browser.open(server, 820, 1180)) {
            browser.page().context().setExtraHTTPHeaders(Map.of("Authorization", "Bearer " + token));
            Page page = overview(browser);
            assertThat(text(page, "today-tokens")).isEqualTo("2,000");
            assertThat(text(page, "today-cost")).isEqualTo("2.50");
            assertThat(count(page, "today-count")).isEqualTo(2);
            assertThat(page.locator("[data-top=Projects] li a").allTextContents()).containsExactly(mine);
            assertThat(page.locator("[data-top=Users] li a").allTextContents()).containsExactly("ann", "bob");
            assertThat(page.content()).doesNotContain(theirs);
            assertThat((Number) page.evaluate("document.documentElement.scrollWidth")).isEqualTo(820);
            browser.screenshots("overview-prompts-tablet");

            page.locator("[data-top=Types] li a").first().click();
            String month = LocalDate.now(ZoneOffset.UTC).withDayOfMonth(1).toString();
            page.waitForURL(u -> u.endsWith("/history?type=mine-" + mark + "&from=" + month));
            page.locator("[data-live-state=live]").waitFor();
            assertThat(page.locator("tbody tr[data-id]").count()).isEqualTo(2);
        }
    }

    private static Page overview(Browser.Session browser) {
        Page page = browser.go("/");
        page.locator("[data-figure=today-count]").waitFor();
        page.locator("[data-top=Types]").waitFor();
        return page;
    }

    private static String text(Page page, String figure) {
        return page.locator("[data-figure=" + figure + "]").textContent().trim();
    }

    private static long count(Page page, String figure) {
        return Long.parseLong(text(page, figure).replace(",", ""));
    }

    private void post(String body) {
        TestServer.Response r = server.postJson("/api/v1/prompt-history", body);
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
    }
}
