package storyboard.budgets;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import storyboard.kernel.Actor;
import storyboard.kernel.Change;
import storyboard.kernel.Changes;
import storyboard.kernel.SpendListener;

/**
 * Monthly spending, kept up to date by whoever adds or removes prompt logs, in their own transaction (prompt history
 * tells it as a {@link SpendListener}); and the budget thresholds (80 % and 100 %) that a change makes the current
 * month cross, each reported once per budget and month as a {@code budget.threshold_reached} event. Spending is
 * never a reason to refuse a log.
 */
final class Spending implements SpendListener {
    static final int[] THRESHOLDS = {80, 100};

    /** Who reports a threshold reached. */
    private static final Actor BUDGETS = new Actor("server", null, "budgets", null, null);

    private record Key(String project, LocalDate month) implements Comparable<Key> {
        @Override
        public int compareTo(Key o) {
            int c = project.compareTo(o.project);
            return c != 0 ? c : month.compareTo(o.month);
        }
    }

    /** A threshold a budget's spending has reached (reported unless it already was this month). */
    private record Reached(UUID budget, String project, int threshold, BigDecimal spent, BigDecimal monthlyLimit,
                           String currency) {}

    static LocalDate monthOf(Instant t) {
        return t.atZone(ZoneOffset.UTC).toLocalDate().withDayOfMonth(1);
    }

    /** A month as the API names it: 2026-11. */
    static String period(LocalDate month) {
        return YearMonth.from(month).toString();
    }

    /**
     * Adds the spends (in the connection's open transaction) to the writer's shard of the spending rows (each
     * concurrent writer its own; see the migration) and returns the threshold events they cause, to be appended to
     * the event log by the caller in the same transaction.
     */
    @Override
    public List<Changes.Made> spent(Connection c, List<Spend> spends, int writer) throws SQLException {
        if (spends.isEmpty()) return List.of();
        // Sorted keys: concurrent writers lock the rows in the same order and cannot deadlock.
        Map<Key, BigDecimal> cost = new TreeMap<>();
        Map<Key, Long> logs = new TreeMap<>();
        for (Spend d : spends) {
            Key k = new Key(d.project() == null ? "" : d.project(), monthOf(d.occurredAt()));
            cost.merge(k, d.cost() == null ? BigDecimal.ZERO : d.cost(), BigDecimal::add);
            logs.merge(k, d.logs(), Long::sum);
        }
        String sql = "insert into prompt_spend (project, month, shard, cost, logs) values "
                + String.join(", ", Collections.nCopies(cost.size(), "(?, ?, ?, ?, ?)"))
                + " on conflict (project, month, shard) do update set cost = prompt_spend.cost + excluded.cost,"
                + " logs = prompt_spend.logs + excluded.logs";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            int p = 1;
            for (Map.Entry<Key, BigDecimal> e : cost.entrySet()) {
                ps.setString(p++, e.getKey().project());
                ps.setDate(p++, Date.valueOf(e.getKey().month()));
                ps.setShort(p++, (short) writer);
                ps.setBigDecimal(p++, e.getValue());
                ps.setLong(p++, logs.get(e.getKey()));
            }
            ps.executeUpdate();
        }
        LocalDate current = monthOf(Instant.now());
        List<String> projects = cost.keySet().stream().filter(k -> k.month().equals(current) && !k.project().isEmpty())
                .map(Key::project).toList();
        boolean currentTouched = cost.keySet().stream().anyMatch(k -> k.month().equals(current));
        if (!currentTouched || cost.values().stream().allMatch(v -> v.signum() <= 0)) return List.of();
        return crossings(c, projects, current);
    }

    /**
     * The thresholds newly reached this month by the studio budget and these projects' budgets. It first takes
     * the event log's append lock, so that the spending it sums includes every transaction that checked before
     * it (spending is sharded, so without it two concurrent last increments could each miss the other's).
     */
    static List<Changes.Made> crossings(Connection c, List<String> projects, LocalDate month) throws SQLException {
        Changes.lockForAppend(c);
        List<Changes.Made> events = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("""
                select b.id, b.project, b.monthly_limit, b.currency,
                       case when b.project is null
                            then (select coalesce(sum(cost), 0) from prompt_spend s where s.month = ?)
                            else (select coalesce(sum(cost), 0) from prompt_spend s where s.month = ? and s.project = b.project)
                       end as spent
                  from budget b
                 where b.project is null or b.project = any(?)""")) {
            ps.setDate(1, Date.valueOf(month));
            ps.setDate(2, Date.valueOf(month));
            ps.setArray(3, c.createArrayOf("text", projects.toArray()));
            List<Reached> reached = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    BigDecimal limit = rs.getBigDecimal("monthly_limit");
                    BigDecimal spent = rs.getBigDecimal("spent");
                    for (int t : THRESHOLDS) {
                        if (spent.multiply(BigDecimal.valueOf(100)).compareTo(limit.multiply(BigDecimal.valueOf(t))) >= 0) {
                            reached.add(new Reached(rs.getObject("id", UUID.class), rs.getString("project"), t, spent,
                                    limit, rs.getString("currency")));
                        }
                    }
                }
            }
            for (Reached r : reached) {
                try (PreparedStatement ins = c.prepareStatement("""
                        insert into budget_alert (budget_id, period, threshold, spent, monthly_limit)
                        values (?, ?, ?, ?, ?) on conflict do nothing""")) {
                    ins.setObject(1, r.budget());
                    ins.setDate(2, Date.valueOf(month));
                    ins.setInt(3, r.threshold());
                    ins.setBigDecimal(4, r.spent());
                    ins.setBigDecimal(5, r.monthlyLimit());
                    if (ins.executeUpdate() == 0) continue;
                }
                Map<String, Object> payload = new LinkedHashMap<>();
                payload.put("budget_id", r.budget());
                payload.put("period", period(month));
                payload.put("threshold", r.threshold());
                payload.put("spent", r.spent());
                payload.put("monthly_limit", r.monthlyLimit());
                payload.put("currency", r.currency());
                payload.put("studio_wide", r.project() == null);
                events.add(Change.of("budget.threshold_reached", "budget", r.budget().toString(), r.project(), payload)
                        .by(BUDGETS));
            }
        }
        return events;
    }
}
