package storyboard.kernel;

/**
 * What a store or a command refuses, in the words of the domain: the kind of refusal, a stable code for programs, a
 * message for people and, when one input is at fault, its field. Stores throw it; the HTTP layer alone turns the kind
 * into a status ({@code storyboard.api.ErrorResponses}), so no store knows about HTTP.
 */
public class DomainException extends RuntimeException {
    /** Why something was refused. */
    public enum Kind {
        /** The input is malformed or out of range. */
        INVALID,
        /** Well-formed, but the data as it stands does not allow it (e.g. a parent version that does not exist). */
        UNPROCESSABLE,
        /** Nothing of that name or id is visible. */
        NOT_FOUND,
        /** It existed and was deleted for good, or its grace period is over. */
        GONE,
        /** It clashes with the current state (a duplicate name, a stale version). */
        CONFLICT,
        /** The credential may not do this. */
        FORBIDDEN
    }

    private final Kind kind;
    private final String code;
    private final String field;

    public DomainException(Kind kind, String code, String message, String field) {
        super(message, null, false, false);
        this.kind = kind;
        this.code = code;
        this.field = field;
    }

    public static DomainException invalid(String code, String message, String field) {
        return new DomainException(Kind.INVALID, code, message, field);
    }

    public static DomainException unprocessable(String code, String message, String field) {
        return new DomainException(Kind.UNPROCESSABLE, code, message, field);
    }

    public static DomainException notFound(String what) {
        return new DomainException(Kind.NOT_FOUND, "not_found", what + " not found", null);
    }

    public static DomainException gone(String code, String message) {
        return new DomainException(Kind.GONE, code, message, null);
    }

    public static DomainException conflict(String code, String message) {
        return new DomainException(Kind.CONFLICT, code, message, null);
    }

    public static DomainException forbidden(String message) {
        return new DomainException(Kind.FORBIDDEN, "forbidden", message, null);
    }

    public Kind kind() {
        return kind;
    }

    public String code() {
        return code;
    }

    public String field() {
        return field;
    }
}
