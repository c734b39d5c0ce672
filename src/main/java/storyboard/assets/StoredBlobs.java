package storyboard.assets;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import storyboard.kernel.Actor;
import storyboard.kernel.BlobStorage;

/** The blob store as other capabilities use it ({@link BlobStorage}): the same staging, lock and row as the blob API. */
final class StoredBlobs implements BlobStorage {
    private final FileBlobStore store;
    private final BlobIndex index;
    private final long maxBytes;

    StoredBlobs(FileBlobStore store, BlobIndex index, long maxBytes) {
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

    /**
     * Files recorded per transaction. They are recorded as soon as they are written, while the next are being
     * written: the disk waits of both overlap.
     */
    private static final int RECORD_EVERY = 256;

    @Override
    public List<Stored> putAll(List<Source> sources, Actor actor) {
        Map<String, Long> known = index.sizes(sources.stream().map(Source::expectedSha256).filter(Objects::nonNull)
                .collect(java.util.stream.Collectors.toSet()));
        List<CompletableFuture<BlobStore.Staged>> writes = new ArrayList<>(sources.size());
        for (Source s : sources) {
            boolean stored = s.expectedSha256() != null && known.containsKey(s.expectedSha256());
            writes.add(stored ? CompletableFuture.completedFuture(null)
                    : CompletableFuture.supplyAsync(() -> stageQuietly(s), FileBlobStore.BATCH));
        }
        List<BlobStore.Staged> staged = new ArrayList<>(sources.size());
        Map<String, BlobIndex.Recorded> recorded = new java.util.HashMap<>();
        try {
            for (int from = 0; from < writes.size(); from += RECORD_EVERY) {
                Map<String, BlobStore.Staged> fresh = new LinkedHashMap<>(); // the same bytes twice: recorded once
                for (CompletableFuture<BlobStore.Staged> w : writes.subList(from, Math.min(writes.size(), from + RECORD_EVERY))) {
                    BlobStore.Staged st = join(w);
                    staged.add(st);
                    if (st != null && !recorded.containsKey(st.sha256())) fresh.putIfAbsent(st.sha256(), st);
                }
                recorded.putAll(index.recordAll(store, List.copyOf(fresh.values()), actor));
            }
            List<Stored> out = new ArrayList<>(sources.size());
            Set<String> answered = new java.util.HashSet<>();
            for (int i = 0; i < sources.size(); i++) {
                BlobStore.Staged st = staged.get(i);
                if (st == null) {
                    String sha = sources.get(i).expectedSha256();
                    out.add(new Stored(sha, known.get(sha), false));
                } else {
                    BlobIndex.Recorded r = recorded.get(st.sha256());
                    out.add(new Stored(st.sha256(), st.size(), r.created() && answered.add(st.sha256())));
                }
            }
            return out;
        } catch (IOException e) {
            throw BlobRoutes.writeFailure(e);
        } finally {
            // After a failure the writes still running finish first, so that none of their files is left behind.
            for (int i = staged.size(); i < writes.size(); i++) {
                try {
                    staged.add(writes.get(i).join());
                } catch (CompletionException ignored) {
                    // its own file was removed when it failed
                }
            }
            for (BlobStore.Staged st : staged) if (st != null) store.discard(st);
        }
    }

    /** A write's staged file (null: the blob was stored already), or its failure. */
    private static BlobStore.Staged join(CompletableFuture<BlobStore.Staged> write) throws IOException {
        try {
            return write.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof java.io.UncheckedIOException u ? u.getCause() : new IOException(e.getCause());
        }
    }

    /** Writes one source to a staging file, hashing it, and flushes it to the disk. */
    private BlobStore.Staged stageQuietly(Source s) {
        Path part = store.root().resolve("tmp").resolve(UUID.randomUUID() + ".part");
        boolean keep = false;
        try {
            Hasher hasher = new Hasher();
            long size = 0;
            try (InputStream in = s.opener().open();
                 FileChannel out = FileChannel.open(part, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                byte[] buf = new byte[64 * 1024];
                int n;
                while ((n = in.read(buf)) >= 0) {
                    size += n;
                    if (size > maxBytes) throw new BlobStore.TooLargeException(maxBytes);
                    hasher.update(buf, 0, n);
                    ByteBuffer b = ByteBuffer.wrap(buf, 0, n);
                    try {
                        while (b.hasRemaining()) out.write(b);
                    } catch (IOException e) {
                        throw FileBlobStore.storage(e);
                    }
                }
                try {
                    out.force(true);
                } catch (IOException e) {
                    throw FileBlobStore.storage(e);
                }
            }
            String[] digests = hasher.finish();
            if (s.expectedSha256() != null && !s.expectedSha256().equals(digests[0])) {
                throw new BlobStore.HashMismatchException(s.expectedSha256(), digests[0]);
            }
            keep = true;
            return store.adopt(part, digests[0], digests[1], size, hasher.head());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } finally {
            if (!keep) {
                try {
                    Files.deleteIfExists(part);
                } catch (IOException ignored) {
                    // gc removes staging leftovers
                }
            }
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
