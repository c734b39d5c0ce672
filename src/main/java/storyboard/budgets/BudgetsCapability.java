package storyboard.budgets;

import java.util.List;
import org.jdbi.v3.core.Jdbi;
import storyboard.kernel.Api;
import storyboard.kernel.Capability;
import storyboard.kernel.SpendListener;

/** Monthly budgets per project and studio-wide, and the spending they are checked against. */
public final class BudgetsCapability implements Capability {
    private final Jdbi jdbi;
    private final Spending spending = new Spending();

    public BudgetsCapability(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    @Override
    public String name() {
        return "budgets";
    }

    @Override
    public void routes(Api api) {
        new BudgetRoutes(jdbi).register(api);
        new BudgetPages(jdbi).register(api);
    }

    @Override
    public List<NavLink> nav() {
        return List.of(new NavLink("Budgets", "/budgets", 60));
    }

    @Override
    public List<Panel> overviewPanels() {
        return List.of(new Panel("Budgets", "/budgets/panel", 50));
    }

    /** What keeps the monthly spending: prompt history tells it of every log added or removed. */
    public SpendListener spendListener() {
        return spending;
    }
}
