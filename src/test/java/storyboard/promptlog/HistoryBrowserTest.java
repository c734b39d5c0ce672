package storyboard.promptlog;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import storyboard.kernel.Json;
import storyboard.support.TestServer;
import storyboard.web.Browser;

/**
 * The prompt history in Debian's Chromium: logs posted through the API appear without a reload, filtering and
 * searching through the form, a log's page, scrolling to older logs, and a token restricted to one project that
 * never sees another's logs, live or not. The session fails on any console error or CSP violation.
 */
class HistoryBrowserTest {
    private final TestServer server = TestServer.shared();
    private final String mark = UUID.randomUUID().toString().substring(0, 8);

    @Test
    void aLogPostedThroughTheApiAppearsLiveThenFilterSearchAndOpenIt() {
        String type = "live-" + mark;
        String project = "browser-" + mark;
        String older = post(log(type, project, "An older prompt about the harbour " + mark));
        String user = Browser.newUser(server, "viewer");
        try (Browser.Session browser = Browser.open(server)) {
            browser.signIn(user, Browser.PASSWORD);
            Page page = live(browser, "/history?type=" + type);
            assertThat(page.locator("nav.nav a[aria-current=page]").textContent()).isEqualTo("History");
            assertThat(rows(page)).hasSize(1);

            // Posted through the API while the page is open: it appears at the top, without a reload.
            ObjectNode fresh = log(type, project, "Break the kitchen argument " + mark + " into shots");
            fresh.put("response", "Here they are:\n```json\n{\"shots\": [{\"n\": 1, \"camera\": \"wide\"}]}\n```\n"
                    + "```python\nprint('cut')\n```");
            fresh.putObject("context").put("sceneId", "sc-1").put("sceneName", "KITCHEN").put("processing_time", 812);
            String id = post(fresh);
            String noise = post(log("other-" + mark, project, "not for this list"));
            String second = post(log(type, project, "A third prompt " + mark));
            page.locator("tr[data-id='" + second + "']").waitFor();
            page.locator("tr[data-id='" + id + "']").waitFor();
            assertThat(rows(page)).startsWith(second, id).hasSize(3).doesNotContain(noise);
            assertThat(page.url()).endsWith("/history?type=" + type); // no reload, no navigation
            assertThat(page.locator("[data-live-state]").getAttribute("data-live-state")).isEqualTo("live");
            browser.screenshots("history");

            // Search through the form: the URL holds only the filters set, and the list the one match.
            page.locator("input[name=q]").fill("kitchen argument");
            page.locator("form.history-filters button[type=submit]").click();
            page.waitForURL(u -> u.contains("q=kitchen+argument"));
            page.locator("[data-live-state=live]").waitFor();
            assertThat(page.url()).endsWith("/history?q=kitchen+argument&type=" + type);
            assertThat(rows(page)).containsExactly(id);
            assertThat(page.locator("input[name=type]").inputValue()).isEqualTo(type);

            // Its page: the prompt, the response's JSON as folds and its code as a block, links to its project and scene.
            page.locator("tr[data-id='" + id + "'] td.prompt a").click();
            page.waitForURL(u -> u.endsWith("/history/" + id));
            page.waitForLoadState();
            assertThat(page.locator("h1").textContent()).isEqualTo("Prompt log");
            assertThat(page.locator("#prompt + .prose").textContent()).isEqualTo("Break the kitchen argument " + mark + " into shots");
            assertThat(page.locator("pre.code[data-language=python] code").textContent()).isEqualTo("print('cut')");
            Locator fold = page.locator(".log-text .json > details.json-node").first();
            assertThat(fold.getAttribute("open")).isNotNull();
            assertThat(page.locator(".log-text .json .json-folded").first().isVisible()).isFalse();
            browser.screenshots("history-detail");
            fold.locator(":scope > summary").click();
            assertThat(fold.getAttribute("open")).isNull();
            assertThat(page.locator(".log-text .json .json-folded").first().textContent()).contains("1 key");
            assertThat(page.locator("a[href='/history?project=" + project + "&scene=sc-1']").textContent()).isEqualTo("KITCHEN");
            page.locator("a[href='/history?project=" + project + "']").first().click();
            page.waitForURL(u -> u.endsWith("/history?project=" + project));
            page.locator("[data-live-state=live]").waitFor();
            assertThat(rows(page)).containsExactly(second, noise, id, older);
        }
    }

    @Test
    void scrollingLoadsOlderLogsPageByPage() {
        String type = "scroll-" + mark;
        ArrayNode items = Json.MAPPER.createArrayNode();
        for (int i = 0; i < 120; i++) {
            items.add(log(type, "scroll", "Panel " + i).put("timestamp", String.format("2025-04-01T10:%02d:%02dZ", i / 60, i % 60)));
        }
        assertThat(server.postJson("/api/v1/prompt-history/batch", Json.MAPPER.createObjectNode().set("items", items)
                .toString()).status()).isEqualTo(200);
        String user = Browser.newUser(server, "viewer");
        try (Browser.Session browser = Browser.open(server, 820, 1180)) {
            browser.signIn(user, Browser.PASSWORD);
            Page page = browser.go("/history?type=" + type); // the open event stream does not hold up "network idle"
            page.locator("[data-live-state=live]").waitFor();
            assertThat(rows(page)).hasSize(HistoryPages.PAGE_SIZE);
            assertThat((Number) page.evaluate("document.documentElement.scrollWidth")).isEqualTo(820);
            browser.screenshots("history-tablet");
            // A back-filled log (it happened among the older ones) appears on top as it arrives, and only there.
            String backfilled = post(log(type, "scroll", "Back-filled").put("timestamp", "2025-04-01T10:00:30Z"));
            page.locator("tr[data-id='" + backfilled + "']").waitFor();
            assertThat(rows(page).get(0)).isEqualTo(backfilled);
            for (int expected : List.of(100, 121)) {
                page.locator("tr.more-row").scrollIntoViewIfNeeded();
                page.waitForFunction("n => document.querySelectorAll('tbody tr[data-id]').length >= n", expected);
            }
            page.waitForTimeout(300);
            assertThat(rows(page)).hasSize(121).doesNotHaveDuplicates().startsWith(backfilled);
            assertThat(page.locator("tr.more-row").count()).isZero();
            assertThat(page.locator("tbody tr[data-id]").last().textContent()).contains("Panel 0");
        }
    }

    @Test
    void aTokenRestrictedToAProjectNeverSeesAnotherProjectsLogs() {
        String type = "restricted-" + mark;
        String mine = "mine-" + mark;
        String theirs = "theirs-" + mark;
        String old = post(log(type, mine, "mine, before"));
        String oldTheirs = post(log(type, theirs, "theirs, before"));
        String token = server.createToken("{\"name\":\"browser " + mark + "\",\"scopes\":[\"read\"],\"projects\":[\"" + mine + "\"]}");
        try (Browser.Session browser = Browser.open(server)) {
            // A token pasted into the browser: every request it makes carries it.
            browser.page().context().setExtraHTTPHeaders(Map.of("Authorization", "Bearer " + token));
            Page page = live(browser, "/history?type=" + type);
            assertThat(rows(page)).containsExactly(old);
            assertThat(page.locator("select[name=project] option").allTextContents()).containsExactly("All my projects", mine);
            String hidden = post(log(type, theirs, "theirs, live"));
            String shown = post(log(type, mine, "mine, live"));
            page.locator("tr[data-id='" + shown + "']").waitFor();
            page.waitForTimeout(500); // time for anything else to arrive, which must not
            assertThat(rows(page)).containsExactly(shown, old).doesNotContain(hidden, oldTheirs);
            assertThat(page.content()).doesNotContain(theirs);
            // Another project's log by URL: the not-found page.
            browser.forgetProblems();
            com.microsoft.playwright.Response refused = page.navigate("/history/" + hidden);
            assertThat(refused.status()).isEqualTo(404);
            assertThat(page.locator(".error-page").textContent()).contains("404");
            browser.forgetProblems(); // the browser logs the 404 itself
        }
    }

    /** Opens a history page and waits until it listens for new logs. */
    private static Page live(Browser.Session browser, String path) {
        Page page = browser.page();
        page.navigate(path);
        page.locator("[data-live-state=live]").waitFor();
        return page;
    }

    private static List<String> rows(Page page) {
        List<?> ids = (List<?>) page.locator("tbody tr[data-id]").evaluateAll("rows => rows.map(r => r.dataset.id)");
        return ids.stream().map(String::valueOf).toList();
    }

    private static ObjectNode log(String type, String project, String prompt) {
        return Json.MAPPER.createObjectNode().put("type", type).put("projectId", project).put("user", "mara")
                .put("llm", "gpt-4o").put("tokens", 420).put("cost", 0.0042).put("prompt", prompt).put("response", "ok");
    }

    private String post(ObjectNode log) {
        TestServer.Response r = server.postJson("/api/v1/prompt-history", log.toString());
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return r.json().get("id").asText();
    }
}
