package storyboard.assets;

import static org.assertj.core.api.Assertions.assertThat;
import static storyboard.assets.AssetFixtures.image;
import static storyboard.assets.AssetFixtures.upload;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import storyboard.support.TestServer;
import storyboard.web.Browser;

/** The asset pages in Chromium: the gallery's thumbnails and infinite scroll, lineage by keyboard, project limits. */
class AssetPagesBrowserTest {
    private final TestServer server = TestServer.shared();
    private final String project = "browser-" + UUID.randomUUID().toString().substring(0, 8);
    private static final String T = TestServer.TOKEN;

    private String create(String name, String kind, String inProject, String parents, int width, int height) {
        String json = "{\"name\":\"" + name + "\",\"kind\":\"" + kind + "\",\"project\":\"" + inProject + "\","
                + "\"scene\":\"SCENE_001\",\"tags\":[\"blocking\"],\"model\":\"sdxl-1.0\",\"seed\":42"
                + (parents == null ? "" : ",\"parents\":" + parents) + "}";
        return upload(server, T, json, "f.png", "image/png", image("png", width, height)).json().get("id").asText();
    }

    private static String ref(String id) {
        return "{\"asset_id\":\"" + id + "\",\"version\":1}";
    }

    private static boolean picturesLoaded(Page page) {
        return (Boolean) page.evaluate("Array.from(document.images).every(i => i.complete && i.naturalWidth > 0)");
    }

    @Test
    void galleryAndLineageOfAnAsset() {
        // A made from B and C; D made from A; and two more pictures for the gallery to page through
        String b = create("SCENE_001/b_reference.png", "reference", project, null, 320, 240);
        String c = create("SCENE_001/c_style.png", "image", project, null, 200, 300);
        String a = create("SCENE_001/a_render.png", "image", project, "[" + ref(b) + "," + ref(c) + "]", 400, 225);
        create("SCENE_001/d_upscale.png", "image", project, "[" + ref(a) + "]", 256, 256);
        create("SCENE_001/e_sketch.png", "thumbnail", project, null, 120, 90);
        String viewer = Browser.newUser(server, "viewer");
        try (Browser.Session browser = Browser.open(server)) {
            browser.signIn(viewer, Browser.PASSWORD);

            // The gallery, two cards a page: scrolling to the end loads the rest (infinite scroll), each with its thumbnail.
            Page page = browser.go("/assets?project=" + project + "&limit=2");
            for (int i = 0; i < 5 && page.locator(".gallery .more").count() > 0; i++) {
                page.locator(".gallery .more").last().scrollIntoViewIfNeeded();
                page.waitForLoadState(com.microsoft.playwright.options.LoadState.NETWORKIDLE);
            }
            assertThat(page.locator(".gallery .asset-card").count()).isEqualTo(5);
            assertThat(page.locator(".gallery .more").count()).isZero();
            assertThat(page.locator(".gallery img").count()).isEqualTo(5);
            assertThat(picturesLoaded(page)).isTrue();
            assertThat(page.locator("input[name=project]").inputValue()).isEqualTo(project);

            // Filtering by the form keeps the filters in the URL.
            page = browser.go("/assets?project=" + project);
            page.locator("select[name=kind]").selectOption("reference");
            page.locator("form.asset-filters button[type=submit]").click();
            page.waitForURL(u -> u.contains("kind=reference"));
            assertThat(page.url()).contains("project=" + project);
            assertThat(page.locator(".gallery .card-name").evaluateAll("els => els.map(e => e.title)")).isEqualTo(java.util.List.of("SCENE_001/b_reference.png"));
            browser.go("/assets?project=" + project);
            browser.screenshots("assets");

            // An asset's page: its versions with provenance and download, and its lineage both ways.
            page = browser.go("/assets/" + a);
            assertThat(page.locator("h1").textContent()).isEqualTo("SCENE_001/a_render.png");
            assertThat(picturesLoaded(page)).isTrue();
            assertThat(page.locator("dl.provenance").textContent()).contains("sdxl-1.0").contains("42");
            assertThat(page.locator("a[download]").getAttribute("download")).isEqualTo("a_render-v1.png");
            Locator madeFrom = page.locator("ul[role=tree][aria-label^='What SCENE_001/a_render.png was made from']");
            assertThat(madeFrom.locator("[role=treeitem]").count()).isEqualTo(3);
            Locator usedBy = page.locator("ul[role=tree][aria-label^='What was made from']");
            assertThat(usedBy.locator("[role=treeitem] .node-name").allTextContents()).contains("SCENE_001/d_upscale.png");
            browser.screenshots("asset");

            // The tree by keyboard: one item in the tab order; Down, Left (to the parent), Left (closes), Right (opens).
            Locator root = madeFrom.locator("[role=treeitem]").first();
            assertThat(root.getAttribute("tabindex")).isEqualTo("0");
            assertThat(madeFrom.locator("[role=treeitem][tabindex='0']").count()).isEqualTo(1);
            root.focus();
            page.keyboard().press("ArrowDown");
            assertThat(focusedName(page)).isEqualTo("SCENE_001/b_reference.png");
            page.keyboard().press("ArrowDown");
            assertThat(focusedName(page)).isEqualTo("SCENE_001/c_style.png");
            page.keyboard().press("ArrowLeft");
            assertThat(focusedName(page)).isEqualTo("SCENE_001/a_render.png");
            page.keyboard().press("ArrowLeft");
            assertThat(root.getAttribute("aria-expanded")).isEqualTo("false");
            assertThat(madeFrom.locator("[role=group]").first().isHidden()).isTrue();
            page.keyboard().press("ArrowRight");
            assertThat(root.getAttribute("aria-expanded")).isEqualTo("true");
            page.keyboard().press("ArrowRight");
            assertThat(focusedName(page)).isEqualTo("SCENE_001/b_reference.png");
            // Enter follows the link to what it was made from; there, A is among what uses it.
            page.keyboard().press("Enter");
            page.waitForURL(u -> u.contains("/assets/" + b));
            page.waitForLoadState(com.microsoft.playwright.options.LoadState.NETWORKIDLE);
            assertThat(page.locator("h1").textContent()).isEqualTo("SCENE_001/b_reference.png");
            assertThat(page.locator("ul[role=tree][aria-label^='What was made from'] .node-name").allTextContents())
                    .containsExactly("SCENE_001/b_reference.png", "SCENE_001/a_render.png", "SCENE_001/d_upscale.png");
            // And back by a click on a node.
            page.locator("ul[role=tree][aria-label^='What was made from'] a[href^='/assets/" + a + "']").click();
            page.waitForURL(u -> u.contains("/assets/" + a));
            assertThat(page.locator("h1").textContent()).isEqualTo("SCENE_001/a_render.png");
        }
    }

    private static String focusedName(Page page) {
        return (String) page.evaluate("document.activeElement.querySelector('.node-name').textContent");
    }

    @Test
    void aRestrictedTokenNeverSeesAnotherProjectsAsset() {
        String other = "elsewhere-" + UUID.randomUUID().toString().substring(0, 8);
        String theirs = create("SCENE_009/secret.png", "image", other, null, 64, 64);
        String mine = create("SCENE_001/mine.png", "image", project, "[" + ref(theirs) + "]", 64, 64);
        String token = server.createToken("{\"name\":\"browser restricted\",\"scopes\":[\"read\"],\"projects\":[\"" + project + "\"]}");
        try (Browser.Session browser = Browser.open(server)) {
            // A pasted token: every request of this browser carries it.
            browser.page().setExtraHTTPHeaders(Map.of("Authorization", "Bearer " + token));
            Page page = browser.go("/assets");
            assertThat(page.locator(".gallery .card-name").allTextContents()).contains("mine.png")
                    .doesNotContain("secret.png");
            page = browser.go("/assets/" + mine);
            assertThat(page.content()).doesNotContain("secret.png").doesNotContain(theirs);
            assertThat(page.locator("ul.parents").textContent()).contains("a version you cannot see");

            page = browser.go("/assets/" + theirs);
            assertThat(page.locator("h1").textContent()).isEqualTo("Not found");
            assertThat(page.locator(".error-page").textContent()).contains("404");
            assertThat(page.content()).doesNotContain("secret.png");
            browser.screenshots("asset-not-found");
            browser.forgetProblems(); // the browser logs the 404 answer of the page itself
        }
    }

    @Test
    void anAssetsPageFitsATablet() {
        String a = create("SCENE_001/tablet_with_a_rather_long_name_for_a_narrow_screen.png", "image", project, null, 300, 200);
        String viewer = Browser.newUser(server, "viewer");
        try (Browser.Session browser = Browser.open(server, 820, 1180)) {
            browser.signIn(viewer, Browser.PASSWORD);
            for (String path : new String[] {"/assets?project=" + project, "/assets/" + a}) {
                Page page = browser.go(path);
                assertThat((Number) page.evaluate("document.documentElement.scrollWidth")).as(path).isEqualTo(820);
            }
            browser.screenshots("asset-tablet");
        }
    }
}
