package storyboard.assets;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.jdbi.v3.core.Jdbi;
import storyboard.kernel.Actor;
import storyboard.kernel.Capability;
import storyboard.kernel.Change;
import storyboard.kernel.Changes;

/**
 * Garbage collection of blobs: removes blobs that nothing references ({@link BlobReferences}) and that are older
 * than a grace period, expired resumable uploads, and leftovers of crashes (blob files without a row, staging
 * files, partial files without an upload). Each blob goes in a transaction of its own under its lock: the row is
 * deleted, the deletion audited and its {@code blob.deleted} event appended, the file removed, then the commit.
 */
public final class BlobGc {
    /** A removed (or, in a dry run, removable) blob or file. */
    public record Item(String sha256, long size, String reason) {}

    /** What a run did (or would do). */
    public record Report(boolean dryRun, List<Item> blobs, List<Item> orphanFiles, int expiredUploads,
                         int staleFiles) {}

    private final Jdbi jdbi;
    private final FileBlobStore store;
    private final List<Capability.BlobReference> references;

    /** {@code references}: every capability's columns that hold a blob's SHA-256. */
    public BlobGc(Jdbi jdbi, FileBlobStore store, List<Capability.BlobReference> references) {
        if (references.isEmpty()) throw new IllegalArgumentException("no blob references: every blob would be collected");
        this.jdbi = jdbi;
        this.store = store;
        this.references = List.copyOf(references);
    }

    public Report run(Duration grace, boolean dryRun, Actor actor) throws IOException {
        Instant cutoff = Instant.now().minus(grace);
        List<Item> blobs = unreferencedBlobs(cutoff, dryRun, actor);
        List<Item> orphans = filesWithoutRow(cutoff, dryRun);
        UploadStore uploads = new UploadStore(jdbi);
        List<UUID> expired = uploads.expired(Instant.now());
        int stale = 0;
        if (!dryRun) {
            for (UUID id : expired) {
                uploads.delete(id);
                Files.deleteIfExists(store.uploads().resolve(id + ".part"));
            }
            stale = store.removeStaleStaging(cutoff) + removePartsWithoutUpload(cutoff);
        }
        return new Report(dryRun, blobs, orphans, expired.size(), stale);
    }

    /** The blobs older than {@code cutoff} that nothing references, removed (unless {@code dryRun}). */
    private List<Item> unreferencedBlobs(Instant cutoff, boolean dryRun, Actor actor) {
        OffsetDateTime cut = OffsetDateTime.ofInstant(cutoff, ZoneOffset.UTC);
        String candidates = "select b.sha256, b.size from blob b where b.created_at < :cutoff and "
                + BlobReferences.unreferenced("b", references);
        List<Item> found = jdbi.withHandle(h -> h.createQuery(candidates + " order by b.created_at").bind("cutoff", cut)
                .map((rs, ctx) -> new Item(rs.getString(1), rs.getLong(2), "unreferenced")).list());
        if (dryRun) return found;
        List<Item> removed = new ArrayList<>();
        for (Item item : found) {
            if (deleteBlob(item, candidates, cut, actor)) removed.add(item);
        }
        return removed;
    }

    /**
     * Files older than {@code cutoff} without a row, removed (unless {@code dryRun}): a crash between a deletion's
     * commit and its file removal, or bytes put in by hand.
     */
    private List<Item> filesWithoutRow(Instant cutoff, boolean dryRun) throws IOException {
        List<BlobStore.Stored> old;
        try (Stream<BlobStore.Stored> files = store.list()) {
            old = files.filter(f -> f.modified().isBefore(cutoff)).toList();
        }
        List<Item> orphans = new ArrayList<>();
        for (BlobStore.Stored f : old) {
            boolean orphan = jdbi.inTransaction(h -> {
                BlobIndex.lock(h, f.sha256());
                boolean hasRow = h.createQuery("select count(*) from blob where sha256 = :sha").bind("sha", f.sha256())
                        .mapTo(Integer.class).one() > 0;
                if (hasRow) return false;
                if (!dryRun) {
                    try {
                        store.delete(f.sha256());
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
                return true;
            });
            if (orphan) orphans.add(new Item(f.sha256(), f.size(), "file without a row"));
        }
        return orphans;
    }

    /** Removes partial files older than {@code cutoff} whose upload row is gone (a crash between the two's creation). */
    private int removePartsWithoutUpload(Instant cutoff) throws IOException {
        int removed = 0;
        try (Stream<Path> parts = Files.list(store.uploads())) {
            for (Path p : (Iterable<Path>) parts::iterator) {
                String name = p.getFileName().toString();
                if (!name.endsWith(".part") || !Files.getLastModifiedTime(p).toInstant().isBefore(cutoff)) continue;
                UUID id;
                try {
                    id = UUID.fromString(name.substring(0, name.length() - 5));
                } catch (IllegalArgumentException e) {
                    continue;
                }
                boolean known = jdbi.withHandle(h -> h.createQuery("select count(*) from blob_upload where id = :id")
                        .bind("id", id).mapTo(Integer.class).one() > 0);
                if (!known && Files.deleteIfExists(p)) removed++;
            }
        }
        return removed;
    }

    private boolean deleteBlob(Item item, String candidates, OffsetDateTime cut, Actor actor) {
        return jdbi.inTransaction(h -> {
            BlobIndex.lock(h, item.sha256());
            // Still unreferenced and old, now that no upload of it can run.
            boolean still = h.createQuery(candidates + " and b.sha256 = :sha for update").bind("cutoff", cut)
                    .bind("sha", item.sha256()).mapTo(String.class).findOne().isPresent();
            if (!still) return false;
            h.createUpdate("delete from blob where sha256 = :sha").bind("sha", item.sha256()).execute();
            Map<String, Object> details = Map.of("size", item.size(), "reason", "gc");
            Changes.record(h, actor, Change.of("blob.deleted", "blob", item.sha256(), null, details));
            try {
                store.delete(item.sha256()); // before the commit: a failure keeps the row
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return true;
        });
    }
}
