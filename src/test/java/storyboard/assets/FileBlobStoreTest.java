package storyboard.assets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Staging a blob, with direct I/O and through the page cache: sizes around the block and chunk boundaries come back
 * byte for byte with their hashes; a wrong hash, a body over the limit and a cut stream keep nothing.
 */
class FileBlobStoreTest {
    @TempDir
    Path dir;

    private static final long[] SIZES = {0, 1, 511, 4095, 4096, 4097, StagingWriter.CHUNK - 1, StagingWriter.CHUNK,
            StagingWriter.CHUNK + 1, 3L * StagingWriter.CHUNK + 12_345, 9L * StagingWriter.CHUNK};

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void stagedBytesComeBackWithTheirHashes(boolean direct) throws Exception {
        FileBlobStore store = new FileBlobStore(dir, direct);
        long seed = 1;
        for (long size : SIZES) {
            String sha = BlobData.sha256(seed, size);
            BlobStore.Staged staged = store.stage(BlobData.stream(seed, size), sha, Long.MAX_VALUE);
            assertThat(staged.sha256()).isEqualTo(sha);
            assertThat(staged.size()).isEqualTo(size);
            assertThat(staged.md5()).isEqualTo(md5(BlobData.stream(seed, size)));
            assertThat(staged.head()).isEqualTo(BlobData.bytes(seed, (int) Math.min(size, Hasher.HEAD)));
            Path file = (Path) staged.handle();
            assertThat(Files.size(file)).as("size %d", size).isEqualTo(size);
            try (InputStream in = Files.newInputStream(file)) {
                assertThat(BlobData.sha256(in)).as("bytes of size %d", size).isEqualTo(sha);
            }
            store.publish(staged);
            store.discard(staged);
            assertThat(store.size(sha)).contains(size);
            seed++;
        }
        assertThat(staging()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void aWrongHashATooLargeBodyAndACutStreamKeepNothing(boolean direct) throws Exception {
        FileBlobStore store = new FileBlobStore(dir, direct);
        long size = 5L * StagingWriter.CHUNK + 7;
        String other = BlobData.sha256(99, 10);
        assertThatThrownBy(() -> store.stage(BlobData.stream(3, size), other, Long.MAX_VALUE))
                .isInstanceOf(BlobStore.HashMismatchException.class);
        assertThatThrownBy(() -> store.stage(BlobData.stream(3, size), null, size - 1))
                .isInstanceOf(BlobStore.TooLargeException.class);
        InputStream cut = new InputStream() {
            private final InputStream in = BlobData.stream(3, size);
            private long read;

            @Override
            public int read() {
                throw new UnsupportedOperationException();
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (read > 3L * StagingWriter.CHUNK) throw new IOException("connection reset");
                int n = in.read(b, off, len);
                read += Math.max(n, 0);
                return n;
            }
        };
        assertThatThrownBy(() -> store.stage(cut, null, Long.MAX_VALUE)).hasMessage("connection reset");
        assertThat(staging()).isEmpty();
        try (Stream<Path> s = Files.walk(dir)) {
            assertThat(s.filter(Files::isRegularFile).toList()).isEmpty();
        }
    }

    @org.junit.jupiter.api.Test
    void directIoIsUsedExactlyWhereTheFileSystemAllowsIt() throws Exception {
        boolean accepted = directAccepted();
        try (StagingWriter w = StagingWriter.create(dir.resolve("direct.part"), true)) {
            assertThat(w.direct()).isEqualTo(accepted);
            w.write(new byte[] {1, 2, 3}, 0, 3);
            w.finish();
        }
        assertThat(Files.readAllBytes(dir.resolve("direct.part"))).containsExactly(1, 2, 3);
        try (StagingWriter w = StagingWriter.create(dir.resolve("buffered.part"), false)) {
            assertThat(w.direct()).isFalse();
        }
    }

    /** Whether this file system lets a file be opened with O_DIRECT (an older tmpfs does not). */
    private boolean directAccepted() {
        try (var probe = java.nio.channels.FileChannel.open(dir.resolve("probe-" + System.nanoTime()),
                java.nio.file.StandardOpenOption.CREATE_NEW, java.nio.file.StandardOpenOption.WRITE,
                com.sun.nio.file.ExtendedOpenOption.DIRECT)) {
            return true;
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    @org.junit.jupiter.api.Test
    void aFileSystemThatRefusesDirectWritesGetsThemThroughThePageCache() throws Exception {
        boolean opensDirect = directAccepted();
        FileBlobStore store = new FileBlobStore(dir, true);
        StagingWriter.refuseDirectWritesForTests = true;
        try {
            for (long seed : new long[] {41, 42}) {
                long size = 3L * StagingWriter.CHUNK + 777;
                String sha = BlobData.sha256(seed, size);
                BlobStore.Staged staged = store.stage(BlobData.stream(seed, size), sha, Long.MAX_VALUE);
                try (InputStream in = Files.newInputStream((Path) staged.handle())) {
                    assertThat(BlobData.sha256(in)).isEqualTo(sha);
                }
                assertThat(Files.size((Path) staged.handle())).isEqualTo(size);
                store.discard(staged);
            }
            // Once refused (here where the open succeeds), later writers do not try again.
            assertThat(StagingWriter.directRefused).isEqualTo(opensDirect);
            try (StagingWriter w = StagingWriter.create(dir.resolve("later.part"), true)) {
                assertThat(w.direct()).isFalse();
            }
        } finally {
            StagingWriter.refuseDirectWritesForTests = false;
            StagingWriter.directRefused = false;
        }
    }

    @org.junit.jupiter.api.Test
    void writersTakeMemoryAsBytesArriveAndOneTheBudgetCannotHoldIsRefused() throws Exception {
        UploadMemory memory = new UploadMemory(4L * StagingWriter.CHUNK, 300);
        int writers = 6;
        java.util.List<StagingWriter> open = new java.util.ArrayList<>();
        try {
            for (int i = 0; i < writers; i++) open.add(StagingWriter.create(dir.resolve("w" + i), true, null, memory, -1));
            // Nothing arrived yet: nothing held.
            assertThat(memory.used()).isZero();
            assertThat(open).allSatisfy(w -> assertThat(w.chunksHeld()).isZero());
            for (int i = 0; i < 4; i++) open.get(i).write(new byte[] {(byte) i}, 0, 1);
            assertThat(memory.used()).isEqualTo(4L * StagingWriter.CHUNK);
            assertThat(open.subList(0, 4)).allSatisfy(w -> assertThat(w.chunksHeld()).isEqualTo(1));
            // The budget is full: the fifth waits briefly, then is refused.
            long t0 = System.nanoTime();
            assertThatThrownBy(() -> open.get(4).write(new byte[] {4}, 0, 1)).isInstanceOf(UploadMemory.BusyException.class);
            assertThat((System.nanoTime() - t0) / 1_000_000).isBetween(250L, 5_000L);
            // One ends: the sixth gets its chunk, and writers holding one go on with it alone.
            open.get(0).close();
            open.get(5).write(new byte[] {5}, 0, 1);
            for (int i = 1; i < 4; i++) {
                byte[] bytes = BlobData.bytes(i, 3 * StagingWriter.CHUNK + 100);
                open.get(i).write(bytes, 0, bytes.length);
                open.get(i).finish();
                assertThat(open.get(i).chunksHeld()).isEqualTo(1);
            }
        } finally {
            for (StagingWriter w : open) w.close();
        }
        for (int i = 1; i < 4; i++) {
            byte[] expected = new byte[1 + 3 * StagingWriter.CHUNK + 100];
            expected[0] = (byte) i;
            System.arraycopy(BlobData.bytes(i, 3 * StagingWriter.CHUNK + 100), 0, expected, 1, expected.length - 1);
            assertThat(Files.readAllBytes(dir.resolve("w" + i))).as("writer " + i).isEqualTo(expected);
        }
        // The budget is whole again once they are closed.
        assertThat(memory.used()).isZero();
    }

    @org.junit.jupiter.api.Test
    void aSmallBodyTakesMemoryForItsSizeAndStagingWorksWithOneChunkOfBudget() throws Exception {
        UploadMemory memory = new UploadMemory(StagingWriter.CHUNK, 300);
        try (StagingWriter w = StagingWriter.create(dir.resolve("small.part"), true, null, memory, 100)) {
            w.write(new byte[100], 0, 100);
            assertThat(memory.used()).isEqualTo(4096);
            w.finish();
        }
        assertThat(Files.size(dir.resolve("small.part"))).isEqualTo(100);
        // A large blob through a budget of one chunk: slower (no overlap, MD5 on the hashing thread), but whole.
        FileBlobStore store = new FileBlobStore(dir, true, memory);
        long size = 9L * StagingWriter.CHUNK + 5;
        String sha = BlobData.sha256(7, size);
        BlobStore.Staged staged = store.stage(BlobData.stream(7, size), sha, Long.MAX_VALUE, size);
        assertThat(staged.sha256()).isEqualTo(sha);
        assertThat(staged.md5()).isEqualTo(md5(BlobData.stream(7, size)));
        assertThat(memory.used()).isZero();
    }

    @org.junit.jupiter.api.Test
    void anInspectorThatFailsFailsTheWriteAndTheCallerIsNotLeftWaiting() throws Exception {
        byte[] chunk = new byte[StagingWriter.CHUNK];
        // Many times: the failure reaches the writing thread at varying points of its loop.
        for (int i = 0; i < 200; i++) {
            Path file = dir.resolve("failing-" + i + ".part");
            try (StagingWriter w = StagingWriter.create(file, true, b -> {
                throw new IllegalStateException("boom");
            })) {
                assertThatThrownBy(() -> {
                    for (int c = 0; c < 64; c++) w.write(chunk, 0, chunk.length);
                    w.finish();
                }).isInstanceOf(IOException.class).hasMessageContaining("boom");
            }
            Files.delete(file);
        }
        // Its chunks were not handed back twice: later writes (sharing the pool) still store what they hashed.
        FileBlobStore store = new FileBlobStore(dir, true);
        for (long seed = 20; seed < 24; seed++) {
            long size = 9L * StagingWriter.CHUNK;
            String sha = BlobData.sha256(seed, size);
            assertThat(store.stage(BlobData.stream(seed, size), sha, Long.MAX_VALUE).sha256()).isEqualTo(sha);
        }
    }

    private java.util.List<Path> staging() throws IOException {
        try (Stream<Path> s = Files.list(dir.resolve("tmp"))) {
            return s.toList();
        }
    }

    private static String md5(InputStream in) throws IOException {
        MessageDigest d = Hasher.digest("MD5");
        byte[] buf = new byte[1 << 16];
        int n;
        while ((n = in.read(buf)) > 0) d.update(buf, 0, n);
        return HexFormat.of().formatHex(d.digest());
    }
}
