package storyboard.assets;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;
import storyboard.kernel.DomainException;
import storyboard.kernel.Actor;

/**
 * The little the asset registry needs from blob storage: store uploaded bytes and record their {@code blob}
 * row the way the blob API does, and look a blob up.
 */
final class AssetBlobs {
    private final BlobStore store;
    private final BlobIndex index;
    private final long maxBytes;

    AssetBlobs(BlobStore store, BlobIndex index, long maxBytes) {
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
     * {@code expectedSize} may be -1 (unknown), {@code expectedSha256} null.
     */
    BlobIndex.Blob put(InputStream in, long expectedSize, String expectedSha256, Actor actor) {
        try {
            BlobStore.Staged staged = store.stage(in, expectedSha256, maxBytes, expectedSize);
            return index.record(store, staged, actor).blob();
        } catch (BlobStore.HashMismatchException e) {
            throw DomainException.unprocessable("hash_mismatch", e.getMessage() + "; nothing was kept", "sha256");
        } catch (IOException e) {
            throw BlobRoutes.writeFailure(e);
        }
    }

    /** Stores small bytes the server made itself (thumbnails). */
    BlobIndex.Blob put(byte[] bytes, Actor actor) {
        return put(new ByteArrayInputStream(bytes), bytes.length, null, actor);
    }

    Optional<BlobIndex.Blob> find(String sha256) {
        return index.find(sha256);
    }
}
