package storyboard.prompts;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.LoadState;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import storyboard.support.TestServer;
import storyboard.web.Browser;

/**
 * The registry's pages in Chromium: a person lists and searches prompts (more rows as they scroll), moves a label
 * after its confirmation and reads the diff, previews a render; a viewer (here on a tablet) sees no move and cannot make one by URL.
 * Screenshots of each page, light and dark; any console error or CSP violation fails the test.
 */
class PromptPagesBrowserTest {
    private final TestServer server = TestServer.shared();

    private void version(String name, String body) {
        TestServer.Response r = server.call(TestServer.TOKEN, "POST", "/api/v1/prompts/" + name + "/versions", body);
        assertThat(r.status()).as(r.body()).isEqualTo(201);
    }

    /** breakdown-…/shots: v1 and v2 (a changed first line, a line added), production on v1; one log used v1. */
    private String shots() {
        String name = "breakdown-" + UUID.randomUUID().toString().substring(0, 8) + "/shots";
        version(name, "{\"template\":\"Shots for {{scene}} in {{style}}\\nKeep it short.\","
                + "\"variables\":[{\"name\":\"scene\",\"description\":\"the scene's code, e.g. 12A\"},"
                + "{\"name\":\"style\",\"default\":\"ink\"}],\"config\":{\"model\":\"gpt-4o\"},\"message\":\"first take\"}");
        version(name, "{\"template\":\"List the shots for {{scene}} in {{style}}\\nKeep it short.\\nOne line per shot.\","
                + "\"variables\":[\"scene\",{\"name\":\"style\",\"default\":\"ink\"}],"
                + "\"config\":{\"model\":\"gpt-4o\",\"temperature\":0.2},\"message\":\"one line per shot\"}");
        assertThat(server.call(TestServer.TOKEN, "PUT", "/api/v1/prompts/" + name + "/labels/production", "{\"version\":1}")
                .status()).isEqualTo(200);
        assertThat(server.postJson("/api/v1/prompt-history", "{\"type\":\"shots\",\"tokens\":120,\"cost\":0.003,"
                + "\"context\":{\"promptName\":\"" + name + "\",\"promptVersion\":1,\"processing_time\":900}}").status())
                .isEqualTo(201);
        return name;
    }

    private int production(String name) {
        return server.call(TestServer.TOKEN, "GET", "/api/v1/prompts/" + name + "?label=production", null)
                .json().get("version").asInt();
    }

    @Test
    void anEditorMovesALabelWithItsConfirmationAndReadsTheDiff() {
        String name = shots();
        String user = Browser.newUser(server, "editor");
        try (Browser.Session browser = Browser.open(server)) {
            browser.signIn(user, Browser.PASSWORD);
            Page page = browser.go("/prompts?q=" + name.substring(0, name.indexOf('/')));
            assertThat(page.locator("nav.nav a[aria-current=page]").textContent()).isEqualTo("Prompts");
            page.locator("table.prompts a", new Page.LocatorOptions().setHasText(name)).click();
            page.waitForURL(server.baseUrl() + "/prompts/" + name);
            page.waitForLoadState(LoadState.NETWORKIDLE);
            assertThat(page.locator("h1").textContent()).isEqualTo(name);
            assertThat(page.locator("#shown-title").textContent()).contains("Version 1").contains("production");
            // The usage, loaded after the page, links each version to its logs.
            page.locator("table.usage").waitFor();
            assertThat(page.locator("table.usage a[title='Open these logs in the prompt history']").getAttribute("href"))
                    .isEqualTo("/history?prompt_name=" + name.replace("/", "%2F") + "&prompt_version=1");
            browser.screenshots("prompt");
            // The count opens exactly those logs in the prompt history.
            page.locator("table.usage a[title='Open these logs in the prompt history']").click();
            page.waitForURL(u -> u.contains("/history?"));
            page.waitForLoadState(LoadState.NETWORKIDLE);
            assertThat(page.locator("h1").textContent()).isEqualTo("Prompt history");
            assertThat(page.locator("tr[data-id]").count()).isEqualTo(1);
            page.goBack();
            page.waitForURL(server.baseUrl() + "/prompts/" + name);
            page.waitForLoadState(LoadState.NETWORKIDLE);

            // Move production to version 2: choose it on v2's row, read the confirmation, confirm.
            page.locator("#v2 form.move select").selectOption("production");
            page.locator("#v2 form.move button").click();
            page.waitForURL(u -> u.contains("/labels?"));
            page.waitForLoadState(LoadState.NETWORKIDLE);
            assertThat(page.locator("#confirm-title").textContent()).contains("from version 1 to version 2?");
            assertThat(production(name)).as("nothing moves before the confirmation").isEqualTo(1);
            browser.screenshots("prompt-label-move");
            page.locator("button.confirm-move").click();
            page.waitForURL(u -> u.endsWith("?moved=production"));
            assertThat(page.locator("p.notice").textContent()).contains("production").contains("now points at version 2");
            assertThat(production(name)).isEqualTo(2);
            assertThat(page.locator("#shown-title").textContent()).contains("Version 2").contains("production");

            // Compare the two newest versions (chosen by default in the Compare column).
            page.locator("#compare button[type=submit]").click();
            page.waitForURL(u -> u.contains("/diff?"));
            page.waitForLoadState(LoadState.NETWORKIDLE);
            assertThat(page.url()).contains("from=1").contains("to=2");
            var template = page.locator("section.diff-section").first();
            assertThat(template.locator("td.line.diff-del").first().textContent())
                    .isEqualTo("removed: Shots for {{scene}} in {{style}}");
            assertThat(template.locator("td.line.diff-add").allTextContents())
                    .containsExactly("added: List the shots for {{scene}} in {{style}}", "added: One line per shot.");
            assertThat(template.locator("td.line.diff-same").first().textContent()).isEqualTo("Keep it short.");
            browser.screenshots("prompt-diff");

            // Render version 2: without the scene, the preview says what is missing; with it, the text (the
            // style's default applies).
            browser.go("/prompts/" + name + "/render?version=2");
            page.locator("form.render-form button[type=submit]").click();
            page.waitForURL(u -> u.contains("render=1"));
            assertThat(page.locator(".render-error").textContent()).contains("missing variables: scene");
            page.locator("textarea[name='var.scene']").fill("12A <dusk>");
            page.locator("form.render-form button[type=submit]").click();
            page.waitForURL(u -> u.contains("var.scene=12A"));
            page.waitForLoadState(LoadState.NETWORKIDLE);
            assertThat(page.locator("pre.rendered").textContent())
                    .isEqualTo("List the shots for 12A <dusk> in ink\nKeep it short.\nOne line per shot.");
            browser.screenshots("prompt-render");
        }
    }

    @Test
    void theListLoadsMoreAsItScrolls() {
        String folder = "scroll-" + UUID.randomUUID().toString().substring(0, 8);
        for (int i = 0; i < PromptPages.PAGE + 5; i++) {
            version(folder + "/scene-" + String.format("%03d", i), "{\"template\":\"Scene " + i + " for {{who}}\",\"variables\":[\"who\"]}");
        }
        assertThat(server.call(TestServer.TOKEN, "PUT", "/api/v1/prompts/" + folder + "/scene-000/labels/production",
                "{\"version\":1}").status()).isEqualTo(200);
        String user = Browser.newUser(server, "viewer");
        try (Browser.Session browser = Browser.open(server)) {
            browser.signIn(user, Browser.PASSWORD);
            Page page = browser.go("/prompts?prefix=" + folder + "/");
            assertThat(page.locator("table.prompts tbody tr:not(.more)").count()).isEqualTo(PromptPages.PAGE);
            browser.screenshots("prompts");
            page.locator("table.prompts tr.more").scrollIntoViewIfNeeded();
            page.waitForCondition(() -> page.locator("table.prompts tbody tr:not(.more)").count() == PromptPages.PAGE + 5);
            assertThat(page.locator("table.prompts tr.more").count()).isZero();
            assertThat(page.locator("table.prompts tbody tr").last().textContent()).contains(folder + "/scene-054");
        }
    }

    @Test
    void aViewerSeesNoMoveAndCannotMakeOneByUrl() {
        String name = shots();
        String user = Browser.newUser(server, "viewer");
        try (Browser.Session browser = Browser.open(server, 820, 1180)) { // on a tablet
            browser.signIn(user, Browser.PASSWORD);
            Page page = browser.go("/prompts/" + name);
            assertThat(page.locator("h1").textContent()).isEqualTo(name);
            assertThat(page.locator("form.move").count()).isZero();
            assertThat(page.locator("form.move-new").count()).isZero();
            assertThat(page.locator("th", new Page.LocatorOptions().setHasText("Move a label here")).count()).isZero();
            assertThat(page.locator("#compare").count()).isEqualTo(1);
            page.locator("table.usage").waitFor();
            assertThat((Number) page.evaluate("document.documentElement.scrollWidth")).isEqualTo(820);
            browser.screenshots("prompt-viewer-tablet");
            browser.go("/prompts/" + name + "/diff?from=1&to=2");
            assertThat(page.locator("td.line.diff-add").count()).isEqualTo(4);
            assertThat((Number) page.evaluate("document.documentElement.scrollWidth")).isEqualTo(820);
            browser.screenshots("prompt-diff-tablet");
            browser.go("/prompts/" + name + "/labels?label=production&version=2");
            assertThat(page.locator("h1").textContent()).isEqualTo("Not allowed");
            assertThat(page.locator(".error-page").textContent()).contains("403").contains("write");
            assertThat(page.locator("form[method=post][action$='/labels']").count()).isZero();
            browser.forgetProblems(); // the refused page's 403 is reported by the browser, on purpose here
            assertThat(production(name)).isEqualTo(1);
        }
    }
}
