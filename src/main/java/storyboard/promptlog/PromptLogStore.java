package storyboard.promptlog;

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
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.jdbi.v3.core.Jdbi;
import storyboard.api.ApiException;
import storyboard.api.Json;

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

    Optional<Map<String, Object>> get(UUID id) {
        return jdbi.withHandle(h -> h.createQuery("select * from prompt_log where id = :id")
                .bind("id", id).map((rs, ctx) -> toRecord(rs)).findOne());
    }

    boolean delete(UUID id) {
        return jdbi.withHandle(h -> h.createUpdate("delete from prompt_log where id = :id").bind("id", id).execute()) > 0;
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
     * A search page looks at a time window before the anchor (the cursor, else {@code to}, else now) and widens it
     * eightfold until it holds a page, then everything: a common word fills the page from the first day, a rare
     * one is found in a few cheap steps. Each step reads the full-text index as a bitmap (the planner is not
     * allowed to walk the time index instead: it cannot tell a rare prefix from a common one and would walk the
     * whole table for a rare one).
     */
    static final java.time.Duration FIRST_SEARCH_WINDOW = java.time.Duration.ofDays(1);
    static final int SEARCH_WINDOW_STEPS = 6;

    Page list(PromptLogFilter filter, int limit, Optional<String> cursor) {
        PromptLogFilter.Where where = where(filter);
        Optional<Cursor> after = cursor.map(Cursor::decode);
        String condition = where.sql() + (after.isPresent() ? " and (occurred_at, seq) < (:cursor_at, :cursor_seq)" : "");
        String sql = "select * from prompt_log where " + condition + " %s order by occurred_at desc, seq desc limit :limit";
        List<Row> rows = jdbi.withHandle(h -> {
            if (!where.searches()) {
                return pageQuery(h, sql.formatted(""), where, after, limit, null);
            }
            Instant anchor = after.map(Cursor::occurredAt).or(filter::to).orElseGet(Instant::now);
            java.time.Duration window = FIRST_SEARCH_WINDOW;
            for (int step = 0; step < SEARCH_WINDOW_STEPS; step++, window = window.multipliedBy(8)) {
                Instant lowest = anchor.minus(window);
                if (filter.from().isPresent() && !lowest.isAfter(filter.from().get())) break;
                List<Row> found = h.inTransaction(tx -> {
                    useFullTextIndex(tx);
                    return pageQuery(tx, sql.formatted("and occurred_at >= :window_start"), where, after, limit, lowest);
                });
                if (found.size() > limit) return found;
            }
            return h.inTransaction(tx -> {
                useFullTextIndex(tx);
                return pageQuery(tx, sql.formatted(""), where, after, limit, null);
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
                                       Optional<Cursor> after, int limit, Instant windowStart) {
        var query = h.createQuery(sql).bindMap(where.bindings()).bindMap(cursorBindings(after)).bind("limit", limit + 1);
        if (windowStart != null) query.bind("window_start", OffsetDateTime.ofInstant(windowStart, ZoneOffset.UTC));
        return query.map((rs, ctx) -> new Row(toRecord(rs),
                rs.getObject("occurred_at", OffsetDateTime.class).toInstant(), rs.getLong("seq"))).list();
    }

    private static void useFullTextIndex(org.jdbi.v3.core.Handle tx) {
        tx.execute("set local enable_seqscan = off");
        tx.execute("set local enable_indexscan = off");
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
