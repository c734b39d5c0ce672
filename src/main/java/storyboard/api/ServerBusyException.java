package storyboard.api;

/** A 503: the server cannot take this work now (its memory for it is in use); retry after the given seconds. */
public final class ServerBusyException extends ApiException {
    private final long retryAfterSeconds;

    public ServerBusyException(String message, long retryAfterSeconds) {
        super(503, "server_busy", message);
        this.retryAfterSeconds = Math.max(1, retryAfterSeconds);
    }

    @Override
    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
