package storyboard.assets;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
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
 * receives the next bytes; {@link #finish} returns once every byte is written and fsynced. An optional
 * {@code inspector} (the hashing) sees every chunk, in order, on a third thread before it is written: on two cores
 * receiving, hashing and writing then overlap instead of taking turns.
 *
 * <p>Where the file system allows it the file is written with {@code O_DIRECT}: the bytes go from a few reused,
 * aligned buffers straight to the disk instead of through the page cache. Copying a large body into fresh
 * page-cache pages was the most expensive step of an upload (more than hashing it), the dirty pages then had to be
 * written back anyway before the fsync, and a blob just uploaded is rarely read again soon. Elsewhere (a file
 * system that refuses {@code O_DIRECT}) the file is written through the page cache, flushed in the background
 * every {@link #FLUSH_EVERY} bytes so that the final fsync does not find the whole body still dirty.
 *
 * <p>Memory is bounded and taken as bytes arrive: a writer holds no chunk until the first bytes come, then up to
 * {@link #IN_FLIGHT} chunks, all off the heap and taken from the {@link UploadMemory} budget that every upload shares.
 * The first chunk is waited for briefly ({@link UploadMemory.BusyException} when the budget stays full); later ones
 * only if free at once. A body known to be small gets one chunk of its size rather than {@link #CHUNK} bytes.
 * Full-size chunks are kept for reuse between uploads (up to {@link #POOL_MAX}).
 * Not thread-safe: one caller thread writes, then finishes or closes.
 */
final class StagingWriter implements AutoCloseable {
    static final int CHUNK = 1 << 20;
    /** One being filled, one being inspected, one being written, one ready. */
    private static final int IN_FLIGHT = 4;
    /** Direct I/O needs the file offset, length and memory address aligned to the device's block size. */
    private static final int ALIGN = 4096;
    private static final long FLUSH_EVERY = 32L << 20;
    /** Chunks kept for reuse between uploads: allocating direct memory is slow and only freed by a GC. */
    private static final int POOL_MAX = 16;
    private static final ConcurrentLinkedQueue<ByteBuffer> POOL = new ConcurrentLinkedQueue<>();
    private static final AtomicInteger POOLED = new AtomicInteger();
    /** The budget of the writers made without one (tests). */
    private static volatile UploadMemory shared;
    private static final ByteBuffer END = ByteBuffer.allocate(0);
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(StagingWriter.class);
    /** Set once a direct write was refused (see {@link #fallBackToPageCache}). */
    static volatile boolean directRefused;
    /** Fault injection: direct writes fail as on a file system that refuses them. */
    static volatile boolean refuseDirectWritesForTests;
    private static final ExecutorService WRITERS = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "blob-write");
        t.setDaemon(true);
        return t;
    });

    /** Replaced (and direct cleared) only by the writer thread, before the caller reads them again after end(). */
    private FileChannel out;
    private volatile boolean direct;
    private final Path file;
    private long written;
    private final UploadMemory memory;
    /** The size of this writer's chunks: {@link #CHUNK}, or less for a body known to be smaller. */
    private final int chunkSize;
    /** The chunks this writer took from the budget (at most {@link #IN_FLIGHT}); only the caller thread adds. */
    private final java.util.List<ByteBuffer> owned = new java.util.ArrayList<>(IN_FLIGHT);
    private final java.util.function.Consumer<ByteBuffer> inspector;
    private final BlockingQueue<ByteBuffer> free = new ArrayBlockingQueue<>(IN_FLIGHT);
    /** Queues have one more slot than there are chunks, so that {@link #END} always fits. */
    private final BlockingQueue<ByteBuffer> toInspect = new ArrayBlockingQueue<>(IN_FLIGHT + 1);
    private final BlockingQueue<ByteBuffer> toWrite = new ArrayBlockingQueue<>(IN_FLIGHT + 1);
    /** Started with the first chunk submitted: a writer that never gets bytes holds no thread. */
    private Future<?> inspecting;
    private Future<?> writing;
    private volatile IOException failure;
    private ByteBuffer current;
    private boolean released;
    private long size;
    private boolean ended;

    private StagingWriter(Path file, FileChannel out, boolean direct, UploadMemory memory, int chunkSize,
                          java.util.function.Consumer<ByteBuffer> inspector) {
        this.file = file;
        this.out = out;
        this.direct = direct;
        this.memory = memory;
        this.chunkSize = chunkSize;
        this.inspector = inspector;
    }

    static StagingWriter create(Path file, boolean tryDirect) throws IOException {
        return create(file, tryDirect, null);
    }

    static StagingWriter create(Path file, boolean tryDirect, java.util.function.Consumer<ByteBuffer> inspector)
            throws IOException {
        UploadMemory m = shared;
        if (m == null) {
            synchronized (StagingWriter.class) {
                if (shared == null) shared = UploadMemory.forThisJvm();
                m = shared;
            }
        }
        return create(file, tryDirect, inspector, m, -1);
    }

    /**
     * Creates {@code file} (it must not exist) and a writer for it: with {@code O_DIRECT} if {@code tryDirect} and the
     * file system accepts it, else buffered. {@code inspector} (or null) is given each chunk (a read-only view; it may
     * consume it) before it is written; if it throws, the writer fails like on a write error. Chunks come from
     * {@code memory}; {@code expectedSize} (or -1: unknown) sizes them for a small body.
     */
    static StagingWriter create(Path file, boolean tryDirect, java.util.function.Consumer<ByteBuffer> inspector,
                                UploadMemory memory, long expectedSize) throws IOException {
        int chunkSize = expectedSize < 0 || expectedSize >= CHUNK ? CHUNK
                : (int) Math.max(ALIGN, (expectedSize + ALIGN - 1) / ALIGN * ALIGN);
        if (tryDirect && !directRefused && alignsTo(file.getParent())) {
            FileChannel ch = null;
            try {
                ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, directOption());
            } catch (UnsupportedOperationException | IOException e) {
                // Not supported here (the platform, or a file system such as older tmpfs: EINVAL). The failed
                // open may still have created the file, so the buffered open below does not insist on a new one.
                if (e instanceof java.nio.file.FileAlreadyExistsException) throw (IOException) e;
            }
            if (ch != null) return new StagingWriter(file, ch, true, memory, chunkSize, inspector);
            return new StagingWriter(file, FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING), false, memory, chunkSize, inspector);
        }
        return new StagingWriter(file, FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), false,
                memory, chunkSize, inspector);
    }

    /** Whether {@link #ALIGN} is a whole number of the file system's blocks (as direct I/O needs). */
    private static boolean alignsTo(Path dir) {
        try {
            long block = Files.getFileStore(dir).getBlockSize();
            return block > 0 && block <= ALIGN && ALIGN % block == 0;
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    private static OpenOption directOption() {
        return com.sun.nio.file.ExtendedOpenOption.DIRECT;
    }

    boolean direct() {
        return direct;
    }

    /** How many chunks this writer holds now (tests check that a slow body holds little). */
    int chunksHeld() {
        return owned.size();
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
                ByteBuffer done = current;
                current = null; // no longer ours, even if submit() throws
                submit(done);
            }
        }
    }

    /** Writes what is still queued, then fsyncs the file (data and size). */
    void finish() throws IOException {
        if (current != null && current.position() > 0) {
            ByteBuffer last = current;
            current = null;
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
        boolean stopped = false;
        try {
            end();
            stopped = true;
        } finally {
            // Chunks go back to the pool only when the threads have stopped and each chunk is here exactly once: a
            // chunk handed out twice would mix two uploads' bytes.
            java.util.List<ByteBuffer> back = new java.util.ArrayList<>(IN_FLIGHT + 1);
            if (current != null) back.add(current);
            current = null;
            free.drainTo(back);
            java.util.Set<ByteBuffer> distinct = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
            distinct.addAll(back);
            if (stopped && back.size() == owned.size() && distinct.size() == owned.size() && chunkSize == CHUNK) {
                back.forEach(StagingWriter::give);
            }
            if (!released) {
                // The budget comes back in any case: a chunk a stuck thread still holds is garbage once it ends.
                released = true;
                memory.release((long) owned.size() * chunkSize);
            }
            out.close();
        }
    }

    private ByteBuffer nextFree() throws IOException {
        if (failure != null) throw failure;
        ByteBuffer b = free.poll();
        if (b != null) return b.clear();
        if (owned.size() < IN_FLIGHT && !released) {
            // The first chunk is needed to go on at all (wait for it, or be refused); more only let receiving,
            // hashing and writing overlap, so they are taken only when free at once.
            boolean got;
            if (owned.isEmpty()) {
                memory.acquire(chunkSize);
                got = true;
            } else {
                got = memory.tryAcquire(chunkSize);
            }
            if (got) {
                try {
                    b = chunkSize == CHUNK ? take() : allocate(chunkSize);
                } catch (RuntimeException | Error e) {
                    memory.release(chunkSize);
                    throw e;
                }
                owned.add(b);
                return b;
            }
        }
        try {
            // Polls, so that a writer thread that stopped without handing chunks back cannot hang the caller.
            while ((b = free.poll(100, java.util.concurrent.TimeUnit.MILLISECONDS)) == null) {
                if (failure != null) throw failure;
            }
            b.clear();
            return b;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while writing");
        }
    }

    private void submit(ByteBuffer b) throws IOException {
        if (writing == null) {
            inspecting = inspector == null ? null : WRITERS.submit(this::inspect);
            writing = WRITERS.submit(this::drain);
        }
        b.flip();
        (inspector == null ? toWrite : toInspect).add(b); // never full: at most IN_FLIGHT chunks exist
        if (failure != null) throw failure;
    }

    /** Tells the threads there is no more, and waits for them to inspect and write what they hold. */
    private void end() throws IOException {
        if (ended) return;
        ended = true;
        if (writing == null) return; // nothing was submitted: no thread to stop
        (inspector == null ? toWrite : toInspect).add(END);
        try {
            if (inspecting != null) inspecting.get();
            writing.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while writing");
        } catch (ExecutionException e) {
            // An Error (out of memory) is the process's problem, not this write's: it goes on up.
            if (e.getCause() instanceof Error error) throw error;
            throw new IOException("the blob writer failed", e.getCause());
        }
    }

    /** The inspecting thread: hands each chunk to the inspector, then to the writer thread. */
    private void inspect() {
        while (true) {
            ByteBuffer b;
            try {
                b = toInspect.take();
            } catch (InterruptedException e) {
                failure = new java.io.InterruptedIOException("interrupted while writing");
                toWrite.add(END);
                return;
            }
            if (b != END && failure == null) {
                try {
                    inspector.accept(b.asReadOnlyBuffer());
                } catch (RuntimeException e) {
                    failure = new IOException("could not inspect the bytes: " + e, e);
                }
            }
            toWrite.add(b);
            if (b == END) return;
        }
    }

    /**
     * The writer thread: writes chunks in order; after a failure it only hands them back, so the caller never waits
     * forever.
     */
    private void drain() {
        java.util.concurrent.CompletableFuture<Void> flushing = java.util.concurrent.CompletableFuture.completedFuture(null);
        long unflushed = 0;
        try {
            while (true) {
                ByteBuffer b;
                try {
                    b = toWrite.take();
                } catch (InterruptedException e) {
                    failure = new java.io.InterruptedIOException("interrupted while writing");
                    return;
                }
                if (b == END) return;
                if (failure == null) {
                    try {
                        int n = b.remaining();
                        try {
                            writeChunk(b, n);
                        } catch (IOException e) {
                            if (!direct || written > 0) throw e;
                            fallBackToPageCache(e);
                            b.limit(n).position(0);
                            writeChunk(b, n);
                        }
                        written += n;
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

    private void writeChunk(ByteBuffer b, int n) throws IOException {
        if (direct && refuseDirectWritesForTests) throw new IOException("Invalid argument (a refused direct write, for a test)");
        if (direct && n % ALIGN != 0) {
            // The last chunk: padded with zeros to a whole block, cut back to the real size by finish().
            int padded = (n + ALIGN - 1) / ALIGN * ALIGN;
            b.limit(padded);
            for (int i = n; i < padded; i++) b.put(i, (byte) 0);
        }
        while (b.hasRemaining()) out.write(b);
    }

    /**
     * Some file systems (network and FUSE ones among them) accept O_DIRECT when the file is opened but refuse the
     * writes. Then the file is reopened and written through the page cache, and no later writer tries direct I/O.
     */
    private void fallBackToPageCache(IOException refusal) throws IOException {
        if (!directRefused) {
            directRefused = true;
            LOG.warn("blob store: the file system refused a direct write ({}); writing through the page cache from now on",
                    refusal.getMessage());
        }
        out.close();
        out = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
        direct = false;
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
        return allocate(CHUNK);
    }

    private static ByteBuffer allocate(int size) {
        return ByteBuffer.allocateDirect(size + ALIGN).alignedSlice(ALIGN).limit(size).slice();
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
