package storyboard.promptlog;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.math.BigDecimal;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;
import storyboard.kernel.Actor;
import storyboard.kernel.Change;
import storyboard.kernel.Changes;
import storyboard.kernel.Cursor;
import storyboard.kernel.DomainException;
import storyboard.kernel.Page;
import storyboard.kernel.SpendListener;
import storyboard.kernel.Visibility;

/** The SQL that reads and deletes prompt logs. */
final class PromptLogStore {
    /** The listing its cursors belong to. */
    static final String LISTING = "prompt-history";

    private final Jdbi jdbi;
    private final SpendListener spending;

    PromptLogStore(Jdbi jdbi, SpendListener spending) {
        this.jdbi = jdbi;
        this.spending = spending;
    }

    /** A stored log (as some reader reads it), and its position for keyset pagination. */
    private record Row<T>(T log, Instant occurredAt, long seq) {
        Cursor cursor() {
            return Cursor.of(LISTING, occurredAt, seq);
        }
    }

    /** What a delete took away, for the audit trail, the spending and the rollups. */
    private record Deleted(String type, String project, String bodySha256, Instant occurredAt, BigDecimal cost,
                           String llm, String user, Long tokens) {
        Map<String, Object> details() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("type", type);
            m.put("project", project);
            m.put("body_sha256", bodySha256);
            return m;
        }
    }

    /** The log, if it exists and is visible; else not found. */
    PromptLog get(UUID id, Visibility visibility) {
        return jdbi.withHandle(h -> visibility.bind(h.createQuery("select * from prompt_log where id = :id and "
                        + visibility.sql("project")))
                .bind("id", id).map((rs, ctx) -> PromptLog.of(rs)).findOne()
                .orElseThrow(() -> notFound(id)));
    }

    /**
     * Deletes the log (if visible, as for {@link #get}), takes its cost off the spending and its figures off the
     * overview's rollups, and records the deletion, in one transaction.
     */
    void delete(Actor actor, UUID id, Visibility visibility) throws SQLException {
        jdbi.useTransaction(h -> {
            Deleted gone = visibility.bind(h.createQuery("delete from prompt_log where id = :id and "
                            + visibility.sql("project") + " returning type, project, body_sha256, occurred_at, cost, llm, user_name, tokens"))
                    .bind("id", id)
                    .map((rs, ctx) -> new Deleted(rs.getString("type"), rs.getString("project"),
                            rs.getString("body_sha256"), rs.getObject("occurred_at", OffsetDateTime.class).toInstant(),
                            rs.getBigDecimal("cost"), rs.getString("llm"), rs.getString("user_name"),
                            rs.getObject("tokens", Long.class)))
                    .findOne().orElseThrow(() -> notFound(id));
            PromptLogRollup.removed(h.getConnection(), List.of(new PromptLogRollup.Counted(gone.occurredAt(),
                    gone.project(), gone.type(), gone.llm(), gone.user(), gone.tokens(), gone.cost())),
                    SpendListener.OTHER_WRITER);
            BigDecimal cost = gone.cost() == null ? null : gone.cost().negate();
            List<Changes.Made> caused = spending.spent(h.getConnection(),
                    List.of(new SpendListener.Spend(gone.project(), gone.occurredAt(), cost, -1)),
                    SpendListener.OTHER_WRITER);
            Changes.record(h, actor, Change.of("prompt_log.deleted", "prompt_log", id.toString(), gone.project(),
                    gone.details()));
            Changes.publish(h.getConnection(), caused);
        });
    }

    private static DomainException notFound(UUID id) {
        return DomainException.notFound("prompt log " + id);
    }

    /** Longest list of vocabulary words one partial word may stand for. */
    static final int MAX_WORDS_PER_TERM = 200;

    /**
     * q as a tsquery: every term required; a term matches a word beginning with it or, from three characters,
     * any word containing it (found in the trigram-indexed vocabulary). Null when q has no word at all.
     */
    String searchQuery(String q) {
        List<String> terms = PromptLogFilter.terms(q);
        if (terms.isEmpty()) return null;
        List<String> clauses = new ArrayList<>();
        for (String term : terms) {
            List<String> alternatives = new ArrayList<>();
            alternatives.add(PromptLogFilter.quote(term) + ":*");
            if (term.length() >= 3) {
                String like = "%" + term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
                jdbi.useHandle(h -> h.createQuery("select word from search_word where word like :like and word not like :prefix limit :n")
                        .bind("like", like).bind("prefix", like.substring(1)).bind("n", MAX_WORDS_PER_TERM)
                        .mapTo(String.class).forEach(w -> alternatives.add(PromptLogFilter.quote(w))));
            }
            clauses.add("(" + String.join(" | ", alternatives) + ")");
        }
        return String.join(" & ", clauses);
    }

    PromptLogFilter.Where where(PromptLogFilter filter) {
        return filter.where(this::searchQuery);
    }

    /**
     * A search matching at least this many logs is served by walking the time index newest-first (a page
     * fills quickly); a rarer one by a bitmap of the full-text index, then a sort. PostgreSQL cannot choose
     * between the two by itself: it has no estimate for a prefix, and would walk the whole table for a rare one.
     */
    static final double COMMON_SEARCH_ROWS = 2000;

    /** A page of the matching logs, newest first, after {@code cursor} (a {@code next_cursor} given before). */
    Page<PromptLog> list(PromptLogFilter filter, int limit, Optional<String> cursor) {
        return list(filter, limit, cursor, (rs, ctx) -> PromptLog.of(rs));
    }

    /** The same page, each row (a {@code select *} of prompt_log) read by {@code reader}: the pages' view of a log. */
    <T> Page<T> list(PromptLogFilter filter, int limit, Optional<String> cursor, RowMapper<T> reader) {
        PromptLogFilter.Where where = where(filter);
        Optional<Cursor> after = Cursor.decode(cursor, LISTING, 2);
        String sql = "select * from prompt_log where " + where.sql()
                + (after.isPresent() ? " and (occurred_at, seq) < (:cursor_at, :cursor_seq)" : "")
                + " order by occurred_at desc, seq desc limit :limit";
        List<Row<T>> rows = jdbi.withHandle(h -> {
            if (!where.searches() || estimatedMatches(h, filter.q().orElseThrow()) >= COMMON_SEARCH_ROWS) {
                return pageQuery(h, sql, where, after, limit, reader);
            }
            return h.inTransaction(tx -> {
                tx.execute("set local enable_seqscan = off");
                tx.execute("set local enable_indexscan = off");
                return pageQuery(tx, sql, where, after, limit, reader);
            });
        });
        return Page.of(rows, limit, Row::cursor).map(Row::log);
    }

    private static <T> List<Row<T>> pageQuery(Handle h, String sql, PromptLogFilter.Where where,
                                              Optional<Cursor> after, int limit, RowMapper<T> reader) {
        var query = where.bind(h.createQuery(sql)).bind("limit", limit + 1);
        after.ifPresent(c -> query.bind("cursor_at", OffsetDateTime.ofInstant(c.instant(0), ZoneOffset.UTC))
                .bind("cursor_seq", c.number(1)));
        return query.map((rs, ctx) -> new Row<>(reader.map(rs, ctx),
                rs.getObject("occurred_at", OffsetDateTime.class).toInstant(), rs.getLong("seq"))).list();
    }

    /**
     * Where the event log (which {@code Changes} appends to, in commit order, for every capability) ends now. A page
     * that reads this before its rows and then streams the events after it misses no log: one committed after the
     * rows were read has a later event.
     */
    long eventHead() {
        return jdbi.withHandle(storyboard.kernel.Changes::head);
    }

    /**
     * Those of the logs {@code ids} that match the filter (and are visible), newest first, each read by
     * {@code reader}: the rows a page adds when it hears they were just stored.
     */
    <T> List<T> among(PromptLogFilter filter, java.util.Collection<UUID> ids, RowMapper<T> reader) {
        if (ids.isEmpty()) return List.of();
        PromptLogFilter.Where where = where(filter);
        return jdbi.withHandle(h -> where.bind(h.createQuery("select * from prompt_log where id = any(:ids) and "
                        + where.sql() + " order by occurred_at desc, seq desc"))
                .bindArray("ids", UUID.class, List.copyOf(ids)).map(reader).list());
    }

    /**
     * The log, if it exists and is visible, read by {@code reader} from its {@code select *} row plus the registry
     * prompt it names ({@code prompt_name}, {@code prompt_version}: the columns usage counts by).
     */
    <T> T get(UUID id, Visibility visibility, RowMapper<T> reader) {
        return jdbi.withHandle(h -> visibility.bind(h.createQuery("select *, " + PromptUsage.NAME + " as prompt_name, "
                        + PromptUsage.VERSION + " as prompt_version from prompt_log where id = :id and "
                        + visibility.sql("project")))
                .bind("id", id).map(reader).findOne()
                .orElseThrow(() -> notFound(id)));
    }

    /**
     * How many logs the search's most selective word matches, from PostgreSQL's own statistics of the full-text
     * column (its most common lexemes and their frequencies, kept by ANALYZE). A word absent from them is rare.
     */
    private static double estimatedMatches(Handle h, String q) {
        List<String> terms = PromptLogFilter.terms(q);
        if (terms.isEmpty()) return 0;
        return h.createQuery("""
                        select coalesce(min(freq), 0) * greatest((select reltuples from pg_class where oid = 'prompt_log'::regclass), 0)
                          from (select t.term, coalesce(sum(m.f), 0) as freq
                                  from unnest(cast(:terms as text[])) as t(term)
                                  left join (select e, f
                                               from pg_stats s,
                                                    unnest(s.most_common_elems::text::text[], s.most_common_elem_freqs) as m(e, f)
                                              where s.schemaname = current_schema() and s.tablename = 'prompt_log'
                                                and s.attname = 'search') m
                                    on m.e like t.term || '%'
                                 group by t.term) per_term""")
                .bindArray("terms", String.class, terms).mapTo(Double.class).one();
    }

    /** Group keys of the stats endpoint and their SQL expressions. */
    static final Map<String, String> GROUPS = Map.of(
            "type", "type",
            "category", "category",
            "llm", "llm",
            "user", "user_name",
            "project", "project",
            "scene", "coalesce(scene_name, scene_id)",
            "day", "date_trunc('day', occurred_at at time zone 'UTC')",
            "hour", "date_trunc('hour', occurred_at at time zone 'UTC')");

    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy-MM-dd");
    private static final DateTimeFormatter HOUR = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:00:00'Z'");

    /** Count, tokens, cost and average processing time of some logs, as the stats answer shows them. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record Figures(long count, long tokens, BigDecimal cost, Double avgProcessingTime) {}

    /** One group of the stats: its key (null for the logs without one) and its figures. */
    record Group(String key, @JsonUnwrapped Figures figures) {}

    /** The stats answer: the groups, largest or earliest first, and the totals over all of them. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record Stats(String groupBy, List<Group> groups, Figures totals) {}

    /** Sums of some logs; the average is kept as sum and count so that groups add up to the totals exactly. */
    private record Sums(long count, long tokens, BigDecimal cost, double processingSum, long processingCount) {
        static final Sums NONE = new Sums(0, 0, BigDecimal.ZERO, 0, 0);

        Sums plus(Sums o) {
            return new Sums(count + o.count, tokens + o.tokens, cost.add(o.cost), processingSum + o.processingSum,
                    processingCount + o.processingCount);
        }

        Figures figures() {
            return new Figures(count, tokens, cost, processingCount == 0 ? null : processingSum / processingCount);
        }
    }

    private record KeyedSums(String key, Sums sums) {}

    /**
     * Stats by one key. A plain GROUP BY (no grouping sets) so PostgreSQL can aggregate in parallel workers;
     * the totals are the sum of the groups.
     */
    Stats stats(PromptLogFilter filter, String groupBy) {
        PromptLogFilter.Where where = where(filter);
        String key = GROUPS.get(groupBy);
        boolean time = groupBy.equals("day") || groupBy.equals("hour");
        String sql = "select " + key + " as key, count(*) as count, coalesce(sum(tokens), 0) as tokens,"
                + " coalesce(sum(cost), 0) as cost, coalesce(sum(processing_ms), 0) as processing_sum,"
                + " count(processing_ms) as processing_count"
                + " from prompt_log where " + where.sql() + " group by 1";
        List<KeyedSums> groups = jdbi.withHandle(h -> where.bind(h.createQuery(sql)).map((rs, ctx) -> {
            String k;
            if (time) {
                LocalDateTime t = rs.getObject("key", LocalDateTime.class);
                k = t == null ? null : (groupBy.equals("day") ? DAY : HOUR).format(t);
            } else {
                k = rs.getString("key");
            }
            return new KeyedSums(k, new Sums(rs.getLong("count"), rs.getLong("tokens"), rs.getBigDecimal("cost"),
                    rs.getDouble("processing_sum"), rs.getLong("processing_count")));
        }).list());
        Comparator<String> byKey = Comparator.nullsLast(Comparator.naturalOrder());
        Comparator<KeyedSums> order = time
                ? Comparator.comparing(KeyedSums::key, byKey)
                : Comparator.comparingLong((KeyedSums g) -> g.sums().count()).reversed()
                        .thenComparing(KeyedSums::key, byKey);
        Sums total = groups.stream().map(KeyedSums::sums).reduce(Sums.NONE, Sums::plus);
        return new Stats(groupBy, groups.stream().sorted(order).map(g -> new Group(g.key(), g.sums().figures())).toList(),
                total.figures());
    }

    /**
     * The overview's figures at {@code now}, as {@code visibility} allows, read from the rollups in one snapshot
     * (a repeatable-read transaction, so today's figures never exceed the month's).
     */
    PromptLogOverview overview(Visibility visibility, Instant now) {
        return jdbi.inTransaction(org.jdbi.v3.core.transaction.TransactionIsolationLevel.REPEATABLE_READ,
                h -> PromptLogOverview.read(h, visibility, now));
    }

    /** The overview's today, this month and last hours (one snapshot), for its figures and chart. */
    PromptLogOverview.Recent overviewRecent(Visibility visibility, Instant now) {
        return jdbi.inTransaction(org.jdbi.v3.core.transaction.TransactionIsolationLevel.REPEATABLE_READ,
                h -> PromptLogOverview.recent(h, visibility, now));
    }

    /** The overview's top types, models, users and projects of this month. */
    PromptLogOverview.Tops overviewTops(Visibility visibility, Instant now) {
        return jdbi.withHandle(h -> PromptLogOverview.tops(h, visibility, now));
    }

    /** Streams every matching log, newest first, without holding them in memory (a server-side cursor). */
    void export(PromptLogFilter filter, Consumer<PromptLog> sink) {
        PromptLogFilter.Where where = where(filter);
        jdbi.useTransaction(h -> {
            try (Stream<PromptLog> rows = where.bind(h.createQuery("select * from prompt_log where " + where.sql()
                            + " order by occurred_at desc, seq desc"))
                    .setFetchSize(500).map((rs, ctx) -> PromptLog.of(rs)).stream()) {
                rows.forEach(sink);
            }
        });
    }
}
