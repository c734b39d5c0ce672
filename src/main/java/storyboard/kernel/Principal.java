package storyboard.kernel;

import java.util.Set;

/**
 * Who made a request, as access control sees it.
 *
 * @param kind what authenticated the request
 * @param id the stored token's or user's id; null for the configured AUTH_TOKEN
 * @param name a human name for logs and the audit trail (never a secret)
 * @param scopes what the principal may do ({@link Scope#ADMIN} includes everything)
 * @param projects the projects it is restricted to; empty means every project
 * @param rateLimit its own requests-per-second limit, or null for the server's default
 */
public record Principal(Kind kind, String id, String name, Set<Scope> scopes, Set<String> projects,
                        Integer rateLimit) {
    public enum Kind { AUTH_TOKEN, TOKEN, USER, JWT }

    /** Where the authenticated request keeps its principal. */
    public static final String ATTRIBUTE = "storyboard.principal";
    /**
     * Where a request authenticated by a browser session keeps the session's CSRF token, which its pages embed so
     * that their own scripts and forms can send it back.
     */
    public static final String CSRF_ATTRIBUTE = "storyboard.csrf";

    /** The principal of an authenticated request (every route but the health checks has one). */
    public static Principal of(io.javalin.http.Context ctx) {
        Principal p = ctx.attribute(ATTRIBUTE);
        if (p == null) throw new IllegalStateException("no principal on an authenticated route");
        return p;
    }

    /** What this principal may see of the projects' data. */
    public Visibility visibility() {
        return Visibility.of(projects);
    }

    public Principal {
        scopes = Set.copyOf(scopes);
        projects = projects == null ? Set.of() : Set.copyOf(projects);
    }

    public boolean may(Scope needed) {
        return needed == Scope.PUBLIC || needed == Scope.AUTHENTICATED || scopes.contains(Scope.ADMIN) || scopes.contains(needed);
    }

    /** True when the principal sees only some projects' data. */
    public boolean restricted() {
        return !projects.isEmpty();
    }

    /** Whether data of this project (null: data of no project) is visible to the principal. */
    public boolean canSee(String project) {
        return !restricted() || project != null && projects.contains(project);
    }

    /** A stable key for per-principal state such as rate limits. */
    public String key() {
        return kind + ":" + (id == null ? "" : id);
    }
}
