package storyboard.auth;

import com.fasterxml.jackson.databind.util.RawValue;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import storyboard.kernel.Cursor;
import storyboard.kernel.Page;

/**
 * Reading the audit trail, which every capability writes through {@link storyboard.kernel.Changes} in the
 * transaction of its change.
 */
public final class AuditLog {
    private static final String LISTING = "audit";

    private final Jdbi jdbi;

    public AuditLog(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** What to list: every present filter must match. {@code action} ending in {@code .*} matches a prefix. */
    public record Filter(Optional<String> action, Optional<String> actor, Optional<String> actorType,
                         Optional<String> targetType, Optional<String> targetId, Optional<Instant> from,
                         Optional<Instant> to) {}

    /** Newest first, keyset-paginated on the event id. */
    public Page<Map<String, Object>> list(Filter f, int limit, Optional<String> cursor) {
        Optional<Long> before = Cursor.decode(cursor, LISTING, 1).map(c -> c.number(0));
        Conditions where = new Conditions();
        where.add(f.action().filter(a -> !a.endsWith(".*")), "action = :action", "action");
        where.add(f.action().filter(a -> a.endsWith(".*")).map(AuditLog::likePrefix),
                "action like :action escape '\\'", "action");
        where.add(f.actor(), "(actor_id = :actor or actor_name = :actor)", "actor");
        where.add(f.actorType(), "actor_type = :actorType", "actorType");
        where.add(f.targetType(), "target_type = :targetType", "targetType");
        where.add(f.targetId(), "target_id = :targetId", "targetId");
        where.add(f.from().map(AuditLog::utc), "at >= :from", "from");
        where.add(f.to().map(AuditLog::utc), "at < :to", "to");
        where.add(before, "id < :before", "before");
        List<Map<String, Object>> rows = jdbi.withHandle(h -> h.createQuery(
                        "select * from audit_event where true" + where.sql + " order by id desc limit :limit")
                .bindMap(where.values).bind("limit", limit + 1)
                .map((rs, ctx) -> {
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
                }).list());
        return Page.of(rows, limit, row -> Cursor.of(LISTING, row.get("id")));
    }

    /** The SQL conditions of the filters given, and the values they bind. */
    private static final class Conditions {
        final StringBuilder sql = new StringBuilder();
        final Map<String, Object> values = new LinkedHashMap<>();

        void add(Optional<?> value, String condition, String name) {
            value.ifPresent(v -> {
                sql.append(" and ").append(condition);
                values.put(name, v);
            });
        }
    }

    /** The LIKE pattern of an {@code a.b.*} prefix, its own wildcards escaped. */
    private static String likePrefix(String pattern) {
        String prefix = pattern.substring(0, pattern.length() - 1);
        return prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
    }

    private static OffsetDateTime utc(Instant t) {
        return OffsetDateTime.ofInstant(t, ZoneOffset.UTC);
    }
}
