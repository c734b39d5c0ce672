package storyboard.promptlog;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import storyboard.api.ApiError;
import storyboard.api.ApiException;
import storyboard.kernel.DomainException;
import storyboard.api.DatabaseUnavailableException;
import storyboard.kernel.Actor;
import storyboard.kernel.Change;
import storyboard.kernel.Changes;
import storyboard.kernel.SpendListener;

/**
 * Durable group commit. Requests hand their rows to a bounded queue; writer threads take whatever has gathered
 * (up to {@link #MAX_ROWS_PER_FLUSH} rows, waiting at most {@link #LINGER_MICROS} for more) and store it with one
 * multi-row INSERT, which is one transaction and one WAL flush. A request's future completes only after that
 * commit, so a 2xx always means the row is on disk. With the database away, a flush fails fast and every waiting
 * request gets 503; the next flush tries again, so the server recovers without a restart.
 */
final class PromptLogWriter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger("storyboard.promptlog");
    static final int MAX_ROWS_PER_FLUSH = 1000;
    static final int QUEUE_UNITS = 8192;
    static final long LINGER_MICROS = 500;

    /** What happened to one submitted row. */
    record Outcome(Status status, UUID id, ApiError error) {
        /** Named in answers as they are here, in lower case. */
        enum Status {
            @JsonProperty("created") CREATED,
            @JsonProperty("existing") EXISTING,
            @JsonProperty("rejected") REJECTED
        }
    }

    /** Rows that are answered together: one request's log, or one batch request's valid items. */
    private record Unit(List<NewPromptLog> rows, boolean skipKnownBodies, Actor actor,
                        CompletableFuture<List<Outcome>> done) {}

    private final DataSource dataSource;
    private final SpendListener spending;
    private final BlockingQueue<Unit> queue = new ArrayBlockingQueue<>(QUEUE_UNITS);
    private final List<Thread> threads = new ArrayList<>();
    /** Answers are written by these threads, so that writer threads go straight back to the next flush. */
    private final java.util.concurrent.ExecutorService answering = java.util.concurrent.Executors.newFixedThreadPool(4, r -> {
        Thread t = new Thread(r, "prompt-log-answer");
        t.setDaemon(true);
        return t;
    });
    private volatile boolean running = true;
    /** Each writer thread tells spending its own writer number, so their commits never wait on one row lock. */
    private static final ThreadLocal<Integer> SPEND_SHARD = ThreadLocal.withInitial(() -> SpendListener.OTHER_WRITER);

    /** {@code spending} hears of every flush's new logs, in the flush's transaction. */
    PromptLogWriter(DataSource dataSource, int writers, SpendListener spending) {
        this.dataSource = dataSource;
        this.spending = spending;
        for (int i = 0; i < writers; i++) {
            int shard = i + 1;
            Thread t = new Thread(() -> {
                SPEND_SHARD.set(shard);
                run();
            }, "prompt-log-writer-" + i);
            t.setDaemon(true);
            threads.add(t);
        }
    }

    /** Starts the writers: from here on, what is submitted is committed. */
    void start() {
        for (Thread t : threads) t.start();
    }

    CompletableFuture<List<Outcome>> submit(List<NewPromptLog> rows, boolean skipKnownBodies, Actor actor) {
        CompletableFuture<List<Outcome>> done = new CompletableFuture<>();
        if (rows.isEmpty()) {
            done.complete(List.of());
        } else if (!running) {
            done.completeExceptionally(new ApiException(503, "shutting_down", "the server is shutting down"));
        } else if (!queue.offer(new Unit(rows, skipKnownBodies, actor, done))) {
            done.completeExceptionally(new DatabaseUnavailableException(
                    "the server is saturated with writes; try again shortly"));
        }
        return done;
    }

    private void run() {
        List<Unit> batch = new ArrayList<>();
        while (running || !queue.isEmpty()) {
            try {
                Unit first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) continue;
                batch.add(first);
                int rows = first.rows().size();
                long deadline = System.nanoTime() + TimeUnit.MICROSECONDS.toNanos(LINGER_MICROS);
                while (rows < MAX_ROWS_PER_FLUSH) {
                    Unit next = queue.peek() == null && System.nanoTime() < deadline
                            ? queue.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)
                            : queue.poll();
                    if (next == null) break;
                    batch.add(next);
                    rows += next.rows().size();
                }
                flush(batch);
            } catch (InterruptedException e) {
                if (!running) break;
            } catch (RuntimeException e) {
                LOG.error("prompt log writer failed", e);
                for (Unit u : batch) u.done().completeExceptionally(e);
            } finally {
                batch.clear();
            }
        }
    }

    private void flush(List<Unit> batch) {
        List<Unit> live = batch.stream().filter(u -> !u.done().isDone()).toList();
        if (live.isEmpty()) return;
        try {
            Map<Unit, List<Outcome>> outcomes = store(live);
            for (Unit u : live) {
                List<Outcome> out = outcomes.get(u);
                answering.execute(() -> u.done().complete(out));
                // Under the request's id, as if logged by the request itself.
                if (u.actor().requestId() != null) MDC.put("requestId", u.actor().requestId());
                for (int i = 0; i < out.size(); i++) {
                    if (out.get(i).status() == Outcome.Status.CREATED) {
                        NewPromptLog r = u.rows().get(i);
                        LOG.info("Logged prompt: type={}, tokens={}", r.sent().type(),
                                r.sent().tokens() == null ? 0 : r.sent().tokens());
                    }
                }
                MDC.remove("requestId");
            }
        } catch (SQLException | RuntimeException e) {
            if (DatabaseUnavailableException.isConnectionFailure(e)) {
                LOG.warn("database unavailable, {} request(s) answered 503: {}", live.size(), e.getMessage());
                DatabaseUnavailableException unavailable = new DatabaseUnavailableException(
                        "the database is not reachable; try again shortly");
                live.forEach(u -> u.done().completeExceptionally(unavailable));
            } else if (live.size() > 1) {
                // One unit's data broke the statement; store the others on their own.
                live.forEach(u -> flush(List.of(u)));
            } else {
                Unit only = live.get(0);
                if (only.rows().size() > 1) {
                    only.done().complete(only.rows().stream().map(r -> storeAlone(r, only)).toList());
                } else {
                    LOG.error("could not store a prompt log", e);
                    only.done().completeExceptionally(DomainException.unprocessable("unstorable",
                            "the database refused this log: " + firstLine(e), null));
                }
            }
        }
    }

    private Outcome storeAlone(NewPromptLog row, Unit of) {
        Unit single = new Unit(List.of(row), of.skipKnownBodies(), of.actor(), new CompletableFuture<>());
        try {
            return store(List.of(single)).get(single).get(0);
        } catch (SQLException | RuntimeException e) {
            if (DatabaseUnavailableException.isConnectionFailure(e)) {
                throw new DatabaseUnavailableException("the database is not reachable; try again shortly");
            }
            return new Outcome(Outcome.Status.REJECTED, null,
                    new ApiError("unstorable", "the database refused this log: " + firstLine(e), null));
        }
    }

    private static String firstLine(Throwable e) {
        String m = String.valueOf(e.getMessage());
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }

    /**
     * Stores the units' rows in one INSERT. A row whose id or idempotency key is already stored is not stored
     * again (its outcome names the first row); with {@code skipKnownBodies}, neither is a row whose raw body was.
     */
    private Map<Unit, List<Outcome>> store(List<Unit> units) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            Map<String, UUID> knownBodies = knownBodies(c, units);
            Map<NewPromptLog, NewPromptLog> sameBodyAs = new IdentityHashMap<>();
            Map<String, NewPromptLog> firstWithBody = new HashMap<>();
            List<NewPromptLog> toInsert = new ArrayList<>();
            Map<NewPromptLog, Actor> actorOf = new IdentityHashMap<>();
            for (Unit u : units) {
                for (NewPromptLog r : u.rows()) {
                    actorOf.put(r, u.actor());
                    if (u.skipKnownBodies() && !knownBodies.containsKey(r.bodySha256())) {
                        NewPromptLog first = firstWithBody.putIfAbsent(r.bodySha256(), r);
                        if (first != null) {
                            sameBodyAs.put(r, first);
                            continue;
                        }
                    }
                    if (!(u.skipKnownBodies() && knownBodies.containsKey(r.bodySha256()))) toInsert.add(r);
                }
            }
            Set<UUID> inserted = insert(c, toInsert, stored -> {
                List<Changes.Made> events = createdEvents(toInsert, stored.keySet(), actorOf);
                events.addAll(spending.spent(c, spends(stored.values()), SPEND_SHARD.get()));
                PromptLogRollup.added(c, stored.values(), SPEND_SHARD.get());
                return events;
            });
            List<String> conflictingKeys = toInsert.stream()
                    .filter(r -> !inserted.contains(r.id()) && r.idempotencyKey() != null)
                    .map(NewPromptLog::idempotencyKey).toList();
            Map<String, UUID> existingByKey = conflictingKeys.isEmpty() ? Map.of() : existingIds(c, conflictingKeys);

            Set<UUID> claimed = new HashSet<>();
            Map<NewPromptLog, Outcome> byRow = new IdentityHashMap<>();
            for (NewPromptLog r : toInsert) {
                if (inserted.contains(r.id()) && claimed.add(r.id())) {
                    byRow.put(r, new Outcome(Outcome.Status.CREATED, r.id(), null));
                } else {
                    UUID first = r.idempotencyKey() == null ? null : existingByKey.get(r.idempotencyKey());
                    byRow.put(r, new Outcome(Outcome.Status.EXISTING, first != null ? first : r.id(), null));
                }
            }
            Map<Unit, List<Outcome>> result = new IdentityHashMap<>();
            for (Unit u : units) {
                List<Outcome> out = new ArrayList<>(u.rows().size());
                for (NewPromptLog r : u.rows()) {
                    Outcome o = byRow.get(r);
                    if (o == null && sameBodyAs.containsKey(r)) {
                        o = new Outcome(Outcome.Status.EXISTING, byRow.get(sameBodyAs.get(r)).id(), null);
                    } else if (o == null) {
                        o = new Outcome(Outcome.Status.EXISTING, knownBodies.get(r.bodySha256()), null);
                    }
                    out.add(o);
                }
                result.put(u, out);
            }
            return result;
        }
    }

    private static Map<String, UUID> knownBodies(Connection c, List<Unit> units) throws SQLException {
        List<String> hashes = new ArrayList<>();
        for (Unit u : units) if (u.skipKnownBodies()) u.rows().forEach(r -> hashes.add(r.bodySha256()));
        Map<String, UUID> out = new HashMap<>();
        if (hashes.isEmpty()) return out;
        try (PreparedStatement ps = c.prepareStatement(
                "select distinct on (body_sha256) body_sha256, id from prompt_log where body_sha256 = any(?) "
                        + "order by body_sha256, seq")) {
            ps.setArray(1, c.createArrayOf("text", hashes.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) out.put(rs.getString(1), rs.getObject(2, UUID.class));
            }
        }
        return out;
    }

    private static Map<String, UUID> existingIds(Connection c, List<String> keys) throws SQLException {
        Map<String, UUID> out = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement(
                "select idempotency_key, id from prompt_log where idempotency_key = any(?)")) {
            ps.setArray(1, c.createArrayOf("text", keys.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) out.put(rs.getString(1), rs.getObject(2, UUID.class));
            }
        }
        return out;
    }

    /**
     * All of a flush's rows in one statement, whatever their number: one array per column, bound in the binary
     * protocol (no quoting or escaping of the texts, unlike array literals), so the statement text never
     * changes and stays a server-side prepared statement, and the vocabulary trigger runs once per flush. JSON
     * columns travel as text and are parsed by PostgreSQL, as a {@code ?::jsonb} parameter would be.
     */
    private static final String INSERT = """
            insert into prompt_log (id, idempotency_key, received_at, occurred_at, client_timestamp, category, type,
                user_name, version, llm, prompt, response, tokens, cost, context, user_id, project_id, session_id,
                correlation_id, environment, error_details, input_size, output_size, latency_breakdown, model_params,
                extra, body_sha256, project, scene_id, scene_name, processing_ms)
            select u.id::uuid, u.idempotency_key, now(), coalesce(u.client_ts::timestamptz, now()), u.client_timestamp,
                u.category, u.type, u.user_name, u.version, u.llm, u.prompt, u.response, u.tokens, u.cost::numeric,
                u.context::jsonb, u.user_id, u.project_id, u.session_id, u.correlation_id, u.environment,
                u.error_details::jsonb, u.input_size, u.output_size, u.latency_breakdown::jsonb,
                u.model_params::jsonb, u.extra::jsonb, u.body_sha256, u.project, u.scene_id, u.scene_name,
                u.processing_ms
              from unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[],
                          ?::text[], ?::text[], ?::text[], ?::int8[], ?::text[], ?::text[], ?::text[], ?::text[],
                          ?::text[], ?::text[], ?::text[], ?::text[], ?::int8[], ?::int8[], ?::text[], ?::text[],
                          ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::float8[])
                as u(id, idempotency_key, client_ts, client_timestamp, category, type, user_name, version, llm,
                     prompt, response, tokens, cost, context, user_id, project_id, session_id, correlation_id,
                     environment, error_details, input_size, output_size, latency_breakdown, model_params, extra,
                     body_sha256, project, scene_id, scene_name, processing_ms)
            on conflict do nothing
            returning id, occurred_at, project, type, llm, user_name, tokens, cost""";

    /** The INSERT's arrays, in its order: texts as String[], whole numbers as Long[], processing_ms as Double[]. */
    private static final List<java.util.function.Function<NewPromptLog, ?>> COLUMNS = List.of(
            r -> r.id().toString(),
            NewPromptLog::idempotencyKey,
            r -> r.clientTs() == null ? null : r.clientTs().toString(),
            r -> r.sent().timestamp(),
            r -> r.sent().category(),
            r -> r.sent().type(),
            r -> r.sent().user(),
            r -> r.sent().version(),
            r -> r.sent().llm(),
            r -> r.sent().prompt(),
            r -> r.sent().response(),
            r -> r.sent().tokens(),
            r -> r.sent().cost() == null ? null : r.sent().cost().toString(),
            r -> r.sent().context(),
            r -> r.sent().userId(),
            r -> r.sent().projectId(),
            r -> r.sent().sessionId(),
            r -> r.sent().correlationId(),
            r -> r.sent().environment(),
            r -> r.sent().errorDetails(),
            r -> r.sent().inputSize(),
            r -> r.sent().outputSize(),
            r -> r.sent().latencyBreakdown(),
            r -> r.sent().modelParams(),
            r -> r.sent().extra(),
            NewPromptLog::bodySha256,
            NewPromptLog::project,
            NewPromptLog::sceneId,
            NewPromptLog::sceneName,
            NewPromptLog::processingMs);
    /** Which of {@link #COLUMNS} are bigint and double arrays; the rest are text. */
    private static final Set<Integer> LONG_COLUMNS = Set.of(11, 20, 21);
    private static final int DOUBLE_COLUMN = 29;

    /**
     * The events of a flush: one {@code prompt_log.created} per project and actor, listing the new logs' ids
     * (a flush holds at most {@link #MAX_ROWS_PER_FLUSH}).
     */
    private static List<Changes.Made> createdEvents(List<NewPromptLog> rows, Set<UUID> inserted,
                                                         Map<NewPromptLog, Actor> actorOf) {
        // Per actor, not per request: the request id and address are not part of the key.
        record Key(String project, String actorType, String actorId) {}
        Map<Key, List<NewPromptLog>> groups = new java.util.LinkedHashMap<>();
        Map<Key, Actor> actors = new HashMap<>();
        for (NewPromptLog r : rows) {
            if (!inserted.contains(r.id())) continue;
            Actor a = actorOf.get(r);
            Key key = new Key(r.project(), a.type(), a.id());
            actors.putIfAbsent(key, a);
            groups.computeIfAbsent(key, k -> new ArrayList<>()).add(r);
        }
        List<Changes.Made> events = new ArrayList<>();
        groups.forEach((key, logs) -> {
            Map<String, Object> payload = new java.util.LinkedHashMap<>();
            payload.put("count", logs.size());
            payload.put("ids", logs.stream().map(NewPromptLog::id).toList());
            payload.put("types", logs.stream().map(r -> r.sent().type()).distinct().limit(20).toList());
            events.add(Change.of("prompt_log.created", "prompt_log", logs.size() == 1 ? logs.get(0).id().toString() : null,
                    key.project(), payload).by(actors.get(key)));
        });
        return events;
    }

    /**
     * What the new logs add to each project's spending: the rows as stored (a row whose id came twice in a flush is
     * stored, and counted, once).
     */
    private static List<SpendListener.Spend> spends(java.util.Collection<PromptLogRollup.Counted> stored) {
        List<SpendListener.Spend> spends = new ArrayList<>(stored.size());
        for (PromptLogRollup.Counted r : stored) {
            spends.add(new SpendListener.Spend(r.project(), r.occurredAt(), r.cost(), 1));
        }
        return spends;
    }

    /** What to write in a flush's transaction once its rows are in: it is given each new row as stored, by id. */
    private interface BeforeCommit {
        List<Changes.Made> apply(Map<UUID, PromptLogRollup.Counted> stored) throws SQLException;
    }

    /**
     * Inserts the rows in one transaction, with what {@code beforeCommit} adds for the rows actually inserted
     * (conflicts are skipped); returns their ids.
     */
    private static Set<UUID> insert(Connection c, List<NewPromptLog> rows, BeforeCommit beforeCommit) throws SQLException {
        Map<UUID, PromptLogRollup.Counted> inserted = new HashMap<>();
        if (rows.isEmpty()) return inserted.keySet();
        c.setAutoCommit(false);
        try {
            try (PreparedStatement ps = c.prepareStatement(INSERT)) {
                bind(ps, rows);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        inserted.put(rs.getObject(1, UUID.class), new PromptLogRollup.Counted(
                                rs.getObject(2, java.time.OffsetDateTime.class).toInstant(), rs.getString(3),
                                rs.getString(4), rs.getString(5), rs.getString(6), rs.getObject(7, Long.class),
                                rs.getBigDecimal(8)));
                    }
                }
            }
            Changes.publish(c, beforeCommit.apply(inserted));
            c.commit();
            return inserted.keySet();
        } catch (SQLException | RuntimeException e) {
            try {
                c.rollback();
            } catch (SQLException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
        // the pool restores auto-commit when the connection goes back to it
    }

    /** One array per column; setObject with a Java array makes the driver send it in binary. */
    private static void bind(PreparedStatement ps, List<NewPromptLog> rows) throws SQLException {
        int n = rows.size();
        for (int col = 0; col < COLUMNS.size(); col++) {
            Object[] values = LONG_COLUMNS.contains(col) ? new Long[n] : col == DOUBLE_COLUMN ? new Double[n] : new String[n];
            var value = COLUMNS.get(col);
            for (int i = 0; i < n; i++) values[i] = value.apply(rows.get(i));
            ps.setObject(col + 1, values);
        }
    }

    @Override
    public void close() {
        running = false;
        try {
            for (Thread t : threads) if (t.isAlive()) t.join(TimeUnit.SECONDS.toMillis(15));
            answering.shutdown();
            answering.awaitTermination(15, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
