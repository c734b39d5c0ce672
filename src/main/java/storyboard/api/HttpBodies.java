package storyboard.api;

import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;

/**
 * Reading request bodies safely: JSON content types only, never more than a limit; and refusing one so that a client
 * still sending it reads the answer rather than a reset connection.
 */
public final class HttpBodies {
    private HttpBodies() {}

    /** A missing Content-Type is accepted (the body must then parse as JSON); any other non-JSON type is a 415. */
    public static void requireJson(Context ctx) {
        String type = ctx.header("Content-Type");
        if (type == null || type.isBlank()) return;
        String media = type.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        if (!media.equals("application/json") && !(media.startsWith("application/") && media.endsWith("+json"))) {
            throw new ApiException(415, "unsupported_media_type",
                    "the body must be JSON (Content-Type: application/json), not " + media, "Content-Type");
        }
    }

    /** Reads the whole body, refusing with 413 anything over {@code limit} bytes, declared or actual. */
    public static byte[] read(Context ctx, long limit) {
        long declared = ctx.req().getContentLengthLong();
        if (declared > limit) {
            dropUnread(ctx, declared);
            throw tooLarge(limit);
        }
        try (InputStream in = ctx.req().getInputStream()) {
            byte[] body = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, limit + 1));
            if (body.length > limit) {
                dropUnread(ctx, declared);
                throw tooLarge(limit);
            }
            return body;
        } catch (IOException e) {
            if (BodyTimeoutException.isTimeout(e)) throw BodyTimeoutException.answer(e, null);
            throw ApiException.badRequest("unreadable_body", "the request body could not be read: " + e.getMessage(), null);
        }
    }

    /** At most this much of a refused body is read and dropped; beyond it the connection is simply closed. */
    private static final long DROP_LIMIT = 64L << 20;

    /**
     * Before refusing a body: a client that is already sending it (it did not ask "Expect: 100-continue") reads the
     * answer only if the server takes in what it sends, else the closed connection resets and the answer is lost.
     * The rest is read and dropped (up to {@link #DROP_LIMIT}), and the connection closes after the answer.
     */
    private static void dropUnread(Context ctx, long declared) {
        ctx.header("Connection", "close");
        String expect = ctx.header("Expect");
        if (expect != null && expect.equalsIgnoreCase("100-continue") || declared > DROP_LIMIT) return;
        try (InputStream in = ctx.req().getInputStream()) {
            byte[] buf = new byte[1 << 16];
            long left = DROP_LIMIT;
            int n;
            while (left > 0 && (n = in.read(buf, 0, (int) Math.min(buf.length, left))) > 0) left -= n;
        } catch (IOException | RuntimeException ignored) {
            // the client went away, or the body can no longer be read: the connection closes either way
        }
    }

    /** Drops the rest of a body that will not be used (a refusal); the connection closes after the answer. */
    public static void drop(Context ctx) {
        dropUnread(ctx, ctx.req().getContentLengthLong());
    }

    /**
     * Drops the rest of a body refused part-way through (the client is sending it, whatever it asked with
     * {@code Expect}), up to {@link #DROP_LIMIT}; the connection closes after the answer.
     */
    public static void dropRest(Context ctx) {
        ctx.header("Connection", "close");
        try (InputStream in = ctx.req().getInputStream()) {
            byte[] buf = new byte[1 << 16];
            long left = DROP_LIMIT;
            int n;
            while (left > 0 && (n = in.read(buf, 0, (int) Math.min(buf.length, left))) > 0) left -= n;
        } catch (IOException | RuntimeException ignored) {
            // the client went away, or the body can no longer be read: the connection closes either way
        }
    }

    /**
     * Reads and drops a body the answer does not need (bytes the server has already), keeping the connection; one
     * of unknown length or over {@link #DROP_LIMIT} is {@link #drop dropped} instead.
     */
    public static void skip(Context ctx) {
        String expect = ctx.header("Expect");
        if (expect != null && expect.equalsIgnoreCase("100-continue")) return;
        long declared = ctx.req().getContentLengthLong();
        if (declared < 0 || declared > DROP_LIMIT) {
            drop(ctx);
            return;
        }
        try (InputStream in = ctx.req().getInputStream()) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
        } catch (IOException | RuntimeException ignored) {
            // the client went away
        }
    }

    /** How a body that could not be read to its end is answered: 408 when it stalled, else 400. */
    public static ApiException unreadable(IOException e) {
        if (BodyTimeoutException.isTimeout(e)) return BodyTimeoutException.answer(e, null);
        return ApiException.badRequest("incomplete_body", "the body could not be read to its end (" + e.getMessage()
                + "); nothing was kept", null);
    }

    private static ApiException tooLarge(long limit) {
        return new ApiException(413, "body_too_large", "the body is larger than the limit of " + limit
                + " bytes (MAX_BODY_BYTES)");
    }
}
