package storyboard.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import storyboard.cli.ProjectFolder.FileEntry;
import storyboard.cli.ProjectFolder.PullPlan;
import storyboard.cli.ProjectFolder.SyncState;
import storyboard.support.Contract;

/** The project commands' local side, no server: hashing a folder, its sync state, what changed, what a pull may do. */
class ProjectFolderTest {
    @TempDir
    Path tmp;

    private static final String A = "a".repeat(64);
    private static final String B = "b".repeat(64);
    private static final String C = "c".repeat(64);

    private static FileEntry f(String sha) {
        return new FileEntry(sha, 10, ProjectFolder.MODE_FILE);
    }

    private static SortedMap<String, FileEntry> manifest(Object... pathAndSha) {
        SortedMap<String, FileEntry> m = new TreeMap<>();
        for (int i = 0; i < pathAndSha.length; i += 2) m.put((String) pathAndSha[i], f((String) pathAndSha[i + 1]));
        return m;
    }

    static Path copyOfSample(Path into) throws IOException {
        Path sample = Contract.root().resolve("b-line/project-sample");
        try (Stream<Path> walk = Files.walk(sample)) {
            for (Path p : walk.toList()) {
                Path to = into.resolve(sample.relativize(p).toString());
                if (Files.isDirectory(p)) Files.createDirectories(to);
                else Files.copy(p, to);
            }
        }
        return into;
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    @Test
    void aScanHashesEveryFileButTheSyncStateLinksAndPartFilesWithSlashPaths() throws Exception {
        Path dir = copyOfSample(tmp.resolve("p"));
        Files.createDirectories(dir.resolve(".storyboard"));
        Files.writeString(dir.resolve(".storyboard/sync.json"), "{}");
        Files.writeString(dir.resolve("scenes/.0001.json.1234abcd" + ProjectFolder.PART_SUFFIX), "half a download");
        Files.createSymbolicLink(dir.resolve("outside"), tmp);
        Files.writeString(dir.resolve("scenes/.DS_Store"), "finder");
        Files.createDirectories(dir.resolve("__MACOSX"));
        Files.writeString(dir.resolve("__MACOSX/._project.json"), "resource fork");
        Files.writeString(dir.resolve("tool.sh"), "#!/bin/sh\n");
        Files.setPosixFilePermissions(dir.resolve("tool.sh"), PosixFilePermissions.fromString("rwxr-xr-x"));

        ProjectFolder.Scan scan = ProjectFolder.scan(dir, Map.of());

        assertThat(scan.files()).containsKeys("project.json", "scenes/0001_SCENE_001.json", "assets/audio/line_001.wav",
                "thumbnails/panel_05b6e6e3-07d4-4edc-9143-1193e6c3f339.png", "tool.sh");
        assertThat(scan.files().keySet()).noneMatch(p -> p.startsWith(".storyboard") || p.endsWith(ProjectFolder.PART_SUFFIX)
                || p.startsWith("outside") || p.contains("DS_Store") || p.startsWith("__MACOSX"));
        assertThat(scan.files()).hasSize(1 + 2 + 1 + 1 + 2 + 12 + 1); // project, scenes, track, wav, logs, thumbnails, tool.sh
        assertThat(scan.skipped()).containsExactly("outside (a link)");
        assertThat(scan.leftovers()).containsExactly(dir.resolve("scenes/.0001.json.1234abcd" + ProjectFolder.PART_SUFFIX));
        byte[] scene = Files.readAllBytes(dir.resolve("scenes/0001_SCENE_001.json"));
        FileEntry e = scan.files().get("scenes/0001_SCENE_001.json").entry();
        assertThat(e).isEqualTo(new FileEntry(sha256(scene), scene.length, 0644));
        assertThat(scan.files().get("tool.sh").entry().mode()).isEqualTo(0755);
        assertThat(scan.bytes()).isEqualTo(scan.files().values().stream().mapToLong(x -> x.entry().size()).sum());
    }

    @Test
    void theSyncStateIsWrittenAtomicallyAndReadBackAndABrokenOneIsAClearError() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("p"));
        assertThat(ProjectFolder.readState(dir)).isEmpty();
        SyncState state = new SyncState("http://localhost:8080", "0b6f3c9e-1111-4222-8333-944455556666", "Kitchen", 3,
                manifest("project.json", A, "scenes/0001_S.json", B));
        ProjectFolder.writeState(dir, state);
        assertThat(ProjectFolder.readState(dir)).contains(state);
        try (Stream<Path> files = Files.list(dir.resolve(".storyboard"))) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("sync.json");
        }
        String json = Files.readString(dir.resolve(".storyboard/sync.json"));
        assertThat(json).contains("\"projectId\"", "\"revision\" : 3", "\"scenes/0001_S.json\"", "\"sha256\"", "\"mode\" : 420");

        Files.writeString(dir.resolve(".storyboard/sync.json"), json.replace(A, "not-a-hash"));
        assertThatThrownBy(() -> ProjectFolder.readState(dir)).isInstanceOf(UserException.class)
                .hasMessageContaining("file 'project.json'").hasMessageContaining("sha256");
        Files.writeString(dir.resolve(".storyboard/sync.json"), json.replace("scenes/0001_S.json", "../evil.json"));
        assertThatThrownBy(() -> ProjectFolder.readState(dir)).isInstanceOf(UserException.class)
                .hasMessageContaining("'../evil.json'");
        Files.writeString(dir.resolve(".storyboard/sync.json"), "{\"server\": ");
        assertThatThrownBy(() -> ProjectFolder.readState(dir)).isInstanceOf(UserException.class)
                .hasMessageContaining("sync.json is not a sync state");
    }

    @Test
    void changesNameWhatWasAddedModifiedAndRemovedModeIncluded() {
        SortedMap<String, FileEntry> base = manifest("a.json", A, "b.png", B, "c.wav", C);
        SortedMap<String, FileEntry> now = manifest("a.json", A, "b.png", C, "d.txt", A);
        now.put("a.json", new FileEntry(A, 10, ProjectFolder.MODE_EXECUTABLE));
        ProjectFolder.Changes c = ProjectFolder.changes(base, now);
        assertThat(c.added()).containsExactly("d.txt");
        assertThat(c.modified()).containsExactly("a.json", "b.png");
        assertThat(c.removed()).containsExactly("c.wav");
        assertThat(c.lines()).containsExactly("M a.json", "M b.png", "D c.wav", "A d.txt");
        assertThat(ProjectFolder.changes(base, base).none()).isTrue();
    }

    @Test
    void aPullTouchesOnlyWhatChangedUpstreamAndRefusesWhereLocalChangesAreInTheWay() {
        SortedMap<String, FileEntry> base = manifest("same", A, "up", A, "gone", A, "both", A, "localonly", A,
                "deletedhere", A, "upgone-edited", A);
        SortedMap<String, FileEntry> target = manifest("same", A, "up", B, "both", B, "localonly", A, "deletedhere", A,
                "new", C, "new-same", C);
        SortedMap<String, FileEntry> local = manifest("same", A, "up", A, "gone", A, "both", C, "localonly", B,
                "upgone-edited", B, "new-same", C, "mine", A);

        PullPlan plan = ProjectFolder.planPull(base, target, local, false);
        assertThat(plan.write()).containsOnlyKeys("up", "new");
        assertThat(plan.delete()).containsExactly("gone");
        assertThat(plan.conflicts()).extracting(ProjectFolder.Conflict::toString).containsExactly(
                "both (changed here, changed on the server)", "upgone-edited (changed here, deleted on the server)");
        assertThat(plan.refused(false)).isTrue();

        PullPlan forced = ProjectFolder.planPull(base, target, local, true);
        assertThat(forced.refused(true)).isFalse();
        assertThat(forced.write()).containsOnlyKeys("up", "new", "both");
        assertThat(forced.delete()).containsExactlyInAnyOrder("gone", "upgone-edited");
        assertThat(forced.conflicts()).hasSize(2);

        // A folder with no sync state: the server's files are written, except where a different file is there.
        PullPlan first = ProjectFolder.planPull(Map.of(), target, manifest("same", A, "up", A), false);
        assertThat(first.write()).containsOnlyKeys("both", "localonly", "deletedhere", "new", "new-same");
        assertThat(first.conflicts()).extracting(ProjectFolder.Conflict::toString)
                .containsExactly("up (added here, added on the server)");
        // A file deleted here that the server changed is in the way too; one it did not change stays deleted.
        PullPlan deleted = ProjectFolder.planPull(manifest("x", A, "y", A), manifest("x", B, "y", A), Map.of(), false);
        assertThat(deleted.conflicts()).extracting(ProjectFolder.Conflict::toString)
                .containsExactly("x (deleted here, changed on the server)");
        assertThat(deleted.write()).isEmpty();
    }

    @Test
    void pathsFromTheServerThatCouldLeadOutsideTheFolderAreRefused() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("p"));
        for (String bad : List.of("", "/etc/passwd", "../x", "a/../../x", "a/./b", "a//b", "a/", "C:/x", "c:x", "a\\..\\x",
                ".storyboard/sync.json", ".storyboard", "a\nb")) {
            assertThatThrownBy(() -> ProjectFolder.resolve(dir, bad)).as(bad)
                    .isInstanceOf(ProjectFolder.UnsafePathException.class).hasMessageContaining("refused the path");
        }
        assertThat(ProjectFolder.resolve(dir, "scenes/0001_SCENE_001.json"))
                .isEqualTo(dir.toAbsolutePath().resolve("scenes").resolve("0001_SCENE_001.json"));
        assertThat(ProjectFolder.resolve(dir, "..hidden/x..y"))
                .isEqualTo(dir.toAbsolutePath().resolve("..hidden").resolve("x..y"));

        // A manifest from the server is checked whole before anything is written by it.
        String good = "{\"path\":\"scenes/a.json\",\"sha256\":\"" + A + "\",\"size\":3,\"mode\":420}";
        assertThat(ProjectSync.fromApi(storyboard.kernel.Json.MAPPER.readTree("[" + good + "]")))
                .containsEntry("scenes/a.json", new FileEntry(A, 3, 0644));
        assertThatThrownBy(() -> ProjectSync.fromApi(storyboard.kernel.Json.MAPPER.readTree(
                "[" + good + ", " + good.replace("scenes/a.json", "../../.bashrc") + "]")))
                .isInstanceOf(ProjectFolder.UnsafePathException.class).hasMessageContaining("'../../.bashrc'");

        // A folder of the project that is a link out of it is not written through.
        Path outside = Files.createDirectories(tmp.resolve("outside"));
        Files.createSymbolicLink(dir.resolve("scenes"), outside);
        assertThatThrownBy(() -> ProjectFolder.makeParents(dir, ProjectFolder.resolve(dir, "scenes/x.json")))
                .hasMessageContaining("leads outside");
        ProjectFolder.makeParents(dir, ProjectFolder.resolve(dir, "thumbnails/deep/x.png"));
        assertThat(dir.resolve("thumbnails/deep")).isDirectory();
    }

    @Test
    void theZipHoldsEveryFileByteForByteTextDeflatedMediaStored() throws Exception {
        Path dir = copyOfSample(tmp.resolve("p"));
        ProjectFolder.Scan scan = ProjectFolder.scan(dir, Map.of());
        Map<String, byte[]> read = new HashMap<>();
        Map<String, Integer> methods = new HashMap<>();
        try (ZipInputStream zip = new ZipInputStream(ProjectZip.open(scan.files()))) {
            for (ZipEntry e; (e = zip.getNextEntry()) != null; ) {
                read.put(e.getName(), zip.readAllBytes());
                methods.put(e.getName(), e.getMethod());
            }
        }
        assertThat(read.keySet()).isEqualTo(scan.files().keySet());
        for (var e : scan.files().entrySet()) {
            assertThat(read.get(e.getKey())).as(e.getKey()).isEqualTo(Files.readAllBytes(e.getValue().file()));
        }
        assertThat(methods.get("scenes/0001_SCENE_001.json")).isEqualTo(ZipEntry.DEFLATED);
        assertThat(methods.get("thumbnails/panel_05b6e6e3-07d4-4edc-9143-1193e6c3f339.png")).isEqualTo(ZipEntry.STORED);
        assertThat(methods.get("assets/audio/line_001.wav")).isEqualTo(ZipEntry.STORED);
    }

    @Test
    void aFileChangedAfterTheScanFailsTheZipNamingItAndAnAbandonedZipStopsItsThread() throws Exception {
        Path dir = copyOfSample(tmp.resolve("p"));
        ProjectFolder.Scan scan = ProjectFolder.scan(dir, Map.of());
        Files.writeString(dir.resolve("scenes/0002_SCENE_002.json"), "[]", StandardCharsets.UTF_8);
        assertThatThrownBy(() -> {
            try (InputStream in = ProjectZip.open(scan.files())) {
                in.transferTo(java.io.OutputStream.nullOutputStream());
            }
        }).isInstanceOf(IOException.class).hasMessageContaining("scenes/0002_SCENE_002.json changed while it was being sent");

        // A big file the reader stops reading after a few bytes: closing the stream ends the writing thread.
        Path big = Files.createDirectories(tmp.resolve("big"));
        Files.write(big.resolve("movie.mp4"), new byte[8 << 20]);
        ProjectFolder.Scan bigScan = ProjectFolder.scan(big, Map.of());
        InputStream in = ProjectZip.open(bigScan.files());
        assertThat(in.readNBytes(100)).hasSize(100);
        List<Thread> writers = Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals("project-zip")).toList();
        assertThat(writers).isNotEmpty();
        in.close();
        for (Thread t : writers) {
            t.join(5000);
            assertThat(t.isAlive()).isFalse();
        }
    }
}
