package storyboard.events;

import io.javalin.http.sse.SseClient;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import storyboard.kernel.Changes;
import storyboard.kernel.Json;

/**
 * Live delivery of the event log to Server-Sent-Event subscribers of this process.
 *
 * <p>A listener thread holds one connection with {@code LISTEN storyboard_events}; every commit that appended
 * events (in any server process on the database) wakes it. A dispatcher thread then reads the new events once,
 * from the oldest cursor among the subscribers, and writes each subscriber the ones its filter lets through.
 * The log stays the source of truth: a missed notification only delays delivery until the next poll.
 */
public final class EventStream implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EventStream.class);
    static final long POLL_MILLIS = 2000;
    static final long HEARTBEAT_MILLIS = 15_000;
    private static final int READ_LIMIT = 1000;

    private final DataSource dataSource;
    private final EventLog log;
    private final List<Subscriber> subscribers = new CopyOnWriteArrayList<>();
    private final List<Runnable> wakeHooks = new CopyOnWriteArrayList<>();
    private final Wakeup wakeup = new Wakeup();
    private volatile boolean running = true;
    private final Thread listener;
    private final Thread dispatcher;

    /** What a subscriber is sent for an event: the SSE event's name and its data. */
    record Message(String name, String data) {}

    /** How a subscriber is sent events; the API's stream sends each event's JSON under its type. */
    @FunctionalInterface
    interface Format {
        Message of(EventLog.Event e) throws Exception;

        Format JSON = e -> new Message(e.type(), Json.MAPPER.writeValueAsString(e));
    }

    /** One SSE connection: where it is in the log, what it wants and how. */
    static final class Subscriber {
        final SseClient client;
        final EventLog.Filter filter;
        final Format format;
        volatile long cursor;
        long lastWriteNanos = System.nanoTime();

        Subscriber(SseClient client, EventLog.Filter filter, Format format, long cursor) {
            this.client = client;
            this.filter = filter;
            this.format = format;
            this.cursor = cursor;
        }
    }

    public EventStream(DataSource dataSource, EventLog log) {
        this.dataSource = dataSource;
        this.log = log;
        this.listener = new Thread(this::listen, "event-listener");
        this.dispatcher = new Thread(this::dispatch, "event-dispatcher");
        listener.setDaemon(true);
        dispatcher.setDaemon(true);
    }

    /** Starts listening for new events and streaming them to subscribers. */
    void start() {
        listener.start();
        dispatcher.start();
    }

    /** Streams to this client from {@code cursor} on: first what is already in the log, then live. */
    void subscribe(SseClient client, EventLog.Filter filter, long cursor) {
        subscribe(client, filter, Format.JSON, cursor);
    }

    /** As {@link #subscribe(SseClient, EventLog.Filter, long)}, each event sent in {@code format}. */
    void subscribe(SseClient client, EventLog.Filter filter, Format format, long cursor) {
        Subscriber s = new Subscriber(client, filter, format, cursor);
        client.onClose(() -> subscribers.remove(s));
        client.sendComment("connected");
        subscribers.add(s);
        signal();
    }

    /** Runs {@code hook} (quickly, on the listener thread) whenever events may have been appended. */
    public void onNewEvents(Runnable hook) {
        wakeHooks.add(hook);
    }

    private void newEvents() {
        signal();
        for (Runnable hook : wakeHooks) {
            try {
                hook.run();
            } catch (RuntimeException e) {
                LOG.warn("event hook failed: {}", e.getMessage());
            }
        }
    }

    int subscriberCount() {
        return subscribers.size();
    }

    private void signal() {
        wakeup.ring();
    }

    private void listen() {
        long backoff = 500;
        while (running) {
            try (Connection c = dataSource.getConnection()) {
                try (Statement s = c.createStatement()) {
                    s.execute("listen " + Changes.CHANNEL);
                }
                PGConnection pg = c.unwrap(PGConnection.class);
                backoff = 500;
                newEvents(); // events may have been appended while not listening
                while (running) {
                    var notifications = pg.getNotifications((int) POLL_MILLIS);
                    if (notifications != null && notifications.length > 0) newEvents();
                }
            } catch (SQLException | RuntimeException e) {
                if (!running) return;
                LOG.warn("event listener lost its database connection ({}); retrying", e.getMessage());
                sleep(backoff);
                backoff = Math.min(backoff * 2, 10_000);
            }
        }
    }

    private void dispatch() {
        while (running) {
            if (!wakeup.await(POLL_MILLIS) && !running) return;
            try {
                deliver();
                heartbeat();
            } catch (RuntimeException e) {
                if (running) LOG.warn("event delivery failed ({}); retrying", e.getMessage());
                sleep(500);
            }
        }
    }

    /** Reads what is new since the oldest subscriber's cursor and hands each subscriber its share. */
    private void deliver() {
        while (!subscribers.isEmpty()) {
            List<Subscriber> now = List.copyOf(subscribers);
            long from = now.stream().mapToLong(s -> s.cursor).min().orElseThrow();
            List<EventLog.Event> events = log.after(from, EventLog.Filter.ALL, READ_LIMIT);
            if (events.isEmpty()) return;
            for (Subscriber s : now) {
                for (EventLog.Event e : events) {
                    if (e.seq() <= s.cursor) continue;
                    if (s.filter.matches(e) && !send(s, e)) break;
                    s.cursor = e.seq();
                }
            }
            if (events.size() < READ_LIMIT) return;
        }
    }

    private boolean send(Subscriber s, EventLog.Event e) {
        try {
            synchronized (s) {
                if (s.client.terminated()) {
                    subscribers.remove(s);
                    return false;
                }
                Message m = s.format.of(e);
                s.client.sendEvent(m.name(), m.data(), String.valueOf(e.seq()));
                s.lastWriteNanos = System.nanoTime();
            }
            return true;
        } catch (Exception ex) {
            subscribers.remove(s);
            s.client.close();
            return false;
        }
    }

    /** A comment line now and then keeps proxies from closing an idle stream (and finds dead clients). */
    private void heartbeat() {
        long now = System.nanoTime();
        for (Subscriber s : subscribers) {
            if (now - s.lastWriteNanos < TimeUnit.MILLISECONDS.toNanos(HEARTBEAT_MILLIS)) continue;
            synchronized (s) {
                if (s.client.terminated()) {
                    subscribers.remove(s);
                    continue;
                }
                s.client.sendComment("keep-alive");
                s.lastWriteNanos = now;
            }
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        running = false;
        listener.interrupt();
        dispatcher.interrupt();
        for (Subscriber s : subscribers) s.client.close();
        subscribers.clear();
    }
}
