package storyboard.auth;

import storyboard.kernel.Actor;
import io.javalin.http.Context;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import storyboard.kernel.Api;
import storyboard.api.ApiException;
import storyboard.api.JsonBody;
import storyboard.api.RequestParams;

/** {@code /api/v1/users}: people's accounts, for admins. Answers never hold a password or its hash. */
public record UserRoutes(UserStore users) {
    private static final Set<String> CREATE_FIELDS = Set.of("username", "password", "role", "display_name");
    private static final Set<String> UPDATE_FIELDS = Set.of("role", "display_name", "password", "disabled");

    public void register(Api api) {
        api.get("/api/v1/users", this::list);
        api.post("/api/v1/users", this::create);
        api.get("/api/v1/users/{id}", this::get);
        api.patch("/api/v1/users/{id}", this::update);
        api.delete("/api/v1/users/{id}", this::delete);
    }

    private void list(Context ctx) {
        RequestParams params = RequestParams.of(ctx, Set.of("state"));
        String state = params.oneOf("state", Set.of("active", "disabled", "all")).orElse("all");
        List<UserStore.UserInfo> items = users.list().stream()
                .filter(u -> state.equals("all") || state.equals("disabled") == u.disabled())
                .toList();
        ctx.json(Map.of("items", items));
    }

    private void create(Context ctx) {
        RequestParams.of(ctx, Set.of());
        JsonBody body = JsonBody.read(ctx, CREATE_FIELDS);
        String username = body.requiredString("username", 1024);
        String password = body.requiredString("password", Passwords.MAX_LENGTH * 4);
        Role role = role(body.requiredString("role", 100));
        String displayName = body.string("display_name", 1024).orElse(null);
        UserStore.UserInfo created = users.create(Actor.of(ctx), new UserStore.NewUser(username, displayName, role, password));
        ctx.status(201).json(created);
    }

    private void get(Context ctx) {
        RequestParams.of(ctx, Set.of());
        UUID id = JsonBody.pathUuid(ctx, "id");
        ctx.json(users.find(id).orElseThrow(() -> ApiException.notFound("user " + id)));
    }

    private void update(Context ctx) {
        RequestParams.of(ctx, Set.of());
        UUID id = JsonBody.pathUuid(ctx, "id");
        JsonBody body = JsonBody.read(ctx, UPDATE_FIELDS);
        Role role = body.string("role", 100).map(UserRoutes::role).orElse(null);
        String displayName = body.string("display_name", 1024).orElse(null);
        String password = body.string("password", Passwords.MAX_LENGTH * 4).orElse(null);
        Boolean disabled = body.bool("disabled").orElse(null);
        UserStore.Edits change = new UserStore.Edits(role, displayName, password, disabled);
        if (change.isEmpty()) {
            throw ApiException.badRequest("missing_field", "give at least one of role, display_name, password, disabled", null);
        }
        UserStore.UserInfo updated = users.update(Actor.of(ctx), id, change)
                .orElseThrow(() -> ApiException.notFound("user " + id));
        ctx.json(updated);
    }

    private void delete(Context ctx) {
        RequestParams.of(ctx, Set.of());
        UUID id = JsonBody.pathUuid(ctx, "id");
        if (users.delete(Actor.of(ctx), id).isEmpty()) throw ApiException.notFound("user " + id);
        ctx.status(204);
    }

    private static Role role(String s) {
        try {
            return Role.parse(s);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("invalid_field", "'role' must be admin, editor or viewer", "role");
        }
    }
}
