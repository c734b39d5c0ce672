package storyboard.auth;

import io.javalin.http.Context;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jdbi.v3.core.Jdbi;
import storyboard.kernel.Actor;
import storyboard.kernel.Api;
import storyboard.kernel.Capability;
import storyboard.kernel.Principal;
import storyboard.kernel.RouteAccess;
import storyboard.kernel.Scope;

/** Access control: tokens, people and sign-in, the audit trail, and the check every request passes. */
public final class AuthCapability implements Capability {
    /** What the server's settings say about credentials. */
    public record Settings(Optional<String> authToken, Set<Scope> authTokenScopes, Optional<JwtVerifier.Settings> jwt,
                           int rateLimit, int rateLimitIngest) {}

    private final Jdbi jdbi;
    private final TokenStore tokens;
    private final SessionStore sessions;
    private final ConfiguredToken configuredToken;
    private final UserStore users;
    private final Authenticator authenticator;
    private final RateLimiter rateLimiter;

    public AuthCapability(Jdbi jdbi, Settings settings) {
        this.jdbi = jdbi;
        ConfiguredToken configuredToken = ConfiguredToken.of(settings.authToken(), settings.authTokenScopes());
        this.tokens = new TokenStore(jdbi);
        this.sessions = new SessionStore(jdbi, configuredToken);
        this.users = new UserStore(jdbi);
        this.configuredToken = configuredToken;
        this.authenticator = new Authenticator(configuredToken, tokens, sessions);
        settings.jwt().ifPresent(jwt -> authenticator.withJwt(new JwtVerifier(jwt)));
        this.rateLimiter = new RateLimiter(settings.rateLimit(), settings.rateLimitIngest());
    }

    /** Creates an admin token when there is no active token at all (a first start), and returns it, shown once. */
    public static Optional<String> firstAdminToken(Jdbi jdbi) {
        TokenStore tokens = new TokenStore(jdbi);
        if (tokens.countActive() > 0) return Optional.empty();
        return Optional.of(tokens.create(Actor.server(), new TokenStore.NewToken(
                "admin (created at first start)", Scope.all(), Set.of(), null, null)).token());
    }

    @Override
    public String name() {
        return "auth";
    }

    @Override
    public void routes(Api api) {
        new TokenRoutes(tokens).register(api);
        new AuditRoutes(new AuditLog(jdbi)).register(api);
        new UserRoutes(users).register(api);
        AdminPages.register(api, tokens, users, new AuditLog(jdbi));
        new LoginRoutes(users, tokens, configuredToken, sessions, LoginThrottle.standard(), jdbi).register(api);
    }

    /** The admin pages, shown only to an unrestricted admin credential. */
    @Override
    public List<NavLink> nav() {
        return List.of(new NavLink("Admin", "/admin", 90));
    }

    /**
     * Admits a request to a route by its rule: answers 401 without a valid credential, 403 when the credential
     * lacks the scope (or is restricted to projects on a server-wide route), 429 beyond its rate.
     */
    public void admit(Context ctx, RouteAccess.Rule rule) {
        if (rule.scope() == Scope.PUBLIC) return;
        Principal principal = authenticator.require(ctx, rule.scope());
        if (rule.serverWide()) Authenticator.requireUnrestricted(ctx);
        rateLimiter.acquire(ctx, principal, rule.scope());
    }
}
