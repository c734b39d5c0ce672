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
import storyboard.kernel.Cursor;
import storyboard.cli.AssetScanner;
import storyboard.cli.AssetsCommand;
import storyboard.cli.CredentialCheck;
import storyboard.cli.Main;
import storyboard.cli.ServerClient;
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
        AssetScanner scanner = new AssetScanner(new ServerClient(server.baseUrl(), T));
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
        AssetScanner scanner = new AssetScanner(new ServerClient(server.baseUrl(), T));
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

    private static List<String> search(String project, String q) {
        String path = "/api/v1/assets?limit=500&project=" + project + "&q="
                + java.net.URLEncoder.encode(q, java.nio.charset.StandardCharsets.UTF_8);
        TestServer.Response r = server.call(T, "GET", path, null);
        assertThat(r.status()).as(q + ": " + r.body()).isEqualTo(200);
        List<String> out = new java.util.ArrayList<>();
        r.json().get("items").forEach(i -> out.add(i.get("name").asText()));
        return out;
    }

    @Test
    void searchFindsTheSampleProjectsAssetsByWordsPrefixesAndParts() throws Exception {
        String project = "search-" + UUID.randomUUID();
        AssetScanner.Report report = new AssetScanner(new ServerClient(server.baseUrl(), T)).run(sample(), project, n -> { });
        assertThat(report.failed()).isEmpty();
        List<String> thumbnails;
        try (Stream<Path> s = Files.list(sample().resolve("thumbnails"))) {
            thumbnails = s.map(p -> "thumbnails/" + p.getFileName()).toList();
        }
        assertThat(thumbnails).hasSize(12);

        // words of the path, split at / _ . - , in any case
        assertThat(search(project, "panel")).containsExactlyInAnyOrderElementsOf(thumbnails);
        assertThat(search(project, "PANEL")).containsExactlyInAnyOrderElementsOf(thumbnails);
        assertThat(search(project, "thumbnails")).containsExactlyInAnyOrderElementsOf(thumbnails);
        assertThat(search(project, "track")).containsExactly("audio/tracks/track_01_dialogue.json");
        assertThat(search(project, "dialogue")).containsExactly("audio/tracks/track_01_dialogue.json");
        assertThat(search(project, "cfa6cf3e")).containsExactly("thumbnails/panel_cfa6cf3e-53e6-4093-9b87-872d336b1a45.png");
        // prefixes of words, even of one or two letters
        assertThat(search(project, "dia")).containsExactly("audio/tracks/track_01_dialogue.json");
        assertThat(search(project, "js")).containsExactlyInAnyOrder("project.json", "audio/tracks/track_01_dialogue.json",
                "scenes/0001_SCENE_001.json", "scenes/0002_SCENE_002.json",
                "logs/shots_2025-09-21_20-12-00_default_user_v1_remote.json",
                "logs/shots_2025-09-21_20-13-01_default_user_v1_remote.json");
        // any part of the name as typed
        assertThat(search(project, "0002_SCENE_002")).containsExactly("scenes/0002_SCENE_002.json");
        assertThat(search(project, "scene_002")).containsExactly("scenes/0002_SCENE_002.json");
        assertThat(search(project, "SCENE_002")).containsExactly("scenes/0002_SCENE_002.json");
        assertThat(search(project, "panel_cfa6")).containsExactly("thumbnails/panel_cfa6cf3e-53e6-4093-9b87-872d336b1a45.png");
        assertThat(search(project, "line_001.wav")).containsExactly("assets/audio/line_001.wav");
        assertThat(search(project, "ogue.js")).containsExactly("audio/tracks/track_01_dialogue.json");
        assertThat(search(project, "05b6e6e3-07d4")).containsExactly("thumbnails/panel_05b6e6e3-07d4-4edc-9143-1193e6c3f339.png");
        // every term is required
        assertThat(search(project, "scene 002")).containsExactly("scenes/0002_SCENE_002.json");
        assertThat(search(project, "panel cfa6")).containsExactly("thumbnails/panel_cfa6cf3e-53e6-4093-9b87-872d336b1a45.png");
        assertThat(search(project, "track panel")).isEmpty();
        // % _ and \ are themselves, not patterns
        assertThat(search(project, "e3_07d4")).isEmpty(); // the name has e3-07d4
        assertThat(search(project, "l%0")).isEmpty();
        assertThat(search(project, "%")).isEmpty();
        assertThat(search(project, "_")).isEmpty();
        assertThat(search(project, "%%%")).isEmpty();
        assertThat(search(project, "\\\\")).isEmpty();
        assertThat(search(project, "nothing-like-this")).isEmpty();
    }

    @Test
    void searchTakesPercentUnderscoreAndBackslashLiterallyAndRanksExactNamesFirst() throws Exception {
        String project = "literal-" + UUID.randomUUID();
        Path dir = Files.createDirectories(tmp.resolve("literal"));
        for (String name : List.of("100%_done.txt", "100x_done.txt", "1000_done.txt", "back\\slash.txt", "backslash.txt",
                "scene.txt", "scenes/old_scene_notes.txt", "obscene.txt", "SceneList.txt")) {
            Path f = dir.resolve(name);
            Files.createDirectories(f.getParent());
            Files.writeString(f, UUID.randomUUID().toString());
        }
        assertThat(new AssetScanner(new ServerClient(server.baseUrl(), T)).run(dir, project, n -> { }).failed()).isEmpty();
        assertThat(search(project, "100%")).containsExactly("100%_done.txt");
        assertThat(search(project, "0%_d")).containsExactly("100%_done.txt");
        assertThat(search(project, "100_")).isEmpty();
        assertThat(search(project, "0_do")).containsExactly("1000_done.txt");
        assertThat(search(project, "k\\s")).containsExactly("back\\slash.txt");
        assertThat(search(project, "done")).containsExactlyInAnyOrder("100%_done.txt", "100x_done.txt", "1000_done.txt");

        // 'scene': the file named so first, then names where a word starts with it, then names that only contain it
        List<String> ranked = search(project, "scene");
        assertThat(ranked).hasSize(4);
        assertThat(ranked.get(0)).isEqualTo("scene.txt");
        assertThat(ranked.subList(1, 3)).containsExactlyInAnyOrder("scenes/old_scene_notes.txt", "SceneList.txt");
        assertThat(ranked.get(3)).isEqualTo("obscene.txt");
        // a word at a case change: 'List' in SceneList
        assertThat(search(project, "li")).containsExactly("SceneList.txt");

        // pages keep the ranking: one at a time, the same order, no repeats
        List<String> paged = new java.util.ArrayList<>();
        String cursor = null;
        do {
            TestServer.Response r = server.call(T, "GET", "/api/v1/assets?limit=1&project=" + project + "&q=scene"
                    + (cursor == null ? "" : "&cursor=" + cursor), null);
            assertThat(r.status()).as(r.body()).isEqualTo(200);
            r.json().get("items").forEach(i -> paged.add(i.get("name").asText()));
            cursor = r.json().get("next_cursor").isNull() ? null : r.json().get("next_cursor").asText();
        } while (cursor != null && paged.size() < 10);
        assertThat(paged).containsExactlyElementsOf(ranked);
    }

    @Test
    void searchesCanUseTheWordAndTrigramIndexes() {
        // With few rows the planner rightly scans the table; without that choice, each condition must find its index
        // (an expression that no longer matches an index's would make every search a full scan at scale).
        assertThat(plan("panel")).contains("asset_name_trgm", "asset_words").doesNotContain("Seq Scan");
        assertThat(plan("SCENE_002")).contains("asset_name_trgm").doesNotContain("asset_words", "Seq Scan");
        assertThat(plan("js")).contains("asset_words").doesNotContain("asset_name_trgm", "Seq Scan");
    }

    private static String plan(String q) {
        Map<String, Object> b = new java.util.LinkedHashMap<>();
        String where = AssetSearch.of(q).condition("a", b);
        return server.jdbi().withHandle(h -> {
            h.execute("set enable_seqscan = off");
            try {
                return String.join("\n", h.createQuery("explain select a.id from asset a where " + where).bindMap(b)
                        .mapTo(String.class).list());
            } finally {
                h.execute("reset enable_seqscan");
            }
        });
    }

    @Test
    void badSearchInputIsAClearJson400() {
        for (String q : List.of("%00", "a%00b", "panel%00")) {
            TestServer.Response r = server.call(T, "GET", "/api/v1/assets?q=" + q, null);
            assertThat(r.status()).as(q + ": " + r.body()).isEqualTo(400);
            assertThat(r.json().get("error").asText()).isEqualTo("invalid_parameter");
            assertThat(r.json().get("field").asText()).isEqualTo("q");
            assertThat(r.json().get("message").asText()).contains("NUL");
        }
        TestServer.Response nul = server.call(T, "GET", "/api/v1/assets?name=a%00", null);
        assertThat(nul.status()).isEqualTo(400);
        assertThat(nul.json().get("field").asText()).isEqualTo("name");
        TestServer.Response many = server.call(T, "GET", "/api/v1/assets?q=" + String.join("+",
                java.util.stream.IntStream.range(0, 17).mapToObj(i -> "w" + i).toList()), null);
        assertThat(many.status()).isEqualTo(400);
        assertThat(many.json().get("message").asText()).contains("more than 16 terms");
        TestServer.Response longQ = server.call(T, "GET", "/api/v1/assets?q=" + "a".repeat(501), null);
        assertThat(longQ.status()).isEqualTo(400);
        // a page of a listing without q cannot continue one with q, and the other way round
        String withQ = Cursor.of(AssetStore.SEARCH_LISTING, 1, java.time.Instant.now(), UUID.randomUUID()).encode();
        TestServer.Response mixed = server.call(T, "GET", "/api/v1/assets?cursor=" + withQ, null);
        assertThat(mixed.status()).isEqualTo(400);
        assertThat(mixed.json().get("field").asText()).isEqualTo("cursor");
        String withoutQ = Cursor.of(AssetStore.LISTING, java.time.Instant.now(), UUID.randomUUID()).encode();
        assertThat(server.call(T, "GET", "/api/v1/assets?q=x&cursor=" + withoutQ, null).status()).isEqualTo(400);
        for (long micros : new long[] {Long.MIN_VALUE, Long.MAX_VALUE}) {
            String far = Cursor.of(AssetStore.LISTING, micros, UUID.randomUUID()).encode(); // a time in microseconds
            TestServer.Response r = server.call(T, "GET", "/api/v1/assets?cursor=" + far, null);
            assertThat(r.status()).as(r.body()).isEqualTo(400);
            assertThat(r.json().get("field").asText()).isEqualTo("cursor");
        }
        // what an HTTP client library would not send: broken percent-encoding, bytes that are not UTF-8
        for (String bad : List.of("%ZZ", "%FF", "%E0%A4", "%")) {
            String answer = raw("GET /api/v1/assets?q=" + bad + " HTTP/1.1");
            assertThat(answer).as(bad).startsWith("HTTP/1.1 400 ");
            assertThat(answer.toLowerCase(java.util.Locale.ROOT)).as(bad).contains("content-type: application/json");
            assertThat(answer.substring(answer.indexOf("\r\n\r\n") + 4)).as(bad)
                    .contains("\"error\":\"invalid_parameter\"", "\"field\":\"q\"");
        }
    }

    /** A request written as given on a plain socket; the whole answer as text. */
    private static String raw(String requestLine) {
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", server.app().port())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write((requestLine + "\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + T
                    + "\r\nConnection: close\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
            return new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
