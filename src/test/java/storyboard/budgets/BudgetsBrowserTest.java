package storyboard.budgets;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import storyboard.support.TestServer;
import storyboard.web.Browser;

/** The budgets pages in Chromium: an admin sets a limit with the form, reads a budget's months; a viewer only reads. */
class BudgetsBrowserTest {
    private final TestServer server = TestServer.shared();

    @Test
    void anAdminSetsALimitAndSeesSpendingAgainstItHereAndOnTheOverview() {
        String project = "budget-" + UUID.randomUUID().toString().substring(0, 8);
        assertThat(server.postJson("/api/v1/prompt-history", "{\"type\":\"shots\",\"projectId\":\"" + project
                + "\",\"cost\":4.25}").status()).isEqualTo(201);
        try (Browser.Session browser = Browser.open(server)) {
            browser.signIn(Browser.newUser(server, "admin"), Browser.PASSWORD);
            Page page = browser.go("/budgets");
            assertThat(page.locator("h1").textContent()).isEqualTo("Budgets");
            page.getByLabel("Project", new Page.GetByLabelOptions().setExact(true)).fill(project);
            page.getByLabel("Monthly limit", new Page.GetByLabelOptions().setExact(true)).fill("5");
            page.locator("form.budget-form button[type=submit]").click();
            page.waitForURL(u -> u.contains("/budgets?saved="));
            page.waitForLoadState(com.microsoft.playwright.options.LoadState.NETWORKIDLE);
            assertThat(page.locator(".notice").textContent()).contains(project).contains("5.00 USD a month");
            Locator row = page.locator("tr", new Page.LocatorOptions().setHas(page.locator("a:text-is('" + project + "')")));
            assertThat(row.locator("meter").getAttribute("value")).isEqualTo("4.25");
            assertThat(row.locator("meter").getAttribute("max")).isEqualTo("5");
            assertThat(row.textContent()).contains("85 %").contains("0.75 USD");
            // The same command as the API: the budget and its budget.set event.
            JsonNode events = server.call(TestServer.TOKEN, "GET", "/api/v1/events?types=budget.set&project=" + project,
                    null).json().get("items");
            assertThat(events).hasSize(1);
            browser.screenshots("budgets");

            row.locator("a:text-is('" + project + "')").click();
            page.waitForURL(u -> u.matches(".*/budgets/[0-9a-f-]{36}$"));
            page.waitForLoadState(com.microsoft.playwright.options.LoadState.NETWORKIDLE);
            assertThat(page.locator("h1").textContent()).isEqualTo("Budget: " + project);
            page.locator("[data-chart] .uplot").waitFor();
            assertThat(page.locator("table.budgets tbody tr")).satisfies(rows -> assertThat(rows.count()).isEqualTo(12));
            browser.screenshots("budget");

            // The overview shows it as a bar against its limit, and the latest events include its setting.
            page = browser.go("/");
            Locator panel = page.locator("section.panel", new Page.LocatorOptions().setHas(page.locator("h2:text-is('Budgets')")));
            assertThat(panel.locator("li", new Locator.LocatorOptions().setHasText(project)).locator("meter").getAttribute("value"))
                    .isEqualTo("4.25");
            Locator latest = page.locator("section.panel", new Page.LocatorOptions().setHas(page.locator("h2:text-is('Latest events')")));
            assertThat(latest.textContent()).contains("budget.set");
            browser.screenshots("overview-budgets-events");
        }
    }

    @Test
    void aViewerReadsBudgetsWithoutTheForm() {
        try (Browser.Session browser = Browser.open(server, 820, 1180)) { // a tablet
            browser.signIn(Browser.newUser(server, "viewer"), Browser.PASSWORD);
            Page page = browser.go("/budgets");
            assertThat((Number) page.evaluate("document.documentElement.scrollWidth")).isEqualTo(820);
            assertThat(page.locator("h1").textContent()).isEqualTo("Budgets");
            assertThat(page.locator("form.budget-form").count()).isZero();
            assertThat(page.locator("nav.nav a").allTextContents()).contains("Budgets").doesNotContain("Webhooks");
            browser.screenshots("budgets-viewer-tablet");
        }
    }
}
