package storyboard.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import storyboard.cli.ProjectFolder.Changes;
import storyboard.cli.ProjectFolder.FileEntry;
import storyboard.cli.ProjectFolder.PullPlan;
import storyboard.cli.ProjectFolder.Scan;
import storyboard.cli.ProjectFolder.SyncState;

/**
 * {@code project pull}: brings a folder to a revision of the server's project, writing only what changed (each file
 * checked against its hash and renamed into place) and refusing to overwrite local changes that were not pushed.
 */
final class ProjectPull {
    private final ProjectSync sync;
    private final ClientOptions connection;
    private final PrintStream out;
    private final PrintWriter err;

    ProjectPull(ProjectSync sync, ClientOptions connection, PrintStream out, PrintWriter err) {
        this.sync = sync;
        this.connection = connection;
        this.out = out;
        this.err = err;
    }

    int pull(Path dir, String projectArg, Integer revisionArg, boolean force) throws IOException, InterruptedException {
        Optional<SyncState> state = ProjectFolder.readState(dir);
        String project = projectArg == null ? null : projectArg.strip();
        if (state.isPresent()) {
            SyncState s = state.get();
            if (project != null && !project.equalsIgnoreCase(s.projectId()) && !project.equals(s.name())) {
                throw new UserException(dir + " holds project '" + s.name() + "' (" + s.projectId() + "), not '" + project
                        + "': pull another project into another folder");
            }
            connection.defaultServer(s.server());
        } else if (project == null || project.isEmpty()) {
            throw new UserException(dir + " is not a synced project folder (no " + ProjectFolder.STATE_FILE
                    + "): name the project to pull into it with --project ID_OR_NAME");
        }
        if (revisionArg != null && revisionArg < 1) throw new UserException("--revision must be 1 or more");
        String nameForCheck = state.isPresent() ? state.get().name() : ProjectSync.UUID_TEXT.matcher(project).matches() ? null : project;
        connection.require("project pull", CredentialCheck.scopesFor(ProjectSync.PULL_ROUTES), nameForCheck);
        ServerClient client = connection.client();
        String id = state.isPresent() ? state.get().projectId() : resolveProject(client, project);
        String path = ProjectSync.API + "/" + id + (revisionArg == null ? "" : "/revisions/" + revisionArg);
        JsonNode answer = client.find(path).orElseThrow(() -> new UserException(revisionArg == null
                ? "project " + id + " is not on " + client.base() + " (deleted? or another server: --server sets it)"
                : "project " + id + " has no revision " + revisionArg + " on " + client.base()));
        int revision = revisionArg != null ? revisionArg : headRevision(answer);
        String name = answer.path("name").asText(state.map(SyncState::name).orElse(project));
        SortedMap<String, FileEntry> target;
        try {
            target = ProjectSync.fromApi(answer.path("files"));
        } catch (ProjectFolder.UnsafePathException e) {
            throw new UserException(e.getMessage() + "; nothing was written");
        }
        SortedMap<String, FileEntry> base = state.map(SyncState::files).orElse(new TreeMap<>());
        Scan scan = Files.isDirectory(dir) ? ProjectFolder.scan(dir, base) : null;
        SortedMap<String, FileEntry> local = scan == null ? new TreeMap<>() : scan.manifest();
        PullPlan plan = ProjectFolder.planPull(base, target, local, force);
        if (plan.refused(force)) {
            err.printf("error: pull refused: %d file(s) the pull would write or delete have changes here that were not "
                    + "pushed:%n", plan.conflicts().size());
            for (ProjectFolder.Conflict c : plan.conflicts()) err.println("  " + c);
            err.printf("Nothing was written. To take the server's version, pull with --force; to keep yours, copy "
                    + "them aside, pull with --force, then put your changes back and push.%n");
            err.flush();
            return ProjectSync.REFUSED;
        }
        Files.createDirectories(dir);
        if (scan != null) for (Path leftover : scan.leftovers()) Files.deleteIfExists(leftover);
        long downloaded = apply(client, dir, id, revision, plan, target);
        ProjectFolder.writeState(dir, new SyncState(client.base(), id, name, revision, target));
        List<String> lines = new ArrayList<>();
        plan.write().keySet().forEach(p -> lines.add((local.containsKey(p) ? "M " : "A ") + p));
        plan.delete().forEach(p -> lines.add("D " + p));
        lines.sort((a, b) -> a.substring(2).compareTo(b.substring(2)));
        if (lines.isEmpty()) {
            out.printf("%s is as revision %d of '%s': nothing to write.%n", dir, revision, name);
        } else {
            out.printf("Pulled revision %d of '%s' into %s: %d file(s) written (%s%s), %d deleted.%n", revision, name, dir,
                    plan.write().size(), ProjectSync.bytes(downloaded), useExport(plan, target) ? ", from the revision's zip" : "",
                    plan.delete().size());
        }
        sync.listPaths(lines);
        if (force && !plan.conflicts().isEmpty()) {
            out.printf("Overwrote the local changes of %d file(s) (--force).%n", plan.conflicts().size());
        }
        SortedMap<String, FileEntry> now = new TreeMap<>(local);
        now.putAll(plan.write());
        plan.delete().forEach(now::remove);
        Changes kept = ProjectFolder.changes(target, now);
        if (!kept.none()) {
            out.printf("%d local change(s) kept, not pushed yet (`storyboard-server project status %s` lists them).%n",
                    kept.count(), dir);
        }
        return ProjectSync.DONE;
    }

    private static int headRevision(JsonNode project) {
        for (String field : List.of("headRevision", "head_revision", "revision")) {
            if (project.path(field).canConvertToInt() && project.path(field).asInt() > 0) return project.path(field).asInt();
        }
        throw new UserException("the server's answer names no head revision: " + project.toString().substring(0,
                Math.min(200, project.toString().length())));
    }

    /** The id of the project {@code given} names: an id, else a live project's exact name. */
    private String resolveProject(ServerClient client, String given) throws IOException, InterruptedException {
        if (ProjectSync.UUID_TEXT.matcher(given).matches() && client.find(ProjectSync.API + "/" + given).isPresent()) return given.toLowerCase();
        List<String> similar = new ArrayList<>();
        String cursor = null;
        do {
            JsonNode page = client.get(ProjectSync.API + "?limit=100&q=" + ProjectSync.encode(given)
                    + (cursor == null ? "" : "&cursor=" + ProjectSync.encode(cursor)));
            for (JsonNode p : page.path("items")) {
                if (p.path("name").asText().equals(given)) return p.path("id").asText();
                similar.add(p.path("name").asText());
            }
            cursor = page.path("next_cursor").isTextual() ? page.path("next_cursor").asText() : null;
        } while (cursor != null && similar.size() < 1000);
        throw new UserException("no project '" + given + "' on " + client.base()
                + (similar.isEmpty() ? "" : "; similar names: " + String.join(", ", similar.subList(0, Math.min(10, similar.size())))));
    }

    /** A file a pull writes: its manifest path and entry, its place in the folder and the temp file beside it. */
    private record Target(String path, FileEntry entry, Path file, Path temp) {}

    /**
     * Writes the plan into the folder: every file downloaded first, each into a temp file beside its place and
     * checked against its hash, then each renamed into place (atomic per file) and the deletions done. A download that
     * fails leaves the folder's files as they were. Many files ({@link #useExport}) come in one request, the
     * revision's export zip; fewer one by one, {@link ProjectSync#DOWNLOADS} at a time. Answers the bytes written.
     */
    private static long apply(ServerClient client, Path dir, String id, int revision, PullPlan plan,
                              Map<String, FileEntry> target) throws IOException, InterruptedException {
        List<Target> targets = new ArrayList<>();
        for (var w : plan.write().entrySet()) {
            Path file = ProjectFolder.resolve(dir, w.getKey());
            if (Files.isDirectory(file)) throw new IOException("cannot write " + w.getKey() + ": a folder is in its place");
            ProjectFolder.makeParents(dir, file);
            Path temp = file.resolveSibling("." + file.getFileName() + "." + UUID.randomUUID().toString().substring(0, 8)
                    + ProjectFolder.PART_SUFFIX);
            targets.add(new Target(w.getKey(), w.getValue(), file, temp));
        }
        long bytes;
        boolean complete = false;
        try {
            bytes = useExport(plan, target) ? fromExport(client, id, revision, targets)
                    : oneByOne(client, id, revision, targets);
            complete = true;
        } finally {
            if (!complete) for (Target t : targets) Files.deleteIfExists(t.temp());
        }
        for (Target t : targets) {
            Files.move(t.temp(), t.file(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        }
        for (String path : plan.delete()) {
            Path file = ProjectFolder.resolve(dir, path);
            Files.deleteIfExists(file);
            removeEmptyFolders(dir.toAbsolutePath().normalize(), file.getParent());
        }
        return bytes;
    }

    /**
     * Whether to take the revision's export zip rather than file by file: for many files (a first pull) that are most
     * of the revision's bytes, one streamed request beats a request per file; for a few, fetching only them does.
     */
    static boolean useExport(PullPlan plan, Map<String, FileEntry> target) {
        long writing = plan.write().values().stream().mapToLong(FileEntry::size).sum();
        long all = target.values().stream().mapToLong(FileEntry::size).sum();
        return plan.write().size() >= ProjectSync.EXPORT_FROM_FILES && writing * 2 >= all;
    }

    private static long oneByOne(ServerClient client, String id, int revision, List<Target> targets)
            throws IOException, InterruptedException {
        ExecutorService pool = Executors.newFixedThreadPool(ProjectSync.DOWNLOADS, r -> {
            Thread t = new Thread(r, "project-pull");
            t.setDaemon(true);
            return t;
        });
        long bytes = 0;
        try {
            List<Future<Long>> done = new ArrayList<>();
            for (Target t : targets) {
                String url = ProjectSync.API + "/" + id + "/files/" + ProjectSync.encodePath(t.path()) + "?revision=" + revision;
                done.add(pool.submit(() -> {
                    client.download(url, t.temp());
                    return check(t, revision);
                }));
            }
            for (Future<Long> f : done) bytes += f.get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause().toString(), e.getCause());
        } finally {
            pool.shutdownNow();
            // The other downloads stop before the caller removes their temp files.
            pool.awaitTermination(1, TimeUnit.MINUTES);
        }
        return bytes;
    }

    /** The files out of the revision's export zip (its entries under one top folder), the others read past. */
    private static long fromExport(ServerClient client, String id, int revision, List<Target> targets)
            throws IOException, InterruptedException {
        Map<String, Target> wanted = new HashMap<>();
        for (Target t : targets) wanted.put(t.path(), t);
        long bytes = 0;
        try (ZipInputStream zip = new ZipInputStream(new BufferedInputStream(
                client.stream(ProjectSync.API + "/" + id + "/export?revision=" + revision), 1 << 16))) {
            for (ZipEntry e; (e = zip.getNextEntry()) != null; ) {
                String name = e.getName();
                Target t = wanted.remove(name.substring(name.indexOf('/') + 1));
                if (t == null || e.isDirectory()) continue;
                copy(zip, t.temp(), t.entry().size() + 1); // a byte more than listed fails the check, not the disk
                bytes += check(t, revision);
            }
        }
        if (!wanted.isEmpty()) {
            throw new IOException("the export of revision " + revision + " lacks " + wanted.size() + " file(s) of its "
                    + "manifest, e.g. " + wanted.keySet().iterator().next() + "; nothing was written");
        }
        return bytes;
    }

    private static void copy(InputStream in, Path to, long max) throws IOException {
        byte[] buf = new byte[1 << 16];
        try (OutputStream out = Files.newOutputStream(to)) {
            for (long left = max; left > 0; ) {
                int n = in.read(buf, 0, (int) Math.min(buf.length, left));
                if (n < 0) break;
                out.write(buf, 0, n);
                left -= n;
            }
        }
    }

    /** Checks a downloaded temp file against the manifest's hash and size, and gives it its mode; answers its size. */
    private static long check(Target t, int revision) throws IOException {
        FileEntry got = ProjectFolder.hash(t.temp(), t.entry().mode(), new byte[1 << 16]).entry();
        if (!got.sha256().equals(t.entry().sha256()) || got.size() != t.entry().size()) {
            throw new IOException(t.path() + " came down with other content than revision " + revision + " lists (sha256 "
                    + got.sha256() + ", not " + t.entry().sha256() + "); nothing was written");
        }
        ProjectFolder.applyMode(t.temp(), t.entry().mode());
        return got.size();
    }

    /** Removes the folders a deletion left empty, up to (not including) the project folder, as git does. */
    private static void removeEmptyFolders(Path root, Path folder) throws IOException {
        for (Path f = folder; f != null && f.startsWith(root) && !f.equals(root); f = f.getParent()) {
            try {
                Files.deleteIfExists(f);
            } catch (DirectoryNotEmptyException e) {
                return;
            }
        }
    }
}
