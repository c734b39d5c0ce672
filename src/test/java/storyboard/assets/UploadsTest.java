package storyboard.assets;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import storyboard.server.DatabaseUrl;
import storyboard.support.TestDatabase;
import storyboard.support.TestServer;

/** Resumable uploads (tus 1.0): creation, offsets, a cut connection, a restart, verification, termination. */
class UploadsTest {
    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start(TestDatabase.get().newDatabase(), Map.of("MAX_BLOB_BYTES", String.valueOf(64L << 20),
                "RATE_LIMIT", "0", "RATE_LIMIT_INGEST", "0"));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static String create(TestServer s, long length, String metadata) {
        HttpRequest.Builder b = s.request("/api/v1/uploads").header("Tus-Resumable", "1.0.0")
                .header("Upload-Length", String.valueOf(length));
        if (metadata != null) b.header("Upload-Metadata", metadata);
        TestServer.Response r = s.send(b.POST(HttpRequest.BodyPublishers.noBody()).build());
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        assertThat(r.header("Tus-Resumable")).isEqualTo("1.0.0");
        return r.header("Location");
    }

    static TestServer.Response patch(TestServer s, String location, long offset, byte[] body) {
        return s.send(s.request(location).header("Tus-Resumable", "1.0.0").header("Upload-Offset", String.valueOf(offset))
                .header("Content-Type", "application/offset+octet-stream")
                .method("PATCH", HttpRequest.BodyPublishers.ofByteArray(body)).build());
    }

    static TestServer.Response head(TestServer s, String location) {
        return s.send(s.request(location).header("Tus-Resumable", "1.0.0")
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build());
    }

    static String meta(String key, String value) {
        return key + " " + Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void anUploadInSeveralPatchesBecomesAVerifiedBlob() {
        byte[] data = BlobData.bytes(10, 3_000_000);
        String sha = BlobData.sha256(data);
        String location = create(server, data.length, meta("sha256", sha) + "," + meta("filename", "shot 1.png") + ",flag");
        assertThat(location).matches("/api/v1/uploads/[0-9a-f-]{36}");
        TestServer.Response h0 = head(server, location);
        assertThat(h0.header("Upload-Offset")).isEqualTo("0");
        assertThat(h0.header("Upload-Length")).isEqualTo("3000000");
        assertThat(h0.header("Cache-Control")).isEqualTo("no-store");
        assertThat(UploadRoutes.parseMetadata(h0.header("Upload-Metadata"))).containsEntry("filename", "shot 1.png")
                .containsEntry("flag", "");

        TestServer.Response p1 = patch(server, location, 0, Arrays.copyOfRange(data, 0, 1_000_000));
        assertThat(p1.status()).as(p1.body()).isEqualTo(204);
        assertThat(p1.header("Upload-Offset")).isEqualTo("1000000");
        // The wrong offset is a conflict, and changes nothing.
        assertThat(patch(server, location, 0, new byte[10]).status()).isEqualTo(409);
        TestServer.Response p2 = patch(server, location, 1_000_000, Arrays.copyOfRange(data, 1_000_000, data.length));
        assertThat(p2.status()).as(p2.body()).isEqualTo(204);
        assertThat(p2.header("Upload-Sha256")).isEqualTo(sha);
        assertThat(head(server, location).header("Upload-Offset")).isEqualTo("3000000");

        TestServer.Response blob = server.get("/api/v1/blobs/" + sha);
        assertThat(blob.status()).isEqualTo(200);
        assertThat(blob.bytes()).isEqualTo(data);
        int created = server.jdbi().withHandle(h -> h.createQuery(
                "select count(*) from event where type = 'blob.created' and subject_id = :s").bind("s", sha).mapTo(Integer.class).one());
        assertThat(created).isEqualTo(1);
        assertThat(server.app().config().blobDir().resolve("uploads").toFile().list()).isEmpty();
    }

    /** A client sends half of a PATCH body and the connection drops; the upload resumes from what arrived. */
    @Test
    void aCutConnectionKeepsWhatArrivedAndTheUploadResumesFromItsOffset() throws Exception {
        byte[] data = BlobData.bytes(11, 4_000_000);
        String sha = BlobData.sha256(data);
        String location = create(server, data.length, null);
        int sent = 2_500_000;
        try (Socket socket = new Socket("127.0.0.1", server.app().port())) {
            OutputStream out = socket.getOutputStream();
            out.write(("PATCH " + location + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + TestServer.TOKEN
                    + "\r\nTus-Resumable: 1.0.0\r\nUpload-Offset: 0\r\nContent-Type: application/offset+octet-stream\r\n"
                    + "Content-Length: " + data.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(data, 0, sent);
            out.flush();
        } // closed mid-body
        long offset = -1;
        for (int i = 0; i < 100 && offset != sent; i++) {
            Thread.sleep(100);
            offset = Long.parseLong(head(server, location).header("Upload-Offset"));
        }
        assertThat(offset).isEqualTo(sent);
        TestServer.Response rest = patch(server, location, offset, Arrays.copyOfRange(data, (int) offset, data.length));
        assertThat(rest.status()).as(rest.body()).isEqualTo(204);
        assertThat(rest.header("Upload-Sha256")).isEqualTo(sha);
        assertThat(server.get("/api/v1/blobs/" + sha).bytes()).isEqualTo(data);
    }

    /** The durable offset and the partial bytes survive a server restart (hashing starts again from the file). */
    @Test
    void anUploadResumesOnARestartedServer() throws Exception {
        DatabaseUrl db = TestDatabase.get().newDatabase();
        Path blobs = Files.createTempDirectory("storyboard-upload-restart");
        byte[] data = BlobData.bytes(12, 2_000_000);
        String sha = BlobData.sha256(data);
        String location;
        try (TestServer first = TestServer.start(db, Map.of("BLOB_DIR", blobs.toString()))) {
            location = create(first, data.length, meta("sha256", sha));
            assertThat(patch(first, location, 0, Arrays.copyOfRange(data, 0, 1_200_000)).status()).isEqualTo(204);
        }
        try (TestServer second = TestServer.start(db, Map.of("BLOB_DIR", blobs.toString()))) {
            assertThat(head(second, location).header("Upload-Offset")).isEqualTo("1200000");
            TestServer.Response done = patch(second, location, 1_200_000, Arrays.copyOfRange(data, 1_200_000, data.length));
            assertThat(done.status()).as(done.body()).isEqualTo(204);
            assertThat(done.header("Upload-Sha256")).isEqualTo(sha);
            assertThat(second.get("/api/v1/blobs/" + sha).bytes()).isEqualTo(data);
        }
    }

    @Test
    void bytesThatDoNotHashToTheDeclaredSha256Are422AndNothingIsKept() {
        byte[] data = BlobData.bytes(13, 100_000);
        String location = create(server, data.length, meta("sha256", "ab".repeat(32)));
        TestServer.Response r = patch(server, location, 0, data);
        assertThat(r.status()).isEqualTo(422);
        assertThat(r.json().get("error").asText()).isEqualTo("hash_mismatch");
        assertThat(head(server, location).status()).isEqualTo(404);
        assertThat(server.get("/api/v1/blobs/" + BlobData.sha256(data)).status()).isEqualTo(404);
    }

    @Test
    void theProtocolsRulesAreEnforcedWithClearErrors() {
        TestServer.Response options = server.send(server.anonymous("/api/v1/uploads")
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).build());
        assertThat(options.status()).isEqualTo(204);
        assertThat(options.header("Tus-Version")).isEqualTo("1.0.0");
        assertThat(options.header("Tus-Extension")).isEqualTo("creation,termination,expiration");
        assertThat(options.header("Tus-Max-Size")).isEqualTo(String.valueOf(64L << 20));

        TestServer.Response noVersion = server.send(server.request("/api/v1/uploads").header("Upload-Length", "5")
                .POST(HttpRequest.BodyPublishers.noBody()).build());
        assertThat(noVersion.status()).isEqualTo(412);
        assertThat(noVersion.json().get("error").asText()).isEqualTo("unsupported_tus_version");
        TestServer.Response tooLarge = server.send(server.request("/api/v1/uploads").header("Tus-Resumable", "1.0.0")
                .header("Upload-Length", String.valueOf((64L << 20) + 1)).POST(HttpRequest.BodyPublishers.noBody()).build());
        assertThat(tooLarge.status()).isEqualTo(413);
        TestServer.Response noLength = server.send(server.request("/api/v1/uploads").header("Tus-Resumable", "1.0.0")
                .POST(HttpRequest.BodyPublishers.noBody()).build());
        assertThat(noLength.status()).isEqualTo(400);
        assertThat(server.send(server.request("/api/v1/uploads").header("Tus-Resumable", "1.0.0").header("Upload-Length", "5")
                .header("Upload-Metadata", "bad key!").POST(HttpRequest.BodyPublishers.noBody()).build()).status()).isEqualTo(400);

        String location = create(server, 10, null);
        TestServer.Response json = server.send(server.request(location).header("Tus-Resumable", "1.0.0")
                .header("Upload-Offset", "0").header("Content-Type", "application/json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString("{}")).build());
        assertThat(json.status()).isEqualTo(415);
        TestServer.Response past = patch(server, location, 0, new byte[11]);
        assertThat(past.status()).isEqualTo(400);
        assertThat(past.json().get("error").asText()).isEqualTo("exceeds_length");
        assertThat(head(server, location).header("Upload-Offset")).isEqualTo("0");

        TestServer.Response gone = server.send(server.request(location).header("Tus-Resumable", "1.0.0").DELETE().build());
        assertThat(gone.status()).isEqualTo(204);
        assertThat(head(server, location).status()).isEqualTo(404);
        assertThat(server.call(TestServer.TOKEN, "HEAD", "/api/v1/uploads/not-a-uuid", null).status()).isEqualTo(412);

        // Expired uploads are gone.
        String old = create(server, 10, null);
        server.jdbi().useHandle(h -> h.execute("update blob_upload set expires_at = now() - interval '1 second' where id = ?::uuid",
                old.substring(old.lastIndexOf('/') + 1)));
        assertThat(head(server, old).status()).isEqualTo(404);

        // An empty upload is complete at once.
        TestServer.Response empty = server.send(server.request("/api/v1/uploads").header("Tus-Resumable", "1.0.0")
                .header("Upload-Length", "0").POST(HttpRequest.BodyPublishers.noBody()).build());
        assertThat(empty.status()).isEqualTo(201);
        assertThat(empty.header("Upload-Sha256")).isEqualTo(BlobData.sha256(new byte[0]));
    }

    @SuppressWarnings("unused")
    private static byte[] readAll(InputStream in) throws java.io.IOException {
        return in.readAllBytes();
    }
}
