package storyboard.assets;

import java.io.IOException;
import java.io.InputStream;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import storyboard.kernel.Actor;
import storyboard.kernel.BlobStorage;

/** The blob store as other capabilities use it ({@link BlobStorage}): the same staging, lock and row as the blob API. */
final class StoredBlobs implements BlobStorage {
    private final BlobStore store;
    private final BlobIndex index;
    private final long maxBytes;

    StoredBlobs(BlobStore store, BlobIndex index, long maxBytes) {
        this.store = store;
        this.index = index;
        this.maxBytes = maxBytes;
    }

    @Override
    public Stored put(InputStream in, long expectedSize, String expectedSha256, Actor actor) {
        try {
            BlobStore.Staged staged = store.stage(in, expectedSha256, maxBytes, expectedSize);
            BlobIndex.Recorded r = index.record(store, staged, actor);
            return new Stored(r.blob().sha256(), r.blob().size(), r.created());
        } catch (IOException e) {
            throw BlobRoutes.writeFailure(e);
        }
    }

    @Override
    public Set<String> missing(Collection<String> sha256s) {
        Set<String> missing = new LinkedHashSet<>(sha256s);
        missing.removeAll(index.sizes(missing).keySet());
        return missing;
    }

    @Override
    public Optional<Long> size(String sha256) {
        return index.find(sha256).map(BlobIndex.Blob::size);
    }

    @Override
    public InputStream open(String sha256, long offset) throws IOException {
        return store.open(sha256, offset);
    }

    @Override
    public long maxBytes() {
        return maxBytes;
    }
}
