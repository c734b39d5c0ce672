package storyboard.assets;

import static org.assertj.core.api.Assertions.assertThat;
import static storyboard.assets.AssetFixtures.image;
import static storyboard.assets.AssetFixtures.md5;
import static storyboard.assets.AssetFixtures.putBlob;
import static storyboard.assets.AssetFixtures.sha256;
import static storyboard.assets.AssetFixtures.upload;

import com.fasterxml.jackson.databind.JsonNode;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.imageio.ImageIO;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import storyboard.support.Contract;
import storyboard.support.TestServer;

/** The asset registry over HTTP: create, versions, filters, changes, soft delete, thumbnails, bad input. */
class AssetsTest {
    private final TestServer server = TestServer.shared();
    private final String project = "assets-" + UUID.randomUUID();
    private static final String T = TestServer.TOKEN;

    private String assetJson(String name, String kind) {
        return "{\"name\":\"" + name + "\",\"kind\":\"" + kind + "\",\"project\":\"" + project + "\"}";
    }

    private List<String> events(String id) {
        return server.jdbi().withHandle(h -> h.createQuery("select type from event where subject_id = :id order by seq")
                .bind("id", id).mapTo(String.class).list());
    }

    @Test
    void aMultipartUploadIsRegisteredWithWhatItsBytesSay() {
        byte[] png = image("png", 600, 300);
        String json = "{\"name\":\"shots/hero.png\",\"kind\":\"image\",\"project\":\"" + project + "\",\"scene\":\"SCENE_001\","
                + "\"shot\":\"SHOT_0010\",\"panel\":\"p1\",\"tags\":[\"hero\",\"final\",\"hero\"],"
                + "\"metadata\":{\"style\":\"noir watercolour\",\"nested\":{\"mood\":\"gloomy\"}},"
                + "\"prompt_log_id\":\"" + UUID.randomUUID() + "\",\"prompt_name\":\"panel-image\",\"prompt_version\":3,"
                + "\"model\":\"sdxl-1.0\",\"seed\":9007199254740993,\"job_id\":\"job-42\"}";
        JsonNode a = upload(server, T, json, "hero.png", "image/png", png).json();
        assertThat(a.get("name").asText()).isEqualTo("shots/hero.png");
        assertThat(a.get("project").asText()).isEqualTo(project);
        assertThat(a.get("tags").toString()).isEqualTo("[\"hero\",\"final\"]");
        assertThat(a.get("metadata").get("nested").get("mood").asText()).isEqualTo("gloomy");
        assertThat(a.get("latest_version").asInt()).isEqualTo(1);
        JsonNode v = a.get("versions").get(0);
        assertThat(v.get("version").asInt()).isEqualTo(1);
        assertThat(v.get("sha256").asText()).isEqualTo(sha256(png));
        assertThat(v.get("md5").asText()).isEqualTo(md5(png));
        assertThat(v.get("size").asLong()).isEqualTo(png.length);
        assertThat(v.get("media_type").asText()).isEqualTo("image/png");
        assertThat(v.get("declared_media_type").asText()).isEqualTo("image/png");
        assertThat(v.get("width").asInt()).isEqualTo(600);
        assertThat(v.get("height").asInt()).isEqualTo(300);
        assertThat(v.get("duration_ms").isNull()).isTrue();
        assertThat(v.get("author").asText()).isEqualTo("AUTH_TOKEN");
        assertThat(v.get("provenance").get("seed").asLong()).isEqualTo(9007199254740993L);
        assertThat(v.get("provenance").get("prompt_version").asInt()).isEqualTo(3);
        assertThat(v.get("provenance").get("job_id").asText()).isEqualTo("job-42");
        assertThat(v.get("parents").size()).isZero();
        assertThat(events(a.get("id").asText())).containsExactly("asset.created");

        // the blob is stored and recorded
        assertThat((String) server.jdbi().withHandle(h -> h.createQuery("select media_type from blob where sha256 = :s")
                .bind("s", sha256(png)).mapTo(String.class).one())).isEqualTo("image/png");
        // get answers the same
        JsonNode got = server.call(T, "GET", "/api/v1/assets/" + a.get("id").asText(), null).json();
        assertThat(got).isEqualTo(a);
    }

    @Test
    void aJsonCreateNamesABlobAlreadyUploaded() {
        byte[] wav = AssetFixtures.wav(1500);
        String sha = sha256(wav);
        TestServer.Response missing = server.call(T, "POST", "/api/v1/assets",
                "{\"name\":\"a.wav\",\"kind\":\"audio\",\"sha256\":\"" + sha + "\"}");
        assertThat(missing.status()).isEqualTo(422);
        assertThat(missing.json().get("error").asText()).isEqualTo("unknown_blob");
        assertThat(missing.json().get("field").asText()).isEqualTo("sha256");

        putBlob(server, T, wav);
        TestServer.Response r = server.call(T, "POST", "/api/v1/assets", "{\"name\":\"a.wav\",\"kind\":\"AUDIO\",\"project\":\""
                + project + "\",\"sha256\":\"" + sha.toUpperCase() + "\",\"media_type\":\"audio/x-wav\"}");
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        JsonNode v = r.json().get("versions").get(0);
        assertThat(r.json().get("kind").asText()).isEqualTo("audio");
        assertThat(v.get("media_type").asText()).isEqualTo("audio/wav");
        assertThat(v.get("declared_media_type").asText()).isEqualTo("audio/x-wav");
        assertThat(v.get("duration_ms").asLong()).isEqualTo(1500);
        assertThat(v.get("width").isNull()).isTrue();

        // the sample project's WAV has a broken header: registered, without a duration
        byte[] broken = Contract.bytes(Contract.root().resolve("b-line/project-sample/assets/audio/line_001.wav"));
        JsonNode b = upload(server, T, assetJson("line_001.wav", "audio"), "line_001.wav", "audio/wav", broken).json();
        assertThat(b.get("versions").get(0).get("duration_ms").isNull()).isTrue();
        assertThat(server.call(T, "GET", "/api/v1/assets/" + b.get("id").asText() + "/thumbnail", null).json()
                .get("error").asText()).isEqualTo("no_thumbnail");
    }

    @Test
    void theBlobAndTheVersionAgreeOnTheMediaType() throws Exception {
        // an AVIF (the old version sniffer said video/mp4) and plain text (the old blob sniffer said
        // application/octet-stream), each made unique; a HEIC put as a blob first, then named by a JSON create
        byte[] avif = unique(Files.readAllBytes(Path.of("src/test/resources/media/sample.avif")));
        byte[] text = ("Shot list for " + project + "\nSHOT_0010 \u2014 Mara enters, caf\u00e9 lights on.\n")
                .getBytes(StandardCharsets.UTF_8);
        byte[] heic = unique(Files.readAllBytes(Path.of("src/test/resources/media/sample.heic")));
        JsonNode a = upload(server, T, assetJson("frame.avif", "image"), "frame.avif", "image/avif", avif).json();
        JsonNode t = upload(server, T, assetJson("shots.txt", "document"), "shots.txt", "text/plain", text).json();
        String heicSha = putBlob(server, T, heic);
        TestServer.Response h = server.call(T, "POST", "/api/v1/assets", "{\"name\":\"frame.heic\",\"kind\":\"image\","
                + "\"project\":\"" + project + "\",\"sha256\":\"" + heicSha + "\"}");
        assertThat(h.status()).as(h.body()).isEqualTo(201);

        Map<JsonNode, String> expected = Map.of(a, "image/avif", t, "text/plain", h.json(), "image/heic");
        for (Map.Entry<JsonNode, String> e : expected.entrySet()) {
            JsonNode v = e.getKey().get("versions").get(0);
            String sha = v.get("sha256").asText();
            assertThat(v.get("media_type").asText()).as("the version of " + sha).isEqualTo(e.getValue());
            assertThat(server.call(T, "GET", "/api/v1/blobs/" + sha, null).header("Content-Type"))
                    .as("the blob " + sha + " as served").startsWith(e.getValue());
            String stored = server.jdbi().withHandle(q -> q.createQuery("select media_type from blob where sha256 = :s")
                    .bind("s", sha).mapTo(String.class).one());
            assertThat(stored).as("the blob row").isEqualTo(e.getValue());
            JsonNode got = server.call(T, "GET", "/api/v1/assets/" + e.getKey().get("id").asText(), null).json();
            assertThat(got.get("versions").get(0).get("media_type").asText()).isEqualTo(e.getValue());
        }
    }

    /** The bytes with 16 random bytes after them (a file's type is in its head: the tail keeps the blobs apart). */
    private static byte[] unique(byte[] b) {
        byte[] tail = new byte[16];
        new SecureRandom().nextBytes(tail);
        byte[] out = Arrays.copyOf(b, b.length + tail.length);
        System.arraycopy(tail, 0, out, b.length, tail.length);
        return out;
    }

    @Test
    void newVersionsAreNumberedWithoutGapsOrCollisions() throws Exception {
        JsonNode a = upload(server, T, assetJson("v.png", "image"), "v.png", "image/png", image("png", 20, 20)).json();
        String id = a.get("id").asText();
        List<String> shas = new ArrayList<>();
        for (int i = 0; i < 8; i++) shas.add(putBlob(server, T, image("png", 30 + i, 20)));
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<TestServer.Response>> answers = new ArrayList<>();
        for (String sha : shas) {
            answers.add(pool.submit(() -> server.call(T, "POST", "/api/v1/assets/" + id + "/versions",
                    "{\"sha256\":\"" + sha + "\",\"model\":\"m\"}")));
        }
        Set<Integer> numbers = new TreeSet<>();
        for (Future<TestServer.Response> f : answers) {
            TestServer.Response r = f.get();
            assertThat(r.status()).as(r.body()).isEqualTo(201);
            numbers.add(r.json().get("latest_version").asInt());
        }
        pool.shutdown();
        assertThat(numbers).containsExactly(2, 3, 4, 5, 6, 7, 8, 9);
        JsonNode got = server.call(T, "GET", "/api/v1/assets/" + id, null).json();
        assertThat(got.get("versions")).hasSize(9);
        assertThat(got.get("versions").get(0).get("version").asInt()).isEqualTo(9);
        assertThat(events(id)).hasSize(9).containsOnly("asset.created", "asset.version_created");

        // a version by multipart, too
        TestServer.Response m = AssetFixtures.postMultipart(server, T, "/api/v1/assets/" + id + "/versions",
                AssetFixtures.multipart("{\"author\":\"mara\"}", "v.png", "image/png", image("png", 10, 10)));
        assertThat(m.status()).as(m.body()).isEqualTo(201);
        assertThat(m.json().get("versions").get(0).get("author").asText()).isEqualTo("mara");
        assertThat(m.json().get("versions").get(0).get("version").asInt()).isEqualTo(10);
    }

    @Test
    void listFiltersAndPages() {
        byte[] shared = image("png", 40, 40);
        JsonNode a = upload(server, T, "{\"name\":\"alpha.png\",\"kind\":\"image\",\"project\":\"" + project
                + "\",\"scene\":\"S1\",\"shot\":\"SH1\",\"tags\":[\"hero\"],\"metadata\":{\"caption\":\"Marmalade sunrise\"}}",
                "alpha.png", "image/png", shared).json();
        JsonNode b = upload(server, T, "{\"name\":\"beta.json\",\"kind\":\"document\",\"project\":\"" + project
                + "\",\"scene\":\"S2\",\"tags\":[\"notes\"]}", "beta.json", "application/json",
                ("{\"x\":\"" + UUID.randomUUID() + "\"}").getBytes()).json();
        JsonNode c = upload(server, T, "{\"name\":\"gamma.png\",\"kind\":\"image\",\"project\":\"" + project
                + "\",\"scene\":\"S1\",\"tags\":[\"hero\",\"alt\"]}", "gamma.png", "image/png", shared).json();
        String base = "/api/v1/assets?project=" + project;
        assertThat(names(base)).containsExactly("gamma.png", "beta.json", "alpha.png");
        assertThat(names(base + "&kind=image")).containsExactly("gamma.png", "alpha.png");
        assertThat(names(base + "&scene=S1&shot=SH1")).containsExactly("alpha.png");
        assertThat(names(base + "&tag=hero")).containsExactly("gamma.png", "alpha.png");
        assertThat(names(base + "&tag=alt")).containsExactly("gamma.png");
        assertThat(names(base + "&q=marmal")).containsExactly("alpha.png");
        assertThat(names(base + "&q=beta")).containsExactly("beta.json");
        assertThat(names(base + "&sha256=" + sha256(shared))).containsExactly("gamma.png", "alpha.png");
        assertThat(names(base + "&md5=" + md5(shared).toUpperCase())).containsExactly("gamma.png", "alpha.png");
        assertThat(names(base + "&name=beta.json")).containsExactly("beta.json");
        assertThat(names("/api/v1/assets?sha256=" + sha256(shared))).contains("gamma.png", "alpha.png");
        JsonNode item = server.call(T, "GET", base + "&name=alpha.png", null).json().get("items").get(0);
        assertThat(item.get("latest").get("width").asInt()).isEqualTo(40);
        assertThat(item.get("id").asText()).isEqualTo(a.get("id").asText());

        List<String> paged = new ArrayList<>();
        String cursor = null;
        do {
            JsonNode page = server.call(T, "GET", base + "&limit=2" + (cursor == null ? "" : "&cursor=" + cursor), null).json();
            page.get("items").forEach(i -> paged.add(i.get("name").asText()));
            cursor = page.get("next_cursor").isNull() ? null : page.get("next_cursor").asText();
        } while (cursor != null);
        assertThat(paged).containsExactly("gamma.png", "beta.json", "alpha.png");
        assertThat(b.get("id").asText()).isNotEqualTo(c.get("id").asText());
    }

    private List<String> names(String path) {
        TestServer.Response r = server.call(T, "GET", path, null);
        assertThat(r.status()).as(path + ": " + r.body()).isEqualTo(200);
        List<String> out = new ArrayList<>();
        r.json().get("items").forEach(i -> out.add(i.get("name").asText()));
        return out;
    }

    @Test
    void renameRetagAndMetadataAreRecorded() {
        String id = upload(server, T, assetJson("old.png", "image"), "old.png", "image/png", image("png", 8, 8)).json().get("id").asText();
        TestServer.Response r = server.call(T, "PATCH", "/api/v1/assets/" + id,
                "{\"name\":\"new.png\",\"tags\":[\"approved\"],\"metadata\":{\"note\":\"ok\"},\"shot\":\"SHOT_0020\"}");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.json().get("name").asText()).isEqualTo("new.png");
        assertThat(r.json().get("tags").toString()).isEqualTo("[\"approved\"]");
        assertThat(r.json().get("shot").asText()).isEqualTo("SHOT_0020");
        assertThat(r.json().get("latest_version").asInt()).isEqualTo(1);
        TestServer.Response cleared = server.call(T, "PATCH", "/api/v1/assets/" + id, "{\"shot\":null}");
        assertThat(cleared.json().get("shot").isNull()).isTrue();
        assertThat(events(id)).containsExactly("asset.created", "asset.updated", "asset.updated");
        String payload = server.jdbi().withHandle(h -> h.createQuery("select payload::text from event where subject_id = :id"
                + " and type = 'asset.updated' order by seq limit 1").bind("id", id).mapTo(String.class).one());
        assertThat(payload).contains("\"changed\"").contains("name").contains("tags").doesNotContain("approved");
    }

    @Test
    void deleteIsSoftAndRestorableWithinTheGracePeriod() {
        String id = upload(server, T, assetJson("gone.png", "image"), "gone.png", "image/png", image("png", 8, 8)).json().get("id").asText();
        String reader = server.createToken("{\"name\":\"assets reader\",\"scopes\":[\"read\",\"write\"]}");
        assertThat(server.call(T, "DELETE", "/api/v1/assets/" + id, null).status()).isEqualTo(204);
        assertThat(server.call(T, "GET", "/api/v1/assets/" + id, null).status()).isEqualTo(404);
        assertThat(server.call(T, "DELETE", "/api/v1/assets/" + id, null).status()).isEqualTo(404);
        assertThat(names("/api/v1/assets?project=" + project)).doesNotContain("gone.png");
        assertThat(names("/api/v1/assets?include_deleted=true&project=" + project)).contains("gone.png");
        JsonNode deleted = server.call(T, "GET", "/api/v1/assets/" + id + "?include_deleted=true", null).json();
        assertThat(deleted.get("deleted_at").asText()).isNotEmpty();
        TestServer.Response forbidden = server.call(reader, "GET", "/api/v1/assets/" + id + "?include_deleted=true", null);
        assertThat(forbidden.status()).isEqualTo(403);
        assertThat(server.call(T, "POST", "/api/v1/assets/" + id + "/versions", "{\"sha256\":\""
                + putBlob(server, T, image("png", 9, 9)) + "\"}").status()).isEqualTo(404);

        TestServer.Response restored = server.call(reader, "POST", "/api/v1/assets/" + id + "/restore", null);
        assertThat(restored.status()).as(restored.body()).isEqualTo(200);
        assertThat(restored.json().has("deleted_at")).isFalse();
        assertThat(server.call(T, "GET", "/api/v1/assets/" + id, null).status()).isEqualTo(200);
        TestServer.Response again = server.call(T, "POST", "/api/v1/assets/" + id + "/restore", null);
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.json().get("error").asText()).isEqualTo("not_deleted");
        assertThat(events(id)).containsExactly("asset.created", "asset.deleted", "asset.restored");
        assertThat((List<String>) server.jdbi().withHandle(h -> h.createQuery("select action from audit_event where target_id = :id order by id")
                .bind("id", id).mapTo(String.class).list())).containsExactly("asset.deleted", "asset.restored");

        // past the grace period (ASSET_RESTORE_DAYS, default 30) it is too late
        assertThat(server.call(T, "DELETE", "/api/v1/assets/" + id, null).status()).isEqualTo(204);
        server.jdbi().useHandle(h -> h.createUpdate("update asset set deleted_at = now() - interval '31 days' where id = :id")
                .bind("id", UUID.fromString(id)).execute());
        TestServer.Response late = server.call(T, "POST", "/api/v1/assets/" + id + "/restore", null);
        assertThat(late.status()).isEqualTo(410);
        assertThat(late.json().get("error").asText()).isEqualTo("restore_period_over");
        assertThat(server.call(T, "POST", "/api/v1/assets/" + UUID.randomUUID() + "/restore", null).status()).isEqualTo(404);
    }

    @Test
    void imagesGetOneThumbnailPerVersion() throws Exception {
        JsonNode a = upload(server, T, assetJson("big.png", "image"), "big.png", "image/png", image("png", 1024, 512)).json();
        String id = a.get("id").asText();
        TestServer.Response t = server.call(T, "GET", "/api/v1/assets/" + id + "/thumbnail", null);
        assertThat(t.status()).as(t.body()).isEqualTo(200);
        assertThat(t.header("Content-Type")).startsWith("image/png");
        BufferedImage thumb = ImageIO.read(new ByteArrayInputStream(t.bytes()));
        assertThat(thumb.getWidth()).isEqualTo(256);
        assertThat(thumb.getHeight()).isEqualTo(128);
        String etag = t.header("ETag");
        assertThat(etag).isEqualTo("\"" + sha256(t.bytes()) + "\"");
        assertThat(t.header("Cache-Control")).contains("no-cache");
        String stored = server.jdbi().withHandle(h -> h.createQuery("select thumbnail_sha256 from asset_version where asset_id = :id")
                .bind("id", UUID.fromString(id)).mapTo(String.class).one());
        assertThat(stored).isEqualTo(sha256(t.bytes()));
        TestServer.Response again = server.call(T, "GET", "/api/v1/assets/" + id + "/thumbnail?version=1", null);
        assertThat(again.header("ETag")).isEqualTo(etag);
        assertThat(again.header("Cache-Control")).contains("immutable");
        TestServer.Response notModified = server.send(server.request("/api/v1/assets/" + id + "/thumbnail")
                .header("If-None-Match", etag).GET().build());
        assertThat(notModified.status()).isEqualTo(304);
        assertThat(server.call(T, "GET", "/api/v1/assets/" + id + "/thumbnail?version=2", null).status()).isEqualTo(404);

        // a JPEG gets a JPEG; a small picture is not enlarged
        JsonNode j = upload(server, T, assetJson("photo.jpg", "image"), "photo.jpg", "image/jpeg", image("jpg", 300, 900)).json();
        TestServer.Response jt = server.call(T, "GET", "/api/v1/assets/" + j.get("id").asText() + "/thumbnail", null);
        assertThat(jt.header("Content-Type")).startsWith("image/jpeg");
        BufferedImage jthumb = ImageIO.read(new ByteArrayInputStream(jt.bytes()));
        assertThat(jthumb.getHeight()).isEqualTo(256);
        assertThat(jthumb.getWidth()).isBetween(84, 86);
        JsonNode small = upload(server, T, assetJson("small.png", "thumbnail"), "small.png", "image/png", image("png", 16, 9)).json();
        BufferedImage st = ImageIO.read(new ByteArrayInputStream(server.call(T, "GET", "/api/v1/assets/"
                + small.get("id").asText() + "/thumbnail", null).bytes()));
        assertThat(st.getWidth()).isEqualTo(16);

        // not a picture, or a picture that does not decode: 404 no_thumbnail
        JsonNode doc = upload(server, T, assetJson("n.json", "document"), "n.json", "application/json", "{}".getBytes()).json();
        TestServer.Response none = server.call(T, "GET", "/api/v1/assets/" + doc.get("id").asText() + "/thumbnail", null);
        assertThat(none.status()).isEqualTo(404);
        assertThat(none.json().get("error").asText()).isEqualTo("no_thumbnail");
        byte[] truncated = java.util.Arrays.copyOf(image("png", 500, 500), 60);
        JsonNode bad = upload(server, T, assetJson("broken.png", "image"), "broken.png", "image/png", truncated).json();
        assertThat(server.call(T, "GET", "/api/v1/assets/" + bad.get("id").asText() + "/thumbnail", null).json()
                .get("error").asText()).isEqualTo("no_thumbnail");
    }

    @Test
    void aCredentialRestrictedToAProjectSeesAndChangesOnlyItsAssets() {
        String mine = "mine-" + UUID.randomUUID();
        String token = server.createToken("{\"name\":\"one project\",\"scopes\":[\"read\",\"write\"],\"projects\":[\"" + mine + "\"]}");
        String other = upload(server, T, assetJson("other.png", "image"), "other.png", "image/png", image("png", 5, 5)).json().get("id").asText();
        // without a project it lands in its only project
        JsonNode own = upload(server, token, "{\"name\":\"own.png\",\"kind\":\"image\"}", "own.png", "image/png", image("png", 5, 5)).json();
        assertThat(own.get("project").asText()).isEqualTo(mine);
        TestServer.Response elsewhere = AssetFixtures.postMultipart(server, token, "/api/v1/assets",
                AssetFixtures.multipart(assetJson("x.png", "image"), "x.png", "image/png", image("png", 5, 5)));
        assertThat(elsewhere.status()).isEqualTo(404);
        for (String path : List.of("", "/lineage", "/used-by", "/thumbnail")) {
            assertThat(server.call(token, "GET", "/api/v1/assets/" + other + path, null).status()).as(path).isEqualTo(404);
        }
        assertThat(server.call(token, "PATCH", "/api/v1/assets/" + other, "{\"name\":\"stolen\"}").status()).isEqualTo(404);
        assertThat(server.call(token, "DELETE", "/api/v1/assets/" + other, null).status()).isEqualTo(404);
        assertThat(server.call(token, "GET", "/api/v1/assets?project=" + project, null).status()).isEqualTo(404);
        List<String> seen = new ArrayList<>();
        server.call(token, "GET", "/api/v1/assets", null).json().get("items").forEach(i -> seen.add(i.get("project").asText()));
        assertThat(seen).containsOnly(mine);
        // nor may it name another project's version as a parent
        TestServer.Response parent = server.call(token, "POST", "/api/v1/assets/" + own.get("id").asText() + "/versions",
                "{\"sha256\":\"" + own.get("versions").get(0).get("sha256").asText() + "\",\"parents\":[{\"asset_id\":\""
                        + other + "\",\"version\":1}]}");
        assertThat(parent.status()).isEqualTo(422);
        assertThat(parent.json().get("error").asText()).isEqualTo("unknown_parent");
    }

    @Test
    void everyBadInputIsAClearJson4xx() {
        String id = upload(server, T, assetJson("ok.png", "image"), "ok.png", "image/png", image("png", 5, 5)).json().get("id").asText();
        String sha = putBlob(server, T, image("png", 6, 6));
        String a = "/api/v1/assets";
        record Case(String method, String path, String body, int status, String error, String field) {}
        List<Case> cases = List.of(
                new Case("POST", a, "{\"kind\":\"image\",\"sha256\":\"" + sha + "\"}", 400, "missing_field", "name"),
                new Case("POST", a, "{\"name\":\" \",\"kind\":\"image\",\"sha256\":\"" + sha + "\"}", 400, "missing_field", "name"),
                new Case("POST", a, "{\"name\":\"n\",\"sha256\":\"" + sha + "\"}", 400, "missing_field", "kind"),
                new Case("POST", a, "{\"name\":\"n\",\"kind\":\"picture\",\"sha256\":\"" + sha + "\"}", 400, "invalid_field", "kind"),
                new Case("POST", a, "{\"name\":\"n\",\"kind\":\"image\"}", 400, "missing_field", "sha256"),
                new Case("POST", a, "{\"name\":\"n\",\"kind\":\"image\",\"sha256\":\"abc\"}", 400, "invalid_field", "sha256"),
                new Case("POST", a, "{\"name\":\"n\",\"kind\":\"image\",\"sha256\":\"" + "0".repeat(64) + "\"}", 422, "unknown_blob", "sha256"),
                new Case("POST", a, "{\"name\":\"n\",\"kind\":\"image\",\"sha256\":\"" + sha + "\",\"colour\":1}", 400, "unknown_field", "colour"),
                new Case("POST", a, "{\"name\":\"n\",\"kind\":\"image\",\"sha256\":\"" + sha + "\",\"metadata\":[1]}", 400, "invalid_field", "metadata"),
                new Case("POST", a, "{\"name\":\"n\",\"kind\":\"image\",\"sha256\":\"" + sha + "\",\"tags\":\"x\"}", 400, "invalid_field", "tags"),
                new Case("POST", a, "{\"name\":\"n\",\"kind\":\"image\",\"sha256\":\"" + sha + "\",\"seed\":1.5}", 400, "invalid_field", "seed"),
                new Case("POST", a, "{\"name\":\"n\",\"kind\":\"image\",\"sha256\":\"" + sha + "\",\"prompt_log_id\":\"x\"}", 400, "invalid_field", "prompt_log_id"),
                new Case("POST", a, "{\"name\":\"n\",\"kind\":\"image\",\"sha256\":\"" + sha + "\",\"media_type\":\"png\"}", 400, "invalid_field", "media_type"),
                new Case("POST", a, "{\"name\":\"n\",\"kind\":\"image\",\"sha256\":\"" + sha + "\",\"parents\":{}}", 400, "invalid_field", "parents"),
                new Case("POST", a, "{\"name\":\"n\",\"kind\":\"image\",\"sha256\":\"" + sha + "\",\"parents\":[{\"asset_id\":\"x\",\"version\":1}]}", 400, "invalid_field", "parents"),
                new Case("POST", a, "{\"name\":\"n\",\"kind\":\"image\",\"sha256\":\"" + sha + "\",\"parents\":[{\"asset_id\":\"" + id + "\",\"version\":0}]}", 400, "invalid_field", "parents"),
                new Case("POST", a, "{\"name\":\"n\",\"kind\":\"image\",\"sha256\":\"" + sha + "\",\"parents\":[{\"asset_id\":\"" + id + "\",\"version\":7}]}", 422, "unknown_parent", "parents"),
                new Case("POST", a, "[1]", 400, "invalid_body", null),
                new Case("POST", a, "{", 400, "invalid_json", null),
                new Case("GET", a + "?kind=picture", null, 400, "invalid_parameter", "kind"),
                new Case("GET", a + "?colour=red", null, 400, "unknown_parameter", "colour"),
                new Case("GET", a + "?sha256=xyz", null, 400, "invalid_parameter", "sha256"),
                new Case("GET", a + "?md5=xyz", null, 400, "invalid_parameter", "md5"),
                new Case("GET", a + "?limit=0", null, 400, "invalid_parameter", "limit"),
                new Case("GET", a + "?cursor=nope", null, 400, "invalid_parameter", "cursor"),
                new Case("GET", a + "?include_deleted=yes", null, 400, "invalid_parameter", "include_deleted"),
                new Case("GET", a + "/not-a-uuid", null, 400, "invalid_parameter", "id"),
                new Case("GET", a + "/" + UUID.randomUUID(), null, 404, "not_found", null),
                new Case("GET", a + "/" + id + "/lineage?depth=0", null, 400, "invalid_parameter", "depth"),
                new Case("GET", a + "/" + id + "/lineage?version=5", null, 404, "not_found", null),
                new Case("GET", a + "/" + id + "/used-by?version=x", null, 400, "invalid_parameter", "version"),
                new Case("PATCH", a + "/" + id, "{}", 400, "missing_field", null),
                new Case("PATCH", a + "/" + id, "{\"name\":null}", 400, "missing_field", "name"),
                new Case("PATCH", a + "/" + id, "{\"project\":\"x\"}", 400, "unknown_field", "project"),
                new Case("PATCH", a + "/" + UUID.randomUUID(), "{\"name\":\"x\"}", 404, "not_found", null),
                new Case("POST", a + "/" + id + "/versions", "{\"sha256\":\"" + sha + "\",\"name\":\"x\"}", 400, "unknown_field", "name"),
                new Case("POST", a + "/" + id + "/versions", "{\"sha256\":\"" + "1".repeat(64) + "\"}", 422, "unknown_blob", "sha256"),
                new Case("POST", a + "/" + UUID.randomUUID() + "/versions", "{\"sha256\":\"" + sha + "\"}", 404, "not_found", null),
                new Case("DELETE", a + "/" + UUID.randomUUID(), null, 404, "not_found", null));
        SoftAssertions soft = new SoftAssertions();
        for (Case c : cases) {
            TestServer.Response r = server.call(T, c.method(), c.path(), c.body());
            String what = c.method() + " " + c.path() + " " + c.body() + " -> " + r;
            soft.assertThat(r.status()).as(what).isEqualTo(c.status());
            if (r.status() == c.status()) {
                soft.assertThat(r.json().get("error").asText()).as(what).isEqualTo(c.error());
                soft.assertThat(r.json().get("message").asText()).as(what).isNotBlank();
                if (c.field() != null) soft.assertThat(r.json().get("field").asText()).as(what).isEqualTo(c.field());
            }
        }
        // Not JSON, not multipart
        TestServer.Response text = server.send(server.request(a).header("Content-Type", "text/plain")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("hello")).build());
        soft.assertThat(text.status()).isEqualTo(415);
        soft.assertThat(text.json().get("error").asText()).isEqualTo("unsupported_media_type");
        // multipart without a file, with a bad asset field, with an unknown field, with a wrong hash
        record Upload(AssetFixtures.Multipart body, int status, String error, String field) {}
        byte[] png = image("png", 4, 4);
        List<Upload> uploads = List.of(
                new Upload(AssetFixtures.multipart(assetJson("n", "image"), null, null, null), 400, "missing_field", "file"),
                new Upload(AssetFixtures.multipart("{not json", "n.png", "image/png", png), 400, "invalid_json", "asset"),
                new Upload(AssetFixtures.multipart("{\"name\":\"n\",\"kind\":\"image\",\"x\":1}", "n.png", "image/png", png), 400, "unknown_field", "x"),
                new Upload(AssetFixtures.multipart("{\"kind\":\"image\"}", "n.png", "image/png", png), 400, "missing_field", "name"),
                new Upload(AssetFixtures.multipart("{\"name\":\"n\",\"kind\":\"image\",\"sha256\":\"" + "2".repeat(64) + "\"}",
                        "n.png", "image/png", png), 422, "hash_mismatch", "sha256"));
        for (Upload u : uploads) {
            TestServer.Response r = AssetFixtures.postMultipart(server, T, a, u.body());
            soft.assertThat(r.status()).as(r.body()).isEqualTo(u.status());
            soft.assertThat(r.json().get("error").asText()).as(r.body()).isEqualTo(u.error());
            soft.assertThat(r.json().get("field").asText()).as(r.body()).isEqualTo(u.field());
        }
        soft.assertAll();
    }

    @Test
    void anUploadOverTheLimitIsRefusedAndNothingIsKept() {
        try (TestServer small = TestServer.start(storyboard.support.TestDatabase.get().newDatabase(), Map.of("MAX_BLOB_BYTES", "1000"))) {
            byte[] big = new byte[5000];
            new java.util.Random().nextBytes(big);
            TestServer.Response r = AssetFixtures.postMultipart(small, T, "/api/v1/assets",
                    AssetFixtures.multipart("{\"name\":\"big.bin\",\"kind\":\"other\"}", "big.bin", "application/octet-stream", big));
            assertThat(r.status()).as(r.body()).isEqualTo(413);
            assertThat(r.json().get("error").asText()).isEqualTo("body_too_large");
            assertThat((Integer) small.jdbi().withHandle(h -> h.createQuery("select count(*) from blob").mapTo(Integer.class).one())).isZero();
        }
    }
}
