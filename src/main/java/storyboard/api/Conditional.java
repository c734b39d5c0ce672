package storyboard.api;

import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Conditional and partial GETs of a file whose ETag names its content (a blob, a project file, a prompt version):
 * {@code If-None-Match} → 304, one {@code Range} (honoured only if {@code If-Range}, when given, names the same
 * ETag) → 206 with {@code Content-Range}, an unsatisfiable one → 416.
 */
public final class Conditional {
    private static final Pattern RANGE = Pattern.compile("bytes=(\\d*)-(\\d*)");
    /** Large reads: serving a gigabyte blob in 64 KiB steps cost measurably more CPU (bench/blobs.sh). */
    private static final int BUFFER = 1 << 18;

    private Conditional() {}

    /** Whether an {@code If-None-Match} header names this ETag (quoted, weak or not) or is {@code *}. */
    public static boolean notModified(String ifNoneMatch, String etag) {
        if (ifNoneMatch == null) return false;
        for (String t : ifNoneMatch.split(",")) {
            String tag = t.trim();
            if (tag.startsWith("W/")) tag = tag.substring(2);
            if (tag.equals("*") || tag.equals(etag)) return true;
        }
        return false;
    }

    /** The bytes from {@code start} to {@code end} (inclusive) of a file; {@code partial}: a range of it. */
    public record Bytes(long start, long end, boolean partial) {
        public long length() {
            return end - start + 1;
        }

        /** Sets the status (200 or 206), {@code Content-Range} and {@code Content-Length} of the answer. */
        public void answer(Context ctx, long size) {
            if (partial) {
                ctx.status(206);
                ctx.header("Content-Range", "bytes " + start + "-" + end + "/" + size);
            } else {
                ctx.status(200);
            }
            ctx.res().setContentLengthLong(Math.max(0, length()));
        }

        /** Copies these bytes from {@code in}, positioned at {@link #start}, to {@code out}. */
        public void copy(InputStream in, OutputStream out) throws IOException {
            byte[] buf = new byte[BUFFER];
            long left = length();
            while (left > 0) {
                int n = in.read(buf, 0, (int) Math.min(buf.length, left));
                if (n < 0) break;
                out.write(buf, 0, n);
                left -= n;
            }
            out.flush();
        }
    }

    /**
     * The bytes a request asks for: the one range of its {@code Range} header (when its {@code If-Range}, if any,
     * names {@code etag}), else the whole file. Several ranges or another unit get the whole file, as HTTP allows.
     * {@code what} names the file in a 416 ("the blob's").
     */
    public static Bytes requested(Context ctx, String etag, long size, String what) {
        Bytes whole = new Bytes(0, size - 1, false);
        String range = ctx.header("Range");
        String ifRange = ctx.header("If-Range");
        if (range == null || ifRange != null && !ifRange.trim().equals(etag)) return whole;
        Matcher m = RANGE.matcher(range.trim());
        if (!m.matches() || m.group(1).isEmpty() && m.group(2).isEmpty()) return whole;
        long start;
        long end = size - 1;
        try {
            if (m.group(1).isEmpty()) { // suffix: the last n bytes
                long n = Long.parseLong(m.group(2));
                if (n == 0) throw unsatisfiable(ctx, size, what);
                start = Math.max(0, size - n);
            } else {
                start = Long.parseLong(m.group(1));
                if (!m.group(2).isEmpty()) {
                    long last = Long.parseLong(m.group(2));
                    if (last < start) throw ApiException.badRequest("invalid_range", "the Range ends before it starts", "Range");
                    end = Math.min(end, last);
                }
            }
        } catch (NumberFormatException e) {
            throw unsatisfiable(ctx, size, what);
        }
        if (start >= size) throw unsatisfiable(ctx, size, what);
        return new Bytes(start, end, true);
    }

    private static ApiException unsatisfiable(Context ctx, long size, String what) {
        ctx.header("Content-Range", "bytes */" + size);
        return new ApiException(416, "range_not_satisfiable", "the Range is outside " + what + " " + size + " bytes", "Range");
    }
}
