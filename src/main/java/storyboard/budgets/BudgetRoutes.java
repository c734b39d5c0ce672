package storyboard.budgets;

import io.javalin.http.Context;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;
import storyboard.kernel.Api;
import storyboard.api.ApiException;
import storyboard.api.JsonBody;
import storyboard.api.RequestParams;
import storyboard.kernel.Actor;
import storyboard.auth.Authenticator;
import storyboard.kernel.Principal;

/** {@code /api/v1/budgets}: monthly cost budgets per project and for the studio, and the pre-flight check. */
public final class BudgetRoutes {
    private final BudgetStore store;

    public BudgetRoutes(Jdbi jdbi) {
        this.store = new BudgetStore(jdbi);
    }

    public void register(Api api) {
        api.get("/api/v1/budgets", this::list);
        api.post("/api/v1/budgets", this::set);
        api.get("/api/v1/budgets/check", this::check);
        api.get("/api/v1/budgets/{id}", this::get);
        api.delete("/api/v1/budgets/{id}", this::delete);
    }

    private void list(Context ctx) {
        RequestParams p = RequestParams.of(ctx, Set.of("period"));
        LocalDate month = period(p);
        Principal principal = Principal.of(ctx);
        List<Map<String, Object>> items = store.list().stream()
                .filter(b -> BudgetStore.visible(b, principal.projects()))
                .map(b -> json(b, month)).toList();
        ctx.json(Map.of("period", month.toString().substring(0, 7), "items", items));
    }

    private void get(Context ctx) {
        RequestParams p = RequestParams.of(ctx, Set.of("period"));
        UUID id = JsonBody.pathUuid(ctx, "id");
        BudgetStore.Budget b = store.find(id).filter(x -> BudgetStore.visible(x, Principal.of(ctx).projects()))
                .orElseThrow(() -> ApiException.notFound("budget " + id));
        ctx.json(json(b, period(p)));
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
        Principal principal = Principal.of(ctx);
        if (principal.restricted() && (project == null || !principal.canSee(project))) {
            throw project == null
                    ? new ApiException(403, "forbidden", "a credential restricted to projects cannot set the studio-wide budget")
                    : ApiException.notFound("project '" + project + "'");
        }
        BudgetStore.SetResult r = store.set(Actor.of(ctx), project, limit, currency);
        ctx.status(r.created() ? 201 : 200).json(json(r.budget(), Spending.monthOf(Instant.now())));
    }

    private void delete(Context ctx) {
        RequestParams.of(ctx, Set.of());
        UUID id = JsonBody.pathUuid(ctx, "id");
        if (!store.delete(Actor.of(ctx), id, Principal.of(ctx).projects())) {
            throw ApiException.notFound("budget " + id);
        }
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
        if (!principal.canSee(project)) throw ApiException.notFound("project '" + project + "'");
        LocalDate month = Spending.monthOf(Instant.now());
        Map<String, Object> projectPart = standing(store.findByProject(project).orElse(null), project, month);
        Map<String, Object> studioPart = standing(store.findByProject(null).orElse(null), null, month);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("project", project);
        body.put("period", month.toString().substring(0, 7));
        body.put("allowed", (Boolean) projectPart.remove("allowed") && (Boolean) studioPart.remove("allowed"));
        body.putAll(projectPart);
        body.put("studio", studioPart);
        ctx.json(body);
    }

    /** Spent, limit and remaining for a budget (null: none set, so no limit). */
    private Map<String, Object> standing(BudgetStore.Budget b, String project, LocalDate month) {
        BigDecimal spent = store.spent(project, month);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("spent", spent);
        m.put("monthly_limit", b == null ? null : b.monthlyLimit());
        m.put("remaining", b == null ? null : b.monthlyLimit().subtract(spent).max(BigDecimal.ZERO));
        m.put("currency", b == null ? null : b.currency());
        m.put("allowed", b == null || spent.compareTo(b.monthlyLimit()) < 0);
        return m;
    }

    private Map<String, Object> json(BudgetStore.Budget b, LocalDate month) {
        BigDecimal spent = store.spent(b.project(), month);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", b.id());
        m.put("project", b.project());
        m.put("studio_wide", b.project() == null);
        m.put("monthly_limit", b.monthlyLimit());
        m.put("currency", b.currency());
        m.put("period", month.toString().substring(0, 7));
        m.put("spent", spent);
        m.put("remaining", b.monthlyLimit().subtract(spent).max(BigDecimal.ZERO));
        m.put("thresholds_reached", store.alerts(b.id(), month));
        m.put("created_at", b.createdAt());
        m.put("created_by", b.createdBy());
        m.put("updated_at", b.updatedAt());
        return m;
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
