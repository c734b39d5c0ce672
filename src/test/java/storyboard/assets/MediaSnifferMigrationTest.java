package storyboard.assets;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import storyboard.server.Database;
import storyboard.support.TestDatabase;

/**
 * V19 corrects the media types the two old sniffers stored in disagreement: rows written as the old code wrote
 * them on a database at V18, then the current migrations. Rows both old sniffers agreed on are left alone.
 */
class MediaSnifferMigrationTest {
    /** blob type as stored, version type as stored, both expected after V19. */
    private record Row(String blob, String version, String blobAfter, String versionAfter) {}

    @Test
    void theOldDisagreementsAreCorrected() {
        Map<String, Row> rows = new LinkedHashMap<>();
        rows.put("avif", new Row("image/avif", "video/mp4", "image/avif", "image/avif"));
        rows.put("heic", new Row("image/heic", "video/mp4", "image/heic", "image/heic"));
        rows.put("m4a", new Row("audio/mp4", "video/mp4", "audio/mp4", "audio/mp4"));
        rows.put("zip", new Row("application/zip", "application/octet-stream", "application/zip", "application/zip"));
        rows.put("gzip", new Row("application/gzip", "application/octet-stream", "application/gzip", "application/gzip"));
        rows.put("avi", new Row("video/x-msvideo", "application/octet-stream", "video/x-msvideo", "video/x-msvideo"));
        rows.put("mp3", new Row("audio/mpeg", "text/plain", "audio/mpeg", "audio/mpeg"));
        rows.put("json with a NUL", new Row("application/octet-stream", "application/json", "application/octet-stream",
                "application/octet-stream"));
        rows.put("safetensors-ish", new Row("application/octet-stream", "application/vnd.safetensors",
                "application/octet-stream", "application/octet-stream"));
        rows.put("text", new Row("application/octet-stream", "text/plain", "text/plain", "text/plain"));
        // left alone: agreed already, or only the bytes could tell
        rows.put("mp4", new Row("video/mp4", "video/mp4", "video/mp4", "video/mp4"));
        rows.put("png", new Row("image/png", "image/png", "image/png", "image/png"));
        rows.put("json", new Row("application/json", "application/json", "application/json", "application/json"));
        rows.put("unknown", new Row("application/octet-stream", "application/octet-stream", "application/octet-stream",
                "application/octet-stream"));
        rows.put("mpeg or UTF-16", new Row("audio/mpeg", "application/octet-stream", "audio/mpeg", "application/octet-stream"));

        var url = TestDatabase.get().newDatabase();
        try (Database db = Database.open(url, 2)) {
            Flyway.configure().dataSource(db.dataSource()).locations("classpath:db/migration").target("18").load().migrate();
            Jdbi jdbi = db.jdbi();
            Map<String, String> sha = new LinkedHashMap<>();
            jdbi.useHandle(h -> {
                UUID asset = UUID.randomUUID();
                h.execute("insert into asset (id, name, kind) values (?, 'a', 'other')", asset);
                int version = 0;
                for (Map.Entry<String, Row> e : rows.entrySet()) {
                    String s = AssetFixtures.sha256(e.getKey().getBytes());
                    sha.put(e.getKey(), s);
                    h.execute("insert into blob (sha256, size, md5, media_type) values (?, 1, 'x', ?)", s, e.getValue().blob());
                    h.execute("insert into asset_version (asset_id, version, blob_sha256, size, md5, media_type) "
                            + "values (?, ?, ?, 1, 'x', ?)", asset, ++version, s, e.getValue().version());
                }
                // a text blob named by two versions; a blob no version names (left as it was)
                h.execute("insert into asset_version (asset_id, version, blob_sha256, size, md5, media_type) "
                        + "values (?, ?, ?, 1, 'x', 'text/plain')", asset, ++version, sha.get("text"));
                h.execute("insert into blob (sha256, size, md5, media_type) values (?, 1, 'x', 'application/octet-stream')",
                        AssetFixtures.sha256(new byte[] {1}));
            });
            assertThat(db.migrate().migrationsExecuted).isGreaterThanOrEqualTo(1);

            jdbi.useHandle(h -> {
                for (Map.Entry<String, Row> e : rows.entrySet()) {
                    String s = sha.get(e.getKey());
                    assertThat(blobType(h, s)).as("the blob of " + e.getKey()).isEqualTo(e.getValue().blobAfter());
                    assertThat(versionTypes(h, s)).as("the versions of " + e.getKey()).containsOnly(e.getValue().versionAfter());
                }
                assertThat(blobType(h, AssetFixtures.sha256(new byte[] {1}))).isEqualTo("application/octet-stream");
            });

            // run again, it changes nothing
            String again = jdbi.withHandle(h -> h.createQuery(
                    "select script from flyway_schema_history where script like '%__media_types_corrected.sql'")
                    .mapTo(String.class).one());
            String sql = new String(readResource("db/migration/" + again));
            List<String> before = everything(jdbi);
            jdbi.useHandle(h -> h.createScript(sql).execute());
            assertThat(everything(jdbi)).isEqualTo(before);
        }
    }

    private static String blobType(Handle h, String sha) {
        return h.createQuery("select media_type from blob where sha256 = :s").bind("s", sha).mapTo(String.class).one();
    }

    private static List<String> versionTypes(Handle h, String sha) {
        return h.createQuery("select media_type from asset_version where blob_sha256 = :s").bind("s", sha)
                .mapTo(String.class).list();
    }

    private static List<String> everything(Jdbi jdbi) {
        return jdbi.withHandle(h -> h.createQuery("""
                select 'b ' || sha256 || ' ' || coalesce(media_type, '-') from blob
                union all
                select 'v ' || version || ' ' || coalesce(media_type, '-') from asset_version
                order by 1""").mapTo(String.class).list());
    }

    private static byte[] readResource(String name) {
        try (var in = MediaSnifferMigrationTest.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) throw new IllegalStateException(name + " not found");
            return in.readAllBytes();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
