package storyboard.auth;

import io.javalin.http.Context;
import java.util.Set;
import storyboard.kernel.Api;
import storyboard.api.RequestParams;

/** {@code GET /api/v1/audit}: the audit trail, newest first, for admins. */
public record AuditRoutes(AuditLog audit) {
    static final Set<String> PARAMS = Set.of("action", "actor", "actor_type", "target_type", "target_id", "from", "to",
            "limit", "cursor");

    public void register(Api api) {
        api.get("/api/v1/audit", this::list);
    }

    private void list(Context ctx) {
        RequestParams p = RequestParams.of(ctx, PARAMS);
        ctx.json(audit.list(filter(p), p.integer("limit", 50, 1, 500), p.string("cursor")));
    }

    static AuditLog.Filter filter(RequestParams p) {
        return new AuditLog.Filter(p.string("action"), p.string("actor"), p.string("actor_type"),
                p.string("target_type"), p.string("target_id"), p.instant("from"), p.instant("to"));
    }
}
