package storyboard.projects;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.UploadedFile;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jetty.http.MultiPartFormData;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import storyboard.api.ApiException;
import storyboard.api.HttpBodies;
import storyboard.api.JsonBody;
import storyboard.api.RequestParams;
import storyboard.api.RequestText;
import storyboard.kernel.Actor;
import storyboard.kernel.Api;
import storyboard.kernel.BlobStorage;
import storyboard.kernel.DomainException;
import storyboard.kernel.Json;
import storyboard.kernel.Principal;
import storyboard.kernel.Scope;
import storyboard.kernel.Visibility;
import storyboard.projects.ProjectRecords.Project;
import storyboard.projects.ProjectRecords.Report;
import storyboard.projects.ProjectRecords.Revision;

/**
 * {@code /api/v1/projects}: import a package (zip or multipart), read projects, revisions and files, export a
 * revision as a zip, and delta pushes (missing → blobs → revisions) that succeed atomically or answer
 * {@code 409 revision_conflict}. A credential restricted to projects sees only those (404 otherwise).
 */
final class ProjectRoutes {
    private static final Logger LOG = LoggerFactory.getLogger(ProjectRoutes.class);
    static final Pattern SHA256 = Pattern.compile("[0-9a-fA-F]{64}");
    private static final Pattern RANGE = Pattern.compile("bytes=(\\d*)-(\\d*)");
    private static final Pattern IF_MATCH = Pattern.compile("(?:W/)?\"?(\\d{1,9})\"?");
    private static final Set<String> ZIP_TYPES = Set.of("application/zip", "application/x-zip-compressed",
            "application/x-zip");
    /** A pushed manifest's JSON: about 200 bytes a file. */
    private static final long MAX_MANIFEST_BYTES = 32L << 20;
    private static final int MAX_MESSAGE = 10_000;
    private static final int BUFFER = 1 << 16;

    private final ProjectStore store;
    private final BlobStorage blobs;
    private final ProjectImport.Limits limits;
    private final ExecutorService storing;

    ProjectRoutes(ProjectStore store, BlobStorage blobs, ProjectImport.Limits limits, ExecutorService storing) {
        this.store = store;
        this.blobs = blobs;
        this.limits = limits;
        this.storing = storing;
    }

    void register(Api api) {
        String one = "/api/v1/projects/{id}";
        api.post("/api/v1/projects/import", answering(this::importPackage));
        api.get("/api/v1/projects", answering(this::list));
        api.get(one, answering(this::get));
        api.delete(one, answering(this::delete));
        api.get(one + "/revisions", answering(this::revisions));
        api.post(one + "/revisions", answering(this::push));
        api.get(one + "/revisions/{revision}", answering(this::revision));
        api.get(one + "/changes", answering(this::changes));
        api.get(one + "/export", answering(this::export));
        api.get(one + "/files/<path>", answering(this::file));
        api.post(one + "/missing", answering(this::missing));
        api.put(one + "/blobs/{sha256}", answering(this::putBlob));
        api.post(one + "/archive", answering(ctx -> archive(ctx, true)));
        api.post(one + "/unarchive", answering(ctx -> archive(ctx, false)));
        api.post(one + "/restore", answering(this::restore));
    }

    /** Writes a {@link Refusal} with its whole body; every other refusal goes to the server's handlers. */
    private static Handler answering(Handler h) {
        return ctx -> {
            try {
                h.handle(ctx);
            } catch (Refusal r) {
                ctx.status(r.status()).json(r.body());
            }
        };
    }

    // ---- import ----

    private void importPackage(Context ctx) throws IOException {
        Principal principal = Principal.of(ctx);
        String message;
        try {
            message = message(RequestParams.of(ctx, Set.of("message")).string("message"));
        } catch (ApiException e) {
            Bodies.drop(ctx);
            throw e;
        }
        String type = Optional.ofNullable(ctx.header("Content-Type")).orElse("").split(";", 2)[0].trim()
                .toLowerCase(Locale.ROOT);
        Path spooled = null;
        ProjectImport pkg;
        if (ZIP_TYPES.contains(type)) {
            spooled = spool(ctx);
            try {
                pkg = ProjectImport.zip(spooled, limits);
            } catch (IOException | RuntimeException e) {
                Files.deleteIfExists(spooled);
                throw e;
            }
        } else if (type.equals("multipart/form-data")) {
            pkg = ProjectImport.multipart(parts(ctx), limits);
        } else {
            Bodies.drop(ctx);
            throw new ApiException(415, "unsupported_media_type", "send the project as application/zip (a zip of the "
                    + "folder) or multipart/form-data (each part one file, its filename the path)"
                    + (type.isEmpty() ? "" : ", not " + type), "Content-Type");
        }
        try {
            Storyboard.ProjectInfo info = pkg.pkg() == null ? null : pkg.pkg().project();
            if (info != null && !principal.canSee(info.name())) throw invisible(info.name());
            if (!pkg.valid()) throw invalidPackage("the package is not a usable B-Line project", pkg.problems());
            store.liveId(info.name()).ifPresent(id -> {
                throw ProjectStore.exists(info.name(), id);
            });
            Actor actor = Actor.of(ctx);
            List<ProjectFile> files = storeAll(pkg.files(), actor);
            long bytes = files.stream().mapToLong(ProjectFile::size).sum();
            Report report = Report.of(pkg.pkg(), pkg.warnings(), files.size(), bytes);
            ProjectRecords.Imported imported = store.create(actor, info.name(), info.fps(),
                    new ProjectStore.NewRevision(message, ProjectStore.sorted(files), report, pkg.pkg().scenes()));
            ctx.status(201).header("Location", "/api/v1/projects/" + imported.id()).json(imported);
        } finally {
            pkg.close();
            if (spooled != null) Files.deleteIfExists(spooled);
        }
    }

    /**
     * Stores every file of a checked package as a blob, a few at a time: each blob's write waits for the disk to
     * confirm it, so many small files (thumbnails) go several times faster side by side. The first failure is
     * thrown; blobs stored by then stay unreferenced until gc collects them.
     */
    private List<ProjectFile> storeAll(List<ProjectImport.Source> sources, Actor actor) throws IOException {
        List<Future<ProjectFile>> pending = new ArrayList<>();
        for (ProjectImport.Source s : sources) {
            pending.add(storing.submit(() -> {
                try (InputStream in = s.open()) {
                    BlobStorage.Stored stored = blobs.put(in, s.size(), null, actor);
                    return new ProjectFile(s.path(), stored.sha256(), stored.size(), s.mode());
                }
            }));
        }
        List<ProjectFile> files = new ArrayList<>();
        try {
            for (Future<ProjectFile> f : pending) files.add(f.get());
        } catch (ExecutionException e) {
            pending.forEach(f -> f.cancel(true));
            if (e.getCause() instanceof RuntimeException r) throw r;
            if (e.getCause() instanceof IOException io) throw io;
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            pending.forEach(f -> f.cancel(true));
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while storing the package", e);
        }
        return files;
    }

    /** Streams a zip body to a temporary file (checked before anything is stored; removed after). */
    private Path spool(Context ctx) throws IOException {
        long max = limits.maxTotalBytes();
        long declared = ctx.req().getContentLengthLong();
        if (declared > max) {
            Bodies.drop(ctx);
            throw tooLarge(max);
        }
        Path file = Files.createTempFile("storyboard-import-", ".zip");
        boolean kept = false;
        try (InputStream in = ctx.req().getInputStream(); OutputStream out = Files.newOutputStream(file)) {
            byte[] buf = new byte[1 << 18];
            long total = 0;
            int n;
            while (true) {
                try {
                    n = in.read(buf);
                } catch (IOException e) {
                    throw Bodies.unreadable(e);
                }
                if (n < 0) break;
                total += n;
                if (total > max) {
                    Bodies.drop(ctx);
                    throw tooLarge(max);
                }
                out.write(buf, 0, n);
            }
            kept = true;
            return file;
        } catch (IOException e) {
            LOG.error("an imported zip could not be written to {}: {}", file, e.getMessage());
            throw new ApiException(507, "insufficient_storage", "the server could not spool the upload (disk full or "
                    + "a write error); nothing was kept");
        } finally {
            if (!kept) Files.deleteIfExists(file);
        }
    }

    private static ApiException tooLarge(long max) {
        return new ApiException(413, "body_too_large", "the package is larger than the limit of " + max + " bytes");
    }

    /** Every file part of a multipart body (a form field that is no file is refused). */
    private static List<ProjectImport.Part> parts(Context ctx) {
        Map<String, List<UploadedFile>> files;
        Map<String, List<String>> form;
        try {
            files = ctx.uploadedFileMap();
            form = ctx.formParamMap();
        } catch (Exception e) {
            // The failed parse is over: without this Jetty rethrows it when the request completes (a logged 500).
            ctx.req().removeAttribute(MultiPartFormData.class.getName());
            Bodies.drop(ctx);
            StringBuilder chain = new StringBuilder();
            for (Throwable t = e; t != null && chain.length() < 500; t = t.getCause() == t ? null : t.getCause()) {
                chain.append(t.getMessage()).append(' ');
            }
            String m = chain.toString().toLowerCase(Locale.ROOT);
            if (m.contains("too many keys") || m.contains("too many parts")) {
                throw new ApiException(413, "too_many_parts", "the upload has more parts than the server reads in one "
                        + "multipart body (1000): send the project as a zip instead");
            }
            if (m.contains("size") || m.contains("exceed") || m.contains("too large")) {
                throw new ApiException(413, "body_too_large", "the upload is larger than the server's multipart limit "
                        + "(MAX_BLOB_BYTES): send the project as a zip instead");
            }
            LOG.debug("multipart import refused: {}", chain);
            throw ApiException.badRequest("invalid_multipart", "the body is not a well-formed multipart/form-data body", null);
        }
        for (String name : form.keySet()) {
            if (!files.containsKey(name)) {
                throw ApiException.badRequest("unknown_field", "the form field '" + name + "' is not a file: every part "
                        + "is one file of the project, its filename the file's path", name);
            }
        }
        List<ProjectImport.Part> parts = new ArrayList<>();
        for (List<UploadedFile> list : files.values()) {
            for (UploadedFile f : list) {
                parts.add(new ProjectImport.Part() {
                    @Override
                    public String filename() {
                        return f.filename();
                    }

                    @Override
                    public long size() {
                        return f.size();
                    }

                    @Override
                    public InputStream open() {
                        return f.content();
                    }
                });
            }
        }
        return parts;
    }

    private static ApiException invisible(String name) {
        return new ApiException(403, "forbidden", "this credential is restricted to other projects than '" + name + "'");
    }

    static Refusal invalidPackage(String message, List<Storyboard.Problem> problems) {
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("problems", problems);
        return new Refusal(400, "invalid_request", message + " (" + problems.size()
                + (problems.size() == 1 ? " problem" : " problems") + ")", extra);
    }

    private static String message(Optional<String> text) {
        String m = text.map(String::strip).orElse("");
        if (m.length() > MAX_MESSAGE) {
            throw ApiException.badRequest("invalid_parameter", "'message' is longer than " + MAX_MESSAGE + " characters", "message");
        }
        if (m.indexOf('\0') >= 0) throw ApiException.badRequest("invalid_parameter", "'message' holds a NUL character", "message");
        return m;
    }

    // ---- reads ----

    private void list(Context ctx) {
        Principal principal = Principal.of(ctx);
        RequestParams p = RequestParams.of(ctx, Set.of("q", "archived", "include_deleted", "cursor", "limit"));
        Optional<String> q = p.string("q").map(String::strip).filter(s -> !s.isEmpty());
        if (q.isPresent() && q.get().length() > 200) {
            throw ApiException.badRequest("invalid_parameter", "'q' is longer than 200 characters", "q");
        }
        boolean archived = p.oneOf("archived", Set.of("true", "false")).map(Boolean::parseBoolean).orElse(false);
        boolean deleted = includeDeleted(p, principal);
        int limit = p.integer("limit", 50, 1, 500);
        ctx.json(store.list(principal.visibility(), q, archived, deleted, limit, p.string("cursor")));
    }

    private static boolean includeDeleted(RequestParams p, Principal principal) {
        boolean include = p.oneOf("include_deleted", Set.of("true", "false")).map(Boolean::parseBoolean).orElse(false);
        if (include && !principal.may(Scope.ADMIN)) {
            throw new ApiException(403, "forbidden", "only the admin scope may list deleted projects (include_deleted)",
                    "include_deleted");
        }
        return include;
    }

    private void get(Context ctx) {
        RequestParams.of(ctx, Set.of());
        Project p = project(ctx);
        Revision head = store.revision(p.id(), p.headRevision()).orElseThrow();
        ctx.json(ProjectRecords.ProjectDetail.of(p, head, store.manifest(p.id(), p.headRevision())));
    }

    /** The visible live project the path names, or 404. */
    private Project project(Context ctx) {
        UUID id = JsonBody.pathUuid(ctx, "id");
        return store.find(id, Principal.of(ctx).visibility(), false).orElseThrow(() -> ProjectStore.notFound(id));
    }

    private void revisions(Context ctx) {
        RequestParams p = RequestParams.of(ctx, Set.of("cursor", "limit"));
        Project project = project(ctx);
        ctx.json(store.revisions(project.id(), p.integer("limit", 50, 1, 500), p.string("cursor")));
    }

    private void revision(Context ctx) {
        RequestParams.of(ctx, Set.of());
        Project p = project(ctx);
        int n = revisionNumber(ctx.pathParam("revision"), "revision");
        Revision r = existing(p, n);
        ctx.json(ProjectRecords.RevisionDetail.of(p, r, store.manifest(p.id(), n)));
    }

    private static int revisionNumber(String raw, String field) {
        try {
            int n = Integer.parseInt(raw.trim());
            if (n >= 1) return n;
        } catch (NumberFormatException e) {
            // below
        }
        throw ApiException.badRequest("invalid_parameter", "'" + field + "' must be a revision number (1 or more)", field);
    }

    private Revision existing(Project p, int n) {
        return store.revision(p.id(), n).orElseThrow(() -> new ApiException(404, "not_found", "project " + p.id()
                + " has no revision " + n + " (its head is " + p.headRevision() + ")"));
    }

    /** {@code ?revision=N}, or the head. */
    private int revisionParam(RequestParams params, Project p) {
        return params.versionNumber("revision").orElse(p.headRevision());
    }

    private void changes(Context ctx) {
        RequestParams params = RequestParams.of(ctx, Set.of("base", "revision"));
        Project p = project(ctx);
        int base = params.versionNumber("base").orElseThrow(() -> ApiException.badRequest("missing_parameter",
                "'base' (the revision the client has) is required", "base"));
        int to = revisionParam(params, p);
        existing(p, base);
        existing(p, to);
        Map<String, ProjectFile> from = byPath(store.manifest(p.id(), base));
        List<ProjectFile> added = new ArrayList<>();
        List<ProjectFile> modified = new ArrayList<>();
        for (ProjectFile f : store.manifest(p.id(), to)) {
            ProjectFile old = from.remove(f.path());
            if (old == null) added.add(f);
            else if (!old.equals(f)) modified.add(f);
        }
        ctx.json(new ProjectRecords.Changes(base, to, added, modified, List.copyOf(from.keySet())));
    }

    private static Map<String, ProjectFile> byPath(List<ProjectFile> files) {
        Map<String, ProjectFile> m = new LinkedHashMap<>();
        for (ProjectFile f : files) m.put(f.path(), f);
        return m;
    }

    private void export(Context ctx) throws IOException {
        RequestParams params = RequestParams.of(ctx, Set.of("revision"));
        Project p = project(ctx);
        int n = revisionParam(params, p);
        Revision r = existing(p, n);
        List<ProjectFile> files = store.manifest(p.id(), n);
        String folder = ProjectExport.folderName(p.name());
        String filename = folder + "-r" + n + ".zip";
        String ascii = filename.replaceAll("[^A-Za-z0-9._-]", "_");
        ctx.contentType("application/zip");
        ctx.header("Content-Disposition", "attachment; filename=\"" + ascii + "\"; filename*=UTF-8''"
                + URLEncoder.encode(filename, StandardCharsets.UTF_8).replace("+", "%20"));
        ctx.header("Cache-Control", "private, no-cache");
        ctx.status(200);
        try {
            ProjectExport.write(ctx.res().getOutputStream(), folder, files, r.createdAt(), blobs);
        } catch (IOException e) {
            // The answer has begun: the client sees a cut (invalid) zip, never a complete wrong one.
            LOG.warn("export of project {} revision {} stopped: {}", p.id(), n, e.getMessage());
            throw new io.javalin.http.HttpResponseException(500, "export stopped");
        }
    }

    private void file(Context ctx) throws IOException {
        RequestParams params = RequestParams.of(ctx, Set.of("revision"));
        Project p = project(ctx);
        int n = revisionParam(params, p);
        existing(p, n);
        String path = ctx.pathParam("path");
        ProjectFile f = store.file(p.id(), n, path).orElseThrow(() -> new ApiException(404, "not_found",
                "revision " + n + " of project " + p.id() + " has no file " + path));
        String etag = "\"" + f.sha256() + "\"";
        ctx.header("ETag", etag);
        ctx.header("Accept-Ranges", "bytes");
        ctx.header("Cache-Control", params.string("revision").isPresent() ? "private, max-age=31536000, immutable"
                : "private, no-cache");
        ctx.header("Content-Security-Policy", "default-src 'none'; sandbox; frame-ancestors 'none'");
        if (matches(ctx.header("If-None-Match"), etag)) {
            ctx.status(304);
            return;
        }
        long size = f.size();
        long[] range = range(ctx, etag, size);
        ctx.contentType(mediaType(f.path()));
        if (range != null) {
            ctx.status(206).header("Content-Range", "bytes " + range[0] + "-" + range[1] + "/" + size);
        } else {
            ctx.status(200);
            range = new long[] {0, size - 1};
        }
        long length = range[1] - range[0] + 1;
        ctx.res().setContentLengthLong(length);
        if (length <= 0) return;
        try (InputStream in = blobs.open(f.sha256(), range[0])) {
            OutputStream out = ctx.res().getOutputStream();
            byte[] buf = new byte[BUFFER];
            long left = length;
            while (left > 0) {
                int r = in.read(buf, 0, (int) Math.min(buf.length, left));
                if (r < 0) break;
                out.write(buf, 0, r);
                left -= r;
            }
            out.flush();
        }
    }

    /** The one range asked for ({@code [start, end]}), or null for the whole file (also when If-Range differs). */
    private static long[] range(Context ctx, String etag, long size) {
        String range = ctx.header("Range");
        String ifRange = ctx.header("If-Range");
        if (range == null || ifRange != null && !ifRange.trim().equals(etag)) return null;
        Matcher m = RANGE.matcher(range.trim());
        if (!m.matches() || m.group(1).isEmpty() && m.group(2).isEmpty()) return null;
        long start;
        long end = size - 1;
        try {
            if (m.group(1).isEmpty()) {
                long last = Long.parseLong(m.group(2));
                if (last == 0) throw unsatisfiable(ctx, size);
                start = Math.max(0, size - last);
            } else {
                start = Long.parseLong(m.group(1));
                if (!m.group(2).isEmpty()) {
                    long e = Long.parseLong(m.group(2));
                    if (e < start) throw ApiException.badRequest("invalid_range", "the Range ends before it starts", "Range");
                    end = Math.min(end, e);
                }
            }
        } catch (NumberFormatException e) {
            throw unsatisfiable(ctx, size);
        }
        if (start >= size) throw unsatisfiable(ctx, size);
        return new long[] {start, end};
    }

    private static ApiException unsatisfiable(Context ctx, long size) {
        ctx.header("Content-Range", "bytes */" + size);
        return new ApiException(416, "range_not_satisfiable", "the Range is outside the file's " + size + " bytes", "Range");
    }

    private static boolean matches(String ifNoneMatch, String etag) {
        if (ifNoneMatch == null) return false;
        for (String t : ifNoneMatch.split(",")) {
            String tag = t.trim();
            if (tag.startsWith("W/")) tag = tag.substring(2);
            if (tag.equals("*") || tag.equals(etag)) return true;
        }
        return false;
    }

    private static String mediaType(String path) {
        String ext = path.substring(path.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
        return switch (ext) {
            case "json" -> "application/json";
            case "png" -> "image/png";
            case "jpg", "jpeg" -> "image/jpeg";
            case "webp" -> "image/webp";
            case "gif" -> "image/gif";
            case "wav" -> "audio/wav";
            case "mp3" -> "audio/mpeg";
            case "mp4" -> "video/mp4";
            case "txt", "md", "log" -> "text/plain; charset=utf-8";
            default -> "application/octet-stream";
        };
    }

    // ---- delta push ----

    /** A push's request: its base, message and manifest (paths checked, problems collected). */
    private record PushRequest(int base, String message, List<ProjectFile> files, List<Storyboard.Problem> problems) {}

    private PushRequest pushRequest(Context ctx, boolean withMessage) {
        HttpBodies.requireJson(ctx);
        byte[] bytes = HttpBodies.read(ctx, MAX_MANIFEST_BYTES);
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(bytes);
        } catch (IOException e) {
            throw ApiException.badRequest("invalid_json", "the body is not valid JSON", null);
        }
        if (root == null || !root.isObject()) throw ApiException.badRequest("invalid_body", "the body must be a JSON object", null);
        RequestText.checkJson(root);
        Set<String> known = withMessage ? Set.of("baseRevision", "message", "files") : Set.of("baseRevision", "files");
        for (var it = root.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!known.contains(f)) {
                throw ApiException.badRequest("unknown_field", "unknown field '" + f + "' (known: "
                        + String.join(", ", known.stream().sorted().toList()) + ")", f);
            }
        }
        int base = base(ctx, root.get("baseRevision"));
        String message = "";
        if (withMessage && root.hasNonNull("message")) {
            if (!root.get("message").isTextual()) throw ApiException.badRequest("invalid_field", "'message' must be a string", "message");
            message = root.get("message").textValue().strip();
            if (message.length() > MAX_MESSAGE || message.indexOf('\0') >= 0) {
                throw ApiException.badRequest("invalid_field", "'message' must be at most " + MAX_MESSAGE
                        + " characters, without NUL", "message");
            }
        }
        JsonNode list = root.get("files");
        if (list == null || !list.isArray()) {
            throw ApiException.badRequest("missing_field", "'files' (the whole manifest: [{path, sha256, size, mode}]) is required", "files");
        }
        if (list.size() > limits.maxFiles()) {
            throw ApiException.badRequest("invalid_field", "'files' holds more than " + limits.maxFiles() + " files", "files");
        }
        List<ProjectFile> files = new ArrayList<>();
        List<Storyboard.Problem> problems = new ArrayList<>();
        long total = 0;
        for (int i = 0; i < list.size(); i++) {
            ProjectFile f = manifestEntry(list.get(i), "files[" + i + "]");
            String bad = ProjectPaths.problem(f.path());
            if (bad != null) problems.add(new Storyboard.Problem(f.path(), bad));
            else if (f.size() > limits.maxFileBytes()) {
                problems.add(new Storyboard.Problem(f.path(), "larger than the limit of " + limits.maxFileBytes() + " bytes per file"));
            }
            total += f.size();
            files.add(f);
        }
        if (total > limits.maxTotalBytes()) {
            problems.add(new Storyboard.Problem("", "the project holds " + total + " bytes, more than the limit of "
                    + limits.maxTotalBytes()));
        }
        problems.addAll(ProjectPaths.clashes(files.stream().map(ProjectFile::path).toList()));
        return new PushRequest(base, message, files, problems);
    }

    /** The base revision: {@code If-Match: "N"} or {@code baseRevision} (both: they must agree). */
    private static int base(Context ctx, JsonNode field) {
        Integer fromBody = null;
        if (field != null && !field.isNull()) {
            if (!field.isIntegralNumber() || !field.canConvertToInt() || field.intValue() < 1) {
                throw ApiException.badRequest("invalid_field", "'baseRevision' must be a revision number (1 or more)", "baseRevision");
            }
            fromBody = field.intValue();
        }
        Integer fromHeader = null;
        String ifMatch = ctx.header("If-Match");
        if (ifMatch != null) {
            Matcher m = IF_MATCH.matcher(ifMatch.trim());
            if (!m.matches() || Integer.parseInt(m.group(1)) < 1) {
                throw ApiException.badRequest("invalid_header", "If-Match must name the base revision, e.g. If-Match: \"3\"", "If-Match");
            }
            fromHeader = Integer.parseInt(m.group(1));
        }
        if (fromBody != null && fromHeader != null && !fromBody.equals(fromHeader)) {
            throw ApiException.badRequest("invalid_field", "If-Match (" + fromHeader + ") and baseRevision (" + fromBody
                    + ") differ", "baseRevision");
        }
        if (fromBody == null && fromHeader == null) {
            throw new ApiException(428, "base_revision_required", "name the revision the push is based on: "
                    + "'baseRevision' in the body or If-Match: \"N\"", "baseRevision");
        }
        return fromBody != null ? fromBody : fromHeader;
    }

    private static ProjectFile manifestEntry(JsonNode item, String where) {
        if (!item.isObject()) throw ApiException.badRequest("invalid_field", where + " must be an object {path, sha256, size, mode}", where);
        for (var it = item.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!Set.of("path", "sha256", "size", "mode").contains(f)) {
                throw ApiException.badRequest("unknown_field", "unknown field '" + f + "' in " + where
                        + " (known: mode, path, sha256, size)", where + "." + f);
            }
        }
        JsonNode path = item.get("path");
        if (path == null || !path.isTextual()) throw ApiException.badRequest("invalid_field", where + ".path must be a string", where + ".path");
        JsonNode sha = item.get("sha256");
        if (sha == null || !sha.isTextual() || !SHA256.matcher(sha.textValue()).matches()) {
            throw ApiException.badRequest("invalid_field", where + ".sha256 must be 64 hex digits", where + ".sha256");
        }
        JsonNode size = item.get("size");
        if (size == null || !size.isIntegralNumber() || !size.canConvertToLong() || size.longValue() < 0) {
            throw ApiException.badRequest("invalid_field", where + ".size must be a whole number of bytes", where + ".size");
        }
        int mode = ProjectFile.DEFAULT_MODE;
        JsonNode m = item.get("mode");
        if (m != null && !m.isNull()) {
            if (!m.isIntegralNumber() || !m.canConvertToInt() || m.intValue() < 0 || m.intValue() > 0777) {
                throw ApiException.badRequest("invalid_field", where + ".mode must be permission bits from 0 to 511 (0777)", where + ".mode");
            }
            mode = m.intValue();
        }
        return new ProjectFile(path.textValue(), sha.textValue().toLowerCase(Locale.ROOT), size.longValue(), mode);
    }

    /** The blobs of a manifest that the head does not have and the server lacks (each once). */
    private List<ProjectRecords.MissingBlob> missingBlobs(Project p, List<ProjectFile> files) {
        Set<String> known = new HashSet<>();
        for (ProjectFile f : store.manifest(p.id(), p.headRevision())) known.add(f.sha256() + ":" + f.size());
        Map<String, Long> fresh = new LinkedHashMap<>();
        for (ProjectFile f : files) {
            if (!known.contains(f.sha256() + ":" + f.size())) fresh.putIfAbsent(f.sha256(), f.size());
        }
        Set<String> missing = blobs.missing(fresh.keySet());
        List<ProjectRecords.MissingBlob> out = new ArrayList<>();
        List<Storyboard.Problem> wrongSize = new ArrayList<>();
        for (Map.Entry<String, Long> e : fresh.entrySet()) {
            if (missing.contains(e.getKey())) {
                out.add(new ProjectRecords.MissingBlob(e.getKey(), e.getValue()));
            } else {
                long stored = blobs.size(e.getKey()).orElse(e.getValue());
                if (stored != e.getValue()) {
                    for (ProjectFile f : files) {
                        if (f.sha256().equals(e.getKey())) {
                            wrongSize.add(new Storyboard.Problem(f.path(), "its blob " + e.getKey() + " holds " + stored
                                    + " bytes, not " + f.size() + ": the hash or the size is wrong"));
                        }
                    }
                }
            }
        }
        if (!wrongSize.isEmpty()) throw invalidPackage("the manifest does not match the stored blobs", wrongSize);
        return out;
    }

    private void missing(Context ctx) {
        // The body first: a refusal after it leaves nothing unread on the connection.
        PushRequest r = pushRequest(ctx, false);
        RequestParams.of(ctx, Set.of());
        Project project = project(ctx);
        Project p = store.requireHead(project.id(), Principal.of(ctx).visibility(), r.base());
        if (!r.problems().isEmpty()) throw invalidPackage("the manifest is not usable", r.problems());
        ctx.json(new ProjectRecords.Missing(missingBlobs(p, r.files()), p.headRevision()));
    }

    private void putBlob(Context ctx) {
        Project p;
        String sha;
        try {
            RequestParams.of(ctx, Set.of());
            sha = ctx.pathParam("sha256");
            if (!SHA256.matcher(sha).matches()) {
                throw ApiException.badRequest("invalid_parameter", "'sha256' must be 64 hex digits", "sha256");
            }
            sha = sha.toLowerCase(Locale.ROOT);
            p = project(ctx);
            long declared = ctx.req().getContentLengthLong();
            if (declared > blobs.maxBytes()) {
                throw new ApiException(413, "body_too_large", "the file is larger than the limit of " + blobs.maxBytes()
                        + " bytes (MAX_BLOB_BYTES)");
            }
            if (blobs.size(sha).isPresent()) {
                // Content-addressed: stored bytes of this hash can only be these bytes.
                Bodies.skip(ctx);
                ctx.status(200).json(Map.of("sha256", sha, "size", blobs.size(sha).orElseThrow(), "created", false));
                return;
            }
        } catch (ApiException | DomainException e) {
            Bodies.drop(ctx);
            throw e;
        }
        BlobStorage.Stored stored;
        try (InputStream in = ctx.req().getInputStream()) {
            stored = blobs.put(in, ctx.req().getContentLengthLong(), sha, Actor.of(ctx));
        } catch (ApiException e) {
            if (e.status() == 413 || e.status() == 507) Bodies.drop(ctx);
            throw e;
        } catch (IOException e) {
            throw Bodies.unreadable(e);
        }
        LOG.debug("blob {} stored for project {}", sha, p.id());
        ctx.status(stored.created() ? 201 : 200)
                .json(Map.of("sha256", stored.sha256(), "size", stored.size(), "created", stored.created()));
    }

    private void push(Context ctx) throws IOException {
        PushRequest r = pushRequest(ctx, true);
        RequestParams.of(ctx, Set.of());
        Principal principal = Principal.of(ctx);
        Visibility visible = principal.visibility();
        Project project = project(ctx);
        Project p = store.requireHead(project.id(), visible, r.base());
        if (p.archived()) {
            throw DomainException.conflict("archived", "the project '" + p.name() + "' is archived: unarchive it to push");
        }
        if (!r.problems().isEmpty()) throw invalidPackage("the manifest is not usable", r.problems());
        List<ProjectRecords.MissingBlob> missing = missingBlobs(p, r.files());
        if (!missing.isEmpty()) {
            Map<String, Object> extra = new LinkedHashMap<>();
            extra.put("missing", missing);
            throw new Refusal(400, "missing_blobs", missing.size() + " of the manifest's blobs are not stored: upload "
                    + "them (PUT /api/v1/projects/" + p.id() + "/blobs/{sha256}), then commit again", extra);
        }
        List<ProjectImport.Source> sources = new ArrayList<>();
        for (ProjectFile f : r.files()) sources.add(blobSource(f));
        List<Storyboard.Problem> problems = new ArrayList<>();
        Storyboard.Package pkg = ProjectImport.read(sources, limits, problems);
        problems.addAll(pkg.problems());
        if (pkg.project() != null && !principal.canSee(pkg.project().name())) throw invisible(pkg.project().name());
        if (!problems.isEmpty()) throw invalidPackage("the pushed revision is not a usable B-Line project", problems);
        long bytes = r.files().stream().mapToLong(ProjectFile::size).sum();
        Report report = Report.of(pkg, pkg.warnings(), r.files().size(), bytes);
        ProjectRecords.Pushed pushed = store.push(Actor.of(ctx), p.id(), visible, r.base(), pkg.project().name(),
                pkg.project().fps(), new ProjectStore.NewRevision(r.message(), ProjectStore.sorted(r.files()), report,
                        pkg.scenes()));
        ctx.status(pushed.created() ? 201 : 200).header("ETag", "\"" + pushed.revision() + "\"").json(pushed);
    }

    private ProjectImport.Source blobSource(ProjectFile f) {
        return new ProjectImport.Source() {
            @Override
            public String path() {
                return f.path();
            }

            @Override
            public int mode() {
                return f.mode();
            }

            @Override
            public long size() {
                return f.size();
            }

            @Override
            public InputStream open() throws IOException {
                return blobs.open(f.sha256(), 0);
            }
        };
    }

    // ---- lifecycle ----

    private void archive(Context ctx, boolean archive) {
        RequestParams.of(ctx, Set.of());
        UUID id = JsonBody.pathUuid(ctx, "id");
        ctx.json(store.archive(Actor.of(ctx), id, Principal.of(ctx).visibility(), archive));
    }

    private void delete(Context ctx) {
        RequestParams.of(ctx, Set.of());
        UUID id = JsonBody.pathUuid(ctx, "id");
        store.delete(Actor.of(ctx), id, Principal.of(ctx).visibility());
        ctx.status(204);
    }

    private void restore(Context ctx) {
        RequestParams.of(ctx, Set.of());
        UUID id = JsonBody.pathUuid(ctx, "id");
        ctx.json(store.restore(Actor.of(ctx), id, Principal.of(ctx).visibility()));
    }
}
