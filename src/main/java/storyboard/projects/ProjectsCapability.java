package storyboard.projects;

import java.nio.file.Path;
import java.util.List;
import org.jdbi.v3.core.Jdbi;
import storyboard.kernel.Actor;
import storyboard.kernel.Api;
import storyboard.kernel.BlobStorage;
import storyboard.kernel.Capability;

/**
 * B-Line storyboard projects: a folder of files kept as numbered revisions (each a manifest of blobs), imported as a
 * package, synced by delta pushes and pulls, and read as scenes → shots → panels.
 */
public final class ProjectsCapability implements Capability {
    /**
     * What the server's settings say about projects: how long a deleted one can be restored, and where an uploaded
     * zip waits while it is checked (on the blobs' disk).
     */
    public record Settings(int restoreDays, Path spoolDirectory) {}

    private final Jdbi jdbi;
    private final BlobStorage blobs;
    private final Settings settings;

    public ProjectsCapability(Jdbi jdbi, BlobStorage blobs, Settings settings) {
        this.jdbi = jdbi;
        this.blobs = blobs;
        this.settings = settings;
    }

    @Override
    public String name() {
        return "projects";
    }

    @Override
    public void routes(Api api) {
        ProjectImport.Limits limits = ProjectImport.Limits.of(blobs.maxBytes());
        new ProjectImportRoutes(store(), blobs, limits, settings.spoolDirectory()).register(api);
        new ProjectPushRoutes(store(), blobs, limits).register(api);
        new ProjectRoutes(store(), blobs).register(api);
        new SceneRoutes(jdbi, blobs).register(api);
        new ProjectPages(store(), new SceneStore(jdbi, blobs), new ProjectPageReads(jdbi)).register(api);
    }

    private ProjectStore store() {
        return new ProjectStore(jdbi, settings.restoreDays());
    }

    @Override
    public List<NavLink> nav() {
        return List.of(new NavLink("Projects", "/projects", 20));
    }

    /** The projects pushed to last, with who pushed them. */
    @Override
    public List<Panel> overviewPanels() {
        return List.of(new Panel("Recent pushes", "/projects/panel", 40));
    }

    /** Projects deleted longer ago than PROJECT_RESTORE_DAYS, with their revisions (their blobs go to gc). */
    @Override
    public List<Purged> purgeDeleted(Actor actor, boolean dryRun) {
        return store().purgeExpired(actor, dryRun).stream()
                .map(p -> new Purged("project", p.id().toString(), p.name(), p.name())).toList();
    }

    /** Every revision's files keep their blobs. */
    @Override
    public List<BlobReference> blobReferences() {
        return List.of(new BlobReference("project_file", "sha256"));
    }
}
