package storyboard.projects;

import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import storyboard.api.ApiException;
import storyboard.api.BodyTimeoutException;

/**
 * Request bodies the projects' routes stream themselves: a refused one is read and dropped (up to a limit) so that a
 * client still sending reads the answer rather than a reset connection.
 */
final class Bodies {
    /** At most this much of a refused body is read and dropped; beyond it the connection is simply closed. */
    static final long DRAIN_LIMIT = 64L << 20;

    private Bodies() {}

    /** Drops the rest of a body that will not be used; the connection closes after the answer. */
    static void drop(Context ctx) {
        ctx.header("Connection", "close");
        if (expectsContinue(ctx) || ctx.req().getContentLengthLong() > DRAIN_LIMIT) return;
        try (InputStream in = ctx.req().getInputStream()) {
            byte[] buf = new byte[1 << 16];
            long left = DRAIN_LIMIT;
            int n;
            while (left > 0 && (n = in.read(buf, 0, (int) Math.min(buf.length, left))) > 0) left -= n;
        } catch (IOException | RuntimeException ignored) {
            // the client went away, or the body can no longer be read: the connection closes either way
        }
    }

    /** Reads and drops a body not needed (a blob already stored); a large one closes the connection instead. */
    static void skip(Context ctx) {
        if (expectsContinue(ctx)) return;
        long declared = ctx.req().getContentLengthLong();
        if (declared < 0 || declared > DRAIN_LIMIT) {
            drop(ctx);
            return;
        }
        try (InputStream in = ctx.req().getInputStream()) {
            byte[] buf = new byte[1 << 16];
            while (in.read(buf) > 0) {
                // dropped
            }
        } catch (IOException | RuntimeException ignored) {
            // the client went away
        }
    }

    static boolean expectsContinue(Context ctx) {
        String expect = ctx.header("Expect");
        return expect != null && expect.equalsIgnoreCase("100-continue");
    }

    /** How a body that could not be read to its end is answered. */
    static ApiException unreadable(IOException e) {
        if (BodyTimeoutException.isTimeout(e)) return BodyTimeoutException.answer(e, null);
        return ApiException.badRequest("incomplete_body", "the body could not be read to its end (" + e.getMessage()
                + "); nothing was kept", null);
    }
}
