package storyboard.assets;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;
import storyboard.kernel.Actor;
import storyboard.kernel.Change;
import storyboard.kernel.Changes;

/**
 * The {@code blob} table: one row per blob whose bytes are stored, complete and verified. A row and its file
 * change together under the blob's advisory lock ({@link #lock}): recording a new blob publishes its file and
 * inserts the row under it, and garbage collection deletes both under it, so a re-upload racing a deletion
 * never ends as a row without a file.
 */
public final class BlobIndex {
    /** A stored blob, as the API answers it. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Blob(String sha256, long size, String md5, String mediaType, Instant createdAt) {}

    private static final RowMapper<Blob> BLOB = (rs, ctx) -> new Blob(rs.getString("sha256"), rs.getLong("size"),
            rs.getString("md5"), rs.getString("media_type"), rs.getObject("created_at", OffsetDateTime.class).toInstant());

    private final Jdbi jdbi;
    private final Md5Backfill md5Backfill;

    /** {@code md5Backfill} computes the MD5 of blobs recorded without one (large uploads); null: none. */
    public BlobIndex(Jdbi jdbi, Md5Backfill md5Backfill) {
        this.jdbi = jdbi;
        this.md5Backfill = md5Backfill;
    }

    /** Serialises every change of one blob's row and file, across server processes and the gc command. */
    static void lock(Handle h, String sha256) {
        h.createQuery("select 1 from (select pg_advisory_xact_lock(hashtextextended(:key, 0))) l")
                .bind("key", "blob:" + sha256).mapTo(Integer.class).one();
    }

    public Optional<Blob> find(String sha256) {
        return jdbi.withHandle(h -> find(h, sha256));
    }

    private static Optional<Blob> find(Handle h, String sha256) {
        return h.createQuery("select * from blob where sha256 = :sha").bind("sha", sha256).map(BLOB).findOne();
    }

    /** Which of these hashes are stored, with their sizes. */
    public Map<String, Long> sizes(Collection<String> sha256s) {
        if (sha256s.isEmpty()) return Map.of();
        return jdbi.withHandle(h -> {
            Map<String, Long> out = new LinkedHashMap<>();
            h.createQuery("select sha256, size from blob where sha256 = any(:shas)")
                    .bindArray("shas", String.class, List.copyOf(sha256s))
                    .map((rs, ctx) -> Map.entry(rs.getString(1), rs.getLong(2)))
                    .forEach(e -> out.put(e.getKey(), e.getValue()));
            return out;
        });
    }

    /** How many blobs {@link #recordAll} records in one transaction (each holds its advisory lock until the commit). */
    private static final int BATCH = 256;

    /**
     * {@link #record} for many staged blobs at once (distinct hashes): a transaction per {@link #BATCH} of them,
     * each locking its blobs in hash order (so that two batches never deadlock), publishing their files together
     * and inserting their rows in one statement. Staging is not discarded: the caller does it. By hash.
     */
    public Map<String, Recorded> recordAll(FileBlobStore store, List<BlobStore.Staged> staged, Actor actor)
            throws IOException {
        List<BlobStore.Staged> sorted = staged.stream()
                .sorted(java.util.Comparator.comparing(BlobStore.Staged::sha256)).toList();
        Map<String, Recorded> out = new LinkedHashMap<>();
        try {
            for (int from = 0; from < sorted.size(); from += BATCH) {
                List<BlobStore.Staged> batch = sorted.subList(from, Math.min(sorted.size(), from + BATCH));
                out.putAll(jdbi.inTransaction(h -> recordBatch(h, store, batch, actor)));
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        if (md5Backfill != null) {
            for (Recorded r : out.values()) if (r.blob().md5() == null) md5Backfill.submit(r.blob().sha256());
        }
        return out;
    }

    private static Map<String, Recorded> recordBatch(Handle h, FileBlobStore store, List<BlobStore.Staged> batch,
                                                     Actor actor) {
        // Every lock in one statement, in the batch's (hash) order.
        h.createQuery("select count(*) from (select pg_advisory_xact_lock(hashtextextended('blob:' || k, 0)) "
                        + "from unnest(:shas) as k) l")
                .bindArray("shas", String.class, batch.stream().map(BlobStore.Staged::sha256).toList())
                .mapTo(Long.class).one();
        try {
            store.publishAll(batch);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> types = batch.stream().map(st -> MediaSniffer.sniff(st.head())).toList();
        java.util.Set<String> inserted = new java.util.HashSet<>(h.createQuery("""
                        insert into blob (sha256, size, md5, media_type)
                        select * from unnest(:shas, :sizes, :md5s, :types)
                        on conflict (sha256) do nothing returning sha256""")
                .bindArray("shas", String.class, batch.stream().map(BlobStore.Staged::sha256).toList())
                .bindArray("sizes", Long.class, batch.stream().map(BlobStore.Staged::size).toList())
                .bindArray("md5s", String.class, batch.stream().map(BlobStore.Staged::md5).toList())
                .bindArray("types", String.class, types)
                .mapTo(String.class).list());
        List<storyboard.kernel.Change> events = new java.util.ArrayList<>();
        for (int i = 0; i < batch.size(); i++) {
            BlobStore.Staged st = batch.get(i);
            if (inserted.contains(st.sha256())) {
                events.add(Change.of("blob.created", "blob", st.sha256(), null,
                        Map.of("size", st.size(), "media_type", types.get(i))));
            }
        }
        if (!events.isEmpty()) Changes.publish(h, actor, events.toArray(storyboard.kernel.Change[]::new));
        Map<String, Recorded> out = new LinkedHashMap<>();
        h.createQuery("select * from blob where sha256 = any(:shas)")
                .bindArray("shas", String.class, batch.stream().map(BlobStore.Staged::sha256).toList())
                .map(BLOB).forEach(b -> out.put(b.sha256(), new Recorded(b, inserted.contains(b.sha256()))));
        return out;
    }

    /** What {@link #record} did, answered as the blob with {@code created}: whether this request stored it. */
    public record Recorded(@JsonUnwrapped Blob blob, boolean created) {}

    /**
     * Publishes staged bytes and records their row, appending {@code blob.created} when the row is new (a
     * concurrent upload of the same bytes finds the row and records nothing). The staging is discarded after.
     */
    public Recorded record(BlobStore store, BlobStore.Staged staged, Actor actor) throws IOException {
        String mediaType = MediaSniffer.sniff(staged.head());
        try {
            Recorded recorded = jdbi.inTransaction(h -> {
                lock(h, staged.sha256());
                try {
                    store.publish(staged);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                int inserted = h.createUpdate("""
                                insert into blob (sha256, size, md5, media_type) values (:sha, :size, :md5, :type)
                                on conflict (sha256) do nothing""")
                        .bind("sha", staged.sha256()).bind("size", staged.size()).bind("md5", staged.md5())
                        .bind("type", mediaType).execute();
                if (inserted == 1) {
                    Changes.publish(h, actor, Change.of("blob.created", "blob", staged.sha256(), null,
                            Map.of("size", staged.size(), "media_type", mediaType)));
                }
                return new Recorded(find(h, staged.sha256()).orElseThrow(), inserted == 1);
            });
            if (recorded.blob().md5() == null && md5Backfill != null) md5Backfill.submit(staged.sha256());
            return recorded;
        } catch (UncheckedIOException e) {
            throw e.getCause();
        } finally {
            store.discard(staged);
        }
    }
}
