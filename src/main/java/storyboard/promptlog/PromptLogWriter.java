package storyboard.promptlog;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
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
import storyboard.api.ApiError;
import storyboard.api.ApiException;
import storyboard.api.DatabaseUnavailableException;
import storyboard.auth.Actor;
import storyboard.budgets.Spending;
import storyboard.events.EventLog;

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
        enum Status { CREATED, EXISTING, REJECTED }
    }

    /** Rows that are answered together: one request's log, or one batch request's valid items. */
    private record Unit(List<NewPromptLog> rows, boolean skipKnownBodies, Actor actor,
                        CompletableFuture<List<Outcome>> done) {}

    private final DataSource dataSource;
    private final BlockingQueue<Unit> queue = new ArrayBlockingQueue<>(QUEUE_UNITS);
    private final List<Thread> threads = new ArrayList<>();
    /** Answers are written by these threads, so that writer threads go straight back to the next flush. */
    private final java.util.concurrent.ExecutorService answering = java.util.concurrent.Executors.newFixedThreadPool(4, r -> {
        Thread t = new Thread(r, "prompt-log-answer");
        t.setDaemon(true);
        return t;
    });
    private volatile boolean running = true;
    /** Each writer thread adds spending to a shard of its own, so their commits never wait on one row lock. */
    private static final ThreadLocal<Integer> SPEND_SHARD = ThreadLocal.withInitial(() -> Spending.OTHER_SHARD);

    PromptLogWriter(DataSource dataSource, int writers) {
        this.dataSource = dataSource;
        for (int i = 0; i < writers; i++) {
            int shard = i + 1;
            Thread t = new Thread(() -> {
                SPEND_SHARD.set(shard);
                run();
            }, "prompt-log-writer-" + i);
            t.setDaemon(true);
            t.start();
            threads.add(t);
        }
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
                for (int i = 0; i < out.size(); i++) {
                    if (out.get(i).status() == Outcome.Status.CREATED) {
                        NewPromptLog r = u.rows().get(i);
                        LOG.info("Logged prompt: type={}, tokens={}", r.type(), r.tokens() == null ? 0 : r.tokens());
                    }
                }
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
                    only.done().completeExceptionally(new ApiException(422, "unstorable",
                            "the database refused this log: " + firstLine(e)));
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
            Set<UUID> inserted = insert(c, toInsert, occurredAt -> {
                List<EventLog.NewEvent> events = createdEvents(toInsert, occurredAt.keySet(), actorOf);
                events.addAll(Spending.record(c, spending(toInsert, occurredAt), SPEND_SHARD.get()));
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

    private static final String COLUMNS_SQL = "id, idempotency_key, received_at, occurred_at, client_timestamp, category,"
            + " type, user_name, version, llm, prompt, response, tokens, cost, context, user_id, project_id, session_id,"
            + " correlation_id, environment, error_details, input_size, output_size, latency_breakdown, model_params,"
            + " extra, body_sha256, project, scene_id, scene_name, processing_ms";
    private static final String ROW_SQL = "(?, ?, now(), coalesce(?::timestamptz, now()), ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
            + " ?::jsonb, ?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?::jsonb, ?::jsonb, ?::jsonb, ?, ?, ?, ?, ?)";

    /**
     * A flush is stored with multi-row INSERTs of these sizes only (37 rows: 16 + 16 + 4 + 1), so the driver
     * keeps a handful of server-side prepared statements instead of planning a new statement text every time.
     */
    private static final int[] CHUNK_SIZES = {256, 64, 16, 4, 1};
    private static final Map<Integer, String> INSERTS = new HashMap<>();

    static {
        for (int size : CHUNK_SIZES) {
            INSERTS.put(size, "insert into prompt_log (" + COLUMNS_SQL + ") values "
                    + String.join(", ", java.util.Collections.nCopies(size, ROW_SQL))
                    + " on conflict do nothing returning id, occurred_at");
        }
    }

    /**
     * The events of a flush: one {@code prompt_log.created} per project and actor, listing the new logs' ids
     * (a flush holds at most {@link #MAX_ROWS_PER_FLUSH}).
     */
    private static List<EventLog.NewEvent> createdEvents(List<NewPromptLog> rows, Set<UUID> inserted,
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
        List<EventLog.NewEvent> events = new ArrayList<>();
        groups.forEach((key, logs) -> {
            Map<String, Object> payload = new java.util.LinkedHashMap<>();
            payload.put("count", logs.size());
            payload.put("ids", logs.stream().map(NewPromptLog::id).toList());
            payload.put("types", logs.stream().map(NewPromptLog::type).distinct().limit(20).toList());
            events.add(actors.get(key).event("prompt_log.created", logs.size() == 1 ? logs.get(0).id().toString() : null,
                    key.project(), payload));
        });
        return events;
    }

    /** What the new logs add to each project's monthly spending. */
    private static List<Spending.Delta> spending(List<NewPromptLog> rows, Map<UUID, java.time.Instant> occurredAt) {
        List<Spending.Delta> deltas = new ArrayList<>();
        for (NewPromptLog r : rows) {
            java.time.Instant at = occurredAt.get(r.id());
            if (at != null) deltas.add(new Spending.Delta(r.project(), at, r.cost(), 1));
        }
        return deltas;
    }

    /** What to write in a flush's transaction once its rows are in: it is given each new row's occurred_at. */
    private interface BeforeCommit {
        List<EventLog.NewEvent> apply(Map<UUID, java.time.Instant> occurredAt) throws SQLException;
    }

    /**
     * Inserts the rows in one transaction, with what {@code beforeCommit} adds for the rows actually inserted
     * (conflicts are skipped); returns their ids.
     */
    private static Set<UUID> insert(Connection c, List<NewPromptLog> rows, BeforeCommit beforeCommit) throws SQLException {
        Map<UUID, java.time.Instant> inserted = new HashMap<>();
        if (rows.isEmpty()) return inserted.keySet();
        c.setAutoCommit(false);
        try {
            int start = 0;
            while (start < rows.size()) {
                int remaining = rows.size() - start;
                int size = java.util.Arrays.stream(CHUNK_SIZES).filter(n -> n <= remaining).findFirst().orElse(1);
                try (PreparedStatement ps = c.prepareStatement(INSERTS.get(size))) {
                    int p = 1;
                    for (NewPromptLog r : rows.subList(start, start + size)) p = bind(ps, p, r);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            inserted.put(rs.getObject(1, UUID.class),
                                    rs.getObject(2, java.time.OffsetDateTime.class).toInstant());
                        }
                    }
                }
                start += size;
            }
            EventLog.append(c, beforeCommit.apply(inserted));
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

    private static int bind(PreparedStatement ps, int p, NewPromptLog r) throws SQLException {
        ps.setObject(p++, r.id());
        text(ps, p++, r.idempotencyKey());
        text(ps, p++, r.clientTs() == null ? null : r.clientTs().toString());
        text(ps, p++, r.clientTimestamp());
        text(ps, p++, r.category());
        text(ps, p++, r.type());
        text(ps, p++, r.user());
        text(ps, p++, r.version());
        text(ps, p++, r.llm());
        text(ps, p++, r.prompt());
        text(ps, p++, r.response());
        number(ps, p++, r.tokens(), Types.BIGINT);
        number(ps, p++, r.cost(), Types.NUMERIC);
        text(ps, p++, r.contextJson());
        text(ps, p++, r.userId());
        text(ps, p++, r.projectId());
        text(ps, p++, r.sessionId());
        text(ps, p++, r.correlationId());
        text(ps, p++, r.environment());
        text(ps, p++, r.errorDetailsJson());
        number(ps, p++, r.inputSize(), Types.BIGINT);
        number(ps, p++, r.outputSize(), Types.BIGINT);
        text(ps, p++, r.latencyBreakdownJson());
        text(ps, p++, r.modelParamsJson());
        text(ps, p++, r.extraJson());
        text(ps, p++, r.bodySha256());
        text(ps, p++, r.project());
        text(ps, p++, r.sceneId());
        text(ps, p++, r.sceneName());
        number(ps, p++, r.processingMs(), Types.DOUBLE);
        return p;
    }

    private static void text(PreparedStatement ps, int p, String value) throws SQLException {
        if (value == null) ps.setNull(p, Types.VARCHAR);
        else ps.setString(p, value);
    }

    private static void number(PreparedStatement ps, int p, Object value, int sqlType) throws SQLException {
        if (value == null) ps.setNull(p, sqlType);
        else ps.setObject(p, value, sqlType);
    }

    @Override
    public void close() {
        running = false;
        try {
            for (Thread t : threads) t.join(TimeUnit.SECONDS.toMillis(15));
            answering.shutdown();
            answering.awaitTermination(15, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
