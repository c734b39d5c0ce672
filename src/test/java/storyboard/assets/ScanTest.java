package storyboard.assets;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;
import storyboard.server.CredentialCheck;
import storyboard.server.Main;
import storyboard.support.Contract;
import storyboard.support.TestDatabase;
import storyboard.support.TestServer;

/** assets scan registers the B-Line sample project as it is; a second scan uploads and registers nothing. */
class ScanTest {
    private static TestServer server;
    private static final String T = TestServer.TOKEN;

    @TempDir
    Path tmp;

    @BeforeAll
    static void start() {
        server = TestServer.start(TestDatabase.get().newDatabase(), Map.of());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static Path sample() {
        return Contract.root().resolve("b-line/project-sample");
    }

    private static Map<String, JsonNode> assets(String project) {
        Map<String, JsonNode> out = new HashMap<>();
        server.call(T, "GET", "/api/v1/assets?limit=500&project=" + project, null).json().get("items")
                .forEach(i -> out.put(i.get("name").asText(), i));
        return out;
    }

    private static long blobs() {
        return server.jdbi().withHandle(h -> h.createQuery("select count(*) from blob").mapTo(Long.class).one());
    }

    @Test
    void theSampleProjectIsRegisteredOnceAndRescansUploadNothing() throws Exception {
        String project = "KitchenArgument-" + UUID.randomUUID();
        int files;
        try (Stream<Path> s = Files.walk(sample())) {
            files = (int) s.filter(Files::isRegularFile).count();
        }
        // other tests of this class may have uploaded the sample's files already
        java.util.Set<String> hashes = new java.util.HashSet<>();
        try (Stream<Path> s = Files.walk(sample())) {
            for (Path p : s.filter(Files::isRegularFile).toList()) hashes.add(AssetFixtures.sha256(Files.readAllBytes(p)));
        }
        assertThat(hashes).hasSize(files); // every file of the sample differs
        long known = server.jdbi().withHandle(h -> h.createQuery("select count(*) from blob where sha256 = any(:s)")
                .bindArray("s", String.class, hashes.toArray(String[]::new)).mapTo(Long.class).one());
        long blobsAtStart = blobs();
        AssetScanner scanner = new AssetScanner(server.baseUrl(), T);
        AssetScanner.Report first = scanner.run(sample(), project, n -> { });
        assertThat(first.failed()).isEmpty();
        assertThat(first.found()).isEqualTo(files);
        assertThat(first.registered()).isEqualTo(files);
        assertThat(first.uploaded()).isEqualTo(files - known);
        assertThat(blobs()).isEqualTo(blobsAtStart + files - known);

        Map<String, JsonNode> a = assets(project);
        assertThat(a).hasSize(files);
        JsonNode thumb = a.get("thumbnails/panel_cd613e30-d8f1-4adf-91b7-584a2265b1f5.png");
        assertThat(thumb.get("kind").asText()).isEqualTo("thumbnail");
        assertThat(thumb.get("panel").asText()).isEqualTo("cd613e30-d8f1-4adf-91b7-584a2265b1f5");
        assertThat(thumb.get("scene").asText()).isEqualTo("SCENE_001");
        assertThat(thumb.get("shot").asText()).isEqualTo("SHOT_0010");
        assertThat(thumb.get("latest").get("media_type").asText()).isEqualTo("image/png");
        assertThat(thumb.get("latest").get("width").asInt()).isEqualTo(16);
        assertThat(thumb.get("latest").get("height").asInt()).isEqualTo(9);
        JsonNode wav = a.get("assets/audio/line_001.wav");
        assertThat(wav.get("kind").asText()).isEqualTo("audio");
        assertThat(wav.get("latest").get("declared_media_type").asText()).isEqualTo("audio/wav");
        assertThat(wav.get("latest").get("duration_ms").isNull()).isTrue(); // its header is not a real WAV header
        JsonNode scene = a.get("scenes/0002_SCENE_002.json");
        assertThat(scene.get("kind").asText()).isEqualTo("document");
        assertThat(scene.get("scene").asText()).isEqualTo("SCENE_002");
        assertThat(scene.get("latest").get("media_type").asText()).isEqualTo("application/json");
        assertThat(a.get("project.json").get("kind").asText()).isEqualTo("document");
        assertThat(a.get("audio/tracks/track_01_dialogue.json").get("kind").asText()).isEqualTo("document");
        // every thumbnail of the sample previews
        TestServer.Response preview = server.call(T, "GET", "/api/v1/assets/" + thumb.get("id").asText() + "/thumbnail", null);
        assertThat(preview.status()).isEqualTo(200);

        long blobsBefore = blobs();
        AssetScanner.Report second = scanner.run(sample(), project, n -> { });
        assertThat(second.uploaded()).isZero();
        assertThat(second.uploadedBytes()).isZero();
        assertThat(second.registered()).isZero();
        assertThat(second.newVersions()).isZero();
        assertThat(second.unchanged()).isEqualTo(files);
        assertThat(blobs()).isEqualTo(blobsBefore);
        assertThat(assets(project)).hasSize(files);

        // the same files as another project: registered again, nothing uploaded
        AssetScanner.Report other = scanner.run(sample(), project + "-copy", n -> { });
        assertThat(other.registered()).isEqualTo(files);
        assertThat(other.uploaded()).isZero();
    }

    @Test
    void changedFilesBecomeNewVersionsAndNewFilesAreAdded() throws Exception {
        String project = "copy-" + UUID.randomUUID();
        Path dir = tmp.resolve("project");
        try (Stream<Path> s = Files.walk(sample())) {
            for (Path p : s.toList()) {
                Path target = dir.resolve(sample().relativize(p).toString());
                if (Files.isDirectory(p)) Files.createDirectories(target);
                else Files.copy(p, target);
            }
        }
        Files.writeString(dir.resolve(".DS_Store"), "hidden");
        AssetScanner scanner = new AssetScanner(server.baseUrl(), T);
        AssetScanner.Report first = scanner.run(dir, project, n -> { });
        int files = first.found();
        assertThat(first.registered()).isEqualTo(files);

        Path projectJson = dir.resolve("project.json");
        Files.writeString(projectJson, Files.readString(projectJson).replace("\"notes\": \"\"", "\"notes\": \"" + UUID.randomUUID() + "\""));
        Files.createDirectories(dir.resolve("assets/loras"));
        Files.write(dir.resolve("assets/loras/hero.safetensors"), ("\u0010\0\0\0\0\0\0\0{\"a\":" + UUID.randomUUID().hashCode() + "}").getBytes());
        AssetScanner.Report second = scanner.run(dir, project, n -> { });
        assertThat(second.failed()).isEmpty();
        assertThat(second.newVersions()).isEqualTo(1);
        assertThat(second.registered()).isEqualTo(1);
        assertThat(second.uploaded()).isEqualTo(2);
        assertThat(second.unchanged()).isEqualTo(files - 1);
        Map<String, JsonNode> a = assets(project);
        assertThat(a.get("project.json").get("latest_version").asInt()).isEqualTo(2);
        assertThat(a.get("assets/loras/hero.safetensors").get("kind").asText()).isEqualTo("lora");
        assertThat(a).doesNotContainKey(".DS_Store");
    }

    @Test
    void theCommandPrintsASummary() throws Exception {
        String project = "cmd-" + UUID.randomUUID();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream previous = System.out;
        int code;
        try {
            System.setOut(new PrintStream(out, true, "UTF-8"));
            code = new CommandLine(new AssetsCommand()).execute("scan", sample().toString(), "--project", project,
                    "--server", server.baseUrl(), "--token", T);
        } finally {
            System.setOut(previous);
        }
        assertThat(code).isZero();
        assertThat(out.toString("UTF-8")).containsPattern("Scanned \\d+ file\\(s\\): \\d+ registered, 0 new version\\(s\\), "
                + "0 unchanged, 0 failed; uploaded \\d+ blob\\(s\\), \\d+ bytes\\.");
        assertThat(new CommandLine(new AssetsCommand()).execute("scan", sample().toString())).isNotZero(); // --project is required
    }

    private record Run(int code, String out, String err) {}

    /** The jar's command line, as a person runs it: what it prints, and its one-line errors. */
    private static Run cli(String... args) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        java.io.StringWriter err = new java.io.StringWriter();
        PrintStream previous = System.out;
        int code;
        try {
            System.setOut(new PrintStream(out, true, "UTF-8"));
            CommandLine cl = Main.commandLine();
            cl.setErr(new java.io.PrintWriter(err, true));
            code = cl.execute(args);
        } finally {
            System.setOut(previous);
        }
        return new Run(code, out.toString("UTF-8"), err.toString());
    }

    /** A folder of files no other test has: their blobs are on the server only if this test sent them. */
    private Path uniqueFiles() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("unique-" + UUID.randomUUID()));
        Files.createDirectories(dir.resolve("thumbnails"));
        Files.writeString(dir.resolve("project.json"), "{\"notes\": \"" + UUID.randomUUID() + "\"}");
        Files.writeString(dir.resolve("thumbnails/panel_" + UUID.randomUUID() + ".txt"), UUID.randomUUID().toString());
        Files.writeString(dir.resolve("notes.md"), "# " + UUID.randomUUID());
        return dir;
    }

    private static List<String> hashes(Path dir) throws Exception {
        try (Stream<Path> s = Files.walk(dir)) {
            List<String> out = new java.util.ArrayList<>();
            for (Path p : s.filter(Files::isRegularFile).toList()) out.add(AssetFixtures.sha256(Files.readAllBytes(p)));
            return out;
        }
    }

    private static long storedBlobs(List<String> hashes) {
        return server.jdbi().withHandle(h -> h.createQuery("select count(*) from blob where sha256 = any(:s)")
                .bindArray("s", String.class, hashes.toArray(String[]::new)).mapTo(Long.class).one());
    }

    @ParameterizedTest(name = "scopes {0}: lacks {1}")
    @CsvSource({"'ingest,write', read", "'read,write', ingest", "'ingest,read', write", "'read', ingest and write",
            "'worker', 'ingest, read and write'"})
    void aTokenWithoutEveryScopeTheScanNeedsStopsItBeforeAnythingIsSent(String scopes, String lacking) throws Exception {
        String token = server.createToken("{\"name\":\"scan-" + scopes.replace(',', '-') + "\",\"scopes\":[\""
                + scopes.replace(",", "\",\"") + "\"]}");
        Path dir = uniqueFiles();
        String project = "preflight-" + UUID.randomUUID();
        Run r = cli("assets", "scan", dir.toString(), "--project", project, "--server", server.baseUrl(), "--token", token);
        assertThat(r.code()).isNotZero();
        assertThat(r.out()).doesNotContain("Scanned"); // the in-process test server logs to System.out too
        assertThat(r.err().strip()).doesNotContain("\n")
                .startsWith("error: assets scan needs a token with the scopes ingest, read and write;")
                .contains("so it lacks " + lacking + " (");
        assertThat(storedBlobs(hashes(dir))).isZero();
        assertThat(assets(project)).isEmpty();
    }

    @Test
    void theScanWorksWithExactlyTheScopesItsHelpNames() throws Exception {
        assertThat(CredentialCheck.names(CredentialCheck.scopesFor(AssetScanner.ROUTES))).isEqualTo(AssetsCommand.Scan.SCOPES);
        Run help = cli("assets", "scan", "--help");
        assertThat(help.out().replaceAll("\\s+", " ")).contains("Needs a token with the scopes ingest, read and write (or admin)");

        String token = server.createToken("{\"name\":\"scanner\",\"scopes\":[\"ingest\",\"read\",\"write\"]}");
        Path dir = uniqueFiles();
        String project = "enough-" + UUID.randomUUID();
        Run r = cli("assets", "scan", dir.toString(), "--project", project, "--server", server.baseUrl(), "--token", token);
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("Scanned 3 file(s): 3 registered, 0 new version(s), 0 unchanged, 0 failed; uploaded 3 blob(s)");
        assertThat(storedBlobs(hashes(dir))).isEqualTo(3);
        assertThat(assets(project)).hasSize(3);
        // and a second time, where everything is unchanged, too
        Run again = cli("assets", "scan", dir.toString(), "--project", project, "--server", server.baseUrl(), "--token", token);
        assertThat(again.code()).as(again.err()).isZero();
        assertThat(again.out()).contains("0 registered, 0 new version(s), 3 unchanged");
    }

    @Test
    void aTokenOfOtherProjectsOrABadTokenOrNoServerStopsTheScanWithOneLine() throws Exception {
        String token = server.createToken("{\"name\":\"other-project\",\"scopes\":[\"ingest\",\"read\",\"write\"],"
                + "\"projects\":[\"p-mine\"]}");
        Path dir = uniqueFiles();
        String project = "not-mine-" + UUID.randomUUID();
        Run r = cli("assets", "scan", dir.toString(), "--project", project, "--server", server.baseUrl(), "--token", token);
        assertThat(r.code()).isNotZero();
        assertThat(r.err().strip()).isEqualTo("error: assets scan: the token 'other-project' is restricted to the project(s) "
                + "p-mine, not '" + project + "' (nothing was sent)");
        assertThat(storedBlobs(hashes(dir))).isZero();

        Run bad = cli("assets", "scan", dir.toString(), "--project", project, "--server", server.baseUrl(), "--token", "nonsense");
        assertThat(bad.code()).isNotZero();
        assertThat(bad.err().strip()).startsWith("error: " + server.baseUrl() + " refused the token (401").doesNotContain("\n");

        Run none = cli("assets", "scan", dir.toString(), "--project", project, "--server", "http://127.0.0.1:1", "--token", token);
        assertThat(none.code()).isNotZero();
        assertThat(none.err().strip()).isEqualTo("error: cannot connect to http://127.0.0.1:1: is the server running? "
                + "(--server sets its URL)");
        assertThat(storedBlobs(hashes(dir))).isZero();
    }
}
