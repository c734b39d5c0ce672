package storyboard.assets;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import storyboard.support.TestDatabase;
import storyboard.support.TestServer;

/** {@code /api/v1/blobs}: upload, verify, dedupe, limits, ranges, conditional requests, a full disk. */
class BlobsTest {
    private static final long MAX = 48L << 20;
    private static TestServer server;
    private static final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void start() {
        server = TestServer.start(TestDatabase.get().newDatabase(), Map.of("MAX_BLOB_BYTES", String.valueOf(MAX),
                "RATE_LIMIT", "0", "RATE_LIMIT_INGEST", "0"));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static HttpResponse<String> put(TestServer s, String sha, long seed, long size, boolean knownLength) throws Exception {
        HttpRequest.BodyPublisher body = HttpRequest.BodyPublishers.ofInputStream(() -> BlobData.stream(seed, size));
        if (knownLength) body = HttpRequest.BodyPublishers.fromPublisher(body, size);
        return http.send(s.request("/api/v1/blobs/" + sha).header("Content-Type", "application/octet-stream")
                .PUT(body).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static long events(String type, String sha) {
        return server.jdbi().withHandle(h -> h.createQuery("select count(*) from event where type = :t and subject_id = :s")
                .bind("t", type).bind("s", sha).mapTo(Long.class).one());
    }

    private static Path blobDir() {
        return server.app().config().blobDir();
    }

    private static List<Path> files(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).toList();
        }
    }

    @Test
    void aStreamedUploadFarAboveTheBodyLimitIsVerifiedStoredOnceAndServedBack() throws Exception {
        long size = 20L << 20; // far above MAX_BODY_BYTES (1 MiB) and Javalin's maxRequestSize
        String sha = BlobData.sha256(1, size);
        TestServer.Response before = server.call(TestServer.TOKEN, "POST", "/api/v1/blobs/check",
                "{\"blobs\":[{\"sha256\":\"" + sha + "\",\"size\":" + size + "}]}");
        assertThat(before.status()).isEqualTo(200);
        assertThat(before.json().get("missing").get(0).asText()).isEqualTo(sha);

        HttpResponse<String> first = put(server, sha, 1, size, false); // chunked: no Content-Length
        assertThat(first.statusCode()).as(first.body()).isEqualTo(201);
        var json = storyboard.kernel.Json.MAPPER.readTree(first.body());
        assertThat(json.get("sha256").asText()).isEqualTo(sha);
        assertThat(json.get("size").asLong()).isEqualTo(size);
        assertThat(json.get("md5").asText()).hasSize(32);
        assertThat(json.get("created").asBoolean()).isTrue();
        assertThat(first.headers().firstValue("ETag")).hasValue("\"" + sha + "\"");

        HttpResponse<String> again = put(server, sha, 1, size, true);
        assertThat(again.statusCode()).as(again.body()).isEqualTo(200);
        assertThat(storyboard.kernel.Json.MAPPER.readTree(again.body()).get("created").asBoolean()).isFalse();
        assertThat(events("blob.created", sha)).isEqualTo(1);

        HttpResponse<InputStream> got = http.send(server.request("/api/v1/blobs/" + sha).GET().build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertThat(got.statusCode()).isEqualTo(200);
        assertThat(got.headers().firstValueAsLong("Content-Length")).hasValue(size);
        assertThat(got.headers().firstValue("Content-Encoding")).isEmpty();
        try (InputStream in = got.body()) {
            assertThat(BlobData.sha256(in)).isEqualTo(sha);
        }
        TestServer.Response after = server.call(TestServer.TOKEN, "POST", "/api/v1/blobs/check",
                "{\"blobs\":[{\"sha256\":\"" + sha.toUpperCase() + "\"},{\"sha256\":\"" + "0".repeat(64) + "\",\"size\":3}]}");
        assertThat(after.json().get("present").get(0).asText()).isEqualTo(sha);
        assertThat(after.json().get("missing").get(0).asText()).isEqualTo("0".repeat(64));
        assertThat(server.call(TestServer.TOKEN, "POST", "/api/v1/blobs/check",
                "{\"blobs\":[{\"sha256\":\"" + sha + "\",\"size\":1}]}").status()).isEqualTo(422);
    }

    @Test
    void aBodyThatDoesNotHashToItsNameIsRefusedAndNothingIsKept() throws Exception {
        String wrong = BlobData.sha256(99, 10);
        int before = files(blobDir()).size();
        HttpResponse<String> r = put(server, wrong, 2, 3L << 20, true);
        assertThat(r.statusCode()).isEqualTo(422);
        assertThat(r.body()).contains("\"error\":\"hash_mismatch\"");
        String actual = BlobData.sha256(2, 3L << 20);
        assertThat(server.call(TestServer.TOKEN, "HEAD", "/api/v1/blobs/" + actual, null).status()).isEqualTo(404);
        assertThat(files(blobDir())).hasSize(before);
        assertThat(files(blobDir().resolve("tmp"))).isEmpty();
    }

    @Test
    void aBodyOverTheLimitIs413DeclaredOrNot() throws Exception {
        long size = MAX + 1;
        String sha = BlobData.sha256(3, size);
        HttpResponse<String> declared = put(server, sha, 3, size, true);
        assertThat(declared.statusCode()).isEqualTo(413);
        assertThat(declared.body()).contains("body_too_large");
        HttpResponse<String> chunked = put(server, sha, 3, size, false);
        assertThat(chunked.statusCode()).isEqualTo(413);
        assertThat(files(blobDir().resolve("tmp"))).isEmpty();
    }

    @Test
    void rangesAndConditionalRequests() throws Exception {
        byte[] data = BlobData.bytes(4, 10_000);
        String sha = BlobData.sha256(data);
        assertThat(server.send(server.request("/api/v1/blobs/" + sha)
                .PUT(HttpRequest.BodyPublishers.ofByteArray(data)).build()).status()).isEqualTo(201);
        String path = "/api/v1/blobs/" + sha;

        TestServer.Response head = server.send(server.request(path).method("HEAD", HttpRequest.BodyPublishers.noBody()).build());
        assertThat(head.status()).isEqualTo(200);
        assertThat(head.header("Content-Length")).isEqualTo("10000");
        assertThat(head.header("ETag")).isEqualTo("\"" + sha + "\"");
        assertThat(head.header("Accept-Ranges")).isEqualTo("bytes");
        assertThat(head.bytes()).isEmpty();

        TestServer.Response part = server.send(server.request(path).header("Range", "bytes=100-199").GET().build());
        assertThat(part.status()).isEqualTo(206);
        assertThat(part.header("Content-Range")).isEqualTo("bytes 100-199/10000");
        assertThat(part.bytes()).isEqualTo(java.util.Arrays.copyOfRange(data, 100, 200));

        TestServer.Response open = server.send(server.request(path).header("Range", "bytes=9990-").GET().build());
        assertThat(open.status()).isEqualTo(206);
        assertThat(open.bytes()).isEqualTo(java.util.Arrays.copyOfRange(data, 9990, 10000));
        TestServer.Response suffix = server.send(server.request(path).header("Range", "bytes=-5").GET().build());
        assertThat(suffix.header("Content-Range")).isEqualTo("bytes 9995-9999/10000");
        assertThat(suffix.bytes()).isEqualTo(java.util.Arrays.copyOfRange(data, 9995, 10000));
        TestServer.Response past = server.send(server.request(path).header("Range", "bytes=20000-").GET().build());
        assertThat(past.status()).isEqualTo(416);
        assertThat(past.header("Content-Range")).isEqualTo("bytes */10000");
        assertThat(past.json().get("error").asText()).isEqualTo("range_not_satisfiable");
        TestServer.Response multi = server.send(server.request(path).header("Range", "bytes=0-1,5-6").GET().build());
        assertThat(multi.status()).isEqualTo(200);
        assertThat(multi.bytes()).isEqualTo(data);
        TestServer.Response staleIfRange = server.send(server.request(path).header("Range", "bytes=0-1")
                .header("If-Range", "\"other\"").GET().build());
        assertThat(staleIfRange.status()).isEqualTo(200);

        TestServer.Response cached = server.send(server.request(path).header("If-None-Match", "\"x\", \"" + sha + "\"").GET().build());
        assertThat(cached.status()).isEqualTo(304);
        assertThat(cached.bytes()).isEmpty();
        assertThat(server.send(server.request(path).header("If-None-Match", "\"x\"").GET().build()).status()).isEqualTo(200);
    }

    @Test
    void badInputIsAClearJson4xx() {
        assertThat(server.call(TestServer.TOKEN, "GET", "/api/v1/blobs/nothex", null).json().get("error").asText())
                .isEqualTo("invalid_parameter");
        assertThat(server.call(TestServer.TOKEN, "GET", "/api/v1/blobs/" + "a".repeat(64), null).status()).isEqualTo(404);
        assertThat(server.call(TestServer.TOKEN, "PUT", "/api/v1/blobs/xyz", "{}").status()).isEqualTo(400);
        for (String body : List.of("[]", "{\"blobs\":1}", "{\"blobs\":[{\"sha256\":\"zz\"}]}", "{\"other\":[]}",
                "{\"blobs\":[{\"sha256\":\"" + "a".repeat(64) + "\",\"size\":-1}]}", "not json")) {
            TestServer.Response r = server.call(TestServer.TOKEN, "POST", "/api/v1/blobs/check", body);
            assertThat(r.status()).as(body).isEqualTo(400);
            assertThat(r.json().get("error").asText()).isNotEmpty();
        }
    }

    @Test
    void theMediaTypeIsSniffedFromTheBytes() {
        byte[] png = new byte[64];
        byte[] magic = {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A};
        System.arraycopy(magic, 0, png, 0, magic.length);
        png[20] = 7;
        String sha = BlobData.sha256(png);
        TestServer.Response r = server.send(server.request("/api/v1/blobs/" + sha)
                .PUT(HttpRequest.BodyPublishers.ofByteArray(png)).build());
        assertThat(r.json().get("media_type").asText()).isEqualTo("image/png");
        assertThat(server.get("/api/v1/blobs/" + sha).header("Content-Type")).isEqualTo("image/png");
    }

    @Test
    void twoConcurrentUploadsOfTheSameBlobBothSucceedWithOneRowAndOneFile() throws Exception {
        long size = 8L << 20;
        String sha = BlobData.sha256(5, size);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<HttpResponse<String>>> results = new ArrayList<>();
            for (int i = 0; i < 2; i++) results.add(pool.submit((Callable<HttpResponse<String>>) () -> put(server, sha, 5, size, false)));
            List<Integer> statuses = new ArrayList<>();
            for (var f : results) statuses.add(f.get().statusCode());
            assertThat(statuses).allMatch(s -> s == 200 || s == 201).contains(201);
        } finally {
            pool.shutdown();
        }
        int rows = server.jdbi().withHandle(h -> h.createQuery("select count(*) from blob where sha256 = :s")
                .bind("s", sha).mapTo(Integer.class).one());
        assertThat(rows).isEqualTo(1);
        assertThat(events("blob.created", sha)).isEqualTo(1);
        assertThat(files(blobDir()).stream().filter(f -> f.getFileName().toString().equals(sha)).count()).isEqualTo(1);
        assertThat(files(blobDir().resolve("tmp"))).isEmpty();
    }

    /**
     * A real full disk: the blob directory is a 4 MiB tmpfs. Mounting needs root, as on the project's machines and
     * CI: there a failed mount fails the test, and on CI ({@code CI} set, as {@code .ci/run} does) not being root
     * fails it too; only a developer's non-root run skips it. A 6 MiB upload fails with 507 and leaves no file and no
     * row; a small one still works.
     */
    @Test
    void aFullDiskIs507AndLeavesNoPartialBlob() throws Exception {
        boolean root = "root".equals(System.getProperty("user.name"));
        if (System.getenv("CI") != null) {
            assertThat(root).as("on CI the full-disk test runs as root (it mounts a tmpfs); it must not be skipped").isTrue();
        }
        Assumptions.assumeTrue(root, "mounting a tmpfs needs root");
        Path mount = Files.createTempDirectory("storyboard-full-disk");
        Process p = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", mount.toString())
                .redirectErrorStream(true).start();
        String mountOutput = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as("mount -t tmpfs as root: " + mountOutput).isZero();
        try (TestServer small = TestServer.start(TestDatabase.get().newDatabase(), Map.of("BLOB_DIR", mount.toString()))) {
            long size = 6L << 20;
            String sha = BlobData.sha256(6, size);
            HttpResponse<String> r = put(small, sha, 6, size, true);
            assertThat(r.statusCode()).as(r.body()).isEqualTo(507);
            assertThat(r.body()).contains("\"error\":\"insufficient_storage\"");
            assertThat(files(mount)).isEmpty();
            assertThat(small.call(TestServer.TOKEN, "HEAD", "/api/v1/blobs/" + sha, null).status()).isEqualTo(404);
            // A multipart asset upload fails the same way, whatever part of it fills the disk.
            byte[] big = new byte[30 << 20];
            new java.util.Random(8).nextBytes(big);
            TestServer.Response multipart = AssetFixtures.postMultipart(small, TestServer.TOKEN, "/api/v1/assets",
                    AssetFixtures.multipart("{\"name\":\"big.bin\",\"kind\":\"other\"}", "big.bin",
                            "application/octet-stream", big));
            assertThat(multipart.status()).as(multipart.toString()).isEqualTo(507);
            assertThat(multipart.json().get("error").asText()).isEqualTo("insufficient_storage");
            assertThat(files(mount)).isEmpty();
            String tiny = BlobData.sha256(7, 1000);
            assertThat(put(small, tiny, 7, 1000, true).statusCode()).isEqualTo(201);
        } finally {
            new ProcessBuilder("umount", mount.toString()).start().waitFor();
            Files.deleteIfExists(mount);
        }
    }
}
