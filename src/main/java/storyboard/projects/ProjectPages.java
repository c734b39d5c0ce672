package storyboard.projects;

import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import storyboard.api.ApiException;
import storyboard.api.JsonBody;
import storyboard.api.RequestParams;
import storyboard.kernel.Api;
import storyboard.kernel.Page;
import storyboard.kernel.Principal;
import storyboard.kernel.RouteAccess;
import storyboard.web.Pages;

/**
 * The dashboard's project pages: {@code /projects}, the projects with their head revision and last push (name search
 * and archived ones in the URL, more rows as the list scrolls); {@code /projects/{id}}, a project's facts, downloads,
 * links to its prompt logs and assets, and its revisions; {@code /projects/{id}/revisions/{revision}}, what a
 * revision changed; {@code /projects/{id}/scenes}, a revision's scenes → shots → panel thumbnails in order. A project
 * the credential may not see, or a deleted one, is a 404 page, as in the API.
 */
final class ProjectPages {
    /** Rows per page of the list. */
    static final int PAGE_SIZE = 50;
    /** Revisions per page of a project's list. */
    static final int REVISIONS_PAGE_SIZE = 50;
    /** Scenes per page of the scenes view: a big project's scene holds some 20 shots and 80 thumbnails. */
    static final int SCENES_PAGE_SIZE = 5;
    /** The overview's recent pushes. */
    static final int PANEL_SIZE = 6;

    private static final Set<String> LIST_PARAMS = Set.of("q", "archived", "limit", "cursor");
    private static final Set<String> BOOLEANS = Set.of("true", "false");

    private final ProjectStore store;
    private final SceneStore scenes;
    private final ProjectPageReads reads;

    ProjectPages(ProjectStore store, SceneStore scenes, ProjectPageReads reads) {
        this.store = store;
        this.scenes = scenes;
        this.reads = reads;
    }

    void register(Api api) {
        api.get("/projects", this::list);
        // Before {id}, which they would otherwise match.
        api.get("/projects/more", this::more);
        api.get("/projects/panel", this::panel);
        api.get("/projects/{id}", this::project);
        api.get("/projects/{id}/revisions", this::moreRevisions);
        api.get("/projects/{id}/revisions/{revision}", this::revision);
        api.get("/projects/{id}/scenes", this::scenes);
        api.get("/projects/{id}/scenes/more", this::moreScenes);
    }

    private record Listing(ProjectViews.ListQuery query, List<ProjectViews.Row> rows, String next) {}

    private Listing listing(Context ctx) {
        RequestParams p = RequestParams.of(ctx, LIST_PARAMS);
        Optional<String> q = p.string("q").map(String::trim).filter(s -> !s.isEmpty());
        if (q.isPresent() && q.get().length() > 200) {
            throw ApiException.badRequest("invalid_parameter", "'q' is at most 200 characters", "q");
        }
        boolean archived = p.oneOf("archived", BOOLEANS).map(Boolean::parseBoolean).orElse(false);
        Integer limit = p.string("limit").isPresent() ? p.integer("limit", PAGE_SIZE, 1, 500) : null;
        Page<ProjectPageReads.ProjectRow> page = reads.list(Principal.of(ctx).visibility(), q, archived,
                limit == null ? PAGE_SIZE : limit, p.string("cursor"));
        return new Listing(new ProjectViews.ListQuery(q.orElse(""), archived, limit),
                page.items().stream().map(ProjectViews.Row::of).toList(), page.nextCursor());
    }

    private void list(Context ctx) {
        Listing l = listing(ctx);
        Map<String, Object> params = new HashMap<>();
        params.put("query", l.query());
        params.put("rows", l.rows());
        params.put("next", l.next() == null ? "" : l.next());
        Pages.render(ctx, "storyboard/projects/projects.jte", params);
    }

    /** The list's next rows, for its infinite scroll. */
    private void more(Context ctx) {
        Listing l = listing(ctx);
        Pages.render(ctx, "storyboard/projects/projectRows.jte", Map.of("query", l.query(), "rows", l.rows(),
                "next", l.next() == null ? "" : l.next()));
    }

    /** The overview's panel: the projects pushed to last. */
    private void panel(Context ctx) {
        RequestParams.of(ctx, Set.of());
        Pages.render(ctx, "storyboard/projects/projectsPanel.jte", Map.of("rows",
                reads.recent(Principal.of(ctx).visibility(), PANEL_SIZE).stream().map(ProjectViews.Row::of).toList()));
    }

    private ProjectPageReads.ProjectRow visible(Context ctx) {
        UUID id = JsonBody.pathUuid(ctx, "id");
        return reads.project(id, Principal.of(ctx).visibility()).orElseThrow(() -> ApiException.notFound("project " + id));
    }

    private ProjectViews.Project view(Context ctx, ProjectPageReads.ProjectRow row) {
        Principal principal = Principal.of(ctx);
        return ProjectViews.project(row, new ProjectViews.Links(mayOpenPage(principal, "/history"),
                mayOpenPage(principal, "/assets"), may(principal, "GET /api/v1/projects/{id}/export")));
    }

    private void project(Context ctx) {
        RequestParams p = RequestParams.of(ctx, Set.of("cursor"));
        ProjectPageReads.ProjectRow row = visible(ctx);
        Page<ProjectRecords.Revision> page = store.revisions(row.id(), REVISIONS_PAGE_SIZE, p.string("cursor"));
        Map<String, Object> params = new HashMap<>();
        params.put("project", view(ctx, row));
        params.put("revisions", page.items().stream().map(r -> ProjectViews.Revision.of(row.id(), r)).toList());
        params.put("next", page.nextCursor() == null ? "" : page.nextCursor());
        params.put("firstPage", p.string("cursor").isEmpty());
        Pages.render(ctx, "storyboard/projects/project.jte", params);
    }

    /** A project's next revisions, for the infinite scroll of its page. */
    private void moreRevisions(Context ctx) {
        RequestParams p = RequestParams.of(ctx, Set.of("cursor"));
        ProjectPageReads.ProjectRow row = visible(ctx);
        Page<ProjectRecords.Revision> page = store.revisions(row.id(), REVISIONS_PAGE_SIZE, p.string("cursor"));
        Pages.render(ctx, "storyboard/projects/revisionRows.jte", Map.of("project", view(ctx, row),
                "revisions", page.items().stream().map(r -> ProjectViews.Revision.of(row.id(), r)).toList(),
                "next", page.nextCursor() == null ? "" : page.nextCursor()));
    }

    /**
     * One revision: who pushed it and why, its import report, and what it changed against its parent (or the
     * revision {@code base} names).
     */
    private void revision(Context ctx) {
        RequestParams p = RequestParams.of(ctx, Set.of("base"));
        ProjectPageReads.ProjectRow row = visible(ctx);
        int number = pathRevision(ctx);
        ProjectRecords.Revision revision = store.revision(row.id(), number)
                .orElseThrow(() -> new ApiException(404, "not_found", "project " + row.id() + " has no revision " + number));
        Optional<Integer> asked = p.versionNumber("base");
        if (asked.isPresent() && asked.get() >= number) {
            throw ApiException.badRequest("invalid_parameter", "'base' must be a revision before " + number, "base");
        }
        if (asked.isPresent() && store.revision(row.id(), asked.get()).isEmpty()) {
            throw new ApiException(404, "not_found", "project " + row.id() + " has no revision " + asked.get());
        }
        int base = asked.orElse(revision.parentRevision() == null ? 0 : revision.parentRevision());
        ProjectViews.Project project = view(ctx, row);
        ProjectPageReads.FileChanges changes = reads.fileChanges(row.id(), base, number);
        SceneViews.DiffAnswer diff = scenes.diff(row.id(), base == 0 ? Optional.empty() : Optional.of(base),
                Optional.of(number), Principal.of(ctx).visibility());
        Map<String, Object> params = new HashMap<>();
        params.put("project", project);
        params.put("revision", ProjectViews.Revision.of(row.id(), revision));
        params.put("base", base);
        params.put("report", ProjectViews.report(revision.report()));
        params.put("diff", ProjectViews.diff(diff, project, number, base));
        boolean files = may(Principal.of(ctx), FILE_ROUTE);
        params.put("changes", changes.listed().stream().map(c -> ProjectViews.fileChange(c,
                files ? ProjectViews.fileHref(row.id(), number, c.path()) : null)).toList());
        params.put("added", changes.added());
        params.put("modified", changes.modified());
        params.put("removed", changes.removed());
        params.put("unlisted", changes.total() - changes.listed().size());
        Pages.render(ctx, "storyboard/projects/revision.jte", params);
    }

    /** A page of the scenes view: the revision's scenes in order (from the structured view) and where the page starts. */
    private record SceneSpan(ProjectViews.Project project, int revision, List<SceneViews.SceneSummary> all, int from) {}

    private SceneSpan sceneSpan(Context ctx, RequestParams p, ProjectPageReads.ProjectRow row) {
        int revision = p.versionNumber("revision").orElse(row.head());
        List<SceneViews.SceneSummary> all = scenes.scenes(row.id(), Optional.of(revision),
                Principal.of(ctx).visibility()).scenes();
        int from = 0;
        Optional<String> fromKey = p.string("from");
        if (fromKey.isPresent()) {
            from = -1;
            for (int i = 0; i < all.size(); i++) if (all.get(i).key().equals(fromKey.get())) from = i;
            if (from < 0) {
                throw new ApiException(404, "not_found", "revision " + revision + " has no scene " + fromKey.get());
            }
        }
        return new SceneSpan(view(ctx, row), revision, all, from);
    }

    /** The scenes of a page: {@link #SCENES_PAGE_SIZE} from {@code from}, each with its shots and panels in order. */
    private List<ProjectViews.Scene> read(SceneSpan span, ProjectPageReads.ProjectRow row, Principal principal) {
        boolean history = mayOpenPage(principal, "/history");
        List<ProjectViews.Scene> out = new ArrayList<>();
        for (SceneViews.SceneSummary summary : span.all().subList(span.from(),
                Math.min(span.all().size(), span.from() + SCENES_PAGE_SIZE))) {
            SceneViews.ShotList shots = scenes.shots(row.id(), summary.key(), Optional.of(span.revision()),
                    principal.visibility());
            out.add(ProjectViews.scene(summary, shots.shots(), row.fps(), history
                    ? "/history?project=" + ProjectViews.param(row.name()) + "&scene=" + ProjectViews.param(summary.name())
                    : null));
        }
        return out;
    }

    private Map<String, Object> scenesModel(SceneSpan span, List<ProjectViews.Scene> scenes) {
        int after = span.from() + SCENES_PAGE_SIZE;
        String nextKey = after < span.all().size() ? span.all().get(after).key() : null;
        Map<String, Object> params = new HashMap<>();
        params.put("project", span.project());
        params.put("revision", span.revision());
        params.put("scenes", scenes);
        params.put("more", nextKey == null ? "" : ProjectViews.href(span.project().href() + "/scenes/more",
                Map.of("revision", String.valueOf(span.revision()), "from", nextKey)));
        params.put("morePage", nextKey == null ? "" : scenesHref(span, nextKey));
        return params;
    }

    private static String scenesHref(SceneSpan span, String fromKey) {
        return span.project().scenesHref(span.revision()) + "&from=" + ProjectViews.param(fromKey);
    }

    private void scenes(Context ctx) {
        RequestParams p = RequestParams.of(ctx, Set.of("revision", "from"));
        ProjectPageReads.ProjectRow row = visible(ctx);
        SceneSpan span = sceneSpan(ctx, p, row);
        Map<String, Object> params = scenesModel(span, read(span, row, Principal.of(ctx)));
        List<ProjectViews.SceneLink> toc = new ArrayList<>();
        for (SceneViews.SceneSummary f : span.all()) {
            toc.add(new ProjectViews.SceneLink(f.key(), f.name(), scenesHref(span, f.key()) + "#" + ProjectViews.sceneAnchor(f.key())));
        }
        params.put("toc", toc);
        params.put("from", span.from());
        Pages.render(ctx, "storyboard/projects/scenes.jte", params);
    }

    /** The next scenes, for the infinite scroll of the scenes page. */
    private void moreScenes(Context ctx) {
        RequestParams p = RequestParams.of(ctx, Set.of("revision", "from"));
        if (p.string("from").isEmpty()) {
            throw ApiException.badRequest("missing_parameter", "'from' is required: the first scene to show", "from");
        }
        ProjectPageReads.ProjectRow row = visible(ctx);
        SceneSpan span = sceneSpan(ctx, p, row);
        Pages.render(ctx, "storyboard/projects/sceneList.jte", scenesModel(span, read(span, row, Principal.of(ctx))));
    }

    private static final String FILE_ROUTE = "GET /api/v1/projects/{id}/files/<path>";

    private static int pathRevision(Context ctx) {
        String raw = ctx.pathParam("revision");
        try {
            int n = Integer.parseInt(raw);
            if (n >= 1) return n;
        } catch (NumberFormatException e) {
            // below
        }
        throw ApiException.badRequest("invalid_parameter", "'revision' must be a revision number (1 or more), not '" + raw + "'", "revision");
    }

    /** Whether the server has this API route and the credential may use it. */
    private static boolean may(Principal principal, String route) {
        RouteAccess.Rule rule = RouteAccess.table().get(route);
        return rule != null && rule.allows(principal);
    }

    /** Whether the server has this page (another capability's, which may not exist) and the credential may open it. */
    private static boolean mayOpenPage(Principal principal, String path) {
        return RouteAccess.of("GET", path).map(r -> r.page() && r.allows(principal)).orElse(false);
    }
}
