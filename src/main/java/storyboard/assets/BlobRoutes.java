package storyboard.assets;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import storyboard.api.ApiException;
import storyboard.api.Conditional;
import storyboard.api.BodyTimeoutException;
import storyboard.api.HttpBodies;
import storyboard.api.ServerBusyException;
import storyboard.kernel.Actor;
import storyboard.kernel.Api;
import storyboard.kernel.Json;

/**
 * {@code /api/v1/blobs}: content-addressed bytes. {@code POST /check} tells which hashes are missing; {@code PUT}
 * streams a body into the store in constant memory and verifies it; {@code HEAD}/{@code GET} serve it with
 * {@code ETag}, {@code Range} (one range) and {@code If-None-Match}.
 */
public final class BlobRoutes {
    private static final Logger LOG = LoggerFactory.getLogger(BlobRoutes.class);
    static final Pattern SHA256 = Pattern.compile("[0-9a-fA-F]{64}");
    private static final int MAX_CHECK_ITEMS = 10_000;
    private static final long MAX_CHECK_BYTES = 2 * 1024 * 1024;
    /** Most of a too-large body a client already sending it may push before its 413 (beyond it: the connection closes). */
    private static final long DRAIN_LIMIT = 64L << 20;

    private final FileBlobStore store;
    private final BlobIndex index;
    private final long maxBytes;

    public BlobRoutes(FileBlobStore store, BlobIndex index, long maxBytes) {
        this.store = store;
        this.index = index;
        this.maxBytes = maxBytes;
    }

    public void register(Api api) {
        api.post("/api/v1/blobs/check", this::check);
        api.put("/api/v1/blobs/{sha256}", this::put);
        api.head("/api/v1/blobs/{sha256}", ctx -> serve(ctx, false));
        api.get("/api/v1/blobs/{sha256}", ctx -> serve(ctx, true));
    }

    // ---- check ----

    /** The answer of {@code POST /check}: lowercase hashes, in the order asked. */
    record Presence(List<String> missing, List<String> present) {}

    /** {@code {"blobs":[{"sha256":..., "size":...}]}} → which are missing (so the client uploads only those). */
    private void check(Context ctx) {
        Map<String, Long> asked = checkRequest(ctx);
        Map<String, Long> stored = index.sizes(asked.keySet());
        List<String> missing = new ArrayList<>();
        List<String> present = new ArrayList<>();
        asked.forEach((sha, size) -> {
            Long have = stored.get(sha);
            if (have == null) {
                missing.add(sha);
            } else if (size != null && !size.equals(have)) {
                throw new ApiException(422, "size_mismatch", "the blob " + sha + " is stored with " + have
                        + " bytes, not " + size + ": the client's hash or size is wrong", "blobs");
            } else {
                present.add(sha);
            }
        });
        ctx.json(new Presence(missing, present));
    }

    /** The hashes asked about (lowercase), each with the size the client expects (null: any). */
    private static Map<String, Long> checkRequest(Context ctx) {
        HttpBodies.requireJson(ctx);
        byte[] bytes = HttpBodies.read(ctx, MAX_CHECK_BYTES);
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(bytes);
        } catch (IOException e) {
            throw ApiException.badRequest("invalid_json", "the body is not valid JSON", null);
        }
        if (root == null || !root.isObject()) {
            throw ApiException.badRequest("invalid_body", "the body must be a JSON object {\"blobs\": [{\"sha256\": ..., \"size\": ...}]}", null);
        }
        onlyFields(root, Set.of("blobs"), "", "");
        JsonNode list = root.get("blobs");
        if (list == null || !list.isArray()) throw ApiException.badRequest("missing_field", "'blobs' must be an array", "blobs");
        if (list.size() > MAX_CHECK_ITEMS) {
            throw ApiException.badRequest("invalid_field", "'blobs' holds at most " + MAX_CHECK_ITEMS + " items", "blobs");
        }
        Map<String, Long> asked = new LinkedHashMap<>();
        for (int i = 0; i < list.size(); i++) {
            JsonNode item = list.get(i);
            String field = "blobs[" + i + "]";
            if (!item.isObject()) throw ApiException.badRequest("invalid_field", field + " must be an object", field);
            onlyFields(item, Set.of("sha256", "size"), " in " + field, field + ".");
            JsonNode sha = item.get("sha256");
            if (sha == null || !sha.isTextual() || !SHA256.matcher(sha.textValue()).matches()) {
                throw ApiException.badRequest("invalid_field", field + ".sha256 must be 64 hex digits", field + ".sha256");
            }
            asked.put(sha.textValue().toLowerCase(Locale.ROOT), size(item.get("size"), field));
        }
        return asked;
    }

    /** Refuses a field of {@code object} not in {@code known}, named {@code prefix + name} ({@code where} in the message). */
    private static void onlyFields(JsonNode object, Set<String> known, String where, String prefix) {
        for (var it = object.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!known.contains(f)) {
                throw ApiException.badRequest("unknown_field", "unknown field '" + f + "'" + where + " (known: "
                        + String.join(", ", known.stream().sorted().toList()) + ")", prefix + f);
            }
        }
    }

    private static Long size(JsonNode size, String field) {
        if (size == null || size.isNull()) return null;
        if (!size.isIntegralNumber() || !size.canConvertToLong() || size.longValue() < 0) {
            throw ApiException.badRequest("invalid_field", field + ".size must be a whole number of bytes", field + ".size");
        }
        return size.longValue();
    }

    // ---- put ----

    private void put(Context ctx) {
        String sha = pathSha(ctx);
        long declared = ctx.req().getContentLengthLong();
        if (declared > maxBytes) {
            refuseUnread(ctx, declared);
            throw tooLarge(maxBytes);
        }
        Optional<BlobIndex.Blob> existing = index.find(sha);
        if (existing.isPresent() && store.exists(sha)) {
            // Already stored: the body need not be read (content-addressed, so it can only be the same bytes).
            skipBody(ctx, declared);
            ctx.header("ETag", etag(sha)).status(200).json(new BlobIndex.Recorded(existing.get(), false));
            return;
        }
        BlobIndex.Recorded r;
        try {
            r = index.record(store, stage(ctx, sha, declared), Actor.of(ctx));
        } catch (IOException e) {
            throw writeFailure(e);
        }
        ctx.header("ETag", etag(sha)).header("Location", "/api/v1/blobs/" + sha)
                .status(r.created() ? 201 : 200).json(r);
    }

    /** Streams the body into the store's staging, verified against {@code sha}. */
    private BlobStore.Staged stage(Context ctx, String sha, long declared) throws IOException {
        try (InputStream in = ctx.req().getInputStream()) {
            try {
                return store.stage(in, sha, maxBytes, declared);
            } catch (BlobStore.StorageException | BlobStore.TooLargeException e) {
                // Refused mid-body: let a client that is still sending finish, so that it reads the answer.
                ctx.header("Connection", "close");
                drain(in, DRAIN_LIMIT);
                throw e;
            }
        }
    }

    /**
     * Before refusing a body by its declared length: a client that asked "Expect: 100-continue" has sent nothing and
     * gets the 413 at once; one that is already sending gets it after up to {@link #DRAIN_LIMIT} bytes are read and
     * dropped, so that it reads the answer instead of a reset connection.
     */
    private static void refuseUnread(Context ctx, long declared) {
        ctx.header("Connection", "close");
        if (expectsContinue(ctx) || declared > DRAIN_LIMIT) return;
        try (InputStream in = ctx.req().getInputStream()) {
            drain(in, declared);
        } catch (IOException ignored) {
            // the client went away; nothing to answer
        }
    }

    /**
     * A body not needed: a client that did not wait for "100 Continue" is sending it anyway, so it is read and
     * dropped (up to {@link #DRAIN_LIMIT}), for the client to read the answer rather than a reset connection.
     */
    private static void skipBody(Context ctx, long declared) {
        if (expectsContinue(ctx)) return;
        if (declared > DRAIN_LIMIT) ctx.header("Connection", "close");
        try (InputStream in = ctx.req().getInputStream()) {
            drain(in, declared >= 0 ? Math.min(declared, DRAIN_LIMIT) : DRAIN_LIMIT);
        } catch (IOException ignored) {
            // the client went away
        }
    }

    private static boolean expectsContinue(Context ctx) {
        String expect = ctx.header("Expect");
        return expect != null && expect.equalsIgnoreCase("100-continue");
    }

    private static void drain(InputStream in, long limit) {
        byte[] buf = new byte[1 << 16];
        long left = limit;
        int n;
        try {
            while (left > 0 && (n = in.read(buf, 0, (int) Math.min(buf.length, left))) > 0) left -= n;
        } catch (IOException ignored) {
            // the client went away
        }
    }

    /** How a failed write is answered: nothing of it is kept by then. */
    static ApiException writeFailure(IOException e) {
        if (e instanceof UploadMemory.BusyException) return busy();
        if (BodyTimeoutException.isTimeout(e)) return BodyTimeoutException.answer(e, null);
        if (e instanceof BlobStore.HashMismatchException m) {
            return new ApiException(422, "hash_mismatch", m.getMessage() + "; nothing was kept", null);
        }
        if (e instanceof BlobStore.TooLargeException t) return tooLarge(t.max);
        if (e instanceof BlobStore.StorageException s) {
            LOG.error("blob store write failed: {}", s.getMessage());
            return new ApiException(507, "insufficient_storage", "the server could not store the bytes (disk full or a "
                    + "write error); nothing was kept. Try again later or ask an administrator to free space.");
        }
        return ApiException.badRequest("incomplete_body", "the body could not be read to its end (" + e.getMessage()
                + "); nothing was kept", null);
    }

    /** Too many uploads at once for the memory they are received in: the client retries later. */
    static ApiException busy() {
        return new ServerBusyException("the server is receiving as many uploads as its memory allows; nothing was kept, "
                + "retry in a few seconds", UploadMemory.RETRY_AFTER_SECONDS);
    }

    static ApiException tooLarge(long max) {
        return new ApiException(413, "body_too_large", "the blob is larger than the limit of " + max
                + " bytes (MAX_BLOB_BYTES)");
    }

    static String pathSha(Context ctx) {
        String raw = ctx.pathParam("sha256");
        if (!SHA256.matcher(raw).matches()) {
            throw ApiException.badRequest("invalid_parameter", "'sha256' must be 64 hex digits, not '"
                    + (raw.length() > 80 ? raw.substring(0, 80) + "..." : raw) + "'", "sha256");
        }
        return raw.toLowerCase(Locale.ROOT);
    }

    static String etag(String sha) {
        return "\"" + sha + "\"";
    }

    // ---- serve ----

    private void serve(Context ctx, boolean body) throws IOException {
        String sha = pathSha(ctx);
        BlobIndex.Blob blob = index.find(sha).orElseThrow(() -> ApiException.notFound("blob " + sha));
        try (FileChannel channel = channel(sha)) {
            long size = channel.size();
            ctx.header("ETag", etag(sha));
            ctx.header("Accept-Ranges", "bytes");
            ctx.header("Cache-Control", "private, max-age=31536000, immutable");
            ctx.header("Content-Security-Policy", "default-src 'none'; sandbox; frame-ancestors 'none'");
            if (Conditional.notModified(ctx.header("If-None-Match"), etag(sha))) {
                ctx.status(304);
                return;
            }
            Conditional.Bytes bytes = Conditional.requested(ctx, etag(sha), size, "the blob's");
            ctx.contentType(blob.mediaType() == null ? MediaSniffer.UNKNOWN : blob.mediaType());
            bytes.answer(ctx, size);
            if (body && bytes.length() > 0) {
                channel.position(bytes.start());
                bytes.copy(Channels.newInputStream(channel), ctx.res().getOutputStream());
            }
        }
    }

    /** The blob's file; a row without one is logged and answered as not found. */
    private FileChannel channel(String sha) throws IOException {
        try {
            return store.channel(sha);
        } catch (NoSuchFileException e) {
            LOG.warn("blob {} has a row but no file", sha);
            throw ApiException.notFound("blob " + sha);
        }
    }

}
