package storyboard.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import storyboard.kernel.Json;
import storyboard.support.TestDatabase;
import storyboard.support.TestServer;

/**
 * The blob directory on a 4 MiB tmpfs: every way of uploading (a blob PUT, a multipart asset, a tus upload) answers
 * 507 insufficient_storage when the disk fills, leaves no partial blob, and small uploads go on working. Mounting
 * needs root, as on the project's machines; on CI ({@code CI} set) not being root fails the test.
 */
class FullDiskTest {
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void everyUploadOntoAFullDiskIs507AndLeavesNothingPartial() throws Exception {
        boolean root = "root".equals(System.getProperty("user.name"));
        if (System.getenv("CI") != null) assertThat(root).as("on CI the full-disk test runs as root (it mounts a tmpfs)").isTrue();
        Assumptions.assumeTrue(root, "mounting a tmpfs needs root");
        Path mount = Files.createTempDirectory("storyboard-reliability-full-disk");
        Process p = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", mount.toString()).redirectErrorStream(true).start();
        String mountOutput = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as("mount -t tmpfs: " + mountOutput).isZero();
        List<String> lines = new ArrayList<>();
        try (TestServer server = TestServer.start(TestDatabase.get().newDatabase(), Map.of("BLOB_DIR", mount.toString()))) {
            byte[] big = new byte[6 << 20];
            new Random(42).nextBytes(big);
            String sha = sha256(big);

            HttpResponse<String> put = http.send(server.request("/api/v1/blobs/" + sha).header("Content-Type", "application/octet-stream")
                    .PUT(HttpRequest.BodyPublishers.ofByteArray(big)).build(), HttpResponse.BodyHandlers.ofString());
            lines.add("blob PUT of 6 MiB: " + put.statusCode() + " " + error(put.body()));
            assertThat(put.statusCode()).as(put.body()).isEqualTo(507);
            assertThat(error(put.body())).isEqualTo("insufficient_storage");
            assertThat(files(mount)).isEmpty();

            String boundary = "reliability";
            byte[] head = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"asset\"\r\n\r\n{\"name\":\"big.bin\",\"kind\":\"other\"}\r\n--"
                    + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.bin\"\r\nContent-Type: application/octet-stream\r\n\r\n")
                    .getBytes(StandardCharsets.UTF_8);
            byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8);
            byte[] multipart = new byte[head.length + big.length + tail.length];
            System.arraycopy(head, 0, multipart, 0, head.length);
            System.arraycopy(big, 0, multipart, head.length, big.length);
            System.arraycopy(tail, 0, multipart, head.length + big.length, tail.length);
            HttpResponse<String> form = http.send(server.request("/api/v1/assets").header("Content-Type", "multipart/form-data; boundary=" + boundary)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(multipart)).build(), HttpResponse.BodyHandlers.ofString());
            lines.add("multipart asset upload of 6 MiB: " + form.statusCode() + " " + error(form.body()));
            assertThat(form.statusCode()).as(form.body()).isEqualTo(507);
            assertThat(files(mount)).isEmpty();

            HttpResponse<String> created = http.send(server.request("/api/v1/uploads").header("Tus-Resumable", "1.0.0")
                    .header("Upload-Length", String.valueOf(big.length))
                    .header("Upload-Metadata", "sha256 " + Base64.getEncoder().encodeToString(sha.getBytes(StandardCharsets.US_ASCII)))
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
            String location = created.headers().firstValue("Location").orElseThrow();
            HttpResponse<String> patch = http.send(server.request(location).header("Tus-Resumable", "1.0.0").header("Upload-Offset", "0")
                    .header("Content-Type", "application/offset+octet-stream")
                    .method("PATCH", HttpRequest.BodyPublishers.ofByteArray(big)).build(), HttpResponse.BodyHandlers.ofString());
            HttpResponse<Void> offset = http.send(server.request(location).header("Tus-Resumable", "1.0.0")
                    .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
            long held = Long.parseLong(offset.headers().firstValue("Upload-Offset").orElse("-1"));
            lines.add("tus PATCH of 6 MiB: " + patch.statusCode() + " " + error(patch.body()) + "; the upload then holds " + held + " bytes");
            assertThat(patch.statusCode()).as(patch.body()).isEqualTo(507);
            assertThat(error(patch.body())).isEqualTo("insufficient_storage");
            assertThat(held).as("a durable offset, below the whole").isBetween(0L, (long) big.length - 1);
            HttpResponse<String> abandoned = http.send(server.request(location).header("Tus-Resumable", "1.0.0").DELETE().build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(abandoned.statusCode()).isEqualTo(204);
            assertThat(files(mount)).as("nothing left once the upload is abandoned").isEmpty();
            assertThat(server.call(TestServer.TOKEN, "HEAD", "/api/v1/blobs/" + sha, null).status()).isEqualTo(404);

            byte[] small = "a small file still fits".getBytes(StandardCharsets.UTF_8);
            HttpResponse<String> ok = http.send(server.request("/api/v1/blobs/" + sha256(small)).header("Content-Type", "application/octet-stream")
                    .PUT(HttpRequest.BodyPublishers.ofByteArray(small)).build(), HttpResponse.BodyHandlers.ofString());
            lines.add("then a small blob PUT: " + ok.statusCode());
            assertThat(ok.statusCode()).isEqualTo(201);
            assertThat(server.get("/readyz").status()).isEqualTo(200);
        } finally {
            new ProcessBuilder("umount", mount.toString()).start().waitFor();
            Files.deleteIfExists(mount);
        }
        Figures.write("full-disk", "Uploads onto a full disk (the blob directory on a 4 MiB tmpfs)", lines);
    }

    private static String error(String body) {
        try {
            return Json.MAPPER.readTree(body).path("error").asText();
        } catch (Exception e) {
            return "(not JSON: " + body + ")";
        }
    }

    private static List<Path> files(Path dir) throws Exception {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).toList();
        }
    }

    private static String sha256(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }
}
