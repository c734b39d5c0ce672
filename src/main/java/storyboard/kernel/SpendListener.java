package storyboard.kernel;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;

/**
 * What prompt history tells budgets, in the very transaction that adds or removes logs: the cost they add to (or
 * take from) a project at a time. Budgets keep their own tables with it; prompt history knows nothing of them.
 */
@FunctionalInterface
public interface SpendListener {
    /** Cost (may be null) and number of logs added (negative: removed) to a project (null: none) at a time. */
    record Spend(String project, Instant occurredAt, BigDecimal cost, long logs) {}

    /** The writer of changes made outside the concurrent ingest writers (deletes). */
    int OTHER_WRITER = 0;

    /**
     * Takes the spends into account in the connection's open transaction and returns the changes they cause (such
     * as a threshold reached), for the caller to publish in the same transaction. {@code writer} tells concurrent
     * writers apart (each its own, so they never wait on each other's rows).
     */
    List<Changes.Made> spent(Connection c, List<Spend> spends, int writer) throws SQLException;

    /** Nobody listens. */
    SpendListener NONE = (c, spends, writer) -> List.of();
}
