package storyboard.projects;

import io.javalin.http.Context;
import io.javalin.http.Handler;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import storyboard.api.ApiException;
import storyboard.api.Conditional;
import storyboard.api.MediaTypes;
import storyboard.api.JsonBody;
import storyboard.api.RequestParams;
import storyboard.kernel.Actor;
import storyboard.kernel.Api;
import storyboard.kernel.BlobStorage;
import storyboard.kernel.Principal;
import storyboard.kernel.Scope;
import storyboard.projects.ProjectRecords.Project;
import storyboard.projects.ProjectRecords.Revision;

/**
 * {@code /api/v1/projects}: read projects, revisions and files, export a revision as a zip, archive, delete and
 * restore. Imports are {@link ProjectImportRoutes}', pushes {@link ProjectPushRoutes}'. A credential restricted to
 * projects sees only those (404 otherwise).
 */
final class ProjectRoutes {
    private static final Logger LOG = LoggerFactory.getLogger(ProjectRoutes.class);
    static final int MAX_MESSAGE = 10_000;

    private final ProjectStore store;
    private final BlobStorage blobs;

    ProjectRoutes(ProjectStore store, BlobStorage blobs) {
        this.store = store;
        this.blobs = blobs;
    }

    void register(Api api) {
        String one = "/api/v1/projects/{id}";
        api.get("/api/v1/projects", answering(this::list));
        api.get(one, answering(this::get));
        api.delete(one, answering(this::delete));
        api.get(one + "/revisions", answering(this::revisions));
        api.get(one + "/revisions/{revision}", answering(this::revision));
        api.get(one + "/changes", answering(this::changes));
        api.get(one + "/export", answering(this::export));
        api.get(one + "/files/<path>", answering(this::file));
        api.post(one + "/archive", answering(ctx -> archive(ctx, true)));
        api.post(one + "/unarchive", answering(ctx -> archive(ctx, false)));
        api.post(one + "/restore", answering(this::restore));
    }

    /** Writes a {@link Refusal} with its whole body; every other refusal goes to the server's handlers. */
    static Handler answering(Handler h) {
        return ctx -> {
            try {
                h.handle(ctx);
            } catch (Refusal r) {
                ctx.status(r.status()).json(r.body());
            }
        };
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
        return project(store, ctx);
    }

    /** The project the path names, if the credential may see it and it is not deleted; else 404. */
    static Project project(ProjectStore store, Context ctx) {
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
        if (Conditional.notModified(ctx.header("If-None-Match"), etag)) {
            ctx.status(304);
            return;
        }
        Conditional.Bytes bytes = Conditional.requested(ctx, etag, f.size(), "the file's");
        ctx.contentType(MediaTypes.byName(f.path()).orElse("application/octet-stream"));
        bytes.answer(ctx, f.size());
        if (bytes.length() <= 0) return;
        try (InputStream in = blobs.open(f.sha256(), bytes.start())) {
            bytes.copy(in, ctx.res().getOutputStream());
        }
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
