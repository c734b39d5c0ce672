package storyboard.auth;

import storyboard.kernel.Scope;
import storyboard.kernel.Actor;
import storyboard.kernel.Principal;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import io.javalin.http.Context;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import storyboard.kernel.Api;
import storyboard.api.ApiException;
import storyboard.api.Durations;
import storyboard.api.JsonBody;
import storyboard.api.RequestParams;

/** {@code /api/v1/tokens} (admin) and {@code /api/v1/me} (any credential). */
public record TokenRoutes(TokenStore tokens) {
    private static final Set<String> CREATE_FIELDS = Set.of("name", "scopes", "projects", "expires_at", "expires_in",
            "rate_limit");

    public void register(Api api) {
        api.get("/api/v1/me", this::me);
        api.get("/api/v1/tokens", this::list);
        api.post("/api/v1/tokens", this::create);
        api.get("/api/v1/tokens/{id}", this::get);
        api.delete("/api/v1/tokens/{id}", this::revoke);
    }

    /** The credential of the request, as {@code GET /api/v1/me} shows it (projects null: every project). */
    record Me(String kind, String id, String name, List<String> scopes, List<String> projects) {
        static Me of(Principal p) {
            return new Me(p.kind().name().toLowerCase(Locale.ROOT), p.id(), p.name(),
                    p.scopes().stream().map(Scope::id).sorted().toList(),
                    p.restricted() ? p.projects().stream().sorted().toList() : null);
        }
    }

    /** A token just created and, this once, its text. */
    record Created(@JsonUnwrapped TokenStore.TokenJson info, String token) {}

    private void me(Context ctx) {
        RequestParams.of(ctx, Set.of());
        ctx.json(Me.of(Principal.of(ctx)));
    }

    private void list(Context ctx) {
        RequestParams params = RequestParams.of(ctx, Set.of("state"));
        String state = params.oneOf("state", Set.of("active", "revoked", "expired", "all")).orElse("all");
        List<TokenStore.TokenJson> items = tokens.list().stream()
                .filter(t -> state.equals("all") || t.state().equals(state))
                .map(TokenStore.TokenInfo::toJson).toList();
        ctx.json(Map.of("items", items));
    }

    private void create(Context ctx) {
        JsonBody body = JsonBody.read(ctx, CREATE_FIELDS);
        String name = body.requiredString("name", TokenRequests.MAX_NAME);
        List<String> scopeNames = body.strings("scopes", 10, 20).orElseThrow(() ->
                ApiException.badRequest("missing_field", "'scopes' is required, e.g. [\"ingest\"]", "scopes"));
        Set<Scope> scopes = new LinkedHashSet<>();
        for (String s : scopeNames) {
            try {
                scopes.add(Scope.parse(s));
            } catch (IllegalArgumentException e) {
                throw ApiException.badRequest("invalid_field", e.getMessage(), "scopes");
            }
        }
        Set<String> projects = body.strings("projects", TokenRequests.MAX_PROJECTS, TokenRequests.MAX_PROJECT)
                .map(LinkedHashSet::new).orElse(null);
        if (body.has("expires_at") && body.has("expires_in")) {
            throw ApiException.badRequest("invalid_field", "give 'expires_at' or 'expires_in', not both", "expires_in");
        }
        Instant expiresAt = body.instant("expires_at").orElse(null);
        if (body.has("expires_in")) {
            String in = body.string("expires_in", 20).orElseThrow().trim();
            if (!in.matches("\\d{1,6}[dhm]")) {
                throw ApiException.badRequest("invalid_field", "'expires_in' must be a duration such as 30d, 12h or 90m",
                        "expires_in");
            }
            expiresAt = Instant.now().plus(Durations.parse(in).orElseThrow());
        }
        Integer rateLimit = body.integer("rate_limit", 0, TokenRequests.MAX_RATE_LIMIT).orElse(null);
        TokenStore.NewToken spec = TokenRequests.validate(name, scopes, projects, expiresAt, rateLimit);
        TokenStore.CreatedToken created = tokens.create(Actor.of(ctx), spec);
        ctx.status(201).header("Cache-Control", "no-store").json(new Created(created.info().toJson(), created.token()));
    }

    private void get(Context ctx) {
        RequestParams.of(ctx, Set.of());
        UUID id = JsonBody.pathUuid(ctx, "id");
        ctx.json(tokens.find(id).orElseThrow(() -> ApiException.notFound("token " + id)).toJson());
    }

    /** Revokes; repeating it is harmless (204 again), an unknown id is a 404. */
    private void revoke(Context ctx) {
        RequestParams.of(ctx, Set.of());
        UUID id = JsonBody.pathUuid(ctx, "id");
        if (tokens.revoke(Actor.of(ctx), id.toString()).isEmpty() && tokens.find(id).isEmpty()) {
            throw ApiException.notFound("token " + id);
        }
        ctx.status(204);
    }
}
