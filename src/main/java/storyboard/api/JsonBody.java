package storyboard.api;

import storyboard.kernel.Json;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * A JSON object request body read strictly: JSON content type, size limit, no unknown or duplicate fields, and
 * typed getters whose failures are 400s naming the field.
 */
public final class JsonBody {
    /** Bodies of management requests (tokens, users, ...) are small. */
    public static final long SMALL = 64 * 1024;

    private final ObjectNode node;

    private JsonBody(ObjectNode node) {
        this.node = node;
    }

    public static JsonBody read(Context ctx, Set<String> knownFields) {
        HttpBodies.requireJson(ctx);
        return parse(HttpBodies.read(ctx, SMALL), knownFields);
    }

    /** A JSON object given as bytes, e.g. a form field of a multipart request, read as strictly as a body. */
    public static JsonBody parse(byte[] bytes, Set<String> knownFields) {
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(bytes);
        } catch (IOException e) {
            throw ApiException.badRequest("invalid_json", "the body is not valid JSON", null);
        }
        if (root == null || root.isMissingNode()) throw ApiException.badRequest("invalid_json", "the body is empty", null);
        if (!root.isObject()) throw ApiException.badRequest("invalid_body", "the body must be a JSON object", null);
        RequestText.checkJson(root);
        for (var it = root.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!knownFields.contains(name)) {
                throw ApiException.badRequest("unknown_field", "unknown field '" + name + "' (known: "
                        + String.join(", ", knownFields.stream().sorted().toList()) + ")", name);
            }
        }
        return new JsonBody((ObjectNode) root);
    }

    /** True when the body names the field, even with null (a PATCH that clears it). */
    public boolean names(String field) {
        return node.has(field);
    }

    /** The field's JSON value as sent, when present and not null. */
    public Optional<JsonNode> raw(String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? Optional.empty() : Optional.of(v);
    }

    public boolean has(String field) {
        JsonNode v = node.get(field);
        return v != null && !v.isNull();
    }

    public Optional<String> string(String field, int maxLength) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) return Optional.empty();
        if (!v.isTextual()) throw invalid(field, "'" + field + "' must be a string");
        String s = v.textValue();
        if (s.length() > maxLength) throw invalid(field, "'" + field + "' is longer than " + maxLength + " characters");
        if (s.indexOf('\0') >= 0) throw invalid(field, "'" + field + "' must not contain NUL characters");
        return Optional.of(s);
    }

    public String requiredString(String field, int maxLength) {
        String s = string(field, maxLength).orElseThrow(() ->
                ApiException.badRequest("missing_field", "'" + field + "' is required", field));
        if (s.isBlank()) throw ApiException.badRequest("missing_field", "'" + field + "' must not be empty", field);
        return s;
    }

    /** A list of strings; empty when absent or null. */
    public Optional<List<String>> strings(String field, int maxItems, int maxLength) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) return Optional.empty();
        if (!v.isArray()) throw invalid(field, "'" + field + "' must be an array of strings");
        if (v.size() > maxItems) throw invalid(field, "'" + field + "' holds at most " + maxItems + " items");
        List<String> out = new ArrayList<>();
        for (JsonNode item : v) {
            if (!item.isTextual() || item.textValue().isBlank() || item.textValue().length() > maxLength) {
                throw invalid(field, "'" + field + "' must hold non-empty strings of at most " + maxLength + " characters");
            }
            out.add(item.textValue());
        }
        return Optional.of(out);
    }

    public Optional<Integer> integer(String field, int min, int max) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) return Optional.empty();
        if (!v.isIntegralNumber() || !v.canConvertToInt() || v.intValue() < min || v.intValue() > max) {
            throw invalid(field, "'" + field + "' must be a whole number from " + min + " to " + max);
        }
        return Optional.of(v.intValue());
    }

    /** A JSON number (not a string) from 0 (exclusive when {@code positive}) up to, not including, 1e15. */
    public Optional<java.math.BigDecimal> decimal(String field, boolean positive) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) return Optional.empty();
        if (!v.isNumber()) throw invalid(field, "'" + field + "' must be a number");
        java.math.BigDecimal d = v.decimalValue();
        if ((positive ? d.signum() <= 0 : d.signum() < 0) || d.compareTo(new java.math.BigDecimal("1e15")) >= 0
                || d.scale() > 30) {
            throw invalid(field, "'" + field + "' must be a number " + (positive ? "above" : "from") + " 0 and below 1e15");
        }
        return Optional.of(d);
    }

    public Optional<Boolean> bool(String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) return Optional.empty();
        if (!v.isBoolean()) throw invalid(field, "'" + field + "' must be true or false");
        return Optional.of(v.booleanValue());
    }

    public Optional<Instant> instant(String field) {
        return string(field, 100).map(s -> RequestParams.parseInstant(s.trim()).orElseThrow(() ->
                invalid(field, "'" + field + "' must be an ISO-8601 time such as 2027-01-31T00:00:00Z")));
    }

    private static ApiException invalid(String field, String message) {
        return ApiException.badRequest("invalid_field", message, field);
    }

    /** A UUID path parameter, or a 400 naming it. */
    public static UUID pathUuid(Context ctx, String name) {
        String raw = ctx.pathParam(name);
        try {
            if (raw.length() != 36) throw new IllegalArgumentException();
            return UUID.fromString(raw);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("invalid_parameter", "'" + name + "' must be a UUID, not '" + raw + "'", name);
        }
    }
}
