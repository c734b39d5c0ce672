package storyboard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.HashMap;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import storyboard.assets.AssetFixtures;
import storyboard.support.Contract;
import storyboard.support.TestServer;

/** import-logs back-fills what the app left on disk, once, and recognises what the server already has. */
class ImportLogsTest {
    private final TestServer server = TestServer.shared();

    @TempDir
    Path dir;

    @Test
    void theAppsLogFolderIsImportedOnceAndLiveLogsAreRecognised() throws Exception {
        // A project's logs/ folder as the app leaves it: the contract's files, plus logs unique to this run.
        Path logs = Files.createDirectories(dir.resolve("project/logs"));
        List<Path> contractFiles = new ArrayList<>();
        try (var s = Files.list(Contract.projectLogs())) {
            for (Path f : s.toList()) contractFiles.add(Files.copy(f, logs.resolve(f.getFileName())));
        }
        String marker = "import-" + UUID.randomUUID();
        for (int i = 0; i < 5; i++) {
            Files.writeString(logs.resolve("shots_2025-09-22_10-00-0" + i + "_default_user_v1_remote.json"),
                    "{\n    \"prompt\": \"" + marker + " " + i + "\",\n    \"tokens\": " + i + ",\n    \"type\": \"shots\"\n}\n");
        }
        Path live = logs.resolve("acts_2025-09-22_11-00-00_default_user_v1_local.json");
        Files.writeString(live, "{\n    \"prompt\": \"" + marker + " live\",\n    \"type\": \"acts\"\n}\n");
        Files.writeString(logs.resolve("shots_2025-09-22_12-00-00_default_user_v1_remote.json"), "{\"prompt\": \"no type\"}\n");
        Files.writeString(logs.resolve("notes.txt"), "not a log");
        Files.writeString(logs.resolve("settings.json"), "{}");

        // the app already delivered one of them live
        assertThat(server.postJson("/api/v1/prompt-history", Files.readAllBytes(live)).status()).isEqualTo(201);

        List<Path> found = LogImporter.findLogFiles(List.of(dir));
        assertThat(found).hasSize(contractFiles.size() + 7);
        LogImporter importer = new LogImporter(new ServerClient(server.baseUrl(), TestServer.TOKEN), 3);
        LogImporter.Report first = importer.run(found, n -> { });
        assertThat(first.found()).isEqualTo(contractFiles.size() + 7);
        assertThat(first.rejected()).hasSize(1);
        assertThat(first.rejected().get(0).file().getFileName().toString()).startsWith("shots_2025-09-22_12");
        assertThat(first.rejected().get(0).reason()).contains("type");
        assertThat(first.imported() + first.alreadyPresent()).isEqualTo(contractFiles.size() + 6);
        assertThat(first.alreadyPresent()).isGreaterThanOrEqualTo(1);
        assertThat(countMarked(marker)).isEqualTo(6);

        LogImporter.Report second = importer.run(found, n -> { });
        assertThat(second.imported()).isZero();
        assertThat(second.alreadyPresent()).isEqualTo(contractFiles.size() + 6);
        assertThat(countMarked(marker)).isEqualTo(6);

        // each imported log is stored with the hash of its file's bytes
        for (Path f : contractFiles) {
            String hash = AssetFixtures.sha256(Files.readAllBytes(f));
            int rows = server.jdbi().withHandle(h -> h.createQuery("select count(*) from prompt_log where body_sha256 = :h")
                    .bind("h", hash).mapTo(Integer.class).one());
            assertThat(rows).as(f.getFileName().toString()).isEqualTo(1);
        }
    }

    @Test
    void theCommandReportsAndExitsNonZeroOnRejections() throws Exception {
        Path logs = Files.createDirectories(dir.resolve("logs"));
        Files.writeString(logs.resolve("console_2025-09-23_09-00-00_default_user_v1_local.json"),
                "{\"type\": \"console\", \"prompt\": \"cmd-" + UUID.randomUUID() + "\"}", StandardCharsets.UTF_8);
        Files.writeString(logs.resolve("console_2025-09-23_09-00-01_default_user_v1_local.json"), "{\"type\": 3}");
        var out = new java.io.ByteArrayOutputStream();
        var previous = System.out;
        int code;
        try {
            System.setOut(new java.io.PrintStream(out, true, StandardCharsets.UTF_8));
            code = new picocli.CommandLine(new ImportLogsCommand()).execute("--server", server.baseUrl(),
                    "--token", TestServer.TOKEN, logs.toString());
        } finally {
            System.setOut(previous);
        }
        String text = out.toString(StandardCharsets.UTF_8);
        assertThat(text).contains("Found 2 log file(s): 1 imported, 0 already present, 1 rejected.");
        assertThat(text).contains("09-00-01").contains("type");
        assertThat(code).isEqualTo(1);
    }

    private record Run(int code, String out, String err) {}

    /** The jar's command line, as a person runs it: what it prints, and its one-line errors. */
    static Run cli(String... args) {
        var out = new java.io.ByteArrayOutputStream();
        var err = new java.io.StringWriter();
        var previous = System.out;
        int code;
        try {
            System.setOut(new java.io.PrintStream(out, true, StandardCharsets.UTF_8));
            picocli.CommandLine cl = Main.commandLine();
            cl.setErr(new java.io.PrintWriter(err, true));
            code = cl.execute(args);
        } finally {
            System.setOut(previous);
        }
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString());
    }

    @Test
    void aTokenWithoutTheIngestScopeStopsTheImportBeforeAnythingIsSentAndOneWithItImports() throws Exception {
        assertThat(CredentialCheck.names(CredentialCheck.scopesFor(LogImporter.ROUTES)))
                .isEqualTo(ImportLogsCommand.SCOPES);
        assertThat(cli("import-logs", "--help").out().replaceAll("\\s+", " "))
                .contains("Needs a token with the scope ingest (or admin)");

        Path logs = Files.createDirectories(dir.resolve("logs"));
        String marker = "preflight-" + UUID.randomUUID();
        for (int i = 0; i < 3; i++) {
            Files.writeString(logs.resolve("shots_2025-09-24_10-00-0" + i + "_default_user_v1_remote.json"),
                    "{\"type\": \"shots\", \"prompt\": \"" + marker + " " + i + "\"}");
        }
        String reader = server.createToken("{\"name\":\"reader\",\"scopes\":[\"read\",\"write\"]}");
        Run refused = cli("import-logs", "--server", server.baseUrl(), "--token", reader, logs.toString());
        assertThat(refused.code()).isNotZero();
        assertThat(refused.out()).doesNotContain("Found ");
        assertThat(refused.err().strip()).doesNotContain("\n").isEqualTo("error: import-logs needs a token with the scope "
                + "ingest; the token 'reader' has the scopes read and write, so it lacks ingest (nothing was sent; an admin "
                + "can make a token with: storyboard-server token create --name NAME --scopes ingest)");
        assertThat(countMarked(marker)).isZero();

        String ingest = server.createToken("{\"name\":\"app\",\"scopes\":[\"ingest\"]}");
        Run done = cli("import-logs", "--server", server.baseUrl(), "--token", ingest, logs.toString());
        assertThat(done.code()).as(done.err()).isZero();
        assertThat(done.out()).contains("Found 3 log file(s): 3 imported, 0 already present, 0 rejected.");
        assertThat(countMarked(marker)).isEqualTo(3);
    }

    private int storedCopies(List<Path> files) {
        List<String> hashes = files.stream().map(f -> AssetFixtures.sha256(Contract.bytes(f))).toList();
        return server.jdbi().withHandle(h -> h.createQuery("select count(*) from prompt_log where body_sha256 = any(:h)")
                .bindArray("h", String.class, hashes.toArray(String[]::new)).mapTo(Integer.class).one());
    }

    @Test
    void aFolderOfPayloadsNotNamedLikeTheAppsLogsSaysWhatItSkippedFailsAndImportsWithAllJson() throws Exception {
        // The app's payloads under names of their own, plus files that are not JSON at all.
        Path payloads = Files.createDirectories(dir.resolve("payloads"));
        List<Path> copies = new ArrayList<>();
        for (Path f : Contract.promptLogs()) copies.add(Files.copy(f, payloads.resolve(f.getFileName())));
        Files.writeString(payloads.resolve("README.txt"), "not a log");
        Files.createDirectories(payloads.resolve(".hidden"));
        Files.writeString(payloads.resolve(".hidden/junk.json"), "{}");
        int before = storedCopies(copies);
        // The server is shared: earlier tests may have stored the same payloads (even twice, without skipping).
        Map<Path, Integer> beforeEach = new HashMap<>();
        for (Path f : copies) beforeEach.put(f, storedCopies(List.of(f)));
        String token = server.createToken("{\"name\":\"importer\",\"scopes\":[\"ingest\"]}");

        Run skipped = cli("import-logs", "--server", server.baseUrl(), "--token", token, payloads.toString());
        assertThat(skipped.code()).isNotZero();
        assertThat(skipped.out()).doesNotContain("Found ");
        assertThat(skipped.err().strip()).isEqualTo("error: nothing imported: skipped 5 .json file(s) not named like the "
                + "app's logs (<type>_<yyyy-MM-dd_HH-mm-ss>_<user>_v<N>_<local|remote>.json): v1_console.json, "
                + "v3_acts.json, v3_console.json, v3_shots.json, v3_shots_repair.json; use --all-json to import them anyway");
        assertThat(storedCopies(copies)).isEqualTo(before);

        Run all = cli("import-logs", "--all-json", "--server", server.baseUrl(), "--token", token, payloads.toString());
        assertThat(all.code()).as(all.out() + all.err()).isZero();
        assertThat(all.out()).containsPattern("Found 5 log file\\(s\\): \\d imported, \\d already present, 0 rejected\\.")
                .doesNotContain("Skipped");
        // Each payload is stored once, or stays as it was when the server already had it: never a second copy.
        for (Path f : copies) {
            assertThat(storedCopies(List.of(f))).as(f.getFileName().toString()).isEqualTo(Math.max(1, beforeEach.get(f)));
        }
        Run again = cli("import-logs", "--all-json", "--server", server.baseUrl(), "--token", token, payloads.toString());
        assertThat(again.out()).contains("Found 5 log file(s): 0 imported, 5 already present, 0 rejected.");
        assertThat(again.code()).isZero();
    }

    @Test
    void aFolderWithLogsAndOtherJsonImportsTheLogsAndNamesWhatItSkipped() throws Exception {
        Path logs = Files.createDirectories(dir.resolve("project/logs"));
        for (Path f : Contract.promptLogs()) Files.copy(f, logs.resolve(f.getFileName()));
        String marker = "mixed-" + UUID.randomUUID();
        for (int i = 0; i < 2; i++) {
            Files.writeString(logs.resolve("acts_2025-09-25_10-00-0" + i + "_default_user_v1_local.json"),
                    "{\"type\": \"acts\", \"prompt\": \"" + marker + " " + i + "\"}");
        }
        for (int i = 0; i < 9; i++) Files.writeString(logs.resolve("extra_" + i + ".json"), "{}");
        Run r = cli("import-logs", "--server", server.baseUrl(), "--token", TestServer.TOKEN, dir.resolve("project").toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("Found 2 log file(s): 2 imported, 0 already present, 0 rejected.");
        assertThat(r.out()).contains("Skipped 14 .json file(s) not named like the app's logs (<type>_<yyyy-MM-dd_HH-mm-ss>_"
                + "<user>_v<N>_<local|remote>.json): logs/extra_0.json, logs/extra_1.json, logs/extra_2.json, "
                + "logs/extra_3.json, logs/extra_4.json, logs/extra_5.json, logs/extra_6.json, logs/extra_7.json, "
                + "logs/extra_8.json, logs/v1_console.json and 4 more; use --all-json to import them anyway.");
        assertThat(countMarked(marker)).isEqualTo(2);
    }

    @Test
    void theAppsOwnLogFolderHasNothingToSkip() throws Exception {
        Run r = cli("import-logs", "--server", server.baseUrl(), "--token", TestServer.TOKEN, Contract.projectLogs().toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).containsPattern("Found 2 log file\\(s\\): \\d imported, \\d already present, 0 rejected\\.")
                .doesNotContain("Skipped");
    }

    private int countMarked(String marker) {
        return server.jdbi().withHandle(h -> h.createQuery("select count(*) from prompt_log where prompt like :m")
                .bind("m", marker + "%").mapTo(Integer.class).one());
    }
}
