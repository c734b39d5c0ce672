package storyboard.promptlog;

import storyboard.kernel.Changes;
import storyboard.kernel.Change;
import com.fasterxml.jackson.databind.util.RawValue;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.LinkedHashMap;
import storyboard.kernel.Actor;
import storyboard.auth.AuditLog;
import storyboard.budgets.Spending;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.jdbi.v3.core.Jdbi;
import storyboard.api.ApiException;
import storyboard.kernel.Json;

/** The SQL that reads and deletes prompt logs. */
final class PromptLogStore {
    private final Jdbi jdbi;

    PromptLogStore(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** One page of a newest-first walk, and the cursor of the next page (null at the end). */
    record Page(List<Map<String, Object>> items, String nextCursor) {}

    /** A stored row: its record as shown to clients, and its position for keyset pagination. */
    private record Row(Map<String, Object> record, Instant occurredAt, long seq) {}

    /** The log, if it exists and is in one of {@code visibleProjects} (empty: any project). */
    Optional<Map<String, Object>> get(UUID id, Set<String> visibleProjects) {
        Map<String, Object> visible = new LinkedHashMap<>();
        String condition = PromptLogFilter.projectCondition(visibleProjects, visible);
        return jdbi.withHandle(h -> h.createQuery("select * from prompt_log where id = :id and " + condition)
                .bind("id", id).bindMap(visible).map((rs, ctx) -> toRecord(rs)).findOne());
    }

    /** Deletes the log (if visible, as for {@link #get}) and records it in the audit trail, in one transaction. */
    boolean delete(Actor actor, UUID id, Set<String> visibleProjects) {
        Map<String, Object> visible = new LinkedHashMap<>();
        String condition = PromptLogFilter.projectCondition(visibleProjects, visible);
        return jdbi.inTransaction(h -> {
            Optional<Map<String, Object>> gone = h.createQuery("delete from prompt_log where id = :id and " + condition
                            + " returning type, project, body_sha256, occurred_at, cost")
                    .bind("id", id).bindMap(visible).mapToMap().findOne();
            gone.ifPresent(row -> {
                java.time.Instant at = ((java.sql.Timestamp) row.remove("occurred_at")).toInstant();
                java.math.BigDecimal cost = (java.math.BigDecimal) row.remove("cost");
                try {
                    Spending.record(h.getConnection(), List.of(new Spending.Delta((String) row.get("project"), at,
                            cost == null ? null : cost.negate(), -1)), Spending.OTHER_SHARD);
                } catch (java.sql.SQLException e) {
                    throw new IllegalStateException(e);
                }
                Changes.record(h, actor, Change.of("prompt_log.deleted", "prompt_log", id.toString(), (String) row.get("project"), row));
            });
            return gone.isPresent();
        });
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

    Page list(PromptLogFilter filter, int limit, Optional<String> cursor) {
        PromptLogFilter.Where where = where(filter);
        Optional<Cursor> after = cursor.map(Cursor::decode);
        String sql = "select * from prompt_log where " + where.sql()
                + (after.isPresent() ? " and (occurred_at, seq) < (:cursor_at, :cursor_seq)" : "")
                + " order by occurred_at desc, seq desc limit :limit";
        List<Row> rows = jdbi.withHandle(h -> {
            if (!where.searches() || estimatedMatches(h, filter.q().orElseThrow()) >= COMMON_SEARCH_ROWS) {
                return pageQuery(h, sql, where, after, limit);
            }
            return h.inTransaction(tx -> {
                tx.execute("set local enable_seqscan = off");
                tx.execute("set local enable_indexscan = off");
                return pageQuery(tx, sql, where, after, limit);
            });
        });
        String next = null;
        if (rows.size() > limit) {
            Row last = rows.get(limit - 1);
            next = new Cursor(last.occurredAt(), last.seq()).encode();
            rows = rows.subList(0, limit);
        }
        return new Page(rows.stream().map(Row::record).toList(), next);
    }

    private static List<Row> pageQuery(org.jdbi.v3.core.Handle h, String sql, PromptLogFilter.Where where,
                                       Optional<Cursor> after, int limit) {
        return h.createQuery(sql).bindMap(where.bindings()).bindMap(cursorBindings(after)).bind("limit", limit + 1)
                .map((rs, ctx) -> new Row(toRecord(rs),
                        rs.getObject("occurred_at", OffsetDateTime.class).toInstant(), rs.getLong("seq"))).list();
    }

    /**
     * How many logs the search's most selective word matches, from PostgreSQL's own statistics of the full-text
     * column (its most common lexemes and their frequencies, kept by ANALYZE). A word absent from them is rare.
     */
    private static double estimatedMatches(org.jdbi.v3.core.Handle h, String q) {
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

    private static Map<String, Object> cursorBindings(Optional<Cursor> after) {
        return after.<Map<String, Object>>map(c -> Map.of("cursor_at", OffsetDateTime.ofInstant(c.occurredAt(), ZoneOffset.UTC),
                "cursor_seq", c.seq())).orElse(Map.of());
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

    /** One group's sums; the average is kept as sum and count so that groups add up to the totals exactly. */
    private record Sums(String key, long count, long tokens, BigDecimal cost, double processingSum, long processingCount) {
        Map<String, Object> toMap(boolean withKey) {
            Map<String, Object> m = new LinkedHashMap<>();
            if (withKey) m.put("key", key);
            m.put("count", count);
            m.put("tokens", tokens);
            m.put("cost", cost);
            m.put("avg_processing_time", processingCount == 0 ? null : processingSum / processingCount);
            return m;
        }
    }

    /**
     * Stats by one key. A plain GROUP BY (no grouping sets) so PostgreSQL can aggregate in parallel workers;
     * the totals are the sum of the groups.
     */
    Map<String, Object> stats(PromptLogFilter filter, String groupBy) {
        PromptLogFilter.Where where = where(filter);
        String key = GROUPS.get(groupBy);
        boolean time = groupBy.equals("day") || groupBy.equals("hour");
        String sql = "select " + key + " as key, count(*) as count, coalesce(sum(tokens), 0) as tokens,"
                + " coalesce(sum(cost), 0) as cost, coalesce(sum(processing_ms), 0) as processing_sum,"
                + " count(processing_ms) as processing_count"
                + " from prompt_log where " + where.sql() + " group by 1";
        List<Sums> groups = jdbi.withHandle(h -> h.createQuery(sql).bindMap(where.bindings()).map((rs, ctx) -> {
            String k;
            if (time) {
                java.time.LocalDateTime t = rs.getObject("key", java.time.LocalDateTime.class);
                k = t == null ? null : (groupBy.equals("day") ? DAY : HOUR).format(t);
            } else {
                k = rs.getString("key");
            }
            return new Sums(k, rs.getLong("count"), rs.getLong("tokens"), rs.getBigDecimal("cost"),
                    rs.getDouble("processing_sum"), rs.getLong("processing_count"));
        }).list());
        java.util.Comparator<Sums> order = time
                ? java.util.Comparator.comparing(Sums::key, java.util.Comparator.nullsLast(java.util.Comparator.naturalOrder()))
                : java.util.Comparator.comparingLong(Sums::count).reversed()
                        .thenComparing(Sums::key, java.util.Comparator.nullsLast(java.util.Comparator.naturalOrder()));
        Sums total = new Sums(null, 0, 0, BigDecimal.ZERO, 0, 0);
        for (Sums g : groups) {
            total = new Sums(null, total.count() + g.count(), total.tokens() + g.tokens(), total.cost().add(g.cost()),
                    total.processingSum() + g.processingSum(), total.processingCount() + g.processingCount());
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("group_by", groupBy);
        out.put("groups", groups.stream().sorted(order).map(g -> g.toMap(true)).toList());
        out.put("totals", total.toMap(false));
        return out;
    }

    /** Streams every matching record, newest first, without holding them in memory (a server-side cursor). */
    void export(PromptLogFilter filter, Consumer<Map<String, Object>> sink) {
        PromptLogFilter.Where where = where(filter);
        jdbi.useTransaction(h -> {
            try (Stream<Map<String, Object>> rows = h.createQuery("select * from prompt_log where " + where.sql()
                            + " order by occurred_at desc, seq desc")
                    .bindMap(where.bindings()).setFetchSize(500).map((rs, ctx) -> toRecord(rs)).stream()) {
                rows.forEach(sink);
            }
        });
    }

    /** A row as clients see it: server facts, then the client's fields under their own names, then extra. */
    static Map<String, Object> toRecord(ResultSet rs) throws SQLException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", rs.getObject("id", UUID.class));
        m.put("received_at", rs.getObject("received_at", OffsetDateTime.class).toInstant().truncatedTo(ChronoUnit.MICROS));
        put(m, "category", rs.getString("category"));
        put(m, "type", rs.getString("type"));
        put(m, "timestamp", rs.getString("client_timestamp"));
        put(m, "user", rs.getString("user_name"));
        put(m, "version", rs.getString("version"));
        put(m, "llm", rs.getString("llm"));
        put(m, "prompt", rs.getString("prompt"));
        put(m, "response", rs.getString("response"));
        put(m, "tokens", (Long) rs.getObject("tokens"));
        put(m, "cost", rs.getBigDecimal("cost"));
        put(m, "context", json(rs.getString("context")));
        put(m, "userId", rs.getString("user_id"));
        put(m, "projectId", rs.getString("project_id"));
        put(m, "sessionId", rs.getString("session_id"));
        put(m, "correlationId", rs.getString("correlation_id"));
        put(m, "environment", rs.getString("environment"));
        put(m, "errorDetails", json(rs.getString("error_details")));
        put(m, "inputSize", (Long) rs.getObject("input_size"));
        put(m, "outputSize", (Long) rs.getObject("output_size"));
        put(m, "latencyBreakdown", json(rs.getString("latency_breakdown")));
        put(m, "modelParams", json(rs.getString("model_params")));
        put(m, "extra", json(rs.getString("extra")));
        m.put("body_sha256", rs.getString("body_sha256"));
        return m;
    }

    private static void put(Map<String, Object> m, String key, Object value) {
        if (value != null) m.put(key, value);
    }

    /** jsonb as PostgreSQL prints it is valid JSON: passed through to the answer without parsing it again. */
    private static RawValue json(String text) {
        return text == null ? null : new RawValue(text);
    }

    /** Position after which the next page starts; opaque to clients. */
    record Cursor(Instant occurredAt, long seq) {
        String encode() {
            long micros = ChronoUnit.MICROS.between(Instant.EPOCH, occurredAt);
            return Base64.getUrlEncoder().withoutPadding()
                    .encodeToString(("v1:" + micros + ":" + seq).getBytes(StandardCharsets.US_ASCII));
        }

        static Cursor decode(String s) {
            try {
                String[] p = new String(Base64.getUrlDecoder().decode(s), StandardCharsets.US_ASCII).split(":");
                if (p.length != 3 || !p[0].equals("v1")) throw new IllegalArgumentException();
                return new Cursor(Instant.EPOCH.plus(Long.parseLong(p[1]), ChronoUnit.MICROS), Long.parseLong(p[2]));
            } catch (IllegalArgumentException e) {
                throw ApiException.badRequest("invalid_parameter", "'cursor' is not a cursor this server issued", "cursor");
            }
        }
    }
}
