package storyboard.assets;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import storyboard.support.TestServer;

/** A blob over 64 MiB is answered without its MD5, which is filled in shortly after, on the blob and its versions. */
class DeferredMd5Test {
    private final TestServer server = TestServer.shared();

    @Test
    void theMd5OfALargeBlobArrivesAfterTheUploadOnTheBlobAndItsAssetVersions() throws Exception {
        byte[] bytes = new byte[(int) Hasher.INLINE_MD5_LIMIT + 4096];
        new Random(42).nextBytes(bytes);
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        String md5 = HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(bytes));

        TestServer.Response put = server.send(server.request("/api/v1/blobs/" + sha)
                .header("Content-Type", "application/octet-stream")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(bytes)).build());
        assertThat(put.status()).as(put.body()).isEqualTo(201);
        assertThat(put.json().get("sha256").asText()).isEqualTo(sha);
        TestServer.Response asset = server.call(TestServer.TOKEN, "POST", "/api/v1/assets",
                "{\"name\":\"big.bin\",\"kind\":\"model\",\"project\":\"md5-test\",\"sha256\":\"" + sha + "\"}");
        assertThat(asset.status()).as(asset.body()).isEqualTo(201);

        long deadline = System.currentTimeMillis() + 20_000;
        Map<String, Object> row = Map.of();
        while (System.currentTimeMillis() < deadline) {
            row = server.jdbi().withHandle(h -> h.createQuery("""
                            select b.md5 as blob_md5, v.md5 as version_md5
                              from blob b join asset_version v on v.blob_sha256 = b.sha256 where b.sha256 = :s""")
                    .bind("s", sha).mapToMap().one());
            if (row.get("blob_md5") != null && row.get("version_md5") != null) break;
            Thread.sleep(100);
        }
        assertThat(row).containsEntry("blob_md5", md5).containsEntry("version_md5", md5);
        TestServer.Response byMd5 = server.call(TestServer.TOKEN, "GET", "/api/v1/assets?md5=" + md5, null);
        assertThat(byMd5.json().get("items")).hasSize(1);
    }

    @Test
    void smallBlobsHaveTheirMd5AtOnce() throws Exception {
        byte[] bytes = "a small file".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        TestServer.Response put = server.send(server.request("/api/v1/blobs/" + sha)
                .PUT(HttpRequest.BodyPublishers.ofByteArray(bytes)).build());
        assertThat(put.json().get("md5").asText())
                .isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(bytes)));
    }
}
