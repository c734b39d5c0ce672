package storyboard.projects;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import storyboard.support.TestServer;

/** The project pages over HTTP: what they show, to whom, their paging without scripts, and refusals as HTML pages. */
class ProjectPagesTest {
    private final TestServer server = TestServer.shared();
    private final String mark = UUID.randomUUID().toString().substring(0, 8);
    private static final String T = TestServer.TOKEN;
    private static final String SCENE_1 = "scenes/0001_SCENE_001.json";

    private TestServer.Response page(String token, String path) {
        TestServer.Response r = server.call(token, "GET", path, null);
        assertThat(r.status()).as(path + ": " + r.body()).isLessThan(500);
        return r;
    }

    private String ok(String token, String path) {
        TestServer.Response r = page(token, path);
        assertThat(r.status()).as(path + ": " + r.body()).isEqualTo(200);
        assertThat(r.header("Content-Type")).startsWith("text/html");
        assertThat(r.header("Content-Security-Policy")).contains("script-src 'self'");
        return r.body();
    }

    private void refused(String token, String path, int status, String code) {
        TestServer.Response r = page(token, path);
        assertThat(r.status()).as(path + ": " + r.body()).isEqualTo(status);
        assertThat(r.header("Content-Type")).as(path).startsWith("text/html");
        assertThat(r.body()).as(path).contains(String.valueOf(status)).contains(code);
    }

    /**
     * The sample imported by mara as a project named {@code name} (revision 1), and theo's push changing SCENE_001's
     * first shot (revision 2).
     */
    private UUID sampleWithAPush(String name) {
        Map<String, byte[]> files = ProjectFixtures.sample(name);
        UUID id = ProjectPageFixtures.create(server, ProjectPageFixtures.writer(server, "mara"), files, "first import");
        ProjectPageFixtures.push(server, ProjectPageFixtures.writer(server, "theo"), id,
                ProjectPageFixtures.changed(files, SCENE_1, "CLOSE UP", "Where were you?"), "Closer on Mara <b>now</b>");
        return id;
    }

    /** A project of project.json alone (and {@code more} files). */
    private UUID tiny(String name, int fps, Map<String, byte[]> more) {
        Map<String, byte[]> files = new java.util.TreeMap<>(more);
        files.put("project.json", ("{\"projectName\":\"" + name + "\",\"fps\":" + fps + "}").getBytes());
        return ProjectPageFixtures.create(server, T, files, "import");
    }

    private static List<String> matches(String html, String regex) {
        List<String> out = new ArrayList<>();
        Matcher m = Pattern.compile(regex).matcher(html);
        while (m.find()) out.add(m.group(1));
        return out;
    }

    @Test
    void theListShowsHeadFilesAndLastPushWithANameSearch() {
        String name = "Kitchen-" + mark;
        UUID id = sampleWithAPush(name);
        String html = ok(T, "/projects?q=kitchen-" + mark);
        assertThat(matches(html, "class=\"project-name\" href=\"/projects/([0-9a-f-]{36})\"")).containsExactly(id.toString());
        assertThat(html).contains(">" + name + "</a>")
                .contains("<a href=\"/projects/" + id + "/revisions/2\">r2</a>")
                .containsPattern("<span class=\"pusher\" title=\"token theo \\([0-9a-f-]{36}\\)\">by token theo</span>")
                .contains("name=\"q\" value=\"kitchen-" + mark + "\"");
        // the head's file count: the sample's files, one added and one thumbnail removed
        int files = ProjectFixtures.sample(name).size();
        assertThat(html).contains("<td class=\"num\">" + files + " files</td>");
        // the navigation offers the list
        assertThat(html).contains("<a href=\"/projects\" aria-current=\"page\">Projects</a>");
        assertThat(ok(T, "/projects?q=nothing-like-" + mark)).contains("No project matches.");
        // a LIKE wildcard in q is a literal character
        assertThat(ok(T, "/projects?q=kitchen_" + mark)).contains("No project matches.");
    }

    @Test
    void archivedProjectsShowOnlyWhenAsked() {
        String name = "Archived-" + mark;
        UUID id = tiny(name, 24, Map.of());
        UUID active = tiny("Active-" + mark, 24, Map.of());
        assertThat(server.call(T, "POST", "/api/v1/projects/" + id + "/archive", null).status()).isEqualTo(200);
        String list = ok(T, "/projects?q=" + mark);
        assertThat(list).doesNotContain(id.toString()).contains(active.toString());
        // as in the API, archived=true lists the archived projects
        String archived = ok(T, "/projects?q=" + mark + "&archived=true");
        assertThat(archived).contains("/projects/" + id).doesNotContain(active.toString())
                .contains("<span class=\"badge warn\">archived</span>")
                .contains("<option value=\"true\" selected>archived projects</option>");
        assertThat(ok(T, "/projects/" + id)).contains("Archived <time");
    }

    @Test
    void theListPagesByCursorWithAFragmentAndAPlainLink() {
        List<String> made = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            String name = "Paged-" + mark + "-" + i;
            made.add(0, tiny(name, 25, Map.of()).toString());
        }
        String html = ok(T, "/projects?q=paged-" + mark + "&limit=1");
        List<String> seen = new ArrayList<>(matches(html, "class=\"project-name\" href=\"/projects/([0-9a-f-]{36})\""));
        for (int i = 0; i < 5; i++) {
            Matcher more = Pattern.compile("hx-get=\"(/projects/more\\?[^\"]+)\" hx-trigger=\"revealed\"").matcher(html);
            if (!more.find()) break;
            String next = more.group(1).replace("&amp;", "&");
            assertThat(next).contains("q=paged-" + mark).contains("limit=1").contains("cursor=");
            // the fallback link opens the same rows as a full page
            assertThat(html).contains("href=\"" + more.group(1).replace("/projects/more?", "/projects?") + "\"");
            html = ok(T, next);
            assertThat(html).doesNotContain("<html").contains("<tr class=\"project-row\">");
            seen.addAll(matches(html, "class=\"project-name\" href=\"/projects/([0-9a-f-]{36})\""));
        }
        assertThat(seen).containsExactlyElementsOf(made);
    }

    @Test
    void aProjectsPageShowsItsFactsRevisionsAndLinks() {
        String name = "Facts-" + mark;
        UUID id = sampleWithAPush(name);
        String html = ok(T, "/projects/" + id);
        assertThat(html).contains("<title>" + name + " · Storyboard Server</title>")
                .contains("<dt>Frame rate</dt><dd>24 fps</dd>")
                .contains("<a href=\"/projects/" + id + "/revisions/2\">revision 2</a>");
        // revisions newest first, each with its author, message (escaped), and links to its changes and scenes
        assertThat(matches(html, "<tr id=\"r(\\d+)\">")).containsExactly("2", "1");
        assertThat(html).contains("Closer on Mara &lt;b&gt;now&lt;/b&gt;").contains("first import")
                .contains(">by token theo</span>").contains(">by token mara</span>")
                .contains("href=\"/projects/" + id + "/scenes?revision=1\"");
        // its prompt logs (by the project's name) and assets, pages of their capabilities
        assertThat(html).contains("href=\"/history?project=" + name + "\"").contains("href=\"/assets?project=" + name + "\"");
        // downloads: the head's and each revision's zip, which the API answers
        assertThat(html).contains("href=\"/api/v1/projects/" + id + "/export?revision=2\" download")
                .contains("href=\"/api/v1/projects/" + id + "/export?revision=1\" download");
        TestServer.Response zip = server.call(T, "GET", "/api/v1/projects/" + id + "/export?revision=1", null);
        assertThat(zip.status()).isEqualTo(200);
        assertThat(zip.header("Content-Disposition")).startsWith("attachment");
    }

    @Test
    void aProjectsRevisionsPageByCursor() {
        String name = "Revs-" + mark;
        UUID id = tiny(name, 24, Map.of());
        for (int i = 2; i <= 53; i++) {
            ProjectPageFixtures.push(server, T, id, Map.of("project.json",
                    ("{\"projectName\":\"" + name + "\",\"fps\":24,\"n\":" + i + "}").getBytes()), "r" + i);
        }
        String html = ok(T, "/projects/" + id);
        List<String> shown = new ArrayList<>(matches(html, "<tr id=\"r(\\d+)\">"));
        assertThat(shown).hasSize(ProjectPages.REVISIONS_PAGE_SIZE).startsWith("53");
        Matcher more = Pattern.compile("hx-get=\"(/projects/" + id + "/revisions\\?cursor=[^\"]+)\"").matcher(html);
        assertThat(more.find()).isTrue();
        assertThat(html).contains("href=\"" + more.group(1).replace("/revisions?", "?") + "\"");
        String rest = ok(T, more.group(1));
        assertThat(rest).doesNotContain("<html").doesNotContain("hx-get");
        shown.addAll(matches(rest, "<tr id=\"r(\\d+)\">"));
        assertThat(shown).hasSize(53).endsWith("3", "2", "1");
        // the plain link's page: the older revisions, and a way back
        String older = ok(T, more.group(1).replace("/revisions?", "?"));
        assertThat(matches(older, "<tr id=\"r(\\d+)\">")).containsExactly("3", "2", "1");
        assertThat(older).contains("Back to the newest revisions");
    }

    @Test
    void aRevisionsPageShowsItsFileChangesAndReport() {
        String name = "Diff-" + mark;
        UUID id = sampleWithAPush(name);
        String html = ok(T, "/projects/" + id + "/revisions/2");
        // the storyboard's changes: SCENE_001's first shot, its camera and dialogue, linked to it in the scenes page
        assertThat(html).contains("Storyboard changes since revision 1");
        String shots = html.substring(html.indexOf("<h3>Shots</h3>"), html.indexOf("</ul>", html.indexOf("<h3>Shots</h3>")));
        assertThat(shots).contains("<span class=\"badge warn\">changed</span>")
                .contains("<a class=\"item-name\" href=\"/projects/" + id
                        + "/scenes?revision=2&amp;from=0001_SCENE_001#shot-b94067ed-fe17-4330-a11d-459a2f978d87\">SHOT_0010</a>")
                .contains("<span class=\"muted\">SCENE_001</span>")
                .contains("<span class=\"tag\">camera</span><span class=\"tag\">dialogue</span>")
                .doesNotContain("SHOT_0020");
        assertThat(html).contains("File changes since revision 1")
                .contains("<span class=\"badge ok\">1 added</span>")
                .contains("<span class=\"badge warn\">1 modified</span>")
                .contains("<span class=\"badge bad\">1 removed</span>");
        assertThat(html).containsPattern("added</span></td>\\s*<td class=\"path\">(<a [^>]+>)?references/mood.txt")
                .containsPattern("modified</span></td>\\s*<td class=\"path\">(<a [^>]+>)?scenes/0001_SCENE_001.json")
                .contains(ProjectPageFixtures.REMOVED_THUMBNAIL);
        // the import report: its counts, and the warning of the thumbnail the push left out
        assertThat(html).contains("<dt>Scenes</dt><dd>2</dd>").contains("<dt>Shots</dt><dd>6</dd>")
                .contains("<dt>Panels</dt><dd>12</dd>")
                .contains("is not in the package");
        // the import lists every file as added; comparing with revision 1 explicitly is the same as the parent
        String first = ok(T, "/projects/" + id + "/revisions/1");
        assertThat(first).contains("Files of the import").contains(ProjectFixtures.sample(name).size() + " added")
                .contains("No warnings.");
        assertThat(ok(T, "/projects/" + id + "/revisions/2?base=1")).contains("<span class=\"badge warn\">1 modified</span>");
    }

    @Test
    void theScenesPageShowsScenesShotsAndPanelsInOrder() {
        String name = "Scenes-" + mark;
        UUID id = sampleWithAPush(name);
        String html = ok(T, "/projects/" + id + "/scenes");
        assertThat(matches(html, "<h2 id=\"scene-[^\"]+-title\">([^<]+)</h2>")).containsExactly("SCENE_001", "SCENE_002");
        assertThat(matches(html, "<h3 class=\"shot-name\">([A-Z_0-9]+)")).containsExactly(
                "SHOT_0010", "SHOT_0020", "SHOT_0030", "SHOT_0010", "SHOT_0020", "SHOT_0030");
        // timing in seconds and frames at 24 fps; camera; who says what
        assertThat(html).contains("0.00 s–2.00 s · frames 0–48").contains("2.00 s (48 f)")
                .contains("<span class=\"muted\">Camera</span> CLOSE UP · STATIC")
                .contains("<span class=\"muted\">Characters</span> MARA")
                .contains("<span class=\"character\">MARA</span><q>Where were you?</q>");
        // panels in order, each its thumbnail from the revision's files; the one the push left out has none
        List<String> thumbs = matches(html, "<img src=\"(/api/v1/projects/[^\"]+)\"");
        assertThat(thumbs).hasSize(11).first().asString()
                .isEqualTo("/api/v1/projects/" + id + "/files/thumbnails/panel_cd613e30-d8f1-4adf-91b7-584a2265b1f5.png?revision=2");
        assertThat(thumbs.get(1)).contains("panel_05b6e6e3");
        // the API answers each with the file's bytes
        TestServer.Response thumb = server.call(T, "GET", thumbs.get(0), null);
        assertThat(thumb.status()).isEqualTo(200);
        assertThat(thumb.bytes()).isEqualTo(ProjectFixtures.sample(name).get("thumbnails/panel_cd613e30-d8f1-4adf-91b7-584a2265b1f5.png"));
        assertThat(html).contains("no thumbnail");
        // each scene links its prompt logs, by the app's context.sceneName
        assertThat(html).contains("href=\"/history?project=" + name + "&amp;scene=SCENE_002\"");
        // an earlier revision shows what it held then
        String before = ok(T, "/projects/" + id + "/scenes?revision=1");
        assertThat(before).contains("WIDE ANGLE · STATIC").doesNotContain("CLOSE UP").doesNotContain("no thumbnail");
        assertThat(matches(before, "<img src=\"(/api/v1/projects/[^\"]+)\"")).hasSize(12).allMatch(s -> s.endsWith("?revision=1"));
        // from a scene on (the table of contents' links)
        String second = ok(T, "/projects/" + id + "/scenes?revision=2&from=0002_SCENE_002");
        assertThat(matches(second, "<h2 id=\"scene-[^\"]+-title\">([^<]+)</h2>")).containsExactly("SCENE_002");
        assertThat(html).contains("href=\"/projects/" + id + "/scenes?revision=2&amp;from=0002_SCENE_002#scene-0002_SCENE_002\"");
    }

    @Test
    void manyScenesLoadAPageAtATime() {
        String name = "Many-" + mark;
        Map<String, byte[]> files = new java.util.TreeMap<>();
        int count = ProjectPages.SCENES_PAGE_SIZE + 2;
        for (int i = 1; i <= count; i++) {
            files.put(String.format("scenes/%04d_S%02d.json", i, i), ("[{\"uuid\":\"" + UUID.randomUUID()
                    + "\",\"name\":\"SHOT_" + i + "\",\"startTime\":0,\"endTime\":1000,\"panels\":[]}]").getBytes());
        }
        UUID id = tiny(name, 25, files);
        String html = ok(T, "/projects/" + id + "/scenes");
        List<String> seen = new ArrayList<>(matches(html, "<h2 id=\"scene-[^\"]+-title\">([^<]+)</h2>"));
        assertThat(seen).hasSize(ProjectPages.SCENES_PAGE_SIZE);
        // the table of contents names them all
        assertThat(matches(html, "#scene-([0-9]{4}_S[0-9]{2})\"")).hasSize(count);
        Matcher more = Pattern.compile("hx-get=\"(/projects/" + id + "/scenes/more\\?[^\"]+)\"").matcher(html);
        assertThat(more.find()).isTrue();
        String next = more.group(1).replace("&amp;", "&");
        assertThat(next).contains("revision=1").contains("from=0006_S06");
        assertThat(html).contains("href=\"/projects/" + id + "/scenes?revision=1&amp;from=0006_S06\"");
        String rest = ok(T, next);
        assertThat(rest).doesNotContain("<html").doesNotContain("hx-get");
        seen.addAll(matches(rest, "<h2 id=\"scene-[^\"]+-title\">([^<]+)</h2>"));
        assertThat(seen).containsExactly("S01", "S02", "S03", "S04", "S05", "S06", "S07");
        // 25 fps frames
        assertThat(rest).contains("0.00 s–1.00 s · frames 0–25");
    }

    @Test
    void theOverviewPanelShowsRecentPushes() {
        String name = "Panel-" + mark;
        UUID id = sampleWithAPush(name);
        String panel = ok(T, "/projects/panel");
        assertThat(panel).doesNotContain("<html").contains("<a href=\"/projects/" + id + "\">" + name + "</a>")
                .contains("<a class=\"badge\" href=\"/projects/" + id + "/revisions/2\">r2</a>");
        assertThat(ok(T, "/")).contains("hx-get=\"/projects/panel\"");
    }

    @Test
    void aTokenRestrictedToAProjectSeesNoOther() {
        String mine = "Mine-" + mark;
        String theirs = "Theirs-" + mark;
        UUID myId = sampleWithAPush(mine);
        UUID theirId = sampleWithAPush(theirs);
        String token = server.createToken("{\"name\":\"pages " + mark + "\",\"scopes\":[\"read\"],\"projects\":[\"" + mine + "\"]}");
        String list = ok(token, "/projects?q=" + mark);
        assertThat(list).contains(myId.toString()).doesNotContain(theirId.toString()).doesNotContain(theirs);
        assertThat(ok(token, "/projects/panel")).doesNotContain(theirs);
        for (String path : List.of("", "/revisions", "/revisions/1", "/scenes", "/scenes/more?from=0001_SCENE_001")) {
            refused(token, "/projects/" + theirId + path, 404, "not_found");
            assertThat(page(token, "/projects/" + theirId + path).body()).doesNotContain(theirs);
        }
        String myScenes = ok(token, "/projects/" + myId + "/scenes");
        assertThat(myScenes).contains("SCENE_001");
        // the thumbnails the page shows answer this token; another project's files do not
        Matcher img = Pattern.compile("<img src=\"(/api/v1/projects/[^\"]+)\"").matcher(myScenes);
        assertThat(img.find()).isTrue();
        assertThat(server.call(token, "GET", img.group(1), null).status()).isEqualTo(200);
        assertThat(server.call(token, "GET", img.group(1).replace(myId.toString(), theirId.toString()), null).status())
                .isEqualTo(404);
        String ingestOnly = server.createToken("{\"name\":\"ingest pages " + mark + "\",\"scopes\":[\"ingest\"]}");
        refused(ingestOnly, "/projects", 403, "forbidden");
    }

    @Test
    void badInputIsAnHtmlPageNeverA500() {
        String name = "Bad-" + mark;
        UUID id = sampleWithAPush(name);
        String p = "/projects/" + id;
        refused(T, "/projects/not-a-uuid", 400, "invalid_parameter");
        refused(T, "/projects/" + UUID.randomUUID(), 404, "not_found");
        refused(T, "/projects?limit=0", 400, "invalid_parameter");
        refused(T, "/projects?archived=maybe", 400, "invalid_parameter");
        refused(T, "/projects?cursor=garbage", 400, "invalid_parameter");
        refused(T, "/projects/more?cursor=garbage", 400, "invalid_parameter");
        refused(T, "/projects?q=" + "x".repeat(201), 400, "invalid_parameter");
        refused(T, "/projects?colour=red", 400, "unknown_parameter");
        refused(T, "/projects?q=a&q=b", 400, "invalid_parameter");
        refused(T, p + "?cursor=garbage", 400, "invalid_parameter");
        refused(T, p + "/revisions/0", 400, "invalid_parameter");
        refused(T, p + "/revisions/two", 400, "invalid_parameter");
        refused(T, p + "/revisions/3", 404, "not_found");
        refused(T, p + "/revisions/2?base=2", 400, "invalid_parameter");
        refused(T, p + "/revisions/2?base=x", 400, "invalid_parameter");
        refused(T, p + "/scenes?revision=3", 404, "not_found");
        refused(T, p + "/scenes?revision=0", 400, "invalid_parameter");
        refused(T, p + "/scenes?from=NO_SUCH_SCENE", 404, "not_found");
        refused(T, p + "/scenes/more", 400, "missing_parameter");
        refused(T, "/projects/panel?x=1", 400, "unknown_parameter");
        // a cursor of the project list cannot page the revisions
        String list = ok(T, "/projects?limit=1");
        Matcher cursor = Pattern.compile("cursor=([A-Za-z0-9_-]+)").matcher(list);
        assertThat(cursor.find()).isTrue();
        refused(T, p + "?cursor=" + cursor.group(1), 400, "invalid_parameter");
        // text from the URL is escaped, not run
        String hostile = ok(T, "/projects?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E");
        assertThat(hostile).doesNotContain("<script>alert(1)").contains("value=\"&lt;script>alert(1)&lt;/script>\"");
        // a deleted project is gone from the pages
        assertThat(server.call(T, "DELETE", "/api/v1/projects/" + id, null).status()).isEqualTo(204);
        refused(T, p, 404, "not_found");
        refused(T, p + "/scenes", 404, "not_found");
    }

    @Test
    void aSignedOutVisitorIsSentToSignIn() {
        TestServer.Response r = server.send(server.anonymous("/projects/" + UUID.randomUUID() + "/scenes?revision=2").GET().build());
        assertThat(r.status()).isEqualTo(303);
        assertThat(r.header("Location")).startsWith("/login?next=%2Fprojects%2F");
        TestServer.Response fragment = server.send(server.anonymous("/projects/more").header("HX-Request", "true").GET().build());
        assertThat(fragment.status()).isEqualTo(401);
        assertThat(fragment.header("HX-Redirect")).startsWith("/login?next=");
    }
}
