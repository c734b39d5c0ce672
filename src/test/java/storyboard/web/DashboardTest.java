package storyboard.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Page;
import java.net.URI;
import java.net.http.HttpRequest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import storyboard.support.TestServer;

/** The dashboard's frame: sign-in, the overview, the layout's policy and static files, refusals as pages. */
class DashboardTest {
    private final TestServer server = TestServer.shared();

    @Test
    void aSignedOutVisitorIsSentToSignInAndBack() {
        TestServer.Response r = server.send(server.anonymous("/?a=1").header("Accept", "text/html").GET().build());
        assertThat(r.status()).isEqualTo(303);
        assertThat(r.header("Location")).isEqualTo("/login?next=%2F%3Fa%3D1");
        // htmx asking for a fragment gets a full-page redirect rather than the sign-in page inside a panel.
        TestServer.Response fragment = server.send(server.anonymous("/").header("HX-Request", "true").GET().build());
        assertThat(fragment.status()).isEqualTo(401);
        assertThat(fragment.header("HX-Redirect")).isEqualTo("/login?next=%2F");
    }

    @Test
    void aPersonSignsInAndSeesTheOverviewUnderAStrictPolicy() {
        String user = Browser.newUser(server, "admin");
        try (Browser.Session browser = Browser.open(server)) {
            browser.page().navigate("/");
            assertThat(browser.page().url()).contains("/login?next=%2F");
            browser.signIn(user, Browser.PASSWORD);
            Page page = browser.go("/");
            assertThat(page.title()).isEqualTo("Overview · Storyboard Server");
            assertThat(page.locator("nav.nav a[aria-current=page]").textContent()).isEqualTo("Overview");
            assertThat(page.locator(".who .name").textContent()).isEqualTo(user);
            browser.screenshots("overview");
            // Keyboard: the first Tab reaches the skip link, which moves focus to the content.
            page.keyboard().press("Tab");
            assertThat(page.evaluate("document.activeElement.className")).isEqualTo("skip");
            // The theme button switches to dark and the choice survives a reload.
            page.click("#theme-toggle");
            assertThat(page.evaluate("document.documentElement.dataset.theme")).isEqualTo("dark");
            page.reload();
            assertThat(page.evaluate("document.documentElement.dataset.theme")).isEqualTo("dark");
            page.click("button:has-text('Sign out')");
            page.waitForURL(u -> u.contains("/login"));
        }
    }

    @Test
    void pagesAndTheirFilesCarryTheirHeaders() {
        TestServer.Response page = server.call(TestServer.TOKEN, "GET", "/", null);
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.header("Content-Type")).startsWith("text/html");
        assertThat(page.header("Content-Security-Policy")).isEqualTo(Pages.CONTENT_SECURITY_POLICY)
                .doesNotContain("unsafe-inline").doesNotContain("unsafe-eval");
        assertThat(page.header("Cache-Control")).isEqualTo("no-store");
        assertThat(page.body()).doesNotContain("<script>").doesNotContain(" style=\"");
        Matcher css = Pattern.compile("/static/([0-9a-f]{12})/web/app\\.css").matcher(page.body());
        assertThat(css.find()).isTrue();
        TestServer.Response file = server.call(TestServer.TOKEN, "GET", css.group(), null);
        assertThat(file.status()).isEqualTo(200);
        assertThat(file.header("Content-Type")).startsWith("text/css");
        assertThat(file.header("Cache-Control")).isEqualTo("private, max-age=31536000, immutable");
        Matcher htmx = Pattern.compile("/static/[0-9a-f]{12}/webjars/htmx\\.org/dist/htmx\\.min\\.js").matcher(page.body());
        assertThat(htmx.find()).isTrue();
        assertThat(server.call(TestServer.TOKEN, "GET", htmx.group(), null).body()).contains("htmx");
        // Another hash, a path out of the static folders, or a file that does not exist: 404.
        assertThat(server.call(TestServer.TOKEN, "GET", "/static/000000000000/web/app.css", null).status()).isEqualTo(404);
        assertThat(server.call(TestServer.TOKEN, "GET", "/static/" + css.group(1) + "/web/../web/app.css", null).status())
                .isEqualTo(404);
        assertThat(server.call(TestServer.TOKEN, "GET", "/static/" + css.group(1) + "/web/missing.css", null).status())
                .isEqualTo(404);
        // Without a credential, no file.
        assertThat(server.send(server.anonymous(css.group()).GET().build()).status()).isEqualTo(401);
    }

    @Test
    void anUnknownPathIsAnHtmlPageForABrowserAndJsonForAClient() {
        HttpRequest html = server.request("/no-such-page").header("Accept", "text/html,application/xhtml+xml").GET().build();
        TestServer.Response page = server.send(html);
        assertThat(page.status()).isEqualTo(404);
        assertThat(page.header("Content-Type")).startsWith("text/html");
        assertThat(page.body()).contains("Not found").contains("not_found");
        TestServer.Response json = server.call(TestServer.TOKEN, "GET", "/no-such-page", null);
        assertThat(json.status()).isEqualTo(404);
        assertThat(json.json().get("error").asText()).isEqualTo("not_found");
        // Text a visitor put in the path is escaped on the page.
        TestServer.Response hostile = server.send(server.request("/%3Cscript%3Ealert(1)%3C%2Fscript%3E")
                .header("Accept", "text/html").GET().build());
        assertThat(hostile.status()).isEqualTo(404);
        assertThat(hostile.body()).doesNotContain("<script>alert(1)");
    }

    @Test
    void theOverviewFitsATablet() {
        String user = Browser.newUser(server, "viewer");
        try (Browser.Session browser = Browser.open(server, 820, 1180)) {
            browser.signIn(user, Browser.PASSWORD);
            Page page = browser.go("/");
            assertThat((Number) page.evaluate("document.documentElement.scrollWidth")).isEqualTo(820);
            browser.screenshots("overview-tablet");
        }
    }
}
