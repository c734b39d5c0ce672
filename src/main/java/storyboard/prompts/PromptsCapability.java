package storyboard.prompts;

import java.util.List;
import org.jdbi.v3.core.Jdbi;
import storyboard.kernel.Api;
import storyboard.kernel.Capability;
import storyboard.kernel.PromptUsageQuery;

/** The prompt registry: versioned prompt templates with labels; prompt history tells it how each version is used. */
public final class PromptsCapability implements Capability {
    private final Jdbi jdbi;
    private final PromptUsageQuery usage;

    public PromptsCapability(Jdbi jdbi, PromptUsageQuery usage) {
        this.jdbi = jdbi;
        this.usage = usage;
    }

    @Override
    public String name() {
        return "prompts";
    }

    @Override
    public void routes(Api api) {
        PromptStore store = new PromptStore(jdbi);
        new PromptRoutes(store, usage).register(api);
        new PromptPages(store, usage).register(api);
    }

    @Override
    public List<NavLink> nav() {
        return List.of(new NavLink("Prompts", "/prompts", 30));
    }
}
