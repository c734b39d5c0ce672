package storyboard.kernel;

import java.io.IOException;
import java.io.InputStream;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Content-addressed bytes as a capability other than the blob store's own uses them: store a stream under its
 * SHA-256 (the row exists only once the bytes are durable, as through the blob API), ask which hashes are missing,
 * read. The asset capability implements it; the server hands it to the capabilities that keep files (projects).
 * Keeping a blob alive is each user's own business: it declares the column that names it
 * ({@link Capability#blobReferences}).
 */
public interface BlobStorage {
    /** A stored blob: its hash and size, and whether this call stored it (false: the bytes were there). */
    record Stored(String sha256, long size, boolean created) {}

    /**
     * Streams {@code in} into the store in constant memory and records the blob. {@code expectedSize} may be -1
     * (unknown), {@code expectedSha256} null. Refusals are thrown as the blob API answers them (422
     * {@code hash_mismatch}, 413 over {@link #maxBytes}, 507 disk full, 400 a body cut short); nothing is kept then.
     */
    Stored put(InputStream in, long expectedSize, String expectedSha256, Actor actor);

    /** Opens the bytes of one file of a batch; it may be called once. */
    @FunctionalInterface
    interface Opener {
        InputStream open() throws IOException;
    }

    /** One file of a batch: how to open its bytes, and the hash and size the caller expects (null, -1: unknown). */
    record Source(String expectedSha256, long expectedSize, Opener opener) {}

    /**
     * Stores many files at once (a project's import), as {@link #put} would one by one, answered in the same order,
     * but durable together: written and flushed in parallel and recorded in a few transactions, so that thousands
     * of small files do not each wait for the disk. A source whose expected hash is already stored is not read.
     * Refusals as {@link #put}; on one, nothing is claimed stored (blobs recorded already stay, unreferenced,
     * until gc).
     */
    List<Stored> putAll(List<Source> sources, Actor actor);

    /** Which of these hashes have no stored blob. */
    Set<String> missing(Collection<String> sha256s);

    /** The stored size, if the blob is stored. */
    Optional<Long> size(String sha256);

    /** The stored bytes from {@code offset}; close it. */
    InputStream open(String sha256, long offset) throws IOException;

    /** The largest blob accepted (BLOB_MAX_BYTES). */
    long maxBytes();
}
