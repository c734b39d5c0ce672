package storyboard.assets;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import storyboard.api.Api;
import storyboard.api.ApiException;
import storyboard.api.HttpBodies;
import storyboard.api.Json;

/**
 * TEMPORARY: a minimal stand-in for the blob API (built on another branch) so that {@code assets scan} can be
 * coded and tested against its two endpoints: {@code POST /api/v1/blobs/check} and {@code PUT /api/v1/blobs/{sha256}}.
 * Delete this class (and its rows in RouteAccess, openapi.yaml and AccessMatrixTest) when the blob API is merged.
 */
public final class TemporaryBlobRoutes {
    static final int MAX_CHECK = 10_000;
    private final AssetBlobs blobs;

    public TemporaryBlobRoutes(AssetRoutes assets) {
        this.blobs = assets.blobs();
    }

    public void register(Api api) {
        api.post("/api/v1/blobs/check", this::check);
        api.put("/api/v1/blobs/{sha256}", this::put);
    }

    /** {@code {"blobs":[{"sha256","size"}]}} → {@code {"missing":[sha256...]}}. */
    private void check(Context ctx) {
        HttpBodies.requireJson(ctx);
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(HttpBodies.read(ctx, 4L << 20));
        } catch (IOException e) {
            throw ApiException.badRequest("invalid_json", "the body is not valid JSON", null);
        }
        if (root == null || !root.isObject() || !root.path("blobs").isArray() || root.size() != 1) {
            throw ApiException.badRequest("invalid_body", "the body must be {\"blobs\": [{\"sha256\": ..., \"size\": ...}]}", null);
        }
        JsonNode list = root.get("blobs");
        if (list.size() > MAX_CHECK) throw ApiException.badRequest("invalid_field", "at most " + MAX_CHECK + " blobs per check", "blobs");
        Set<String> asked = new LinkedHashSet<>();
        for (int i = 0; i < list.size(); i++) {
            JsonNode b = list.get(i);
            String sha = b.path("sha256").asText("");
            if (!b.isObject() || !AssetRoutes.SHA256.matcher(sha).matches()) {
                throw ApiException.badRequest("invalid_field", "blobs[" + i + "].sha256 must be 64 lowercase hexadecimal digits", "blobs");
            }
            asked.add(sha);
        }
        Set<String> known = blobs.known(asked);
        List<String> missing = new ArrayList<>();
        for (String s : asked) if (!known.contains(s)) missing.add(s);
        ctx.json(Map.of("missing", missing));
    }

    /** The raw body, streamed into the store and verified against the hash in the path. */
    private void put(Context ctx) {
        String sha = ctx.pathParam("sha256");
        if (!AssetRoutes.SHA256.matcher(sha).matches()) {
            throw ApiException.badRequest("invalid_parameter", "'sha256' must be 64 lowercase hexadecimal digits", "sha256");
        }
        long declared = ctx.req().getContentLengthLong();
        if (declared > blobs.maxBytes()) {
            throw new ApiException(413, "body_too_large", "the body is larger than the limit of " + blobs.maxBytes()
                    + " bytes (MAX_BLOB_BYTES)");
        }
        boolean existed = blobs.find(sha).isPresent();
        AssetBlobs.Blob b;
        try (InputStream in = ctx.req().getInputStream()) {
            b = blobs.put(in, sha);
        } catch (IOException e) {
            throw ApiException.badRequest("unreadable_body", "the body could not be read: " + e.getMessage(), null);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("sha256", b.sha256());
        body.put("size", b.size());
        body.put("md5", b.md5());
        body.put("media_type", b.mediaType());
        ctx.status(existed ? 200 : 201).json(body);
    }
}
