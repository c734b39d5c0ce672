package storyboard.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import storyboard.support.TestServer;
import storyboard.web.Browser;

/**
 * The admin pages and token sign-in in Debian's Chromium: an admin makes a token and sees it once, revokes it after
 * a confirmation, manages users and reads the audit trail; a viewer (or a token restricted to a project) sees no
 * admin page and is refused one by URL. Every page is screenshot light and dark, with no console error.
 */
class AdminPagesBrowserTest {
    private final TestServer server = TestServer.shared();

    @Test
    void anAdminCreatesATokenSeesItOnceAndRevokesItAfterAConfirmation() {
        String admin = Browser.newUser(server, "admin");
        String name = "render farm " + UUID.randomUUID().toString().substring(0, 8);
        String project = "farm-" + UUID.randomUUID().toString().substring(0, 8);
        try (Browser.Session browser = Browser.open(server)) {
            browser.signIn(admin, Browser.PASSWORD);
            Page page = browser.go("/");
            page.locator("nav.nav a", new Page.LocatorOptions().setHasText("Admin")).click();
            page.waitForURL(server.baseUrl() + "/admin/tokens");
            assertThat(page.locator("nav.nav a[aria-current=page]").textContent()).isEqualTo("Admin");
            assertThat(page.locator(".tabs a[aria-current=page]").textContent()).isEqualTo("Tokens");
            browser.screenshots("admin-tokens");

            page.locator("a.button", new Page.LocatorOptions().setHasText("New token")).click();
            page.waitForURL(server.baseUrl() + "/admin/tokens/new");
            page.getByLabel("Name").fill(name);
            page.getByLabel("write: register assets, prompt versions and labels").check();
            page.getByLabel("Projects").fill(project);
            page.getByLabel("Expires").selectOption("7d");
            browser.screenshots("admin-token-new");
            page.locator("button", new Page.LocatorOptions().setHasText("Create token")).click();
            page.waitForURL(server.baseUrl() + "/admin/tokens");
            assertThat(page.locator("h1").textContent()).isEqualTo("Token created");
            String secret = page.locator("#new-token").textContent().strip();
            assertThat(secret).matches("sbs_[A-Za-z0-9_-]{43}");
            assertThat(page.locator("dl.meta").textContent()).contains("read, write").contains(project);
            browser.screenshots("admin-token-created");

            // The token works as the form said, and its creation is audited like the API's, naming the admin.
            JsonNode me = server.call(secret, "GET", "/api/v1/me", null).json();
            assertThat(me.get("name").asText()).isEqualTo(name);
            assertThat(me.get("scopes").toString()).isEqualTo("[\"read\",\"write\"]");
            assertThat(me.get("projects").toString()).isEqualTo("[\"" + project + "\"]");
            String id = me.get("id").asText();
            JsonNode token = server.get("/api/v1/tokens/" + id).json();
            assertThat(Instant.parse(token.get("expires_at").asText()))
                    .isBetween(Instant.now().plus(Duration.ofDays(7)).minusSeconds(120), Instant.now().plus(Duration.ofDays(7)));
            JsonNode created = server.get("/api/v1/audit?action=token.created&target_id=" + id).json().get("items").get(0);
            assertThat(created.get("actor").get("type").asText()).isEqualTo("user");
            assertThat(created.get("actor").get("name").asText()).isEqualTo(admin);
            assertThat(created.get("details").get("projects").toString()).isEqualTo("[\"" + project + "\"]");

            // Shown once: the list names the token by its prefix, never its text.
            page = browser.go("/admin/tokens");
            Locator row = page.locator("tbody tr", new Page.LocatorOptions().setHasText(name));
            assertThat(row.count()).isEqualTo(1);
            assertThat(page.content()).doesNotContain(secret).contains(secret.substring(0, 10) + "…");

            // A dismissed confirmation revokes nothing; an accepted one revokes it.
            AtomicInteger asked = new AtomicInteger();
            page.onceDialog(d -> {
                asked.incrementAndGet();
                assertThat(d.message()).contains(name);
                d.dismiss();
            });
            row.locator("button", new Locator.LocatorOptions().setHasText("Revoke")).click();
            page.waitForTimeout(300);
            assertThat(asked.get()).isEqualTo(1);
            assertThat(server.call(secret, "GET", "/api/v1/me", null).status()).isEqualTo(200);
            page.onceDialog(d -> d.accept());
            row.locator("button", new Locator.LocatorOptions().setHasText("Revoke")).click();
            page.waitForURL(u -> u.contains("done=revoked"));
            assertThat(page.locator("p.notice").textContent()).contains("Revoked the token “" + name + "”");
            assertThat(server.call(secret, "GET", "/api/v1/me", null).status()).isEqualTo(401);
            browser.screenshots("admin-token-revoked");
            assertThat(server.get("/api/v1/audit?action=token.revoked&target_id=" + id).json().get("items").get(0)
                    .get("actor").get("name").asText()).isEqualTo(admin);
        }
    }

    @Test
    void anAdminCreatesAUserChangesTheRoleAndDisablesThem() {
        String admin = Browser.newUser(server, "admin");
        String person = "artist-" + UUID.randomUUID().toString().substring(0, 8);
        try (Browser.Session browser = Browser.open(server)) {
            browser.signIn(admin, Browser.PASSWORD);
            Page page = browser.go("/admin/users/new");
            page.getByLabel("Username").fill(person);
            page.getByLabel("Display name").fill("An Artist");
            page.getByLabel("Role").selectOption("editor");
            page.getByLabel("Password").fill("a long enough password");
            browser.screenshots("admin-user-new");
            page.locator("button", new Page.LocatorOptions().setHasText("Create user")).click();
            page.waitForURL(u -> u.contains("done=created"));
            assertThat(page.locator("p.notice").textContent()).isEqualTo("Created the user " + person + " (editor).");

            Locator row = page.locator("tbody tr", new Page.LocatorOptions().setHasText(person));
            row.getByLabel("Role of " + person).selectOption("viewer");
            page.onceDialog(d -> d.accept());
            row.locator("button", new Locator.LocatorOptions().setHasText("Change role")).click();
            page.waitForURL(u -> u.contains("done=role"));
            assertThat(page.locator("p.notice").textContent()).isEqualTo(person + " is now viewer.");

            row = page.locator("tbody tr", new Page.LocatorOptions().setHasText(person));
            page.onceDialog(d -> d.accept());
            row.locator("button", new Locator.LocatorOptions().setHasText("Disable")).click();
            page.waitForURL(u -> u.contains("done=disabled"));
            assertThat(page.locator("tbody tr", new Page.LocatorOptions().setHasText(person)).locator(".badge").textContent())
                    .isEqualTo("disabled");
            browser.screenshots("admin-users");

            JsonNode events = server.get("/api/v1/audit?action=user.*&actor=" + admin).json().get("items");
            assertThat(events.findValuesAsText("action")).containsExactly("user.disabled", "user.updated", "user.created");
        }
    }

    @Test
    void theAuditTrailFiltersAndScrollsByCursor() {
        // 60 changes by one token: more than a page (50) of the trail, filtered to that token.
        String maker = server.createToken("{\"name\":\"audit-maker\",\"scopes\":[\"admin\"]}");
        String makerId = server.call(maker, "GET", "/api/v1/me", null).json().get("id").asText();
        for (int i = 0; i < 60; i++) {
            assertThat(server.call(maker, "POST", "/api/v1/tokens", "{\"name\":\"made " + i + "\",\"scopes\":[\"read\"]}")
                    .status()).isEqualTo(201);
        }
        String admin = Browser.newUser(server, "admin");
        try (Browser.Session browser = Browser.open(server)) {
            browser.signIn(admin, Browser.PASSWORD);
            Page page = browser.go("/admin/audit");
            page.getByLabel("Action").fill("token.created");
            page.getByLabel("Actor", new Page.GetByLabelOptions().setExact(true)).fill(makerId);
            page.locator("button", new Page.LocatorOptions().setHasText("Filter")).click();
            page.waitForURL(u -> u.contains("action=token.created"));
            assertThat(page.url()).contains("actor=" + makerId);
            page.waitForLoadState(com.microsoft.playwright.options.LoadState.NETWORKIDLE);
            browser.screenshots("admin-audit");
            // The first page and, once scrolled into view, the rest: 60 rows, newest first, no duplicate.
            page.locator("tr.more").scrollIntoViewIfNeeded();
            page.waitForCondition(() -> page.locator("tbody tr:not(.more)").count() == 60);
            assertThat(page.locator("tr.more").count()).isZero();
            assertThat(page.locator("tbody tr td:nth-child(3)").allTextContents()).containsOnly("token.created");
        }
    }

    @Test
    void aViewerSeesNoAdminPageAndIsRefusedByUrl() {
        String viewer = Browser.newUser(server, "viewer");
        try (Browser.Session browser = Browser.open(server)) {
            browser.signIn(viewer, Browser.PASSWORD);
            Page page = browser.go("/");
            assertThat(page.locator("nav.nav a").allTextContents()).doesNotContain("Admin");
            assertThat(page.locator("a[href^='/admin']").count()).isZero();
            for (String path : new String[] {"/admin", "/admin/tokens", "/admin/tokens/new", "/admin/users", "/admin/audit"}) {
                com.microsoft.playwright.Response r = page.navigate(path);
                assertThat(r.status()).as(path).isEqualTo(403);
                assertThat(page.locator("h1").textContent()).isEqualTo("Not allowed");
                assertThat(page.locator("a[href^='/admin']").count()).isZero();
            }
            browser.screenshots("admin-forbidden");
            browser.forgetProblems(); // the browser logs each 403 it was answered, on purpose here
        }
    }

    @Test
    void aPersonSignsInWithATokenAndSeesWhatItMay() {
        String project = "pasted-" + UUID.randomUUID().toString().substring(0, 8);
        String token = server.createToken("{\"name\":\"lead of " + project + "\",\"scopes\":[\"admin\"],\"projects\":[\"" + project + "\"]}");
        try (Browser.Session browser = Browser.open(server)) {
            Page page = browser.page();
            page.navigate("/admin/tokens");
            assertThat(page.url()).contains("/login?next=%2Fadmin%2Ftokens");
            browser.screenshots("login");
            page.locator("summary", new Page.LocatorOptions().setHasText("Sign in with a token")).click();
            page.getByLabel("API token").fill(token);
            browser.screenshots("login-token");
            page.locator("button", new Page.LocatorOptions().setHasText("Sign in with token")).click();
            page.waitForURL(server.baseUrl() + "/admin/tokens");
            // Signed in as the token: restricted to a project, it may not manage the server.
            assertThat(page.locator("h1").textContent()).isEqualTo("Not allowed");
            browser.forgetProblems();
            page = browser.go("/");
            assertThat(page.locator(".who .name").textContent()).isEqualTo("lead of " + project);
            assertThat(page.locator("nav.nav a").allTextContents()).doesNotContain("Admin");
            page.locator("button", new Page.LocatorOptions().setHasText("Sign out")).click();
            page.waitForURL(u -> u.contains("/login"));
            assertThat(server.call(token, "GET", "/api/v1/me", null).status()).isEqualTo(200);
        }
    }

    @Test
    void aWrongTokenGetsTheSignInPageAgain() {
        try (Browser.Session browser = Browser.open(server)) {
            Page page = browser.page();
            page.navigate("/login");
            page.locator("summary", new Page.LocatorOptions().setHasText("Sign in with a token")).click();
            page.getByLabel("API token").fill(Tokens.generate());
            page.locator("button", new Page.LocatorOptions().setHasText("Sign in with token")).click();
            page.waitForLoadState();
            assertThat(page.locator("#token-error").textContent()).isEqualTo("That token is unknown, revoked or expired.");
            assertThat(page.locator("details").getAttribute("open")).isNotNull();
            browser.screenshots("login-token-error");
            browser.forgetProblems(); // the 401 answer, on purpose
        }
    }
}
