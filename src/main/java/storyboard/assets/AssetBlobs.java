package storyboard.assets;

import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import storyboard.api.ApiException;

/**
 * The little the asset registry needs from blob storage: store uploaded bytes and record their {@code blob}
 * row, and look a blob up. Kept in one class so that it can be swapped for the blob API's own code.
 */
final class AssetBlobs {
    /** A stored blob as its row describes it. */
    record Blob(String sha256, long size, String md5, String mediaType) {}

    private final Jdbi jdbi;
    private final BlobStore store;
    private final long maxBytes;

    AssetBlobs(Jdbi jdbi, BlobStore store, long maxBytes) {
        this.jdbi = jdbi;
        this.store = store;
        this.maxBytes = maxBytes;
    }

    BlobStore store() {
        return store;
    }

    long maxBytes() {
        return maxBytes;
    }

    /**
     * Streams {@code in} into the store (constant memory), then records the blob: the row exists only once the
     * bytes are durable. {@code expectedSha256} may be null.
     */
    Blob put(InputStream in, String expectedSha256) {
        BlobStore.Written w;
        try {
            w = store.write(in, expectedSha256, maxBytes);
        } catch (BlobStore.HashMismatchException e) {
            throw new ApiException(422, "hash_mismatch", e.getMessage(), "sha256");
        } catch (BlobStore.TooLargeException e) {
            throw new ApiException(413, "body_too_large", e.getMessage() + " (MAX_BLOB_BYTES)");
        } catch (BlobStore.StorageException e) {
            throw new ApiException(507, "insufficient_storage", "the server could not store the file: " + e.getMessage());
        } catch (IOException e) {
            throw ApiException.badRequest("unreadable_body", "the upload could not be read: " + e.getMessage(), null);
        }
        String mediaType = MediaProbe.probe(() -> store.open(w.sha256(), 0)).mediaType();
        jdbi.useHandle(h -> h.createUpdate("""
                        insert into blob (sha256, size, md5, media_type) values (:sha256, :size, :md5, :mediaType)
                        on conflict (sha256) do nothing""")
                .bind("sha256", w.sha256()).bind("size", w.size()).bind("md5", w.md5()).bind("mediaType", mediaType)
                .execute());
        return find(w.sha256()).orElseThrow();
    }

    /** Stores small bytes the server made itself (thumbnails). */
    Blob put(byte[] bytes) {
        return put(new java.io.ByteArrayInputStream(bytes), null);
    }

    Optional<Blob> find(String sha256) {
        return jdbi.withHandle(h -> h.createQuery("select sha256, size, md5, media_type from blob where sha256 = :s")
                .bind("s", sha256)
                .map((rs, ctx) -> new Blob(rs.getString(1), rs.getLong(2), rs.getString(3), rs.getString(4)))
                .findOne());
    }

    /** Which of these hashes have a blob row. */
    java.util.Set<String> known(java.util.Collection<String> sha256s) {
        if (sha256s.isEmpty()) return java.util.Set.of();
        return jdbi.withHandle(h -> h.createQuery("select sha256 from blob where sha256 = any(:s)")
                .bindArray("s", String.class, sha256s.toArray(String[]::new)).mapTo(String.class).set());
    }
}
