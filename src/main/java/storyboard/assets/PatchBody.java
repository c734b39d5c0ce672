package storyboard.assets;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * The body of a tus PATCH as it is read: in a small buffer until its bytes prove to arrive quickly, then in a larger
 * one leased from the uploads' memory (given back on {@link #close}). A failed read ends the body as cut off (the
 * client went away, or stalled), keeping what arrived before.
 */
final class PatchBody implements AutoCloseable {
    /** The first buffer's size. */
    static final int FIRST_READ = 16 * 1024;
    /** The larger buffer's size. */
    static final int BUFFER = 1 << 18;

    private final InputStream in;
    private final UploadMemory memory;
    private byte[] buf = new byte[FIRST_READ];
    private ByteBuffer wrapped = ByteBuffer.wrap(buf);
    private long leased;
    private IOException cut;

    PatchBody(InputStream in, UploadMemory memory) {
        this.in = in;
        this.memory = memory;
    }

    /** Reads up to {@code left} bytes into {@link #bytes}: how many, or -1 at the body's end or once it was cut. */
    int read(long left) {
        int n;
        try {
            n = in.read(buf, 0, (int) Math.min(buf.length, left));
        } catch (IOException e) {
            cut = e;
            return -1;
        }
        if (n == buf.length && leased == 0 && left - n > buf.length && memory.tryAcquire(BUFFER)) {
            // The bytes arrive quickly: read in larger steps, with memory from the uploads' budget.
            leased = BUFFER;
            byte[] larger = new byte[BUFFER];
            System.arraycopy(buf, 0, larger, 0, n);
            buf = larger;
            wrapped = ByteBuffer.wrap(buf);
        }
        return n;
    }

    /** The bytes of the last {@link #read}, from index 0. */
    byte[] bytes() {
        return buf;
    }

    /** Writes the {@code n} bytes of the last read at the file's position. */
    void writeTo(FileChannel out, int n) throws IOException {
        wrapped.clear().limit(n);
        while (wrapped.hasRemaining()) out.write(wrapped);
    }

    /** Whether the body goes on (past what the upload may take); a failed read counts as cut. */
    boolean goesOn() {
        try {
            return in.read() >= 0;
        } catch (IOException e) {
            cut = e;
            return false;
        }
    }

    /** Why the body ended before its end, or null. */
    IOException cut() {
        return cut;
    }

    @Override
    public void close() {
        if (leased > 0) memory.release(leased);
        leased = 0;
    }
}
