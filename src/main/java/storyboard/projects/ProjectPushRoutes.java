package storyboard.projects;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import storyboard.api.ApiException;
import storyboard.api.HttpBodies;
import storyboard.api.RequestParams;
import storyboard.api.RequestText;
import storyboard.kernel.Actor;
import storyboard.kernel.Api;
import storyboard.kernel.BlobStorage;
import storyboard.kernel.DomainException;
import storyboard.kernel.Json;
import storyboard.kernel.Principal;
import storyboard.kernel.Visibility;
import storyboard.projects.ProjectRecords.Project;
import storyboard.projects.ProjectRecords.Report;

/**
 * The delta push: {@code POST .../missing} (which blobs the server lacks), {@code PUT .../blobs/{sha256}} (one of
 * them), {@code POST .../revisions} (the new manifest, committed atomically on its base revision or answered
 * {@code 409 revision_conflict}). A pushed revision is checked like an import.
 */
final class ProjectPushRoutes {
    private static final Logger LOG = LoggerFactory.getLogger(ProjectPushRoutes.class);
    private static final Pattern SHA256 = Pattern.compile("[0-9a-fA-F]{64}");
    private static final Pattern IF_MATCH = Pattern.compile("(?:W/)?\"?(\\d{1,9})\"?");
    /** A pushed manifest's JSON: about 200 bytes a file. */
    private static final long MAX_MANIFEST_BYTES = 32L << 20;
    private final ProjectStore store;
    private final BlobStorage blobs;
    private final ProjectImport.Limits limits;

    ProjectPushRoutes(ProjectStore store, BlobStorage blobs, ProjectImport.Limits limits) {
        this.store = store;
        this.blobs = blobs;
        this.limits = limits;
    }

    void register(Api api) {
        String one = "/api/v1/projects/{id}";
        api.post(one + "/missing", ProjectRoutes.answering(this::missing));
        api.put(one + "/blobs/{sha256}", ProjectRoutes.answering(this::putBlob));
        api.post(one + "/revisions", ProjectRoutes.answering(this::push));
    }


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
            if (message.length() > ProjectRoutes.MAX_MESSAGE || message.indexOf('\0') >= 0) {
                throw ApiException.badRequest("invalid_field", "'message' must be at most " + ProjectRoutes.MAX_MESSAGE
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
        if (!wrongSize.isEmpty()) throw ProjectImportRoutes.invalidPackage("the manifest does not match the stored blobs", wrongSize);
        return out;
    }

    private void missing(Context ctx) {
        // The body first: a refusal after it leaves nothing unread on the connection.
        PushRequest r = pushRequest(ctx, false);
        RequestParams.of(ctx, Set.of());
        Project project = ProjectRoutes.project(store, ctx);
        Project p = store.requireHead(project.id(), Principal.of(ctx).visibility(), r.base());
        if (!r.problems().isEmpty()) throw ProjectImportRoutes.invalidPackage("the manifest is not usable", r.problems());
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
            p = ProjectRoutes.project(store, ctx);
            long declared = ctx.req().getContentLengthLong();
            if (declared > blobs.maxBytes()) {
                throw new ApiException(413, "body_too_large", "the file is larger than the limit of " + blobs.maxBytes()
                        + " bytes (MAX_BLOB_BYTES)");
            }
            if (blobs.size(sha).isPresent()) {
                // Content-addressed: stored bytes of this hash can only be these bytes.
                HttpBodies.skip(ctx);
                ctx.status(200).json(Map.of("sha256", sha, "size", blobs.size(sha).orElseThrow(), "created", false));
                return;
            }
        } catch (ApiException | DomainException e) {
            HttpBodies.drop(ctx);
            throw e;
        }
        BlobStorage.Stored stored;
        try (InputStream in = ctx.req().getInputStream()) {
            stored = blobs.put(in, ctx.req().getContentLengthLong(), sha, Actor.of(ctx));
        } catch (ApiException e) {
            if (e.status() == 413 || e.status() == 507) HttpBodies.drop(ctx);
            throw e;
        } catch (IOException e) {
            throw HttpBodies.unreadable(e);
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
        Project project = ProjectRoutes.project(store, ctx);
        Project p = store.requireHead(project.id(), visible, r.base());
        if (p.archived()) {
            throw DomainException.conflict("archived", "the project '" + p.name() + "' is archived: unarchive it to push");
        }
        if (!r.problems().isEmpty()) throw ProjectImportRoutes.invalidPackage("the manifest is not usable", r.problems());
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
        if (pkg.project() != null && !principal.canSee(pkg.project().name())) throw ProjectImportRoutes.invisible(pkg.project().name());
        if (!problems.isEmpty()) throw ProjectImportRoutes.invalidPackage("the pushed revision is not a usable B-Line project", problems);
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

}
