package storyboard.auth;

import io.javalin.http.HttpStatus;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import storyboard.api.ApiException;
import storyboard.kernel.Api;

/**
 * The dashboard's admin pages (server-wide, admin scope): {@code /admin} leads to the tokens; {@link TokenPages},
 * {@link UserPages} and {@link AuditPages} answer the rest. Every change goes through the same store command as the
 * API's, so the audit rows and events are the same whichever way it was made.
 */
final class AdminPages {
    /** Rows per page (and per infinite-scroll fragment). */
    static final int PAGE_SIZE = 50;

    private AdminPages() {}

    static void register(Api api, TokenStore tokens, UserStore users, AuditLog audit) {
        api.get("/admin", ctx -> ctx.redirect("/admin/tokens", HttpStatus.SEE_OTHER));
        new TokenPages(tokens).register(api);
        new UserPages(users).register(api);
        new AuditPages(audit).register(api);
    }

    /** A path with the present (non-null, non-empty) parameters as its query, in order. */
    static String url(String path, Map<String, String> params) {
        StringBuilder b = new StringBuilder(path);
        char sep = '?';
        for (Map.Entry<String, String> e : params.entrySet()) {
            if (e.getValue() == null || e.getValue().isEmpty()) continue;
            b.append(sep).append(e.getKey()).append('=').append(URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8));
            sep = '&';
        }
        return b.toString();
    }

    /**
     * The model of one page of a listing at {@code path}: its items under {@code itemsName}, and the next page's
     * addresses with the same {@code filters}: the rows fragment ({@code path/rows}, for infinite scroll) and the
     * whole page (the link for browsers without scripts); both null on the last page.
     */
    static Map<String, Object> listModel(String path, String itemsName, storyboard.kernel.Page<?> page,
                                         Map<String, String> filters) {
        Map<String, Object> model = new java.util.HashMap<>();
        model.put(itemsName, page.items());
        Map<String, String> next = new LinkedHashMap<>(filters);
        next.put("cursor", page.nextCursor());
        model.put("nextRows", page.nextCursor() == null ? null : url(path + "/rows", next));
        model.put("nextPage", page.nextCursor() == null ? null : url(path, next));
        return model;
    }

    static Map<String, String> params(String... pairs) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) m.put(pairs[i], pairs[i + 1]);
        return m;
    }

    /** A UUID query parameter, or a 400 page naming it. */
    static UUID uuid(String name, String value) {
        try {
            if (value.length() != 36) throw new IllegalArgumentException();
            return UUID.fromString(value);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("invalid_parameter", "'" + name + "' must be an id", name);
        }
    }
}
