package storyboard.events;

import io.javalin.http.Context;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import storyboard.kernel.Api;
import storyboard.api.ApiException;
import storyboard.api.JsonBody;
import storyboard.api.RequestParams;
import storyboard.kernel.Actor;

/** {@code /api/v1/webhooks}: subscriptions and their deliveries, for unrestricted admins. */
public record WebhookRoutes(WebhookStore store, WebhookDispatcher dispatcher) {
    static final int MAX_URL = 2000;
    static final int MAX_TYPES = 50;
    static final int MAX_DESCRIPTION = 500;
    static final int MAX_PROJECT = 200;
    static final int MIN_SECRET = 16;
    static final int MAX_SECRET = 200;
    private static final Set<String> CREATE_FIELDS = Set.of("url", "types", "project", "secret", "description");
    private static final Set<String> PATCH_FIELDS = Set.of("url", "types", "project", "secret", "description", "active");

    public void register(Api api) {
        String base = "/api/v1/webhooks";
        api.get(base, this::list);
        api.post(base, this::create);
        api.get(base + "/{id}", this::get);
        api.patch(base + "/{id}", this::update);
        api.delete(base + "/{id}", this::delete);
        api.get(base + "/{id}/deliveries", this::deliveries);
        api.get(base + "/{id}/deliveries/{deliveryId}", this::delivery);
        api.post(base + "/{id}/deliveries/{deliveryId}/redeliver", this::redeliver);
    }

    private void list(Context ctx) {
        RequestParams.of(ctx, Set.of());
        ctx.json(Map.of("items", store.list()));
    }

    private void create(Context ctx) {
        JsonBody body = JsonBody.read(ctx, CREATE_FIELDS);
        String url = url(body.requiredString("url", MAX_URL));
        List<String> types = types(body);
        String project = project(body);
        String secret = secret(body);
        String description = body.string("description", MAX_DESCRIPTION).orElse(null);
        WebhookStore.Created created = store.create(Actor.of(ctx),
                new WebhookStore.NewWebhook(url, description, types, project, secret));
        ctx.status(201).header("Cache-Control", "no-store").json(created);
    }

    private void get(Context ctx) {
        RequestParams.of(ctx, Set.of());
        ctx.json(webhook(ctx));
    }

    private void update(Context ctx) {
        UUID id = JsonBody.pathUuid(ctx, "id");
        JsonBody body = JsonBody.read(ctx, PATCH_FIELDS);
        if (PATCH_FIELDS.stream().noneMatch(body::names)) {
            throw ApiException.badRequest("missing_field", "give at least one of "
                    + String.join(", ", PATCH_FIELDS.stream().sorted().toList()), null);
        }
        Optional<String> url = Optional.empty();
        if (body.names("url")) url = Optional.of(url(body.requiredString("url", MAX_URL)));
        Optional<Optional<List<String>>> types = body.names("types") ? Optional.of(Optional.ofNullable(types(body)))
                : Optional.empty();
        Optional<Optional<String>> project = body.names("project") ? Optional.of(Optional.ofNullable(project(body)))
                : Optional.empty();
        Optional<Optional<String>> description = body.names("description")
                ? Optional.of(body.string("description", MAX_DESCRIPTION)) : Optional.empty();
        Optional<Boolean> active = body.bool("active");
        if (body.names("active") && active.isEmpty()) {
            throw ApiException.badRequest("invalid_field", "'active' must be true or false", "active");
        }
        Optional<String> secret = Optional.empty();
        if (body.names("secret")) {
            secret = Optional.ofNullable(secret(body));
            if (secret.isEmpty()) throw ApiException.badRequest("invalid_field", "'secret' cannot be removed", "secret");
        }
        WebhookStore.Webhook updated = store.update(Actor.of(ctx), id,
                        new WebhookStore.Edits(url, description, types, project, active, secret))
                .orElseThrow(() -> ApiException.notFound("webhook " + id));
        if (updated.active()) dispatcher.wake();
        ctx.json(updated);
    }

    private void delete(Context ctx) {
        RequestParams.of(ctx, Set.of());
        UUID id = JsonBody.pathUuid(ctx, "id");
        if (!store.delete(Actor.of(ctx), id)) throw ApiException.notFound("webhook " + id);
        ctx.status(204);
    }

    private void deliveries(Context ctx) {
        RequestParams p = RequestParams.of(ctx, Set.of("status", "limit", "cursor"));
        WebhookStore.Webhook w = webhook(ctx);
        Optional<String> status = p.oneOf("status", Set.of("pending", "delivered", "failed"));
        int limit = p.integer("limit", 50, 1, 500);
        ctx.json(store.deliveries(w.id(), status, limit, p.string("cursor")));
    }

    private void delivery(Context ctx) {
        RequestParams.of(ctx, Set.of());
        WebhookStore.Webhook w = webhook(ctx);
        UUID deliveryId = JsonBody.pathUuid(ctx, "deliveryId");
        ctx.json(store.delivery(w.id(), deliveryId).orElseThrow(() -> ApiException.notFound("delivery " + deliveryId)));
    }

    private void redeliver(Context ctx) {
        RequestParams.of(ctx, Set.of());
        UUID id = JsonBody.pathUuid(ctx, "id");
        UUID deliveryId = JsonBody.pathUuid(ctx, "deliveryId");
        ctx.status(202).json(new Redelivery(store, dispatcher).redeliver(Actor.of(ctx), id, deliveryId));
    }

    private WebhookStore.Webhook webhook(Context ctx) {
        UUID id = JsonBody.pathUuid(ctx, "id");
        return store.find(id).orElseThrow(() -> ApiException.notFound("webhook " + id));
    }

    // ---- validation ----------------------------------------------------------------------------------------

    static String url(String raw) {
        String s = raw.trim();
        URI u;
        try {
            u = new URI(s);
        } catch (URISyntaxException e) {
            throw invalidUrl("'url' is not a valid URL: " + e.getReason());
        }
        String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw invalidUrl("'url' must be an http or https URL such as https://hooks.example.com/storyboard");
        }
        if (u.getHost() == null || u.getHost().isEmpty()) throw invalidUrl("'url' must name a host");
        if (u.getRawUserInfo() != null) {
            throw invalidUrl("'url' must not hold a user name or password; the receiver checks the signature instead");
        }
        if (u.getRawFragment() != null) throw invalidUrl("'url' must not have a #fragment");
        return s;
    }

    private static ApiException invalidUrl(String message) {
        return ApiException.badRequest("invalid_field", message, "url");
    }

    /** Null: every type. */
    private static List<String> types(JsonBody body) {
        Optional<List<String>> types = body.strings("types", MAX_TYPES, 200);
        if (types.isEmpty()) return null;
        if (types.get().isEmpty()) {
            throw ApiException.badRequest("invalid_field", "'types' must name at least one type; omit it (or give null) "
                    + "for every type", "types");
        }
        for (String t : types.get()) {
            if (!t.matches("[a-z_]+(\\.[a-z_]+)*(\\.\\*)?")) {
                throw ApiException.badRequest("invalid_field", "'types' holds event types such as prompt_log.created "
                        + "or prefixes such as prompt_log.*, not '" + t + "'", "types");
            }
        }
        return List.copyOf(new java.util.LinkedHashSet<>(types.get()));
    }

    private static String project(JsonBody body) {
        Optional<String> p = body.string("project", MAX_PROJECT);
        if (p.isPresent() && p.get().isBlank()) {
            throw ApiException.badRequest("invalid_field", "'project' must not be empty; omit it for every project", "project");
        }
        return p.orElse(null);
    }

    /** Null: generate one. */
    private static String secret(JsonBody body) {
        Optional<String> s = body.string("secret", MAX_SECRET);
        if (s.isPresent() && (s.get().length() < MIN_SECRET || !s.get().equals(s.get().strip()))) {
            throw ApiException.badRequest("invalid_field", "'secret' must be at least " + MIN_SECRET
                    + " characters without surrounding spaces; omit it to have one generated", "secret");
        }
        return s.orElse(null);
    }
}
