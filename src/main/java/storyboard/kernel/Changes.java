package storyboard.kernel;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * The one way a capability records what it changed, in the caller's own transaction, so a change and its record
 * are committed together or not at all:
 * <ul>
 * <li>{@link #record}: an audit row and an event, under the change's one name (most changes);</li>
 * <li>{@link #publish}: an event only, for data changes too frequent for the audit trail (logs ingested, assets
 *     and blobs added);</li>
 * <li>{@link #audit}: an audit row only, for what is not news to subscribers (sign-ins and sign-outs).</li>
 * </ul>
 * Appending events takes a transaction-scoped advisory lock held until the transaction ends, so events are numbered
 * in commit order: append last, just before the commit. The same transaction sends a NOTIFY on {@link #CHANNEL},
 * delivered at commit to every server process listening on the database.
 */
public final class Changes {
    public static final String CHANNEL = "storyboard_events";
    /** The advisory lock key that orders appends ("sb-event" in ASCII). */
    static final long APPEND_LOCK = 0x73622d6576656e74L;

    private Changes() {}

    /** A change and who made it. */
    public record Made(Actor actor, Change change) {}

    /** Audit rows and events for {@code changes}, in the caller's transaction. */
    public static void record(Handle h, Actor actor, Change... changes) {
        for (Change c : changes) audit(h, actor, c);
        publish(h, actor, changes);
    }

    /** Events only, in the caller's transaction. */
    public static void publish(Handle h, Actor actor, Change... changes) {
        try {
            publish(h.getConnection(), Arrays.stream(changes).map(c -> c.by(actor)).toList());
        } catch (SQLException e) {
            throw new IllegalStateException("could not append to the event log: " + e.getMessage(), e);
        }
    }

    /** An audit row only, in the caller's transaction. */
    public static void audit(Handle h, Actor actor, Change c) {
        Actor a = actor;
        h.createUpdate("""
                        insert into audit_event (actor_type, actor_id, actor_name, action, target_type, target_id,
                                                 details, address, request_id)
                        values (:actorType, :actorId, :actorName, :action, :targetType, :targetId,
                                cast(:details as jsonb), :address, :requestId)""")
                .bind("actorType", a.type())
                .bind("actorId", a.id())
                .bind("actorName", a.name())
                .bind("action", c.name())
                .bind("targetType", c.subjectType())
                .bind("targetId", c.subjectId())
                .bind("details", json(c.details()))
                .bind("address", a.address())
                .bind("requestId", a.requestId())
                .execute();
    }

    /** An audit row only, in a transaction of its own (for what changes nothing else, e.g. a failed sign-in). */
    public static void audit(Jdbi jdbi, Actor actor, Change c) {
        jdbi.useTransaction(h -> audit(h, actor, c));
    }

    /**
     * Takes the append lock now (it is held until the transaction ends): from here on, this transaction sees
     * every transaction that appended before it as committed. Appending takes it anyway.
     */
    public static void lockForAppend(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("select pg_advisory_xact_lock(" + APPEND_LOCK + ")");
        }
    }

    /**
     * The sequence number of the last event committed: a page that draws the current state and then listens for
     * what changes asks the stream for the events after it, so that nothing committed in between is missed.
     */
    public static long head(Handle h) {
        return h.createQuery("select coalesce(max(seq), 0) from event").mapTo(Long.class).one();
    }

    /** Events only, in the connection's open transaction (auto-commit must be off); for writers on plain JDBC. */
    public static void publish(Connection c, List<Made> made) throws SQLException {
        if (made.isEmpty()) return;
        // The lock and the NOTIFY (sent only at commit, and not at all on rollback) in one round trip.
        try (Statement s = c.createStatement()) {
            s.execute("select pg_advisory_xact_lock(" + APPEND_LOCK + "); notify " + CHANNEL);
        }
        String sql = "insert into event (type, subject_id, project, actor_type, actor_id, actor_name, payload) values "
                + String.join(", ", Collections.nCopies(made.size(), "(?, ?, ?, ?, ?, ?, ?::jsonb)"));
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            int p = 1;
            for (Made m : made) {
                ps.setString(p++, m.change().name());
                ps.setString(p++, m.change().subjectId());
                ps.setString(p++, m.change().project());
                ps.setString(p++, m.actor().type());
                ps.setString(p++, m.actor().id());
                ps.setString(p++, m.actor().name());
                ps.setString(p++, json(m.change().details()));
            }
            ps.executeUpdate();
        }
    }

    private static String json(Map<String, ?> details) {
        if (details == null || details.isEmpty()) return null;
        try {
            return Json.MAPPER.writeValueAsString(details);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("change details are not JSON: " + e.getMessage(), e);
        }
    }
}
