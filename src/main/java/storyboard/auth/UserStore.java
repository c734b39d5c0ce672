package storyboard.auth;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import storyboard.kernel.Changes;
import storyboard.kernel.Cursor;
import storyboard.kernel.Page;
import storyboard.kernel.DomainException;
import storyboard.kernel.Change;
import storyboard.kernel.Scope;
import storyboard.kernel.Actor;
import storyboard.kernel.Principal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * The SQL of people's accounts. Every change is written to the audit trail in its own transaction; a new
 * password or a disabled account ends the user's sessions in that same transaction. Hashes never leave this
 * class except to {@link #credentials} for the sign-in check.
 */
public final class UserStore {
    public static final int MAX_USERNAME = 64;
    public static final int MAX_DISPLAY_NAME = 200;
    private static final Pattern USERNAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@+-]{0,63}");

    private final Jdbi jdbi;

    public UserStore(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** A user's public facts (never the hash), as the API shows them. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonPropertyOrder({"id", "username", "display_name", "role", "scopes", "state"})
    public record UserInfo(UUID id, String username, String displayName, Role role, Instant createdAt,
                           String createdBy, Instant updatedAt, Instant disabledAt, Instant lastLoginAt) {
        public boolean disabled() {
            return disabledAt != null;
        }

        public Principal principal() {
            return new Principal(Principal.Kind.USER, id.toString(), username, role.scopes(), null, null);
        }

        /** What the role may do, by scope name. */
        @JsonProperty
        public List<String> scopes() {
            return role.scopes().stream().map(Scope::id).sorted().toList();
        }

        @JsonProperty
        public String state() {
            return disabled() ? "disabled" : "active";
        }
    }

    /** A user and the stored hash, for the sign-in check only. */
    public record Credentials(UserInfo user, String passwordHash) {
        @Override
        public String toString() {
            return "Credentials[" + user.username() + "]"; // never the hash, even in a debugger's or log's view
        }
    }

    public record NewUser(String username, String displayName, Role role, String password) {
        @Override
        public String toString() {
            return "NewUser[" + username + ", " + role + "]";
        }
    }

    /** A change: null fields stay as they are; an empty display name clears it. */
    public record Edits(Role role, String displayName, String password, Boolean disabled) {
        public boolean isEmpty() {
            return role == null && displayName == null && password == null && disabled == null;
        }

        @Override
        public String toString() {
            return "Edits[role=" + role + ", displayName=" + displayName + ", password=" + (password == null ? "unchanged" : "***")
                    + ", disabled=" + disabled + "]";
        }
    }

    /** Input that breaks a rule ({@code invalid_field}), naming the field; the CLI shows the message. */
    public static final class InvalidField extends DomainException {
        InvalidField(String field, String message) {
            super(Kind.INVALID, "invalid_field", message, field);
        }
    }

    /** A change the current state forbids: {@code username_taken} or {@code last_admin}. */
    public static final class Conflict extends DomainException {
        Conflict(String code, String message) {
            super(Kind.CONFLICT, code, message, null);
        }
    }

    public static String validUsername(String username) {
        if (username == null || username.isBlank()) throw new InvalidField("username", "a username is required");
        String u = username.strip();
        if (!USERNAME.matcher(u).matches()) {
            throw new InvalidField("username", "a username has 1 to " + MAX_USERNAME
                    + " characters: letters, digits and . _ @ + - (starting with a letter or digit)");
        }
        return u;
    }

    /** The display name to store: stripped, null when empty. */
    public static String validDisplayName(String displayName) {
        if (displayName == null) return null;
        String d = displayName.strip();
        if (d.isEmpty()) return null;
        if (d.length() > MAX_DISPLAY_NAME) {
            throw new InvalidField("display_name", "the display name is longer than " + MAX_DISPLAY_NAME + " characters");
        }
        if (d.chars().anyMatch(Character::isISOControl)) {
            throw new InvalidField("display_name", "the display name must not contain control characters");
        }
        return d;
    }

    private static String validPasswordHash(String password) {
        String problem = Passwords.problem(password);
        if (problem != null) throw new InvalidField("password", problem);
        return Passwords.hash(password);
    }

    public UserInfo create(Actor actor, NewUser u) {
        String username = validUsername(u.username());
        String displayName = validDisplayName(u.displayName());
        if (u.role() == null) throw new InvalidField("role", "a role is required (admin, editor or viewer)");
        String hash = validPasswordHash(u.password());
        UUID id = UUID.randomUUID();
        return jdbi.inTransaction(h -> {
            int inserted = h.createUpdate("""
                            insert into app_user (id, username, display_name, role, password_hash, created_by)
                            values (:id, :username, :displayName, :role, :hash, :createdBy)
                            on conflict do nothing""")
                    .bind("id", id)
                    .bind("username", username)
                    .bind("displayName", displayName)
                    .bind("role", u.role().id())
                    .bind("hash", hash)
                    .bind("createdBy", actor.describe())
                    .execute();
            if (inserted == 0) throw new Conflict("username_taken", "the username '" + username + "' is taken");
            UserInfo info = find(h, id).orElseThrow();
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("username", username);
            details.put("role", u.role().id());
            details.put("display_name", displayName);
            Changes.record(h, actor, Change.of("user.created", "user", id.toString(), null, details));
            return info;
        });
    }

    public Optional<UserInfo> find(UUID id) {
        return jdbi.withHandle(h -> find(h, id));
    }

    public Optional<UserInfo> findByUsername(String username) {
        return jdbi.withHandle(h -> h.createQuery("select * from app_user where lower(username) = lower(:u)")
                .bind("u", username.strip()).map((rs, ctx) -> userInfo(rs)).findOne());
    }

    public List<UserInfo> list() {
        return jdbi.withHandle(h -> h.createQuery("select * from app_user order by lower(username)")
                .map((rs, ctx) -> userInfo(rs)).list());
    }

    /**
     * By username (case-insensitively), keyset-paginated on (lower(username), id), of one state: "active",
     * "disabled" or "all".
     */
    public Page<UserInfo> page(String state, int limit, Optional<String> cursor) {
        Optional<Cursor> after = Cursor.decode(cursor, "users", 2);
        String where = switch (state) {
            case "active" -> "disabled_at is null";
            case "disabled" -> "disabled_at is not null";
            case "all" -> "true";
            default -> throw new IllegalArgumentException("unknown user state " + state);
        };
        List<UserInfo> rows = jdbi.withHandle(h -> {
            var q = h.createQuery("select * from app_user where " + where
                    + (after.isPresent() ? " and (lower(username), id) > (:name, :id)" : "")
                    + " order by lower(username), id limit :limit").bind("limit", limit + 1);
            after.ifPresent(c -> q.bind("name", c.string(0)).bind("id", c.uuid(1)));
            return q.map((rs, ctx) -> userInfo(rs)).list();
        });
        return Page.of(rows, limit, u -> Cursor.of("users", u.username().toLowerCase(java.util.Locale.ROOT), u.id()));
    }

    /** The user and hash for a sign-in; empty when there is no such username. */
    public Optional<Credentials> credentials(String username) {
        if (username == null || username.isBlank() || username.length() > MAX_USERNAME * 4) return Optional.empty();
        return jdbi.withHandle(h -> h.createQuery("select * from app_user where lower(username) = lower(:u)")
                .bind("u", username.strip())
                .map((rs, ctx) -> new Credentials(userInfo(rs), rs.getString("password_hash"))).findOne());
    }

    /**
     * Applies a change; empty when there is no such user. Each kind of change is its own audit event. Refuses
     * ({@link Conflict} {@code last_admin}) to demote or disable the last enabled admin.
     */
    public Optional<UserInfo> update(Actor actor, UUID id, Edits c) {
        Role role = c.role();
        String displayName = c.displayName() == null ? null : validDisplayName(c.displayName());
        String hash = c.password() == null ? null : validPasswordHash(c.password());
        return jdbi.inTransaction(h -> {
            Optional<UserInfo> found = lock(h, id);
            if (found.isEmpty()) return Optional.<UserInfo>empty();
            UserInfo before = found.get();
            boolean demote = role != null && role != Role.ADMIN && before.role() == Role.ADMIN;
            boolean disable = Boolean.TRUE.equals(c.disabled()) && !before.disabled();
            boolean enable = Boolean.FALSE.equals(c.disabled()) && before.disabled();
            if ((demote || disable) && !before.disabled() && before.role() == Role.ADMIN) requireAnotherAdmin(h, id);

            Map<String, Object> changes = new LinkedHashMap<>();
            if (role != null && role != before.role()) {
                h.createUpdate("update app_user set role = :role, updated_at = now() where id = :id")
                        .bind("role", role.id()).bind("id", id).execute();
                changes.put("role", Map.of("from", before.role().id(), "to", role.id()));
            }
            if (c.displayName() != null && !Objects.equals(displayName, before.displayName())) {
                h.createUpdate("update app_user set display_name = :d, updated_at = now() where id = :id")
                        .bind("d", displayName).bind("id", id).execute();
                Map<String, Object> change = new LinkedHashMap<>();
                change.put("from", before.displayName());
                change.put("to", displayName);
                changes.put("display_name", change);
            }
            if (!changes.isEmpty()) {
                Changes.record(h, actor, Change.of("user.updated", "user", id.toString(), null, Map.of("username", before.username(), "changes", changes)));
            }
            if (hash != null) {
                h.createUpdate("update app_user set password_hash = :hash, updated_at = now() where id = :id")
                        .bind("hash", hash).bind("id", id).execute();
                int ended = SessionStore.endAll(h, id);
                Changes.record(h, actor, Change.of("user.password_changed", "user", id.toString(), null, Map.of("username", before.username(), "sessions_ended", ended)));
            }
            if (disable) {
                h.createUpdate("update app_user set disabled_at = now(), updated_at = now() where id = :id")
                        .bind("id", id).execute();
                int ended = SessionStore.endAll(h, id);
                Changes.record(h, actor, Change.of("user.disabled", "user", id.toString(), null, Map.of("username", before.username(), "sessions_ended", ended)));
            }
            if (enable) {
                h.createUpdate("update app_user set disabled_at = null, updated_at = now() where id = :id")
                        .bind("id", id).execute();
                Changes.record(h, actor, Change.of("user.enabled", "user", id.toString(), null, Map.of("username", before.username())));
            }
            return find(h, id);
        });
    }

    /** Deletes (its sessions go with it); empty when there is no such user. Refuses to delete the last enabled admin. */
    public Optional<UserInfo> delete(Actor actor, UUID id) {
        return jdbi.inTransaction(h -> {
            Optional<UserInfo> found = lock(h, id);
            if (found.isEmpty()) return found;
            UserInfo u = found.get();
            if (u.role() == Role.ADMIN && !u.disabled()) requireAnotherAdmin(h, id);
            int ended = SessionStore.endAll(h, id);
            h.createUpdate("delete from app_user where id = :id").bind("id", id).execute();
            Changes.record(h, actor, Change.of("user.deleted", "user", id.toString(), null, Map.of("username", u.username(), "role", u.role().id(), "sessions_ended", ended)));
            return found;
        });
    }

    private static void requireAnotherAdmin(Handle h, UUID exceptId) {
        long others = h.createQuery(
                        "select count(*) from app_user where role = 'admin' and disabled_at is null and id <> :id")
                .bind("id", exceptId).mapTo(Long.class).one();
        if (others == 0) {
            throw new Conflict("last_admin", "this is the last enabled admin user; make another user admin first");
        }
    }

    /**
     * Changes and deletions of users run one at a time (a transaction-scoped advisory lock), so two admins
     * demoting each other at once cannot both succeed and leave none; then the user's row is locked.
     */
    private static Optional<UserInfo> lock(Handle h, UUID id) {
        h.createQuery("select 1 from pg_advisory_xact_lock(hashtext('storyboard.app_user.change'))").mapTo(Integer.class).one();
        return h.createQuery("select * from app_user where id = :id for update")
                .bind("id", id).map((rs, ctx) -> userInfo(rs)).findOne();
    }

    private static Optional<UserInfo> find(Handle h, UUID id) {
        return h.createQuery("select * from app_user where id = :id")
                .bind("id", id).map((rs, ctx) -> userInfo(rs)).findOne();
    }

    static UserInfo userInfo(ResultSet rs) throws SQLException {
        return new UserInfo(
                rs.getObject("id", UUID.class),
                rs.getString("username"),
                rs.getString("display_name"),
                Role.parse(rs.getString("role")),
                instant(rs.getObject("created_at", OffsetDateTime.class)),
                rs.getString("created_by"),
                instant(rs.getObject("updated_at", OffsetDateTime.class)),
                instant(rs.getObject("disabled_at", OffsetDateTime.class)),
                instant(rs.getObject("last_login_at", OffsetDateTime.class)));
    }

    private static Instant instant(OffsetDateTime t) {
        return t == null ? null : t.toInstant();
    }
}
