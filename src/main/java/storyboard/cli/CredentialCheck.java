package storyboard.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import storyboard.kernel.RouteAccess;
import storyboard.kernel.Scope;

/**
 * The pre-flight of the commands that talk to a running server: before they send anything, they ask the server
 * ({@code GET /api/v1/me}) what their credential is and may do, and stop with one line naming every scope it
 * lacks (and the project it may not use) instead of failing half-way through a transfer.
 * <p>
 * What a command needs follows from the routes it calls, looked up in {@link RouteAccess} (the server's own table,
 * in the same jar), so the check cannot drift from what the server enforces.
 */
public final class CredentialCheck {
    static final String ME = "/api/v1/me";

    private CredentialCheck() {}

    /** What {@code GET /api/v1/me} says about a credential. {@code projects} is empty when it may use every project. */
    public record Credential(String kind, String name, Set<Scope> scopes, Set<String> projects) {
        public boolean may(Scope scope) {
            return scopes.contains(Scope.ADMIN) || scopes.contains(scope);
        }

        public boolean canUse(String project) {
            return projects.isEmpty() || projects.contains(project);
        }
    }

    /** The scopes a credential needs for these routes ("METHOD /path" as in {@link RouteAccess}). */
    public static Set<Scope> scopesFor(Collection<String> routes) {
        Set<Scope> out = EnumSet.noneOf(Scope.class);
        for (String route : routes) {
            int space = route.indexOf(' ');
            RouteAccess.Rule rule = RouteAccess.of(route.substring(0, space), route.substring(space + 1))
                    .orElseThrow(() -> new IllegalArgumentException("no such route in RouteAccess: " + route));
            if (rule.scope().holdable()) out.add(rule.scope());
        }
        return out;
    }

    /** "ingest", "read and write", "ingest, read and write": scopes in their usual order, for messages and help. */
    public static String names(Set<Scope> scopes) {
        List<String> ids = new ArrayList<>();
        for (Scope s : new TreeSet<>(scopes)) ids.add(s.id());
        if (ids.size() == 1) return ids.get(0);
        return String.join(", ", ids.subList(0, ids.size() - 1)) + " and " + ids.get(ids.size() - 1);
    }

    /**
     * Asks the server who the client's token is; throws a {@link UserException} of one line when the server cannot
     * be reached or refuses the token, when the token lacks any of {@code needed}, or when it is restricted to
     * projects and {@code project} (null: none to check) is not one of them.
     */
    public static Credential require(ServerClient client, String command, Set<Scope> needed, String project) {
        Credential c = fetch(client);
        Set<Scope> missing = EnumSet.noneOf(Scope.class);
        for (Scope s : needed) if (!c.may(s)) missing.add(s);
        String who = "the token" + (c.name() == null || c.name().isBlank() ? "" : " '" + c.name() + "'");
        if (!missing.isEmpty()) {
            String has = c.scopes().isEmpty() ? "no scope" : (c.scopes().size() == 1 ? "the scope " : "the scopes ")
                    + names(c.scopes());
            throw new UserException(command + " needs a token with " + (needed.size() == 1 ? "the scope " : "the scopes ")
                    + names(needed) + "; " + who + " has " + has + ", so it lacks " + names(missing)
                    + " (nothing was sent; an admin can make a token with: storyboard-server token create --name NAME"
                    + " --scopes " + String.join(",", needed.stream().map(Scope::id).toList()) + ")");
        }
        if (project != null && !c.canUse(project)) {
            throw new UserException(command + ": " + who + " is restricted to the project(s) "
                    + String.join(", ", new TreeSet<>(c.projects())) + ", not '" + project + "' (nothing was sent)");
        }
        return c;
    }

    private static Credential fetch(ServerClient client) {
        String base = client.base();
        JsonNode body;
        try {
            body = client.get(ME);
        } catch (ServerClient.BadAnswer e) {
            String message = e.detail() == null ? "" : e.detail();
            if (e.status() == 401) {
                throw new UserException(base + " refused the token (401" + (message.isEmpty() ? "" : ": " + message)
                        + "); pass a valid one with --token or AUTH_TOKEN");
            }
            if (e.status() == 404) {
                throw new UserException(base + " has no " + ME + " (404): is --server the URL of a Storyboard server?");
            }
            throw new UserException("GET " + ME + " on " + base + " answered " + e.status()
                    + (message.isEmpty() ? "" : ": " + message) + " (is --server the URL of a Storyboard server?)");
        } catch (IOException e) {
            throw new UserException("cannot ask " + base + " who the token is: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UserException("interrupted");
        }
        if (!body.path("scopes").isArray()) {
            throw new UserException("GET " + ME + " on " + base + " answered no scopes (is --server the URL of a Storyboard server?)");
        }
        Set<Scope> scopes = EnumSet.noneOf(Scope.class);
        for (JsonNode s : body.get("scopes")) {
            try {
                scopes.add(Scope.parse(s.asText()));
            } catch (IllegalArgumentException e) {
                // a scope this client does not know gives it nothing it needs
            }
        }
        Set<String> projects = new LinkedHashSet<>();
        for (JsonNode p : body.path("projects")) projects.add(p.asText());
        return new Credential(body.path("kind").asText(null), body.path("name").asText(null), scopes, projects);
    }
}
