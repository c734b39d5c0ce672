package storyboard.kernel;

import static storyboard.kernel.Scope.ADMIN;
import static storyboard.kernel.Scope.AUTHENTICATED;
import static storyboard.kernel.Scope.INGEST;
import static storyboard.kernel.Scope.PUBLIC;
import static storyboard.kernel.Scope.READ;
import static storyboard.kernel.Scope.WRITE;

import io.javalin.security.RouteRole;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The one table of what every route needs: the scope its credential must hold, and whether it manages the whole
 * server (then a credential restricted to projects is refused, whatever its scopes). {@code storyboard.kernel.Api}
 * refuses to register a route that is not in this table, so a route cannot exist without a rule; the OpenAPI
 * document shows each scope as {@code x-required-scope}.
 */
public final class RouteAccess {
    /**
     * What a route needs. A page route answers HTML for a browser: a signed-out visitor is sent to the sign-in page
     * and a refusal is an HTML page, where an API route answers JSON.
     */
    public record Rule(Scope scope, boolean serverWide, boolean page) implements RouteRole {
        /** Whether a principal may use the route: it holds the scope, and is not restricted if the route is server-wide. */
        public boolean allows(Principal principal) {
            return principal.may(scope) && !(serverWide && principal.restricted());
        }
    }

    private static final Map<String, Rule> TABLE = new LinkedHashMap<>();

    static {
        rule("GET /healthz", PUBLIC);
        rule("GET /readyz", PUBLIC);
        rule("GET /openapi.yaml", READ);

        rule("GET /login", PUBLIC);
        rule("POST /login", PUBLIC);
        rule("POST /logout", AUTHENTICATED);
        rule("GET /api/v1/session", AUTHENTICATED);
        rule("GET /api/v1/me", AUTHENTICATED);

        serverWide("GET /api/v1/tokens", ADMIN);
        serverWide("POST /api/v1/tokens", ADMIN);
        serverWide("GET /api/v1/tokens/{id}", ADMIN);
        serverWide("DELETE /api/v1/tokens/{id}", ADMIN);
        serverWide("GET /api/v1/users", ADMIN);
        serverWide("POST /api/v1/users", ADMIN);
        serverWide("GET /api/v1/users/{id}", ADMIN);
        serverWide("PATCH /api/v1/users/{id}", ADMIN);
        serverWide("DELETE /api/v1/users/{id}", ADMIN);
        serverWide("GET /api/v1/audit", ADMIN);

        rule("POST /api/v1/prompt-history", INGEST);
        rule("POST /api/v1/prompt-history/batch", INGEST);
        rule("GET /api/v1/prompt-history", READ);
        rule("GET /api/v1/prompt-history/stats", READ);
        rule("GET /api/v1/prompt-history/export", READ);
        rule("GET /api/v1/prompt-history/{id}", READ);
        rule("DELETE /api/v1/prompt-history/{id}", ADMIN);

        rule("GET /api/v1/events", READ);
        rule("GET /api/v1/events/stream", READ);

        serverWide("GET /api/v1/webhooks", ADMIN);
        serverWide("POST /api/v1/webhooks", ADMIN);
        serverWide("GET /api/v1/webhooks/{id}", ADMIN);
        serverWide("PATCH /api/v1/webhooks/{id}", ADMIN);
        serverWide("DELETE /api/v1/webhooks/{id}", ADMIN);
        serverWide("GET /api/v1/webhooks/{id}/deliveries", ADMIN);
        serverWide("GET /api/v1/webhooks/{id}/deliveries/{deliveryId}", ADMIN);
        serverWide("POST /api/v1/webhooks/{id}/deliveries/{deliveryId}/redeliver", ADMIN);

        rule("GET /api/v1/budgets", READ);
        rule("POST /api/v1/budgets", ADMIN);
        rule("GET /api/v1/budgets/check", AUTHENTICATED);
        rule("GET /api/v1/budgets/{id}", READ);
        rule("DELETE /api/v1/budgets/{id}", ADMIN);
        // The dashboard's event log (live), webhooks (server-wide admins, as their API) and budgets.
        page("GET /events", READ);
        page("GET /events/live", READ);
        page("GET /events/panel", READ);
        serverWidePage("GET /webhooks", ADMIN);
        serverWidePage("GET /webhooks/{id}", ADMIN);
        serverWidePage("POST /webhooks/{id}/deliveries/{deliveryId}/redeliver", ADMIN);
        page("GET /budgets", READ);
        page("POST /budgets", ADMIN);
        page("GET /budgets/panel", READ);
        page("GET /budgets/{id}", READ);

        // Assets: people, desktop apps and workers that register outputs need write; reading needs read.
        rule("POST /api/v1/assets", WRITE);
        rule("GET /api/v1/assets", READ);
        rule("GET /api/v1/assets/{id}", READ);
        rule("PATCH /api/v1/assets/{id}", WRITE);
        rule("DELETE /api/v1/assets/{id}", WRITE);
        rule("POST /api/v1/assets/{id}/versions", WRITE);
        rule("POST /api/v1/assets/{id}/restore", WRITE);
        rule("GET /api/v1/assets/{id}/lineage", READ);
        rule("GET /api/v1/assets/{id}/used-by", READ);
        rule("GET /api/v1/assets/{id}/thumbnail", READ);
        // Blobs: apps and workers upload what they send (ingest); reading them is read.
        rule("POST /api/v1/blobs/check", INGEST);
        rule("PUT /api/v1/blobs/{sha256}", INGEST);
        rule("HEAD /api/v1/blobs/{sha256}", READ);
        rule("GET /api/v1/blobs/{sha256}", READ);
        // Resumable uploads (tus 1.0); OPTIONS only tells the protocol's version, extensions and size limit.
        rule("OPTIONS /api/v1/uploads", PUBLIC);
        rule("POST /api/v1/uploads", INGEST);
        rule("HEAD /api/v1/uploads/{id}", INGEST);
        rule("PATCH /api/v1/uploads/{id}", INGEST);
        rule("DELETE /api/v1/uploads/{id}", INGEST);
        // Prompt registry (studio-wide): reading, rendering and usage are read; new versions, label moves and
        // archiving are write. The name may hold slashes (breakdown/shots): <name> spans them.
        rule("GET /api/v1/prompts", READ);
        rule("GET /api/v1/prompts/<name>", READ);
        rule("GET /api/v1/prompts/<name>/versions", READ);
        rule("POST /api/v1/prompts/<name>/versions", WRITE);
        rule("PUT /api/v1/prompts/<name>/labels/{label}", WRITE);
        rule("DELETE /api/v1/prompts/<name>/labels/{label}", WRITE);
        rule("POST /api/v1/prompts/<name>/render", READ);
        rule("GET /api/v1/prompts/<name>/diff", READ);
        rule("GET /api/v1/prompts/<name>/usage", READ);
        rule("POST /api/v1/prompts/<name>/archive", WRITE);
        rule("POST /api/v1/prompts/<name>/unarchive", WRITE);

        // Projects (B-Line storyboard folders with revisions): reading and pulling are read; importing, pushing and
        // uploading a push's files are write; archiving, deleting and restoring are admin.
        rule("POST /api/v1/projects/import", WRITE);
        rule("GET /api/v1/projects", READ);
        rule("GET /api/v1/projects/{id}", READ);
        rule("DELETE /api/v1/projects/{id}", ADMIN);
        rule("GET /api/v1/projects/{id}/revisions", READ);
        rule("POST /api/v1/projects/{id}/revisions", WRITE);
        rule("GET /api/v1/projects/{id}/revisions/{revision}", READ);
        rule("GET /api/v1/projects/{id}/changes", READ);
        rule("GET /api/v1/projects/{id}/export", READ);
        rule("GET /api/v1/projects/{id}/files/<path>", READ);
        rule("POST /api/v1/projects/{id}/missing", WRITE);
        rule("PUT /api/v1/projects/{id}/blobs/{sha256}", WRITE);
        rule("POST /api/v1/projects/{id}/archive", ADMIN);
        rule("POST /api/v1/projects/{id}/unarchive", ADMIN);
        rule("POST /api/v1/projects/{id}/restore", ADMIN);

        // Projects' structured view: scenes, shots and panels of a revision, the diff of two, and shot search.
        rule("GET /api/v1/projects/{id}/scenes", READ);
        rule("GET /api/v1/projects/{id}/scenes/{scene}/shots", READ);
        rule("GET /api/v1/projects/{id}/shots/{uuid}", READ);
        rule("GET /api/v1/projects/{id}/diff", READ);
        rule("GET /api/v1/shots", READ);

        // The dashboard: its pages and their fragments, by capability. The static files (scripts, styles) of the
        // pages need a credential like everything else; the sign-in page has none.
        page("GET /", AUTHENTICATED);
        // Assets: the gallery, its next cards (infinite scroll) and one asset's page.
        page("GET /assets", READ);
        page("GET /assets/more", READ);
        page("GET /assets/{id}", READ);
        rule("GET /static/<path>", AUTHENTICATED);
        // Prompt history: the list, its next pages and live rows (fragments), one log.
        page("GET /history", READ);
        page("GET /history/rows", READ);
        page("GET /history/live", READ);
        page("GET /history/{id}", READ);
        // Prompt history's overview panels (fragments): cost and tokens with logs per hour; this month's tops.
        page("GET /history/overview/costs", READ);
        page("GET /history/overview/top", READ);
        // Prompts: reading, diffs, render previews and usage are read; moving a label (its confirmation too) is write.
        page("GET /prompts", READ);
        page("GET /prompts/<name>", READ);
        page("GET /prompts/<name>/diff", READ);
        page("GET /prompts/<name>/render", READ);
        page("GET /prompts/<name>/usage", READ);
        page("GET /prompts/<name>/labels", WRITE);
        page("POST /prompts/<name>/labels", WRITE);
        // Projects: the list and its next rows, the overview's recent pushes, a project and its next revisions, a
        // revision's changes, a revision's scenes and the next ones.
        page("GET /projects", READ);
        page("GET /projects/more", READ);
        page("GET /projects/panel", READ);
        page("GET /projects/{id}", READ);
        page("GET /projects/{id}/revisions", READ);
        page("GET /projects/{id}/revisions/{revision}", READ);
        page("GET /projects/{id}/scenes", READ);
        page("GET /projects/{id}/scenes/more", READ);
        // Admin pages (auth): server-wide like the API routes they stand for.
        serverWidePage("GET /admin", ADMIN);
        serverWidePage("GET /admin/tokens", ADMIN);
        serverWidePage("GET /admin/tokens/rows", ADMIN);
        serverWidePage("GET /admin/tokens/new", ADMIN);
        serverWidePage("POST /admin/tokens", ADMIN);
        serverWidePage("POST /admin/tokens/{id}/revoke", ADMIN);
        serverWidePage("GET /admin/users", ADMIN);
        serverWidePage("GET /admin/users/rows", ADMIN);
        serverWidePage("GET /admin/users/new", ADMIN);
        serverWidePage("POST /admin/users", ADMIN);
        serverWidePage("POST /admin/users/{id}", ADMIN);
        serverWidePage("GET /admin/audit", ADMIN);
        serverWidePage("GET /admin/audit/rows", ADMIN);
    }

    private RouteAccess() {}

    private static void rule(String route, Scope scope) {
        put(route, new Rule(scope, false, false));
    }

    private static void serverWide(String route, Scope scope) {
        put(route, new Rule(scope, true, false));
    }

    private static void page(String route, Scope scope) {
        put(route, new Rule(scope, false, true));
    }

    private static void serverWidePage(String route, Scope scope) {
        put(route, new Rule(scope, true, true));
    }

    private static void put(String route, Rule rule) {
        if (TABLE.put(route, rule) != null) throw new IllegalStateException("twice in the table: " + route);
    }

    /** The rule of a route, by method and path in Javalin's syntax ({@code /api/v1/tokens/{id}}). */
    public static Optional<Rule> of(String method, String path) {
        return Optional.ofNullable(TABLE.get(method + " " + path));
    }

    /** The whole table, "METHOD /path" to rule. */
    public static Map<String, Rule> table() {
        return Collections.unmodifiableMap(TABLE);
    }
}
