package storyboard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import storyboard.kernel.Json;
import storyboard.support.TestDatabase;
import storyboard.support.TestServer;

/**
 * {@code prompts export DIR} then {@code prompts import DIR} into an empty server gives the same registry; a
 * second import changes nothing; edits in the folder become new versions and label moves; a changed old version
 * is a conflict, not an overwrite.
 */
class PromptTransferTest {
    private static final String ADMIN = TestServer.TOKEN;
    private static TestServer source;
    private static TestServer target;

    @TempDir
    Path tmp;

    @BeforeAll
    static void start() {
        Map<String, String> settings = Map.of("RATE_LIMIT", "0", "RATE_LIMIT_INGEST", "0");
        source = TestServer.start(TestDatabase.get().newDatabase(), settings);
        target = TestServer.start(TestDatabase.get().newDatabase(), settings);
    }

    @AfterAll
    static void stop() {
        source.close();
        target.close();
    }

    private record Run(int code, String out) {}

    private static Run run(TestServer server, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream previous = System.out;
        int code;
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            List<String> all = new ArrayList<>(List.of(args));
            all.addAll(List.of("--server", server.baseUrl(), "--token", ADMIN));
            code = new CommandLine(new PromptsCommand()).execute(all.toArray(String[]::new));
        } finally {
            System.setOut(previous);
        }
        return new Run(code, out.toString(StandardCharsets.UTF_8));
    }

    private static void call(TestServer server, String method, String path, String body, int status) {
        TestServer.Response r = server.call(ADMIN, method, path, body);
        assertThat(r.status()).as(method + " " + path + ": " + r.body()).isEqualTo(status);
    }

    @Test
    void exportThenImportIntoAnEmptyServerGivesTheSameRegistryAndIsIdempotent() throws Exception {
        // Text that YAML could get wrong: trailing newline and spaces, blank lines, indentation, quotes, '#', ': ',
        // unicode, a value that looks like a boolean, and numbers whose scale must survive.
        call(source, "POST", "/api/v1/prompts/breakdown/shots/versions", """
                {"template": "Break this scene into shots.\\n\\n  - name: SHOT_XXXX\\n# not a comment\\nScene: {{scene}}\\n",
                 "variables": [{"name": "scene", "description": "The script excerpt"}],
                 "config": {"model": "llama", "temperature": 0.50, "max_tokens": 2048}, "message": "first"}""", 201);
        call(source, "POST", "/api/v1/prompts/breakdown/shots/versions", """
                {"template": "Break this scene into shots (\\"quoted\\", café, 雪).   \\nScene: {{scene}}\\nStyle: {{style}}",
                 "variables": ["scene", {"name": "style", "default": "yes"}],
                 "config": {"model": "llama", "temperature": 0.2, "stop": ["\\n\\n", "yes", "no", "null", "~", "", "123", "0.5", "true", "- x", "a: b", " lead", "#x"],
                 "nested": {"a": null, "b": false, "c": 1e3, "d": -0.000}}}""", 201);
        call(source, "POST", "/api/v1/prompts/breakdown/acts/versions", """
                {"template": [{"role": "system", "content": "You group scenes into acts.\\nBe brief."},
                              {"role": "user", "content": "Scenes:\\n{{#scenes}}- {{name}}\\n{{/scenes}}"}],
                 "variables": [{"name": "scenes", "default": [{"name": "S1"}]}], "message": "chat"}""", 201);
        call(source, "POST", "/api/v1/prompts/repair/versions", "{\"template\": \"Fix this JSON: {{json}}\", \"variables\": [\"json\"]}", 201);
        call(source, "POST", "/api/v1/prompts/old/idea/versions", "{\"template\": \"An old idea\"}", 201);
        call(source, "POST", "/api/v1/prompts/old/idea/versions", "{\"template\": \"An old idea, again\"}", 201);
        call(source, "PUT", "/api/v1/prompts/breakdown/shots/labels/production", "{\"version\": 1}", 200);
        call(source, "PUT", "/api/v1/prompts/breakdown/shots/labels/staging", "{\"version\": 2}", 200);
        call(source, "PUT", "/api/v1/prompts/breakdown/acts/labels/production", "{\"version\": 1}", 200);
        call(source, "PUT", "/api/v1/prompts/old/idea/labels/production", "{\"version\": 1}", 200);
        call(source, "POST", "/api/v1/prompts/old/idea/archive", null, 200);

        Path dir = tmp.resolve("prompts");
        Run export = run(source, "export", dir.toString());
        assertThat(export.code()).as(export.out()).isZero();
        assertThat(export.out()).contains("Exported 4 prompt(s), 6 version file(s)");
        // Readable files, one per version, multi-line templates as literal blocks.
        assertThat(dir.resolve("breakdown/shots@1.yaml")).exists();
        assertThat(dir.resolve("breakdown/shots@2.yaml")).exists();
        assertThat(dir.resolve("old/idea@2.yaml")).exists();
        String shots = Files.readString(dir.resolve("breakdown/shots@1.yaml"));
        assertThat(shots).contains("template: |", "  Break this scene into shots.", "- production");
        assertThat(Files.readString(dir.resolve("old/idea@2.yaml"))).contains("archived: true");
        assertThat(Files.readString(dir.resolve("old/idea@1.yaml"))).doesNotContain("archived");

        Run imported = run(target, "import", dir.toString());
        assertThat(imported.code()).as(imported.out()).isZero();
        assertThat(imported.out()).contains("4 prompt(s): 6 version(s) created, 4 label(s) moved, 0 unchanged, 0 not imported");
        assertThat(registry(target)).isEqualTo(registry(source));

        // Again: nothing changes, not even an event.
        long events = target.jdbi().withHandle(h -> h.createQuery("select count(*) from event").mapTo(Long.class).one());
        Run again = run(target, "import", dir.toString());
        assertThat(again.code()).as(again.out()).isZero();
        assertThat(again.out()).contains("4 prompt(s): 0 version(s) created, 0 label(s) moved, 4 unchanged, 0 not imported");
        long eventsAfter = target.jdbi().withHandle(h -> h.createQuery("select count(*) from event").mapTo(Long.class).one());
        assertThat(eventsAfter).isEqualTo(events);
        assertThat(registry(target)).isEqualTo(registry(source));
        // An export of the copy gives the same content (authors and times are the importer's).
        Path copy = tmp.resolve("copy");
        assertThat(run(target, "export", copy.toString()).code()).isZero();
        assertThat(contentOf(copy.resolve("breakdown/shots@2.yaml"))).isEqualTo(contentOf(dir.resolve("breakdown/shots@2.yaml")));

        // Work in the folder, as in git: a new version that production moves to, and the archived prompt restored.
        Files.writeString(dir.resolve("breakdown/shots@3.yaml"), """
                name: breakdown/shots
                version: 3
                message: Shorter
                labels: [production]
                variables: [scene]
                template: |
                  Shots for: {{scene}}
                """);
        Files.writeString(dir.resolve("breakdown/shots@1.yaml"), shots.replace("- production\n", "").replace("labels:\n", "labels: []\n"));
        Files.writeString(dir.resolve("old/idea@2.yaml"), Files.readString(dir.resolve("old/idea@2.yaml")).replace("archived: true\n", ""));
        Run dry = run(target, "import", "--dry-run", dir.toString());
        assertThat(dry.out()).contains("breakdown/shots: would create version 3, would move production 1 -> 3", "old/idea: would unarchive");
        assertThat(target.call(ADMIN, "GET", "/api/v1/prompts/breakdown/shots?version=3", null).status()).isEqualTo(404);
        Run push = run(target, "import", dir.toString());
        assertThat(push.code()).as(push.out()).isZero();
        assertThat(push.out()).contains("1 version(s) created, 1 label(s) moved, 2 unchanged");
        JsonNode production = target.call(ADMIN, "GET", "/api/v1/prompts/breakdown/shots", null).json();
        assertThat(production.get("version").asInt()).isEqualTo(3);
        assertThat(production.get("template").asText()).isEqualTo("Shots for: {{scene}}\n");
        assertThat(production.get("message").asText()).isEqualTo("Shorter");
        assertThat(target.call(ADMIN, "GET", "/api/v1/prompts/old/idea", null).json().get("archived_at").isNull()).isTrue();

        // Changing a version that exists is a conflict: that prompt is left alone, the others still go.
        Files.writeString(dir.resolve("repair@1.yaml"), Files.readString(dir.resolve("repair@1.yaml"))
                .replace("Fix this JSON", "Repair this JSON"));
        Files.writeString(dir.resolve("gap@2.yaml"), "template: a gap\n");
        Files.writeString(dir.resolve("fresh@1.yaml"), "template: brand new\n");
        Files.writeString(dir.resolve("labelled@1.yaml"), "labels: [Production]\ntemplate: x\n");
        Run conflict = run(target, "import", dir.toString());
        assertThat(conflict.code()).isEqualTo(1);
        assertThat(conflict.out()).contains("repair: NOT IMPORTED: version 1 on the server differs",
                "gap: NOT IMPORTED: its files must hold versions 1 to 1 without gaps", "fresh: create version 1",
                "labelled: NOT IMPORTED: version 1 has label 'Production'");
        assertThat(target.call(ADMIN, "GET", "/api/v1/prompts/labelled", null).status()).isEqualTo(404);
        assertThat(target.call(ADMIN, "GET", "/api/v1/prompts/repair?version=1", null).json().get("template").asText())
                .isEqualTo("Fix this JSON: {{json}}");

        // A file that says another name than its path is refused before anything is sent.
        Files.writeString(dir.resolve("fresh@2.yaml"), "name: elsewhere\ntemplate: x\n");
        Run refused = run(target, "import", dir.toString());
        assertThat(refused.code()).isNotZero();
        assertThat(target.call(ADMIN, "GET", "/api/v1/prompts/fresh?version=2", null).status()).isEqualTo(404);
    }

    /** Every prompt (archived too): each version's content, the labels and the archive state. */
    private static Map<String, Object> registry(TestServer server) {
        Map<String, Object> out = new java.util.TreeMap<>();
        JsonNode list = server.call(ADMIN, "GET", "/api/v1/prompts?archived=any", null).json();
        for (JsonNode item : list.get("items")) {
            String name = item.get("name").asText();
            JsonNode history = server.call(ADMIN, "GET", "/api/v1/prompts/" + name + "/versions", null).json();
            List<Object> versions = new ArrayList<>();
            for (int n = 1; n <= item.get("latest_version").asInt(); n++) {
                JsonNode v = server.call(ADMIN, "GET", "/api/v1/prompts/" + name + "?version=" + n, null).json();
                versions.add(Json.MAPPER.convertValue(Map.of("kind", v.get("kind"), "template", v.get("template"),
                        "variables", v.get("variables"), "config", v.get("config"),
                        "reference_assets", v.get("reference_assets"), "message", v.get("message").asText("")), Map.class));
            }
            out.put(name, Map.of("labels", history.get("labels").toString(), "archived", !history.get("archived_at").isNull(),
                    "versions", versions));
        }
        return out;
    }

    private static String contentOf(Path file) throws Exception {
        return Files.readAllLines(file).stream()
                .filter(l -> !l.startsWith("author:") && !l.startsWith("created_at:")).reduce("", (a, b) -> a + b + "\n");
    }

    private record CliRun(int code, String out, String err) {}

    private static CliRun cli(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        java.io.StringWriter err = new java.io.StringWriter();
        PrintStream previous = System.out;
        int code;
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            CommandLine cl = Main.commandLine();
            cl.setErr(new java.io.PrintWriter(err, true));
            code = cl.execute(args);
        } finally {
            System.setOut(previous);
        }
        return new CliRun(code, out.toString(StandardCharsets.UTF_8), err.toString());
    }

    @Test
    void exportAndImportCheckTheirTokensScopesBeforeSendingAnything() throws Exception {
        assertThat(CredentialCheck.names(CredentialCheck.scopesFor(PromptSync.EXPORT_ROUTES)))
                .isEqualTo(PromptsCommand.Export.SCOPES);
        assertThat(CredentialCheck.names(CredentialCheck.scopesFor(PromptSync.IMPORT_ROUTES)))
                .isEqualTo(PromptsCommand.Import.SCOPES);
        assertThat(CredentialCheck.names(CredentialCheck.scopesFor(PromptSync.DRY_RUN_ROUTES)))
                .isEqualTo(PromptsCommand.Import.DRY_RUN_SCOPES);
        assertThat(cli("prompts", "export", "--help").out().replaceAll("\\s+", " "))
                .contains("Needs a token with the scope read (or admin)");
        assertThat(cli("prompts", "import", "--help").out().replaceAll("\\s+", " "))
                .contains("Needs a token with the scopes read and write (or admin); with --dry-run, read only.");

        // A server of its own: the other test compares the two servers' whole registries.
        TestServer target = TestServer.start(TestDatabase.get().newDatabase(), Map.of());
        try {
            String name = "preflight/p" + System.nanoTime();
            Path dir = tmp.resolve("preflight");
            Files.createDirectories(dir.resolve("preflight"));
            Files.writeString(dir.resolve(name + "@1.yaml"), "template: Hello {{who}}\nvariables: [who]\n");

            String ingestOnly = target.createToken("{\"name\":\"ingest-only\",\"scopes\":[\"ingest\"]}");
            Path out = tmp.resolve("not-written");
            CliRun export = cli("prompts", "export", out.toString(), "--server", target.baseUrl(), "--token", ingestOnly);
            assertThat(export.code()).isNotZero();
            assertThat(export.err().strip()).doesNotContain("\n").startsWith("error: prompts export needs a token with the "
                    + "scope read; the token 'ingest-only' has the scope ingest, so it lacks read (");
            assertThat(out).doesNotExist();

            String readOnly = target.createToken("{\"name\":\"read-only\",\"scopes\":[\"read\"]}");
            CliRun refused = cli("prompts", "import", dir.toString(), "--server", target.baseUrl(), "--token", readOnly);
            assertThat(refused.code()).isNotZero();
            assertThat(refused.err().strip()).doesNotContain("\n").startsWith("error: prompts import needs a token with the "
                    + "scopes read and write; the token 'read-only' has the scope read, so it lacks write (");
            assertThat(target.call(ADMIN, "GET", "/api/v1/prompts/" + name, null).status()).isEqualTo(404);

            CliRun dry = cli("prompts", "import", "--dry-run", dir.toString(), "--server", target.baseUrl(), "--token", readOnly);
            assertThat(dry.code()).as(dry.err()).isZero();
            assertThat(dry.out()).contains("Dry run: 1 prompt(s): 1 version(s) to create");

            String readWrite = target.createToken("{\"name\":\"read-write\",\"scopes\":[\"read\",\"write\"]}");
            CliRun imported = cli("prompts", "import", dir.toString(), "--server", target.baseUrl(), "--token", readWrite);
            assertThat(imported.code()).as(imported.err()).isZero();
            assertThat(imported.out()).contains("1 prompt(s): 1 version(s) created");
            assertThat(target.call(ADMIN, "GET", "/api/v1/prompts/" + name, null).json().get("template").asText())
                    .isEqualTo("Hello {{who}}");
            CliRun exported = cli("prompts", "export", out.toString(), "--server", target.baseUrl(), "--token", readOnly);
            assertThat(exported.code()).as(exported.err()).isZero();
            assertThat(out.resolve(name + "@1.yaml")).exists();
        } finally {
            target.close();
        }
    }
}
