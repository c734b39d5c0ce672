package storyboard.projects;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.LoadState;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import storyboard.support.TestServer;
import storyboard.web.Browser;

/** The project pages in Chromium: list → project → a revision's changes → scenes with their thumbnails in order. */
class ProjectPagesBrowserTest {
    private final TestServer server = TestServer.shared();
    private final String mark = UUID.randomUUID().toString().substring(0, 8);
    private static final String SCENE_1 = "scenes/0001_SCENE_001.json";

    /** The sample imported by mara (revision 1) and theo's push changing SCENE_001's first shot (revision 2). */
    private UUID sampleWithAPush(String name) {
        Map<String, byte[]> files = ProjectFixtures.sample(name);
        UUID id = ProjectPageFixtures.create(server, ProjectPageFixtures.writer(server, "mara"), files, "First import from the app");
        ProjectPageFixtures.push(server, ProjectPageFixtures.writer(server, "theo"), id,
                ProjectPageFixtures.changed(files, SCENE_1, "CLOSE UP", "Where were you?"), "Closer on Mara in shot 10");
        return id;
    }

    private static boolean picturesLoaded(Page page) {
        return (Boolean) page.evaluate("Array.from(document.images).every(i => i.complete && i.naturalWidth > 0)");
    }

    @Test
    void fromTheListToAProjectARevisionAndItsScenes() {
        String name = "KitchenArgument-" + mark;
        UUID id = sampleWithAPush(name);
        String viewer = Browser.newUser(server, "viewer");
        try (Browser.Session browser = Browser.open(server)) {
            browser.signIn(viewer, Browser.PASSWORD);
            Page page = browser.go("/");
            // the navigation and the overview's recent pushes
            assertThat(page.locator("nav.nav a[href='/projects']").textContent()).isEqualTo("Projects");
            page.locator(".recent-pushes").first().waitFor();
            assertThat(page.locator(".recent-pushes").textContent()).contains(name);

            // The list: search by name through the form; the filter stays in the URL.
            page = browser.go("/projects");
            page.locator("input[name=q]").fill(mark);
            page.locator("form.project-filters button[type=submit]").click();
            page.waitForURL(u -> u.contains("q=" + mark));
            assertThat(page.locator("table.projects .project-name").allTextContents()).containsExactly(name);
            assertThat(page.locator("table.projects tbody tr").first().textContent()).contains("r2").contains("theo");
            browser.screenshots("projects");

            // The project: its facts, revisions newest first, downloads and links.
            page.locator("table.projects .project-name").click();
            page.waitForURL(u -> u.endsWith("/projects/" + id));
            page.waitForLoadState(LoadState.NETWORKIDLE);
            assertThat(page.locator("h1").textContent()).isEqualTo(name);
            assertThat(page.locator("table.revisions tbody th").allTextContents()).containsExactly("r2 head", "r1");
            assertThat(page.locator("table.revisions").textContent()).contains("Closer on Mara in shot 10")
                    .contains("First import from the app");
            assertThat(page.locator(".project-actions a").allTextContents()).contains("Prompt logs", "Assets");
            browser.screenshots("project");

            // Revision 2: what changed against revision 1.
            page.locator("#r2 a", new Page.LocatorOptions().setHasText("Changes")).click();
            page.waitForURL(u -> u.endsWith("/revisions/2"));
            page.waitForLoadState(LoadState.NETWORKIDLE);
            assertThat(page.locator("h1").textContent()).isEqualTo(name + " · revision 2");
            assertThat(page.locator(".change-counts").textContent()).contains("1 added").contains("1 modified").contains("1 removed");
            assertThat(page.locator("table.file-changes td.path").allTextContents())
                    .containsExactly("references/mood.txt", SCENE_1, ProjectPageFixtures.REMOVED_THUMBNAIL);
            assertThat(page.locator("ul.warnings").textContent()).contains("is not in the package");
            // the storyboard's changes: the shot whose camera and dialogue changed, and the panel that lost its thumbnail
            var changedShot = page.locator(".storyboard-changes li.diff-item", new Page.LocatorOptions().setHasText("SHOT_0010"));
            assertThat(changedShot.locator(".tag").allTextContents()).containsExactly("camera", "dialogue");
            assertThat(page.locator(".panel-changes li.diff-item").textContent()).contains("PANEL_002").contains("thumbnail");
            browser.screenshots("project-revision");

            // The changed shot's link: the scenes page of revision 2, at that shot; scenes → shots → panels in order,
            // each panel's thumbnail loaded from the revision's files.
            changedShot.locator("a.item-name").click();
            page.waitForURL(u -> u.contains("/scenes?revision=2") && u.endsWith("#shot-b94067ed-fe17-4330-a11d-459a2f978d87"));
            page.waitForLoadState(LoadState.NETWORKIDLE);
            assertThat(page.locator("li.shot:target .shot-name").textContent()).isEqualTo("SHOT_0010 MEDIUM");
            page = browser.go("/projects/" + id + "/scenes?revision=2");
            assertThat(page.locator("section.scene h2").allTextContents()).containsExactly("SCENE_001", "SCENE_002");
            assertThat(page.locator("section.scene").first().locator(".shot-name").allTextContents())
                    .containsExactly("SHOT_0010 MEDIUM", "SHOT_0020 CLOSE", "SHOT_0030 CLOSE");
            @SuppressWarnings("unchecked")
            List<String> sources = (List<String>) page.locator("ol.panels img")
                    .evaluateAll("els => els.map(e => e.getAttribute('src'))");
            assertThat(sources).hasSize(11);
            assertThat(sources.get(0)).contains("panel_cd613e30").endsWith("?revision=2");
            assertThat(sources.get(1)).contains("panel_05b6e6e3");
            assertThat(sources.get(2)).contains("panel_f9270f4e");
            page.locator("ol.panels img").last().scrollIntoViewIfNeeded();
            page.waitForLoadState(LoadState.NETWORKIDLE);
            assertThat(picturesLoaded(page)).isTrue();
            assertThat(page.locator("li.shot").first().textContent()).contains("CLOSE UP").contains("Where were you?")
                    .contains("2.00 s (48 f)");
            page.evaluate("window.scrollTo(0, 0)");
            browser.screenshots("project-scenes");

            // A scene's prompt logs: the history filtered by the project and the scene's name.
            page.locator("section.scene a.scene-logs").first().click();
            page.waitForURL(u -> u.contains("/history?"));
            assertThat(page.url()).contains("project=" + name).contains("scene=SCENE_001");
        }
    }

    @Test
    void scrollingLoadsTheNextScenes() {
        String name = "Long-" + mark;
        Map<String, byte[]> files = new TreeMap<>(ProjectFixtures.sample(name));
        byte[] scene = files.get(SCENE_1);
        int count = ProjectPages.SCENES_PAGE_SIZE * 2 + 1;
        for (int i = 3; i <= count; i++) files.put(String.format("scenes/%04d_SCENE_%03d.json", i, i), scene);
        UUID id = ProjectPageFixtures.create(server, TestServer.TOKEN, files, "long");
        String viewer = Browser.newUser(server, "viewer");
        try (Browser.Session browser = Browser.open(server)) {
            browser.signIn(viewer, Browser.PASSWORD);
            Page page = browser.go("/projects/" + id + "/scenes");
            assertThat(page.locator("section.scene").count()).isEqualTo(ProjectPages.SCENES_PAGE_SIZE);
            // each time the end comes into view, the next scenes come (htmx swaps the "more" row for them)
            for (int shown = ProjectPages.SCENES_PAGE_SIZE; shown < count; shown += ProjectPages.SCENES_PAGE_SIZE) {
                page.locator(".scene-list > .more").last().scrollIntoViewIfNeeded();
                page.locator("section.scene").nth(Math.min(count, shown + ProjectPages.SCENES_PAGE_SIZE) - 1).waitFor();
            }
            page.waitForLoadState(LoadState.NETWORKIDLE);
            assertThat(page.locator("section.scene").count()).isEqualTo(count);
            assertThat(page.locator("section.scene h2").last().textContent()).isEqualTo(String.format("SCENE_%03d", count));
            assertThat(page.locator(".scene-list > .more").count()).isZero();
            // the table of contents jumps to a scene further on
            page.locator(".scene-toc a", new Page.LocatorOptions().setHasText("SCENE_010")).click();
            page.waitForURL(u -> u.contains("from=0010_SCENE_010"));
            assertThat(page.locator("section.scene h2").first().textContent()).isEqualTo("SCENE_010");
        }
    }

    @Test
    void aRestrictedTokenGetsNotFoundForAnotherProject() {
        String mine = "Mine-" + mark;
        String theirs = "Theirs-" + mark;
        sampleWithAPush(mine);
        UUID theirId = sampleWithAPush(theirs);
        String token = server.createToken("{\"name\":\"browser projects " + mark + "\",\"scopes\":[\"read\"],\"projects\":[\"" + mine + "\"]}");
        try (Browser.Session browser = Browser.open(server)) {
            browser.page().setExtraHTTPHeaders(Map.of("Authorization", "Bearer " + token));
            Page page = browser.go("/projects?q=" + mark);
            assertThat(page.locator("table.projects .project-name").allTextContents()).containsExactly(mine);
            page = browser.go("/projects/" + theirId + "/scenes");
            assertThat(page.locator("h1").textContent()).isEqualTo("Not found");
            assertThat(page.content()).doesNotContain(theirs);
            browser.forgetProblems(); // the browser logs the 404 answer of the page itself
        }
    }

    @Test
    void theProjectPagesFitATablet() {
        String name = "Tablet-with-a-rather-long-project-name-" + mark;
        UUID id = sampleWithAPush(name);
        String viewer = Browser.newUser(server, "viewer");
        try (Browser.Session browser = Browser.open(server, 820, 1180)) {
            browser.signIn(viewer, Browser.PASSWORD);
            String[][] pages = {{"/projects?q=" + mark, "projects-tablet"}, {"/projects/" + id, "project-tablet"},
                    {"/projects/" + id + "/revisions/2", "project-revision-tablet"},
                    {"/projects/" + id + "/scenes", "project-scenes-tablet"}};
            for (String[] p : pages) {
                Page page = browser.go(p[0]);
                assertThat((Number) page.evaluate("document.documentElement.scrollWidth")).as(p[0]).isEqualTo(820);
                browser.screenshots(p[1]);
            }
        }
    }
}
