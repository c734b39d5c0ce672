package storyboard.assets;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Blobs as files under a directory, sharded by the first two pairs of hex digits ({@code ab/cd/abcd...}).
 * A write goes to a temporary file in {@code tmp/}, is fsynced, then renamed into place and its folder fsynced:
 * a blob file exists complete or not at all, also after a crash. Resumable uploads keep their partial files in
 * {@code uploads/} (same file system, so finishing one is a rename).
 */
public final class FileBlobStore implements BlobStore {
    static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    private static final Pattern SHARD = Pattern.compile("[0-9a-f]{2}");
    private final Path root;
    private final Path tmp;
    private final Path uploads;
    private final boolean directIo;
    private final UploadMemory memory;
    /** A body is read in a small buffer until it proves to arrive quickly (a slow one holds only this). */
    private static final int FIRST_READ = 16 * 1024;
    private static final int READ = 1 << 18;

    public FileBlobStore(Path root) throws IOException {
        this(root, true, UploadMemory.forThisJvm());
    }

    /** A store whose uploads are received in {@code memory}. */
    public FileBlobStore(Path root, UploadMemory memory) throws IOException {
        this(root, true, memory);
    }

    FileBlobStore(Path root, boolean directIo) throws IOException {
        this(root, directIo, UploadMemory.forThisJvm());
    }

    /**
     * {@code directIo}: write staged blobs with O_DIRECT where the file system allows it (see {@link StagingWriter});
     * {@code memory}: the budget every upload into this store is received in.
     */
    FileBlobStore(Path root, boolean directIo, UploadMemory memory) throws IOException {
        this.directIo = directIo;
        this.memory = memory;
        this.root = root.toAbsolutePath().normalize();
        this.tmp = this.root.resolve("tmp");
        this.uploads = this.root.resolve("uploads");
        Files.createDirectories(tmp);
        Files.createDirectories(uploads);
    }

    public Path root() {
        return root;
    }

    /** The memory budget of the uploads into this store. */
    public UploadMemory memory() {
        return memory;
    }

    /** Where resumable uploads keep their partial files. */
    public Path uploads() {
        return uploads;
    }

    Path path(String sha256) {
        if (!SHA256.matcher(sha256).matches()) throw new IllegalArgumentException("not a SHA-256: " + sha256);
        return root.resolve(sha256.substring(0, 2)).resolve(sha256.substring(2, 4)).resolve(sha256);
    }

    @Override
    public Staged stage(InputStream in, String expectedSha256, long maxBytes) throws IOException {
        return stage(in, expectedSha256, maxBytes, -1);
    }

    /**
     * As {@link #stage(InputStream, String, long)}, with the body's expected size (-1: unknown) so that a small body
     * takes memory for its size only. The memory comes from the {@link #memory() budget} as bytes arrive:
     * {@link UploadMemory.BusyException} when it stays full (nothing is kept).
     */
    @Override
    public Staged stage(InputStream in, String expectedSha256, long maxBytes, long expectedSize) throws IOException {
        Hasher hasher = new Hasher(memory);
        Path part = tmp.resolve(UUID.randomUUID() + ".part");
        boolean keep = false;
        try {
            StagingWriter out;
            try {
                // Hashed on the writer's inspecting thread, so receiving, hashing and writing overlap.
                out = StagingWriter.create(part, directIo, hasher::update, memory, expectedSize);
            } catch (IOException e) {
                throw storage(e);
            }
            try (out) {
                byte[] buf = new byte[FIRST_READ];
                int n;
                // Reading failures are the client's (a cut connection, a stalled body); writing failures are the
                // store's; a full memory budget is the server's being busy.
                while ((n = in.read(buf, 0, buf.length)) >= 0) {
                    if (out.size() + n > maxBytes) throw new TooLargeException(maxBytes);
                    try {
                        out.write(buf, 0, n);
                    } catch (UploadMemory.BusyException e) {
                        throw e;
                    } catch (IOException e) {
                        throw storage(e);
                    }
                    // Bytes arrive quickly (and the writer has its memory): read in larger steps, never larger
                    // than what is still expected (so the buffers of many small uploads stay small).
                    if (n == buf.length && buf.length < READ) {
                        long left = expectedSize < 0 ? READ : expectedSize - out.size();
                        if (left > buf.length) buf = new byte[(int) Math.min(READ, left)];
                    }
                }
                try {
                    out.finish();
                } catch (IOException e) {
                    throw storage(e);
                }
            }
            String[] digests = hasher.finish();
            if (expectedSha256 != null && !expectedSha256.equals(digests[0])) {
                throw new HashMismatchException(expectedSha256, digests[0]);
            }
            keep = true;
            return new Staged(digests[0], digests[1], hasher.size(), hasher.head(), part);
        } finally {
            if (!keep) Files.deleteIfExists(part);
        }
    }

    @Override
    public Staged adopt(Path file, String sha256, String md5, long size, byte[] head) {
        return new Staged(sha256, md5, size, head, file);
    }

    @Override
    public void publish(Staged staged) throws IOException {
        java.util.Set<Path> folders = new java.util.LinkedHashSet<>();
        moveIntoPlace(staged, folders);
        for (Path f : folders) fsyncDirectory(f);
    }

    /**
     * The threads of batch writes ({@link #publishAll}, {@code StoredBlobs#putAll}). More than the cores: most of a
     * small file's time is the wait for its flush, and flushes waited for together share the file system's journal
     * commits.
     */
    static final java.util.concurrent.ExecutorService BATCH = java.util.concurrent.Executors.newFixedThreadPool(16, r -> {
        Thread t = new Thread(r, "blob-batch");
        t.setDaemon(true);
        return t;
    });

    /**
     * {@link #publish} for many blobs: every file renamed into place, then each folder that received one flushed,
     * the flushes waited for together (they share the file system's journal commits).
     */
    void publishAll(java.util.Collection<Staged> staged) throws IOException {
        java.util.Set<Path> folders = new java.util.LinkedHashSet<>();
        for (Staged st : staged) moveIntoPlace(st, folders);
        java.util.concurrent.CompletableFuture.allOf(folders.stream()
                .map(f -> java.util.concurrent.CompletableFuture.runAsync(() -> fsyncDirectory(f), BATCH))
                .toArray(java.util.concurrent.CompletableFuture[]::new)).join();
    }

    /**
     * Renames staged bytes to their blob's path (nothing when they are stored already), adding to {@code folders}
     * the folders to flush for the rename to be durable: the blob's, and when that folder is new, its parents.
     */
    private void moveIntoPlace(Staged staged, java.util.Set<Path> folders) throws IOException {
        Path target = path(staged.sha256());
        if (Files.isRegularFile(target)) return;
        boolean newFolder = !Files.isDirectory(target.getParent());
        try {
            Files.createDirectories(target.getParent());
            Files.move((Path) staged.handle(), target, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            throw new StorageException("the blob directory does not support atomic renames", e);
        } catch (IOException e) {
            throw storage(e);
        }
        folders.add(target.getParent());
        if (newFolder) {
            folders.add(target.getParent().getParent());
            folders.add(root);
        }
    }

    @Override
    public void discard(Staged staged) {
        try {
            Files.deleteIfExists((Path) staged.handle());
        } catch (IOException ignored) {
            // gc removes staging leftovers
        }
    }

    static StorageException storage(IOException e) {
        if (e instanceof StorageException s) return s;
        return new StorageException("the blob store could not write: " + e, e);
    }

    static void fsyncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException ignored) {
            // Some platforms cannot open directories; the rename itself is still atomic.
        }
    }

    @Override
    public boolean exists(String sha256) {
        return Files.isRegularFile(path(sha256));
    }

    @Override
    public InputStream open(String sha256, long offset) throws IOException {
        FileChannel ch = FileChannel.open(path(sha256), StandardOpenOption.READ);
        ch.position(offset);
        return Channels.newInputStream(ch);
    }

    /** The stored file's channel, for serving it. */
    public FileChannel channel(String sha256) throws IOException {
        return FileChannel.open(path(sha256), StandardOpenOption.READ);
    }

    @Override
    public Optional<Long> size(String sha256) {
        try {
            return Optional.of(Files.size(path(sha256)));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public boolean delete(String sha256) throws IOException {
        return Files.deleteIfExists(path(sha256));
    }

    @Override
    public Stream<Stored> list() throws IOException {
        return Files.walk(root, 3)
                .filter(p -> {
                    Path rel = root.relativize(p);
                    return rel.getNameCount() == 3 && SHARD.matcher(rel.getName(0).toString()).matches()
                            && SHARD.matcher(rel.getName(1).toString()).matches()
                            && SHA256.matcher(rel.getName(2).toString()).matches()
                            && rel.getName(2).toString().startsWith(rel.getName(0).toString() + rel.getName(1));
                })
                .flatMap(p -> {
                    try {
                        BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
                        if (!a.isRegularFile()) return Stream.empty();
                        return Stream.of(new Stored(p.getFileName().toString(), a.size(), a.lastModifiedTime().toInstant()));
                    } catch (IOException e) {
                        return Stream.empty(); // removed meanwhile
                    }
                });
    }

    @Override
    public int removeStaleStaging(Instant cutoff) throws IOException {
        int removed = 0;
        try (Stream<Path> files = Files.list(tmp)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                try {
                    if (Files.getLastModifiedTime(p).toInstant().isBefore(cutoff) && Files.deleteIfExists(p)) removed++;
                } catch (NoSuchFileException ignored) {
                    // gone meanwhile
                }
            }
        }
        return removed;
    }
}
