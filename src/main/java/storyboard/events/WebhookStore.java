package storyboard.events;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.net.URI;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import storyboard.kernel.Actor;
import storyboard.kernel.Change;
import storyboard.kernel.Changes;
import storyboard.kernel.Cursor;
import storyboard.kernel.Page;
import storyboard.kernel.Visibility;

/**
 * The SQL of webhook subscriptions and their deliveries as the API sees them. Every change made through the API is
 * audited and appended to the event log in its own transaction. The dispatcher's side is {@link DeliveryQueue}.
 */
public final class WebhookStore {
    private static final String DELIVERIES = "webhook_deliveries";

    private final Jdbi jdbi;

    public WebhookStore(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** A subscription's public facts (never its secret), as the API shows them. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonPropertyOrder({"id", "url", "description", "types", "project", "active", "state"})
    public record Webhook(UUID id, String url, String description, List<String> types, String project,
                          boolean active, Instant pausedAt, String pausedReason, int consecutiveFailures,
                          Instant failingSince, @JsonIgnore long lastSeq, Instant createdAt, String createdBy,
                          Instant updatedAt) {
        /** active, paused (by the server, after failures) or disabled (by an admin). */
        @JsonProperty
        public String state() {
            if (active) return "active";
            return pausedAt != null ? "paused" : "disabled";
        }

        EventLog.Filter filter() {
            return new EventLog.Filter(types == null ? List.of() : types, project, Visibility.ALL, true);
        }

        /** What events and the audit trail say about it: no secret, and only the origin of the URL. */
        Map<String, Object> summary() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("url_origin", origin(url));
            m.put("types", types);
            m.put("project", project);
            m.put("active", active);
            return m;
        }
    }

    /** The scheme, host and port of a URL: its path or query may hold a credential of the receiver. */
    static String origin(String url) {
        try {
            URI u = URI.create(url);
            return u.getScheme() + "://" + u.getHost() + (u.getPort() < 0 ? "" : ":" + u.getPort());
        } catch (IllegalArgumentException e) {
            return "(invalid url)";
        }
    }

    public record NewWebhook(String url, String description, List<String> types, String project, String secret) {}

    /** A change to a subscription: absent fields stay as they are; {@code types}/{@code project} may be set to null. */
    public record Edits(Optional<String> url, Optional<Optional<String>> description,
                         Optional<Optional<List<String>>> types, Optional<Optional<String>> project,
                         Optional<Boolean> active, Optional<String> secret) {}

    /**
     * A delivery as the API shows it: when the next attempt is due only while pending, and the body sent only
     * where one delivery is shown (absent from listings).
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Delivery(UUID id, UUID webhookId, long eventSeq, String eventType, String status, int attempts,
                           Instant nextAttemptAt, Instant lastAttemptAt, Integer lastStatusCode, String lastError,
                           String lastResponse, Integer lastDurationMs, Instant deliveredAt, Instant createdAt,
                           @JsonInclude(JsonInclude.Include.NON_NULL) String body) {}

    /** A subscription just created and, this once, its secret. */
    public record Created(@JsonUnwrapped Webhook webhook, String secret) {}

    // ---- subscriptions -------------------------------------------------------------------------------------

    public Created create(Actor actor, NewWebhook w) {
        UUID id = UUID.randomUUID();
        String secret = w.secret() != null ? w.secret() : WebhookSignature.newSecret();
        return jdbi.inTransaction(h -> {
            h.createUpdate("""
                            insert into webhook (id, url, description, types, project, secret, last_seq, created_by)
                            values (:id, :url, :description, :types, :project, :secret, 0, :createdBy)""")
                    .bind("id", id)
                    .bind("url", w.url())
                    .bind("description", w.description())
                    .bindArray("types", String.class, w.types())
                    .bind("project", w.project())
                    .bind("secret", secret)
                    .bind("createdBy", actor.describe())
                    .execute();
            Webhook created = find(h, id).orElseThrow();
            Changes.record(h, actor, Change.of("webhook.created", "webhook", id.toString(), null, created.summary()));
            // The append holds the log's lock to commit: every event up to its own is committed or ours, so the
            // subscription starts right after its creation event, and gets everything later.
            h.createUpdate("update webhook set last_seq = (select coalesce(max(seq), 0) from event) where id = :id")
                    .bind("id", id).execute();
            return new Created(created, secret);
        });
    }

    public List<Webhook> list() {
        return jdbi.withHandle(h -> h.createQuery("select * from webhook order by created_at, id")
                .map((rs, ctx) -> webhook(rs)).list());
    }

    /** The listing name of {@link #page} cursors. */
    static final String WEBHOOKS = "webhooks";

    /** A page of the subscriptions, oldest first, keyset-paginated on (created_at, id). */
    public Page<Webhook> page(int limit, Optional<String> cursor) {
        Optional<Cursor> after = Cursor.decode(cursor, WEBHOOKS, 2);
        List<Webhook> rows = jdbi.withHandle(h -> {
            var q = h.createQuery("select * from webhook"
                    + (after.isPresent() ? " where (created_at, id) > (:at, :id)" : "")
                    + " order by created_at, id limit :limit").bind("limit", limit + 1);
            after.ifPresent(c -> q.bind("at", c.time(0)).bind("id", c.uuid(1)));
            return q.map((rs, ctx) -> webhook(rs)).list();
        });
        return Page.of(rows, limit, w -> Cursor.of(WEBHOOKS, w.createdAt(), w.id()));
    }

    /** How many deliveries of each status (pending, delivered, failed) each of these subscriptions has. */
    public Map<UUID, Map<String, Long>> deliveryCounts(List<UUID> webhookIds) {
        if (webhookIds.isEmpty()) return Map.of();
        return jdbi.withHandle(h -> h.createQuery("select webhook_id, status, count(*) as n from webhook_delivery"
                        + " where webhook_id = any(:ids) group by webhook_id, status")
                .bindArray("ids", UUID.class, webhookIds)
                .reduceRows(new LinkedHashMap<UUID, Map<String, Long>>(), (m, row) -> {
                    m.computeIfAbsent(row.getColumn("webhook_id", UUID.class), k -> new LinkedHashMap<>())
                            .put(row.getColumn("status", String.class), row.getColumn("n", Long.class));
                    return m;
                }));
    }

    public Optional<Webhook> find(UUID id) {
        return jdbi.withHandle(h -> find(h, id));
    }

    private static Optional<Webhook> find(Handle h, UUID id) {
        return h.createQuery("select * from webhook where id = :id").bind("id", id).map((rs, ctx) -> webhook(rs)).findOne();
    }

    public Optional<Webhook> update(Actor actor, UUID id, Edits c) {
        return jdbi.inTransaction(h -> {
            Optional<Webhook> before = h.createQuery("select * from webhook where id = :id for update")
                    .bind("id", id).map((rs, ctx) -> webhook(rs)).findOne();
            if (before.isEmpty()) return Optional.empty();
            Webhook b = before.get();
            List<String> sets = new ArrayList<>();
            Map<String, Object> bind = new LinkedHashMap<>();
            Map<String, Object> changed = new LinkedHashMap<>();
            c.url().ifPresent(u -> {
                sets.add("url = :url");
                bind.put("url", u);
                changed.put("url_origin", origin(u));
            });
            c.description().ifPresent(d -> {
                sets.add("description = :description");
                bind.put("description", d.orElse(null));
                changed.put("description", d.orElse(null));
            });
            c.project().ifPresent(p -> {
                sets.add("project = :project");
                bind.put("project", p.orElse(null));
                changed.put("project", p.orElse(null));
            });
            c.secret().ifPresent(s -> {
                sets.add("secret = :secret");
                bind.put("secret", s);
                changed.put("secret", "(changed)");
            });
            c.active().ifPresent(a -> {
                sets.add("active = :active");
                bind.put("active", a);
                changed.put("active", a);
                if (a) {
                    // Resuming starts afresh: the failure count, and a new retry window for what is still pending.
                    sets.add("paused_at = null, paused_reason = null, consecutive_failures = 0, failing_since = null");
                }
            });
            c.types().ifPresent(t -> {
                sets.add("types = :types");
                changed.put("types", t.orElse(null));
            });
            var update = h.createUpdate("update webhook set updated_at = now()"
                    + sets.stream().map(x -> ", " + x).reduce("", String::concat) + " where id = :id")
                    .bindMap(bind).bind("id", id);
            c.types().ifPresent(t -> update.bindArray("types", String.class, t.orElse(null)));
            update.execute();
            if (c.active().orElse(false) && !b.active()) {
                h.createUpdate("""
                                update webhook_delivery set window_start = now(), next_attempt_at = now()
                                 where webhook_id = :id and status = 'pending'""")
                        .bind("id", id).execute();
            }
            Webhook after = find(h, id).orElseThrow();
            Changes.record(h, actor, Change.of("webhook.updated", "webhook", id.toString(), null, changed));
            return Optional.of(after);
        });
    }

    public boolean delete(Actor actor, UUID id) {
        return jdbi.inTransaction(h -> {
            // Deliveries first, then the webhook: the order in which a sender records a delivery's outcome (its row,
            // then the webhook's failure count). The cascade alone took them the other way round and could deadlock.
            h.createUpdate("delete from webhook_delivery where webhook_id = :id").bind("id", id).execute();
            Optional<Webhook> w = h.createQuery("delete from webhook where id = :id returning *")
                    .bind("id", id).map((rs, ctx) -> webhook(rs)).findOne();
            if (w.isEmpty()) return false;
            Changes.record(h, actor, Change.of("webhook.deleted", "webhook", id.toString(), null, w.get().summary()));
            return true;
        });
    }

    // ---- deliveries (API) ----------------------------------------------------------------------------------

    /** Newest event first, keyset-paginated on the event's sequence number. */
    public Page<Delivery> deliveries(UUID webhookId, Optional<String> status, int limit, Optional<String> cursor) {
        Optional<Long> before = Cursor.decode(cursor, DELIVERIES, 1).map(c -> c.number(0));
        List<Delivery> rows = jdbi.withHandle(h -> {
            var q = h.createQuery("select * from webhook_delivery where webhook_id = :w"
                            + (status.isPresent() ? " and status = :status" : "")
                            + (before.isPresent() ? " and event_seq < :before" : "")
                            + " order by event_seq desc limit :limit")
                    .bind("w", webhookId)
                    .bind("limit", limit + 1);
            status.ifPresent(v -> q.bind("status", v));
            before.ifPresent(v -> q.bind("before", v));
            return q.map((rs, ctx) -> delivery(rs, false)).list();
        });
        return Page.of(rows, limit, d -> Cursor.of(DELIVERIES, d.eventSeq()));
    }

    public Optional<Delivery> delivery(UUID webhookId, UUID deliveryId) {
        return jdbi.withHandle(h -> h.createQuery("select * from webhook_delivery where id = :id and webhook_id = :w")
                .bind("id", deliveryId).bind("w", webhookId).map((rs, ctx) -> delivery(rs, true)).findOne());
    }

    /** Sends a delivery again, whatever its status: pending at once, with a fresh retry window. */
    public Optional<Delivery> redeliver(Actor actor, UUID webhookId, UUID deliveryId) {
        return jdbi.inTransaction(h -> {
            Optional<Delivery> d = h.createQuery("""
                            update webhook_delivery
                               set status = 'pending', window_start = now(), delivered_at = null,
                                   -- an attempt in flight goes on (its result counts); otherwise at once
                                   next_attempt_at = case when status = 'pending' and lease_until > now()
                                                          then next_attempt_at else now() end
                             where id = :id and webhook_id = :w
                            returning *""")
                    .bind("id", deliveryId).bind("w", webhookId).map((rs, ctx) -> delivery(rs, false)).findOne();
            d.ifPresent(x -> Changes.audit(h, actor, Change.of("webhook.redeliver", "webhook_delivery", deliveryId.toString(), null, Map.of("webhook_id", webhookId.toString(), "event_seq", x.eventSeq()))));
            return d;
        });
    }

    // ---- rows ----------------------------------------------------------------------------------------------

    static Webhook webhook(ResultSet rs) throws SQLException {
        Array types = rs.getArray("types");
        return new Webhook(rs.getObject("id", UUID.class), rs.getString("url"), rs.getString("description"),
                types == null ? null : List.of((String[]) types.getArray()), rs.getString("project"),
                rs.getBoolean("active"), instant(rs, "paused_at"), rs.getString("paused_reason"),
                rs.getInt("consecutive_failures"), instant(rs, "failing_since"), rs.getLong("last_seq"),
                instant(rs, "created_at"), rs.getString("created_by"), instant(rs, "updated_at"));
    }

    private static Delivery delivery(ResultSet rs, boolean withBody) throws SQLException {
        String status = rs.getString("status");
        return new Delivery(rs.getObject("id", UUID.class), rs.getObject("webhook_id", UUID.class),
                rs.getLong("event_seq"), rs.getString("event_type"), status, rs.getInt("attempts"),
                status.equals("pending") ? instant(rs, "next_attempt_at") : null, instant(rs, "last_attempt_at"),
                (Integer) rs.getObject("last_status_code"), rs.getString("last_error"), rs.getString("last_response"),
                (Integer) rs.getObject("last_duration_ms"), instant(rs, "delivered_at"), instant(rs, "created_at"),
                withBody ? rs.getString("body") : null);
    }

    static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }
}
