package storyboard.assets;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import io.javalin.http.UploadedFile;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import storyboard.api.ApiException;
import storyboard.api.JsonBody;
import storyboard.api.RequestParams;
import storyboard.kernel.Actor;
import storyboard.kernel.Api;
import storyboard.kernel.Json;
import storyboard.kernel.Principal;
import storyboard.kernel.Scope;
import storyboard.kernel.Visibility;

/**
 * {@code /api/v1/assets}: named, classified files with immutable numbered versions, their provenance and
 * lineage, soft delete with a grace period, and image thumbnails. A credential restricted to projects sees and
 * changes only those projects' assets; anything else is a 404, as if it did not exist.
 */
final class AssetRoutes {
    static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    static final Pattern MEDIA_TYPE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}"
            + "(\\s*;.{0,200})?");
    static final int MAX_PARENTS = 100;
    static final int MAX_TAGS = 100;
    static final int MAX_DEPTH = 100;

    private static final Set<String> VERSION_FIELDS = Set.of("sha256", "media_type", "author", "prompt_log_id",
            "prompt_name", "prompt_version", "model", "seed", "job_id", "parents");
    private static final Set<String> ASSET_FIELDS = Set.of("name", "kind", "project", "scene", "shot", "panel", "tags",
            "metadata");
    private static final Set<String> CREATE_FIELDS = union(ASSET_FIELDS, VERSION_FIELDS);
    private static final Set<String> PATCH_FIELDS = Set.of("name", "kind", "scene", "shot", "panel", "tags", "metadata");
    static final Set<String> LIST_PARAMS = Set.of("kind", "project", "scene", "shot", "panel", "tag", "name", "q",
            "sha256", "md5", "include_deleted", "limit", "cursor");

    private final AssetStore store;
    private final AssetBlobs blobs;

    AssetRoutes(AssetStore store, AssetBlobs blobs) {
        this.store = store;
        this.blobs = blobs;
    }

    void register(Api api) {
        api.post("/api/v1/assets", this::create);
        api.get("/api/v1/assets", this::list);
        api.get("/api/v1/assets/{id}", this::get);
        api.patch("/api/v1/assets/{id}", this::update);
        api.delete("/api/v1/assets/{id}", this::delete);
        api.post("/api/v1/assets/{id}/versions", this::addVersion);
        api.post("/api/v1/assets/{id}/restore", this::restore);
        api.get("/api/v1/assets/{id}/lineage", ctx -> lineage(ctx, true));
        api.get("/api/v1/assets/{id}/used-by", ctx -> lineage(ctx, false));
        api.get("/api/v1/assets/{id}/thumbnail", this::thumbnail);
    }

    // ---- create and versions ----

    private void create(Context ctx) {
        Principal principal = Principal.of(ctx);
        AssetRequest r = AssetRequest.read(ctx, CREATE_FIELDS, blobs.maxBytes());
        JsonBody body = r.body();
        String name = body.requiredString("name", 1000).strip();
        String kind = kind(body.requiredString("kind", 50));
        String project = projectFor(body.string("project", 200).map(String::strip).filter(s -> !s.isEmpty()), principal);
        AssetStore.NewAsset asset = new AssetStore.NewAsset(name, kind, project, text(body, "scene"), text(body, "shot"),
                text(body, "panel"), tags(body), metadata(body).orElse("{}"));
        AssetStore.NewVersion version = newVersion(r, Actor.of(ctx));
        ctx.status(201).json(store.create(Actor.of(ctx), asset, version, principal.visibility()));
    }

    private void addVersion(Context ctx) {
        Visibility visible = Principal.of(ctx).visibility();
        UUID id = JsonBody.pathUuid(ctx, "id");
        // Refuse before storing an upload for an asset the caller cannot see.
        if (store.get(id, visible, false).isEmpty()) throw notFound(id);
        AssetStore.NewVersion version = newVersion(AssetRequest.read(ctx, VERSION_FIELDS, blobs.maxBytes()), Actor.of(ctx));
        ctx.status(201).json(store.addVersion(Actor.of(ctx), id, version, visible).orElseThrow(() -> notFound(id)));
    }

    /** The version a request describes, its bytes stored (a multipart upload) or found (a blob named in JSON). */
    private AssetStore.NewVersion newVersion(AssetRequest r, Actor actor) {
        JsonBody body = r.body();
        Optional<String> sha = body.string("sha256", 64).map(s -> s.strip().toLowerCase(Locale.ROOT));
        sha.ifPresent(s -> {
            if (!SHA256.matcher(s).matches()) {
                throw ApiException.badRequest("invalid_field", "'sha256' must be 64 hexadecimal digits", "sha256");
            }
        });
        String declared = declaredMediaType(r);
        String author = text(body, "author");
        UUID promptLogId = body.string("prompt_log_id", 40).map(AssetRoutes::promptLogId).orElse(null);
        String promptName = text(body, "prompt_name");
        Integer promptVersion = body.integer("prompt_version", 0, Integer.MAX_VALUE).orElse(null);
        String model = text(body, "model");
        Long seed = body.raw("seed").map(AssetRoutes::seed).orElse(null);
        String jobId = text(body, "job_id");
        List<Asset.Ref> parents = parents(body);
        BlobIndex.Blob blob = r.file() != null ? storeFile(r.file(), sha, actor) : uploaded(sha.orElseThrow());
        MediaProbe.Facts facts = MediaProbe.probe(() -> blobs.store().open(blob.sha256(), 0));
        return new AssetStore.NewVersion(blob, declared, facts, author, promptLogId, promptName, promptVersion, model, seed,
                jobId, parents);
    }

    /** {@code media_type}, else the file part's own type (unless it only says "bytes"). */
    private static String declaredMediaType(AssetRequest r) {
        String declared = r.body().string("media_type", 300).map(String::strip).filter(s -> !s.isEmpty()).orElse(null);
        if (declared == null && r.file() != null && r.file().contentType() != null
                && !r.file().contentType().equalsIgnoreCase("application/octet-stream")) {
            declared = r.file().contentType();
        }
        if (declared != null && !MEDIA_TYPE.matcher(declared).matches()) {
            throw ApiException.badRequest("invalid_field", "'media_type' must be a media type such as image/png", "media_type");
        }
        return declared;
    }

    private static UUID promptLogId(String s) {
        try {
            if (s.length() != 36) throw new IllegalArgumentException();
            return UUID.fromString(s);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("invalid_field", "'prompt_log_id' must be a UUID", "prompt_log_id");
        }
    }

    private static long seed(JsonNode v) {
        if (!v.isIntegralNumber() || !v.canConvertToLong()) {
            throw ApiException.badRequest("invalid_field", "'seed' must be a whole number (64-bit)", "seed");
        }
        return v.longValue();
    }

    /** Stores a multipart upload's file as a blob (checked against {@code sha256}, if given). */
    private BlobIndex.Blob storeFile(UploadedFile file, Optional<String> sha256, Actor actor) {
        try (InputStream in = file.content()) {
            return blobs.put(in, file.size(), sha256.orElse(null), actor);
        } catch (IOException e) {
            throw ApiException.badRequest("unreadable_body", "the upload could not be read: " + e.getMessage(), "file");
        }
    }

    /** A blob uploaded before, that a JSON request names. */
    private BlobIndex.Blob uploaded(String sha256) {
        return blobs.find(sha256).orElseThrow(() -> new ApiException(422, "unknown_blob", "no blob " + sha256
                + " has been uploaded: upload it first (PUT /api/v1/blobs/{sha256}) or send the file as a multipart upload",
                "sha256"));
    }

    private static List<Asset.Ref> parents(JsonBody body) {
        Optional<JsonNode> raw = body.raw("parents");
        if (raw.isEmpty()) return List.of();
        JsonNode a = raw.get();
        if (!a.isArray()) throw invalid("parents", "'parents' must be an array of {\"asset_id\": ..., \"version\": ...}");
        if (a.size() > MAX_PARENTS) throw invalid("parents", "'parents' holds at most " + MAX_PARENTS + " items");
        List<Asset.Ref> out = new ArrayList<>();
        for (int i = 0; i < a.size(); i++) {
            JsonNode p = a.get(i);
            String where = "parents[" + i + "]";
            if (!p.isObject() || p.size() != 2 || !p.has("asset_id") || !p.has("version")) {
                throw invalid("parents", where + " must be {\"asset_id\": \"<uuid>\", \"version\": <number>}");
            }
            UUID id;
            try {
                if (!p.get("asset_id").isTextual() || p.get("asset_id").textValue().length() != 36) throw new IllegalArgumentException();
                id = UUID.fromString(p.get("asset_id").textValue());
            } catch (IllegalArgumentException e) {
                throw invalid("parents", where + ".asset_id must be a UUID");
            }
            JsonNode v = p.get("version");
            if (!v.isIntegralNumber() || !v.canConvertToInt() || v.intValue() < 1) {
                throw invalid("parents", where + ".version must be a whole number from 1");
            }
            out.add(new Asset.Ref(id, v.intValue()));
        }
        return List.copyOf(new LinkedHashSet<>(out));
    }

    // ---- reads ----

    private void list(Context ctx) {
        Principal principal = Principal.of(ctx);
        RequestParams p = RequestParams.of(ctx, LIST_PARAMS);
        AssetStore.Filter filter = filter(p, principal);
        int limit = p.integer("limit", 50, 1, 500);
        ctx.json(store.list(filter, principal.visibility(), includeDeleted(p, principal), limit, p.string("cursor")));
    }

    /** The filters of a listing ({@link #LIST_PARAMS} but limit, cursor and include_deleted), checked; the gallery page reads the same. */
    static AssetStore.Filter filter(RequestParams p, Principal principal) {
        Optional<String> project = p.string("project");
        project.filter(v -> !principal.canSee(v)).ifPresent(v -> {
            throw ApiException.notFound("project '" + v + "'");
        });
        Optional<String> sha = p.string("sha256").map(s -> s.toLowerCase(Locale.ROOT));
        sha.filter(s -> !SHA256.matcher(s).matches()).ifPresent(s -> {
            throw ApiException.badRequest("invalid_parameter", "'sha256' must be 64 hexadecimal digits", "sha256");
        });
        Optional<String> md5 = p.string("md5").map(s -> s.toLowerCase(Locale.ROOT));
        md5.filter(s -> !s.matches("[0-9a-f]{32}")).ifPresent(s -> {
            throw ApiException.badRequest("invalid_parameter", "'md5' must be 32 hexadecimal digits", "md5");
        });
        Optional<String> kind = p.oneOf("kind", AssetStore.KINDS);
        Optional<String> q = query(p);
        return new AssetStore.Filter(kind, project, p.string("scene"), p.string("shot"),
                p.string("panel"), p.string("tag"), p.string("name"), q, sha, md5);
    }

    /** {@code q}, if given: at most 500 characters in at most {@link AssetSearch#MAX_TERMS} terms. */
    private static Optional<String> query(RequestParams p) {
        Optional<String> q = p.string("q").map(String::strip).filter(s -> !s.isEmpty());
        if (q.isPresent() && q.get().length() > 500) {
            throw ApiException.badRequest("invalid_parameter", "'q' is longer than 500 characters", "q");
        }
        if (q.isPresent() && AssetSearch.of(q.get()).terms().size() > AssetSearch.MAX_TERMS) {
            throw ApiException.badRequest("invalid_parameter", "'q' has more than " + AssetSearch.MAX_TERMS
                    + " terms (words separated by spaces)", "q");
        }
        return q;
    }

    private void get(Context ctx) {
        Principal principal = Principal.of(ctx);
        RequestParams p = RequestParams.of(ctx, Set.of("include_deleted"));
        UUID id = JsonBody.pathUuid(ctx, "id");
        ctx.json(store.get(id, principal.visibility(), includeDeleted(p, principal)).orElseThrow(() -> notFound(id)));
    }

    /** Deleted assets show only to admins who ask for them. */
    static boolean includeDeleted(RequestParams p, Principal principal) {
        boolean includeDeleted = p.oneOf("include_deleted", Set.of("true", "false")).map(Boolean::parseBoolean).orElse(false);
        if (includeDeleted && !principal.may(Scope.ADMIN)) {
            throw new ApiException(403, "forbidden", "only the admin scope may list deleted assets (include_deleted)",
                    "include_deleted");
        }
        return includeDeleted;
    }

    private void lineage(Context ctx, boolean up) {
        Visibility visible = Principal.of(ctx).visibility();
        RequestParams p = RequestParams.of(ctx, Set.of("version", "depth"));
        UUID id = JsonBody.pathUuid(ctx, "id");
        Asset asset = store.get(id, visible, false).orElseThrow(() -> notFound(id));
        int version = p.integer("version", 0, 1, Integer.MAX_VALUE);
        int depth = p.integer("depth", 20, 1, MAX_DEPTH);
        List<Integer> all = store.versionNumbers(id);
        List<Integer> versions;
        if (version > 0) {
            if (!all.contains(version)) throw noVersion(id, version);
            versions = List.of(version);
        } else {
            // What it came from: its latest version's ancestry. What was made from it: from any of its versions.
            versions = up ? List.of(all.get(0)) : all;
        }
        ctx.json(new Lineage(id, asset.name(), versions, depth, store.lineage(id, versions, up, depth, visible)));
    }

    private void thumbnail(Context ctx) {
        Visibility visible = Principal.of(ctx).visibility();
        RequestParams p = RequestParams.of(ctx, Set.of("version"));
        UUID id = JsonBody.pathUuid(ctx, "id");
        int requested = p.integer("version", 0, 1, Integer.MAX_VALUE);
        Asset.Version v = store.version(id, requested > 0 ? requested : null, visible)
                .orElseThrow(() -> requested > 0 && store.get(id, visible, false).isPresent()
                        ? noVersion(id, requested) : notFound(id));
        String thumb = v.thumbnailSha256() != null ? v.thumbnailSha256() : makeThumbnail(id, v);
        BlobIndex.Blob blob = blobs.find(thumb).orElseThrow(() -> new ApiException(404, "no_thumbnail", "the thumbnail is missing"));
        String etag = "\"" + thumb + "\"";
        ctx.header("ETag", etag);
        ctx.header("Cache-Control", requested > 0 ? "private, max-age=31536000, immutable" : "private, no-cache");
        String inm = ctx.header("If-None-Match");
        if (inm != null && (inm.equals(etag) || inm.equals("W/" + etag) || inm.strip().equals("*"))) {
            ctx.status(304);
            return;
        }
        try {
            ctx.contentType(blob.mediaType()).result(blobs.store().open(thumb, 0));
        } catch (IOException e) {
            throw new ApiException(404, "no_thumbnail", "the thumbnail's bytes are missing from the blob store");
        }
    }

    /**
     * Made on first request, then kept: scans and uploads stay fast and never decode pictures nobody looks at.
     * Two first requests at once may both make it; the bytes are the same blob and only one is recorded.
     */
    private String makeThumbnail(UUID id, Asset.Version v) {
        String mediaType = v.mediaType();
        if (!Thumbnails.possible(mediaType, v.width(), v.height())) {
            throw new ApiException(404, "no_thumbnail", "version " + v.version() + " of asset " + id + " is "
                    + (mediaType == null ? "of unknown type" : mediaType)
                    + (mediaType != null && mediaType.startsWith("image/") ? " and cannot be previewed" : ", not a picture")
                    + ": it has no thumbnail");
        }
        Optional<Thumbnails.Thumbnail> t;
        try (InputStream in = blobs.store().open(v.sha256(), 0)) {
            t = Thumbnails.make(in, mediaType, v.width(), v.height());
        } catch (IOException e) {
            t = Optional.empty();
        }
        if (t.isEmpty()) {
            throw new ApiException(404, "no_thumbnail", "version " + v.version() + " of asset " + id
                    + " could not be decoded as " + mediaType + ": it has no thumbnail");
        }
        BlobIndex.Blob stored = blobs.put(t.get().bytes(), Actor.server());
        return store.setThumbnail(id, v.version(), stored.sha256());
    }

    // ---- changes ----

    private void update(Context ctx) {
        Principal principal = Principal.of(ctx);
        UUID id = JsonBody.pathUuid(ctx, "id");
        JsonBody body = JsonBody.read(ctx, PATCH_FIELDS);
        Optional<String> name = Optional.empty();
        if (body.names("name")) name = Optional.of(body.requiredString("name", 1000).strip());
        Optional<String> kind = body.names("kind") ? Optional.of(kind(body.requiredString("kind", 50))) : Optional.empty();
        AssetStore.Edits c = new AssetStore.Edits(name, kind, nullable(body, "scene"), nullable(body, "shot"),
                nullable(body, "panel"), body.names("tags") ? Optional.of(tags(body)) : Optional.empty(),
                body.names("metadata") ? Optional.of(metadata(body).orElse("{}")) : Optional.empty());
        if (c.fields().isEmpty()) {
            throw ApiException.badRequest("missing_field", "nothing to change: give name, kind, scene, shot, panel, tags"
                    + " or metadata", null);
        }
        ctx.json(store.update(Actor.of(ctx), id, c, principal.visibility()).orElseThrow(() -> notFound(id)));
    }

    private void delete(Context ctx) {
        Principal principal = Principal.of(ctx);
        UUID id = JsonBody.pathUuid(ctx, "id");
        if (!store.delete(Actor.of(ctx), id, principal.visibility())) throw notFound(id);
        ctx.status(204);
    }

    private void restore(Context ctx) {
        Visibility visible = Principal.of(ctx).visibility();
        UUID id = JsonBody.pathUuid(ctx, "id");
        Optional<Asset> restored = store.restore(Actor.of(ctx), id, visible);
        if (restored.isPresent()) {
            ctx.json(restored.get());
            return;
        }
        if (store.get(id, visible, false).isPresent()) {
            throw new ApiException(409, "not_deleted", "asset " + id + " is not deleted");
        }
        throw notFound(id);
    }

    // ---- field helpers ----

    private static String kind(String raw) {
        String k = raw.strip().toLowerCase(Locale.ROOT);
        if (!AssetStore.KINDS.contains(k)) {
            throw invalid("kind", "'kind' must be one of " + String.join(", ", AssetStore.KINDS.stream().sorted().toList()));
        }
        return k;
    }

    /**
     * The project of a new asset. A credential restricted to projects must name one of them (it may omit it when
     * it has just one); naming another is a 404, as if it did not exist.
     */
    private static String projectFor(Optional<String> project, Principal principal) {
        if (project.isEmpty()) {
            if (!principal.restricted()) return null;
            if (principal.projects().size() == 1) return principal.projects().iterator().next();
            throw ApiException.badRequest("project_required", "this credential may use several projects; name one in 'project'",
                    "project");
        }
        if (!principal.canSee(project.get())) throw ApiException.notFound("project '" + project.get() + "'");
        return project.get();
    }

    private static String text(JsonBody body, String field) {
        return body.string(field, 1000).map(String::strip).filter(s -> !s.isEmpty()).orElse(null);
    }

    private static Optional<Optional<String>> nullable(JsonBody body, String field) {
        if (!body.names(field)) return Optional.empty();
        return Optional.of(Optional.ofNullable(text(body, field)));
    }

    private static List<String> tags(JsonBody body) {
        List<String> tags = body.strings("tags", MAX_TAGS, 100).orElse(List.of());
        return List.copyOf(new LinkedHashSet<>(tags.stream().map(String::strip).toList()));
    }

    private static Optional<String> metadata(JsonBody body) {
        return body.raw("metadata").map(m -> {
            if (!m.isObject()) throw invalid("metadata", "'metadata' must be a JSON object");
            try {
                String s = Json.MAPPER.writeValueAsString(m);
                if (s.indexOf("\\u0000") >= 0) throw invalid("metadata", "'metadata' must not contain NUL characters");
                return s;
            } catch (JsonProcessingException e) {
                throw invalid("metadata", "'metadata' could not be read");
            }
        });
    }

    private static ApiException invalid(String field, String message) {
        return ApiException.badRequest("invalid_field", message, field);
    }

    private static ApiException notFound(UUID id) {
        return ApiException.notFound("asset " + id);
    }

    private static ApiException noVersion(UUID id, int version) {
        return new ApiException(404, "not_found", "asset " + id + " has no version " + version);
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> s = new LinkedHashSet<>(a);
        s.addAll(b);
        return Set.copyOf(s);
    }
}
