package storyboard.auth;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Jdbi;

/** The SQL of stored tokens. */
public final class TokenStore {
    private final Jdbi jdbi;

    public TokenStore(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** A stored token's public facts (never its hash). */
    public record TokenInfo(UUID id, String name, String prefix, Set<Scope> scopes, Instant createdAt,
                            String createdBy, Instant expiresAt, Instant lastUsedAt, Instant revokedAt) {}

    /** A token just created: the only moment its text exists outside the client. */
    public record CreatedToken(TokenInfo info, String token) {}

    public CreatedToken create(String name, Set<Scope> scopes, String createdBy, Instant expiresAt) {
        String token = Tokens.generate();
        UUID id = UUID.randomUUID();
        jdbi.useHandle(h -> h.createUpdate("""
                        insert into api_token (id, name, token_hash, token_prefix, scopes, created_by, expires_at)
                        values (:id, :name, :hash, :prefix, :scopes, :createdBy, :expiresAt)""")
                .bind("id", id)
                .bind("name", name)
                .bind("hash", Tokens.hashHex(token))
                .bind("prefix", Tokens.displayPrefix(token))
                .bindArray("scopes", String.class, scopes.stream().map(Scope::id).toList())
                .bind("createdBy", createdBy)
                .bind("expiresAt", expiresAt == null ? null : OffsetDateTime.ofInstant(expiresAt, ZoneOffset.UTC))
                .execute());
        return new CreatedToken(find(id).orElseThrow(), token);
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
            return token.map(t -> new Principal(t.id(), t.name(), t.scopes()));
        });
    }

    public Optional<TokenInfo> find(UUID id) {
        return jdbi.withHandle(h -> h.createQuery("select * from api_token where id = :id")
                .bind("id", id).map((rs, ctx) -> tokenInfo(rs)).findOne());
    }

    private static TokenInfo tokenInfo(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new TokenInfo(
                rs.getObject("id", UUID.class),
                rs.getString("name"),
                rs.getString("token_prefix"),
                Arrays.stream((String[]) rs.getArray("scopes").getArray()).map(Scope::parse)
                        .collect(Collectors.toCollection(() -> EnumSet.noneOf(Scope.class))),
                instant(rs.getObject("created_at", OffsetDateTime.class)),
                rs.getString("created_by"),
                instant(rs.getObject("expires_at", OffsetDateTime.class)),
                instant(rs.getObject("last_used_at", OffsetDateTime.class)),
                instant(rs.getObject("revoked_at", OffsetDateTime.class)));
    }

    public List<TokenInfo> list() {
        return jdbi.withHandle(h -> h.createQuery("select * from api_token order by created_at, id")
                .map((rs, ctx) -> tokenInfo(rs)).list());
    }

    /** Revokes by id or by the displayed prefix; true when a live token was revoked. */
    public boolean revoke(String idOrPrefix) {
        return jdbi.withHandle(h -> h.createUpdate("""
                        update api_token set revoked_at = now()
                         where revoked_at is null and (id::text = :key or token_prefix = :key)""")
                .bind("key", idOrPrefix).execute()) > 0;
    }

    public long countActive() {
        return jdbi.withHandle(h -> h.createQuery("select count(*) from api_token where revoked_at is null")
                .mapTo(Long.class).one());
    }

    private static Instant instant(OffsetDateTime t) {
        return t == null ? null : t.toInstant();
    }
}
