package storyboard.assets;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import storyboard.cli.Main;
import storyboard.support.TestDatabase;
import storyboard.support.TestLogging;
import storyboard.support.TestServer;

/** {@code gc}: keeps referenced and young blobs, removes old orphans (rows and files), with events and audit. */
class GcTest {
    private static TestServer server;
    private static String databaseUrl;

    @BeforeAll
    static void start() {
        server = TestServer.start(TestDatabase.get().newDatabase(), Map.of());
        databaseUrl = TestDatabase.asSetting(server.app().config().databaseUrl().orElseThrow());
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
        TestLogging.restoreDefault(); // the commands configure logging as the CLI does
    }

    private static String put(long seed) {
        byte[] data = BlobData.bytes(seed, 5000);
        String sha = BlobData.sha256(data);
        assertThat(server.send(server.request("/api/v1/blobs/" + sha).PUT(HttpRequest.BodyPublishers.ofByteArray(data))
                .build()).status()).isEqualTo(201);
        return sha;
    }

    private record Run(int code, String out, String err) {}

    private static Run gc(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            String[] full = new String[args.length + 5];
            full[0] = "gc";
            full[1] = "--database-url";
            full[2] = databaseUrl;
            full[3] = "--blob-dir";
            full[4] = server.app().config().blobDir().toString();
            System.arraycopy(args, 0, full, 5, args.length);
            int code = new CommandLine(new Main()).execute(full);
            return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    private static boolean row(String sha) {
        return server.jdbi().withHandle(h -> h.createQuery("select count(*) from blob where sha256 = :s").bind("s", sha)
                .mapTo(Integer.class).one()) == 1;
    }

    private static Path file(String sha) {
        return server.app().config().blobDir().resolve(sha.substring(0, 2)).resolve(sha.substring(2, 4)).resolve(sha);
    }

    @Test
    void gcKeepsReferencedAndYoungBlobsAndRemovesOldOrphans() throws Exception {
        String used = put(20);
        String thumbnail = put(21);
        String orphan = put(22);
        String young = put(23);
        String declared = put(24); // declared by an unfinished upload
        UUID asset = UUID.randomUUID();
        server.jdbi().useHandle(h -> {
            h.execute("insert into asset (id, name, kind) values (?, 'shot', 'image')", asset);
            h.execute("insert into asset_version (asset_id, version, blob_sha256, size, md5, thumbnail_sha256) "
                    + "values (?, 1, ?, 5000, 'x', ?)", asset, used, thumbnail);
            h.execute("update blob set created_at = now() - interval '2 days' where sha256 <> ?", young);
            h.execute("insert into blob_upload (id, length, declared_sha256, expires_at) values (?, 5000, ?, now() + interval '1 day')",
                    UUID.randomUUID(), declared);
        });
        // A file without a row (a crash between a deletion's commit and its file removal), old enough.
        byte[] stray = BlobData.bytes(25, 100);
        String straySha = BlobData.sha256(stray);
        Files.createDirectories(file(straySha).getParent());
        Files.write(file(straySha), stray);
        Files.setLastModifiedTime(file(straySha), FileTime.from(Instant.now().minus(2, ChronoUnit.DAYS)));

        Run dry = gc("--dry-run");
        assertThat(dry.code()).as(dry.err()).isZero();
        assertThat(dry.out()).contains("would remove blob " + orphan).contains("would remove file " + straySha)
                .doesNotContain(used).doesNotContain(thumbnail).doesNotContain(young).doesNotContain(declared);
        assertThat(row(orphan)).isTrue();
        assertThat(file(straySha)).exists();

        Run real = gc("--grace", "24h");
        assertThat(real.code()).as(real.err()).isZero();
        assertThat(real.out()).contains("removed blob " + orphan).contains("removed file " + straySha);
        assertThat(row(orphan)).isFalse();
        assertThat(file(orphan)).doesNotExist();
        assertThat(file(straySha)).doesNotExist();
        for (String kept : new String[] {used, thumbnail, young, declared}) {
            assertThat(row(kept)).as(kept).isTrue();
            assertThat(file(kept)).exists();
        }
        assertThat(server.get("/api/v1/blobs/" + orphan).status()).isEqualTo(404);
        assertThat(server.get("/api/v1/blobs/" + used).status()).isEqualTo(200);
        String event = server.jdbi().withHandle(h -> h.createQuery(
                "select actor_type || ' ' || payload::text from event where type = 'blob.deleted' and subject_id = :s")
                .bind("s", orphan).mapTo(String.class).one());
        assertThat(event).startsWith("cli ").contains("\"reason\": \"gc\"");
        int audited = server.jdbi().withHandle(h -> h.createQuery(
                "select count(*) from audit_event where action = 'blob.deleted' and target_id = :s").bind("s", orphan)
                .mapTo(Integer.class).one());
        assertThat(audited).isEqualTo(1);

        // The orphan can be uploaded again afterwards.
        assertThat(put(22)).isEqualTo(orphan);
        assertThat(gc("--grace", "bogus").code()).isNotZero();
    }

    @Test
    void gcPurgesAssetsDeletedLongerAgoThanTheRestorePeriodAndThenTheirBlobs() {
        String sha = put(30);
        String recentSha = put(31);
        String expired = server.call(TestServer.TOKEN, "POST", "/api/v1/assets", "{\"name\":\"old.bin\",\"kind\":\"other\","
                + "\"project\":\"purge\",\"sha256\":\"" + sha + "\"}").json().get("id").asText();
        String recent = server.call(TestServer.TOKEN, "POST", "/api/v1/assets", "{\"name\":\"new.bin\",\"kind\":\"other\","
                + "\"project\":\"purge\",\"sha256\":\"" + recentSha + "\"}").json().get("id").asText();
        assertThat(server.call(TestServer.TOKEN, "DELETE", "/api/v1/assets/" + expired, null).status()).isEqualTo(204);
        assertThat(server.call(TestServer.TOKEN, "DELETE", "/api/v1/assets/" + recent, null).status()).isEqualTo(204);
        server.jdbi().useHandle(h -> {
            h.execute("update asset set deleted_at = now() - interval '31 days' where id = ?::uuid", expired);
            h.execute("update blob set created_at = now() - interval '2 days' where sha256 in (?, ?)", sha, recentSha);
        });

        Run dry = gc("--dry-run");
        assertThat(dry.out()).contains("would purge asset " + expired + " old.bin (project purge)").doesNotContain(recent);
        assertThat(server.call(TestServer.TOKEN, "POST", "/api/v1/assets/" + expired + "/restore", null).status()).isEqualTo(410);

        Run run = gc();
        assertThat(run.code()).isZero();
        assertThat(run.out()).contains("purged asset " + expired).contains("removed blob " + sha).doesNotContain(recentSha);
        assertThat(row(sha)).isFalse();
        assertThat(row(recentSha)).isTrue();
        assertThat(server.call(TestServer.TOKEN, "POST", "/api/v1/assets/" + expired + "/restore", null).status()).isEqualTo(404);
        assertThat(server.call(TestServer.TOKEN, "POST", "/api/v1/assets/" + recent + "/restore", null).status()).isEqualTo(200);
        var events = server.call(TestServer.TOKEN, "GET", "/api/v1/events?types=asset.purged", null).json().get("items");
        assertThat(events).extracting(e -> e.get("subject_id").asText()).containsExactly(expired);
        assertThat(server.call(TestServer.TOKEN, "GET", "/api/v1/audit?action=asset.purged&target_id=" + expired, null)
                .json().get("items")).hasSize(1);
    }
}
