package storyboard.prompts;

import org.jdbi.v3.core.Jdbi;
import storyboard.kernel.Api;
import storyboard.kernel.Capability;

/** The prompt registry: versioned prompt templates with labels. */
public final class PromptsCapability implements Capability {
    private final Jdbi jdbi;

    public PromptsCapability(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    @Override
    public String name() {
        return "prompts";
    }

    @Override
    public void routes(Api api) {
        new PromptRoutes(jdbi).register(api);
    }
}
