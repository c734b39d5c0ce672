package storyboard.assets;

import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;

/**
 * Where blob bytes live, addressed by their SHA-256 (lowercase hex). A blob is visible only once complete,
 * verified and durable. The default is {@link FileBlobStore}; an S3-compatible store would implement the same.
 */
public interface BlobStore {
    /** What a finished write produced. */
    record Written(String sha256, String md5, long size) {}

    /**
     * Streams {@code in} into the store in constant memory, hashing as it goes. With {@code expectedSha256}, a
     * mismatch keeps nothing and throws {@link HashMismatchException}; more than {@code maxBytes} keeps nothing
     * and throws {@link TooLargeException}; a full disk or write error keeps nothing and throws
     * {@link StorageException}. Writing bytes already stored is harmless.
     */
    Written write(InputStream in, String expectedSha256, long maxBytes) throws IOException;

    /** Whether the bytes of this hash are stored. */
    boolean exists(String sha256);

    /** The stored bytes, from {@code offset}. */
    InputStream open(String sha256, long offset) throws IOException;

    /** The stored size, if stored. */
    Optional<Long> size(String sha256);

    /** Removes the bytes (garbage collection); true if they were there. */
    boolean delete(String sha256) throws IOException;

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
        public TooLargeException(long max) {
            super("the body is larger than the limit of " + max + " bytes");
        }
    }

    /** The store could not write (disk full, permissions, I/O error). */
    final class StorageException extends IOException {
        public StorageException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
