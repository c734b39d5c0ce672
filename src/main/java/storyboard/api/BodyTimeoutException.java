package storyboard.api;

import java.io.IOException;

/**
 * A request body that stopped arriving (nothing for the body timeout) or arrived too slowly (below the minimum
 * rate): reading it fails with this, and the request is answered 408 with the connection closed.
 */
public final class BodyTimeoutException extends IOException {
    public BodyTimeoutException(String message) {
        super(message);
    }

    /** Whether a failed read was a timeout: ours, or the connection's idle timeout. */
    public static boolean isTimeout(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof BodyTimeoutException || c instanceof java.util.concurrent.TimeoutException
                    || c instanceof java.net.SocketTimeoutException) {
                return true;
            }
        }
        return false;
    }

    /** The answer to a body that timed out; nothing of it was kept unless {@code kept} says what was. */
    public static ApiException answer(Throwable cause, String kept) {
        String why = cause.getMessage();
        for (Throwable c = cause; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof BodyTimeoutException) why = c.getMessage();
        }
        return new ApiException(408, "body_timeout", "the request body stopped arriving or arrived too slowly ("
                + why + "); " + (kept == null ? "nothing was kept" : kept));
    }
}
