package storyboard.assets;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;
import storyboard.kernel.Json;

/** The {@code blob_upload} table: resumable uploads and how far each got (durably). */
public final class UploadStore {
    /** An upload; {@code sha256} is set once it completed into a blob. */
    public record Upload(UUID id, long length, long offset, String declaredSha256, Map<String, String> metadata,
                         String sha256, Instant expiresAt) {
        public boolean complete() {
            return sha256 != null;
        }
    }

    private final Jdbi jdbi;

    public UploadStore(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    public void create(Upload u, String createdBy) {
        jdbi.useHandle(h -> h.createUpdate("""
                        insert into blob_upload (id, length, declared_sha256, metadata, expires_at, created_by)
                        values (:id, :length, :declared, cast(:metadata as jsonb), :expires, :by)""")
                .bind("id", u.id()).bind("length", u.length()).bind("declared", u.declaredSha256())
                .bind("metadata", json(u.metadata())).bind("expires", utc(u.expiresAt())).bind("by", createdBy).execute());
    }

    /** The upload, unless unknown or expired. */
    public Optional<Upload> find(UUID id) {
        return jdbi.withHandle(h -> h.createQuery("select * from blob_upload where id = :id and expires_at > now()")
                .bind("id", id).map((rs, ctx) -> read(rs)).findOne());
    }

    /** Moves the durable offset forward (only from {@code from}); false if it had moved meanwhile. */
    public boolean advance(UUID id, long from, long to, Instant expiresAt) {
        return jdbi.withHandle(h -> h.createUpdate("""
                        update blob_upload set upload_offset = :to, updated_at = now(), expires_at = :expires
                        where id = :id and upload_offset = :from""")
                .bind("id", id).bind("from", from).bind("to", to).bind("expires", utc(expiresAt)).execute()) == 1;
    }

    public void complete(UUID id, String sha256) {
        jdbi.useHandle(h -> h.createUpdate("update blob_upload set sha256 = :sha, updated_at = now() where id = :id")
                .bind("id", id).bind("sha", sha256).execute());
    }

    public boolean delete(UUID id) {
        return jdbi.withHandle(h -> h.createUpdate("delete from blob_upload where id = :id").bind("id", id).execute()) == 1;
    }

    /** Uploads whose expiry passed before {@code cutoff}. */
    public List<UUID> expired(Instant cutoff) {
        return jdbi.withHandle(h -> h.createQuery("select id from blob_upload where expires_at < :cutoff")
                .bind("cutoff", utc(cutoff)).mapTo(UUID.class).list());
    }

    private static Upload read(ResultSet rs) throws SQLException {
        Map<String, String> metadata;
        try {
            metadata = Json.MAPPER.readValue(rs.getString("metadata"), new TypeReference<Map<String, String>>() {});
        } catch (JsonProcessingException e) {
            metadata = Map.of();
        }
        return new Upload(rs.getObject("id", UUID.class), rs.getLong("length"), rs.getLong("upload_offset"),
                rs.getString("declared_sha256"), metadata, rs.getString("sha256"),
                rs.getObject("expires_at", OffsetDateTime.class).toInstant());
    }

    private static String json(Map<String, String> m) {
        try {
            return Json.MAPPER.writeValueAsString(m);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static OffsetDateTime utc(Instant i) {
        return OffsetDateTime.ofInstant(i, ZoneOffset.UTC);
    }
}
