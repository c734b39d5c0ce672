package storyboard.auth;

import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import storyboard.api.ApiException;
import storyboard.api.ErrorResponses;
import storyboard.api.JsonBody;
import storyboard.api.RequestParams;
import storyboard.kernel.Actor;
import storyboard.kernel.Api;
import storyboard.kernel.DomainException;
import storyboard.kernel.Page;
import storyboard.web.Pages;

/**
 * {@code /admin/users}: people's accounts by username (infinite scroll), a form for a new one, and changing a
 * role or disabling and enabling (each after a confirmation), with the API's own store commands: the last enabled
 * admin is kept, and disabling ends the user's sessions at once.
 */
public final class UserPages {
    private static final Set<String> LIST_PARAMS = Set.of("state", "cursor", "done", "user");
    private static final Set<String> STATES = Set.of("active", "disabled", "all");
    private static final Set<String> DONE = Set.of("created", "role", "disabled", "enabled");
    private static final Set<String> CREATE_FIELDS = Set.of("_csrf", "username", "display_name", "role", "password");
    private static final Set<String> CHANGE_FIELDS = Set.of("_csrf", "role", "disabled");

    /** The roles, in the order the forms offer them, with what each may do. */
    public static final List<TokenPages.Choice> ROLES = Arrays.stream(Role.values())
            .map(r -> new TokenPages.Choice(r.id(), r.id() + " (" + String.join(", ",
                    r.scopes().stream().map(s -> s.id()).sorted().toList()) + ")"))
            .toList();

    /** What the new-user form holds after a refusal (never the password). */
    public record Form(String username, String displayName, String role) {
        static Form blank() {
            return new Form("", "", "viewer");
        }
    }

    private final UserStore users;

    UserPages(UserStore users) {
        this.users = users;
    }

    void register(Api api) {
        api.get("/admin/users", this::list);
        api.get("/admin/users/rows", this::rows);
        api.get("/admin/users/new", this::form);
        api.post("/admin/users", this::create);
        api.post("/admin/users/{id}", this::change);
    }

    private void list(Context ctx) {
        RequestParams p = RequestParams.of(ctx, LIST_PARAMS);
        String state = p.oneOf("state", STATES).orElse("all");
        String notice = p.oneOf("done", DONE).flatMap(done -> p.string("user")
                .flatMap(id -> users.find(AdminPages.uuid("user", id))).map(u -> notice(done, u))).orElse(null);
        showList(ctx, 200, state, p.string("cursor"), notice, null);
    }

    private void showList(Context ctx, int status, String state, Optional<String> cursor, String notice, String error) {
        Map<String, Object> model = rowsModel(state, users.page(state, AdminPages.PAGE_SIZE, cursor));
        model.put("state", state);
        model.put("states", List.of("all", "active", "disabled"));
        model.put("notice", notice);
        model.put("error", error);
        ctx.status(status);
        Pages.render(ctx, "storyboard/auth/users.jte", model);
    }

    private static String notice(String done, UserStore.UserInfo u) {
        return switch (done) {
            case "created" -> "Created the user " + u.username() + " (" + u.role().id() + ").";
            case "role" -> u.username() + " is now " + u.role().id() + ".";
            case "disabled" -> "Disabled " + u.username() + ": they cannot sign in, and their sessions have ended.";
            default -> "Enabled " + u.username() + ": they can sign in again.";
        };
    }

    private void rows(Context ctx) {
        RequestParams p = RequestParams.of(ctx, Set.of("state", "cursor"));
        String state = p.oneOf("state", STATES).orElse("all");
        Pages.render(ctx, "storyboard/auth/userRows.jte",
                rowsModel(state, users.page(state, AdminPages.PAGE_SIZE, p.string("cursor"))));
    }

    private static Map<String, Object> rowsModel(String state, Page<UserStore.UserInfo> page) {
        Map<String, Object> model = AdminPages.listModel("/admin/users", "users", page, AdminPages.params("state", state));
        model.put("roles", ROLES);
        return model;
    }

    private void form(Context ctx) {
        RequestParams.of(ctx, Set.of());
        showForm(ctx, 200, Form.blank(), null, null);
    }

    private static void showForm(Context ctx, int status, Form form, String error, String field) {
        Map<String, Object> model = new HashMap<>();
        model.put("form", form);
        model.put("roles", ROLES);
        model.put("error", error);
        model.put("field", field);
        ctx.status(status);
        Pages.render(ctx, "storyboard/auth/userNew.jte", model);
    }

    private void create(Context ctx) {
        RequestParams.of(ctx, Set.of());
        PageForm f = PageForm.read(ctx, CREATE_FIELDS, Set.of());
        Form form = new Form(f.string("username").orElse(""), f.string("display_name").orElse(""),
                f.string("role").orElse(""));
        String password = f.raw("password").orElse("");
        UserStore.UserInfo created;
        try {
            created = users.create(Actor.of(ctx), new UserStore.NewUser(form.username(), form.displayName(),
                    role(form.role()), password));
        } catch (DomainException e) {
            showForm(ctx, ErrorResponses.toApi(e).status(), form, e.getMessage(), e.field());
            return;
        }
        ctx.redirect(AdminPages.url("/admin/users", AdminPages.params("done", "created", "user", created.id().toString())),
                HttpStatus.SEE_OTHER);
    }

    /** A new role, or disabled/enabled: one change per form (each had its confirmation). */
    private void change(Context ctx) {
        RequestParams.of(ctx, Set.of());
        PageForm f = PageForm.read(ctx, CHANGE_FIELDS, Set.of());
        UUID id = JsonBody.pathUuid(ctx, "id");
        Optional<String> roleField = f.string("role");
        Optional<String> disabledField = f.string("disabled");
        if (roleField.isPresent() == disabledField.isPresent()) {
            throw ApiException.badRequest("invalid_field", "change either the role or whether the user is disabled", "role");
        }
        UserStore.Edits edits;
        String done;
        if (roleField.isPresent()) {
            edits = new UserStore.Edits(role(roleField.get()), null, null, null);
            done = "role";
        } else {
            boolean disable = switch (disabledField.get()) {
                case "true" -> true;
                case "false" -> false;
                default -> throw ApiException.badRequest("invalid_field", "'disabled' must be true or false", "disabled");
            };
            edits = new UserStore.Edits(null, null, null, disable);
            done = disable ? "disabled" : "enabled";
        }
        Optional<UserStore.UserInfo> updated;
        try {
            updated = users.update(Actor.of(ctx), id, edits);
        } catch (DomainException e) {
            // e.g. the last enabled admin: the list again, saying why nothing changed.
            showList(ctx, ErrorResponses.toApi(e).status(), "all", Optional.empty(), null, e.getMessage());
            return;
        }
        if (updated.isEmpty()) throw ApiException.notFound("user " + id);
        ctx.redirect(AdminPages.url("/admin/users", AdminPages.params("done", done, "user", id.toString())),
                HttpStatus.SEE_OTHER);
    }

    private static Role role(String s) {
        try {
            return Role.parse(s);
        } catch (IllegalArgumentException e) {
            throw DomainException.invalid("invalid_field", "the role must be admin, editor or viewer", "role");
        }
    }
}
