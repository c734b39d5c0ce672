package storyboard.assets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import storyboard.api.ApiException;
import storyboard.kernel.Actor;
import storyboard.kernel.BlobStorage;
import storyboard.support.TestServer;

/** Storing a batch of files at once (a project's import) gives what storing them one by one would. */
class StoredBlobsTest {
    private final TestServer server = TestServer.shared();

    private StoredBlobs blobs() throws Exception {
        FileBlobStore store = new FileBlobStore(server.app().config().blobDir());
        return new StoredBlobs(store, new BlobIndex(server.jdbi(), null), 1 << 20);
    }

    private static String sha(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    private static BlobStorage.Source source(byte[] bytes, String expectedSha) {
        return new BlobStorage.Source(expectedSha, bytes.length, () -> new ByteArrayInputStream(bytes));
    }

    @Test
    void aBatchIsStoredInOrderOnceEachWithItsRowsAndEvents() throws Exception {
        Random random = new Random();
        List<byte[]> files = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            byte[] b = new byte[100 + random.nextInt(5000)];
            random.nextBytes(b);
            files.add(b);
        }
        files.add(files.get(3)); // the same bytes twice in one batch
        byte[] already = ("stored before " + random.nextLong()).getBytes(StandardCharsets.UTF_8);
        StoredBlobs blobs = blobs();
        BlobStorage.Stored before = blobs.put(new ByteArrayInputStream(already), already.length, null, Actor.cli());
        assertThat(before.created()).isTrue();
        List<BlobStorage.Source> sources = new ArrayList<>();
        for (byte[] f : files) sources.add(source(f, null));
        sources.add(source(already, sha(already)));
        long eventsBefore = events();

        List<BlobStorage.Stored> stored = blobs.putAll(sources, Actor.cli());

        assertThat(stored).hasSize(42);
        for (int i = 0; i < files.size(); i++) {
            assertThat(stored.get(i).sha256()).isEqualTo(sha(files.get(i)));
            assertThat(stored.get(i).size()).isEqualTo(files.get(i).length);
            TestServer.Response get = server.get("/api/v1/blobs/" + stored.get(i).sha256());
            assertThat(get.status()).isEqualTo(200);
            assertThat(get.bytes()).isEqualTo(files.get(i));
        }
        assertThat(stored.get(3).created()).isTrue();
        assertThat(stored.get(40).created()).as("the duplicate counts once").isFalse();
        assertThat(stored.get(41)).isEqualTo(new BlobStorage.Stored(sha(already), already.length, false));
        assertThat(events() - eventsBefore).as("one blob.created per new blob").isEqualTo(40);
        assertThat(blobs.missing(List.of(sha(files.get(0)), sha("never stored".getBytes(StandardCharsets.UTF_8)))))
                .containsExactly(sha("never stored".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void aMismatchOrAnOversizeFileFailsTheBatchAndRecordsNothingOfIt() throws Exception {
        byte[] good = ("good " + System.nanoTime()).getBytes(StandardCharsets.UTF_8);
        byte[] bad = ("bad " + System.nanoTime()).getBytes(StandardCharsets.UTF_8);
        StoredBlobs blobs = blobs();
        String wrong = sha("something else".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> blobs.putAll(List.of(source(good, null), source(bad, wrong)), Actor.cli()))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(422));
        assertThat(blobs.missing(List.of(sha(good), sha(bad)))).containsExactlyInAnyOrder(sha(good), sha(bad));

        byte[] huge = new byte[(1 << 20) + 1];
        assertThatThrownBy(() -> blobs.putAll(List.of(source(huge, null)), Actor.cli()))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(413));
    }

    private long events() {
        return server.jdbi().withHandle(h -> h.createQuery("select count(*) from event where type = 'blob.created'")
                .mapTo(Long.class).one());
    }
}
