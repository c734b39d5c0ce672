package storyboard.promptlog;

import javax.sql.DataSource;
import org.jdbi.v3.core.Jdbi;
import storyboard.kernel.Api;
import storyboard.kernel.Capability;

/** Prompt history: every LLM prompt and response the artists' apps send, with tokens, cost and context. */
public final class PromptLogCapability implements Capability {
    private final PromptLogRoutes routes;

    public PromptLogCapability(DataSource dataSource, Jdbi jdbi, long maxBodyBytes, long maxBatchBodyBytes) {
        this.routes = new PromptLogRoutes(dataSource, jdbi, maxBodyBytes, maxBatchBodyBytes);
    }

    @Override
    public String name() {
        return "promptlog";
    }

    @Override
    public void routes(Api api) {
        routes.register(api);
    }

    /** Commits and answers what is queued before the server stops. */
    @Override
    public void close() {
        routes.close();
    }
}
