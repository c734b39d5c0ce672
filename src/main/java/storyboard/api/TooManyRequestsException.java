package storyboard.api;

/** A 429: the client is over a rate limit. */
public final class TooManyRequestsException extends RetryLaterException {
    public TooManyRequestsException(String message, long retryAfterSeconds) {
        super(429, "rate_limited", message, retryAfterSeconds);
    }
}
