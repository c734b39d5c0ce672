package storyboard.assets;

import java.lang.management.ManagementFactory;

/**
 * One bounded budget for the memory that uploads are received in: the staging writers' chunks (off the heap) and the
 * hashing's copies (on the heap). Memory is taken as bytes arrive and given back when an upload ends, so a client that
 * sends slowly holds little, and however many uploads run at once their buffers never exceed the budget.
 *
 * <p>An upload needs its first chunk to make progress at all: it waits {@link #waitMillis} for one and is refused with
 * {@link BusyException} (a 503 with Retry-After) when the budget stays full. Anything beyond the first is taken only
 * if it is free at once ({@link #tryAcquire}): without it the upload is slower, never stuck.
 */
public final class UploadMemory {
    /** How long a new upload waits for memory before it is refused. */
    static final long WAIT_MILLIS = 5_000;
    /** What a refused client is told to wait before retrying. */
    public static final int RETRY_AFTER_SECONDS = 10;

    private final long capacity;
    private final long waitMillis;
    private long used;

    public UploadMemory(long capacity) {
        this(capacity, WAIT_MILLIS);
    }

    UploadMemory(long capacity, long waitMillis) {
        if (capacity < StagingWriter.CHUNK) throw new IllegalArgumentException("the upload memory must hold one chunk");
        this.capacity = capacity;
        this.waitMillis = waitMillis;
    }

    /**
     * The budget for this JVM: a quarter of the heap, and of the off-heap limit (which defaults to the heap's size),
     * from 16 to 256 MiB (64 MiB at -Xmx256m).
     */
    public static UploadMemory forThisJvm() {
        long heap = Runtime.getRuntime().maxMemory();
        long direct = maxDirectMemory();
        long quarter = Math.min(heap, direct > 0 ? direct : heap) / 4;
        return new UploadMemory(Math.max(16L << 20, Math.min(256L << 20, quarter)));
    }

    /** -XX:MaxDirectMemorySize, or 0 when not set (then it is the heap's maximum). */
    private static long maxDirectMemory() {
        try {
            var hotspot = ManagementFactory.getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class);
            return Long.parseLong(hotspot.getVMOption("MaxDirectMemorySize").getValue());
        } catch (RuntimeException | LinkageError e) {
            return 0;
        }
    }

    public long capacity() {
        return capacity;
    }

    /** Bytes taken now (tests check that everything came back). */
    public synchronized long used() {
        return used;
    }

    /** Takes {@code bytes} if free at once. */
    synchronized boolean tryAcquire(long bytes) {
        if (used + bytes > capacity) return false;
        used += bytes;
        return true;
    }

    /** Takes {@code bytes}, waiting up to {@link #waitMillis} for them; else {@link BusyException}. */
    synchronized void acquire(long bytes) throws BusyException, java.io.InterruptedIOException {
        long deadline = System.nanoTime() + waitMillis * 1_000_000;
        while (used + bytes > capacity) {
            long left = deadline - System.nanoTime();
            if (left <= 0) throw new BusyException();
            try {
                wait(Math.max(1, left / 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException("interrupted while waiting for upload memory");
            }
        }
        used += bytes;
    }

    synchronized void release(long bytes) {
        used -= bytes;
        if (used < 0) throw new IllegalStateException("upload memory released twice");
        notifyAll();
    }

    /** Too many uploads at once: the client should retry later; nothing of it was kept. */
    public static final class BusyException extends java.io.IOException {
        BusyException() {
            super("the server is receiving as many uploads as its memory allows");
        }
    }
}
