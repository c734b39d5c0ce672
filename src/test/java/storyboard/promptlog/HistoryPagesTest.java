package storyboard.promptlog;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import storyboard.kernel.Json;
import storyboard.support.SseReader;
import storyboard.support.TestServer;

/**
 * The prompt history's pages and fragments over HTTP: what they list and in which order, their filters kept in
 * links, escaping of everything a client sent, refusals as HTML (never a 500), and what a credential restricted to a
 * project sees. The browser's side (live rows, scrolling) is {@code HistoryBrowserTest}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HistoryPagesTest {
    private static final Pattern ROW_ID = Pattern.compile("<tr data-id=\"([0-9a-f-]{36})\"");
    private final TestServer server = TestServer.shared();
    private final String mark = UUID.randomUUID().toString().substring(0, 8);
    private final String project = "hist-" + mark;
    private final String otherProject = "hist-other-" + mark;
    /** 60 logs of one type, the first (index 0) the oldest. */
    private final String manyType = "many-" + mark;
    private final List<String> many = new ArrayList<>();

    @BeforeAll
    void seed() {
        ArrayNode items = Json.MAPPER.createArrayNode();
        for (int i = 0; i < 60; i++) {
            items.add(Json.MAPPER.createObjectNode().put("type", manyType).put("projectId", i % 2 == 0 ? project : otherProject)
                    .put("timestamp", String.format("2025-03-01T10:%02d:%02dZ", i / 60, i % 60))
                    .put("prompt", "Panel " + i + " of the " + mark + " board").put("tokens", i).put("cost", i / 100.0));
        }
        TestServer.Response r = server.postJson("/api/v1/prompt-history/batch",
                Json.MAPPER.createObjectNode().set("items", items).toString());
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        r.json().get("results").forEach(x -> many.add(x.get("id").asText()));
    }

    @Test
    void theListShowsTheFilteredLogsNewestFirstAndScrollsByCursor() {
        TestServer.Response page = page("/history?type=" + manyType);
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.header("Content-Type")).startsWith("text/html");
        assertThat(page.header("Content-Security-Policy")).contains("script-src 'self'");
        assertThat(page.body()).contains("<title>Prompt history · Storyboard Server</title>")
                .contains("name=\"type\" value=\"" + manyType + "\"")
                .doesNotContain(" style=\"").doesNotContain("<script>");
        List<String> first = rowIds(page.body());
        assertThat(first).hasSize(HistoryPages.PAGE_SIZE);
        assertThat(first.get(0)).isEqualTo(many.get(59));
        assertThat(first.get(49)).isEqualTo(many.get(10));
        // The last row loads the next page when it scrolls into view; a plain link stands in without script.
        String more = attribute(page.body(), "hx-get");
        assertThat(more).startsWith("/history/rows?type=" + manyType + "&amp;cursor=");
        assertThat(page.body()).contains("hx-trigger=\"revealed\"").contains("href=\"/history?type=" + manyType + "&amp;cursor=");
        TestServer.Response next = page(unescape(more));
        assertThat(next.status()).isEqualTo(200);
        assertThat(next.body()).doesNotContain("<html").doesNotContain("hx-get");
        List<String> oldest = new ArrayList<>(many.subList(0, 10));
        java.util.Collections.reverse(oldest);
        assertThat(rowIds(next.body())).containsExactlyElementsOf(oldest);
        // The fallback link is the page itself from that cursor, without live updates (it is not the newest).
        TestServer.Response older = page(unescape(attribute(page.body(), "href=\"/history\\?type=[^\"]*cursor", "href")));
        assertThat(older.status()).isEqualTo(200);
        assertThat(rowIds(older.body())).hasSize(10);
        assertThat(older.body()).doesNotContain("data-live-stream");
    }

    @Test
    void theLiveStreamAndTheExportFollowTheFilter() {
        TestServer.Response page = page("/history?type=" + manyType + "&project=" + project + "&q=panel");
        assertThat(page.status()).isEqualTo(200);
        assertThat(rowIds(page.body())).hasSize(30).allMatch(id -> many.indexOf(id) % 2 == 0);
        assertThat(page.body())
                .containsPattern("data-live-stream=\"/api/v1/events/stream\\?types=prompt_log.created,prompt_log.deleted"
                        + "&amp;after=[0-9]+&amp;project=" + project + "\"")
                .contains("data-live-rows=\"/history/live?q=panel&amp;type=" + manyType + "&amp;project=" + project + "\"");
        String csv = unescape(attribute(page.body(), "href=\"/api/v1/prompt-history/export[^\"]*csv", "href"));
        assertThat(csv).isEqualTo("/api/v1/prompt-history/export?q=panel&type=" + manyType + "&project=" + project + "&format=csv");
        TestServer.Response export = server.get(csv);
        assertThat(export.status()).isEqualTo(200);
        assertThat(export.body().lines().count()).isEqualTo(31); // the header and the 30 logs
        assertThat(page.body()).contains("/api/v1/prompt-history/export?q=panel&amp;type=" + manyType
                + "&amp;project=" + project + "&amp;format=jsonl");
    }

    @Test
    void aLogStoredBetweenThePageAndItsStreamIsNotMissed() throws Exception {
        String type = "gap-" + mark;
        TestServer.Response page = page("/history?type=" + type);
        assertThat(rowIds(page.body())).isEmpty();
        String stream = unescape(attribute(page.body(), "data-live-stream"));
        // Stored after the page was read, before its script connects: the stream starts where the rows ended.
        String id = server.postJson("/api/v1/prompt-history", "{\"type\":\"" + type + "\"}").json().get("id").asText();
        try (SseReader events = new SseReader(server.baseUrl() + stream, TestServer.TOKEN, null)) {
            assertThat(events.status()).isEqualTo(200);
            boolean seen = false;
            for (int i = 0; i < 50 && !seen; i++) {
                SseReader.Event e = events.take(1, java.time.Duration.ofSeconds(10)).get(0);
                assertThat(e.type()).isIn("prompt_log.created", "prompt_log.deleted");
                seen = e.data().path("payload").path("ids").toString().contains(id);
            }
            assertThat(seen).as("the log's event").isTrue();
        }
        assertThat(rowIds(page(unescape(attribute(page.body(), "data-live-rows")) + "&ids=" + id).body()))
                .containsExactly(id);
    }

    @Test
    void theLiveFragmentAnswersOnlyTheNamedLogsThatMatchTheFilter() {
        String ids = String.join(",", many.get(1), many.get(2), many.get(3), UUID.randomUUID().toString());
        TestServer.Response rows = page("/history/live?type=" + manyType + "&project=" + project + "&ids=" + ids);
        assertThat(rows.status()).isEqualTo(200);
        assertThat(rowIds(rows.body())).containsExactly(many.get(2)); // 1 and 3 are of the other project
        assertThat(rows.body()).doesNotContain("<html").doesNotContain("hx-get");
        assertThat(rowIds(page("/history/live?type=other-" + mark + "&ids=" + ids).body())).isEmpty();
    }

    @Test
    void everythingAClientSentIsEscaped() {
        String hostile = "<script>alert('x')</script>\"><img src=x onerror=alert(1)>";
        ObjectNode log = Json.MAPPER.createObjectNode().put("type", "esc-" + mark).put("user", hostile).put("llm", hostile)
                .put("prompt", hostile).put("response", "```" + hostile + "\n" + hostile + "\n```\n{\"k\": \"" + "x" + "\"}")
                .put("projectId", "p<b>" + mark);
        log.putObject("context").put("sceneName", hostile).put("promptName", "a/<b>" + mark).put(hostile, hostile);
        log.put(hostile, hostile);
        String id = server.postJson("/api/v1/prompt-history", log.toString()).json().get("id").asText();
        for (String path : List.of("/history?type=esc-" + mark, "/history/" + id,
                "/history/live?ids=" + id, "/history?q=" + URLEncoder.encode(hostile, StandardCharsets.UTF_8))) {
            TestServer.Response r = page(path);
            assertThat(r.status()).as(path).isEqualTo(200);
            assertThat(r.body()).as(path).doesNotContain("<script>alert").doesNotContain("<img src=x")
                    .doesNotContain("<b>" + mark);
        }
        assertThat(page("/history/" + id).body()).contains("&lt;script&gt;alert(");
        assertThat(page("/history?type=esc-" + mark).body()).contains("&lt;script&gt;alert(");
    }

    @Test
    void theDetailShowsTheLogReadablyWithItsLinks() {
        ObjectNode log = Json.MAPPER.createObjectNode().put("type", "shots").put("projectId", project)
                .put("user", "mara").put("llm", "gpt-4o").put("tokens", 1234).put("cost", 0.015)
                .put("timestamp", "2025-09-21T20:12:03Z").put("prompt", "Break the scene " + mark + " into shots.")
                .put("response", "Here they are:\n```json\n{\"shots\": [{\"n\": 1, \"camera\": \"wide\"}], \"empty\": {}}\n```\n"
                        + "And a note:\n```python\nprint(\"hi\")\n```");
        log.putObject("context").put("sceneId", "sc-7").put("sceneName", "KITCHEN " + mark).put("processing_time", 8423)
                .put("promptName", "breakdown/shot list").put("promptVersion", 3);
        log.putObject("modelParams").put("temperature", 0.2);
        String id = server.postJson("/api/v1/prompt-history", log.toString()).json().get("id").asText();

        TestServer.Response r = page("/history/" + id);
        assertThat(r.status()).isEqualTo(200);
        String body = r.body();
        assertThat(body).contains("<title>Prompt log · Storyboard Server</title>")
                .contains("Break the scene " + mark + " into shots.")
                // Fenced JSON is a tree of folds; other fences are code blocks.
                .contains("<details class=\"json-node\" open>").contains("<span class=\"json-key\">\"camera\"</span>")
                .contains("<span class=\"json-string\">\"wide\"</span>").contains("<span class=\"json-object\">{}</span>")
                .contains("<pre class=\"code\" data-language=\"python\"><code>print(\"hi\")</code></pre>")
                .contains("<h2 id=\"context\">Context</h2>").contains("<h2 id=\"model-params\">Model parameters</h2>")
                .contains("href=\"/history?project=" + project + "\"")
                .contains("href=\"/history?project=" + project + "&amp;scene=sc-7\"")
                .contains("href=\"/prompts/breakdown/shot%20list?version=3\"")
                .contains("href=\"/history?prompt_name=breakdown%2Fshot+list&amp;prompt_version=3\"")
                .contains("8,423 ms").contains("1,234").contains("0.015");
        // Its links lead to lists that hold it.
        assertThat(rowIds(page("/history?project=" + project + "&scene=sc-7").body())).containsExactly(id);
        assertThat(rowIds(page("/history?prompt_name=breakdown%2Fshot+list&prompt_version=3&project=" + project).body()))
                .containsExactly(id);
        assertThat(rowIds(page("/history?q=" + mark + "&project=" + project).body())).contains(id);
    }

    @Test
    void badFiltersAreHtmlRefusalsNeverServerErrors() {
        record Bad(String path, int status, String says) {}
        for (Bad bad : List.of(
                new Bad("/history?from=yesterday", 400, "ISO-8601"),
                new Bad("/history?from=2025-02-01&to=2025-01-01", 400, "'from' must be before"),
                new Bad("/history?prompt_version=2", 400, "prompt_name"),
                new Bad("/history?min_cost=-1", 400, "min_cost"),
                new Bad("/history?colour=red", 400, "unknown query parameter"),
                new Bad("/history?cursor=not-a-cursor", 400, "cursor"),
                new Bad("/history/rows?cursor=not-a-cursor", 400, "cursor"),
                new Bad("/history/rows?to=soon", 400, "ISO-8601"),
                new Bad("/history/live", 400, "'ids' is required"),
                new Bad("/history/live?ids=1,2", 400, "UUIDs"),
                new Bad("/history/live?ids=" + "x".repeat(5000), 400, "UUIDs"),
                new Bad("/history/not-a-uuid", 400, "UUID"),
                new Bad("/history/" + UUID.randomUUID(), 404, "not found"))) {
            TestServer.Response r = page(bad.path());
            assertThat(r.status()).as(bad.path() + ": " + r.body()).isEqualTo(bad.status());
            assertThat(r.header("Content-Type")).as(bad.path()).startsWith("text/html");
            assertThat(r.body()).as(bad.path()).contains(bad.says());
        }
        // The list's own refusal keeps the form filled in, to correct it.
        TestServer.Response r = page("/history?from=yesterday&type=" + manyType);
        assertThat(r.body()).contains("name=\"from\" value=\"yesterday\"").contains("name=\"type\" value=\"" + manyType + "\"")
                .contains("role=\"alert\"");
        // A fragment's refusal is a row, where htmx puts the rows.
        assertThat(page("/history/rows?cursor=x").body()).startsWith("<tr class=\"error-row\"");
    }

    @Test
    void aCredentialRestrictedToAProjectSeesOnlyItsLogs() {
        String token = server.createToken("{\"name\":\"history " + mark + "\",\"scopes\":[\"read\"],\"projects\":[\"" + project + "\"]}");
        TestServer.Response list = as(token, "/history?type=" + manyType);
        assertThat(list.status()).isEqualTo(200);
        List<String> shown = rowIds(list.body());
        assertThat(shown).hasSize(30).allMatch(id -> many.indexOf(id) % 2 == 0);
        // Its project filter offers its own projects only.
        assertThat(list.body()).contains("<select name=\"project\">").contains("<option value=\"" + project + "\">")
                .doesNotContain(otherProject);
        String theirs = many.get(1);
        assertThat(as(token, "/history/" + theirs).status()).isEqualTo(404);
        assertThat(as(token, "/history/" + many.get(0)).status()).isEqualTo(200);
        assertThat(rowIds(as(token, "/history/live?ids=" + theirs + "," + many.get(0)).body())).containsExactly(many.get(0));
        TestServer.Response other = as(token, "/history?project=" + otherProject);
        assertThat(other.status()).isEqualTo(404);
        assertThat(other.body()).doesNotContain("data-id=");
        assertThat(as(token, "/history/rows?project=" + otherProject).status()).isEqualTo(404);
        // A token that may only ingest has no history page.
        String ingest = server.createToken("{\"name\":\"ingest " + mark + "\",\"scopes\":[\"ingest\"]}");
        TestServer.Response refused = as(ingest, "/history");
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.header("Content-Type")).startsWith("text/html");
    }

    @Test
    void theNavigationLinksTheHistoryForThoseWhoMayReadIt() {
        assertThat(page("/").body()).contains("href=\"/history\"");
        String ingest = server.createToken("{\"name\":\"nav " + mark + "\",\"scopes\":[\"ingest\"]}");
        assertThat(as(ingest, "/").body()).doesNotContain("href=\"/history\"");
    }

    private TestServer.Response page(String path) {
        return server.send(server.request(path).header("Accept", "text/html").GET().build());
    }

    private TestServer.Response as(String token, String path) {
        return server.send(server.anonymous(path).header("Authorization", "Bearer " + token)
                .header("Accept", "text/html").GET().build());
    }

    private static List<String> rowIds(String html) {
        List<String> ids = new ArrayList<>();
        Matcher m = ROW_ID.matcher(html);
        while (m.find()) ids.add(m.group(1));
        return ids;
    }

    private static String attribute(String html, String name) {
        Matcher m = Pattern.compile(name + "=\"([^\"]*)\"").matcher(html);
        assertThat(m.find()).as("an attribute " + name).isTrue();
        return m.group(1);
    }

    /** The value of attribute {@code name} of the first tag where {@code where} matches. */
    private static String attribute(String html, String where, String name) {
        Matcher m = Pattern.compile(where).matcher(html);
        assertThat(m.find()).as(where).isTrue();
        return attribute(html.substring(m.start()), name);
    }

    private static String unescape(String attribute) {
        return attribute.replace("&amp;", "&").replace("&#34;", "\"").replace("&#39;", "'");
    }
}
