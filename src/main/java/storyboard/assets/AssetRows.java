package storyboard.assets;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;
import org.jdbi.v3.core.mapper.RowMapper;

/** How the asset registry's rows become its records: one mapper per record, the one place that names its columns. */
final class AssetRows {
    private AssetRows() {}

    /** A row of {@code asset}, without its versions. */
    static final RowMapper<Asset> ASSET = (rs, ctx) -> {
        Array tags = rs.getArray("tags");
        return new Asset(rs.getObject("id", UUID.class), rs.getString("name"), rs.getString("kind"),
                rs.getString("project"), rs.getString("scene"), rs.getString("shot"), rs.getString("panel"),
                tags == null ? List.of() : List.of((String[]) tags.getArray()), rs.getString("metadata"),
                time(rs, "created_at"), rs.getString("created_by"), time(rs, "updated_at"), time(rs, "deleted_at"),
                rs.getString("deleted_by"), null, null, null);
    };

    /** A row of {@code asset_version}, without its parents. */
    static final RowMapper<Asset.Version> VERSION = version("");

    /** The columns of {@code asset_version} that {@link #version} reads. */
    private static final List<String> VERSION_COLUMNS = List.of("version", "blob_sha256", "size", "md5", "media_type",
            "declared_media_type", "width", "height", "duration_ms", "thumbnail_sha256", "author", "created_at",
            "prompt_log_id", "prompt_name", "prompt_version", "model", "seed", "job_id");

    /** The select list of a version's columns taken from {@code alias}, each named with {@code prefix}. */
    static String versionColumns(String alias, String prefix) {
        return VERSION_COLUMNS.stream().map(c -> alias + "." + c + " as " + prefix + c).collect(Collectors.joining(", "));
    }

    /** A version whose columns carry {@code prefix} (beside an asset's columns in a list, {@link #versionColumns}). */
    static RowMapper<Asset.Version> version(String prefix) {
        return (rs, ctx) -> new Asset.Version(rs.getInt(prefix + "version"), rs.getString(prefix + "blob_sha256"),
                rs.getLong(prefix + "size"), rs.getString(prefix + "md5"), rs.getString(prefix + "media_type"),
                rs.getString(prefix + "declared_media_type"), rs.getObject(prefix + "width", Integer.class),
                rs.getObject(prefix + "height", Integer.class), rs.getObject(prefix + "duration_ms", Long.class),
                rs.getString(prefix + "thumbnail_sha256"), rs.getString(prefix + "author"), time(rs, prefix + "created_at"),
                new Asset.Provenance(rs.getObject(prefix + "prompt_log_id", UUID.class), rs.getString(prefix + "prompt_name"),
                        rs.getObject(prefix + "prompt_version", Integer.class), rs.getString(prefix + "model"),
                        rs.getObject(prefix + "seed", Long.class), rs.getString(prefix + "job_id")),
                null);
    }

    /** A parent of a version, from a row of {@code asset_version_parent}. */
    static final RowMapper<Asset.Ref> PARENT = (rs, ctx) ->
            new Asset.Ref(rs.getObject("parent_asset_id", UUID.class), rs.getInt("parent_version"));

    /** A version a lineage walk reached: its asset's id, name, kind and project, and the depth. */
    static final RowMapper<Lineage.Step> STEP = (rs, ctx) -> new Lineage.Step(rs.getObject("asset_id", UUID.class),
            rs.getInt("version"), rs.getString("name"), rs.getString("kind"), rs.getString("project"), rs.getInt("depth"));

    /** What a change to an asset names it by: its name, kind and project. */
    record Subject(String name, String kind, String project) {}

    static final RowMapper<Subject> SUBJECT = (rs, ctx) ->
            new Subject(rs.getString("name"), rs.getString("kind"), rs.getString("project"));

    /** A time as PostgreSQL keeps it (microseconds), or null. */
    private static Instant time(ResultSet rs, String column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant().truncatedTo(ChronoUnit.MICROS);
    }
}
