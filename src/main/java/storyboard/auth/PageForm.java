package storyboard.auth;

import io.javalin.http.Context;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import storyboard.api.ApiException;

/**
 * A form posted by an admin page, read strictly like the API's bodies: urlencoded only, small, known fields only,
 * each once unless it may repeat (checkboxes). Javalin parses the body once and keeps it, so the CSRF check (which
 * reads {@code _csrf} from the same form) and this reader see the same fields.
 */
final class PageForm {
    private static final long MAX_BYTES = 64 * 1024;

    private final Map<String, List<String>> fields;

    private PageForm(Map<String, List<String>> fields) {
        this.fields = fields;
    }

    /** The form, or a 4xx: another content type (415), too large (413), an unknown or repeated field (400). */
    static PageForm read(Context ctx, Set<String> known, Set<String> repeatable) {
        String type = ctx.header("Content-Type");
        if (type == null || !type.toLowerCase(Locale.ROOT).startsWith("application/x-www-form-urlencoded")) {
            throw new ApiException(415, "unsupported_media_type",
                    "this page takes a form (application/x-www-form-urlencoded)", "Content-Type");
        }
        if (ctx.req().getContentLengthLong() > MAX_BYTES) {
            throw new ApiException(413, "body_too_large", "the form is larger than " + MAX_BYTES + " bytes");
        }
        Map<String, List<String>> map = ctx.formParamMap();
        for (Map.Entry<String, List<String>> e : map.entrySet()) {
            if (!known.contains(e.getKey()) && !repeatable.contains(e.getKey())) {
                throw ApiException.badRequest("unknown_field", "unknown form field '" + e.getKey() + "' (known: "
                        + String.join(", ", known.stream().sorted().toList()) + ")", e.getKey());
            }
            if (e.getValue().size() > 1 && !repeatable.contains(e.getKey())) {
                throw ApiException.badRequest("invalid_field", "the form field '" + e.getKey()
                        + "' is given more than once", e.getKey());
            }
        }
        return new PageForm(map);
    }

    /** The field's text, stripped; empty when absent or blank. */
    Optional<String> string(String name) {
        List<String> v = fields.get(name);
        if (v == null || v.isEmpty()) return Optional.empty();
        String s = v.get(0).strip();
        return s.isEmpty() ? Optional.empty() : Optional.of(s);
    }

    /** The field's text exactly as typed (a password); empty when absent or empty. */
    Optional<String> raw(String name) {
        List<String> v = fields.get(name);
        if (v == null || v.isEmpty() || v.get(0).isEmpty()) return Optional.empty();
        return Optional.of(v.get(0));
    }

    /** Every value of a repeatable field (checkboxes), blanks left out. */
    List<String> all(String name) {
        return fields.getOrDefault(name, List.of()).stream().map(String::strip).filter(s -> !s.isEmpty()).toList();
    }
}
