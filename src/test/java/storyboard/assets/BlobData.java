package storyboard.assets;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.SplittableRandom;

/** Deterministic pseudo-random bytes of any size, made as they are read (constant memory on both sides). */
final class BlobData {
    private BlobData() {}

    static InputStream stream(long seed, long size) {
        return new InputStream() {
            private final SplittableRandom random = new SplittableRandom(seed);
            private long left = size;

            @Override
            public int read() {
                byte[] b = new byte[1];
                return read(b, 0, 1) < 0 ? -1 : b[0] & 0xFF;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (left == 0) return -1;
                int n = (int) Math.min(len, left);
                for (int i = 0; i < n; i++) b[off + i] = (byte) random.nextInt(256);
                left -= n;
                return n;
            }
        };
    }

    static byte[] bytes(long seed, int size) {
        try {
            return stream(seed, size).readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String sha256(long seed, long size) {
        try (InputStream in = stream(seed, size)) {
            return sha256(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String sha256(InputStream in) throws IOException {
        MessageDigest d = Hasher.digest("SHA-256");
        byte[] buf = new byte[1 << 16];
        int n;
        while ((n = in.read(buf)) > 0) d.update(buf, 0, n);
        return HexFormat.of().formatHex(d.digest());
    }

    static String sha256(byte[] b) {
        return HexFormat.of().formatHex(Hasher.digest("SHA-256").digest(b));
    }
}
