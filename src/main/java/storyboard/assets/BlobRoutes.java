package storyboard.assets;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import storyboard.api.Api;
import storyboard.api.ApiException;
import storyboard.api.BodyTimeoutException;
import storyboard.api.HttpBodies;
import storyboard.api.Json;
import storyboard.api.ServerBusyException;
import storyboard.auth.Actor;

/**
 * {@code /api/v1/blobs}: content-addressed bytes. {@code POST /check} tells which hashes are missing; {@code PUT}
 * streams a body into the store in constant memory and verifies it; {@code HEAD}/{@code GET} serve it with
 * {@code ETag}, {@code Range} (one range) and {@code If-None-Match}.
 */
public final class BlobRoutes {
    private static final Logger LOG = LoggerFactory.getLogger(BlobRoutes.class);
    static final Pattern SHA256 = Pattern.compile("[0-9a-fA-F]{64}");
    private static final Pattern RANGE = Pattern.compile("bytes=(\\d*)-(\\d*)");
    private static final int MAX_CHECK_ITEMS = 10_000;
    private static final long MAX_CHECK_BYTES = 2 * 1024 * 1024;
    private static final int BUFFER = 1 << 18;

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

    /** {@code {"blobs":[{"sha256":..., "size":...}]}} → which are missing (so the client uploads only those). */
    private void check(Context ctx) {
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
        for (var it = root.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!f.equals("blobs")) throw ApiException.badRequest("unknown_field", "unknown field '" + f + "' (known: blobs)", f);
        }
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
            for (var it = item.fieldNames(); it.hasNext(); ) {
                String f = it.next();
                if (!f.equals("sha256") && !f.equals("size")) {
                    throw ApiException.badRequest("unknown_field", "unknown field '" + f + "' in " + field + " (known: sha256, size)", field + "." + f);
                }
            }
            JsonNode sha = item.get("sha256");
            if (sha == null || !sha.isTextual() || !SHA256.matcher(sha.textValue()).matches()) {
                throw ApiException.badRequest("invalid_field", field + ".sha256 must be 64 hex digits", field + ".sha256");
            }
            JsonNode size = item.get("size");
            Long sz = null;
            if (size != null && !size.isNull()) {
                if (!size.isIntegralNumber() || !size.canConvertToLong() || size.longValue() < 0) {
                    throw ApiException.badRequest("invalid_field", field + ".size must be a whole number of bytes", field + ".size");
                }
                sz = size.longValue();
            }
            asked.put(sha.textValue().toLowerCase(Locale.ROOT), sz);
        }
        Map<String, Long> stored = index.sizes(asked.keySet());
        List<String> missing = new ArrayList<>();
        List<String> present = new ArrayList<>();
        for (Map.Entry<String, Long> e : asked.entrySet()) {
            Long have = stored.get(e.getKey());
            if (have == null) {
                missing.add(e.getKey());
            } else if (e.getValue() != null && !e.getValue().equals(have)) {
                throw new ApiException(422, "size_mismatch", "the blob " + e.getKey() + " is stored with " + have
                        + " bytes, not " + e.getValue() + ": the client's hash or size is wrong", "blobs");
            } else {
                present.add(e.getKey());
            }
        }
        ctx.json(Map.of("missing", missing, "present", present));
    }

    /** Most of a too-large body a client already sending it may push before its 413 (beyond it: the connection closes). */
    private static final long DRAIN_LIMIT = 64L << 20;

    /**
     * Before refusing a body by its declared length: a client that asked "Expect: 100-continue" has sent nothing and
     * gets the 413 at once; one that is already sending gets it after up to {@link #DRAIN_LIMIT} bytes are read and
     * dropped, so that it reads the answer instead of a reset connection.
     */
    private static void refuseUnread(Context ctx, long declared) {
        ctx.header("Connection", "close");
        String expect = ctx.header("Expect");
        if (expect != null && expect.equalsIgnoreCase("100-continue")) return;
        if (declared > DRAIN_LIMIT) return;
        try (InputStream in = ctx.req().getInputStream()) {
            drain(in, declared);
        } catch (IOException ignored) {
            // the client went away; nothing to answer
        }
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
            // A client that did not wait for "100 Continue" is sending it anyway: read and drop it (up to a limit),
            // so that it reads this answer rather than a reset connection.
            String expect = ctx.header("Expect");
            if (expect == null || !expect.equalsIgnoreCase("100-continue")) {
                if (declared > DRAIN_LIMIT) ctx.header("Connection", "close");
                try (InputStream in = ctx.req().getInputStream()) {
                    drain(in, declared >= 0 ? Math.min(declared, DRAIN_LIMIT) : DRAIN_LIMIT);
                } catch (IOException ignored) {
                    // the client went away
                }
            }
            ctx.header("ETag", etag(sha)).status(200).json(withCreated(existing.get(), false));
            return;
        }
        BlobStore.Staged staged;
        try (InputStream in = ctx.req().getInputStream()) {
            try {
                staged = store.stage(in, sha, maxBytes, declared);
            } catch (BlobStore.StorageException | BlobStore.TooLargeException e) {
                // Refused mid-body: let a client that is still sending finish, so that it reads the answer.
                ctx.header("Connection", "close");
                drain(in, DRAIN_LIMIT);
                throw e;
            }
        } catch (IOException e) {
            throw writeFailure(e);
        }
        BlobIndex.Recorded r;
        try {
            r = index.record(store, staged, Actor.of(ctx));
        } catch (IOException e) {
            throw writeFailure(e);
        }
        ctx.header("ETag", etag(sha)).header("Location", "/api/v1/blobs/" + sha)
                .status(r.created() ? 201 : 200).json(withCreated(r.blob(), r.created()));
    }

    private static Map<String, Object> withCreated(BlobIndex.Blob b, boolean created) {
        Map<String, Object> m = b.toJson();
        m.put("created", created);
        return m;
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

    private void serve(Context ctx, boolean body) throws IOException {
        String sha = pathSha(ctx);
        BlobIndex.Blob blob = index.find(sha).orElseThrow(() -> ApiException.notFound("blob " + sha));
        FileChannel channel;
        try {
            channel = store.channel(sha);
        } catch (java.nio.file.NoSuchFileException e) {
            LOG.warn("blob {} has a row but no file", sha);
            throw ApiException.notFound("blob " + sha);
        }
        try (channel) {
            long size = channel.size();
            ctx.header("ETag", etag(sha));
            ctx.header("Accept-Ranges", "bytes");
            ctx.header("Cache-Control", "private, max-age=31536000, immutable");
            ctx.header("Content-Security-Policy", "default-src 'none'; sandbox; frame-ancestors 'none'");
            if (matches(ctx.header("If-None-Match"), sha)) {
                ctx.status(304);
                return;
            }
            long start = 0;
            long end = size - 1;
            String range = ctx.header("Range");
            String ifRange = ctx.header("If-Range");
            boolean partial = false;
            if (range != null && (ifRange == null || ifRange.trim().equals(etag(sha)))) {
                Matcher m = RANGE.matcher(range.trim());
                if (m.matches() && !(m.group(1).isEmpty() && m.group(2).isEmpty())) {
                    try {
                        if (m.group(1).isEmpty()) { // suffix: the last n bytes
                            long n = Long.parseLong(m.group(2));
                            if (n == 0) throw unsatisfiable(ctx, size);
                            start = Math.max(0, size - n);
                        } else {
                            start = Long.parseLong(m.group(1));
                            if (!m.group(2).isEmpty()) end = Math.min(end, Long.parseLong(m.group(2)));
                            if (!m.group(2).isEmpty() && Long.parseLong(m.group(2)) < start) {
                                throw ApiException.badRequest("invalid_range", "the Range ends before it starts", "Range");
                            }
                        }
                    } catch (NumberFormatException e) {
                        throw unsatisfiable(ctx, size);
                    }
                    if (start >= size) throw unsatisfiable(ctx, size);
                    partial = true;
                }
                // Several ranges or another unit: answered with the whole blob, as HTTP allows.
            }
            long length = size == 0 ? 0 : end - start + 1;
            ctx.contentType(blob.mediaType() == null ? MediaSniffer.UNKNOWN : blob.mediaType());
            if (partial) {
                ctx.status(206);
                ctx.header("Content-Range", "bytes " + start + "-" + end + "/" + size);
            } else {
                ctx.status(200);
            }
            ctx.res().setContentLengthLong(length);
            if (!body || length == 0) return;
            channel.position(start);
            OutputStream out = ctx.res().getOutputStream();
            InputStream in = Channels.newInputStream(channel);
            byte[] buf = new byte[BUFFER];
            long left = length;
            while (left > 0) {
                int n = in.read(buf, 0, (int) Math.min(buf.length, left));
                if (n < 0) break;
                out.write(buf, 0, n);
                left -= n;
            }
            out.flush();
        }
    }

    private static ApiException unsatisfiable(Context ctx, long size) {
        ctx.header("Content-Range", "bytes */" + size);
        return new ApiException(416, "range_not_satisfiable", "the Range is outside the blob's " + size + " bytes", "Range");
    }

    /** Whether an If-None-Match header names this blob's ETag (or is {@code *}). */
    static boolean matches(String ifNoneMatch, String sha) {
        if (ifNoneMatch == null) return false;
        Set<String> tags = new LinkedHashSet<>();
        for (String t : ifNoneMatch.split(",")) {
            String tag = t.trim();
            if (tag.startsWith("W/")) tag = tag.substring(2);
            tags.add(tag);
        }
        return tags.contains("*") || tags.contains(etag(sha));
    }
}
