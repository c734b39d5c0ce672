package storyboard.auth;

import storyboard.kernel.Change;
import storyboard.kernel.Changes;
import storyboard.kernel.Actor;
import storyboard.kernel.Principal;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Signed-in browser sessions. The cookie holds 256 random bits; the database only their SHA-256, so a copy of
 * the database signs nobody in. A session ends after {@link #IDLE_TIMEOUT} without use or {@link #LIFETIME}
 * after sign-in, whichever comes first, and at once when its user is disabled, deleted or given a new password.
 */
public final class SessionStore {
    public static final Duration IDLE_TIMEOUT = Duration.ofHours(12);
    public static final Duration LIFETIME = Duration.ofDays(7);
    /** How stale {@code last_seen_at} may get before a request writes it again. */
    private static final Duration TOUCH_EVERY = Duration.ofMinutes(1);
    private static final int MAX_USER_AGENT = 500;

    private final Jdbi jdbi;

    public SessionStore(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** A live session and its user (enabled). */
    public record Session(UUID id, UserStore.UserInfo user, String csrfToken, Instant createdAt, Instant expiresAt,
                          Instant lastSeenAt) {
        public Principal principal() {
            return user.principal();
        }

        /** When the session ends if it is not used again. */
        public Instant idleExpiresAt() {
            Instant idle = lastSeenAt.plus(IDLE_TIMEOUT);
            return idle.isBefore(expiresAt) ? idle : expiresAt;
        }

        @Override
        public String toString() {
            return "Session[" + id + ", " + user.username() + "]";
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
        String cookie = Tokens.generate();
        String csrf = Tokens.generate();
        UUID id = UUID.randomUUID();
        Instant expires = Instant.now().plus(LIFETIME);
        String agent = userAgent == null ? null : userAgent.substring(0, Math.min(userAgent.length(), MAX_USER_AGENT));
        Optional<Session> session = jdbi.inTransaction(h -> {
            purgeExpired(h);
            if (previousCookie != null) {
                h.createUpdate("delete from user_session where session_hash = :hash")
                        .bind("hash", Tokens.hashHex(previousCookie)).execute();
            }
            int inserted = h.createUpdate("""
                            insert into user_session (id, session_hash, user_id, csrf_token, expires_at, address, user_agent)
                            select :id, :hash, id, :csrf, :expires, :address, :agent
                              from app_user where id = :userId and disabled_at is null for share""")
                    .bind("id", id)
                    .bind("hash", Tokens.hashHex(cookie))
                    .bind("userId", user.id())
                    .bind("csrf", csrf)
                    .bind("expires", OffsetDateTime.ofInstant(expires, ZoneOffset.UTC))
                    .bind("address", actor.address())
                    .bind("agent", agent)
                    .execute();
            if (inserted == 0) return Optional.<Session>empty();
            h.createUpdate("update app_user set last_login_at = now() where id = :id").bind("id", user.id()).execute();
            if (newPasswordHash != null) {
                h.createUpdate("update app_user set password_hash = :hash where id = :id")
                        .bind("hash", newPasswordHash).bind("id", user.id()).execute();
            }
            Changes.audit(h, actor, Change.of("session.login", "user", user.id().toString(), null, Map.of("username", user.username(), "session_id", id.toString())));
            return find(h, id);
        });
        return session.map(x -> new SignedIn(x, cookie));
    }

    /** The live session this cookie value opens; marks it used (at most once a minute). */
    public Optional<Session> authenticate(String cookieValue) {
        if (cookieValue == null || cookieValue.isBlank() || cookieValue.length() > 200) return Optional.empty();
        return jdbi.withHandle(h -> {
            Optional<Session> s = h.createQuery(LIVE_SESSION + " and s.session_hash = :hash")
                    .bind("hash", Tokens.hashHex(cookieValue))
                    .bind("idle", IDLE_TIMEOUT.toSeconds())
                    .map((rs, ctx) -> session(rs)).findOne();
            s.filter(x -> x.lastSeenAt().isBefore(Instant.now().minus(TOUCH_EVERY)))
                    .ifPresent(x -> h.createUpdate("update user_session set last_seen_at = now() where id = :id")
                            .bind("id", x.id()).execute());
            return s;
        });
    }

    /** Signs out: deletes the session (once; a repeat is harmless) and records it. */
    public void signOut(Actor actor, Session session) {
        jdbi.useTransaction(h -> {
            int deleted = h.createUpdate("delete from user_session where id = :id").bind("id", session.id()).execute();
            if (deleted > 0) {
                Changes.audit(h, actor, Change.of("session.logout", "user", session.user().id().toString(), null, Map.of("username", session.user().username(), "session_id", session.id().toString())));
            }
        });
    }

    /** Ends every session of a user, in the caller's transaction; how many there were. */
    static int endAll(Handle h, UUID userId) {
        return h.createUpdate("delete from user_session where user_id = :id").bind("id", userId).execute();
    }

    public long countForUser(UUID userId) {
        return jdbi.withHandle(h -> h.createQuery("select count(*) from user_session where user_id = :id")
                .bind("id", userId).mapTo(Long.class).one());
    }

    /** Removes sessions that can no longer be used; run at each sign-in, so the table never grows unbounded. */
    private static void purgeExpired(Handle h) {
        h.createUpdate("""
                        delete from user_session
                         where expires_at <= now() or last_seen_at <= now() - make_interval(secs => :idle)""")
                .bind("idle", IDLE_TIMEOUT.toSeconds()).execute();
    }

    private static final String LIVE_SESSION = """
            select u.*, s.id as session_id, s.csrf_token, s.created_at as session_created_at,
                   s.expires_at as session_expires_at, s.last_seen_at as session_last_seen_at
              from user_session s join app_user u on u.id = s.user_id
             where s.expires_at > now() and s.last_seen_at > now() - make_interval(secs => :idle)
               and u.disabled_at is null""";

    private static Optional<Session> find(Handle h, UUID id) {
        return h.createQuery(LIVE_SESSION + " and s.id = :id").bind("id", id).bind("idle", IDLE_TIMEOUT.toSeconds())
                .map((rs, ctx) -> session(rs)).findOne();
    }

    private static Session session(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new Session(rs.getObject("session_id", UUID.class), UserStore.userInfo(rs), rs.getString("csrf_token"),
                rs.getObject("session_created_at", OffsetDateTime.class).toInstant(),
                rs.getObject("session_expires_at", OffsetDateTime.class).toInstant(),
                rs.getObject("session_last_seen_at", OffsetDateTime.class).toInstant());
    }
}
