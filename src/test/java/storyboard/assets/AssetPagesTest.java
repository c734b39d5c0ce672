package storyboard.assets;

import static org.assertj.core.api.Assertions.assertThat;
import static storyboard.assets.AssetFixtures.image;
import static storyboard.assets.AssetFixtures.upload;
import static storyboard.assets.AssetFixtures.wav;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import storyboard.support.TestServer;

/** The asset pages over HTTP: what they show, to whom, and their refusals as HTML pages (never a 500). */
class AssetPagesTest {
    private final TestServer server = TestServer.shared();
    private final String project = "pages-" + UUID.randomUUID().toString().substring(0, 8);
    private static final String T = TestServer.TOKEN;

    private String create(String name, String kind, String parents) {
        return create(name, kind, project, parents);
    }

    private String create(String name, String kind, String inProject, String parents) {
        String json = "{\"name\":\"" + name + "\",\"kind\":\"" + kind + "\",\"project\":\"" + inProject + "\""
                + (parents == null ? "" : ",\"parents\":" + parents) + ",\"model\":\"sdxl\",\"seed\":42,"
                + "\"tags\":[\"blocking\"],\"metadata\":{\"artist\":\"mara\"}}";
        return upload(server, T, json, "f.png", "image/png", image("png", 40, 30)).json().get("id").asText();
    }

    private static String ref(String id, int version) {
        return "{\"asset_id\":\"" + id + "\",\"version\":" + version + "}";
    }

    private TestServer.Response page(String token, String path) {
        TestServer.Response r = server.call(token, "GET", path, null);
        assertThat(r.status()).as(path + ": " + r.body()).isLessThan(500);
        return r;
    }

    /** A page refused: an HTML page with its status and error code, and the page's security headers. */
    private void refused(String token, String path, int status, String code) {
        TestServer.Response r = page(token, path);
        assertThat(r.status()).as(path + ": " + r.body()).isEqualTo(status);
        assertThat(r.header("Content-Type")).as(path).startsWith("text/html");
        assertThat(r.header("Content-Security-Policy")).as(path).contains("script-src 'self'");
        assertThat(r.body()).as(path).contains(String.valueOf(status)).contains(code);
    }

    private static List<String> cardLinks(String html) {
        List<String> out = new ArrayList<>();
        Matcher m = Pattern.compile("class=\"card-link\" href=\"/assets/([0-9a-f-]{36})").matcher(html);
        while (m.find()) out.add(m.group(1));
        return out;
    }

    @Test
    void theGalleryShowsThumbnailsWithTheApisFiltersInTheUrl() {
        String picture = create("SCENE_001/panel_001.png", "thumbnail", null);
        String sound = upload(server, T, "{\"name\":\"line_001.wav\",\"kind\":\"audio\",\"project\":\"" + project + "\"}",
                "line.wav", "audio/wav", wav(200)).json().get("id").asText();
        TestServer.Response r = page(T, "/assets?project=" + project);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.header("Content-Type")).startsWith("text/html");
        assertThat(cardLinks(r.body())).containsExactly(sound, picture);
        // a picture gets its thumbnail (the version's, cacheable for good) at its size; a sound its kind, no <img>
        assertThat(r.body()).contains("<img src=\"/api/v1/assets/" + picture + "/thumbnail?version=1\" alt=\"\" width=\"40\" height=\"30\"");
        assertThat(r.body()).doesNotContain("/api/v1/assets/" + sound + "/thumbnail");
        assertThat(server.call(T, "GET", "/api/v1/assets/" + picture + "/thumbnail?version=1", null).status()).isEqualTo(200);
        // the filters fill the form, and filter as the API does
        assertThat(cardLinks(page(T, "/assets?project=" + project + "&kind=audio").body())).containsExactly(sound);
        assertThat(cardLinks(page(T, "/assets?project=" + project + "&q=panel").body())).containsExactly(picture);
        TestServer.Response tagged = page(T, "/assets?project=" + project + "&tag=blocking&q=");
        assertThat(cardLinks(tagged.body())).containsExactly(picture);
        assertThat(tagged.body()).contains("name=\"project\" value=\"" + project + "\"").contains("name=\"tag\" value=\"blocking\"");
        assertThat(page(T, "/assets?project=" + project + "&kind=video").body()).contains("No asset matches these filters.");
        // the navigation offers the gallery
        assertThat(r.body()).contains("<a href=\"/assets\" aria-current=\"page\">Assets</a>");
    }

    @Test
    void theGalleryPagesByCursorWithANextFragment() {
        List<String> made = new ArrayList<>();
        for (int i = 0; i < 5; i++) made.add(0, create("p" + i + ".png", "image", null));
        TestServer.Response first = page(T, "/assets?project=" + project + "&limit=2");
        List<String> seen = new ArrayList<>(cardLinks(first.body()));
        String html = first.body();
        for (int pages = 0; pages < 5; pages++) {
            Matcher more = Pattern.compile("hx-get=\"(/assets/more\\?[^\"]+)\" hx-trigger=\"revealed\"").matcher(html);
            if (!more.find()) break;
            String next = more.group(1).replace("&amp;", "&");
            assertThat(next).contains("project=" + project).contains("limit=2").contains("cursor=");
            // the plain link, for a browser without scripts, opens the same page in full
            assertThat(html).contains("href=\"" + more.group(1).replace("/assets/more?", "/assets?") + "\"");
            TestServer.Response fragment = page(T, next);
            assertThat(fragment.status()).isEqualTo(200);
            assertThat(fragment.body()).doesNotContain("<html").contains("<li class=\"asset-card\"");
            html = fragment.body();
            seen.addAll(cardLinks(html));
        }
        assertThat(seen).containsExactlyElementsOf(made);
    }

    @Test
    void anAssetsPageShowsVersionsProvenanceDownloadsAndLineageBothWays() {
        String b = create("b.png", "reference", null);
        String c = create("c.safetensors", "lora", null);
        String a = create("a.png", "image", "[" + ref(b, 1) + "," + ref(c, 1) + "]");
        String d = create("d.png", "image", "[" + ref(a, 1) + "]");
        TestServer.Response r = page(T, "/assets/" + a);
        assertThat(r.status()).isEqualTo(200);
        String html = r.body();
        assertThat(html).contains("<title>a.png · Storyboard Server</title>");
        // provenance: model, seed, parents by name with links to their pages
        assertThat(html).contains("<dt>Model</dt><dd>sdxl</dd>").contains("<dt>Seed</dt><dd class=\"mono\">42</dd>");
        assertThat(html).contains("<a href=\"/assets/" + b + "?version=1\">b.png</a>")
                .contains("<a href=\"/assets/" + c + "?version=1\">c.safetensors</a>");
        // download of the version's blob, named after the asset
        String sha = server.call(T, "GET", "/api/v1/assets/" + a, null).json().get("versions").get(0).get("sha256").asText();
        assertThat(html).contains("href=\"/api/v1/blobs/" + sha + "\" download=\"a-v1.png\"");
        // metadata and tags
        assertThat(html).contains("<dt class=\"metadata-key\">artist</dt><dd>mara</dd>")
                .contains("href=\"/assets?project=" + project + "&amp;tag=blocking\"");
        // lineage: what it was made from (b and c), and what uses it (d), as trees of links
        String madeFrom = section(html, "made-from-title");
        assertThat(madeFrom).contains("role=\"tree\"").contains("href=\"/assets/" + b + "?version=1\"")
                .contains("href=\"/assets/" + c + "?version=1\"").doesNotContain(d);
        String usedBy = section(html, "used-by-title");
        assertThat(usedBy).contains("href=\"/assets/" + d + "?version=1\"").doesNotContain(b);
        // from b: used by a, and through a by d, nested
        String fromB = section(page(T, "/assets/" + b).body(), "used-by-title");
        assertThat(fromB.indexOf(a)).isPositive().isLessThan(fromB.indexOf(d));
        assertThat(fromB).contains("aria-level=\"2\"").contains("aria-level=\"3\"");
        // depth-limited like the API: depth 1 stops at a, and says that more lies beyond
        String shallow = page(T, "/assets/" + b + "?depth=1").body();
        assertThat(section(shallow, "used-by-title")).contains(a).doesNotContain(d).contains("more beyond this depth");
        assertThat(shallow).contains("href=\"/assets/" + b + "?depth=2\"");
    }

    /** The part of a page from the heading with this id to the next section's end. */
    private static String section(String html, String headingId) {
        int start = html.indexOf("id=\"" + headingId + "\"");
        assertThat(start).as(headingId).isPositive();
        return html.substring(start, html.indexOf("</section>", start));
    }

    @Test
    void aNewerVersionsLineageAndAChosenVersion() {
        String b = create("b2.png", "reference", null);
        String a = create("a2.png", "image", null);
        String sha = AssetFixtures.putBlob(server, T, image("png", 12, 12));
        String log = UUID.randomUUID().toString();
        assertThat(server.call(T, "POST", "/api/v1/assets/" + a + "/versions",
                "{\"sha256\":\"" + sha + "\",\"parents\":[" + ref(b, 1) + "],\"prompt_name\":\"shots/render\",\"prompt_version\":3,"
                        + "\"prompt_log_id\":\"" + log + "\",\"job_id\":\"job-7\"}")
                .status()).isEqualTo(201);
        // the latest version (2) was made from b; version 1 from nothing
        assertThat(section(page(T, "/assets/" + a).body(), "made-from-title")).contains(b);
        String v1 = page(T, "/assets/" + a + "?version=1").body();
        assertThat(section(v1, "made-from-title")).doesNotContain(b).contains("names no parent versions");
        assertThat(v1).contains("<tr id=\"v1\" class=\"shown\">").contains("<tr id=\"v2\">");
        // provenance links to the prompt log's page and the registry prompt's version, pages of their capabilities
        assertThat(v1).contains("<a class=\"mono\" href=\"/history/" + log + "\">")
                .contains("<dt>Job</dt><dd class=\"mono\">job-7</dd>");
        if (storyboard.kernel.RouteAccess.of("GET", "/prompts/<name>").isPresent()) {
            assertThat(v1).contains("<a href=\"/prompts/shots/render?version=3\">shots/render v3</a>");
        } else {
            assertThat(v1).contains("shots/render v3").doesNotContain("href=\"/prompts/");
        }
    }

    @Test
    void badInputIsAnHtmlPageNeverA500() {
        String a = create("bad.png", "image", null);
        refused(T, "/assets/not-a-uuid", 400, "invalid_parameter");
        refused(T, "/assets/" + UUID.randomUUID(), 404, "not_found");
        refused(T, "/assets/" + a + "?version=abc", 400, "invalid_parameter");
        refused(T, "/assets/" + a + "?version=0", 400, "invalid_parameter");
        refused(T, "/assets/" + a + "?version=9", 404, "not_found");
        refused(T, "/assets/" + a + "?depth=0", 400, "invalid_parameter");
        refused(T, "/assets/" + a + "?depth=101", 400, "invalid_parameter");
        refused(T, "/assets/" + a + "?include_deleted=maybe", 400, "invalid_parameter");
        refused(T, "/assets/" + a + "?colour=red", 400, "unknown_parameter");
        refused(T, "/assets/" + a + "?version=1&version=2", 400, "invalid_parameter");
        refused(T, "/assets?kind=spaceship", 400, "invalid_parameter");
        refused(T, "/assets?sha256=xyz", 400, "invalid_parameter");
        refused(T, "/assets?md5=12", 400, "invalid_parameter");
        refused(T, "/assets?limit=0", 400, "invalid_parameter");
        refused(T, "/assets?limit=many", 400, "invalid_parameter");
        refused(T, "/assets?q=" + "x".repeat(501), 400, "invalid_parameter");
        refused(T, "/assets?cursor=garbage", 400, "invalid_parameter");
        refused(T, "/assets/more?cursor=garbage", 400, "invalid_parameter");
        refused(T, "/assets?bogus=1", 400, "unknown_parameter");
        // a cursor of the search listing cannot page the plain one
        String search = page(T, "/assets?q=bad&limit=1").body();
        create("bad2.png", "image", null);
        Matcher cursor = Pattern.compile("cursor=([A-Za-z0-9_-]+)").matcher(page(T, "/assets?q=bad&limit=1").body());
        assertThat(search).isNotEmpty();
        assertThat(cursor.find()).isTrue();
        refused(T, "/assets?cursor=" + cursor.group(1), 400, "invalid_parameter");
        // text from the URL is escaped, not run
        TestServer.Response hostile = page(T, "/assets?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E");
        assertThat(hostile.status()).isEqualTo(200);
        assertThat(hostile.body()).doesNotContain("<script>alert(1)").contains("value=\"&lt;script>alert(1)&lt;/script>\"");
    }

    @Test
    void aSignedOutVisitorIsSentToSignIn() {
        TestServer.Response r = server.send(server.anonymous("/assets/" + UUID.randomUUID() + "?depth=3").GET().build());
        assertThat(r.status()).isEqualTo(303);
        assertThat(r.header("Location")).startsWith("/login?next=%2Fassets%2F");
        TestServer.Response fragment = server.send(server.anonymous("/assets/more").header("HX-Request", "true").GET().build());
        assertThat(fragment.status()).isEqualTo(401);
        assertThat(fragment.header("HX-Redirect")).startsWith("/login?next=");
    }

    @Test
    void aTokenRestrictedToAProjectNeverSeesAnotherProjectsAssets() {
        String other = "other-" + UUID.randomUUID().toString().substring(0, 8);
        String theirs = create("theirs.png", "image", other, null);
        String mine = create("mine.png", "image", "[" + ref(theirs, 1) + "]");
        String usesMine = create("/hero <b>bold</b>.png", "image", other, "[" + ref(mine, 1) + "]");
        String token = server.createToken("{\"name\":\"restricted pages\",\"scopes\":[\"read\"],\"projects\":[\"" + project + "\"]}");
        // their asset is a 404 page, as if it did not exist; so is their project in the gallery
        refused(token, "/assets/" + theirs, 404, "not_found");
        refused(token, "/assets?project=" + other, 404, "not_found");
        // the gallery shows only this project's assets
        List<String> all = cardLinks(page(token, "/assets").body());
        assertThat(all).contains(mine).doesNotContain(theirs, usesMine);
        // my asset's page names no asset of theirs: not as a parent, not in either tree
        String html = page(token, "/assets/" + mine).body();
        assertThat(html).doesNotContain(theirs).doesNotContain("theirs.png").doesNotContain(usesMine).doesNotContain("hero")
                .contains("a version you cannot see");
        // the unrestricted admin sees both, names escaped
        String admin = page(T, "/assets/" + mine).body();
        assertThat(admin).contains("theirs.png").contains("/hero &lt;b&gt;bold&lt;/b&gt;.png");
        // a read token offers no download it could not use? It can: blobs need read. A token without read sees no page.
        String ingestOnly = server.createToken("{\"name\":\"ingest pages\",\"scopes\":[\"ingest\"]}");
        refused(ingestOnly, "/assets", 403, "forbidden");
        assertThat(page(token, "/assets/" + mine).body()).contains("download=\"mine-v1.png\"");
    }

    @Test
    void deletedAssetsFollowTheApisRules() {
        String gone = create("gone.png", "image", null);
        String child = create("child.png", "image", "[" + ref(gone, 1) + "]");
        assertThat(server.call(T, "DELETE", "/api/v1/assets/" + gone, null).status()).isEqualTo(204);
        String reader = server.createToken("{\"name\":\"reader pages\",\"scopes\":[\"read\"]}");
        // a deleted asset is a 404 page; only an admin who asks sees it
        refused(reader, "/assets/" + gone, 404, "not_found");
        refused(T, "/assets/" + gone, 404, "not_found");
        refused(reader, "/assets/" + gone + "?include_deleted=true", 403, "forbidden");
        refused(reader, "/assets?include_deleted=true", 403, "forbidden");
        TestServer.Response shown = page(T, "/assets/" + gone + "?include_deleted=true");
        assertThat(shown.status()).isEqualTo(200);
        assertThat(shown.body()).contains("Deleted <time").contains("Not shown for a deleted asset.")
                .doesNotContain("/thumbnail"); // the thumbnail route answers 404 for a deleted asset
        // the gallery: hidden, or shown marked to an admin who asks (the checkbox only offered to admins)
        assertThat(cardLinks(page(T, "/assets?project=" + project).body())).containsExactly(child);
        String withDeleted = page(T, "/assets?project=" + project + "&include_deleted=true").body();
        assertThat(cardLinks(withDeleted)).containsExactlyInAnyOrder(child, gone);
        assertThat(withDeleted).contains("href=\"/assets/" + gone + "?include_deleted=true\"").contains("badge bad\">deleted");
        assertThat(page(T, "/assets").body()).contains("name=\"include_deleted\"");
        assertThat(page(reader, "/assets").body()).doesNotContain("name=\"include_deleted\"");
        // the child no longer names it (the walk stops at deleted assets), and says a parent is not visible
        String childPage = page(reader, "/assets/" + child).body();
        assertThat(childPage).doesNotContain("gone.png").contains("a version you cannot see");
    }
}
