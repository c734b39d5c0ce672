package storyboard.api;

/** A refusal the client may retry after the given number of seconds, which the answer's Retry-After says. */
public class RetryLaterException extends ApiException {
    private final long retryAfterSeconds;

    public RetryLaterException(int status, String code, String message, long retryAfterSeconds) {
        super(status, code, message);
        this.retryAfterSeconds = Math.max(1, retryAfterSeconds);
    }

    @Override
    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
