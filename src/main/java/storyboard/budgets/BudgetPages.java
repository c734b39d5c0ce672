package storyboard.budgets;

import io.javalin.http.Context;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;
import storyboard.api.ApiException;
import storyboard.api.JsonBody;
import storyboard.api.RequestParams;
import storyboard.kernel.Actor;
import storyboard.kernel.Api;
import storyboard.kernel.Json;
import storyboard.kernel.Page;
import storyboard.kernel.Principal;
import storyboard.web.Pages;

/**
 * The dashboard's budgets: {@code /budgets} shows each budget the credential sees (the studio's first) with a
 * month's spending against its limit, a page at a time; an admin sets a limit with its form ({@code POST /budgets},
 * the same command and {@code budget.set} event as the API). {@code /budgets/{id}} shows one budget's spending month
 * by month, and {@code /budgets/panel} is the overview's "Budgets".
 */
public final class BudgetPages {
    static final int PAGE = 50;
    static final int PANEL = 8;
    static final int HISTORY_MONTHS = 12;
    private static final Set<String> FORM_FIELDS = Set.of("project", "monthly_limit", "currency", "_csrf");
    private static final BigDecimal MAX_LIMIT = new BigDecimal("1e15");

    private final BudgetStore store;

    BudgetPages(Jdbi jdbi) {
        this.store = new BudgetStore(jdbi);
    }

    void register(Api api) {
        api.get("/budgets", this::list);
        api.post("/budgets", this::set);
        api.get("/budgets/panel", this::panel);
        api.get("/budgets/{id}", this::budget);
    }

    /** A budget as a bar shows it: amounts formatted, the meter's numbers, how full it is. */
    public record Bar(UUID id, String name, boolean studio, String spent, String limit, String remaining, String currency,
                      String value, String max, String low, long percent, String tone, List<Integer> thresholds) {
        static Bar of(BudgetStore.BudgetMonth b) {
            return of(b.id(), b.project(), b.spent(), b.monthlyLimit(), b.currency(), b.thresholdsReached());
        }

        static Bar of(UUID id, String project, BigDecimal spent, BigDecimal limit, String currency, List<Integer> thresholds) {
            long percent = spent.multiply(BigDecimal.valueOf(100)).divide(limit, 0, RoundingMode.FLOOR).longValue();
            String tone = percent >= 100 ? "bad" : percent >= 80 ? "warn" : "ok";
            return new Bar(id, project == null ? "Studio-wide" : project, project == null, money(spent), money(limit),
                    money(limit.subtract(spent).max(BigDecimal.ZERO)), currency, spent.toPlainString(),
                    limit.toPlainString(), limit.multiply(new BigDecimal("0.8")).toPlainString(), percent, tone,
                    thresholds);
        }
    }

    /** The set-a-limit form's values, shown again when they are refused. */
    public record Form(String project, String monthlyLimit, String currency) {
        static final Form EMPTY = new Form("", "", "USD");
    }

    /** One month of a budget's history. */
    public record Month(String period, Bar bar) {}

    private void list(Context ctx) {
        RequestParams p = RequestParams.of(ctx, Set.of("period", "cursor", "saved"));
        LocalDate month = period(p);
        Optional<UUID> saved = p.string("saved").map(BudgetPages::uuid);
        render(ctx, month, p.string("cursor"), saved, null, Form.EMPTY);
    }

    private void render(Context ctx, LocalDate month, Optional<String> cursor, Optional<UUID> saved, String error, Form form) {
        Page<BudgetStore.BudgetMonth> page = store.page(Principal.of(ctx).visibility(), month, PAGE, cursor);
        List<Bar> bars = page.items().stream().map(Bar::of).toList();
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("bars", bars);
        params.put("period", Spending.period(month));
        params.put("current", Spending.period(Spending.monthOf(Instant.now())));
        params.put("next", Optional.ofNullable(page.nextCursor()));
        if (cursor.isPresent() && ctx.header("HX-Request") != null) {
            Pages.render(ctx, "storyboard/budgets/budgetRows.jte", params);
            return;
        }
        params.put("saved", saved.flatMap(id -> bars.stream().filter(b -> b.id().equals(id)).findFirst()));
        params.put("error", Optional.ofNullable(error));
        params.put("form", form);
        Pages.render(ctx, "storyboard/budgets/budgets.jte", params);
    }

    /**
     * Sets a limit from the form, as {@code POST /api/v1/budgets} does: the project (empty: the studio's budget), the
     * monthly limit above 0, the currency (USD unless given). A refused value shows the page again with the form
     * filled in and what is wrong (400); then back to the list (303), which marks the budget saved.
     */
    private void set(Context ctx) {
        RequestParams.of(ctx, Set.of());
        Map<String, List<String>> fields = ctx.formParamMap();
        for (String name : fields.keySet()) {
            if (!FORM_FIELDS.contains(name)) {
                throw ApiException.badRequest("unknown_field", "unknown form field '" + name
                        + "' (known: currency, monthly_limit, project)", name);
            }
        }
        Form form = new Form(field(fields, "project"), field(fields, "monthly_limit"), field(fields, "currency"));
        String project = form.project().strip();
        String currency = form.currency().strip().toUpperCase(Locale.ROOT);
        String problem = null;
        BigDecimal limit = null;
        if (project.length() > 200) {
            problem = "The project's name is at most 200 characters.";
        } else if (form.monthlyLimit().isBlank()) {
            problem = "Give a monthly limit.";
        } else {
            try {
                limit = new BigDecimal(form.monthlyLimit().strip());
                if (limit.signum() <= 0 || limit.compareTo(MAX_LIMIT) >= 0 || limit.scale() > 30) {
                    problem = "The monthly limit must be a number above 0 and below 1e15.";
                }
            } catch (NumberFormatException e) {
                problem = "The monthly limit must be a number such as 250 or 99.50.";
            }
        }
        if (problem == null && !currency.isEmpty() && !currency.matches("[A-Z]{3}")) {
            problem = "The currency is a three-letter code such as USD.";
        }
        if (problem != null) {
            ctx.status(400);
            render(ctx, Spending.monthOf(Instant.now()), Optional.empty(), Optional.empty(), problem, form);
            return;
        }
        BudgetStore.SetResult r = store.set(Actor.of(ctx), Principal.of(ctx).visibility(),
                project.isEmpty() ? null : project, limit, currency.isEmpty() ? "USD" : currency);
        ctx.status(303).header("Location", "/budgets?saved=" + r.budget().id());
    }

    private static String field(Map<String, List<String>> fields, String name) {
        List<String> values = fields.get(name);
        if (values == null || values.isEmpty()) return "";
        if (values.size() > 1) throw ApiException.badRequest("invalid_field", "'" + name + "' is given more than once", name);
        return values.get(0);
    }

    private void budget(Context ctx) {
        RequestParams p = RequestParams.of(ctx, Set.of("period"));
        UUID id = JsonBody.pathUuid(ctx, "id");
        LocalDate last = period(p);
        BudgetStore.BudgetMonth b = store.get(id, Principal.of(ctx).visibility(), last);
        LocalDate first = last.minusMonths(HISTORY_MONTHS - 1);
        List<Month> months = new ArrayList<>();
        List<Long> x = new ArrayList<>();
        List<BigDecimal> spent = new ArrayList<>();
        List<BigDecimal> limit = new ArrayList<>();
        for (BudgetStore.MonthSpend m : store.spendingByMonth(b.project(), first, last)) {
            months.add(new Month(Spending.period(m.month()),
                    Bar.of(b.id(), b.project(), m.spent(), b.monthlyLimit(), b.currency(), List.of())));
            x.add(m.month().atStartOfDay().toEpochSecond(ZoneOffset.UTC));
            spent.add(m.spent());
            limit.add(b.monthlyLimit());
        }
        Map<String, Object> chart = new LinkedHashMap<>();
        chart.put("x", x);
        chart.put("series", List.of(Map.of("label", "Spent (" + b.currency() + ")", "values", spent),
                Map.of("label", "Limit (" + b.currency() + ")", "values", limit)));
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("bar", Bar.of(b));
        java.util.Collections.reverse(months); // the newest month first
        params.put("months", months);
        // Written unescaped into a <script type="application/json">: numbers and fixed labels, and no '<' to end it.
        params.put("chart", Json.MAPPER.valueToTree(chart).toString().replace("<", "\\u003c"));
        params.put("period", Spending.period(last));
        params.put("previous", Spending.period(last.minusMonths(HISTORY_MONTHS)));
        params.put("following", last.isBefore(Spending.monthOf(Instant.now()))
                ? Optional.of(Spending.period(last.plusMonths(HISTORY_MONTHS))) : Optional.empty());
        Pages.render(ctx, "storyboard/budgets/budget.jte", params);
    }

    private void panel(Context ctx) {
        RequestParams.of(ctx, Set.of());
        LocalDate month = Spending.monthOf(Instant.now());
        Page<BudgetStore.BudgetMonth> page = store.page(Principal.of(ctx).visibility(), month, PANEL, Optional.empty());
        Pages.render(ctx, "storyboard/budgets/budgetsPanel.jte", Map.of("bars", page.items().stream().map(Bar::of).toList(),
                "period", Spending.period(month)));
    }

    /** An amount as people read it: cents, or up to four decimals below 1. */
    static String money(BigDecimal d) {
        if (d.signum() != 0 && d.abs().compareTo(BigDecimal.ONE) < 0) {
            BigDecimal r = d.setScale(4, RoundingMode.HALF_UP).stripTrailingZeros();
            return (r.scale() < 2 ? r.setScale(2) : r).toPlainString();
        }
        return String.format(Locale.ROOT, "%,.2f", d);
    }

    private static LocalDate period(RequestParams p) {
        return p.string("period").map(s -> {
            try {
                YearMonth m = YearMonth.parse(s.trim());
                if (m.getYear() < 1970 || m.getYear() > 9999) throw new DateTimeParseException("out of range", s, 0);
                return m.atDay(1);
            } catch (DateTimeParseException e) {
                throw ApiException.badRequest("invalid_parameter", "'period' is a month such as 2026-11 (from 1970 on)", "period");
            }
        }).orElseGet(() -> Spending.monthOf(Instant.now()));
    }

    private static UUID uuid(String s) {
        try {
            return UUID.fromString(s.trim());
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("invalid_parameter", "'saved' must be a budget id", "saved");
        }
    }
}
