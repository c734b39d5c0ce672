package storyboard.assets;

import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import storyboard.kernel.Actor;

/**
 * The little the asset registry needs from blob storage: store uploaded bytes and record their {@code blob}
 * row, and look a blob up. Kept in one class so that it can be swapped for the blob API's own code.
 */
final class AssetBlobs {
    /** A stored blob as its row describes it. */
    record Blob(String sha256, long size, String md5, String mediaType) {}

    private final Jdbi jdbi;
    private final BlobStore store;
    private final BlobIndex index;
    private final long maxBytes;

    AssetBlobs(Jdbi jdbi, BlobStore store, BlobIndex index, long maxBytes) {
        this.jdbi = jdbi;
        this.store = store;
        this.index = index;
        this.maxBytes = maxBytes;
    }

    BlobStore store() {
        return store;
    }

    long maxBytes() {
        return maxBytes;
    }

    /**
     * Streams {@code in} into the store (constant memory) and records the blob the way the blob API does (under
     * the blob's lock, with its {@code blob.created} event): the row exists only once the bytes are durable.
     * {@code expectedSha256} may be null.
     */
    Blob put(InputStream in, String expectedSha256, Actor actor) {
        return put(in, -1, expectedSha256, actor);
    }

    /** As {@link #put(InputStream, String, Actor)}, told the size to expect (-1: unknown). */
    Blob put(InputStream in, long expectedSize, String expectedSha256, Actor actor) {
        try {
            BlobStore.Staged staged = store.stage(in, expectedSha256, maxBytes, expectedSize);
            BlobIndex.Blob b = index.record(store, staged, actor).blob();
            return new Blob(b.sha256(), b.size(), b.md5(), b.mediaType());
        } catch (BlobStore.HashMismatchException e) {
            throw new storyboard.api.ApiException(422, "hash_mismatch", e.getMessage() + "; nothing was kept", "sha256");
        } catch (IOException e) {
            throw BlobRoutes.writeFailure(e);
        }
    }

    /** Stores small bytes the server made itself (thumbnails). */
    Blob put(byte[] bytes, Actor actor) {
        return put(new java.io.ByteArrayInputStream(bytes), bytes.length, null, actor);
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
