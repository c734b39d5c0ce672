package storyboard.promptlog;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Handle;
import storyboard.kernel.Visibility;

/**
 * The prompt history at a glance, as the dashboard's overview shows it: count, tokens and cost today and this
 * month (UTC), logs per hour over the last {@link #HOURS} hours, and this month's top types, models, users and
 * projects. Read from the rollups (migration V21), never from prompt_log, so it costs the same at any size.
 *
 * @param asOf        the moment the figures are for
 * @param today       the logs of asOf's UTC day
 * @param month       the logs of asOf's UTC month
 * @param perHour     the last {@link #HOURS} UTC hours, oldest first, the last one asOf's; hours without logs are 0
 * @param topTypes    this month's most frequent types, at most {@link #TOP} (most logs first)
 * @param topModels   ... models (llm); logs naming none are not listed
 * @param topUsers    ... users; logs naming none are not listed
 * @param topProjects ... projects; logs of no project are not listed
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record PromptLogOverview(Instant asOf, Totals today, Totals month, List<Hour> perHour, List<Top> topTypes,
                                List<Top> topModels, List<Top> topUsers, List<Top> topProjects) {
    static final int HOURS = 48;
    static final int TOP = 5;

    /** Count, tokens and cost of some logs. */
    public record Totals(long count, long tokens, BigDecimal cost) {
        static final Totals NONE = new Totals(0, 0, BigDecimal.ZERO);

        Totals plus(Totals o) {
            return new Totals(count + o.count, tokens + o.tokens, cost.add(o.cost));
        }
    }

    /** The logs of one UTC hour, named by its start. */
    public record Hour(Instant hour, long count, long tokens, BigDecimal cost) {}

    /** One of the most frequent values of a field (a type, model, user or project) and its logs' figures. */
    public record Top(String key, long count, long tokens, BigDecimal cost) {}

    /** The overview's figures of time: today, this month, the last hours. */
    public record Recent(Instant asOf, Totals today, Totals month, List<Hour> perHour) {}

    /** This month's (the first day of it) most frequent types, models, users and projects. */
    public record Tops(LocalDate month, List<Top> types, List<Top> models, List<Top> users, List<Top> projects) {}

    /** The whole overview as {@code visibility} allows; in one snapshot, the parts agree with each other. */
    static PromptLogOverview read(Handle h, Visibility visibility, Instant now) {
        Recent recent = recent(h, visibility, now);
        Tops tops = tops(h, visibility, now);
        return new PromptLogOverview(now, recent.today(), recent.month(), recent.perHour(), tops.types(), tops.models(),
                tops.users(), tops.projects());
    }

    static LocalDate monthOf(Instant now) {
        return now.atZone(ZoneOffset.UTC).toLocalDate().withDayOfMonth(1);
    }

    /** Today, this month and the last {@link #HOURS} hours, as {@code visibility} allows. */
    static Recent recent(Handle h, Visibility visibility, Instant now) {
        Instant hourNow = now.truncatedTo(ChronoUnit.HOURS);
        Instant firstHour = hourNow.minus(Duration.ofHours(HOURS - 1));
        LocalDate day = now.atZone(ZoneOffset.UTC).toLocalDate();
        Instant dayStart = day.atStartOfDay(ZoneOffset.UTC).toInstant();
        Instant dayEnd = day.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();

        // Today's hours may run past the current one (logs the clients dated later today), not past the day.
        Instant from = firstHour.isBefore(dayStart) ? firstHour : dayStart;
        Map<Instant, Totals> byHour = new HashMap<>();
        visibility.bind(h.createQuery("select hour, sum(logs) as logs, sum(tokens) as tokens, sum(cost) as cost"
                        + " from prompt_log_hourly where hour >= :from and hour < :to and " + visibility.sql("project")
                        + " group by hour"))
                .bind("from", utc(from)).bind("to", utc(dayEnd))
                .map((rs, ctx) -> Map.entry(rs.getObject("hour", OffsetDateTime.class).toInstant(),
                        new Totals(rs.getLong("logs"), rs.getLong("tokens"), rs.getBigDecimal("cost"))))
                .forEach(e -> byHour.put(e.getKey(), e.getValue()));
        Totals today = byHour.entrySet().stream().filter(e -> !e.getKey().isBefore(dayStart))
                .map(Map.Entry::getValue).reduce(Totals.NONE, Totals::plus);
        List<Hour> perHour = new ArrayList<>(HOURS);
        for (Instant t = firstHour; !t.isAfter(hourNow); t = t.plus(Duration.ofHours(1))) {
            Totals s = byHour.getOrDefault(t, Totals.NONE);
            perHour.add(new Hour(t, s.count(), s.tokens(), s.cost()));
        }
        // Every log counts once in the type dimension: its sums are the month's.
        Totals month = visibility.bind(h.createQuery("select coalesce(sum(logs), 0) as logs,"
                        + " coalesce(sum(tokens), 0) as tokens, coalesce(sum(cost), 0) as cost from prompt_log_monthly"
                        + " where month = :month and dimension = 'type' and " + visibility.sql("project")))
                .bind("month", monthOf(now))
                .map((rs, ctx) -> new Totals(rs.getLong("logs"), rs.getLong("tokens"), rs.getBigDecimal("cost")))
                .one();
        return new Recent(now, today, month, List.copyOf(perHour));
    }

    /**
     * This month's top {@link #TOP} of each dimension, as {@code visibility} allows: most logs first (then by name);
     * a group whose logs name none is never listed, nor one whose logs were all deleted.
     */
    static Tops tops(Handle h, Visibility visibility, Instant now) {
        LocalDate month = monthOf(now);
        record Ranked(String dimension, Top top) {}
        List<Ranked> ranked = visibility.bind(h.createQuery("""
                        with m as (
                            select dimension, project, key, logs, tokens, cost from prompt_log_monthly
                             where month = :month and %s
                        ), g as (
                            select dimension, key, sum(logs) as logs, sum(tokens) as tokens, sum(cost) as cost
                              from m where key <> '' group by dimension, key having sum(logs) <> 0
                            union all
                            select 'project', project, sum(logs), sum(tokens), sum(cost)
                              from m where dimension = 'type' and project <> '' group by project having sum(logs) <> 0
                        ), r as (
                            select g.*, row_number() over (partition by dimension order by logs desc, key) as rank
                              from g
                        )
                        select dimension, key, logs, tokens, cost from r where rank <= :top order by dimension, rank
                        """.formatted(visibility.sql("project"))))
                .bind("month", month).bind("top", TOP)
                .map((rs, ctx) -> new Ranked(rs.getString("dimension"), new Top(rs.getString("key"),
                        rs.getLong("logs"), rs.getLong("tokens"), rs.getBigDecimal("cost"))))
                .list();
        Map<String, List<Top>> tops = new HashMap<>();
        for (Ranked r : ranked) tops.computeIfAbsent(r.dimension(), k -> new ArrayList<>()).add(r.top());
        return new Tops(month, List.copyOf(tops.getOrDefault(PromptLogRollup.TYPE, List.of())),
                List.copyOf(tops.getOrDefault(PromptLogRollup.LLM, List.of())),
                List.copyOf(tops.getOrDefault(PromptLogRollup.USER, List.of())),
                List.copyOf(tops.getOrDefault("project", List.of())));
    }

    private static OffsetDateTime utc(Instant t) {
        return OffsetDateTime.ofInstant(t, ZoneOffset.UTC);
    }
}
