package storyboard.assets;

import io.javalin.http.Context;
import io.javalin.http.UploadedFile;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import storyboard.api.ApiException;
import storyboard.api.Multipart;
import storyboard.api.JsonBody;

/**
 * A create or new-version request of {@code /api/v1/assets}: its JSON fields, and the uploaded file of a multipart
 * one (whose fields are the JSON object of its {@code asset} part). A JSON request names an uploaded blob instead.
 */
record AssetRequest(JsonBody body, UploadedFile file) {

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
        Multipart.Form parsed = Multipart.read(ctx, maxBytes,
                "(a 'file' part and an optional 'asset' JSON part, each between boundary lines)", "");
        Map<String, List<UploadedFile>> files = parsed.files();
        Map<String, List<String>> form = parsed.fields();
        checkParts(files, form);
        UploadedFile file = onePart(files.getOrDefault("file", List.of()));
        return new AssetRequest(assetField(form, fields), file);
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
