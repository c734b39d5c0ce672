package storyboard.events;

import java.util.UUID;
import storyboard.kernel.Actor;
import storyboard.kernel.DomainException;

/**
 * Sending a webhook delivery again, the one command behind the API's {@code POST .../redeliver} and the dashboard's
 * Redeliver button: the delivery must exist and its subscription be active; it is audited as
 * {@code webhook.redeliver} and the dispatcher is woken to send it at once.
 */
record Redelivery(WebhookStore store, WebhookDispatcher dispatcher) {

    WebhookStore.Delivery redeliver(Actor actor, UUID webhookId, UUID deliveryId) {
        WebhookStore.Webhook w = store.find(webhookId).orElseThrow(() -> DomainException.notFound("webhook " + webhookId));
        if (store.delivery(w.id(), deliveryId).isEmpty()) throw DomainException.notFound("delivery " + deliveryId);
        if (!w.active()) {
            throw DomainException.conflict("webhook_inactive", "webhook " + w.id() + " is " + w.state()
                    + "; resume it first (PATCH {\"active\": true})");
        }
        WebhookStore.Delivery d = store.redeliver(actor, w.id(), deliveryId)
                .orElseThrow(() -> DomainException.notFound("delivery " + deliveryId));
        dispatcher.wake();
        return d;
    }
}
