package storyboard.assets;

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
import storyboard.auth.Actor;
import storyboard.events.EventLog;

/**
 * The {@code blob} table: one row per blob whose bytes are stored, complete and verified. A row and its file
 * change together under the blob's advisory lock ({@link #lock}): recording a new blob publishes its file and
 * inserts the row under it, and garbage collection deletes both under it, so a re-upload racing a deletion
 * never ends as a row without a file.
 */
public final class BlobIndex {
    /** A stored blob. */
    public record Blob(String sha256, long size, String md5, String mediaType, Instant createdAt) {
        public Map<String, Object> toJson() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("sha256", sha256);
            m.put("size", size);
            m.put("md5", md5);
            m.put("media_type", mediaType);
            m.put("created_at", createdAt);
            return m;
        }
    }

    private final Jdbi jdbi;
    private final Md5Backfill md5Backfill;

    /** {@code md5Backfill} computes the MD5 of blobs recorded without one (large uploads); null: none. */
    public BlobIndex(Jdbi jdbi, Md5Backfill md5Backfill) {
        this.jdbi = jdbi;
        this.md5Backfill = md5Backfill;
    }

    public Jdbi jdbi() {
        return jdbi;
    }

    /** Serialises every change of one blob's row and file, across server processes and the gc command. */
    static void lock(Handle h, String sha256) {
        h.createQuery("select 1 from (select pg_advisory_xact_lock(hashtextextended(:key, 0))) l")
                .bind("key", "blob:" + sha256).mapTo(Integer.class).one();
    }

    public Optional<Blob> find(String sha256) {
        return jdbi.withHandle(h -> h.createQuery("select * from blob where sha256 = :sha").bind("sha", sha256)
                .map((rs, ctx) -> new Blob(rs.getString("sha256"), rs.getLong("size"), rs.getString("md5"),
                        rs.getString("media_type"), rs.getObject("created_at", OffsetDateTime.class).toInstant()))
                .findOne());
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

    /** What {@link #record} did. */
    public record Recorded(Blob blob, boolean created) {}

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
                    EventLog.append(h, actor.event("blob.created", staged.sha256(), null,
                            Map.of("size", staged.size(), "media_type", mediaType)));
                }
                Blob blob = h.createQuery("select * from blob where sha256 = :sha").bind("sha", staged.sha256())
                        .map((rs, ctx) -> new Blob(rs.getString("sha256"), rs.getLong("size"), rs.getString("md5"),
                                rs.getString("media_type"), rs.getObject("created_at", OffsetDateTime.class).toInstant()))
                        .one();
                return new Recorded(blob, inserted == 1);
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
