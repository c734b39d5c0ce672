package storyboard.assets;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * SHA-256 and MD5 of a stream of bytes, and its first bytes (for sniffing the media type). MD5 (about half as
 * fast as SHA-256 with the CPU's SHA instructions) runs on another thread, in order, over copies held in a few
 * pooled buffers: hashing then keeps up with a fast disk, in constant memory (at most {@link #IN_FLIGHT} buffers,
 * taken from the {@link UploadMemory} budget when one is given and only if free at once; without them, and for small
 * updates, the MD5 is computed on the caller's thread).
 * Past {@link #INLINE_MD5_LIMIT} bytes the MD5 is given up ({@link #finish} answers null for it): on two cores it
 * would halve the upload rate of large files, so {@link Md5Backfill} computes it after the upload instead.
 */
public final class Hasher {
    public static final int HEAD = 512;
    private static final int IN_FLIGHT = 4;
    public static final long INLINE_MD5_LIMIT = 64L << 20;
    private boolean md5GivenUp;
    private static final int CHUNK = 1 << 18;
    /** Updates this small are hashed on the caller's thread: a copy would cost more than it saves. */
    private static final int INLINE_BELOW = 16 * 1024;
    private static final ExecutorService MD5_THREADS = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "blob-md5");
        t.setDaemon(true);
        return t;
    });

    private final MessageDigest sha = digest("SHA-256");
    private final MessageDigest md5 = digest("MD5");
    private final byte[] head = new byte[HEAD];
    private final BlockingQueue<byte[]> free = new ArrayBlockingQueue<>(IN_FLIGHT);
    private final UploadMemory memory;
    private int pooled;
    private CompletableFuture<Void> md5Tail = CompletableFuture.completedFuture(null);
    private int headLength;
    private long size;

    /** A hasher whose MD5 copies are not counted in any budget (at most {@link #IN_FLIGHT} x 256 KiB). */
    public Hasher() {
        this(null);
    }

    /** A hasher whose MD5 copies come from {@code memory} (or, when it has none free, are not made). */
    public Hasher(UploadMemory memory) {
        this.memory = memory;
    }

    public void update(byte[] buf, int off, int len) {
        update(ByteBuffer.wrap(buf, off, len));
    }

    /** Hashes the buffer's remaining bytes and moves its position to its limit. */
    public void update(ByteBuffer bytes) {
        int len = bytes.remaining();
        int off = bytes.position();
        if (headLength < HEAD) {
            int n = Math.min(HEAD - headLength, len);
            bytes.get(off, head, headLength, n);
            headLength += n;
        }
        size += len;
        if (size > INLINE_MD5_LIMIT) md5GivenUp = true;
        if (!md5GivenUp) {
            for (int done = 0; done < len; ) {
                int n = Math.min(len - done, CHUNK);
                byte[] copy = n < INLINE_BELOW ? null : buffer();
                if (copy == null) {
                    // In order: after the copies already queued.
                    md5Tail.join();
                    md5.update(bytes.duplicate().limit(off + done + n).position(off + done));
                    done += n;
                    continue;
                }
                bytes.get(off + done, copy, 0, n);
                md5Tail = md5Tail.thenRunAsync(() -> {
                    md5.update(copy, 0, n);
                    free.offer(copy);
                }, MD5_THREADS);
                done += n;
            }
        }
        sha.update(bytes);
    }

    /** A buffer to copy into, or null to hash on this thread (none free in the budget and none of our own). */
    private byte[] buffer() {
        byte[] b = free.poll();
        if (b != null) return b;
        if (pooled < IN_FLIGHT && (memory == null || memory.tryAcquire(CHUNK))) {
            pooled++;
            try {
                return new byte[CHUNK];
            } catch (OutOfMemoryError e) {
                pooled--;
                if (memory != null) memory.release(CHUNK);
                throw e;
            }
        }
        if (pooled == 0) return null;
        try {
            return free.take(); // wait for the MD5 thread to catch up
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while hashing", e);
        }
    }

    public long size() {
        return size;
    }

    public byte[] head() {
        return Arrays.copyOf(head, headLength);
    }

    /** The hex digests (sha256, md5 or null past {@link #INLINE_MD5_LIMIT}); the hasher is spent afterwards. */
    public String[] finish() {
        park();
        return new String[] {HexFormat.of().formatHex(sha.digest()), md5GivenUp ? null : HexFormat.of().formatHex(md5.digest())};
    }

    /**
     * Waits for the queued MD5 work and gives its buffers back (to the budget): a hasher kept between the requests
     * of a resumable upload holds only its digests' state. Updates may follow (they take buffers again).
     */
    public void park() {
        try {
            md5Tail.join();
        } finally {
            free.clear();
            if (memory != null && pooled > 0) memory.release((long) pooled * CHUNK);
            pooled = 0;
        }
    }

    static MessageDigest digest(String algorithm) {
        try {
            return MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
