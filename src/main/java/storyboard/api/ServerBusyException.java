package storyboard.api;

/** A 503: the server cannot take this work now (its memory for it is in use); the connection is closed. */
public final class ServerBusyException extends RetryLaterException {
    public ServerBusyException(String message, long retryAfterSeconds) {
        super(503, "server_busy", message, retryAfterSeconds);
    }
}
