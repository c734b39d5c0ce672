package storyboard.promptlog;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.Comparator;
import java.util.Map;
import java.util.TreeMap;

/**
 * Keeps the overview's rollups ({@code prompt_log_hourly}, {@code prompt_log_monthly}; see migration V21) exact:
 * whoever stores or deletes logs tells it what they were, in the same transaction. One upsert per table and call,
 * whatever the number of logs: they are summed here first, one row per key.
 */
final class PromptLogRollup {
    /** The figures of one stored log that the rollups count. */
    record Counted(Instant occurredAt, String project, String type, String llm, String user, Long tokens,
                   BigDecimal cost) {}

    /** The dimensions of the monthly rollup, as its {@code dimension} column names them. */
    static final String TYPE = "type";
    static final String LLM = "llm";
    static final String USER = "user";

    private record HourKey(Instant hour, String project) {}

    private record MonthKey(LocalDate month, String dimension, String project, String key) {}

    /** Count, tokens and cost, summed. */
    private record Sums(long logs, long tokens, BigDecimal cost) {
        Sums plus(Sums o) {
            return new Sums(logs + o.logs, tokens + o.tokens, cost.add(o.cost));
        }
    }

    // Keys in a fixed order: concurrent writers that share rows (deletes, several servers) lock them in the same
    // order and cannot deadlock. Strings compare as Java sorts them; any fixed order will do.
    private static final Comparator<HourKey> HOURS = Comparator.comparing(HourKey::hour)
            .thenComparing(HourKey::project);
    private static final Comparator<MonthKey> MONTHS = Comparator.comparing(MonthKey::month)
            .thenComparing(MonthKey::dimension).thenComparing(MonthKey::project).thenComparing(MonthKey::key);

    private static final String UPSERT_HOURLY = """
            insert into prompt_log_hourly (hour, project, shard, logs, tokens, cost)
            select u.hour::timestamptz, u.project, ?, u.logs, u.tokens, u.cost::numeric
              from unnest(?::text[], ?::text[], ?::int8[], ?::int8[], ?::text[]) as u(hour, project, logs, tokens, cost)
            on conflict (hour, project, shard) do update
               set logs = prompt_log_hourly.logs + excluded.logs, tokens = prompt_log_hourly.tokens + excluded.tokens,
                   cost = prompt_log_hourly.cost + excluded.cost""";

    private static final String UPSERT_MONTHLY = """
            insert into prompt_log_monthly (month, dimension, project, key, shard, logs, tokens, cost)
            select u.month::date, u.dimension, u.project, u.key, ?, u.logs, u.tokens, u.cost::numeric
              from unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::int8[], ?::int8[], ?::text[])
                as u(month, dimension, project, key, logs, tokens, cost)
            on conflict (month, dimension, project, key, shard) do update
               set logs = prompt_log_monthly.logs + excluded.logs, tokens = prompt_log_monthly.tokens + excluded.tokens,
                   cost = prompt_log_monthly.cost + excluded.cost""";

    private PromptLogRollup() {}

    /** Adds the logs just stored to the writer's shard, in the connection's open transaction. */
    static void added(Connection c, Collection<Counted> logs, int shard) throws SQLException {
        apply(c, logs, 1, shard);
    }

    /** Takes the logs just deleted off the shard, in the connection's open transaction. */
    static void removed(Connection c, Collection<Counted> logs, int shard) throws SQLException {
        apply(c, logs, -1, shard);
    }

    private static void apply(Connection c, Collection<Counted> logs, int sign, int shard) throws SQLException {
        if (logs.isEmpty()) return;
        Map<HourKey, Sums> hours = new TreeMap<>(HOURS);
        Map<MonthKey, Sums> months = new TreeMap<>(MONTHS);
        for (Counted l : logs) {
            Sums s = new Sums(sign, sign * (l.tokens() == null ? 0 : l.tokens()),
                    l.cost() == null ? BigDecimal.ZERO : sign < 0 ? l.cost().negate() : l.cost());
            String project = orEmpty(l.project());
            hours.merge(new HourKey(l.occurredAt().truncatedTo(ChronoUnit.HOURS), project), s, Sums::plus);
            LocalDate month = l.occurredAt().atZone(ZoneOffset.UTC).toLocalDate().withDayOfMonth(1);
            months.merge(new MonthKey(month, TYPE, project, l.type()), s, Sums::plus);
            months.merge(new MonthKey(month, LLM, project, orEmpty(l.llm())), s, Sums::plus);
            months.merge(new MonthKey(month, USER, project, orEmpty(l.user())), s, Sums::plus);
        }
        try (PreparedStatement ps = c.prepareStatement(UPSERT_HOURLY)) {
            int n = hours.size();
            String[] hour = new String[n];
            String[] project = new String[n];
            Long[] count = new Long[n];
            Long[] tokens = new Long[n];
            String[] cost = new String[n];
            int i = 0;
            for (Map.Entry<HourKey, Sums> e : hours.entrySet()) {
                hour[i] = e.getKey().hour().toString();
                project[i] = e.getKey().project();
                count[i] = e.getValue().logs();
                tokens[i] = e.getValue().tokens();
                cost[i] = e.getValue().cost().toPlainString();
                i++;
            }
            ps.setShort(1, (short) shard);
            ps.setObject(2, hour);
            ps.setObject(3, project);
            ps.setObject(4, count);
            ps.setObject(5, tokens);
            ps.setObject(6, cost);
            ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement(UPSERT_MONTHLY)) {
            int n = months.size();
            String[] month = new String[n];
            String[] dimension = new String[n];
            String[] project = new String[n];
            String[] key = new String[n];
            Long[] count = new Long[n];
            Long[] tokens = new Long[n];
            String[] cost = new String[n];
            int i = 0;
            for (Map.Entry<MonthKey, Sums> e : months.entrySet()) {
                month[i] = e.getKey().month().toString();
                dimension[i] = e.getKey().dimension();
                project[i] = e.getKey().project();
                key[i] = e.getKey().key();
                count[i] = e.getValue().logs();
                tokens[i] = e.getValue().tokens();
                cost[i] = e.getValue().cost().toPlainString();
                i++;
            }
            ps.setShort(1, (short) shard);
            ps.setObject(2, month);
            ps.setObject(3, dimension);
            ps.setObject(4, project);
            ps.setObject(5, key);
            ps.setObject(6, count);
            ps.setObject(7, tokens);
            ps.setObject(8, cost);
            ps.executeUpdate();
        }
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }
}
