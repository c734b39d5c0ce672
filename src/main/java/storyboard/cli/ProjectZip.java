package storyboard.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * A project folder's files as a zip, written by a thread of its own while it is read (sent), in constant memory: a
 * few chunks of 64 KiB between the two. Text (the app's JSON) is deflated at the fastest level; everything else
 * (PNG, WAV, movies) is stored as is, as deflating it costs time and saves next to nothing.
 * <p>
 * Each file is checked as it is read against the hash the folder scan gave it: a file changed since makes the
 * stream fail, naming it, rather than send something other than the manifest says.
 */
final class ProjectZip {
    static final int CHUNK = 1 << 16;
    /** Compressible kinds; the app's files are JSON, most of the rest is compressed media. */
    static final Set<String> DEFLATED = Set.of("json", "txt", "md", "csv", "xml", "yaml", "yml", "fountain", "fdx",
            "srt", "vtt", "svg", "html", "log");

    private ProjectZip() {}

    /** A zip of {@code files} (path → file) as a stream; the writing thread ends when the stream is closed. */
    static InputStream open(Map<String, ProjectFolder.LocalFile> files) {
        Pipe pipe = new Pipe();
        Thread writer = new Thread(() -> pipe.run(out -> write(files, out)), "project-zip");
        writer.setDaemon(true);
        writer.start();
        return pipe.in;
    }

    static boolean deflated(String path) {
        int dot = path.lastIndexOf('.');
        return dot > path.lastIndexOf('/') && DEFLATED.contains(path.substring(dot + 1).toLowerCase(Locale.ROOT));
    }

    static void write(Map<String, ProjectFolder.LocalFile> files, OutputStream sink) throws IOException {
        byte[] buffer = new byte[CHUNK];
        try (ZipOutputStream zip = new ZipOutputStream(sink)) {
            zip.setLevel(Deflater.BEST_SPEED);
            for (var e : files.entrySet()) {
                ProjectFolder.LocalFile f = e.getValue();
                ZipEntry entry = new ZipEntry(e.getKey());
                entry.setLastModifiedTime(Files.getLastModifiedTime(f.file()));
                if (!deflated(e.getKey())) {
                    entry.setMethod(ZipEntry.STORED);
                    entry.setSize(f.entry().size());
                    entry.setCompressedSize(f.entry().size());
                    entry.setCrc(f.crc32());
                }
                zip.putNextEntry(entry);
                MessageDigest sha = ProjectFolder.sha256();
                long size = 0;
                try (InputStream in = Files.newInputStream(f.file())) {
                    int n;
                    while ((n = in.read(buffer)) > 0) {
                        sha.update(buffer, 0, n);
                        size += n;
                        zip.write(buffer, 0, n);
                        if (size > f.entry().size()) break;
                    }
                }
                if (size != f.entry().size() || !HexFormat.of().formatHex(sha.digest()).equals(f.entry().sha256())) {
                    throw new IOException(e.getKey() + " changed while it was being sent; run the push again");
                }
                zip.closeEntry();
            }
        }
    }

    /** What the writing thread does with the pipe's sink. */
    private interface Producer {
        void produce(OutputStream out) throws IOException;
    }

    /**
     * A bounded pipe of chunks from one thread to another. Unlike {@link java.io.PipedInputStream} it does not care
     * which threads read (the HTTP client reads from a pool); closing the reading end stops the writer, and a writer's
     * failure is the reader's, at the end of the stream.
     */
    static final class Pipe {
        private static final byte[] END = new byte[0];
        private final BlockingQueue<byte[]> chunks = new ArrayBlockingQueue<>(4);
        private volatile boolean readerClosed;
        private volatile IOException failure;

        final OutputStream out = new OutputStream() {
            private byte[] buf = new byte[CHUNK];
            private int n;

            @Override
            public void write(int b) throws IOException {
                if (n == buf.length) pass();
                buf[n++] = (byte) b;
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                while (len > 0) {
                    if (n == buf.length) pass();
                    int k = Math.min(len, buf.length - n);
                    System.arraycopy(b, off, buf, n, k);
                    n += k;
                    off += k;
                    len -= k;
                }
            }

            @Override
            public void close() throws IOException {
                if (n > 0) pass();
            }

            private void pass() throws IOException {
                put(n == buf.length ? buf : Arrays.copyOf(buf, n));
                buf = new byte[CHUNK];
                n = 0;
            }
        };

        final InputStream in = new InputStream() {
            private byte[] current = new byte[0];
            private int pos;
            private boolean ended;

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (len == 0) return 0;
                while (pos == current.length) {
                    if (ended) return endOfStream();
                    try {
                        current = chunks.take();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new InterruptedIOException("interrupted while reading the zip");
                    }
                    pos = 0;
                    if (current == END) ended = true;
                }
                int k = Math.min(len, current.length - pos);
                System.arraycopy(current, pos, b, off, k);
                pos += k;
                return k;
            }

            private int endOfStream() throws IOException {
                if (failure != null) throw new IOException(failure.getMessage(), failure);
                return -1;
            }

            @Override
            public void close() {
                readerClosed = true;
                chunks.clear();
            }
        };

        void run(Producer producer) {
            try {
                producer.produce(out);
                out.close();
            } catch (IOException e) {
                failure = e;
            } catch (RuntimeException e) {
                failure = new IOException(e.toString(), e);
            } finally {
                try {
                    put(END);
                } catch (IOException closed) {
                    // nobody reads any more: nothing to tell
                }
            }
        }

        private void put(byte[] chunk) throws IOException {
            try {
                while (!chunks.offer(chunk, 200, TimeUnit.MILLISECONDS)) {
                    if (readerClosed) throw new IOException("the zip is no longer read");
                }
                if (readerClosed) throw new IOException("the zip is no longer read");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException();
            }
        }
    }
}
