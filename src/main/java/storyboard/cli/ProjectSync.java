package storyboard.cli;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonInclude.Include;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Pattern;
import storyboard.api.Sizes;
import storyboard.cli.ProjectFolder.Changes;
import storyboard.cli.ProjectFolder.FileEntry;
import storyboard.cli.ProjectFolder.LocalFile;
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
    /** From how many files to write a pull takes the revision's export zip instead (see {@link ProjectPull#useExport}). */
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

    /** See {@link ProjectPull#pull}. */
    int pull(Path dir, String projectArg, Integer revisionArg, boolean force) throws IOException, InterruptedException {
        return new ProjectPull(this, connection, out, err).pull(dir, projectArg, revisionArg, force);
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

    void listPaths(List<String> lines) {
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
