package storyboard.assets;

import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import storyboard.kernel.Api;
import storyboard.api.ApiException;
import storyboard.api.BodyTimeoutException;
import storyboard.api.JsonBody;
import storyboard.kernel.Actor;

/**
 * Resumable uploads: the core of the tus 1.0.0 protocol (https://tus.io/protocols/resumable-upload) with the
 * creation, termination and expiration extensions. {@code POST /api/v1/uploads} creates an upload of a given
 * {@code Upload-Length}; {@code HEAD} tells its durable {@code Upload-Offset}; {@code PATCH} appends
 * {@code application/offset+octet-stream} bytes at that offset; {@code DELETE} abandons it. When the last byte
 * arrives the bytes are verified (against a {@code sha256} in {@code Upload-Metadata}, if given), become a blob,
 * and the answer carries {@code Upload-Sha256}.
 *
 * <p>The partial bytes are in {@code <blob dir>/uploads/<id>.part}. The offset in the database moves only after
 * what it counts was fsynced (at the end of each PATCH, also a cut one, and every 64 MiB), so a restarted server
 * resumes from it; bytes past it (written, not yet counted) are cut off by the next PATCH. Hashing is carried
 * across PATCHes in memory; after a restart the received bytes are hashed again once.
 */
public final class UploadRoutes {
    private static final Logger LOG = LoggerFactory.getLogger(UploadRoutes.class);
    public static final String TUS_VERSION = "1.0.0";
    public static final String OFFSET_TYPE = "application/offset+octet-stream";
    static final Duration EXPIRY = Duration.ofHours(24);
    private static final long CHECKPOINT_BYTES = 64L << 20;
    private static final int BUFFER = 1 << 18;
    private static final int MAX_METADATA_CHARS = 8192;

    private final FileBlobStore store;
    private final BlobIndex index;
    private final UploadStore uploads;
    private final long maxBytes;
    /** Uploads with a PATCH in progress in this process: one at a time each. */
    private final Set<UUID> busy = ConcurrentHashMap.newKeySet();
    /** Hashing carried from one PATCH to the next. */
    private final Map<UUID, Hasher> hashing = new ConcurrentHashMap<>();

    public UploadRoutes(FileBlobStore store, BlobIndex index, UploadStore uploads, long maxBytes) {
        this.store = store;
        this.index = index;
        this.uploads = uploads;
        this.maxBytes = maxBytes;
    }

    public void register(Api api) {
        api.options("/api/v1/uploads", this::options);
        api.post("/api/v1/uploads", this::create);
        api.head("/api/v1/uploads/{id}", this::head);
        api.patch("/api/v1/uploads/{id}", this::patch);
        api.delete("/api/v1/uploads/{id}", this::terminate);
    }

    private void options(Context ctx) {
        ctx.header("Tus-Resumable", TUS_VERSION).header("Tus-Version", TUS_VERSION)
                .header("Tus-Extension", "creation,termination,expiration")
                .header("Tus-Max-Size", String.valueOf(maxBytes)).status(204);
    }

    private void requireTus(Context ctx) {
        ctx.header("Tus-Resumable", TUS_VERSION);
        String v = ctx.header("Tus-Resumable");
        if (!TUS_VERSION.equals(v == null ? null : v.trim())) {
            ctx.header("Tus-Version", TUS_VERSION);
            throw new ApiException(412, "unsupported_tus_version", "send Tus-Resumable: " + TUS_VERSION
                    + (v == null ? "" : " (not " + v + ")"), "Tus-Resumable");
        }
    }

    private void create(Context ctx) throws IOException {
        requireTus(ctx);
        if (ctx.header("Upload-Defer-Length") != null) {
            throw ApiException.badRequest("unsupported", "Upload-Defer-Length is not supported: send Upload-Length", "Upload-Defer-Length");
        }
        long length = longHeader(ctx, "Upload-Length");
        if (length > maxBytes) throw BlobRoutes.tooLarge(maxBytes);
        String rawMetadata = ctx.header("Upload-Metadata");
        Map<String, String> metadata = parseMetadata(rawMetadata);
        String declared = metadata.get("sha256");
        if (declared != null) {
            if (!BlobRoutes.SHA256.matcher(declared).matches()) {
                throw ApiException.badRequest("invalid_header", "Upload-Metadata sha256 must be 64 hex digits", "Upload-Metadata");
            }
            declared = declared.toLowerCase(Locale.ROOT);
        }
        UUID id = UUID.randomUUID();
        Instant expires = Instant.now().plus(EXPIRY);
        Path part = part(id);
        try {
            Files.createFile(part);
        } catch (IOException e) {
            throw BlobRoutes.writeFailure(FileBlobStore.storage(e));
        }
        uploads.create(new UploadStore.Upload(id, length, 0, declared, metadata, null, expires), Actor.of(ctx).describe());
        ctx.header("Location", "/api/v1/uploads/" + id).header("Upload-Expires", httpDate(expires)).header("Upload-Offset", "0");
        if (length == 0) {
            finish(ctx, uploads.find(id).orElseThrow(), new Hasher(store.memory()));
        }
        ctx.status(201);
    }

    private void head(Context ctx) {
        requireTus(ctx);
        UploadStore.Upload u = find(ctx);
        ctx.header("Cache-Control", "no-store").header("Upload-Offset", String.valueOf(u.offset()))
                .header("Upload-Length", String.valueOf(u.length())).header("Upload-Expires", httpDate(u.expiresAt()));
        if (!u.metadata().isEmpty()) ctx.header("Upload-Metadata", formatMetadata(u.metadata()));
        if (u.complete()) ctx.header("Upload-Sha256", u.sha256());
        ctx.status(200);
    }

    private void terminate(Context ctx) throws IOException {
        requireTus(ctx);
        UploadStore.Upload u = find(ctx);
        if (!busy.add(u.id())) throw locked();
        try {
            uploads.delete(u.id());
            hashing.remove(u.id());
            Files.deleteIfExists(part(u.id()));
        } finally {
            busy.remove(u.id());
        }
        ctx.status(204);
    }

    private void patch(Context ctx) throws IOException {
        requireTus(ctx);
        String type = ctx.header("Content-Type");
        if (type == null || !type.split(";", 2)[0].trim().equalsIgnoreCase(OFFSET_TYPE)) {
            throw new ApiException(415, "unsupported_media_type", "a PATCH carries Content-Type: " + OFFSET_TYPE, "Content-Type");
        }
        long offset = longHeader(ctx, "Upload-Offset");
        UploadStore.Upload u = find(ctx);
        if (!busy.add(u.id())) throw locked();
        try {
            u = find(ctx); // again, now that no other PATCH of it runs here
            if (offset != u.offset()) {
                throw new ApiException(409, "offset_mismatch", "the upload is at offset " + u.offset() + ", not " + offset
                        + " (ask with HEAD)", "Upload-Offset");
            }
            if (u.complete()) {
                ctx.header("Upload-Offset", String.valueOf(u.offset())).header("Upload-Sha256", u.sha256()).status(204);
                return;
            }
            long declared = ctx.req().getContentLengthLong();
            if (declared > u.length() - offset) {
                throw ApiException.badRequest("exceeds_length", "the body would take the upload past its Upload-Length of "
                        + u.length(), "Content-Length");
            }
            receive(ctx, u);
        } finally {
            busy.remove(u.id());
        }
    }

    /** What one PATCH appended: the offsets written and counted (durable) by its end, and how its body ended. */
    private record Appended(long written, long durable, IOException cut, boolean tooMuch) {}

    private void receive(Context ctx, UploadStore.Upload u) throws IOException {
        Hasher hasher = hashing.remove(u.id());
        if (hasher == null || hasher.size() != u.offset()) hasher = rehash(part(u.id()), u.offset(), store.memory());
        Appended a;
        try {
            a = append(ctx, u, hasher);
        } catch (IOException e) {
            // The bytes past the durable offset are not counted; the next PATCH cuts them off.
            throw BlobRoutes.writeFailure(FileBlobStore.storage(e));
        } finally {
            hasher.park(); // kept between PATCHes without its buffers
        }
        Instant expires = Instant.now().plus(EXPIRY);
        if (a.written() != a.durable()) advance(u, a.durable(), a.written(), expires);
        hashing.put(u.id(), hasher);
        if (a.cut() != null) throw cutOff(u, a.cut(), a.written());
        ctx.header("Upload-Offset", String.valueOf(a.written())).header("Upload-Expires", httpDate(expires));
        if (a.tooMuch()) {
            throw ApiException.badRequest("exceeds_length", "the body went past the upload's Upload-Length of " + u.length()
                    + "; the bytes up to it were kept", "Content-Length");
        }
        if (a.written() == u.length()) finish(ctx, u, hashing.remove(u.id()));
        ctx.status(204);
    }

    /**
     * Appends the body to the partial file at the durable offset (bytes past it were never counted and are cut
     * off), up to the upload's length, counting what is fsynced every {@link #CHECKPOINT_BYTES}; fsyncs at the end.
     * An IOException is a failed write.
     */
    private Appended append(Context ctx, UploadStore.Upload u, Hasher hasher) throws IOException {
        long durable = u.offset();
        long written = durable;
        try (FileChannel out = FileChannel.open(part(u.id()), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             PatchBody body = new PatchBody(ctx.req().getInputStream(), store.memory())) {
            out.truncate(durable);
            out.position(durable);
            int n;
            while (written < u.length() && (n = body.read(u.length() - written)) >= 0) {
                body.writeTo(out, n);
                hasher.update(body.bytes(), 0, n);
                written += n;
                if (written - durable >= CHECKPOINT_BYTES) {
                    out.force(false);
                    advance(u, durable, written, Instant.now().plus(EXPIRY));
                    durable = written;
                }
            }
            boolean tooMuch = written == u.length() && body.goesOn();
            out.force(false);
            return new Appended(written, durable, body.cut(), tooMuch);
        }
    }

    /** Counts the bytes up to {@code to} as received (they are durable); only this PATCH moves the offset. */
    private void advance(UploadStore.Upload u, long from, long to, Instant expires) {
        if (!uploads.advance(u.id(), from, to, expires)) {
            throw new IllegalStateException("upload " + u.id() + " moved while locked");
        }
    }

    /** A body that ended early: what arrived is kept, and the client resumes from there. */
    private static ApiException cutOff(UploadStore.Upload u, IOException cut, long written) {
        LOG.info("upload {} cut at offset {} of {}", u.id(), written, u.length());
        if (BodyTimeoutException.isTimeout(cut)) {
            return BodyTimeoutException.answer(cut, "the bytes up to Upload-Offset " + written + " were kept: resume from there");
        }
        return ApiException.badRequest("incomplete_body", "the body ended early; resume from Upload-Offset " + written, null);
    }

    /** The last byte arrived: verify, move into the store, record the blob. */
    private void finish(Context ctx, UploadStore.Upload u, Hasher hasher) throws IOException {
        byte[] head = hasher.head();
        long size = hasher.size();
        String[] digests = hasher.finish();
        Path part = part(u.id());
        if (u.declaredSha256() != null && !u.declaredSha256().equals(digests[0])) {
            uploads.delete(u.id());
            Files.deleteIfExists(part);
            throw BlobRoutes.writeFailure(new BlobStore.HashMismatchException(u.declaredSha256(), digests[0]));
        }
        BlobStore.Staged staged = store.adopt(part, digests[0], digests[1], size, head);
        try {
            index.record(store, staged, Actor.of(ctx));
        } catch (IOException e) {
            throw BlobRoutes.writeFailure(e);
        }
        uploads.complete(u.id(), digests[0]);
        ctx.header("Upload-Sha256", digests[0]).header("Upload-Offset", String.valueOf(size));
    }

    /** Hashes the durable part of a partial file again (after a restart, or a failed PATCH). */
    private static Hasher rehash(Path part, long upTo, UploadMemory memory) throws IOException {
        Hasher h = new Hasher(memory);
        if (upTo == 0) return h;
        try (InputStream in = Files.newInputStream(part)) {
            byte[] buf = new byte[BUFFER];
            long left = upTo;
            while (left > 0) {
                int n = in.read(buf, 0, (int) Math.min(buf.length, left));
                if (n < 0) throw new IOException("the partial file of an upload is shorter than its offset");
                h.update(buf, 0, n);
                left -= n;
            }
        }
        return h;
    }

    private UploadStore.Upload find(Context ctx) {
        UUID id = JsonBody.pathUuid(ctx, "id");
        return uploads.find(id).orElseThrow(() -> ApiException.notFound("upload " + id));
    }

    Path part(UUID id) {
        return store.uploads().resolve(id + ".part");
    }

    private static ApiException locked() {
        return new ApiException(423, "upload_locked", "another PATCH of this upload is in progress; retry when it ends");
    }

    private static long longHeader(Context ctx, String name) {
        String v = ctx.header(name);
        if (v == null) throw ApiException.badRequest("missing_header", name + " is required", name);
        try {
            long n = Long.parseLong(v.trim());
            if (n < 0) throw new NumberFormatException();
            return n;
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("invalid_header", name + " must be a whole number of bytes", name);
        }
    }

    /** {@code key base64value,key2,...}: tus metadata, decoded as UTF-8. */
    static Map<String, String> parseMetadata(String raw) {
        Map<String, String> out = new LinkedHashMap<>();
        if (raw == null || raw.isBlank()) return out;
        if (raw.length() > MAX_METADATA_CHARS) {
            throw ApiException.badRequest("invalid_header", "Upload-Metadata is longer than " + MAX_METADATA_CHARS + " characters", "Upload-Metadata");
        }
        for (String pair : raw.split(",")) {
            String[] kv = pair.trim().split(" ", 2);
            String key = kv[0];
            if (!key.matches("[A-Za-z0-9_.\\-]{1,100}") || out.containsKey(key)) {
                throw ApiException.badRequest("invalid_header", "Upload-Metadata keys are distinct, non-empty ASCII words", "Upload-Metadata");
            }
            try {
                out.put(key, kv.length < 2 ? "" : new String(Base64.getDecoder().decode(kv[1].trim()), StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                throw ApiException.badRequest("invalid_header", "Upload-Metadata value of '" + key + "' is not Base64", "Upload-Metadata");
            }
        }
        return out;
    }

    static String formatMetadata(Map<String, String> m) {
        return m.entrySet().stream().map(e -> e.getValue().isEmpty() ? e.getKey()
                        : e.getKey() + " " + Base64.getEncoder().encodeToString(e.getValue().getBytes(StandardCharsets.UTF_8)))
                .collect(Collectors.joining(","));
    }

    private static String httpDate(Instant i) {
        return DateTimeFormatter.RFC_1123_DATE_TIME.format(i.atOffset(ZoneOffset.UTC));
    }
}
