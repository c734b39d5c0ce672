package storyboard.api;

import io.javalin.http.Context;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import storyboard.kernel.DomainException;

/**
 * Writes a refusal as the JSON error body with its status and headers: an {@link ApiException} (refused by the HTTP
 * layer, with its own status) or a {@link DomainException} (refused by a store), whose kind this class alone turns
 * into a status.
 */
public final class ErrorResponses {
    private ErrorResponses() {}

    /** The HTTP status of a domain refusal. */
    public static int status(DomainException.Kind kind) {
        return switch (kind) {
            case INVALID -> 400;
            case FORBIDDEN -> 403;
            case NOT_FOUND -> 404;
            case CONFLICT -> 409;
            case GONE -> 410;
            case UNPROCESSABLE -> 422;
        };
    }

    public static ApiException toApi(DomainException e) {
        return new ApiException(status(e.kind()), e.code(), e.getMessage(), e.field());
    }

    public static void send(Context ctx, DomainException e) {
        send(ctx, toApi(e));
    }

    public static void send(Context ctx, ApiException e) {
        if (e.retryAfterSeconds() > 0) {
            ctx.header("Retry-After", String.valueOf(e.retryAfterSeconds()));
        } else if (e.status() == 503) {
            ctx.header("Retry-After", String.valueOf(DatabaseUnavailableException.RETRY_AFTER_SECONDS));
        }
        if (e.status() == 401) ctx.header("WWW-Authenticate", "Bearer realm=\"storyboard\"");
        // The rest of the body was not read (it stalled, or there was no memory to take it in): the connection
        // cannot carry another request.
        if (e.status() == 408 || e instanceof ServerBusyException) ctx.header("Connection", "close");
        ctx.status(e.status()).json(e.toError());
    }

    /** The ApiException behind an asynchronous failure: timeouts and lost connections become 503s. */
    public static ApiException fromAsync(Throwable t) {
        Throwable c = t;
        while ((c instanceof CompletionException || c instanceof ExecutionException) && c.getCause() != null) {
            c = c.getCause();
        }
        if (c instanceof ApiException api) return api;
        if (c instanceof DomainException d) return toApi(d);
        if (c instanceof TimeoutException || DatabaseUnavailableException.isConnectionFailure(c)) {
            return new DatabaseUnavailableException("the database did not confirm the write in time; try again shortly");
        }
        return null;
    }
}
