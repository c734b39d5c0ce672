package storyboard.promptlog;

import java.util.List;
import javax.sql.DataSource;
import org.jdbi.v3.core.Jdbi;
import storyboard.kernel.Api;
import storyboard.kernel.Capability;
import storyboard.kernel.PromptUsageQuery;
import storyboard.kernel.SpendListener;

/** Prompt history: every LLM prompt and response the artists' apps send, with tokens, cost and context. */
public final class PromptLogCapability implements Capability {
    private final PromptLogRoutes routes;
    private final HistoryPages pages;
    private final OverviewPanels panels;
    private final PromptUsage usage;

    /** {@code spending} hears of the cost of every log stored or deleted, in the same transaction. */
    public PromptLogCapability(DataSource dataSource, Jdbi jdbi, SpendListener spending, long maxBodyBytes,
                               long maxBatchBodyBytes) {
        this.routes = new PromptLogRoutes(dataSource, jdbi, spending, maxBodyBytes, maxBatchBodyBytes);
        PromptLogStore store = new PromptLogStore(jdbi, spending);
        this.pages = new HistoryPages(store);
        this.panels = new OverviewPanels(store);
        this.usage = new PromptUsage(jdbi);
    }

    @Override
    public String name() {
        return "promptlog";
    }

    @Override
    public void routes(Api api) {
        routes.register(api);
        pages.register(api);
        panels.register(api);
    }

    @Override
    public List<NavLink> nav() {
        return List.of(new NavLink("History", "/history", 10));
    }

    /** Cost and tokens today and this month with the logs per hour; this month's top types, models, users, projects. */
    @Override
    public List<Panel> overviewPanels() {
        return OverviewPanels.PANELS;
    }

    /** How often the logs used each version of a registry prompt. */
    public PromptUsageQuery usage() {
        return usage;
    }

    @Override
    public void start() {
        routes.start();
    }

    /** Commits and answers what is queued before the server stops. */
    @Override
    public void close() {
        routes.close();
    }
}
