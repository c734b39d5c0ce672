package storyboard.assets;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Blobs as files under a directory, sharded by the first two pairs of hex digits ({@code ab/cd/abcd...}).
 * A write goes to a temporary file, is fsynced, then renamed into place and its folder fsynced: a blob file
 * exists complete or not at all, also after a crash.
 */
public final class FileBlobStore implements BlobStore {
    static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    private static final int BUFFER = 1 << 16;

    private final Path root;
    private final Path tmp;

    public FileBlobStore(Path root) throws IOException {
        this.root = root.toAbsolutePath().normalize();
        this.tmp = this.root.resolve("tmp");
        Files.createDirectories(tmp);
    }

    public Path root() {
        return root;
    }

    Path path(String sha256) {
        if (!SHA256.matcher(sha256).matches()) throw new IllegalArgumentException("not a SHA-256: " + sha256);
        return root.resolve(sha256.substring(0, 2)).resolve(sha256.substring(2, 4)).resolve(sha256);
    }

    @Override
    public Written write(InputStream in, String expectedSha256, long maxBytes) throws IOException {
        MessageDigest sha = digest("SHA-256");
        MessageDigest md5 = digest("MD5");
        Path part = tmp.resolve(UUID.randomUUID() + ".part");
        long size = 0;
        try {
            try (FileChannel out = FileChannel.open(part, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                byte[] buf = new byte[BUFFER];
                int n;
                while ((n = in.read(buf)) > 0) {
                    size += n;
                    if (size > maxBytes) throw new TooLargeException(maxBytes);
                    sha.update(buf, 0, n);
                    md5.update(buf, 0, n);
                    writeFully(out, ByteBuffer.wrap(buf, 0, n));
                }
                out.force(true);
            }
            String actual = HexFormat.of().formatHex(sha.digest());
            if (expectedSha256 != null && !expectedSha256.equals(actual)) {
                throw new HashMismatchException(expectedSha256, actual);
            }
            Path target = path(actual);
            if (!Files.exists(target)) {
                Files.createDirectories(target.getParent());
                try {
                    Files.move(part, target, StandardCopyOption.ATOMIC_MOVE);
                } catch (AtomicMoveNotSupportedException e) {
                    throw new StorageException("the blob directory does not support atomic renames", e);
                }
                fsyncDirectory(target.getParent());
            }
            return new Written(actual, HexFormat.of().formatHex(md5.digest()), size);
        } catch (HashMismatchException | TooLargeException e) {
            throw e;
        } catch (IOException e) {
            if (e instanceof StorageException) throw e;
            // A failing client stream is the client's problem; a failing disk is ours (507 upstream).
            if (isWriteFailure(e)) throw new StorageException("the blob store could not write: " + e.getMessage(), e);
            throw e;
        } finally {
            Files.deleteIfExists(part);
        }
    }

    private static void writeFully(FileChannel out, ByteBuffer b) throws StorageException {
        try {
            while (b.hasRemaining()) out.write(b);
        } catch (IOException e) {
            throw new StorageException("the blob store could not write: " + e.getMessage(), e);
        }
    }

    private static boolean isWriteFailure(IOException e) {
        String m = String.valueOf(e.getMessage()).toLowerCase(java.util.Locale.ROOT);
        return m.contains("no space") || m.contains("disk quota") || m.contains("read-only file system");
    }

    private static void fsyncDirectory(Path dir) {
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

    @Override
    public Optional<Long> size(String sha256) {
        try {
            return Optional.of(Files.size(path(sha256)));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Override
    public boolean delete(String sha256) throws IOException {
        return Files.deleteIfExists(path(sha256));
    }

    private static MessageDigest digest(String algorithm) {
        try {
            return MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
