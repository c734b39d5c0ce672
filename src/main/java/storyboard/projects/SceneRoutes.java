package storyboard.projects;

import io.javalin.http.Context;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;
import storyboard.api.ApiException;
import storyboard.api.JsonBody;
import storyboard.api.RequestParams;
import storyboard.kernel.Api;
import storyboard.kernel.BlobStorage;
import storyboard.kernel.Principal;

/**
 * The structured view of a project's revisions (read scope; {@code revision} defaults to the head):
 * <ul>
 * <li>{@code GET /api/v1/projects/{id}/scenes}: the scenes in order, with their shot and panel counts;</li>
 * <li>{@code GET /api/v1/projects/{id}/scenes/{scene}/shots}: a scene's shots in order, with timing, camera,
 * characters, dialogue and panels (thumbnail links);</li>
 * <li>{@code GET /api/v1/projects/{id}/shots/{uuid}}: one shot in full;</li>
 * <li>{@code GET /api/v1/projects/{id}/diff?from=&to=}: what changed, scene by scene, shot by shot;</li>
 * <li>{@code GET /api/v1/shots?q=&project=}: shots whose name, description or dialogue match, across the latest
 * revision of every project the credential sees.</li>
 * </ul>
 * A project that is unknown, deleted or not visible to the credential is a 404, as is a revision it lacks.
 */
final class SceneRoutes {
    private static final int MAX_TEXT = 200;

    private final SceneStore store;

    SceneRoutes(Jdbi jdbi, BlobStorage blobs) {
        this.store = new SceneStore(jdbi, blobs);
    }

    void register(Api api) {
        api.get("/api/v1/projects/{id}/scenes", this::scenes);
        api.get("/api/v1/projects/{id}/scenes/{scene}/shots", this::shots);
        api.get("/api/v1/projects/{id}/shots/{uuid}", this::shot);
        api.get("/api/v1/projects/{id}/diff", this::diff);
        api.get("/api/v1/shots", this::search);
    }

    private void scenes(Context ctx) {
        UUID id = JsonBody.pathUuid(ctx, "id");
        RequestParams p = RequestParams.of(ctx, Set.of("revision"));
        ctx.json(store.scenes(id, revision(p, "revision"), Principal.of(ctx).visibility()));
    }

    private void shots(Context ctx) {
        UUID id = JsonBody.pathUuid(ctx, "id");
        String scene = pathText(ctx, "scene");
        RequestParams p = RequestParams.of(ctx, Set.of("revision"));
        ctx.json(store.shots(id, scene, revision(p, "revision"), Principal.of(ctx).visibility()));
    }

    private void shot(Context ctx) {
        UUID id = JsonBody.pathUuid(ctx, "id");
        String uuid = pathText(ctx, "uuid");
        RequestParams p = RequestParams.of(ctx, Set.of("revision"));
        ctx.json(store.shot(id, uuid, revision(p, "revision"), Principal.of(ctx).visibility()));
    }

    private void diff(Context ctx) {
        UUID id = JsonBody.pathUuid(ctx, "id");
        RequestParams p = RequestParams.of(ctx, Set.of("from", "to"));
        ctx.json(store.diff(id, revision(p, "from"), revision(p, "to"), Principal.of(ctx).visibility()));
    }

    private void search(Context ctx) {
        RequestParams p = RequestParams.of(ctx, Set.of("q", "project", "cursor", "limit"));
        Optional<String> q = text(p, "q").map(String::strip).filter(s -> !s.isEmpty());
        Optional<String> project = text(p, "project");
        Principal principal = Principal.of(ctx);
        project.filter(name -> !principal.canSee(name)).ifPresent(name -> {
            throw ApiException.notFound("project '" + name + "'");
        });
        int limit = p.integer("limit", 50, 1, 500);
        ctx.json(store.search(new SceneStore.Search(q, project), principal.visibility(), p.string("cursor"), limit));
    }

    /** A revision number parameter: a whole number, 1 or more. */
    private static Optional<Integer> revision(RequestParams p, String name) {
        return p.string(name).map(s -> {
            try {
                int n = Integer.parseInt(s.trim());
                if (n >= 1) return n;
            } catch (NumberFormatException e) {
                // refused below
            }
            throw ApiException.badRequest("invalid_parameter", "'" + name + "' must be a revision number (1 or more)", name);
        });
    }

    private static Optional<String> text(RequestParams p, String name) {
        Optional<String> v = p.string(name);
        if (v.filter(s -> s.length() > MAX_TEXT).isPresent()) {
            throw ApiException.badRequest("invalid_parameter", "'" + name + "' is longer than " + MAX_TEXT + " characters", name);
        }
        return v;
    }

    private static String pathText(Context ctx, String name) {
        String v = ctx.pathParam(name);
        if (v.isEmpty() || v.length() > MAX_TEXT || v.chars().anyMatch(c -> c < 0x20)) {
            throw ApiException.badRequest("invalid_parameter", "'" + name + "' is not a " + name + " of this project", name);
        }
        return v;
    }
}
