package storyboard.assets;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Where blob bytes live, addressed by their SHA-256 (lowercase hex). A blob is visible only once complete,
 * verified and durable. The default is {@link FileBlobStore}; an S3-compatible store would implement the same
 * (stage: a multipart upload to a temporary key; publish: a copy to the blob's key; list: a listing by prefix).
 *
 * <p>Writing is two steps so that the caller can publish and record the blob under one lock (see
 * {@code BlobIndex}): {@link #stage} streams and verifies the bytes out of sight, {@link #publish} makes them
 * visible, {@link #discard} drops them.
 */
public interface BlobStore {
    /** What a finished write produced. */
    record Written(String sha256, String md5, long size) {}

    /** Verified bytes not visible yet; {@code head} holds the first bytes (for sniffing the media type). */
    record Staged(String sha256, String md5, long size, byte[] head, Object handle) {
        public Written written() {
            return new Written(sha256, md5, size);
        }
    }

    /** A stored blob file, as a walk of the store sees it. */
    record Stored(String sha256, long size, Instant modified) {}

    /**
     * Streams {@code in} out of sight in constant memory, hashing as it goes. With {@code expectedSha256}, a
     * mismatch keeps nothing and throws {@link HashMismatchException}; more than {@code maxBytes} keeps nothing
     * and throws {@link TooLargeException}; a full disk or write error keeps nothing and throws
     * {@link StorageException}.
     */
    Staged stage(InputStream in, String expectedSha256, long maxBytes) throws IOException;

    /** As {@link #stage(InputStream, String, long)}, told the body's expected size (-1: unknown) to size buffers. */
    default Staged stage(InputStream in, String expectedSha256, long maxBytes, long expectedSize) throws IOException {
        return stage(in, expectedSha256, maxBytes);
    }

    /**
     * Takes over a complete local file whose hashes the caller computed while receiving it (a resumable upload):
     * the file store renames it, an S3 store would upload it. The file must be on the store's file system.
     */
    Staged adopt(Path file, String sha256, String md5, long size, byte[] head) throws IOException;

    /** Makes staged bytes visible under their hash; publishing bytes already stored is harmless. */
    void publish(Staged staged) throws IOException;

    /** Drops staged bytes. */
    void discard(Staged staged);

    /** Stage then publish. Writing bytes already stored is harmless. */
    default Written write(InputStream in, String expectedSha256, long maxBytes) throws IOException {
        Staged s = stage(in, expectedSha256, maxBytes);
        try {
            publish(s);
            return s.written();
        } finally {
            discard(s);
        }
    }

    /** Whether the bytes of this hash are stored. */
    boolean exists(String sha256);

    /** The stored bytes, from {@code offset}. */
    InputStream open(String sha256, long offset) throws IOException;

    /** The stored size, if stored. */
    Optional<Long> size(String sha256);

    /** Removes the bytes (garbage collection); true if they were there. */
    boolean delete(String sha256) throws IOException;

    /** Every stored blob (for garbage collection's walk); close the stream. */
    Stream<Stored> list() throws IOException;

    /** Removes staging leftovers (a crash mid-write) last modified before {@code cutoff}; how many. */
    int removeStaleStaging(Instant cutoff) throws IOException;

    /** The bytes did not hash to what the client said. */
    final class HashMismatchException extends IOException {
        public final String actual;

        public HashMismatchException(String expected, String actual) {
            super("the body hashes to " + actual + ", not " + expected);
            this.actual = actual;
        }
    }

    /** The body is larger than allowed. */
    final class TooLargeException extends IOException {
        public final long max;

        public TooLargeException(long max) {
            super("the body is larger than the limit of " + max + " bytes");
            this.max = max;
        }
    }

    /** The store could not write (disk full, permissions, I/O error). */
    final class StorageException extends IOException {
        public StorageException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
