package storyboard.prompts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import storyboard.kernel.Json;
import storyboard.support.TestDatabase;
import storyboard.support.TestServer;

/** The prompt registry: immutable versions, labels (also under concurrency), ETag/304, rendering and diffs. */
class PromptsTest {
    private static TestServer server;
    private static final String ADMIN = TestServer.TOKEN;

    @BeforeAll
    static void start() {
        server = TestServer.start(TestDatabase.get().newDatabase(), Map.of("RATE_LIMIT", "0", "RATE_LIMIT_INGEST", "0"));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static String unique(String base) {
        return base + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static TestServer.Response create(String name, String body) {
        return server.call(ADMIN, "POST", "/api/v1/prompts/" + name + "/versions", body);
    }

    private static JsonNode created(String name, String body) {
        TestServer.Response r = create(name, body);
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return r.json();
    }

    private static TestServer.Response get(String name, String query) {
        return server.call(ADMIN, "GET", "/api/v1/prompts/" + name + query, null);
    }

    private static TestServer.Response moveLabel(String name, String label, int version) {
        return server.call(ADMIN, "PUT", "/api/v1/prompts/" + name + "/labels/" + label, "{\"version\":" + version + "}");
    }

    private static TestServer.Response render(String name, String body) {
        return server.call(ADMIN, "POST", "/api/v1/prompts/" + name + "/render", body);
    }

    private static List<JsonNode> events(String type, String promptId) {
        return server.jdbi().withHandle(h -> h.createQuery(
                        "select payload::text from event where type = :type and subject_id = :id order by seq")
                .bind("type", type).bind("id", promptId).mapTo(String.class).list()).stream().map(s -> {
                    try {
                        return Json.MAPPER.readTree(s);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }).toList();
    }

    private static String promptId(String name) {
        return server.jdbi().withHandle(h -> h.createQuery("select id::text from prompt where name = :n")
                .bind("n", name).mapTo(String.class).one());
    }

    @Test
    void versionsAreNumberedAndImmutableAndNamesHoldFolders() {
        String name = unique("breakdown") + "/shots";
        JsonNode v1 = created(name, """
                {"template":"Shots for {{scene}}","variables":[{"name":"scene","description":"the scene"}],
                 "config":{"model":"gpt-x","temperature":0.2},"message":"first"}""");
        assertThat(v1.get("version").asInt()).isEqualTo(1);
        assertThat(v1.get("kind").asText()).isEqualTo("text");
        assertThat(v1.get("author").asText()).isNotBlank();
        JsonNode v2 = created(name, """
                {"template":[{"role":"system","content":"You break down scenes."},{"role":"user","content":"{{scene}}"}],
                 "variables":["scene"],"config":{"model":"gpt-y"},"message":"chat"}""");
        assertThat(v2.get("version").asInt()).isEqualTo(2);
        assertThat(v2.get("kind").asText()).isEqualTo("chat");

        // Version 1 is exactly as it was made, whatever came after it.
        JsonNode again = get(name, "?version=1").json();
        assertThat(again.get("template").asText()).isEqualTo("Shots for {{scene}}");
        assertThat(again.get("config")).isEqualTo(v1.get("config"));
        assertThat(again.get("message").asText()).isEqualTo("first");
        assertThat(again.get("created_at")).isEqualTo(v1.get("created_at"));
        // Without production, the default is latest; there is no way to change a version but a new one.
        JsonNode latest = get(name, "").json();
        assertThat(latest.get("version").asInt()).isEqualTo(2);
        assertThat(latest.get("label").asText()).isEqualTo("latest");
        assertThat(get(name, "?version=3").status()).isEqualTo(404);
        assertThat(get(unique("nothing"), "").status()).isEqualTo(404);

        List<JsonNode> created = events("prompt.version_created", promptId(name));
        assertThat(created).extracting(e -> e.get("version").asInt()).containsExactly(1, 2);
        assertThat(created.get(0).get("name").asText()).isEqualTo(name);
        int audited = server.jdbi().withHandle(h -> h.createQuery(
                "select count(*) from audit_event where action = 'prompt.version_created' and target_id = :id")
                .bind("id", promptId(name)).mapTo(Integer.class).one());
        assertThat(audited).isEqualTo(2);
    }

    @Test
    void concurrentNewVersionsGetDistinctNumbers() throws Exception {
        String name = unique("parallel-versions");
        List<Callable<Integer>> tasks = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            String body = "{\"template\":\"take " + i + "\"}";
            tasks.add(() -> created(name, body).get("version").asInt());
        }
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            Set<Integer> versions = new HashSet<>();
            for (Future<Integer> f : pool.invokeAll(tasks)) versions.add(f.get());
            assertThat(versions).containsExactlyInAnyOrder(1, 2, 3, 4, 5, 6, 7, 8);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void labelsPointAtVersionsAndAnUnknownLabelIsNotFound() {
        String name = unique("labels");
        created(name, "{\"template\":\"one\"}");
        created(name, "{\"template\":\"two\"}");
        assertThat(get(name, "?label=production").status()).isEqualTo(404);
        assertThat(get(name, "?label=staging").json().get("error").asText()).isEqualTo("not_found");

        TestServer.Response moved = moveLabel(name, "production", 1);
        assertThat(moved.status()).as(moved.body()).isEqualTo(200);
        assertThat(moved.json().get("previous_version").isNull()).isTrue();
        JsonNode dflt = get(name, "").json();
        assertThat(dflt.get("version").asInt()).isEqualTo(1);
        assertThat(dflt.get("label").asText()).isEqualTo("production");
        assertThat(get(name, "?label=latest").json().get("version").asInt()).isEqualTo(2);
        assertThat(moveLabel(name, "staging", 2).status()).isEqualTo(200);
        assertThat(get(name, "?label=staging").json().get("template").asText()).isEqualTo("two");
        assertThat(moveLabel(name, "production", 2).json().get("previous_version").asInt()).isEqualTo(1);

        assertThat(moveLabel(name, "latest", 1).json().get("error").asText()).isEqualTo("invalid_parameter");
        assertThat(moveLabel(name, "Prod", 1).status()).isEqualTo(400);
        assertThat(moveLabel(name, "production", 9).json().get("error").asText()).isEqualTo("unknown_version");
        assertThat(moveLabel(unique("nothing"), "production", 1).status()).isEqualTo(404);
        assertThat(get(name, "?label=production&version=1").status()).isEqualTo(400);
        assertThat(get(name, "?version=x").status()).isEqualTo(400);
        assertThat(get(name, "?label=Bad%20Label").status()).isEqualTo(400);

        List<JsonNode> moves = events("prompt.label_moved", promptId(name));
        assertThat(moves).hasSize(3);
        assertThat(moves.get(2).get("label").asText()).isEqualTo("production");
        assertThat(moves.get(2).get("from").asInt()).isEqualTo(1);
        assertThat(moves.get(2).get("to").asInt()).isEqualTo(2);
    }

    @Test
    void concurrentLabelMovesAllApplyInOrderAndEachIsAnEvent() throws Exception {
        String name = unique("race");
        for (int i = 1; i <= 4; i++) created(name, "{\"template\":\"v" + i + "\"}");
        int moves = 24;
        CountDownLatch go = new CountDownLatch(1);
        List<Callable<Integer>> tasks = new ArrayList<>();
        for (int i = 0; i < moves; i++) {
            int version = i % 4 + 1;
            tasks.add(() -> {
                go.await();
                return moveLabel(name, "production", version).status();
            });
        }
        ExecutorService pool = Executors.newFixedThreadPool(12);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (Callable<Integer> t : tasks) results.add(pool.submit(t));
            go.countDown();
            for (Future<Integer> f : results) assertThat(f.get()).isEqualTo(200);
        } finally {
            pool.shutdownNow();
        }
        List<JsonNode> events = events("prompt.label_moved", promptId(name));
        assertThat(events).hasSize(moves);
        // No lost move: each move starts from where the one before it left the label.
        assertThat(events.get(0).get("from").isNull()).isTrue();
        for (int i = 1; i < events.size(); i++) {
            assertThat(events.get(i).get("from").asInt()).as("move " + i).isEqualTo(events.get(i - 1).get("to").asInt());
        }
        assertThat(get(name, "?label=production").json().get("version").asInt())
                .isEqualTo(events.get(moves - 1).get("to").asInt());
    }

    @Test
    void etagAndIfNoneMatchLetClientsPollCheaply() {
        String name = unique("polled") + "/deep/er";
        created(name, "{\"template\":\"one\"}");
        created(name, "{\"template\":\"two\"}");
        moveLabel(name, "production", 1);
        TestServer.Response first = get(name, "?label=production");
        String etag = first.header("ETag");
        assertThat(etag).startsWith("\"").endsWith("\"");
        assertThat(first.header("Cache-Control")).isEqualTo("no-cache");

        TestServer.Response cached = server.send(server.request("/api/v1/prompts/" + name + "?label=production")
                .header("If-None-Match", etag).GET().build());
        assertThat(cached.status()).isEqualTo(304);
        assertThat(cached.bytes()).isEmpty();
        assertThat(cached.header("ETag")).isEqualTo(etag);
        assertThat(server.send(server.request("/api/v1/prompts/" + name + "?label=production")
                .header("If-None-Match", "\"other\", " + etag).GET().build()).status()).isEqualTo(304);
        // A new version does not change what production serves; moving the label does.
        created(name, "{\"template\":\"three\"}");
        assertThat(server.send(server.request("/api/v1/prompts/" + name + "?label=production")
                .header("If-None-Match", etag).GET().build()).status()).isEqualTo(304);
        moveLabel(name, "production", 3);
        TestServer.Response moved = server.send(server.request("/api/v1/prompts/" + name + "?label=production")
                .header("If-None-Match", etag).GET().build());
        assertThat(moved.status()).isEqualTo(200);
        assertThat(moved.header("ETag")).isNotEqualTo(etag);
        assertThat(moved.json().get("template").asText()).isEqualTo("three");
        // The same version asked for another way is another representation.
        assertThat(get(name, "?version=3").header("ETag")).isNotEqualTo(moved.header("ETag"));
    }

    @Test
    void renderFillsVariablesWithoutEscapingAndListsTheMissingOnes() {
        String name = unique("render");
        created(name, """
                {"template":"Draw {{subject}} in {{style}} <{{mood}}> & \\"{{extra}}\\"",
                 "variables":["subject",{"name":"style","default":"ink"},{"name":"mood"},{"name":"extra","default":""}]}""");
        TestServer.Response ok = render(name, "{\"variables\":{\"subject\":\"a cat & <dog>\",\"mood\":\"calm\"}}");
        assertThat(ok.status()).as(ok.body()).isEqualTo(200);
        assertThat(ok.json().get("text").asText()).isEqualTo("Draw a cat & <dog> in ink <calm> & \"\"");
        assertThat(ok.json().get("version").asInt()).isEqualTo(1);

        TestServer.Response missing = render(name, "{\"variables\":{\"style\":\"oil\"}}");
        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.json().get("error").asText()).isEqualTo("missing_variables");
        assertThat(missing.json().get("missing")).extracting(JsonNode::asText).containsExactly("subject", "mood");
        assertThat(missing.json().get("message").asText()).contains("subject", "mood");
        assertThat(render(name, "{}").json().get("missing")).hasSize(2);
        assertThat(render(name, "{\"variables\":{\"subject\":\"x\",\"mood\":\"y\",\"typo\":1}}").json().get("error").asText())
                .isEqualTo("unknown_variables");
        assertThat(render(name, "{\"variables\":[]}").status()).isEqualTo(400);
        assertThat(render(name, "{\"variables\":{},\"label\":\"production\"}").status()).isEqualTo(404);
        assertThat(render(unique("nothing"), "{}").status()).isEqualTo(404);

        // Chat templates render message by message, by version or label.
        created(name, """
                {"template":[{"role":"system","content":"Style: {{style}}"},{"role":"user","content":"{{subject}}"}],
                 "variables":["subject","style"],"config":{"max_tokens":50}}""");
        moveLabel(name, "staging", 2);
        JsonNode chat = render(name, "{\"label\":\"staging\",\"variables\":{\"subject\":\"a bird\",\"style\":\"watercolour\"}}").json();
        assertThat(chat.get("kind").asText()).isEqualTo("chat");
        assertThat(chat.get("messages").get(0).get("content").asText()).isEqualTo("Style: watercolour");
        assertThat(chat.get("messages").get(1).get("role").asText()).isEqualTo("user");
        assertThat(chat.get("config").get("max_tokens").asInt()).isEqualTo(50);
        assertThat(render(name, "{\"version\":1,\"variables\":{\"subject\":\"s\",\"mood\":\"m\"}}").json().get("text").asText())
                .startsWith("Draw s in ink");
    }

    @Test
    void badVersionsAreRefusedWithClearErrors() {
        String name = unique("bad");
        assertThat(create(name, "{\"template\":\"{{who}}\"}").json().get("error").asText()).isEqualTo("undeclared_variables");
        assertThat(create(name, "{\"template\":\"{{#open}} never closed\",\"variables\":[\"open\"]}").json().get("error").asText())
                .isEqualTo("invalid_template");
        assertThat(create(name, "{\"template\":\"{{> partial}}\"}").json().get("error").asText()).isEqualTo("invalid_template");
        assertThat(create(name, "{\"template\":[]}").json().get("error").asText()).isEqualTo("invalid_template");
        assertThat(create(name, "{\"template\":[{\"role\":\"user\"}]}").json().get("error").asText()).isEqualTo("invalid_template");
        assertThat(create(name, "{\"template\":\"x\",\"config\":[1]}").json().get("field").asText()).isEqualTo("config");
        assertThat(create(name, "{\"template\":\"x\",\"variables\":[\"a\",\"a\"]}").status()).isEqualTo(400);
        assertThat(create(name, "{\"template\":\"x\",\"variables\":[\"bad name\"]}").status()).isEqualTo(400);
        assertThat(create(name, "{\"template\":\"x\",\"reference_assets\":[\"" + UUID.randomUUID() + "\"]}").json()
                .get("error").asText()).isEqualTo("unknown_asset");
        assertThat(create(name, "{\"template\":\"x\",\"reference_assets\":[\"nope\"]}").status()).isEqualTo(400);
        assertThat(create(name, "{\"template\":\"x\",\"colour\":1}").json().get("error").asText()).isEqualTo("unknown_field");
        assertThat(create(name, "{}").json().get("error").asText()).isEqualTo("missing_field");
        for (String bad : List.of("Upper", "a//b", "a/", "_x", "a%20b", "x".repeat(201))) {
            TestServer.Response r = create(bad, "{\"template\":\"x\"}");
            assertThat(r.status()).as(bad).isEqualTo(400);
            assertThat(r.json().get("error").asText()).as(bad).isEqualTo("invalid_name");
        }
        // Nothing of that was stored.
        assertThat(get(name, "").status()).isEqualTo(404);
        // Only write may add versions and move labels.
        String reader = server.createToken("{\"name\":\"prompt reader\",\"scopes\":[\"read\"]}");
        assertThat(server.call(reader, "POST", "/api/v1/prompts/" + name + "/versions", "{\"template\":\"x\"}").status()).isEqualTo(403);
    }

    @Test
    void listsPromptsByFolderAndAPromptsHistory() {
        String folder = unique("list");
        for (String leaf : List.of("b-shots", "a-scenes", "c.notes", "a-scenes/deeper")) {
            created(folder + "/" + leaf, "{\"template\":\"x\",\"message\":\"made " + leaf + "\"}");
        }
        created(folder + "/a-scenes", "{\"template\":\"y\",\"message\":\"second\"}");
        moveLabel(folder + "/a-scenes", "production", 1);
        created(folder + "-sibling/x", "{\"template\":\"x\"}");

        JsonNode all = server.call(ADMIN, "GET", "/api/v1/prompts?prefix=" + folder + "/", null).json();
        assertThat(all.get("items")).extracting(i -> i.get("name").asText()).containsExactly(folder + "/a-scenes",
                folder + "/a-scenes/deeper", folder + "/b-shots", folder + "/c.notes");
        JsonNode first = all.get("items").get(0);
        assertThat(first.get("latest_version").asInt()).isEqualTo(2);
        assertThat(first.get("labels").get("production").asInt()).isEqualTo(1);
        assertThat(all.get("next_cursor").isNull()).isTrue();

        // Pages follow each other without gaps or repeats.
        List<String> paged = new ArrayList<>();
        String cursor = null;
        do {
            JsonNode page = server.call(ADMIN, "GET", "/api/v1/prompts?limit=3&prefix=" + folder
                    + (cursor == null ? "" : "&cursor=" + cursor), null).json();
            page.get("items").forEach(i -> paged.add(i.get("name").asText()));
            cursor = page.get("next_cursor").isNull() ? null : page.get("next_cursor").asText();
        } while (cursor != null);
        assertThat(paged).hasSize(5).doesNotHaveDuplicates();
        assertThat(server.call(ADMIN, "GET", "/api/v1/prompts?q=" + folder.substring(5) + "/b-sh", null).json().get("items"))
                .extracting(i -> i.get("name").asText()).containsExactly(folder + "/b-shots");
        assertThat(server.call(ADMIN, "GET", "/api/v1/prompts?cursor=Not%20a%20name", null).status()).isEqualTo(400);
        assertThat(server.call(ADMIN, "GET", "/api/v1/prompts?limit=0", null).status()).isEqualTo(400);
        assertThat(server.call(ADMIN, "GET", "/api/v1/prompts?colour=red", null).status()).isEqualTo(400);

        JsonNode history = server.call(ADMIN, "GET", "/api/v1/prompts/" + folder + "/a-scenes/versions", null).json();
        assertThat(history.get("items")).extracting(i -> i.get("version").asInt()).containsExactly(2, 1);
        assertThat(history.get("items").get(0).get("message").asText()).isEqualTo("second");
        assertThat(history.get("labels").get("production").asInt()).isEqualTo(1);
        JsonNode one = server.call(ADMIN, "GET", "/api/v1/prompts/" + folder + "/a-scenes/versions?limit=1", null).json();
        assertThat(one.get("items")).hasSize(1);
        JsonNode rest = server.call(ADMIN, "GET", "/api/v1/prompts/" + folder + "/a-scenes/versions?limit=1&cursor="
                + one.get("next_cursor").asText(), null).json();
        assertThat(rest.get("items").get(0).get("version").asInt()).isEqualTo(1);
        assertThat(rest.get("next_cursor").isNull()).isTrue();
        assertThat(server.call(ADMIN, "GET", "/api/v1/prompts/" + unique("nothing") + "/versions", null).status()).isEqualTo(404);
    }

    @Test
    void diffShowsTemplateVariablesAndConfigChanges() {
        String name = unique("diffs") + "/a";
        created(name, "{\"template\":\"line one\\nline two\\nline three\",\"config\":{\"model\":\"m1\",\"temperature\":0.5}}");
        created(name, "{\"template\":\"line one\\nline two\\nline three\",\"config\":{\"temperature\":0.5,\"model\":\"m1\"}}");
        created(name, "{\"template\":\"line one\\nline 2 of {{n}}\\nline three\",\"variables\":[\"n\"],"
                + "\"config\":{\"model\":\"m2\",\"temperature\":0.5}}");
        TestServer.Response r = server.call(ADMIN, "GET", "/api/v1/prompts/" + name + "/diff?from=1&to=3", null);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        String diff = r.json().get("diff").asText();
        assertThat(r.json().get("changed")).extracting(JsonNode::asText).containsExactly("template", "variables", "config");
        assertThat(diff).contains("--- " + name + "@1/template", "+++ " + name + "@3/template", "@@ ",
                "-line two", "+line 2 of {{n}}", " line one", "-  \"model\" : \"m1\"", "+  \"model\" : \"m2\"");
        assertThat(diff).doesNotContain("-line one");
        // Key order is no change.
        JsonNode same = server.call(ADMIN, "GET", "/api/v1/prompts/" + name + "/diff?from=1&to=2", null).json();
        assertThat(same.get("changed")).isEmpty();
        assertThat(same.get("diff").asText()).isEmpty();
        assertThat(server.call(ADMIN, "GET", "/api/v1/prompts/" + name + "/diff?from=1&to=9", null).status()).isEqualTo(404);
        assertThat(server.call(ADMIN, "GET", "/api/v1/prompts/" + name + "/diff?from=1", null).status()).isEqualTo(400);
        assertThat(server.call(ADMIN, "GET", "/api/v1/prompts/" + name + "/diff?from=0&to=1", null).status()).isEqualTo(400);
    }

    @Test
    void searchFindsNamesTextAndLabels() {
        String folder = unique("search");
        created(folder + "/shots", "{\"template\":\"Break the SCENE into shots\"}");
        created(folder + "/acts", "{\"template\":[{\"role\":\"system\",\"content\":\"You group scenes\"},"
                + "{\"role\":\"user\",\"content\":\"Group these into ACTS: {{scenes}}\"}],\"variables\":[\"scenes\"]}");
        created(folder + "/repair", "{\"template\":\"Fix this JSON into acts\"}");
        created(folder + "/repair", "{\"template\":\"Fix this JSON\"}");
        moveLabel(folder + "/shots", "production", 1);
        moveLabel(folder + "/repair", "staging", 2);

        // q: the name, or the latest version's text (any message of a chat template), case-insensitive.
        assertThat(names("prefix=" + folder + "/&q=scene")).containsExactly(folder + "/acts", folder + "/shots");
        assertThat(names("prefix=" + folder + "/&q=ACTS")).containsExactly(folder + "/acts");
        assertThat(names("prefix=" + folder + "/&q=repa")).containsExactly(folder + "/repair");
        assertThat(names("prefix=" + folder + "/&label=production")).containsExactly(folder + "/shots");
        assertThat(names("prefix=" + folder + "/&label=staging&q=json")).containsExactly(folder + "/repair");
        assertThat(names("prefix=" + folder + "/&label=latest")).hasSize(3);
        assertThat(names("prefix=" + folder + "/&label=nobody-has-it")).isEmpty();
        assertThat(server.call(ADMIN, "GET", "/api/v1/prompts?label=Bad%20Label", null).status()).isEqualTo(400);
        assertThat(server.call(ADMIN, "GET", "/api/v1/prompts?archived=maybe", null).status()).isEqualTo(400);
    }

    private static List<String> names(String query) {
        TestServer.Response r = server.call(ADMIN, "GET", "/api/v1/prompts?" + query, null);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        List<String> out = new ArrayList<>();
        r.json().get("items").forEach(i -> out.add(i.get("name").asText()));
        return out;
    }

    @Test
    void anArchivedPromptIsReadOnlyAndLeftOutOfTheListUntilRestored() {
        String name = unique("archive") + "/old";
        created(name, "{\"template\":\"Hello {{who}}\",\"variables\":[\"who\"]}");
        moveLabel(name, "production", 1);
        String etag = get(name, "").header("ETag");

        TestServer.Response archived = server.call(ADMIN, "POST", "/api/v1/prompts/" + name + "/archive", null);
        assertThat(archived.status()).as(archived.body()).isEqualTo(200);
        assertThat(archived.json().get("archived_at").isNull()).isFalse();
        // Twice changes nothing.
        assertThat(server.call(ADMIN, "POST", "/api/v1/prompts/" + name + "/archive", null).json().get("archived_at"))
                .isEqualTo(archived.json().get("archived_at"));

        // Still read, rendered and diffed by name; the ETag changes since the body says it is archived.
        TestServer.Response read = get(name, "");
        assertThat(read.status()).isEqualTo(200);
        assertThat(read.json().get("archived_at").isNull()).isFalse();
        assertThat(read.header("ETag")).isNotEqualTo(etag);
        assertThat(render(name, "{\"variables\":{\"who\":\"you\"}}").json().get("text").asText()).isEqualTo("Hello you");
        assertThat(server.call(ADMIN, "GET", "/api/v1/prompts/" + name + "/versions", null).json().get("archived_at").isNull())
                .isFalse();
        // Out of the list unless asked for.
        String prefix = name.substring(0, name.indexOf('/') + 1);
        assertThat(names("prefix=" + prefix)).isEmpty();
        assertThat(names("prefix=" + prefix + "&archived=true")).containsExactly(name);
        assertThat(names("prefix=" + prefix + "&archived=any")).containsExactly(name);
        // Read-only.
        TestServer.Response refused = create(name, "{\"template\":\"new\"}");
        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.json().get("error").asText()).isEqualTo("archived");
        assertThat(moveLabel(name, "staging", 1).status()).isEqualTo(409);
        assertThat(server.call(ADMIN, "DELETE", "/api/v1/prompts/" + name + "/labels/production", null).status()).isEqualTo(409);

        TestServer.Response restored = server.call(ADMIN, "POST", "/api/v1/prompts/" + name + "/unarchive", null);
        assertThat(restored.status()).isEqualTo(200);
        assertThat(restored.json().get("archived_at").isNull()).isTrue();
        assertThat(names("prefix=" + prefix)).containsExactly(name);
        assertThat(create(name, "{\"template\":\"new\"}").status()).isEqualTo(201);
        assertThat(get(name, "").header("ETag")).isEqualTo(etag);

        String promptId = server.jdbi().withHandle(h -> h.createQuery("select id::text from prompt where name = :n")
                .bind("n", name).mapTo(String.class).one());
        assertThat(events("prompt.archived", promptId)).hasSize(1);
        assertThat(events("prompt.unarchived", promptId)).hasSize(1);
        assertThat(server.call(ADMIN, "POST", "/api/v1/prompts/" + unique("nothing") + "/archive", null).status()).isEqualTo(404);
    }

    @Test
    void aLabelCanBeRemovedAndIsThenNotFound() {
        String name = unique("unlabel") + "/p";
        created(name, "{\"template\":\"x\"}");
        moveLabel(name, "staging", 1);
        assertThat(server.call(ADMIN, "DELETE", "/api/v1/prompts/" + name + "/labels/staging", null).status()).isEqualTo(204);
        assertThat(get(name, "?label=staging").status()).isEqualTo(404);
        assertThat(server.call(ADMIN, "DELETE", "/api/v1/prompts/" + name + "/labels/staging", null).status()).isEqualTo(404);
        assertThat(server.call(ADMIN, "DELETE", "/api/v1/prompts/" + name + "/labels/latest", null).status()).isEqualTo(400);
        String promptId = server.jdbi().withHandle(h -> h.createQuery("select id::text from prompt where name = :n")
                .bind("n", name).mapTo(String.class).one());
        assertThat(events("prompt.label_deleted", promptId)).singleElement()
                .satisfies(e -> assertThat(e.get("from").asInt()).isEqualTo(1));
    }

    @Test
    void actionWordsAreNotNamesSoEveryPathReadsOneWay() {
        String folder = unique("words");
        for (String word : List.of("versions", "labels", "render", "diff", "usage", "archive", "unarchive")) {
            TestServer.Response r = server.call(ADMIN, "GET", "/api/v1/prompts/" + folder + "/" + word + "/x", null);
            assertThat(r.status()).as(word).isEqualTo(400);
            assertThat(r.json().get("error").asText()).isEqualTo("invalid_name");
        }
        // "a/render" is the render action of "a", never a prompt of that name.
        created(folder + "/a", "{\"template\":\"A\"}");
        assertThat(server.call(ADMIN, "POST", "/api/v1/prompts/" + folder + "/a/render", "{}").json().get("text").asText())
                .isEqualTo("A");
        assertThat(server.call(ADMIN, "GET", "/api/v1/prompts/" + folder + "/a/versions", null).json().get("name").asText())
                .isEqualTo(folder + "/a");
        assertThat(server.call(ADMIN, "POST", "/api/v1/prompts/" + folder + "/a/versions/versions", "{\"template\":\"B\"}")
                .status()).isEqualTo(400);
    }
}
