package storyboard.events;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Deletes events older than the retention, shortly after start and then hourly (idempotent across replicas). */
public final class EventRetention implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EventRetention.class);
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "event-retention");
        t.setDaemon(true);
        return t;
    });

    private final EventLog log;
    private final Duration retention;

    public EventRetention(EventLog log, Duration retention) {
        this.log = log;
        this.retention = retention;
    }

    /** Schedules the first clean-up a minute from now, then one an hour. */
    void start() {
        timer.scheduleWithFixedDelay(() -> {
            try {
                int n = log.deleteOlderThan(Instant.now().minus(retention));
                if (n > 0) LOG.info("removed {} event(s) older than {} days", n, retention.toDays());
            } catch (RuntimeException e) {
                LOG.warn("event retention failed: {}", e.getMessage());
            }
        }, 1, 60, TimeUnit.MINUTES);
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
