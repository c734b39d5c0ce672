package storyboard.api;

/**
 * A request the server refuses, carried to the client as {@code {"error": code, "message": ..., "field": ...}}
 * with the given HTTP status.
 */
public class ApiException extends RuntimeException {
    private final int status;
    private final String code;
    private final String field;

    public ApiException(int status, String code, String message, String field) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
        this.field = field;
    }

    public ApiException(int status, String code, String message) {
        this(status, code, message, null);
    }

    public static ApiException badRequest(String code, String message, String field) {
        return new ApiException(400, code, message, field);
    }

    public static ApiException notFound(String what) {
        return new ApiException(404, "not_found", what + " not found");
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public String field() {
        return field;
    }

    /** Seconds after which a retry may succeed (429, 503), or 0 for no Retry-After header. */
    public long retryAfterSeconds() {
        return 0;
    }

    public ApiError toError() {
        return new ApiError(code, getMessage(), field);
    }
}
