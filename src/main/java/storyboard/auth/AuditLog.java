package storyboard.auth;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
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

    /** One row of the audit trail: who did what to which thing, when, from where, in which request. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Entry(long id, Instant at, Who actor, String action, String targetType, String targetId,
                        RawValue details, String address, String requestId) {
        /** The actor as recorded (a user or token may be gone since). */
        public record Who(String type, String id, String name) {}
    }

    /** Newest first, keyset-paginated on the event id. */
    public Page<Entry> list(Filter f, int limit, Optional<String> cursor) {
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
        List<Entry> rows = jdbi.withHandle(h -> h.createQuery(
                        "select * from audit_event where true" + where.sql + " order by id desc limit :limit")
                .bindMap(where.values).bind("limit", limit + 1)
                .map((rs, ctx) -> {
                    String details = rs.getString("details");
                    return new Entry(rs.getLong("id"), rs.getObject("at", OffsetDateTime.class).toInstant(),
                            new Entry.Who(rs.getString("actor_type"), rs.getString("actor_id"), rs.getString("actor_name")),
                            rs.getString("action"), rs.getString("target_type"), rs.getString("target_id"),
                            details == null ? null : new RawValue(details), rs.getString("address"),
                            rs.getString("request_id"));
                }).list());
        return Page.of(rows, limit, row -> Cursor.of(LISTING, row.id()));
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
