package storyboard.server;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import storyboard.assets.AssetsCapability;
import storyboard.assets.UploadMemory;
import storyboard.auth.AuthCapability;
import storyboard.budgets.BudgetsCapability;
import storyboard.events.EventsCapability;
import storyboard.events.WebhookDispatcher;
import storyboard.kernel.Capability;
import storyboard.promptlog.PromptLogCapability;
import storyboard.prompts.PromptsCapability;
import storyboard.projects.ProjectsCapability;
import storyboard.web.DashboardCapability;
import storyboard.web.Site;
import java.util.stream.Stream;

/**
 * Every capability of the server, built from the settings, with what one tells another wired here (prompt history
 * tells budgets what logs cost, and the registry how its prompts are used). Building starts nothing: the server
 * starts them, and a command may build them only to ask, e.g. which columns keep a blob alive.
 *
 * @param all every capability, in the order they start (they stop in the reverse order)
 */
public record Capabilities(AuthCapability auth, AssetsCapability assets, Site site, List<Capability> all) {
    public static Capabilities of(Config config, Database database) {
        AuthCapability auth = new AuthCapability(database.jdbi(), new AuthCapability.Settings(config.authToken(),
                config.authTokenScopes(), config.jwt(), config.rateLimit(), config.rateLimitIngest()));
        AssetsCapability assets;
        try {
            assets = new AssetsCapability(database.jdbi(), new AssetsCapability.Settings(config.blobDir(),
                    config.uploadMemoryBytes().map(UploadMemory::new).orElseGet(UploadMemory::forThisJvm),
                    config.maxBlobBytes(), config.assetRestoreDays()));
        } catch (IOException e) {
            throw new App.StartupException("cannot use the blob directory " + config.blobDir() + " (BLOB_DIR): "
                    + e.getMessage(), e);
        }
        Duration retention = Duration.ofDays(config.eventRetentionDays());
        BudgetsCapability budgets = new BudgetsCapability(database.jdbi());
        PromptLogCapability promptLog = new PromptLogCapability(database.dataSource(), database.jdbi(),
                budgets.spendListener(), config.maxBodyBytes(), config.maxBatchBodyBytes());
        List<Capability> parts = List.of(
                auth,
                new EventsCapability(database.jdbi(), database.dataSource(), retention, new WebhookDispatcher.Settings(
                        config.webhookRetryDelay(), config.webhookRetryWindow(), config.webhookPauseAfter(),
                        config.webhookPauseFailingFor(), retention), App.VERSION),
                budgets,
                promptLog,
                new PromptsCapability(database.jdbi(), promptLog.usage()),
                assets,
                new ProjectsCapability(database.jdbi(), assets.blobs(),
                        new ProjectsCapability.Settings(config.projectRestoreDays())));
        // The dashboard: the overview of every capability's panels, the navigation of all their pages.
        Site site = Site.of(parts);
        DashboardCapability dashboard = new DashboardCapability(
                parts.stream().flatMap(c -> c.overviewPanels().stream()).toList(), site);
        return new Capabilities(auth, assets, site, Stream.concat(parts.stream(), Stream.of(dashboard)).toList());
    }

    /** Every column of every capability that holds a blob's SHA-256: a blob one of them names is never collected. */
    public List<Capability.BlobReference> blobReferences() {
        return all.stream().flatMap(c -> c.blobReferences().stream()).toList();
    }
}
