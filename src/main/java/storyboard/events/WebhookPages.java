package storyboard.events;

import io.javalin.http.Context;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import storyboard.api.ApiException;
import storyboard.api.JsonBody;
import storyboard.api.RequestParams;
import storyboard.kernel.Actor;
import storyboard.kernel.Api;
import storyboard.kernel.Page;
import storyboard.web.Pages;

/**
 * The dashboard's webhooks, server-wide like their API (unrestricted admins only): {@code /webhooks} lists the
 * subscriptions with their deliveries' counts, {@code /webhooks/{id}} one subscription and its deliveries (status,
 * attempts, response), newest first, a page at a time; each delivery's Redeliver button posts to the same command
 * as the API's ({@link Redelivery}), so it is audited the same way.
 */
public final class WebhookPages {
    static final int PAGE = 50;
    private static final Set<String> STATUSES = Set.of("pending", "delivered", "failed");

    private final WebhookStore store;
    private final Redelivery redelivery;

    WebhookPages(WebhookStore store, WebhookDispatcher dispatcher) {
        this.store = store;
        this.redelivery = new Redelivery(store, dispatcher);
    }

    void register(Api api) {
        api.get("/webhooks", this::list);
        api.get("/webhooks/{id}", this::webhook);
        api.post("/webhooks/{id}/deliveries/{deliveryId}/redeliver", this::redeliver);
    }

    /** A subscription in the list, with how many of its deliveries are pending, delivered and failed. */
    public record Item(WebhookStore.Webhook webhook, long pending, long delivered, long failed) {}

    private void list(Context ctx) {
        RequestParams p = RequestParams.of(ctx, Set.of("cursor"));
        Optional<String> cursor = p.string("cursor");
        Page<WebhookStore.Webhook> page = store.page(PAGE, cursor);
        Map<UUID, Map<String, Long>> counts = store.deliveryCounts(page.items().stream().map(WebhookStore.Webhook::id).toList());
        List<Item> items = page.items().stream().map(w -> {
            Map<String, Long> c = counts.getOrDefault(w.id(), Map.of());
            return new Item(w, c.getOrDefault("pending", 0L), c.getOrDefault("delivered", 0L), c.getOrDefault("failed", 0L));
        }).toList();
        Map<String, Object> params = Map.of("items", items, "next", Optional.ofNullable(page.nextCursor()));
        if (cursor.isPresent() && ctx.header("HX-Request") != null) {
            Pages.render(ctx, "storyboard/events/webhookRows.jte", params);
        } else {
            Pages.render(ctx, "storyboard/events/webhooks.jte", params);
        }
    }

    private void webhook(Context ctx) {
        RequestParams p = RequestParams.of(ctx, Set.of("status", "cursor"));
        WebhookStore.Webhook w = find(ctx);
        Optional<String> status = p.oneOf("status", STATUSES);
        Optional<String> cursor = p.string("cursor");
        Page<WebhookStore.Delivery> page = store.deliveries(w.id(), status, PAGE, cursor);
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("webhook", w);
        params.put("deliveries", page.items());
        params.put("status", status.orElse(""));
        params.put("next", Optional.ofNullable(page.nextCursor()));
        if (cursor.isPresent() && ctx.header("HX-Request") != null) {
            Pages.render(ctx, "storyboard/events/deliveryRows.jte", params);
            return;
        }
        Map<String, Long> counts = store.deliveryCounts(List.of(w.id())).getOrDefault(w.id(), Map.of());
        params.put("counts", counts);
        Pages.render(ctx, "storyboard/events/webhook.jte", params);
    }

    /**
     * Sends a delivery again. htmx gets the delivery's updated row; a plain form post is sent back to the
     * subscription's page.
     */
    private void redeliver(Context ctx) {
        RequestParams.of(ctx, Set.of());
        UUID id = JsonBody.pathUuid(ctx, "id");
        UUID deliveryId = JsonBody.pathUuid(ctx, "deliveryId");
        for (String field : ctx.formParamMap().keySet()) {
            if (!field.equals("_csrf")) {
                throw ApiException.badRequest("unknown_field", "unknown form field '" + field + "' (known: _csrf)", field);
            }
        }
        WebhookStore.Delivery d = redelivery.redeliver(Actor.of(ctx), id, deliveryId);
        if (ctx.header("HX-Request") != null) {
            WebhookStore.Webhook w = find(ctx);
            Pages.render(ctx, "storyboard/events/deliveryRow.jte", Map.of("webhook", w, "delivery", d, "redelivered", true));
        } else {
            ctx.status(303).header("Location", "/webhooks/" + id + "?status=pending");
        }
    }

    private WebhookStore.Webhook find(Context ctx) {
        UUID id = JsonBody.pathUuid(ctx, "id");
        return store.find(id).orElseThrow(() -> ApiException.notFound("webhook " + id));
    }

    /** What a subscription is called on its page: its description, else where it sends. */
    public static String name(WebhookStore.Webhook w) {
        return w.description() != null && !w.description().isBlank() ? w.description() : WebhookStore.origin(w.url());
    }

    /** The time of an {@link Instant}, or null, for a {@code <time datetime>}. */
    public static String iso(Instant t) {
        return t == null ? null : t.toString();
    }
}
