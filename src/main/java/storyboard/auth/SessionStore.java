package storyboard.auth;

import storyboard.kernel.Change;
import storyboard.kernel.Changes;
import storyboard.kernel.Actor;
import storyboard.kernel.Principal;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Signed-in browser sessions. The cookie holds 256 random bits; the database only their SHA-256, so a copy of
 * the database signs nobody in. A session ends after {@link #IDLE_TIMEOUT} without use or {@link #LIFETIME}
 * after sign-in, whichever comes first, and at once when what opened it stops being valid:
 * <ul>
 * <li>a user's password ({@link Kind#USER}): when the user is disabled, deleted or given a new password;</li>
 * <li>a stored token pasted into the sign-in page ({@link Kind#TOKEN}): when the token is revoked or expires (its
 *     scopes and projects are read from the token at every request);</li>
 * <li>the configured AUTH_TOKEN ({@link Kind#AUTH_TOKEN}): when AUTH_TOKEN changes or is removed.</li>
 * </ul>
 */
public final class SessionStore {
    public static final Duration IDLE_TIMEOUT = Duration.ofHours(12);
    public static final Duration LIFETIME = Duration.ofDays(7);
    /** How stale {@code last_seen_at} may get before a request writes it again. */
    private static final Duration TOUCH_EVERY = Duration.ofMinutes(1);
    private static final int MAX_USER_AGENT = 500;

    private final Jdbi jdbi;
    private final ConfiguredToken configuredToken;

    /** Sessions without AUTH_TOKEN: one opened with it is never live. */
    public SessionStore(Jdbi jdbi) {
        this(jdbi, ConfiguredToken.NONE);
    }

    SessionStore(Jdbi jdbi, ConfiguredToken configuredToken) {
        this.jdbi = jdbi;
        this.configuredToken = configuredToken;
    }

    /** What opened a session. */
    public enum Kind {
        USER, TOKEN, AUTH_TOKEN;

        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }

        static Kind parse(String s) {
            return valueOf(s.toUpperCase(Locale.ROOT));
        }
    }

    /**
     * A live session: what opened it, its principal (as of this request) and, for a user's session, the user
     * (enabled); {@code user} is null for a session opened with a token.
     */
    public record Session(UUID id, Kind kind, UserStore.UserInfo user, Principal principal, String csrfToken,
                          Instant createdAt, Instant expiresAt, Instant lastSeenAt) {
        /** When the session ends if it is not used again. */
        public Instant idleExpiresAt() {
            Instant idle = lastSeenAt.plus(IDLE_TIMEOUT);
            return idle.isBefore(expiresAt) ? idle : expiresAt;
        }

        /** A name to show: the username, the token's name, or AUTH_TOKEN. */
        public String displayName() {
            return user != null ? user.username() : principal.name();
        }

        @Override
        public String toString() {
            return "Session[" + id + ", " + kind.id() + " " + displayName() + "]";
        }
    }

    /** A session just created and the cookie value that opens it (which exists nowhere else). */
    public record SignedIn(Session session, String cookieValue) {
        @Override
        public String toString() {
            return "SignedIn[" + session + "]";
        }
    }

    /**
     * Creates a session for a user whose password was just verified, in one transaction with the audit event,
     * {@code last_login_at}, a rehash of the password when due, and the end of the session the browser had
     * before (a fresh id at every sign-in: no session fixation). Empty when the user was disabled or deleted
     * since the password check.
     */
    public Optional<SignedIn> signIn(Actor actor, UserStore.UserInfo user, String newPasswordHash, String previousCookie,
                                     String userAgent) {
        NewSession n = new NewSession(actor, userAgent, Instant.now().plus(LIFETIME));
        Optional<Session> session = jdbi.inTransaction(h -> {
            replacePrevious(h, previousCookie);
            int inserted = h.createUpdate("""
                            insert into user_session (id, kind, session_hash, user_id, csrf_token, expires_at, address, user_agent)
                            select :id, 'user', :hash, id, :csrf, :expires, :address, :agent
                              from app_user where id = :userId and disabled_at is null for share""")
                    .bindMap(n.values()).bind("userId", user.id()).execute();
            if (inserted == 0) return Optional.<Session>empty();
            h.createUpdate("update app_user set last_login_at = now() where id = :id").bind("id", user.id()).execute();
            if (newPasswordHash != null) {
                h.createUpdate("update app_user set password_hash = :hash where id = :id")
                        .bind("hash", newPasswordHash).bind("id", user.id()).execute();
            }
            Changes.audit(h, actor, Change.of("session.login", "user", user.id().toString(), null, Map.of("username", user.username(), "session_id", n.id.toString())));
            return find(h, n.id, n.cookie);
        });
        return session.map(x -> new SignedIn(x, n.cookie));
    }

    /**
     * Creates a session bound to a stored token just presented at sign-in (and the end of the browser's previous
     * session), with its audit event. It lasts at most until the token expires. Empty when the token was revoked
     * or expired since it was checked.
     */
    public Optional<SignedIn> signInWithToken(Actor actor, TokenStore.TokenInfo token, String previousCookie,
                                              String userAgent) {
        Instant now = Instant.now();
        Instant expires = now.plus(LIFETIME);
        if (token.expiresAt() != null && token.expiresAt().isBefore(expires)) expires = token.expiresAt();
        if (!expires.isAfter(now)) return Optional.empty();
        NewSession n = new NewSession(actor, userAgent, expires);
        Optional<Session> session = jdbi.inTransaction(h -> {
            replacePrevious(h, previousCookie);
            int inserted = h.createUpdate("""
                            insert into user_session (id, kind, session_hash, token_id, csrf_token, expires_at, address, user_agent)
                            select :id, 'token', :hash, id, :csrf, :expires, :address, :agent
                              from api_token
                             where id = :tokenId and revoked_at is null and (expires_at is null or expires_at > now())
                               for share""")
                    .bindMap(n.values()).bind("tokenId", token.id()).execute();
            if (inserted == 0) return Optional.<Session>empty();
            Changes.audit(h, actor, Change.of("session.login", "token", token.id().toString(), null,
                    Map.of("name", token.name(), "prefix", token.prefix(), "session_id", n.id.toString())));
            return find(h, n.id, n.cookie);
        });
        return session.map(x -> new SignedIn(x, n.cookie));
    }

    /** Creates a session for the configured AUTH_TOKEN just presented at sign-in, with its audit event. */
    public SignedIn signInWithAuthToken(Actor actor, String previousCookie, String userAgent) {
        NewSession n = new NewSession(actor, userAgent, Instant.now().plus(LIFETIME));
        Session session = jdbi.inTransaction(h -> {
            replacePrevious(h, previousCookie);
            h.createUpdate("""
                            insert into user_session (id, kind, session_hash, credential_check, csrf_token, expires_at,
                                                      address, user_agent)
                            values (:id, 'auth_token', :hash, :check, :csrf, :expires, :address, :agent)""")
                    .bindMap(n.values()).bind("check", configuredToken.sessionCheck(n.cookie)).execute();
            Changes.audit(h, actor, Change.of("session.login", "auth_token", null, null,
                    Map.of("session_id", n.id.toString())));
            return find(h, n.id, n.cookie).orElseThrow();
        });
        return new SignedIn(session, n.cookie);
    }

    /** The secrets and facts of a session about to be inserted. */
    private static final class NewSession {
        final UUID id = UUID.randomUUID();
        final String cookie = Tokens.generate();
        final String csrf = Tokens.generate();
        final Instant expires;
        final String address;
        final String agent;

        NewSession(Actor actor, String userAgent, Instant expires) {
            this.expires = expires;
            this.address = actor.address();
            this.agent = userAgent == null ? null : userAgent.substring(0, Math.min(userAgent.length(), MAX_USER_AGENT));
        }

        Map<String, Object> values() {
            Map<String, Object> v = new HashMap<>();
            v.put("id", id);
            v.put("hash", Tokens.hashHex(cookie));
            v.put("csrf", csrf);
            v.put("expires", OffsetDateTime.ofInstant(expires, ZoneOffset.UTC));
            v.put("address", address);
            v.put("agent", agent);
            return v;
        }
    }

    /** Purges what has expired and ends the session the browser had before signing in again. */
    private static void replacePrevious(Handle h, String previousCookie) {
        purgeExpired(h);
        if (previousCookie != null) {
            h.createUpdate("delete from user_session where session_hash = :hash")
                    .bind("hash", Tokens.hashHex(previousCookie)).execute();
        }
    }

    /**
     * The live session this cookie value opens, with its principal as of now; marks it used (and a token's
     * {@code last_used_at}) at most once a minute.
     */
    public Optional<Session> authenticate(String cookieValue) {
        if (cookieValue == null || cookieValue.isBlank() || cookieValue.length() > 200) return Optional.empty();
        return jdbi.withHandle(h -> {
            Optional<Session> s = h.createQuery(LIVE_SESSION + " and session_hash = :hash")
                    .bind("hash", Tokens.hashHex(cookieValue))
                    .bind("idle", IDLE_TIMEOUT.toSeconds())
                    .map((rs, ctx) -> row(rs)).findOne()
                    .flatMap(row -> session(h, row, cookieValue));
            s.filter(x -> x.lastSeenAt().isBefore(Instant.now().minus(TOUCH_EVERY))).ifPresent(x -> {
                h.createUpdate("update user_session set last_seen_at = now() where id = :id").bind("id", x.id()).execute();
                if (x.kind() == Kind.TOKEN) {
                    h.createUpdate("""
                                    update api_token set last_used_at = now()
                                     where id = :id and (last_used_at is null or last_used_at < now() - interval '1 minute')""")
                            .bind("id", UUID.fromString(x.principal().id())).execute();
                }
            });
            return s;
        });
    }

    /** Signs out: deletes the session (once; a repeat is harmless) and records it. */
    public void signOut(Actor actor, Session session) {
        jdbi.useTransaction(h -> {
            int deleted = h.createUpdate("delete from user_session where id = :id").bind("id", session.id()).execute();
            if (deleted == 0) return;
            String sessionId = session.id().toString();
            Change change = switch (session.kind()) {
                case USER -> Change.of("session.logout", "user", session.user().id().toString(), null,
                        Map.of("username", session.user().username(), "session_id", sessionId));
                case TOKEN -> Change.of("session.logout", "token", session.principal().id(), null,
                        Map.of("name", session.principal().name(), "session_id", sessionId));
                case AUTH_TOKEN -> Change.of("session.logout", "auth_token", null, null, Map.of("session_id", sessionId));
            };
            Changes.audit(h, actor, change);
        });
    }

    /** Ends every session of a user, in the caller's transaction; how many there were. */
    static int endAll(Handle h, UUID userId) {
        return h.createUpdate("delete from user_session where user_id = :id").bind("id", userId).execute();
    }

    /** Ends every session opened with a stored token, in the caller's transaction; how many there were. */
    static int endAllOfToken(Handle h, UUID tokenId) {
        return h.createUpdate("delete from user_session where token_id = :id").bind("id", tokenId).execute();
    }

    public long countForUser(UUID userId) {
        return jdbi.withHandle(h -> h.createQuery("select count(*) from user_session where user_id = :id")
                .bind("id", userId).mapTo(Long.class).one());
    }

    public long countForToken(UUID tokenId) {
        return jdbi.withHandle(h -> h.createQuery("select count(*) from user_session where token_id = :id")
                .bind("id", tokenId).mapTo(Long.class).one());
    }

    /** Removes sessions that can no longer be used; run at each sign-in, so the table never grows unbounded. */
    private static void purgeExpired(Handle h) {
        h.createUpdate("""
                        delete from user_session
                         where expires_at <= now() or last_seen_at <= now() - make_interval(secs => :idle)""")
                .bind("idle", IDLE_TIMEOUT.toSeconds()).execute();
    }

    private static final String LIVE_SESSION = """
            select id, kind, user_id, token_id, credential_check, csrf_token, created_at, expires_at, last_seen_at
              from user_session
             where expires_at > now() and last_seen_at > now() - make_interval(secs => :idle)""";

    /** A session's own row, before what opened it is checked. */
    private record Row(UUID id, Kind kind, UUID userId, UUID tokenId, String credentialCheck, String csrfToken,
                       Instant createdAt, Instant expiresAt, Instant lastSeenAt) {}

    private static Row row(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new Row(rs.getObject("id", UUID.class), Kind.parse(rs.getString("kind")),
                rs.getObject("user_id", UUID.class), rs.getObject("token_id", UUID.class),
                rs.getString("credential_check"), rs.getString("csrf_token"),
                rs.getObject("created_at", OffsetDateTime.class).toInstant(),
                rs.getObject("expires_at", OffsetDateTime.class).toInstant(),
                rs.getObject("last_seen_at", OffsetDateTime.class).toInstant());
    }

    /** The session, if what opened it is still valid: an enabled user, a live token, today's AUTH_TOKEN. */
    private Optional<Session> session(Handle h, Row r, String cookieValue) {
        return switch (r.kind()) {
            case USER -> h.createQuery("select * from app_user where id = :id and disabled_at is null")
                    .bind("id", r.userId()).map((rs, ctx) -> UserStore.userInfo(rs)).findOne()
                    .map(u -> new Session(r.id(), r.kind(), u, u.principal(), r.csrfToken(), r.createdAt(),
                            r.expiresAt(), r.lastSeenAt()));
            case TOKEN -> TokenStore.findLive(h, r.tokenId())
                    .map(t -> new Session(r.id(), r.kind(), null, t.principal(), r.csrfToken(), r.createdAt(),
                            r.expiresAt(), r.lastSeenAt()));
            case AUTH_TOKEN -> configuredToken.checks(cookieValue, r.credentialCheck())
                    ? Optional.of(new Session(r.id(), r.kind(), null, configuredToken.principal(), r.csrfToken(),
                            r.createdAt(), r.expiresAt(), r.lastSeenAt()))
                    : Optional.empty();
        };
    }

    private Optional<Session> find(Handle h, UUID id, String cookieValue) {
        return h.createQuery(LIVE_SESSION + " and id = :id").bind("id", id).bind("idle", IDLE_TIMEOUT.toSeconds())
                .map((rs, ctx) -> row(rs)).findOne().flatMap(row -> session(h, row, cookieValue));
    }
}
