package storyboard.auth;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import storyboard.kernel.Changes;
import storyboard.kernel.Cursor;
import storyboard.kernel.Page;
import storyboard.kernel.DomainException;
import storyboard.kernel.Change;
import storyboard.kernel.Scope;
import storyboard.kernel.Actor;
import storyboard.kernel.Json;
import storyboard.kernel.Principal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/** The SQL of stored tokens. Every change is written to the audit trail in the same transaction. */
public final class TokenStore {
    /** What the audit trail and the event log keep of a new token. */
    private static final Set<String> AUDITED = Set.of("name", "prefix", "scopes", "projects", "rate_limit", "expires_at");
    private static final TypeReference<LinkedHashMap<String, Object>> DETAILS = new TypeReference<>() {};

    private final Jdbi jdbi;

    public TokenStore(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** A stored token's public facts (never its hash). {@code projects} empty: every project. */
    public record TokenInfo(UUID id, String name, String prefix, Set<Scope> scopes, Set<String> projects,
                            Integer rateLimit, Instant createdAt, String createdBy, Instant expiresAt,
                            Instant lastUsedAt, Instant revokedAt) {
        public String state() {
            if (revokedAt != null) return "revoked";
            if (expiresAt != null && !expiresAt.isAfter(Instant.now())) return "expired";
            return "active";
        }

        /** Who a request made with this token is. */
        public Principal principal() {
            return new Principal(Principal.Kind.TOKEN, id.toString(), name, scopes, projects, rateLimit);
        }

        /** The form the API shows. */
        public TokenJson toJson() {
            return new TokenJson(id, name, prefix, scopes.stream().map(Scope::id).sorted().toList(),
                    projects.isEmpty() ? null : projects.stream().sorted().toList(), rateLimit, state(), createdAt,
                    createdBy, expiresAt, lastUsedAt, revokedAt);
        }
    }

    /** A token as the API shows it: scopes and projects sorted, and projects null for every project. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record TokenJson(UUID id, String name, String prefix, List<String> scopes, List<String> projects,
                            Integer rateLimit, String state, Instant createdAt, String createdBy, Instant expiresAt,
                            Instant lastUsedAt, Instant revokedAt) {}

    /** What a new token may do. */
    public record NewToken(String name, Set<Scope> scopes, Set<String> projects, Instant expiresAt, Integer rateLimit) {
        public NewToken {
            scopes = Set.copyOf(scopes);
            projects = projects == null ? Set.of() : Set.copyOf(projects);
        }
    }

    /** A token just created: the only moment its text exists outside the client. */
    public record CreatedToken(TokenInfo info, String token) {}

    public CreatedToken create(Actor actor, NewToken t) {
        String token = Tokens.generate();
        UUID id = UUID.randomUUID();
        return jdbi.inTransaction(h -> {
            h.createUpdate("""
                            insert into api_token (id, name, token_hash, token_prefix, scopes, projects, rate_limit,
                                                   created_by, expires_at)
                            values (:id, :name, :hash, :prefix, :scopes, :projects, :rateLimit, :createdBy, :expiresAt)""")
                    .bind("id", id)
                    .bind("name", t.name())
                    .bind("hash", Tokens.hashHex(token))
                    .bind("prefix", Tokens.displayPrefix(token))
                    .bindArray("scopes", String.class, t.scopes().stream().map(Scope::id).sorted().toList())
                    .bindArray("projects", String.class, t.projects().isEmpty() ? null : List.copyOf(new TreeSet<>(t.projects())))
                    .bind("rateLimit", t.rateLimit())
                    .bind("createdBy", actor.describe())
                    .bind("expiresAt", t.expiresAt() == null ? null : OffsetDateTime.ofInstant(t.expiresAt(), ZoneOffset.UTC))
                    .execute();
            TokenInfo info = find(h, id).orElseThrow();
            Map<String, Object> details = Json.MAPPER.convertValue(info.toJson(), DETAILS);
            details.keySet().retainAll(AUDITED);
            Changes.record(h, actor, Change.of("token.created", "token", id.toString(), null, details));
            return new CreatedToken(info, token);
        });
    }

    /** The token with this hash, if it is neither revoked nor expired; marks it used (at most once a minute). */
    public Optional<Principal> authenticate(String tokenHashHex) {
        return jdbi.withHandle(h -> {
            Optional<TokenInfo> token = h.createQuery("""
                            select * from api_token
                             where token_hash = :hash and revoked_at is null
                               and (expires_at is null or expires_at > now())""")
                    .bind("hash", tokenHashHex).map((rs, ctx) -> tokenInfo(rs)).findOne();
            token.filter(t -> t.lastUsedAt() == null || t.lastUsedAt().isBefore(Instant.now().minusSeconds(60)))
                    .ifPresent(t -> h.createUpdate("update api_token set last_used_at = now() where id = :id")
                            .bind("id", t.id()).execute());
            return token.map(TokenInfo::principal);
        });
    }

    public Optional<TokenInfo> find(UUID id) {
        return jdbi.withHandle(h -> find(h, id));
    }

    /** The token with this hash, whatever its state (a sign-in tells revoked and expired tokens apart in the audit). */
    public Optional<TokenInfo> findByHash(String tokenHashHex) {
        return jdbi.withHandle(h -> h.createQuery("select * from api_token where token_hash = :hash")
                .bind("hash", tokenHashHex).map((rs, ctx) -> tokenInfo(rs)).findOne());
    }

    /** The live (neither revoked nor expired) token of this id, in the caller's transaction. */
    static Optional<TokenInfo> findLive(Handle h, UUID id) {
        return h.createQuery("""
                        select * from api_token
                         where id = :id and revoked_at is null and (expires_at is null or expires_at > now())""")
                .bind("id", id).map((rs, ctx) -> tokenInfo(rs)).findOne();
    }

    private static Optional<TokenInfo> find(Handle h, UUID id) {
        return h.createQuery("select * from api_token where id = :id")
                .bind("id", id).map((rs, ctx) -> tokenInfo(rs)).findOne();
    }

    private static TokenInfo tokenInfo(ResultSet rs) throws SQLException {
        java.sql.Array projects = rs.getArray("projects");
        int limit = rs.getInt("rate_limit");
        Integer rateLimit = rs.wasNull() ? null : limit;
        return new TokenInfo(
                rs.getObject("id", UUID.class),
                rs.getString("name"),
                rs.getString("token_prefix"),
                Arrays.stream((String[]) rs.getArray("scopes").getArray()).map(Scope::parse)
                        .collect(Collectors.toCollection(() -> EnumSet.noneOf(Scope.class))),
                projects == null ? Set.of() : Set.of((String[]) projects.getArray()),
                rateLimit,
                instant(rs.getObject("created_at", OffsetDateTime.class)),
                rs.getString("created_by"),
                instant(rs.getObject("expires_at", OffsetDateTime.class)),
                instant(rs.getObject("last_used_at", OffsetDateTime.class)),
                instant(rs.getObject("revoked_at", OffsetDateTime.class)));
    }

    /** The states a listing may keep: a token is active, revoked or expired. */
    public static final Set<String> STATES = Set.of("active", "revoked", "expired", "all");

    /**
     * Newest first, keyset-paginated on (created_at, id), of one state ({@link #STATES}; "all" for every token).
     */
    public Page<TokenInfo> page(String state, int limit, Optional<String> cursor) {
        Optional<Cursor> after = Cursor.decode(cursor, "tokens", 2);
        String where = switch (state) {
            case "active" -> "revoked_at is null and (expires_at is null or expires_at > now())";
            case "revoked" -> "revoked_at is not null";
            case "expired" -> "revoked_at is null and expires_at <= now()";
            case "all" -> "true";
            default -> throw new IllegalArgumentException("unknown token state " + state);
        };
        List<TokenInfo> rows = jdbi.withHandle(h -> {
            var q = h.createQuery("select * from api_token where " + where
                    + (after.isPresent() ? " and (created_at, id) < (:at, :id)" : "")
                    + " order by created_at desc, id desc limit :limit").bind("limit", limit + 1);
            after.ifPresent(c -> q.bind("at", c.time(0)).bind("id", c.uuid(1)));
            return q.map((rs, ctx) -> tokenInfo(rs)).list();
        });
        return Page.of(rows, limit, t -> Cursor.of("tokens", t.createdAt(), t.id()));
    }

    public List<TokenInfo> list() {
        return jdbi.withHandle(h -> h.createQuery("select * from api_token order by created_at, id")
                .map((rs, ctx) -> tokenInfo(rs)).list());
    }

    /**
     * Revokes by id or by the displayed prefix; the token it revoked, if one was live. Every replica checks the
     * database on each request, so the next request with it is refused everywhere.
     */
    public Optional<TokenInfo> revoke(Actor actor, String idOrPrefix) {
        return jdbi.inTransaction(h -> {
            List<UUID> ids = h.createQuery("""
                            select id from api_token
                             where revoked_at is null and (id::text = :key or token_prefix = :key) for update""")
                    .bind("key", idOrPrefix).mapTo(UUID.class).list();
            if (ids.size() > 1) {
                throw DomainException.conflict("ambiguous_prefix", "the prefix '" + idOrPrefix + "' matches "
                        + ids.size() + " tokens; revoke by id");
            }
            if (ids.isEmpty()) return Optional.<TokenInfo>empty();
            UUID id = ids.get(0);
            h.createUpdate("update api_token set revoked_at = now() where id = :id").bind("id", id).execute();
            SessionStore.endAllOfToken(h, id); // they would be refused anyway; gone at once is tidier
            Changes.record(h, actor, Change.of("token.revoked", "token", id.toString(), null, null));
            return find(h, id);
        });
    }

    public long countActive() {
        return jdbi.withHandle(h -> h.createQuery("select count(*) from api_token where revoked_at is null")
                .mapTo(Long.class).one());
    }

    private static Instant instant(OffsetDateTime t) {
        return t == null ? null : t.toInstant();
    }
}
