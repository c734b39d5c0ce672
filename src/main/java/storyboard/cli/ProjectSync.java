package storyboard.cli;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonInclude.Include;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import storyboard.api.Sizes;
import storyboard.cli.ProjectFolder.Changes;
import storyboard.cli.ProjectFolder.FileEntry;
import storyboard.cli.ProjectFolder.LocalFile;
import storyboard.cli.ProjectFolder.PullPlan;
import storyboard.cli.ProjectFolder.Scan;
import storyboard.cli.ProjectFolder.SyncState;

/**
 * {@code project push|pull|status DIR} over the projects API: a B-Line project folder kept in step with a server's
 * project, revision by revision, the way the app's own plans describe (a push on a stale revision is refused with
 * 409 revision_conflict, never merged or overwritten).
 * <p>
 * The folder's sync state ({@link ProjectFolder}) says which revision it was last pushed or pulled at; it is
 * written last, only once the server has the revision (push) or the folder has its files (pull), so a push or pull
 * cut off half-way is simply run again.
 */
final class ProjectSync {
    static final String API = "/api/v1/projects";
    /** The routes each command calls ("METHOD /path" as in RouteAccess): the scopes its token needs follow from them. */
    static final List<String> IMPORT_ROUTES = List.of("POST /api/v1/projects/import",
            "GET /api/v1/projects/{id}/revisions/{revision}");
    static final List<String> PUSH_ROUTES = List.of("POST /api/v1/projects/{id}/missing",
            "PUT /api/v1/projects/{id}/blobs/{sha256}", "POST /api/v1/projects/{id}/revisions");
    static final List<String> PULL_ROUTES = List.of("GET /api/v1/projects", "GET /api/v1/projects/{id}",
            "GET /api/v1/projects/{id}/revisions/{revision}", "GET /api/v1/projects/{id}/files/<path>");
    /** How many files a pull downloads at once: enough to hide a request's latency, few enough for a small server. */
    static final int DOWNLOADS = 4;
    /** From how many files to write a pull takes the revision's export zip instead (see {@link #useExport}). */
    static final int EXPORT_FROM_FILES = 64;
    /** How many changed paths a push or pull lists before it only counts the rest. */
    static final int LISTED = 20;
    static final Pattern UUID_TEXT = Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    /** Exit statuses: done; refused by the sync rules (a conflict, local changes in the way): the user decides. */
    static final int DONE = 0;
    static final int REFUSED = 1;

    private final ClientOptions connection;
    private final PrintStream out;
    private final PrintWriter err;

    ProjectSync(ClientOptions connection, PrintStream out, PrintWriter err) {
        this.connection = connection;
        this.out = out;
        this.err = err;
    }

    /** A file of a manifest as the API sends and takes it. */
    record ManifestFile(String path, String sha256, long size, int mode) {}

    /** The body of {@code POST .../missing}. */
    record MissingQuery(int baseRevision, List<ManifestFile> files) {}

    /** The body of {@code POST .../revisions}. */
    record NewRevision(int baseRevision, @JsonInclude(Include.NON_NULL) String message, List<ManifestFile> files) {}

    static List<ManifestFile> toApi(Map<String, FileEntry> manifest) {
        List<ManifestFile> files = new ArrayList<>();
        manifest.forEach((path, f) -> files.add(new ManifestFile(path, f.sha256(), f.size(), f.mode())));
        return files;
    }

    /** A manifest the server sent, every path checked before anything is written by it. */
    static SortedMap<String, FileEntry> fromApi(JsonNode files) throws ProjectFolder.UnsafePathException {
        SortedMap<String, FileEntry> manifest = new TreeMap<>();
        for (JsonNode f : files) {
            String path = f.path("path").asText(null);
            ProjectFolder.resolve(Path.of("."), path);
            String sha256 = f.path("sha256").asText("");
            if (!ProjectFolder.SHA256.matcher(sha256).matches()) {
                throw new ProjectFolder.UnsafePathException(path, "its sha256 '" + sha256 + "' is not 64 hex digits");
            }
            manifest.put(path, new FileEntry(sha256, f.path("size").asLong(), f.path("mode").asInt(ProjectFolder.MODE_FILE)));
        }
        return manifest;
    }

    // ---- push

    int push(Path dir, String message) throws IOException, InterruptedException {
        Optional<SyncState> state = ProjectFolder.readState(dir);
        return state.isPresent() ? deltaPush(dir, state.get(), message) : importFolder(dir, message);
    }

    /** The first push of a folder: the whole folder as a zip, streamed, which the server makes revision 1 of. */
    private int importFolder(Path dir, String message) throws IOException, InterruptedException {
        if (!Files.isDirectory(dir)) throw new UserException("no such folder: " + dir);
        if (!Files.isRegularFile(dir.resolve("project.json"))) {
            throw new UserException(dir + " has no project.json: push the folder of a B-Line project (the one with "
                    + "project.json and scenes/), or pull one into an empty folder with --project");
        }
        String name = projectName(dir);
        Scan scan = ProjectFolder.scan(dir, Map.of());
        reportSkipped(scan);
        connection.require("project push", CredentialCheck.scopesFor(IMPORT_ROUTES), name);
        ServerClient client = connection.client();
        out.printf("Importing %s (%d file(s), %s) as a new project on %s...%n", dir, scan.files().size(),
                bytes(scan.bytes()), client.base());
        JsonNode imported;
        try {
            imported = client.postStream(API + "/import" + (message == null ? "" : "?message=" + encode(message)),
                    "application/zip", () -> ProjectZip.open(scan.files()));
        } catch (ServerClient.BadAnswer e) {
            if (e.status() == 409 && "project_exists".equals(e.error())) {
                String id = e.body().path("id").asText("");
                throw new UserException("a project named '" + name + "' is already on " + client.base()
                        + (id.isEmpty() ? "" : " (id " + id + ")") + "; nothing was stored. To work on it, pull it into an "
                        + "empty folder: storyboard-server project pull NEW_DIR --project " + (id.isEmpty() ? name : id)
                        + "; to make a new project, change projectName in project.json");
            }
            throw refusal("the server refused the project", e);
        }
        String id = imported.path("id").asText();
        int revision = imported.path("revision").asInt(1);
        String importedName = imported.path("name").asText(name);
        printReport(imported.path("report"));
        // The server's manifest, not the folder's: the modes are what it recorded from the zip.
        SortedMap<String, FileEntry> stored = fromApi(client.get(API + "/" + id + "/revisions/" + revision).path("files"));
        ProjectFolder.writeState(dir, new SyncState(client.base(), id, importedName, revision, stored));
        out.printf("Imported '%s' as project %s, revision %d. Later pushes from %s send only what changed.%n",
                importedName, id, revision, dir);
        Changes differ = ProjectFolder.changes(stored, scan.manifest());
        if (!differ.none()) {
            out.printf("%d file(s) differ from what the server stored (`project status` lists them; push again to send them).%n",
                    differ.count());
        }
        return DONE;
    }

    /** {@code projectName} of the folder's project.json, for messages and the token check; null when unreadable. */
    private static String projectName(Path dir) {
        try {
            String name = storyboard.kernel.Json.MAPPER.readTree(dir.resolve("project.json").toFile())
                    .path("projectName").asText("");
            return name.isBlank() ? null : name.strip();
        } catch (IOException e) {
            return null; // the server lists what is wrong with it, with every other problem of the package
        }
    }

    private void printReport(JsonNode report) {
        if (report.isMissingNode()) return;
        out.printf("Import report: %d scene(s), %d shot(s), %d panel(s), %d layer(s), %d stroke(s), %d audio track(s); "
                        + "%d file(s), %s.%n", report.path("scenes").asLong(), report.path("shots").asLong(),
                report.path("panels").asLong(), report.path("layers").asLong(), report.path("strokes").asLong(),
                report.path("audioTracks").asLong(), report.path("files").asLong(), bytes(report.path("bytes").asLong()));
        JsonNode warnings = report.path("warnings");
        if (warnings.size() > 0) out.printf("%d warning(s):%n", warnings.size());
        for (JsonNode w : warnings) out.println("  " + w.path("path").asText("") + ": " + w.path("message").asText(""));
    }

    /**
     * A push after the first: the server learns the folder's manifest, says which blobs it lacks, gets only those,
     * then commits the revision, unless someone pushed since the folder's revision (then nothing changes anywhere).
     */
    private int deltaPush(Path dir, SyncState state, String message) throws IOException, InterruptedException {
        Scan scan = ProjectFolder.scan(dir, state.files());
        reportSkipped(scan);
        SortedMap<String, FileEntry> local = scan.manifest();
        Changes changes = ProjectFolder.changes(state.files(), local);
        if (changes.none()) {
            out.printf("Nothing to push: %s is as revision %d of '%s'.%n", dir, state.revision(), state.name());
            return DONE;
        }
        connection.defaultServer(state.server());
        connection.require("project push", CredentialCheck.scopesFor(PUSH_ROUTES), state.name());
        ServerClient client = connection.client();
        String project = API + "/" + state.projectId();
        List<ManifestFile> files = toApi(local);
        JsonNode missing;
        try {
            missing = client.post(project + "/missing", new MissingQuery(state.revision(), files));
        } catch (ServerClient.BadAnswer e) {
            return pushFailed(dir, state, e, false);
        }
        Map<String, LocalFile> bySha = new HashMap<>();
        scan.files().values().forEach(f -> bySha.putIfAbsent(f.entry().sha256(), f));
        int uploaded = 0;
        long uploadedBytes = 0;
        for (JsonNode m : missing.path("missing")) {
            LocalFile f = bySha.get(m.path("sha256").asText());
            if (f == null) throw new IOException("the server asked for a blob this push did not offer: " + m);
            try {
                client.upload(project + "/blobs/" + f.entry().sha256(), f.file());
            } catch (ServerClient.BadAnswer e) {
                throw refusal("uploading " + ProjectFolder.name(dir, f.file()) + " failed (changed while pushing? run "
                        + "the push again)", e);
            }
            uploaded++;
            uploadedBytes += f.entry().size();
        }
        JsonNode committed;
        try {
            committed = client.post(project + "/revisions", new NewRevision(state.revision(), message, files));
        } catch (ServerClient.BadAnswer e) {
            return pushFailed(dir, state, e, uploaded > 0);
        }
        int revision = committed.path("revision").asInt();
        // project.json's projectName is the project's name: a push may rename it.
        String name = committed.path("name").asText(state.name());
        ProjectFolder.writeState(dir, new SyncState(client.base(), state.projectId(), name, revision, local));
        if (committed.path("created").asBoolean(true)) {
            out.printf("Pushed revision %d of '%s' (on %d): %d added, %d modified, %d removed; uploaded %d file(s), %s.%n",
                    revision, name, state.revision(), changes.added().size(), changes.modified().size(),
                    changes.removed().size(), uploaded, bytes(uploadedBytes));
            listPaths(changes.lines());
        } else {
            out.printf("The server's revision %d of '%s' already has these files: no new revision.%n", revision, name);
        }
        printWarnings(committed.path("report").path("warnings"));
        return DONE;
    }

    private void printWarnings(JsonNode warnings) {
        if (warnings.size() > 0) out.printf("%d warning(s):%n", warnings.size());
        for (JsonNode w : warnings) out.println("  " + w.path("path").asText("") + ": " + w.path("message").asText(""));
    }

    /** A push the server refused: a conflict (someone pushed first) is a refusal the user resolves by pulling. */
    private int pushFailed(Path dir, SyncState state, ServerClient.BadAnswer e, boolean uploaded)
            throws IOException, InterruptedException {
        if (e.status() == 404) {
            throw new UserException("project " + state.projectId() + " ('" + state.name() + "') is not on "
                    + connection.client().base() + " (deleted, or another server? --server sets it; " + state.server()
                    + " is where the folder was last synced)");
        }
        if (e.status() != 409 || !"revision_conflict".equals(e.error())) throw refusal("the server refused the push", e);
        int current = e.body().path("currentRevision").asInt();
        JsonNode latest = e.body();
        if (!latest.hasNonNull("author") && current > 0) {
            latest = connection.client().find(API + "/" + state.projectId() + "/revisions/" + current)
                    .orElse(e.body());
        }
        String author = text(latest, "author", "someone");
        String when = text(latest, "pushedAt", text(latest, "createdAt", text(latest, "created_at", null)));
        String message = text(latest, latest == e.body() ? "revisionMessage" : "message", null);
        err.printf("error: push refused: %s pushed revision %d of '%s'%s%s, and this folder is based on revision %d%s.%n",
                author, current, state.name(), when == null ? "" : " at " + when,
                message == null || message.isBlank() ? "" : " (\"" + message + "\")", state.revision(),
                current - state.revision() > 1 ? " (" + (current - state.revision()) + " revisions behind)" : "");
        err.printf("No revision was made and %s is untouched%s. Pull first (storyboard-server project pull %s), check "
                        + "the result, then push again.%n", dir, uploaded ? " (the files uploaded are kept for the next push)" : "",
                dir);
        err.flush();
        return REFUSED;
    }

    private static String text(JsonNode node, String field, String otherwise) {
        JsonNode v = node.path(field);
        return v.isValueNode() && !v.isNull() && !v.asText().isBlank() ? v.asText() : otherwise;
    }

    // ---- pull

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
        String nameForCheck = state.isPresent() ? state.get().name() : UUID_TEXT.matcher(project).matches() ? null : project;
        connection.require("project pull", CredentialCheck.scopesFor(PULL_ROUTES), nameForCheck);
        ServerClient client = connection.client();
        String id = state.isPresent() ? state.get().projectId() : resolveProject(client, project);
        String path = API + "/" + id + (revisionArg == null ? "" : "/revisions/" + revisionArg);
        JsonNode answer = client.find(path).orElseThrow(() -> new UserException(revisionArg == null
                ? "project " + id + " is not on " + client.base() + " (deleted? or another server: --server sets it)"
                : "project " + id + " has no revision " + revisionArg + " on " + client.base()));
        int revision = revisionArg != null ? revisionArg : headRevision(answer);
        String name = answer.path("name").asText(state.map(SyncState::name).orElse(project));
        SortedMap<String, FileEntry> target;
        try {
            target = fromApi(answer.path("files"));
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
            return REFUSED;
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
                    plan.write().size(), bytes(downloaded), useExport(plan, target) ? ", from the revision's zip" : "",
                    plan.delete().size());
        }
        listPaths(lines);
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
        return DONE;
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
        if (UUID_TEXT.matcher(given).matches() && client.find(API + "/" + given).isPresent()) return given.toLowerCase();
        List<String> similar = new ArrayList<>();
        String cursor = null;
        do {
            JsonNode page = client.get(API + "?limit=100&q=" + encode(given)
                    + (cursor == null ? "" : "&cursor=" + encode(cursor)));
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
     * revision's export zip; fewer one by one, {@link #DOWNLOADS} at a time. Answers the bytes written.
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
        return plan.write().size() >= EXPORT_FROM_FILES && writing * 2 >= all;
    }

    private static long oneByOne(ServerClient client, String id, int revision, List<Target> targets)
            throws IOException, InterruptedException {
        ExecutorService pool = Executors.newFixedThreadPool(DOWNLOADS, r -> {
            Thread t = new Thread(r, "project-pull");
            t.setDaemon(true);
            return t;
        });
        long bytes = 0;
        try {
            List<Future<Long>> done = new ArrayList<>();
            for (Target t : targets) {
                String url = API + "/" + id + "/files/" + encodePath(t.path()) + "?revision=" + revision;
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
                client.stream(API + "/" + id + "/export?revision=" + revision), 1 << 16))) {
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

    // ---- status

    /**
     * Prints the folder's changes against its last synced revision, then whether the server has a newer one (one
     * request; a server that cannot be asked is said so, after the local status).
     */
    int status(Path dir) {
        SyncState state = ProjectFolder.readState(dir).orElseThrow(() -> new UserException(dir + " is not a synced "
                + "project folder (no " + ProjectFolder.STATE_FILE + "): `storyboard-server project push " + dir
                + "` imports it, `storyboard-server project pull DIR --project ID_OR_NAME` gets one"));
        Scan scan;
        try {
            scan = ProjectFolder.scan(dir, state.files());
        } catch (IOException e) {
            throw new UserException("cannot read " + dir + ": " + e.getMessage());
        }
        Changes changes = ProjectFolder.changes(state.files(), scan.manifest());
        out.printf("Project '%s' (%s) on %s, at revision %d.%n", state.name(), state.projectId(), state.server(),
                state.revision());
        if (changes.none()) {
            out.println("No local changes.");
        } else {
            out.printf("%d local change(s) not pushed (A added, M modified, D deleted):%n", changes.count());
            changes.lines().forEach(l -> out.println("  " + l));
        }
        for (String s : scan.skipped()) out.println("  not synced: " + s);
        out.println(serverStatus(dir, state));
        return DONE;
    }

    private String serverStatus(Path dir, SyncState state) {
        try {
            connection.defaultServer(state.server());
            ServerClient client = connection.client();
            JsonNode newest = client.get(API + "/" + state.projectId() + "/revisions?limit=1").path("items").path(0);
            int head = newest.path("revision").asInt();
            if (head <= state.revision()) return "The server has no newer revision.";
            String author = text(newest, "author", "someone");
            String when = text(newest, "createdAt", text(newest, "created_at", null));
            String message = text(newest, "message", null);
            return "The server has a newer revision: " + head + ", pushed by " + author + (when == null ? "" : " at " + when)
                    + (message == null ? "" : " (\"" + message + "\")") + "; `storyboard-server project pull " + dir + "` gets it.";
        } catch (ServerClient.BadAnswer e) {
            return e.status() == 404 ? "The server does not have this project (any more): " + e.getMessage()
                    : "Could not ask the server for newer revisions: " + e.getMessage();
        } catch (UserException | IOException e) {
            return "Could not ask the server for newer revisions: " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "Could not ask the server for newer revisions: interrupted";
        }
    }

    // ---- shared

    private void reportSkipped(Scan scan) {
        for (String s : scan.skipped()) out.println("  not pushed: " + s);
    }

    private void listPaths(List<String> lines) {
        for (int i = 0; i < lines.size() && i < LISTED; i++) out.println("  " + lines.get(i));
        if (lines.size() > LISTED) out.printf("  ... and %d more%n", lines.size() - LISTED);
    }

    /** The server's refusal as one user-facing failure, with each problem it listed on a line of its own. */
    private static UserException refusal(String what, ServerClient.BadAnswer e) {
        StringBuilder m = new StringBuilder(what + ": " + e.getMessage());
        JsonNode problems = e.body() == null ? null : e.body().path("problems");
        if (problems != null && problems.size() > 0) {
            m.append(System.lineSeparator()).append("  ").append(problems.size()).append(" problem(s):");
            for (JsonNode p : problems) {
                m.append(System.lineSeparator()).append("  ").append(p.path("path").asText("")).append(": ")
                        .append(p.path("message").asText(""));
            }
        }
        JsonNode missing = e.body() == null ? null : e.body().path("missing");
        if ("missing_blobs".equals(e.error()) && missing != null && missing.size() > 0) {
            m.append(System.lineSeparator()).append("  the server lacks ").append(missing.size())
                    .append(" blob(s): a file changed while pushing? run the push again");
        }
        return new UserException(m.toString());
    }

    static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** A manifest path in a URL: each part encoded, the slashes kept. */
    static String encodePath(String path) {
        List<String> parts = new ArrayList<>();
        for (String part : path.split("/")) parts.add(encode(part));
        return String.join("/", parts);
    }

    static String bytes(long n) {
        return Sizes.human(n);
    }
}
