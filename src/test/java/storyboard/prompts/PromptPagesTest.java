package storyboard.prompts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import storyboard.kernel.Json;
import storyboard.support.TestServer;
import storyboard.web.Pages;

/** The registry's pages over HTTP: what they show, what they refuse (as HTML pages), and label moves by form. */
class PromptPagesTest {
    private static final TestServer server = TestServer.shared();
    private static String readToken;
    private static String writeToken;

    @BeforeAll
    static void tokens() {
        readToken = server.createToken("{\"name\":\"pages read\",\"scopes\":[\"read\"]}");
        writeToken = server.createToken("{\"name\":\"pages write\",\"scopes\":[\"read\",\"write\"]}");
    }

    private static String unique(String base) {
        return base + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static void version(String name, String body) {
        TestServer.Response r = server.call(TestServer.TOKEN, "POST", "/api/v1/prompts/" + name + "/versions", body);
        assertThat(r.status()).as(r.body()).isEqualTo(201);
    }

    private static void label(String name, String label, int version) {
        TestServer.Response r = server.call(TestServer.TOKEN, "PUT", "/api/v1/prompts/" + name + "/labels/" + label,
                "{\"version\":" + version + "}");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
    }

    /** A prompt with two versions (v1 "Shots for {{scene}}", v2 adds a line), production on v1. */
    private static String twoVersions(String base) {
        String name = unique(base) + "/shots";
        version(name, "{\"template\":\"Shots for {{scene}} in {{style}}\\nKeep it short.\","
                + "\"variables\":[\"scene\",{\"name\":\"style\",\"default\":\"ink\",\"description\":\"drawing style\"}],"
                + "\"config\":{\"model\":\"gpt-4o\"},\"message\":\"first take\"}");
        version(name, "{\"template\":\"List the shots for {{scene}} in {{style}}\\nKeep it short.\\nOne line per shot.\","
                + "\"variables\":[\"scene\",{\"name\":\"style\",\"default\":\"ink\"}],"
                + "\"config\":{\"model\":\"gpt-4o\",\"temperature\":0.2},\"message\":\"one line per shot\"}");
        label(name, "production", 1);
        return name;
    }

    private static TestServer.Response page(String token, String path) {
        return server.call(token, "GET", path, null);
    }

    private static void assertHtmlError(TestServer.Response r, int status, String text) {
        assertThat(r.status()).as(r.body()).isEqualTo(status);
        assertThat(r.header("Content-Type")).startsWith("text/html");
        assertThat(r.body()).contains("class=\"error-page\"").contains(String.valueOf(status)).contains(text);
    }

    private static TestServer.Response postForm(String token, String path, String form, String cookie) {
        HttpRequest.Builder b = server.anonymous(path).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form, StandardCharsets.UTF_8));
        if (token != null) b.header("Authorization", "Bearer " + token);
        if (cookie != null) b.header("Cookie", cookie);
        return server.send(b.build());
    }

    private static int count(String body, String needle) {
        int n = 0;
        for (int i = body.indexOf(needle); i >= 0; i = body.indexOf(needle, i + 1)) n++;
        return n;
    }

    @Test
    void aPromptsPageShowsItsVersionsLabelsAndTheVersionAskedFor() {
        String name = twoVersions("page");
        TestServer.Response r = page(readToken, "/prompts/" + name);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.header("Content-Type")).startsWith("text/html");
        assertThat(r.header("Content-Security-Policy")).isEqualTo(Pages.CONTENT_SECURITY_POLICY);
        String body = r.body();
        assertThat(body).contains("<title>" + name + " · Storyboard Server</title>")
                // production (v1) is shown by default, with its template, variables and config
                .contains("<h2 id=\"shown-title\">Version 1").contains("Shots for {{scene}} in {{style}}")
                .contains("drawing style").contains("\"model\" : \"gpt-4o\"")
                .contains("production → v1").contains("href=\"/prompts/" + name + "?version=2\"")
                .contains("one line per shot").contains("first take")
                .contains("hx-get=\"/prompts/" + name + "/usage\"")
                .doesNotContain("<script>").doesNotContain(" style=\"");
        assertThat(page(readToken, "/prompts/" + name + "?version=2").body())
                .contains("<h2 id=\"shown-title\">Version 2").contains("One line per shot.");
        assertThat(page(readToken, "/prompts/" + name + "?label=latest").body()).contains("<h2 id=\"shown-title\">Version 2");
        assertThat(page(readToken, "/prompts/" + name + "?label=production").body()).contains("<h2 id=\"shown-title\">Version 1");
    }

    @Test
    void badInputIsAnHtmlErrorPage() {
        String name = twoVersions("bad");
        assertHtmlError(page(readToken, "/prompts/no-such/prompt-" + UUID.randomUUID()), 404, "not_found");
        assertHtmlError(page(readToken, "/prompts/" + name + "?version=abc"), 400, "version number");
        assertHtmlError(page(readToken, "/prompts/" + name + "?version=0"), 400, "version number");
        assertHtmlError(page(readToken, "/prompts/" + name + "?version=9"), 404, "version 9");
        assertHtmlError(page(readToken, "/prompts/" + name + "?label=review"), 404, "label");
        assertHtmlError(page(readToken, "/prompts/" + name + "?label=Bad%20Label"), 400, "label");
        assertHtmlError(page(readToken, "/prompts/" + name + "?version=1&label=production"), 400, "not both");
        assertHtmlError(page(readToken, "/prompts/" + name + "?colour=red"), 400, "unknown_parameter");
        assertHtmlError(page(readToken, "/prompts/Not_A_Name"), 400, "invalid_name");
        assertHtmlError(page(readToken, "/prompts/" + name + "/diff?from=1"), 400, "missing_parameter");
        assertHtmlError(page(readToken, "/prompts/" + name + "/diff?from=1&to=x"), 400, "version number");
        assertHtmlError(page(readToken, "/prompts/" + name + "/diff?from=1&to=9"), 404, "version 9");
        assertHtmlError(page(readToken, "/prompts/" + name + "/diff?from=1&to=2&context=-1"), 400, "context");
        assertHtmlError(page(readToken, "/prompts/" + name + "/render?version=-2"), 400, "version number");
        assertHtmlError(page(readToken, "/prompts/" + name + "/render?version=1&version=2"), 400, "more than once");
        assertHtmlError(page(readToken, "/prompts/" + name + "/render?mood=calm"), 400, "unknown_parameter");
        assertHtmlError(page(readToken, "/prompts/" + name + "/usage?from=x"), 400, "unknown_parameter");
        assertHtmlError(page(readToken, "/prompts?archived=maybe"), 400, "archived");
        assertHtmlError(page(readToken, "/prompts?cursor=not-a-cursor"), 400, "cursor");
        assertHtmlError(page(readToken, "/prompts?q=" + "x".repeat(201)), 400, "200 characters");
        // Text from the path is escaped on the error page.
        assertThat(page(readToken, "/prompts/" + name + "?label=%3Cb%3E").body()).doesNotContain("<b>");
    }

    @Test
    void theListSearchesAndPagesByCursor() {
        String folder = unique("list");
        for (int i = 0; i < PromptPages.PAGE + 3; i++) {
            version(folder + "/p" + String.format("%03d", i), "{\"template\":\"Prompt " + i + (i == 7 ? " about a lighthouse" : "") + "\"}");
        }
        String first = page(readToken, "/prompts?prefix=" + folder + "/").body();
        assertThat(count(first, "<tr>")).isEqualTo(PromptPages.PAGE + 1); // and the head's
        assertThat(first).contains(folder + "/p000").contains(folder + "/p049").doesNotContain(folder + "/p050");
        Matcher next = Pattern.compile("hx-get=\"([^\"]+)\" hx-trigger=\"revealed\"").matcher(first);
        assertThat(next.find()).isTrue();
        String url = next.group(1).replace("&amp;", "&");
        assertThat(url).startsWith("/prompts?prefix=").contains("cursor=");
        // htmx asks for the next rows only; a plain visit of the same link is the whole page from there.
        TestServer.Response rows = server.send(server.request(url).header("HX-Request", "true").GET().build());
        assertThat(rows.status()).isEqualTo(200);
        assertThat(rows.body()).doesNotContain("<html").doesNotContain("hx-trigger=\"revealed\"")
                .contains(folder + "/p050").contains(folder + "/p052");
        assertThat(count(rows.body(), "<tr>")).isEqualTo(3);
        assertThat(page(readToken, url).body()).contains("<html").contains("Continued from an earlier page")
                .contains(folder + "/p050");
        // Search looks in names and the latest version's text.
        String found = page(readToken, "/prompts?q=LIGHTHOUSE&prefix=" + folder + "/").body();
        assertThat(count(found, "<tr>")).isEqualTo(2);
        assertThat(found).contains(folder + "/p007");
        assertThat(page(readToken, "/prompts?q=nothing-like-this-" + UUID.randomUUID()).body())
                .contains("No prompt matches this search.");
    }

    @Test
    void theDiffPageShowsBothVersionsSideBySide() {
        String name = twoVersions("diff");
        TestServer.Response r = page(readToken, "/prompts/" + name + "/diff?from=1&to=2");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        String body = r.body();
        // The first line changed: old text on the left (removed), new on the right (added); the third is new.
        assertThat(body).contains("<td class=\"line diff-del\"><span class=\"visually-hidden\">removed: </span>Shots for {{scene}} in {{style}}</td>")
                .contains("<td class=\"line diff-add\"><span class=\"visually-hidden\">added: </span>List the shots for {{scene}} in {{style}}</td>")
                .contains("<td class=\"line diff-add\"><span class=\"visually-hidden\">added: </span>One line per shot.</td>")
                .contains("<td class=\"line diff-same\">Keep it short.</td>")
                .contains("<tr class=\"diff-added\">").contains("<tr class=\"diff-changed\">")
                // the config changed (temperature), the variables' description went
                .contains("id=\"part-config\"").contains("\"temperature\" : 0.2")
                .contains("first take").contains("one line per shot");
        assertThat(count(body, "<span class=\"badge\">no change</span>")).isZero();
        TestServer.Response same = page(readToken, "/prompts/" + name + "/diff?from=2&to=2");
        assertThat(count(same.body(), "<span class=\"badge\">no change</span>")).isEqualTo(3);
    }

    @Test
    void theRenderPreviewShowsTheTextOrTheError() {
        String name = twoVersions("render");
        TestServer.Response form = page(readToken, "/prompts/" + name + "/render?version=1");
        assertThat(form.status()).isEqualTo(200);
        assertThat(form.body()).contains("name=\"var.scene\"").contains("placeholder=\"default: ink\"")
                .contains("Fill in the required variables");
        TestServer.Response ok = page(readToken, "/prompts/" + name + "/render?render=1&version=1&var.scene=12A%20%3Cdusk%3E&var.style=");
        assertThat(ok.status()).as(ok.body()).isEqualTo(200);
        // Rendered without HTML escaping by the renderer, escaped once by the page.
        assertThat(ok.body()).contains("<pre class=\"rendered\">Shots for 12A &lt;dusk&gt; in ink\nKeep it short.</pre>")
                .contains(">12A &lt;dusk&gt;</textarea>");
        TestServer.Response missing = page(readToken, "/prompts/" + name + "/render?render=1&version=2&var.style=charcoal");
        assertThat(missing.status()).isEqualTo(200); // the preview's answer, on the form
        assertThat(missing.body()).contains("Could not render:").contains("missing variables: scene")
                .contains(">charcoal</textarea>");
        TestServer.Response unknown = page(readToken, "/prompts/" + name + "/render?render=1&var.mood=calm&var.scene=x");
        assertThat(unknown.status()).isEqualTo(200);
        assertThat(unknown.body()).contains("Could not render:").contains("declares no variable mood");
        // By label: production is version 1.
        assertThat(page(readToken, "/prompts/" + name + "/render?label=production&var.scene=7&render=1").body())
                .contains("<pre class=\"rendered\">Shots for 7 in ink");
    }

    @Test
    void usageCountsEachVersionsLogsAndLinksToThem() {
        String name = twoVersions("usage");
        for (int i = 0; i < 2; i++) {
            assertThat(server.postJson("/api/v1/prompt-history", "{\"type\":\"pages\",\"tokens\":10,\"cost\":0.0025,"
                    + "\"context\":{\"promptName\":\"" + name + "\",\"promptVersion\":1,\"processing_time\":800}}").status())
                    .isEqualTo(201);
        }
        TestServer.Response fragment = server.send(server.request("/prompts/" + name + "/usage").header("HX-Request", "true")
                .GET().build());
        assertThat(fragment.status()).isEqualTo(200);
        String logs = "/history?prompt_name=" + name.replace("/", "%2F") + "&amp;prompt_version=1";
        assertThat(fragment.body()).doesNotContain("<html").contains("2 logs name this prompt")
                .contains("<a href=\"" + logs + "\" title=\"Open these logs in the prompt history\">2</a>")
                .contains(">20</td>").contains(">0.005</td>").contains(">800</td>");
        assertThat(page(readToken, "/prompts/" + name + "/usage").body()).contains("<html").contains("Usage of " + name);
    }

    @Test
    void aWriterMovesALabelAfterConfirmingAndTheMoveIsRecordedAsByTheApi() {
        String name = twoVersions("move");
        String pageBody = page(writeToken, "/prompts/" + name).body();
        assertThat(pageBody).contains("<form class=\"move\" method=\"get\" action=\"/prompts/" + name + "/labels\">")
                .contains("Review the move");
        TestServer.Response confirm = page(writeToken, "/prompts/" + name + "/labels?label=production&version=2");
        assertThat(confirm.status()).as(confirm.body()).isEqualTo(200);
        assertThat(confirm.body()).contains("from version 1 to version 2?")
                .contains("<form method=\"post\" action=\"/prompts/" + name + "/labels\"")
                .contains("name=\"label\" value=\"production\"").contains("name=\"version\" value=\"2\"")
                .contains("diff-add"); // what changes between the two
        // Nothing moved by looking at the confirmation.
        assertThat(server.call(TestServer.TOKEN, "GET", "/api/v1/prompts/" + name + "?label=production", null)
                .json().get("version").asInt()).isEqualTo(1);

        TestServer.Response moved = postForm(writeToken, "/prompts/" + name + "/labels", "label=production&version=2", null);
        assertThat(moved.status()).as(moved.body()).isEqualTo(303);
        assertThat(moved.header("Location")).isEqualTo("/prompts/" + name + "?moved=production");
        assertThat(server.call(TestServer.TOKEN, "GET", "/api/v1/prompts/" + name + "?label=production", null)
                .json().get("version").asInt()).isEqualTo(2);
        assertThat(page(writeToken, moved.header("Location")).body())
                .contains("Label <strong>production</strong> now points at version 2.");
        // The same audit entry and event as the API's move.
        String id = server.jdbi().withHandle(h -> h.createQuery("select id::text from prompt where name = :n")
                .bind("n", name).mapTo(String.class).one());
        List<String> events = server.jdbi().withHandle(h -> h.createQuery(
                        "select payload::text from event where type = 'prompt.label_moved' and subject_id = :id order by seq")
                .bind("id", id).mapTo(String.class).list());
        assertThat(events).hasSize(2); // the set-up's, then the page's
        JsonNode last = json(events.get(1));
        assertThat(last.get("label").asText()).isEqualTo("production");
        assertThat(last.get("from").asInt()).isEqualTo(1);
        assertThat(last.get("to").asInt()).isEqualTo(2);
        List<String> audit = server.jdbi().withHandle(h -> h.createQuery(
                        "select actor_name from audit_event where action = 'prompt.label_moved' and target_id = :id order by at")
                .bind("id", id).mapTo(String.class).list());
        assertThat(audit).hasSize(2).last().isEqualTo("pages write");

        // A new label is pointed at a version the same way.
        assertThat(page(writeToken, "/prompts/" + name + "/labels?label=staging&version=1").body())
                .contains("Point the new label");
        assertThat(postForm(writeToken, "/prompts/" + name + "/labels", "label=staging&version=1", null).status()).isEqualTo(303);
        assertThat(server.call(TestServer.TOKEN, "GET", "/api/v1/prompts/" + name + "?label=staging", null)
                .json().get("version").asInt()).isEqualTo(1);
    }

    @Test
    void aMoveWithBadInputIsRefused() {
        String name = twoVersions("move-bad");
        String path = "/prompts/" + name + "/labels";
        assertHtmlError(postForm(writeToken, path, "label=production&version=9", null), 400, "has no version 9");
        assertHtmlError(postForm(writeToken, path, "label=production&version=zero", null), 400, "version number");
        assertHtmlError(postForm(writeToken, path, "version=2", null), 400, "missing_field");
        assertHtmlError(postForm(writeToken, path, "label=latest&version=2", null), 400, "implicit");
        assertHtmlError(postForm(writeToken, path, "label=Prod!&version=2", null), 400, "a label is");
        assertHtmlError(postForm(writeToken, path, "label=production&version=2&force=1", null), 400, "unknown form field");
        assertHtmlError(postForm(writeToken, path, "label=production&version=2&version=1", null), 400, "more than once");
        assertHtmlError(postForm(writeToken, "/prompts/nothing-here-" + UUID.randomUUID() + "/labels",
                "label=production&version=1", null), 404, "not_found");
        assertHtmlError(page(writeToken, path + "?label=production&version=9"), 400, "has no version 9");
        assertHtmlError(page(writeToken, path + "?version=2"), 400, "missing_parameter");
        // An archived prompt's labels stay where they are.
        assertThat(server.call(TestServer.TOKEN, "POST", "/api/v1/prompts/" + name + "/archive", null).status()).isEqualTo(200);
        assertHtmlError(page(writeToken, path + "?label=production&version=2"), 409, "archived");
        assertHtmlError(postForm(writeToken, path, "label=production&version=2", null), 409, "archived");
        assertThat(page(writeToken, "/prompts/" + name).body()).contains("Archived").doesNotContain("class=\"move\"")
                .doesNotContain("Review the move");
        assertThat(server.call(TestServer.TOKEN, "GET", "/api/v1/prompts/" + name + "?label=production", null)
                .json().get("version").asInt()).isEqualTo(1);
    }

    @Test
    void aReadOnlyCredentialSeesNoMoveAndIsRefusedOne() {
        String name = twoVersions("readonly");
        String body = page(readToken, "/prompts/" + name).body();
        assertThat(body).doesNotContain("action=\"/prompts/" + name + "/labels\"").doesNotContain("Move a label here")
                .doesNotContain("Review the move");
        assertHtmlError(page(readToken, "/prompts/" + name + "/labels?label=production&version=2"), 403, "write");
        assertHtmlError(postForm(readToken, "/prompts/" + name + "/labels", "label=production&version=2", null), 403, "write");
        assertThat(server.call(TestServer.TOKEN, "GET", "/api/v1/prompts/" + name + "?label=production", null)
                .json().get("version").asInt()).isEqualTo(1);
    }

    @Test
    void aSignedInBrowsersMoveNeedsTheSessionsCsrfToken() {
        String name = twoVersions("csrf");
        String user = "pages-editor-" + UUID.randomUUID().toString().substring(0, 8);
        assertThat(server.call(TestServer.TOKEN, "POST", "/api/v1/users", "{\"username\":\"" + user
                + "\",\"password\":\"correct horse battery staple\",\"role\":\"editor\"}").status()).isEqualTo(201);
        TestServer.Response login = server.send(server.anonymous("/login").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"" + user
                        + "\",\"password\":\"correct horse battery staple\"}")).build());
        assertThat(login.status()).as(login.body()).isEqualTo(200);
        String cookie = login.header("Set-Cookie").split(";", 2)[0];
        String csrf = login.json().get("csrf_token").asText();
        // The confirmation page carries the token in its form.
        TestServer.Response confirm = server.send(server.anonymous("/prompts/" + name + "/labels?label=production&version=2")
                .header("Cookie", cookie).GET().build());
        assertThat(confirm.status()).as(confirm.body()).isEqualTo(200);
        assertThat(confirm.body()).contains("name=\"_csrf\" value=\"" + csrf + "\"");
        String path = "/prompts/" + name + "/labels";
        assertHtmlError(postForm(null, path, "label=production&version=2", cookie), 403, "csrf_failed");
        assertHtmlError(postForm(null, path, "label=production&version=2&_csrf=wrong", cookie), 403, "csrf_failed");
        TestServer.Response moved = postForm(null, path, "_csrf=" + csrf + "&label=production&version=2", cookie);
        assertThat(moved.status()).as(moved.body()).isEqualTo(303);
        assertThat(server.call(TestServer.TOKEN, "GET", "/api/v1/prompts/" + name + "?label=production", null)
                .json().get("version").asInt()).isEqualTo(2);
    }

    @Test
    void aChatPromptShowsAndRendersItsMessages() {
        String name = unique("chat") + "/reply";
        version(name, "{\"template\":[{\"role\":\"system\",\"content\":\"You write {{tone}} shot lists.\"},"
                + "{\"role\":\"user\",\"content\":\"Scene {{scene}}\"}],\"variables\":[\"scene\",{\"name\":\"tone\",\"default\":\"terse\"}]}");
        String body = page(readToken, "/prompts/" + name).body();
        assertThat(body).contains("<span class=\"badge role\">system</span>")
                .contains("<pre class=\"template\">You write {{tone}} shot lists.</pre>")
                .contains("<pre class=\"template\">Scene {{scene}}</pre>");
        String rendered = page(readToken, "/prompts/" + name + "/render?render=1&var.scene=4B").body();
        assertThat(rendered).contains("<pre class=\"rendered\">You write terse shot lists.</pre>")
                .contains("<pre class=\"rendered\">Scene 4B</pre>");
    }

    @Test
    void aPromptsVersionsPageByCursor() {
        String name = unique("many") + "/versions-list";
        for (int i = 1; i <= PromptPages.PAGE + 2; i++) version(name, "{\"template\":\"take " + i + "\",\"message\":\"take " + i + "\"}");
        label(name, "production", PromptPages.PAGE + 2);
        String first = page(writeToken, "/prompts/" + name).body();
        assertThat(count(first, "<tr id=\"v")).isEqualTo(PromptPages.PAGE);
        assertThat(first).contains("<tr id=\"v52\">").contains("<tr id=\"v3\">").doesNotContain("<tr id=\"v2\">");
        Matcher next = Pattern.compile("hx-get=\"([^\"]+)\" hx-trigger=\"revealed\"").matcher(first);
        assertThat(next.find()).isTrue();
        String url = next.group(1).replace("&amp;", "&");
        TestServer.Response rows = server.send(server.anonymous(url).header("Authorization", "Bearer " + writeToken)
                .header("HX-Request", "true").GET().build());
        assertThat(rows.status()).isEqualTo(200);
        assertThat(rows.body()).doesNotContain("<html").contains("<tr id=\"v2\">").contains("<tr id=\"v1\">")
                .doesNotContain("hx-trigger=\"revealed\"")
                // the rows a writer gets carry the compare choice and the move column
                .contains("form=\"compare\"").contains("aria-label=\"Label to move to version 1\"");
        assertThat(count(rows.body(), "<tr id=\"v")).isEqualTo(2);
        assertThat(page(writeToken, url).body()).contains("<html").contains("Continued from an earlier page");
        assertHtmlError(page(writeToken, "/prompts/" + name + "?cursor=bogus"), 400, "cursor");
    }

    @Test
    void aTokenOfOneProjectCountsOnlyItsProjectsLogs() {
        String name = twoVersions("projects");
        String mine = unique("mine");
        for (String project : List.of(mine, mine, unique("theirs"))) {
            assertThat(server.postJson("/api/v1/prompt-history", "{\"type\":\"pages\",\"projectId\":\"" + project + "\","
                    + "\"context\":{\"promptName\":\"" + name + "\",\"promptVersion\":2}}").status()).isEqualTo(201);
        }
        String restricted = server.createToken("{\"name\":\"one project\",\"scopes\":[\"read\"],\"projects\":[\"" + mine + "\"]}");
        assertThat(page(TestServer.TOKEN, "/prompts/" + name + "/usage").body()).contains("3 logs name this prompt");
        String seen = page(restricted, "/prompts/" + name + "/usage").body();
        assertThat(seen).contains("2 logs name this prompt").contains("title=\"Open these logs in the prompt history\">2</a>");
        // The prompt itself is studio-wide.
        assertThat(page(restricted, "/prompts/" + name).status()).isEqualTo(200);
    }

    private static JsonNode json(String s) {
        try {
            return Json.MAPPER.readTree(s);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
