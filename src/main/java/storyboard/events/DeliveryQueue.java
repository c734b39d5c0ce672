package storyboard.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.PreparedBatch;
import storyboard.events.WebhookStore.Webhook;
import storyboard.kernel.Actor;
import storyboard.kernel.Change;
import storyboard.kernel.Changes;
import storyboard.kernel.Json;

/**
 * The dispatcher's side of webhook deliveries: new events fanned out into deliveries, due deliveries claimed for
 * an attempt under a lease, and what each attempt got. This bookkeeping is not audited, except pausing a
 * subscription. Safe to run in several processes at once.
 */
final class DeliveryQueue {
    static final int FAN_OUT_BATCH = 500;

    private final Jdbi jdbi;
    private final EventLog log;

    DeliveryQueue(Jdbi jdbi, EventLog log) {
        this.jdbi = jdbi;
        this.log = log;
    }

    /**
     * Turns new events into deliveries for every active subscription that is behind the log; safe to run in
     * several processes at once (each subscription row is locked while its cursor moves). Returns the number of
     * deliveries created.
     */
    int fanOut() {
        List<UUID> behind = jdbi.withHandle(h -> h.createQuery("""
                        select id from webhook
                         where active and last_seq < (select coalesce(max(seq), 0) from event)""")
                .mapTo(UUID.class).list());
        int created = 0;
        for (UUID id : behind) {
            while (true) {
                int[] result = jdbi.inTransaction(h -> fanOut(h, id));
                created += result[0];
                if (result[1] < FAN_OUT_BATCH) break;
            }
        }
        return created;
    }

    /** One batch for one subscription: {deliveries created, events read}. */
    private int[] fanOut(Handle h, UUID id) {
        Optional<Webhook> locked = h.createQuery("select * from webhook where id = :id and active for update skip locked")
                .bind("id", id).map((rs, ctx) -> WebhookStore.webhook(rs)).findOne();
        if (locked.isEmpty()) return new int[] {0, 0};
        Webhook w = locked.get();
        List<EventLog.Event> events = log.after(w.lastSeq(), EventLog.Filter.ALL, FAN_OUT_BATCH);
        if (events.isEmpty()) return new int[] {0, 0};
        EventLog.Filter filter = w.filter();
        PreparedBatch batch = h.prepareBatch("""
                insert into webhook_delivery (id, webhook_id, event_seq, event_type, body)
                values (:id, :webhook, :seq, :type, :body)
                on conflict (webhook_id, event_seq) do nothing""");
        int n = 0;
        for (EventLog.Event e : events) {
            if (!filter.matches(e)) continue;
            batch.bind("id", UUID.randomUUID()).bind("webhook", id).bind("seq", e.seq()).bind("type", e.type())
                    .bind("body", json(e)).add();
            n++;
        }
        if (n > 0) batch.execute();
        h.createUpdate("update webhook set last_seq = :seq where id = :id")
                .bind("seq", events.get(events.size() - 1).seq()).bind("id", id).execute();
        return new int[] {n, events.size()};
    }

    private static String json(EventLog.Event e) {
        try {
            return Json.MAPPER.writeValueAsString(e);
        } catch (JsonProcessingException ex) {
            throw new IllegalStateException("event " + e.seq() + " cannot be written as JSON", ex);
        }
    }

    /** A delivery claimed for one attempt, with what is needed to make it. */
    record Claimed(UUID id, UUID webhookId, String url, String secret, String eventType, String body, int attempts,
                   Instant windowStart) {}

    /**
     * Claims up to {@code limit} due deliveries of active subscriptions for one attempt each: the lease keeps
     * other processes off them while the attempt runs, and lets go by itself if this process dies.
     */
    List<Claimed> claim(int limit, Duration lease) {
        if (limit <= 0) return List.of();
        return jdbi.inTransaction(h -> h.createQuery("""
                        with claimed as (
                            update webhook_delivery d
                               set lease_until = now() + :lease * interval '1 millisecond',
                                   next_attempt_at = now() + :lease * interval '1 millisecond',
                                   attempts = attempts + 1, last_attempt_at = now()
                             where d.id in (select d2.id from webhook_delivery d2 join webhook w on w.id = d2.webhook_id
                                             where d2.status = 'pending' and d2.next_attempt_at <= now() and w.active
                                             order by d2.next_attempt_at
                                             limit :limit
                                               for update of d2 skip locked)
                            returning d.id, d.webhook_id, d.event_type, d.body, d.attempts, d.window_start)
                        select c.*, w.url, w.secret from claimed c join webhook w on w.id = c.webhook_id""")
                .bind("lease", lease.toMillis())
                .bind("limit", limit)
                .map((rs, ctx) -> new Claimed(rs.getObject("id", UUID.class), rs.getObject("webhook_id", UUID.class),
                        rs.getString("url"), rs.getString("secret"), rs.getString("event_type"), rs.getString("body"),
                        rs.getInt("attempts"), WebhookStore.instant(rs, "window_start")))
                .list());
    }

    /** Milliseconds until the next delivery could be claimed (null: none pending). */
    Long millisUntilNextDue() {
        return jdbi.withHandle(h -> h.createQuery("""
                        select ceil(extract(epoch from (min(d.next_attempt_at) - now())) * 1000)::bigint
                          from webhook_delivery d join webhook w on w.id = d.webhook_id
                         where d.status = 'pending' and w.active""")
                .mapTo(Long.class).findOne().orElse(null));
    }

    /** Forgets deliveries that are over (delivered or failed) and older than the cutoff. */
    int deleteFinishedOlderThan(Instant cutoff) {
        return jdbi.withHandle(h -> h.createUpdate("""
                        delete from webhook_delivery where status <> 'pending' and created_at < :cutoff""")
                .bind("cutoff", OffsetDateTime.ofInstant(cutoff, java.time.ZoneOffset.UTC)).execute());
    }

    /** What one attempt got. {@code statusCode} null: no HTTP answer (refused, timed out, ...). */
    record Outcome(Integer statusCode, String error, String response, int durationMs) {
        boolean success() {
            return statusCode != null && statusCode >= 200 && statusCode < 300;
        }

        String describe(String url) {
            return (statusCode != null ? "HTTP " + statusCode : error) + " from " + WebhookStore.origin(url);
        }
    }

    /** A 2xx: delivered, exactly once (a late or repeated success changes nothing). */
    void delivered(Claimed c, Outcome o) {
        jdbi.useTransaction(h -> {
            int n = h.createUpdate("""
                            update webhook_delivery
                               set status = 'delivered', delivered_at = now(), lease_until = null,
                                   last_status_code = :code, last_error = null, last_response = :response,
                                   last_duration_ms = :ms
                             where id = :id and status = 'pending'""")
                    .bind("id", c.id()).bind("code", o.statusCode()).bind("response", o.response())
                    .bind("ms", o.durationMs()).execute();
            if (n > 0) {
                h.createUpdate("""
                                update webhook set consecutive_failures = 0, failing_since = null
                                 where id = :id and consecutive_failures > 0""")
                        .bind("id", c.webhookId()).execute();
            }
        });
    }

    /**
     * A failed attempt: the next one after the backoff, or {@code failed} once the retry window is over. Counts
     * the failure against the subscription and pauses it after too many in a row.
     */
    void failed(Claimed c, Outcome o, Duration nextDelay, Duration window, int pauseAfter, Duration pauseFailingFor) {
        jdbi.useTransaction(h -> {
            // The attempt number fences a late result: if the lease ran out and another attempt began, this is stale.
            int n = h.createUpdate("""
                            update webhook_delivery
                               set status = case when now() + :delay * interval '1 millisecond'
                                                      > window_start + :window * interval '1 millisecond'
                                                 then 'failed' else 'pending' end,
                                   next_attempt_at = now() + :delay * interval '1 millisecond',
                                   lease_until = null,
                                   last_status_code = :code, last_error = :error, last_response = :response,
                                   last_duration_ms = :ms
                             where id = :id and status = 'pending' and attempts = :attempts""")
                    .bind("id", c.id()).bind("attempts", c.attempts())
                    .bind("delay", nextDelay.toMillis()).bind("window", window.toMillis())
                    .bind("code", o.statusCode()).bind("error", o.error()).bind("response", o.response())
                    .bind("ms", o.durationMs()).execute();
            if (n == 0) return;
            Optional<Map<String, Object>> w = h.createQuery("""
                            update webhook
                               set consecutive_failures = consecutive_failures + 1,
                                   failing_since = coalesce(failing_since, now())
                             where id = :id
                            returning active, consecutive_failures,
                                      failing_since <= now() - :failingFor * interval '1 millisecond' as long_enough""")
                    .bind("id", c.webhookId()).bind("failingFor", pauseFailingFor.toMillis())
                    .mapToMap().findOne();
            if (w.isEmpty()) return;
            boolean active = (Boolean) w.get().get("active");
            int failures = ((Number) w.get().get("consecutive_failures")).intValue();
            boolean longEnough = (Boolean) w.get().get("long_enough");
            if (!active || failures < pauseAfter || !longEnough) return;
            String reason = failures + " consecutive failed deliveries; last: " + o.describe(c.url());
            h.createUpdate("""
                            update webhook set active = false, paused_at = now(), paused_reason = :reason,
                                               updated_at = now()
                             where id = :id""")
                    .bind("id", c.webhookId()).bind("reason", reason).execute();
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("reason", reason);
            details.put("consecutive_failures", failures);
            Actor server = Actor.server();
            Changes.record(h, server, Change.of("webhook.paused", "webhook", c.webhookId().toString(), null, details));
        });
    }

    /** An attempt this process gave up on as it stopped: to be made again at once, by whichever process is up. */
    void release(Claimed c) {
        jdbi.useHandle(h -> h.createUpdate("""
                        update webhook_delivery set lease_until = null, next_attempt_at = now(),
                                                    last_error = 'interrupted: the server stopped during the attempt'
                         where id = :id and status = 'pending' and attempts = :attempts""")
                .bind("id", c.id()).bind("attempts", c.attempts()).execute());
    }
}
