package storyboard.events;

import com.fasterxml.jackson.annotation.JsonRawValue;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import storyboard.kernel.Cursor;
import storyboard.kernel.Page;
import storyboard.kernel.Visibility;

/**
 * Reading the event log, which every capability appends to through {@link storyboard.kernel.Changes} in the
 * transaction of its change (in commit order; a NOTIFY on {@link storyboard.kernel.Changes#CHANNEL} at each commit).
 */
public final class EventLog {

    private final Jdbi jdbi;

    public EventLog(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** A stored event, as the API, the stream and webhook deliveries show it. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Event(long seq, Instant at, String type, String subjectId, String project, Actor actor,
                        @JsonRawValue String payload) {
        /** Who made the change. */
        public record Actor(String type, String id, String name) {}
    }

    /** Event types about credentials and people: only for unrestricted admins. */
    static final List<String> ADMIN_TYPE_PREFIXES = List.of("token.", "user.", "session.");

    /**
     * What to read: types (exact, or a prefix ending in {@code .*}), one project (null: any), what the reader may
     * see of the projects' events, and whether events about credentials and people are included.
     */
    public record Filter(List<String> types, String project, Visibility visibility, boolean adminEvents) {
        static final Filter ALL = new Filter(List.of(), null, Visibility.ALL, true);

        boolean matches(Event e) {
            if (!types.isEmpty() && types.stream().noneMatch(t -> t.endsWith(".*")
                    ? e.type().startsWith(t.substring(0, t.length() - 1)) : e.type().equals(t))) {
                return false;
            }
            if (project != null && !project.equals(e.project())) return false;
            if (!visibility.canSee(e.project())) return false;
            return adminEvents || ADMIN_TYPE_PREFIXES.stream().noneMatch(e.type()::startsWith);
        }
    }

    /** Events after {@code afterSeq}, in order, at most {@code limit}. */
    public List<Event> after(long afterSeq, Filter f, int limit) {
        Map<String, Object> values = new HashMap<>();
        String sql = "select * from event where seq > :after" + conditions(f, values) + " order by seq limit :limit";
        return jdbi.withHandle(h -> f.visibility().bind(h.createQuery(sql))
                .bind("after", afterSeq).bindMap(values).bind("limit", limit)
                .map((rs, ctx) -> read(rs)).list());
    }

    /** The listing name of {@link #newest} cursors. */
    static final String NEWEST = "events_newest";

    /**
     * The newest events first, from the cursor of the previous page (none: from the newest), keyset-paginated on
     * the sequence number: what the dashboard's event log shows.
     */
    public Page<Event> newest(Filter f, int limit, Optional<String> cursor) {
        Optional<Long> before = Cursor.decode(cursor, NEWEST, 1).map(c -> c.number(0));
        Map<String, Object> values = new HashMap<>();
        String sql = "select * from event where " + (before.isPresent() ? "seq < :before" : "true")
                + conditions(f, values) + " order by seq desc limit :limit";
        List<Event> rows = jdbi.withHandle(h -> {
            var q = f.visibility().bind(h.createQuery(sql)).bindMap(values).bind("limit", limit + 1);
            before.ifPresent(b -> q.bind("before", b));
            return q.map((rs, ctx) -> read(rs)).list();
        });
        return Page.of(rows, limit, e -> Cursor.of(NEWEST, e.seq()));
    }

    /** The SQL conditions (each starting with " and ") of a filter, with the values they bind. */
    private static String conditions(Filter f, Map<String, Object> values) {
        StringBuilder sql = new StringBuilder();
        List<String> typeConditions = new ArrayList<>();
        for (String t : f.types()) {
            String name = "type" + typeConditions.size();
            boolean prefix = t.endsWith(".*");
            typeConditions.add("type " + (prefix ? "like" : "=") + " :" + name);
            values.put(name, prefix ? t.substring(0, t.length() - 1).replace("\\", "\\\\").replace("%", "\\%")
                    .replace("_", "\\_") + "%" : t);
        }
        if (!typeConditions.isEmpty()) sql.append(" and (").append(String.join(" or ", typeConditions)).append(")");
        if (f.project() != null) {
            sql.append(" and project = :project");
            values.put("project", f.project());
        }
        sql.append(" and ").append(f.visibility().sql("project"));
        if (!f.adminEvents()) {
            for (String prefix : ADMIN_TYPE_PREFIXES) sql.append(" and type not like '").append(prefix).append("%'");
        }
        return sql.toString();
    }

    /** The newest sequence number (0 when the log is empty). */
    public long head() {
        return jdbi.withHandle(h -> h.createQuery("select coalesce(max(seq), 0) from event").mapTo(Long.class).one());
    }

    /** Removes events older than the retention; a replay from before them starts at the oldest kept. */
    public int deleteOlderThan(Instant cutoff) {
        return jdbi.withHandle(h -> h.createUpdate("delete from event where at < :cutoff")
                .bind("cutoff", OffsetDateTime.ofInstant(cutoff, java.time.ZoneOffset.UTC)).execute());
    }

    private static Event read(ResultSet rs) throws SQLException {
        return new Event(rs.getLong("seq"), rs.getObject("at", OffsetDateTime.class).toInstant(), rs.getString("type"),
                rs.getString("subject_id"), rs.getString("project"), new Event.Actor(rs.getString("actor_type"),
                rs.getString("actor_id"), rs.getString("actor_name")), rs.getString("payload"));
    }
}
