package storyboard.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.util.RawValue;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import storyboard.kernel.Json;

/**
 * Reading the event log, which every capability appends to through {@link storyboard.kernel.Changes} in the
 * transaction of its change (in commit order; a NOTIFY on {@link storyboard.kernel.Changes#CHANNEL} at each commit).
 */
public final class EventLog {

    private final Jdbi jdbi;

    public EventLog(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** A stored event. */
    public record Event(long seq, Instant at, String type, String subjectId, String project, String actorType,
                        String actorId, String actorName, String payloadJson) {
        public Map<String, Object> toJson() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("seq", seq);
            m.put("at", at);
            m.put("type", type);
            m.put("subject_id", subjectId);
            m.put("project", project);
            Map<String, Object> actor = new LinkedHashMap<>();
            actor.put("type", actorType);
            actor.put("id", actorId);
            actor.put("name", actorName);
            m.put("actor", actor);
            m.put("payload", payloadJson == null ? null : new RawValue(payloadJson));
            return m;
        }
    }

    /** Event types about credentials and people: only for unrestricted admins. */
    static final List<String> ADMIN_TYPE_PREFIXES = List.of("token.", "user.", "session.");

    /**
     * What to read: types (exact, or a prefix ending in {@code .*}), one project, the projects visible (empty:
     * all), and whether events about credentials and people are included.
     */
    public record Filter(List<String> types, String project, Set<String> visibleProjects, boolean adminEvents) {
        static final Filter ALL = new Filter(List.of(), null, Set.of(), true);

        boolean matches(Event e) {
            if (!types.isEmpty() && types.stream().noneMatch(t -> t.endsWith(".*")
                    ? e.type().startsWith(t.substring(0, t.length() - 1)) : e.type().equals(t))) {
                return false;
            }
            if (project != null && !project.equals(e.project())) return false;
            if (!visibleProjects.isEmpty() && (e.project() == null || !visibleProjects.contains(e.project()))) return false;
            return adminEvents || ADMIN_TYPE_PREFIXES.stream().noneMatch(e.type()::startsWith);
        }
    }

    /** Events after {@code afterSeq}, in order, at most {@code limit}. */
    public List<Event> after(long afterSeq, Filter f, int limit) {
        return jdbi.withHandle(h -> {
            StringBuilder sql = new StringBuilder("select * from event where seq > ?");
            List<Object> args = new ArrayList<>();
            args.add(afterSeq);
            if (!f.types().isEmpty()) {
                List<String> parts = new ArrayList<>();
                for (String t : f.types()) {
                    if (t.endsWith(".*")) {
                        parts.add("type like ?");
                        args.add(t.substring(0, t.length() - 1).replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%");
                    } else {
                        parts.add("type = ?");
                        args.add(t);
                    }
                }
                sql.append(" and (").append(String.join(" or ", parts)).append(")");
            }
            if (f.project() != null) {
                sql.append(" and project = ?");
                args.add(f.project());
            }
            if (!f.visibleProjects().isEmpty()) {
                sql.append(" and project = any(?)");
                args.add(f.visibleProjects().toArray(String[]::new));
            }
            if (!f.adminEvents()) {
                for (String prefix : ADMIN_TYPE_PREFIXES) sql.append(" and type not like '").append(prefix).append("%'");
            }
            sql.append(" order by seq limit ?");
            args.add(limit);
            var q = h.createQuery(sql.toString());
            for (int i = 0; i < args.size(); i++) {
                if (args.get(i) instanceof String[] arr) {
                    q.bindArray(i, String.class, (Object[]) arr);
                } else {
                    q.bind(i, args.get(i));
                }
            }
            return q.map((rs, ctx) -> read(rs)).list();
        });
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
                rs.getString("subject_id"), rs.getString("project"), rs.getString("actor_type"),
                rs.getString("actor_id"), rs.getString("actor_name"), rs.getString("payload"));
    }
}
