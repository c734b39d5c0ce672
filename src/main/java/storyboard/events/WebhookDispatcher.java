package storyboard.events;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes webhook deliveries, off the request path: a dispatcher thread, woken by every commit that appended
 * events (through {@link EventStream}) and at least once a second, fans new events out into stored deliveries
 * and claims the due ones; a small pool POSTs them and records each result. Everything it needs is in the
 * database, so a restart, or another server process on the same database, carries on where it stopped.
 */
public final class WebhookDispatcher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WebhookDispatcher.class);
    static final long POLL_MILLIS = 1000;
    /**
     * Rounds are at least this far apart: under a stream of commits (every ingest flush notifies) a round per
     * commit would cost a few queries each, hundreds of times a second; this way a burst is taken in one round,
     * at the price of delivering at most this much later.
     */
    static final long MIN_ROUND_GAP_MILLIS = 50;
    static final Duration TIMEOUT = Duration.ofSeconds(10);
    /** Longer than any attempt can take, so only a process that died loses its claim. */
    static final Duration LEASE = Duration.ofSeconds(60);
    static final Duration MAX_DELAY = Duration.ofHours(1);
    static final int CONCURRENCY = 4;
    static final int RESPONSE_EXCERPT_BYTES = 1024;

    /** How retries and pausing behave (the WEBHOOK_* settings). */
    public record Settings(Duration retryDelay, Duration retryWindow, int pauseAfter, Duration pauseFailingFor,
                           Duration retention) {}

    private final DeliveryQueue queue;
    private final Settings settings;
    private final String userAgent;
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(TIMEOUT)
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
    private final ExecutorService pool = Executors.newFixedThreadPool(CONCURRENCY, r -> {
        Thread t = new Thread(r, "webhook-sender");
        t.setDaemon(true);
        return t;
    });
    private final AtomicInteger inFlight = new AtomicInteger();
    private final Set<DeliveryQueue.Claimed> attempts = ConcurrentHashMap.newKeySet();
    private final Wakeup wakeup = new Wakeup();
    private volatile boolean running = true;
    private final Thread dispatcher;
    private long nextCleanupNanos = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);

    WebhookDispatcher(DeliveryQueue queue, Settings settings, String version) {
        this.queue = queue;
        this.settings = settings;
        this.userAgent = "storyboard-server/" + version;
        this.dispatcher = new Thread(this::run, "webhook-dispatcher");
        dispatcher.setDaemon(true);
    }

    /** Starts delivering what is due. */
    void start() {
        dispatcher.start();
    }

    /** Something may be new (events committed, a redelivery asked for): look now rather than at the next poll. */
    public void wake() {
        wakeup.ring();
    }

    private void run() {
        while (running) {
            long roundStart = System.nanoTime();
            long waitMillis = POLL_MILLIS;
            try {
                queue.fanOut();
                cleanUp();
                List<DeliveryQueue.Claimed> claimed = queue.claim(CONCURRENCY - inFlight.get(), LEASE);
                for (DeliveryQueue.Claimed c : claimed) {
                    inFlight.incrementAndGet();
                    attempts.add(c);
                    pool.execute(() -> attempt(c));
                }
                if (inFlight.get() < CONCURRENCY) {
                    Long next = queue.millisUntilNextDue();
                    if (next != null) waitMillis = Math.max(20, Math.min(POLL_MILLIS, next));
                }
            } catch (RuntimeException e) {
                if (!running) return;
                LOG.warn("webhook dispatch failed ({}); retrying", e.getMessage());
            }
            if (!wakeup.await(waitMillis) && !running) return;
            long gap = MIN_ROUND_GAP_MILLIS - TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - roundStart);
            if (gap > 0) {
                try {
                    Thread.sleep(gap);
                } catch (InterruptedException e) {
                    if (!running) return;
                }
            }
        }
    }

    /** Hourly: deliveries that are over are kept as long as events are (EVENT_RETENTION_DAYS). */
    private void cleanUp() {
        if (System.nanoTime() - nextCleanupNanos < 0) return;
        nextCleanupNanos = System.nanoTime() + TimeUnit.HOURS.toNanos(1);
        int n = queue.deleteFinishedOlderThan(Instant.now().minus(settings.retention()));
        if (n > 0) LOG.info("removed {} finished webhook deliveries older than {} days", n, settings.retention().toDays());
    }

    private void attempt(DeliveryQueue.Claimed c) {
        try {
            DeliveryQueue.Outcome outcome = send(c);
            if (outcome == null) {
                queue.release(c); // stopped mid-attempt
            } else if (outcome.success()) {
                queue.delivered(c, outcome);
            } else {
                queue.failed(c, outcome, nextDelay(c.attempts()), settings.retryWindow(), settings.pauseAfter(),
                        settings.pauseFailingFor());
            }
        } catch (RuntimeException e) {
            // The lease runs out and the attempt is made again; nothing is lost.
            LOG.warn("could not record webhook delivery {}: {}", c.id(), e.getMessage());
        } finally {
            attempts.remove(c);
            inFlight.decrementAndGet();
            wake();
        }
    }

    /** One POST; null when interrupted because the server is stopping. */
    private DeliveryQueue.Outcome send(DeliveryQueue.Claimed c) {
        long start = System.nanoTime();
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(c.url()))
                    .timeout(TIMEOUT)
                    .header("Content-Type", "application/json")
                    .header("User-Agent", userAgent)
                    .header("Storyboard-Event", c.eventType())
                    .header("Storyboard-Delivery", c.id().toString())
                    .header("Storyboard-Webhook", c.webhookId().toString())
                    .header(WebhookSignature.HEADER,
                            WebhookSignature.header(c.secret(), Instant.now().getEpochSecond(), c.body()))
                    .POST(HttpRequest.BodyPublishers.ofString(c.body(), StandardCharsets.UTF_8))
                    .build();
            HttpResponse<InputStream> r = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
            String excerpt;
            try (InputStream in = r.body()) {
                excerpt = new String(in.readNBytes(RESPONSE_EXCERPT_BYTES), StandardCharsets.UTF_8).replace("\0", "");
            } catch (IOException e) {
                excerpt = null;
            }
            int code = r.statusCode();
            return new DeliveryQueue.Outcome(code, code / 100 == 2 ? null : "HTTP " + code, excerpt, millisSince(start));
        } catch (HttpConnectTimeoutException e) {
            return failure("could not connect within " + TIMEOUT.toSeconds() + " s", start);
        } catch (HttpTimeoutException e) {
            return failure("no answer within " + TIMEOUT.toSeconds() + " s", start);
        } catch (ConnectException e) {
            return failure("could not connect: " + message(e), start);
        } catch (IOException e) {
            return failure(e.getClass().getSimpleName() + ": " + message(e), start);
        } catch (IllegalArgumentException e) {
            return failure("invalid request: " + message(e), start);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return running ? failure("interrupted", start) : null;
        }
    }

    /** The wait before the next attempt: the first retry delay, doubling, give or take 20%, at most an hour. */
    Duration nextDelay(int attemptsSoFar) {
        long base = settings.retryDelay().toMillis();
        int doublings = Math.min(Math.max(attemptsSoFar - 1, 0), 30);
        long delay = Math.min(MAX_DELAY.toMillis(), base << doublings); // base <= 1 h: no overflow
        double jitter = 0.8 + 0.4 * ThreadLocalRandom.current().nextDouble();
        return Duration.ofMillis(Math.max(1, Math.min(MAX_DELAY.toMillis(), Math.round(delay * jitter))));
    }

    private static DeliveryQueue.Outcome failure(String error, long start) {
        return new DeliveryQueue.Outcome(null, error, null, millisSince(start));
    }

    private static String message(Throwable e) {
        String m = e.getMessage();
        if (m == null && e.getCause() != null) m = e.getCause().getMessage();
        return m == null ? e.getClass().getSimpleName() : m;
    }

    private static int millisSince(long startNanos) {
        return (int) Math.min(Integer.MAX_VALUE, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos));
    }

    /**
     * Stops claiming, lets attempts in flight finish (a few seconds at most), and hands back the rest so the next
     * process to run makes them at once.
     */
    @Override
    public void close() {
        running = false;
        dispatcher.interrupt();
        pool.shutdown();
        try {
            if (!pool.awaitTermination(3, TimeUnit.SECONDS)) {
                pool.shutdownNow();
                if (!pool.awaitTermination(2, TimeUnit.SECONDS)) {
                    for (DeliveryQueue.Claimed c : attempts) {
                        try {
                            queue.release(c);
                        } catch (RuntimeException e) {
                            // the lease runs out instead
                        }
                    }
                }
            }
            dispatcher.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
