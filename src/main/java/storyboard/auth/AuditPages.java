package storyboard.auth;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import storyboard.api.RequestParams;
import storyboard.kernel.Api;
import storyboard.kernel.Json;
import storyboard.kernel.Page;
import storyboard.web.Pages;

/**
 * {@code /admin/audit}: the audit trail, newest first, with the API's filters kept in the URL (shareable) and
 * infinite scroll by the API's cursor.
 */
public final class AuditPages {
    /** The filters, in the order of the form; the same names as {@code GET /api/v1/audit}'s. */
    static final List<String> FILTERS = List.of("action", "actor", "actor_type", "target_type", "target_id", "from", "to");
    private static final Set<String> PARAMS;

    static {
        PARAMS = new java.util.HashSet<>(FILTERS);
        PARAMS.add("cursor");
    }

    /** Who may appear as an actor, for the form's choice. */
    public static final List<String> ACTOR_TYPES = List.of("user", "token", "auth_token", "jwt", "cli", "server", "anonymous");

    /** One detail of an audit row, its value as JSON text unless it is a string. */
    public record Detail(String name, String value) {}

    /**
     * An audit row's details as name and value pairs (a top-level JSON object, as every change records), so a page
     * shows them readably; anything else as one unnamed value.
     */
    public static List<Detail> details(AuditLog.Entry e) {
        if (e.details() == null) return List.of();
        String raw = String.valueOf(e.details().rawValue());
        try {
            JsonNode node = Json.MAPPER.readTree(raw);
            if (!node.isObject()) return List.of(new Detail("", raw));
            List<Detail> out = new ArrayList<>();
            node.fields().forEachRemaining(f -> out.add(new Detail(f.getKey(),
                    f.getValue().isTextual() ? f.getValue().asText() : f.getValue().toString())));
            return out;
        } catch (java.io.IOException ex) {
            return List.of(new Detail("", raw));
        }
    }

    private final AuditLog audit;

    AuditPages(AuditLog audit) {
        this.audit = audit;
    }

    void register(Api api) {
        api.get("/admin/audit", this::list);
        api.get("/admin/audit/rows", this::rows);
    }

    private void list(Context ctx) {
        RequestParams p = RequestParams.of(ctx, PARAMS);
        Map<String, String> filters = filters(p);
        Map<String, Object> model = rowsModel(p, filters);
        model.put("filters", filters);
        model.put("actorTypes", ACTOR_TYPES);
        model.put("filtered", filters.values().stream().anyMatch(v -> !v.isEmpty()));
        Pages.render(ctx, "storyboard/auth/audit.jte", model);
    }

    private void rows(Context ctx) {
        RequestParams p = RequestParams.of(ctx, PARAMS);
        Pages.render(ctx, "storyboard/auth/auditRows.jte", rowsModel(p, filters(p)));
    }

    /** The filters as given (empty when absent), to fill the form and carry to the next page. */
    private static Map<String, String> filters(RequestParams p) {
        Map<String, String> f = new LinkedHashMap<>();
        for (String name : FILTERS) f.put(name, p.string(name).orElse(""));
        return f;
    }

    /** One page of the trail with the API's filter (which checks every value: a bad one is a 400 page). */
    private Map<String, Object> rowsModel(RequestParams p, Map<String, String> filters) {
        Page<AuditLog.Entry> page = audit.list(AuditRoutes.filter(p), AdminPages.PAGE_SIZE, p.string("cursor"));
        return AdminPages.listModel("/admin/audit", "entries", page, filters);
    }
}
