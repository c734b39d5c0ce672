package storyboard.assets;

import io.javalin.http.Context;
import io.javalin.http.UploadedFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.eclipse.jetty.http.MultiPartFormData;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import storyboard.api.ApiException;
import storyboard.api.BodyTimeoutException;
import storyboard.api.JsonBody;

/**
 * A create or new-version request of {@code /api/v1/assets}: its JSON fields, and the uploaded file of a multipart
 * one (whose fields are the JSON object of its {@code asset} part). A JSON request names an uploaded blob instead.
 */
record AssetRequest(JsonBody body, UploadedFile file) {
    private static final Logger LOG = LoggerFactory.getLogger(AssetRequest.class);

    /** Reads the request, refusing fields other than {@code fields} and a file over {@code maxBytes}. */
    static AssetRequest read(Context ctx, Set<String> fields, long maxBytes) {
        String type = Optional.ofNullable(ctx.header("Content-Type")).orElse("").toLowerCase(Locale.ROOT);
        if (!type.startsWith("multipart/")) {
            JsonBody body = JsonBody.read(ctx, fields);
            body.requiredString("sha256", 64);
            return new AssetRequest(body, null);
        }
        if (!type.startsWith("multipart/form-data")) {
            throw new ApiException(415, "unsupported_media_type", "a multipart upload must be multipart/form-data", "Content-Type");
        }
        Map<String, List<UploadedFile>> files;
        Map<String, List<String>> form;
        try {
            files = ctx.uploadedFileMap();
            form = ctx.formParamMap();
        } catch (Exception e) {
            // The failed parse is over (its temporary files are gone): Jetty would otherwise rethrow its failure when
            // the request completes, and log it as a 500 written over this answer.
            ctx.req().removeAttribute(MultiPartFormData.class.getName());
            ApiException answer = unparsed(e, maxBytes);
            if (answer.status() == 507 || answer.status() == 413) BlobRoutes.dropRest(ctx);
            throw answer;
        }
        checkParts(files, form);
        UploadedFile file = onePart(files.getOrDefault("file", List.of()));
        return new AssetRequest(assetField(form, fields), file);
    }

    /** Why a multipart body could not be parsed, as its answer. */
    private static ApiException unparsed(Exception e, long maxBytes) {
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
        if (m.contains("size") || m.contains("exceed") || m.contains("too large")) {
            return new ApiException(413, "body_too_large", "the upload is larger than the limit of " + maxBytes
                    + " bytes (MAX_BLOB_BYTES)");
        }
        return ApiException.badRequest("invalid_multipart", "the body is not a well-formed multipart/form-data body "
                + "(a 'file' part and an optional 'asset' JSON part, each between boundary lines)", null);
    }

    /** The multipart parser failed writing its temporary files (a full disk, quota, a read-only file system). */
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

    /** Only the parts {@code file} and {@code asset}. */
    private static void checkParts(Map<String, List<UploadedFile>> files, Map<String, List<String>> form) {
        for (String name : files.keySet()) {
            if (!name.equals("file")) {
                throw ApiException.badRequest("unknown_field", "unknown file part '" + name + "' (the file goes in 'file')", name);
            }
        }
        for (String name : form.keySet()) {
            if (!name.equals("asset") && !files.containsKey(name)) {
                throw ApiException.badRequest("unknown_field", "unknown form field '" + name
                        + "' (known: file, asset: the JSON fields as one JSON object)", name);
            }
        }
    }

    private static UploadedFile onePart(List<UploadedFile> file) {
        if (file.isEmpty()) throw ApiException.badRequest("missing_field", "the multipart body has no 'file' part", "file");
        if (file.size() > 1) throw ApiException.badRequest("invalid_field", "one 'file' part per request", "file");
        return file.get(0);
    }

    /** The JSON fields of the {@code asset} part ({@code {}} without one); its errors say they are in it. */
    private static JsonBody assetField(Map<String, List<String>> form, Set<String> fields) {
        List<String> json = form.getOrDefault("asset", List.of());
        if (json.size() > 1) throw ApiException.badRequest("invalid_field", "one 'asset' field per request", "asset");
        byte[] bytes = (json.isEmpty() ? "{}" : json.get(0)).getBytes(StandardCharsets.UTF_8);
        if (bytes.length > JsonBody.SMALL) {
            throw new ApiException(413, "body_too_large", "the 'asset' field is larger than " + JsonBody.SMALL + " bytes", "asset");
        }
        try {
            return JsonBody.parse(bytes, fields);
        } catch (ApiException e) {
            throw new ApiException(e.status(), e.code(), "the 'asset' form field: " + e.getMessage(),
                    e.field() == null ? "asset" : e.field());
        }
    }
}
