package storyboard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import storyboard.kernel.Json;
import storyboard.support.TestServer;

/**
 * {@code project push|pull|status} run in-process against a real server, on copies of the contract's sample project:
 * import, delta pushes that send only what changed, pulls that restore a folder byte for byte, a conflicting push
 * refused with the folder untouched, a pull refused where local changes are in the way.
 */
class ProjectSyncTest {
    private static final TestServer SERVER = TestServer.shared();
    private static final String SCENE = "scenes/0001_SCENE_001.json";
    private static final String SCENE2 = "scenes/0002_SCENE_002.json";
    private static final String THUMB = "thumbnails/panel_05b6e6e3-07d4-4edc-9143-1193e6c3f339.png";

    @TempDir
    Path tmp;

    record Run(int code, String out, String err) {
        @Override
        public String toString() {
            return "exit " + code + "\nout:\n" + out + "err:\n" + err;
        }
    }

    /** Runs {@code storyboard-server project ARGS --server URL --token T} as the launcher would. */
    static Run projectAs(String token, String... args) {
        List<String> all = new ArrayList<>(List.of("project"));
        all.addAll(List.of(args));
        if (!all.contains("--server")) all.addAll(List.of("--server", SERVER.baseUrl()));
        all.addAll(List.of("--token", token));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        StringWriter err = new StringWriter();
        PrintStream previous = System.out;
        int code;
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            CommandLine cl = Main.commandLine();
            cl.setErr(new java.io.PrintWriter(err, true));
            code = cl.execute(all.toArray(String[]::new));
        } finally {
            System.setOut(previous);
        }
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString());
    }

    static Run project(String... args) {
        return projectAs(TestServer.TOKEN, args);
    }

    /** A copy of the sample project under a name of its own (the shared server keeps every test's projects). */
    private Path sample(String folder, String name) throws IOException {
        Path dir = ProjectFolderTest.copyOfSample(tmp.resolve(folder));
        Files.createDirectories(dir.resolve("references"));
        String json = Files.readString(dir.resolve("project.json")).replace("\"KitchenArgument\"", "\"" + name + "\"");
        Files.writeString(dir.resolve("project.json"), json);
        return dir;
    }

    /** Every file of a folder but its sync state: path → bytes. */
    static Map<String, byte[]> files(Path dir) throws IOException {
        Map<String, byte[]> out = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.filter(Files::isRegularFile).toList()) {
                String path = ProjectFolder.name(dir, p);
                if (!path.startsWith(ProjectFolder.STATE_DIR + "/")) out.put(path, Files.readAllBytes(p));
            }
        }
        return out;
    }

    static void assertSameFiles(Path actual, Path expected) throws IOException {
        Map<String, byte[]> a = files(actual);
        Map<String, byte[]> e = files(expected);
        assertThat(a.keySet()).isEqualTo(e.keySet());
        for (String path : e.keySet()) assertThat(a.get(path)).as(path).isEqualTo(e.get(path));
    }

    static JsonNode state(Path dir) throws IOException {
        return Json.MAPPER.readTree(dir.resolve(ProjectFolder.STATE_FILE).toFile());
    }

    /** A scene still valid for the server: one shot's description changed. */
    static void editScene(Path dir, String scene, String description) throws IOException {
        Path file = dir.resolve(scene);
        String json = Files.readString(file);
        String changed = json.replaceFirst("\"description\": \"[^\"]*\"", "\"description\": \"" + description + "\"");
        assertThat(changed).isNotEqualTo(json);
        Files.writeString(file, changed);
    }

    @Test
    void pushImportsThenSendsOnlyWhatChangedAndPullRestoresTheFolderByteForByte() throws Exception {
        String name = "SyncTest" + System.nanoTime();
        Path a = sample("a", name);
        Path original = sample("original", name);

        Run imported = project("push", a.toString(), "-m", "first import");
        assertThat(imported.code()).as(imported.toString()).isZero();
        assertThat(imported.out()).contains("Import report: 2 scene(s)", "Imported '" + name + "' as project",
                "revision 1");
        JsonNode state = state(a);
        String id = state.path("projectId").asText();
        assertThat(state.path("revision").asInt()).isEqualTo(1);
        assertThat(state.path("name").asText()).isEqualTo(name);
        assertThat(state.path("server").asText()).isEqualTo(SERVER.baseUrl());
        assertThat(state.path("files").size()).isEqualTo(files(a).size());
        assertThat(state.path("files").path(SCENE).path("sha256").asText()).hasSize(64);

        Run clean = project("status", a.toString());
        assertThat(clean.code()).as(clean.toString()).isZero();
        assertThat(clean.out()).contains("at revision 1", "No local changes.", "The server has no newer revision.");
        Run nothing = project("push", a.toString());
        assertThat(nothing.out()).contains("Nothing to push");

        // One thumbnail and one scene change: the push uploads those two blobs, nothing else.
        Files.write(a.resolve(THUMB), new byte[] {(byte) 0x89, 'P', 'N', 'G', 1, 2, 3});
        editScene(a, SCENE, "A new description " + name);
        Run status = project("status", a.toString());
        assertThat(status.out()).contains("2 local change(s) not pushed", "  M " + SCENE, "  M " + THUMB);
        Run pushed = project("push", a.toString(), "--message", "new panel art");
        assertThat(pushed.code()).as(pushed.toString()).isZero();
        assertThat(pushed.out()).contains("Pushed revision 2 of '" + name + "' (on 1): 0 added, 2 modified, 0 removed; "
                + "uploaded 2 file(s)", "  M " + SCENE, "  M " + THUMB);
        assertThat(state(a).path("revision").asInt()).isEqualTo(2);
        JsonNode revision2 = SERVER.get("/api/v1/projects/" + id + "/revisions/2").json();
        assertThat(revision2.path("message").asText()).isEqualTo("new panel art");
        Map<String, String> serverFiles = new TreeMap<>();
        revision2.path("files").forEach(f -> serverFiles.put(f.path("path").asText(), f.path("sha256").asText()));
        Map<String, String> localFiles = new TreeMap<>();
        state(a).path("files").fields().forEachRemaining(e -> localFiles.put(e.getKey(), e.getValue().path("sha256").asText()));
        assertThat(serverFiles).isEqualTo(localFiles);

        // A fresh folder, by name: byte-identical; an older revision, by id: the original files.
        Path b = tmp.resolve("b");
        Run pulled = project("pull", b.toString(), "--project", name);
        assertThat(pulled.code()).as(pulled.toString()).isZero();
        assertThat(pulled.out()).contains("Pulled revision 2 of '" + name + "'");
        assertSameFiles(b, a);
        assertThat(state(b).path("files")).isEqualTo(state(a).path("files"));
        Path first = tmp.resolve("first");
        Run old = project("pull", first.toString(), "--project", id, "--revision", "1");
        assertThat(old.code()).as(old.toString()).isZero();
        assertSameFiles(first, original);

        // Pulling again changes nothing, but removes what an interrupted pull left behind.
        Path leftover = b.resolve("scenes/." + "0001_SCENE_001.json.0badf00d" + ProjectFolder.PART_SUFFIX);
        Files.writeString(leftover, "half a download");
        assertThat(project("status", b.toString()).out()).contains("No local changes.");
        Run again = project("pull", b.toString());
        assertThat(leftover).doesNotExist();
        assertThat(again.out()).contains(b + " is as revision 2 of '" + name + "': nothing to write.");

        // A deletion and an addition travel too; the pull removes the file and the folder it leaves empty.
        Files.delete(a.resolve("assets/audio/line_001.wav"));
        Files.createDirectories(a.resolve("references"));
        Files.writeString(a.resolve("references/mood.txt"), "warm kitchen light", StandardCharsets.UTF_8);
        Run moved = project("push", a.toString());
        assertThat(moved.out()).as(moved.toString()).contains("1 added, 0 modified, 1 removed; uploaded 1 file(s)");
        Run follow = project("pull", b.toString());
        assertThat(follow.out()).as(follow.toString()).contains("D assets/audio/line_001.wav", "A references/mood.txt");
        assertThat(b.resolve("assets")).doesNotExist();
        assertSameFiles(b, a);
    }

    @Test
    void aConflictingPushIsRefusedWithWhoPushedAndAPullKeepsLocalChangesUnlessForced() throws Exception {
        String name = "ConflictTest" + System.nanoTime();
        Path a = sample("a", name);
        assertThat(project("push", a.toString()).code()).isZero();
        Path b = tmp.resolve("b");
        assertThat(project("pull", b.toString(), "--project", name).code()).isZero();

        editScene(b, SCENE2, "Changed in b");
        Run fromB = project("push", b.toString(), "-m", "b's timing");
        assertThat(fromB.code()).as(fromB.toString()).isZero();

        // a is still on revision 1: its push is refused, and it is left exactly as it was.
        editScene(a, SCENE, "Changed in a");
        byte[] stateBefore = Files.readAllBytes(a.resolve(ProjectFolder.STATE_FILE));
        Map<String, byte[]> before = files(a);
        Run conflict = project("push", a.toString(), "-m", "a's change");
        assertThat(conflict.code()).as(conflict.toString()).isEqualTo(1);
        assertThat(conflict.err()).contains("push refused", "pushed revision 2 of '" + name + "'", "(\"b's timing\")",
                "based on revision 1", "Pull first");
        assertThat(Files.readAllBytes(a.resolve(ProjectFolder.STATE_FILE))).isEqualTo(stateBefore);
        assertSameFilesAs(a, before);
        assertThat(SERVER.get("/api/v1/projects/" + state(a).path("projectId").asText()).json().toString())
                .doesNotContain("a's change");

        // The pull brings b's scene; a's own change is elsewhere, so it is kept.
        Run status = project("status", a.toString());
        assertThat(status.out()).contains("M " + SCENE, "The server has a newer revision: 2");
        Run pull = project("pull", a.toString());
        assertThat(pull.code()).as(pull.toString()).isZero();
        assertThat(pull.out()).contains("M " + SCENE2, "1 local change(s) kept");
        assertThat(Files.readString(a.resolve(SCENE))).contains("Changed in a");
        assertThat(Files.readString(a.resolve(SCENE2))).contains("Changed in b");
        assertThat(project("push", a.toString()).out()).contains("Pushed revision 3");

        // b edits the scene a changed: its pull is refused, nothing written; --force overwrites.
        editScene(b, SCENE, "Changed in b too");
        Files.writeString(b.resolve("notes.txt"), "b's own notes");
        byte[] bState = Files.readAllBytes(b.resolve(ProjectFolder.STATE_FILE));
        Map<String, byte[]> bBefore = files(b);
        Run refused = project("pull", b.toString());
        assertThat(refused.code()).as(refused.toString()).isEqualTo(1);
        assertThat(refused.err()).contains("pull refused", SCENE + " (changed here, changed on the server)",
                "Nothing was written", "--force");
        assertSameFilesAs(b, bBefore);
        assertThat(Files.readAllBytes(b.resolve(ProjectFolder.STATE_FILE))).isEqualTo(bState);
        Run forced = project("pull", b.toString(), "--force");
        assertThat(forced.code()).as(forced.toString()).isZero();
        assertThat(forced.out()).contains("Overwrote the local changes of 1 file(s)");
        assertThat(Files.readString(b.resolve(SCENE))).contains("Changed in a");
        assertThat(b.resolve("notes.txt")).hasContent("b's own notes");
        assertThat(project("status", b.toString()).out()).contains("A notes.txt", "The server has no newer revision.");
    }

    private static void assertSameFilesAs(Path dir, Map<String, byte[]> before) throws IOException {
        Map<String, byte[]> now = files(dir);
        assertThat(now.keySet()).isEqualTo(before.keySet());
        for (String path : before.keySet()) assertThat(now.get(path)).as(path).isEqualTo(before.get(path));
    }

    @Test
    void aPullOfManyFilesTakesTheRevisionsZipAndAFewComeOneByOne() throws Exception {
        String name = "ManyTest" + System.nanoTime();
        Path a = sample("a", name);
        for (int i = 0; i < ProjectSync.EXPORT_FROM_FILES; i++) {
            Files.writeString(a.resolve("references/note_" + i + ".txt"), "note " + i + "\n".repeat(i));
        }
        Files.write(a.resolve("references/empty.bin"), new byte[0]);
        assertThat(project("push", a.toString()).code()).isZero();

        Path b = tmp.resolve("b");
        Run first = project("pull", b.toString(), "--project", name);
        assertThat(first.code()).as(first.toString()).isZero();
        assertThat(first.out()).contains("file(s) written", "from the revision's zip");
        assertSameFiles(b, a);

        Files.writeString(a.resolve("references/note_3.txt"), "changed");
        assertThat(project("push", a.toString()).code()).isZero();
        Run few = project("pull", b.toString());
        assertThat(few.out()).contains("1 file(s) written (7 B), 0 deleted").doesNotContain("zip");
        assertSameFiles(b, a);
    }

    @Test
    void statusListsLocalChangesEvenWhenTheServerCannotBeAsked() throws Exception {
        String name = "StatusTest" + System.nanoTime();
        Path a = sample("a", name);
        assertThat(project("push", a.toString()).code()).isZero();
        Files.delete(a.resolve(THUMB));
        Files.writeString(a.resolve("notes.txt"), "x");
        Run r = project("status", a.toString(), "--server", "http://127.0.0.1:1");
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.out()).contains("2 local change(s) not pushed", "  A notes.txt", "  D " + THUMB,
                "Could not ask the server", "cannot connect to http://127.0.0.1:1");

        Run notSynced = project("status", tmp.resolve("nothing").toString());
        assertThat(notSynced.code()).isEqualTo(2);
        assertThat(notSynced.err()).contains("is not a synced project folder", "project push");
    }

    @Test
    void aSecondImportOfTheSameNameAndABrokenPackageAreRefusedWithWhatToDo() throws Exception {
        String name = "ExistsTest" + System.nanoTime();
        assertThat(project("push", sample("a", name).toString()).code()).isZero();
        Path twin = sample("twin", name);
        Run exists = project("push", twin.toString());
        assertThat(exists.code()).as(exists.toString()).isEqualTo(2);
        assertThat(exists.err()).contains("a project named '" + name + "' is already on", "project pull NEW_DIR --project");
        assertThat(twin.resolve(ProjectFolder.STATE_DIR)).doesNotExist();

        Path broken = sample("broken", "BrokenTest" + System.nanoTime());
        Files.writeString(broken.resolve(SCENE2), "[{\"name\": ");
        Run bad = project("push", broken.toString());
        assertThat(bad.code()).as(bad.toString()).isEqualTo(2);
        assertThat(bad.err()).contains("the server refused the project", "400", SCENE2);
        assertThat(broken.resolve(ProjectFolder.STATE_DIR)).doesNotExist();

        Run notAProject = project("push", tmp.resolve("b").toString());
        assertThat(notAProject.code()).isEqualTo(2);
    }

    @Test
    void theCommandsCheckTheirTokensScopesBeforeSendingAnything() throws Exception {
        List<String> pushRoutes = new ArrayList<>(ProjectSync.IMPORT_ROUTES);
        pushRoutes.addAll(ProjectSync.PUSH_ROUTES);
        assertThat(CredentialCheck.names(CredentialCheck.scopesFor(pushRoutes))).isEqualTo(ProjectCommand.Push.SCOPES);
        assertThat(CredentialCheck.names(CredentialCheck.scopesFor(ProjectSync.PULL_ROUTES)))
                .isEqualTo(ProjectCommand.Pull.SCOPES);

        String name = "TokenTest" + System.nanoTime();
        Path a = sample("a", name);
        String readOnly = SERVER.createToken("{\"name\":\"read-only\",\"scopes\":[\"read\"]}");
        Run refused = projectAs(readOnly, "push", a.toString());
        assertThat(refused.code()).isEqualTo(2);
        assertThat(refused.err()).contains("project push needs a token with the scopes read and write", "nothing was sent");
        String elsewhere = SERVER.createToken("{\"name\":\"elsewhere\",\"scopes\":[\"read\",\"write\"],\"projects\":[\"Other\"]}");
        Run restricted = projectAs(elsewhere, "push", a.toString());
        assertThat(restricted.code()).isEqualTo(2);
        assertThat(restricted.err()).contains("restricted to the project(s) Other, not '" + name + "'");
        assertThat(a.resolve(ProjectFolder.STATE_DIR)).doesNotExist();
    }
}
