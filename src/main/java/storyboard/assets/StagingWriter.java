package storyboard.assets;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Writes a new file from a stream of bytes on a background thread, so that the disk works while the caller
 * receives and hashes the next bytes; {@link #finish} returns once every byte is written and fsynced.
 *
 * <p>Where the file system allows it the file is written with {@code O_DIRECT}: the bytes go from a few reused,
 * aligned buffers straight to the disk instead of through the page cache. Copying a large body into fresh
 * page-cache pages was the most expensive step of an upload (more than hashing it), the dirty pages then had to be
 * written back anyway before the fsync, and a blob just uploaded is rarely read again soon. Elsewhere (a file
 * system that refuses {@code O_DIRECT}) the file is written through the page cache, flushed in the background
 * every {@link #FLUSH_EVERY} bytes so that the final fsync does not find the whole body still dirty.
 *
 * <p>Memory is bounded: {@link #IN_FLIGHT} chunks of {@link #CHUNK} bytes per writer, off the heap, pooled.
 * Not thread-safe: one caller thread writes, then finishes or closes.
 */
final class StagingWriter implements AutoCloseable {
    static final int CHUNK = 1 << 20;
    private static final int IN_FLIGHT = 3;
    /** Direct I/O needs the file offset, length and memory address aligned to the device's block size. */
    private static final int ALIGN = 4096;
    private static final long FLUSH_EVERY = 32L << 20;
    /** Chunks kept for reuse between uploads: allocating direct memory is slow and only freed by a GC. */
    private static final int POOL_MAX = 16;
    private static final ConcurrentLinkedQueue<ByteBuffer> POOL = new ConcurrentLinkedQueue<>();
    private static final AtomicInteger POOLED = new AtomicInteger();
    private static final ByteBuffer END = ByteBuffer.allocate(0);
    private static final ExecutorService WRITERS = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "blob-write");
        t.setDaemon(true);
        return t;
    });

    private final FileChannel out;
    private final boolean direct;
    private final BlockingQueue<ByteBuffer> free = new ArrayBlockingQueue<>(IN_FLIGHT);
    /** One more slot than there are chunks, so that {@link #END} always fits. */
    private final BlockingQueue<ByteBuffer> full = new ArrayBlockingQueue<>(IN_FLIGHT + 1);
    private final Future<?> task;
    private volatile IOException failure;
    private ByteBuffer current;
    private long size;
    private boolean ended;

    private StagingWriter(FileChannel out, boolean direct) {
        this.out = out;
        this.direct = direct;
        for (int i = 0; i < IN_FLIGHT; i++) free.add(take());
        this.task = WRITERS.submit(this::drain);
    }

    /**
     * Creates {@code file} (it must not exist) and a writer for it: with {@code O_DIRECT} if {@code tryDirect} and the
     * file system accepts it, else buffered.
     */
    static StagingWriter create(Path file, boolean tryDirect) throws IOException {
        if (tryDirect) {
            FileChannel ch = null;
            try {
                ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, directOption());
            } catch (UnsupportedOperationException | IOException e) {
                // Not supported here (the platform, or a file system such as older tmpfs: EINVAL). The failed
                // open may still have created the file, so the buffered open below does not insist on a new one.
                if (e instanceof java.nio.file.FileAlreadyExistsException) throw (IOException) e;
            }
            if (ch != null) return new StagingWriter(ch, true);
            return new StagingWriter(FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING), false);
        }
        return new StagingWriter(FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), false);
    }

    private static OpenOption directOption() {
        return com.sun.nio.file.ExtendedOpenOption.DIRECT;
    }

    boolean direct() {
        return direct;
    }

    /** Queues the bytes for writing (copied: the caller may reuse {@code buf}); fails with an earlier write's error. */
    void write(byte[] buf, int off, int len) throws IOException {
        while (len > 0) {
            if (current == null) current = nextFree();
            int n = Math.min(len, current.remaining());
            current.put(buf, off, n);
            off += n;
            len -= n;
            size += n;
            if (!current.hasRemaining()) {
                submit(current);
                current = null;
            }
        }
    }

    /** Writes what is still queued, then fsyncs the file (data and size). */
    void finish() throws IOException {
        if (current != null && current.position() > 0) {
            ByteBuffer last = current;
            current = null;
            if (direct) {
                // Padded with zeros to a whole block, cut back to the real size below.
                int padded = (last.position() + ALIGN - 1) / ALIGN * ALIGN;
                while (last.position() < padded) last.put((byte) 0);
            }
            submit(last);
        }
        end();
        if (failure != null) throw failure;
        if (direct && out.size() != size) out.truncate(size);
        out.force(true);
    }

    long size() {
        return size;
    }

    /** Stops the writer thread (after a failure on either side, or after {@link #finish}) and closes the file. */
    @Override
    public void close() throws IOException {
        try {
            end();
        } finally {
            if (current != null) {
                give(current);
                current = null;
            }
            ByteBuffer b;
            while ((b = free.poll()) != null) give(b);
            out.close();
        }
    }

    private ByteBuffer nextFree() throws IOException {
        if (failure != null) throw failure;
        try {
            ByteBuffer b = free.take();
            b.clear();
            return b;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while writing");
        }
    }

    private void submit(ByteBuffer b) throws IOException {
        b.flip();
        full.add(b); // never full: at most IN_FLIGHT chunks exist
        if (failure != null) throw failure;
    }

    /** Tells the writer thread there is no more, and waits for it to write what it holds. */
    private void end() throws IOException {
        if (ended) return;
        ended = true;
        full.add(END);
        try {
            task.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while writing");
        } catch (ExecutionException e) {
            throw new IOException("the blob writer failed", e.getCause());
        }
    }

    /** The writer thread: writes chunks in order; after a failure it only hands them back, so the caller never waits forever. */
    private void drain() {
        java.util.concurrent.CompletableFuture<Void> flushing = java.util.concurrent.CompletableFuture.completedFuture(null);
        long unflushed = 0;
        try {
            while (true) {
                ByteBuffer b;
                try {
                    b = full.take();
                } catch (InterruptedException e) {
                    failure = new java.io.InterruptedIOException("interrupted while writing");
                    return;
                }
                if (b == END) return;
                if (failure == null) {
                    try {
                        int n = b.remaining();
                        while (b.hasRemaining()) out.write(b);
                        unflushed += n;
                        if (!direct && unflushed >= FLUSH_EVERY && flushing.isDone()) {
                            // Start writing back what the page cache holds while more arrives (a separate thread:
                            // force() waits for the disk).
                            unflushed = 0;
                            flushing = java.util.concurrent.CompletableFuture.runAsync(this::flush, WRITERS);
                        }
                    } catch (IOException | RuntimeException e) {
                        failure = e instanceof IOException io ? io : new IOException(e);
                    }
                }
                free.add(b);
            }
        } finally {
            // The final force() reports a failed background flush again; only wait for it to end.
            flushing.exceptionally(e -> null).join();
        }
    }

    private void flush() {
        try {
            out.force(false);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static ByteBuffer take() {
        ByteBuffer b = POOL.poll();
        if (b != null) {
            POOLED.decrementAndGet();
            return b;
        }
        return ByteBuffer.allocateDirect(CHUNK + ALIGN).alignedSlice(ALIGN).limit(CHUNK).slice();
    }

    private static void give(ByteBuffer b) {
        b.clear();
        if (POOLED.incrementAndGet() <= POOL_MAX) {
            POOL.add(b);
        } else {
            POOLED.decrementAndGet();
        }
    }
}
