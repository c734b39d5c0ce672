package storyboard.api;

import io.javalin.http.Context;
import io.javalin.http.UploadedFile;
import java.io.IOException;
import java.nio.file.FileSystemException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.eclipse.jetty.http.MultiPartFormData;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reading a {@code multipart/form-data} body (Jetty spools its files), and answering one that cannot be read: 408
 * when it stalled, 507 when the spool could not be written, 413 when it is too large or has too many parts, else
 * 400. A body refused part-way is read to its end and dropped first, so the client reads the answer.
 */
public final class Multipart {
    private static final Logger LOG = LoggerFactory.getLogger(Multipart.class);

    /** The body's files and its other fields, by part name. */
    public record Form(Map<String, List<UploadedFile>> files, Map<String, List<String>> fields) {}

    private Multipart() {}

    /**
     * Reads the body. {@code shape} says in a 400 what a well-formed body holds; {@code instead} is appended to a 413
     * (what to do instead, or an empty string).
     */
    public static Form read(Context ctx, long maxBytes, String shape, String instead) {
        try {
            return new Form(ctx.uploadedFileMap(), ctx.formParamMap());
        } catch (Exception e) {
            // The failed parse is over (its temporary files are gone): Jetty would otherwise rethrow its failure when
            // the request completes, and log it as a 500 written over this answer.
            ctx.req().removeAttribute(MultiPartFormData.class.getName());
            ApiException answer = unparsed(e, maxBytes, shape, instead);
            if (answer.status() == 507 || answer.status() == 413) HttpBodies.dropRest(ctx);
            throw answer;
        }
    }

    private static ApiException unparsed(Exception e, long maxBytes, String shape, String instead) {
        StringBuilder chain = new StringBuilder();
        for (Throwable t = e; t != null && chain.length() < 2000; t = t.getCause() == t ? null : t.getCause()) {
            chain.append(t.getMessage()).append(' ');
        }
        String m = chain.toString().toLowerCase(Locale.ROOT);
        if (BodyTimeoutException.isTimeout(e)) return BodyTimeoutException.answer(e, null);
        if (isStorageFailure(e)) {
            LOG.error("multipart upload could not be staged: {}", chain.toString().trim());
            return new ApiException(507, "insufficient_storage", "the server could not store the upload (disk full "
                    + "or a write error); nothing was kept. Try again later or ask an administrator to free space.");
        }
        if (m.contains("too many keys") || m.contains("too many parts")) {
            return new ApiException(413, "too_many_parts", "the upload has more parts than the server reads in one "
                    + "multipart body (1000)" + instead);
        }
        if (m.contains("size") || m.contains("exceed") || m.contains("too large")) {
            return new ApiException(413, "body_too_large", "the upload is larger than the limit of " + maxBytes
                    + " bytes (MAX_BLOB_BYTES)" + instead);
        }
        LOG.debug("multipart body refused: {}", chain);
        return ApiException.badRequest("invalid_multipart", "the body is not a well-formed multipart/form-data body "
                + shape, null);
    }

    private static boolean isStorageFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof FileSystemException) return true;
            String m = t.getMessage() == null ? "" : t.getMessage();
            if (t instanceof IOException && (m.contains("No space left") || m.contains("Disk quota")
                    || m.contains("Read-only file system"))) {
                return true;
            }
        }
        return false;
    }
}
