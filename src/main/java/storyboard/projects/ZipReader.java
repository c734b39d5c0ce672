package storyboard.projects;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Reads a zip file from its central directory, as a hostile upload: every entry with the attributes
 * {@code java.util.zip} does not show (the Unix mode that marks a symbolic link), and its bytes inflated with a hard
 * cap, counted as they come (the sizes in the headers are never trusted) and checked against the entry's CRC.
 */
final class ZipReader implements AutoCloseable {
    private static final int EOCD = 0x06054b50;
    private static final int ZIP64_LOCATOR = 0x07064b50;
    private static final int ZIP64_EOCD = 0x06064b50;
    private static final int CENTRAL = 0x02014b50;
    private static final int LOCAL = 0x04034b50;
    /** Larger central directories are refused rather than read into memory. */
    private static final long MAX_DIRECTORY_BYTES = 64L << 20;
    private static final int S_IFMT = 0170000;
    private static final int S_IFREG = 0100000;
    private static final int S_IFDIR = 0040000;
    private static final int S_IFLNK = 0120000;

    /** Something about the file that makes it no usable zip. */
    static final class Unreadable extends IOException {
        Unreadable(String message) {
            super(message);
        }
    }

    /** An entry's bytes went past the cap given to {@link #open}. */
    static final class OverLimit extends IOException {
        OverLimit() {
            super("over the limit");
        }
    }

    /** One entry of the central directory. */
    record Entry(String name, int madeBy, int flags, int method, long crc, long compressedSize, long size,
                 long externalAttributes, long localOffset) {
        /** The Unix file type and permission bits, when a Unix tool made the entry (else 0). */
        int unixMode() {
            int system = (madeBy >> 8) & 0xff;
            return system == 3 || system == 19 ? (int) ((externalAttributes >>> 16) & 0xffff) : 0;
        }

        boolean directory() {
            return name.endsWith("/") || (unixMode() & S_IFMT) == S_IFDIR;
        }

        boolean symlink() {
            return (unixMode() & S_IFMT) == S_IFLNK;
        }

        /** A device, fifo or socket: anything a Unix mode says is neither a file, a directory nor a link. */
        boolean special() {
            int type = unixMode() & S_IFMT;
            return type != 0 && type != S_IFREG && type != S_IFDIR && type != S_IFLNK;
        }

        boolean encrypted() {
            return (flags & 1) != 0;
        }

        /** The permission bits a project file keeps: 0755 when any execute bit is set, else 0644. */
        int projectMode() {
            return (unixMode() & 0111) != 0 ? 0755 : 0644;
        }
    }

    private final FileChannel channel;
    private final long fileSize;

    private ZipReader(FileChannel channel) throws IOException {
        this.channel = channel;
        this.fileSize = channel.size();
    }

    static ZipReader open(Path file) throws IOException {
        return new ZipReader(FileChannel.open(file, StandardOpenOption.READ));
    }

    /** The entries, in the central directory's order; at most {@code maxEntries} (beyond it: Unreadable). */
    List<Entry> entries(int maxEntries) throws IOException {
        long eocd = findEndOfDirectory();
        ByteBuffer end = read(eocd, 22);
        long count = end.getShort(10) & 0xffff;
        long dirSize = end.getInt(12) & 0xffffffffL;
        long dirOffset = end.getInt(16) & 0xffffffffL;
        if (count == 0xffff || dirSize == 0xffffffffL || dirOffset == 0xffffffffL) {
            if (eocd < 20) throw new Unreadable("a zip64 end record is announced but missing");
            ByteBuffer locator = read(eocd - 20, 20);
            if (locator.getInt(0) != ZIP64_LOCATOR) throw new Unreadable("a zip64 end record is announced but missing");
            long at = locator.getLong(8);
            ByteBuffer z = read(at, 56);
            if (z.getInt(0) != ZIP64_EOCD) throw new Unreadable("the zip64 end record is damaged");
            count = z.getLong(32);
            dirSize = z.getLong(40);
            dirOffset = z.getLong(48);
        }
        if (count > maxEntries) throw new Unreadable("it holds " + count + " entries, more than the limit of " + maxEntries);
        if (dirSize > MAX_DIRECTORY_BYTES || dirOffset < 0 || dirSize < 0 || dirOffset + dirSize > fileSize) {
            throw new Unreadable("its central directory is damaged or too large");
        }
        ByteBuffer dir = read(dirOffset, (int) dirSize);
        List<Entry> entries = new ArrayList<>();
        int p = 0;
        while (entries.size() < count) {
            if (p + 46 > dir.limit() || dir.getInt(p) != CENTRAL) throw new Unreadable("its central directory is damaged");
            int madeBy = dir.getShort(p + 4) & 0xffff;
            int flags = dir.getShort(p + 8) & 0xffff;
            int method = dir.getShort(p + 10) & 0xffff;
            long crc = dir.getInt(p + 16) & 0xffffffffL;
            long csize = dir.getInt(p + 20) & 0xffffffffL;
            long size = dir.getInt(p + 24) & 0xffffffffL;
            int nameLength = dir.getShort(p + 28) & 0xffff;
            int extraLength = dir.getShort(p + 30) & 0xffff;
            int commentLength = dir.getShort(p + 32) & 0xffff;
            long external = dir.getInt(p + 38) & 0xffffffffL;
            long offset = dir.getInt(p + 42) & 0xffffffffL;
            int next = p + 46 + nameLength + extraLength + commentLength;
            if (next > dir.limit()) throw new Unreadable("its central directory is damaged");
            byte[] rawName = new byte[nameLength];
            dir.get(p + 46, rawName);
            String name = name(rawName);
            // zip64: the real sizes and offset sit in the extra field, in this order, for those saturated above.
            int e = p + 46 + nameLength;
            int extraEnd = e + extraLength;
            while (e + 4 <= extraEnd) {
                int id = dir.getShort(e) & 0xffff;
                int len = dir.getShort(e + 2) & 0xffff;
                int q = e + 4;
                if (q + len > extraEnd) break;
                if (id == 0x0001) {
                    if (size == 0xffffffffL && q + 8 <= e + 4 + len) { size = dir.getLong(q); q += 8; }
                    if (csize == 0xffffffffL && q + 8 <= e + 4 + len) { csize = dir.getLong(q); q += 8; }
                    if (offset == 0xffffffffL && q + 8 <= e + 4 + len) { offset = dir.getLong(q); }
                }
                e += 4 + len;
            }
            entries.add(new Entry(name, madeBy, flags, method, crc, csize, size, external, offset));
            p = next;
        }
        return entries;
    }

    /** Names are UTF-8 (what the app's platforms write, and Java); anything else is refused, never guessed. */
    private static String name(byte[] raw) throws Unreadable {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(raw)).toString();
        } catch (CharacterCodingException e) {
            throw new Unreadable("an entry's name is not UTF-8 text");
        }
    }

    private long findEndOfDirectory() throws IOException {
        if (fileSize < 22) throw new Unreadable("it is not a zip file (too short)");
        int tail = (int) Math.min(fileSize, 22 + 65535);
        ByteBuffer b = read(fileSize - tail, tail);
        for (int i = tail - 22; i >= 0; i--) {
            if (b.getInt(i) == EOCD) return fileSize - tail + i;
        }
        throw new Unreadable("it is not a zip file (no end of central directory)");
    }

    private ByteBuffer read(long at, int length) throws IOException {
        if (at < 0 || at + length > fileSize) throw new Unreadable("it is cut short or damaged");
        ByteBuffer b = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
        while (b.hasRemaining()) {
            if (channel.read(b, at + b.position()) < 0) throw new Unreadable("it is cut short");
        }
        return b.flip();
    }

    /**
     * The entry's bytes: stored or deflated, read from its compressed bytes only (as the central directory bounds
     * them). More than {@code limit} bytes throw {@link OverLimit}; at the end the byte count and the CRC must match
     * the directory's, else {@link Unreadable}.
     */
    InputStream open(Entry entry, long limit) throws IOException {
        if (entry.encrypted()) throw new Unreadable("it is encrypted");
        if (entry.method() != 0 && entry.method() != 8) {
            throw new Unreadable("it uses compression method " + entry.method() + " (only stored and deflated are read)");
        }
        ByteBuffer local = read(entry.localOffset(), 30);
        if (local.getInt(0) != LOCAL) throw new Unreadable("its local header is missing");
        long start = entry.localOffset() + 30 + (local.getShort(26) & 0xffff) + (local.getShort(28) & 0xffff);
        if (start + entry.compressedSize() > fileSize || entry.compressedSize() < 0) {
            throw new Unreadable("its data runs past the end of the file");
        }
        return new EntryStream(entry, start, limit);
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    /** An entry's inflated bytes, counted and checked. */
    private final class EntryStream extends InputStream {
        private final Entry entry;
        private final long limit;
        private final Inflater inflater;
        private final ByteBuffer input = ByteBuffer.allocate(1 << 16);
        private final CRC32 crc = new CRC32();
        private long position;
        private final long end;
        private long produced;
        private boolean finished;
        private boolean dummyGiven;

        EntryStream(Entry entry, long start, long limit) {
            this.entry = entry;
            this.limit = limit;
            this.position = start;
            this.end = start + entry.compressedSize();
            this.inflater = entry.method() == 8 ? new Inflater(true) : null;
            input.limit(0);
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (finished) return -1;
            if (len == 0) return 0;
            int n;
            if (inflater == null) {
                n = fill() ? Math.min(len, input.remaining()) : -1;
                if (n > 0) input.get(b, off, n);
            } else {
                n = inflate(b, off, len);
            }
            if (n < 0) {
                finish();
                return -1;
            }
            produced += n;
            if (produced > limit) throw new OverLimit();
            crc.update(b, off, n);
            return n;
        }

        private int inflate(byte[] b, int off, int len) throws IOException {
            try {
                while (true) {
                    int n = inflater.inflate(b, off, len);
                    if (n > 0) return n;
                    if (inflater.finished()) return -1;
                    if (inflater.needsDictionary()) throw new Unreadable("its deflated data is damaged");
                    if (inflater.needsInput()) {
                        if (fill()) {
                            inflater.setInput(input);
                        } else if (!dummyGiven) {
                            // zlib's raw mode may want one byte past the data to see its end (as java.util.zip gives it)
                            dummyGiven = true;
                            inflater.setInput(new byte[1]);
                        } else {
                            throw new Unreadable("its deflated data is cut short");
                        }
                    }
                }
            } catch (DataFormatException e) {
                throw new Unreadable("its deflated data is damaged");
            }
        }

        /** More compressed bytes into {@link #input}; false at the entry's end. */
        private boolean fill() throws IOException {
            if (input.hasRemaining()) return true;
            if (position >= end) return false;
            input.clear();
            input.limit((int) Math.min(input.capacity(), end - position));
            while (input.hasRemaining()) {
                int n = channel.read(input, position + input.position());
                if (n < 0) throw new Unreadable("it is cut short");
            }
            position += input.limit();
            input.flip();
            return true;
        }

        private void finish() throws IOException {
            finished = true;
            if (produced != entry.size()) {
                throw new Unreadable("it holds " + produced + " bytes where its header says " + entry.size());
            }
            if (crc.getValue() != entry.crc()) throw new Unreadable("its CRC does not match: the data is damaged");
        }

        @Override
        public void close() {
            if (inflater != null) inflater.end();
        }
    }
}
