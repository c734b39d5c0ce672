package storyboard.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;
import storyboard.api.ApiError;
import storyboard.kernel.Json;

/**
 * Errors Jetty answers itself, before any route runs (a malformed URI, a URI or headers too long), in the same
 * JSON shape as every other error instead of Jetty's HTML page.
 */
final class JsonErrorHandler extends ErrorHandler {
    /** Jetty writes an error body only for GET, POST and HEAD by default; every method gets the JSON error here. */
    @Override
    public boolean errorPageForMethod(String method) {
        return true;
    }

    @Override
    protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
                                    Callback callback) {
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.write(true, ByteBuffer.wrap(body(code, message)), callback);
    }

    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        fields.put(HttpHeader.CONTENT_TYPE, "application/json");
        return ByteBuffer.wrap(body(status, reason));
    }

    private static byte[] body(int code, String message) {
        String error = switch (code) {
            case 400 -> "bad_request";
            case 404 -> "not_found";
            case 405 -> "method_not_allowed";
            case 413 -> "body_too_large";
            case 414 -> "uri_too_long";
            case 431 -> "headers_too_large";
            default -> "http_" + code;
        };
        String text = message == null || message.isBlank() ? HttpStatus.getMessage(code) : message;
        try {
            return Json.MAPPER.writeValueAsBytes(new ApiError(error, text, null));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
