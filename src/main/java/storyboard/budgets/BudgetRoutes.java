package storyboard.budgets;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.javalin.http.Context;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;
import storyboard.api.ApiException;
import storyboard.api.JsonBody;
import storyboard.api.RequestParams;
import storyboard.kernel.Actor;
import storyboard.kernel.Api;
import storyboard.kernel.Principal;

/** {@code /api/v1/budgets}: monthly cost budgets per project and for the studio, and the pre-flight check. */
final class BudgetRoutes {
    private final BudgetStore store;

    BudgetRoutes(Jdbi jdbi) {
        this.store = new BudgetStore(jdbi);
    }

    /** The budgets a credential sees, with a month's spending. */
    record Budgets(String period, List<BudgetStore.BudgetMonth> items) {}

    /** Whether a project may still spend this month: its own standing, then the studio's. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record Check(String project, String period, boolean allowed, BigDecimal spent, BigDecimal monthlyLimit,
                 BigDecimal remaining, String currency, BudgetStore.Standing studio) {}

    void register(Api api) {
        api.get("/api/v1/budgets", this::list);
        api.post("/api/v1/budgets", this::set);
        api.get("/api/v1/budgets/check", this::check);
        api.get("/api/v1/budgets/{id}", this::get);
        api.delete("/api/v1/budgets/{id}", this::delete);
    }

    private void list(Context ctx) {
        LocalDate month = period(RequestParams.of(ctx, Set.of("period")));
        ctx.json(new Budgets(Spending.period(month), store.list(Principal.of(ctx).visibility(), month)));
    }

    private void get(Context ctx) {
        RequestParams p = RequestParams.of(ctx, Set.of("period"));
        UUID id = JsonBody.pathUuid(ctx, "id");
        ctx.json(store.get(id, Principal.of(ctx).visibility(), period(p)));
    }

    /** Creates or replaces the budget of {@code project} (absent or null: the studio-wide budget). */
    private void set(Context ctx) {
        JsonBody body = JsonBody.read(ctx, Set.of("project", "monthly_limit", "currency"));
        String project = body.string("project", 200).orElse(null);
        if (project != null && project.isBlank()) {
            throw ApiException.badRequest("invalid_field", "'project' must not be empty; omit it for the studio-wide budget", "project");
        }
        BigDecimal limit = body.decimal("monthly_limit", true).orElseThrow(() ->
                ApiException.badRequest("missing_field", "'monthly_limit' is required", "monthly_limit"));
        String currency = body.string("currency", 3).orElse("USD");
        if (!currency.matches("[A-Z]{3}")) {
            throw ApiException.badRequest("invalid_field", "'currency' is a three-letter code such as USD", "currency");
        }
        BudgetStore.SetResult r = store.set(Actor.of(ctx), Principal.of(ctx).visibility(), project, limit, currency);
        ctx.status(r.created() ? 201 : 200).json(r.budget());
    }

    private void delete(Context ctx) {
        RequestParams.of(ctx, Set.of());
        store.delete(Actor.of(ctx), JsonBody.pathUuid(ctx, "id"), Principal.of(ctx).visibility());
        ctx.status(204);
    }

    /**
     * Before an expensive call: may this project still spend this month? Allowed unless its budget or the
     * studio's is used up. Only advice: ingest never refuses a log because of a budget.
     */
    private void check(Context ctx) {
        RequestParams p = RequestParams.of(ctx, Set.of("project"));
        Principal principal = Principal.of(ctx);
        String project = p.string("project").orElse(null);
        if (project == null && principal.restricted() && principal.projects().size() == 1) {
            project = principal.projects().iterator().next();
        }
        if (project == null) throw ApiException.badRequest("missing_parameter", "'project' is required", "project");
        if (!principal.visibility().canSee(project)) throw ApiException.notFound("project '" + project + "'");
        LocalDate month = Spending.monthOf(Instant.now());
        BudgetStore.Standing own = store.standing(project, month);
        BudgetStore.Standing studio = store.standing(null, month);
        ctx.json(new Check(project, Spending.period(month), own.allowsSpending() && studio.allowsSpending(),
                own.spent(), own.monthlyLimit(), own.remaining(), own.currency(), studio));
    }

    private static LocalDate period(RequestParams p) {
        return p.string("period").map(s -> {
            try {
                return YearMonth.parse(s.trim()).atDay(1);
            } catch (DateTimeParseException e) {
                throw ApiException.badRequest("invalid_parameter", "'period' is a month such as 2026-11", "period");
            }
        }).orElseGet(() -> Spending.monthOf(Instant.now()));
    }
}
