package storyboard.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Response;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import storyboard.support.TestServer;
import storyboard.web.Browser;

/** The event log and webhook pages in Chromium: live rows, filters, redelivery, and what a viewer may not see. */
class EventsBrowserTest {
    private final TestServer server = TestServer.shared();

    /** Opens the event log and waits for its live stream (the page never goes network-idle while it is open). */
    private static Page openLive(Browser.Session browser, String path) {
        Page page = browser.page();
        page.navigate(path);
        page.locator("#live-status[data-state=live]").waitFor();
        return page;
    }

    @Test
    void anEventAppearsLiveAtTheTopWithoutAReload() {
        String project = "live-" + UUID.randomUUID().toString().substring(0, 8);
        server.postJson("/api/v1/prompt-history", "{\"type\":\"shots\",\"projectId\":\"" + project + "-old\"}");
        try (Browser.Session browser = Browser.open(server)) {
            browser.signIn(Browser.newUser(server, "admin"), Browser.PASSWORD);
            Page page = openLive(browser, "/events");
            assertThat(page.locator("h1").textContent()).isEqualTo("Events");
            assertThat(page.locator("nav.nav a[aria-current=page]").textContent()).isEqualTo("Events");
            Object marker = page.evaluate("window.__notReloaded = true");
            assertThat(marker).isEqualTo(true);

            assertThat(server.postJson("/api/v1/prompt-history", "{\"type\":\"shots\",\"projectId\":\"" + project + "\"}")
                    .status()).isEqualTo(201);
            page.locator("#event-rows tr.fresh a[href='/events?project=" + project + "']").waitFor();
            assertThat(page.locator("#event-rows tr.event").first().textContent()).contains(project).contains("prompt_log.created");
            assertThat(page.evaluate("window.__notReloaded")).isEqualTo(true);
            // Its time is shown in the reader's zone, as on rows rendered with the page.
            assertThat(page.locator("#event-rows tr.event").first().locator("time").getAttribute("title")).isNotNull();
            browser.screenshots("events");

            // The filters go into the URL, and the page shows only what they match.
            page.getByLabel("Project").fill(project);
            page.getByLabel("Types").fill("prompt_log.*");
            page.locator("form.filters button[type=submit]").click();
            page.waitForURL(u -> u.contains("project=" + project));
            page.locator("#live-status[data-state=live]").waitFor();
            assertThat(page.url()).contains("types=prompt_log.*");
            assertThat(page.locator("#event-rows tr.event").count()).isEqualTo(1);
            browser.screenshots("events-filtered");
        }
    }

    @Test
    void anAdminRedeliversADeliveryFromTheWebhookPage() throws Exception {
        String project = "redeliver-" + UUID.randomUUID().toString().substring(0, 8);
        try (WebhooksTest.Receiver receiver = new WebhooksTest.Receiver(0, n -> 200)) {
            String hook = server.call(TestServer.TOKEN, "POST", "/api/v1/webhooks", "{\"url\":\"" + receiver.url()
                    + "\",\"project\":\"" + project + "\",\"description\":\"Cost board\"}").json().get("id").asText();
            server.postJson("/api/v1/prompt-history", "{\"type\":\"shots\",\"projectId\":\"" + project + "\"}");
            receiver.await(1, Duration.ofSeconds(15));
            String delivery = awaitDelivered(hook, 1).get("id").asText();
            try (Browser.Session browser = Browser.open(server)) {
                browser.signIn(Browser.newUser(server, "admin"), Browser.PASSWORD);
                Page page = browser.go("/webhooks");
                assertThat(page.locator("h1").textContent()).isEqualTo("Webhooks");
                browser.screenshots("webhooks");
                page.locator("a[href='/webhooks/" + hook + "']").click();
                page.waitForURL(u -> u.endsWith("/webhooks/" + hook));
                page.waitForLoadState(com.microsoft.playwright.options.LoadState.NETWORKIDLE);
                Locator row = page.locator("#delivery-" + delivery);
                assertThat(row.locator(".badge").first().textContent()).isEqualTo("delivered");
                assertThat(row.textContent()).contains("200");
                browser.screenshots("webhook");

                row.getByRole(com.microsoft.playwright.options.AriaRole.BUTTON).click();
                page.locator("#delivery-" + delivery + " :text('sent again')").waitFor();
                receiver.await(2, Duration.ofSeconds(15));
                assertThat(receiver.requests.get(1).header("Storyboard-Delivery")).isEqualTo(delivery);
                awaitDelivered(hook, 2);
                page.reload();
                assertThat(page.locator("#delivery-" + delivery + " td.num").first().textContent().trim()).isEqualTo("2");
            }
            assertThat(server.call(TestServer.TOKEN, "GET", "/api/v1/audit?action=webhook.redeliver&target_id=" + delivery,
                    null).json().get("items")).hasSize(1);
            server.call(TestServer.TOKEN, "DELETE", "/api/v1/webhooks/" + hook, null);
        }
    }

    @Test
    void aViewerSeesNoWebhooksInTheNavigationAndIsRefusedThePage() {
        try (Browser.Session browser = Browser.open(server, 820, 1180)) { // a tablet
            browser.signIn(Browser.newUser(server, "viewer"), Browser.PASSWORD);
            Page page = openLive(browser, "/events");
            assertThat(page.locator("nav.nav a").allTextContents()).contains("Events", "Budgets").doesNotContain("Webhooks");
            assertThat((Number) page.evaluate("document.documentElement.scrollWidth")).isEqualTo(820);
            browser.screenshots("events-tablet");
            Response refused = page.navigate("/webhooks");
            assertThat(refused.status()).isEqualTo(403);
            assertThat(page.locator("h1").textContent()).isEqualTo("Not allowed");
            assertThat(page.locator(".error-page").textContent()).contains("403").contains("forbidden");
            browser.screenshots("webhooks-refused");
            // The browser reports the refused page load as a console error: expected here, and only that one.
            assertThat(browser.problems()).allMatch(p -> p.contains("403"));
            browser.forgetProblems();
        }
    }

    private JsonNode awaitDelivered(String hook, int attempts) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (System.nanoTime() < deadline) {
            JsonNode items = server.call(TestServer.TOKEN, "GET", "/api/v1/webhooks/" + hook + "/deliveries", null)
                    .json().get("items");
            if (items.size() > 0 && items.get(0).get("status").asText().equals("delivered")
                    && items.get(0).get("attempts").asInt() == attempts) {
                return items.get(0);
            }
            Thread.sleep(50);
        }
        throw new AssertionError("not delivered after " + attempts + " attempts");
    }
}
