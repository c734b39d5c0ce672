package storyboard.auth;

import storyboard.kernel.Actor;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.util.RawValue;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.Query;
import storyboard.api.ApiException;
import storyboard.kernel.Json;

/**
 * The audit trail's SQL. Changes call {@link #record} with the handle of their own transaction, so an action
 * and its audit row are committed together or not at all.
 */
public final class AuditLog {
    private final Jdbi jdbi;

    public AuditLog(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** What to list: every present filter must match. {@code action} ending in {@code .*} matches a prefix. */
    public record Filter(Optional<String> action, Optional<String> actor, Optional<String> actorType,
                         Optional<String> targetType, Optional<String> targetId, Optional<Instant> from,
                         Optional<Instant> to) {}

    public record Page(List<Map<String, Object>> items, String nextCursor) {}

    /** Newest first, keyset-paginated on the event id. */
    public Page list(Filter f, int limit, Optional<String> cursor) {
        StringBuilder sql = new StringBuilder("select * from audit_event where true");
        Map<String, Object> bind = new LinkedHashMap<>();
        f.action().ifPresent(a -> {
            if (a.endsWith(".*")) {
                sql.append(" and action like :action escape '\\'");
                bind.put("action", a.substring(0, a.length() - 1).replace("\\", "\\\\").replace("%", "\\%")
                        .replace("_", "\\_") + "%");
            } else {
                sql.append(" and action = :action");
                bind.put("action", a);
            }
        });
        f.actor().ifPresent(a -> {
            sql.append(" and (actor_id = :actor or actor_name = :actor)");
            bind.put("actor", a);
        });
        f.actorType().ifPresent(a -> {
            sql.append(" and actor_type = :actorType");
            bind.put("actorType", a);
        });
        f.targetType().ifPresent(t -> {
            sql.append(" and target_type = :targetType");
            bind.put("targetType", t);
        });
        f.targetId().ifPresent(t -> {
            sql.append(" and target_id = :targetId");
            bind.put("targetId", t);
        });
        f.from().ifPresent(t -> {
            sql.append(" and at >= :from");
            bind.put("from", OffsetDateTime.ofInstant(t, ZoneOffset.UTC));
        });
        f.to().ifPresent(t -> {
            sql.append(" and at < :to");
            bind.put("to", OffsetDateTime.ofInstant(t, ZoneOffset.UTC));
        });
        cursor.map(AuditLog::decodeCursor).ifPresent(id -> {
            sql.append(" and id < :after");
            bind.put("after", id);
        });
        sql.append(" order by id desc limit :limit");
        List<Map<String, Object>> rows = jdbi.withHandle(h -> {
            Query q = h.createQuery(sql.toString()).bindMap(bind).bind("limit", limit + 1);
            return q.map((rs, ctx) -> {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("id", rs.getLong("id"));
                m.put("at", rs.getObject("at", OffsetDateTime.class).toInstant());
                Map<String, Object> actor = new LinkedHashMap<>();
                actor.put("type", rs.getString("actor_type"));
                actor.put("id", rs.getString("actor_id"));
                actor.put("name", rs.getString("actor_name"));
                m.put("actor", actor);
                m.put("action", rs.getString("action"));
                m.put("target_type", rs.getString("target_type"));
                m.put("target_id", rs.getString("target_id"));
                String details = rs.getString("details");
                m.put("details", details == null ? null : new RawValue(details));
                m.put("address", rs.getString("address"));
                m.put("request_id", rs.getString("request_id"));
                return m;
            }).list();
        });
        String next = null;
        if (rows.size() > limit) {
            rows = new ArrayList<>(rows.subList(0, limit));
            next = encodeCursor((Long) rows.get(limit - 1).get("id"));
        }
        return new Page(rows, next);
    }

    private static String encodeCursor(long id) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(("a1:" + id).getBytes(StandardCharsets.UTF_8));
    }

    private static long decodeCursor(String cursor) {
        try {
            String s = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            if (!s.startsWith("a1:")) throw new IllegalArgumentException();
            return Long.parseLong(s.substring(3));
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("invalid_parameter", "'cursor' is not a cursor this server issued", "cursor");
        }
    }
}
