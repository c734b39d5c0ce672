package storyboard.promptlog;

import io.javalin.http.Context;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.TextStyle;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import storyboard.api.ApiException;
import storyboard.api.ErrorResponses;
import storyboard.api.RequestParams;
import storyboard.kernel.Api;
import storyboard.kernel.Capability;
import storyboard.kernel.DomainException;
import storyboard.kernel.Json;
import storyboard.kernel.Principal;
import storyboard.web.Pages;

/**
 * Prompt history's panels on the dashboard's overview, each an HTML fragment the overview loads: the cost, tokens
 * and logs of today and this month with a chart of the logs per hour ({@value #COSTS}), and this month's top types,
 * models, users and projects, each linking to the history filtered on it ({@value #TOP}). Read from the rollups
 * through the store, with the credential's visibility. Public for the templates' records and number formats.
 */
public final class OverviewPanels {
    static final String COSTS = "/history/overview/costs";
    static final String TOP = "/history/overview/top";
    static final List<Capability.Panel> PANELS = List.of(
            new Capability.Panel("Prompts: cost and tokens", COSTS, 10),
            new Capability.Panel("Prompts: top this month", TOP, 20));

    private static final DateTimeFormatter HOUR = DateTimeFormatter.ofPattern("EEE HH:00", Locale.ENGLISH);

    private final PromptLogStore store;

    OverviewPanels(PromptLogStore store) {
        this.store = store;
    }

    void register(Api api) {
        api.get(COSTS, this::costs);
        api.get(TOP, this::top);
    }

    /** One hour of the chart's table: when (UTC) and how many logs. */
    public record HourRow(String label, String iso, long count, String cost) {}

    /** An entry of a top list: its name, the history filtered on it, its figures, its bar (its share of the first). */
    public record Entry(String key, String href, long count, String tokens, String cost) {}

    /** A top list: its heading, its entries (most logs first) and the largest count, the bars' full scale. */
    public record TopList(String title, List<Entry> entries, long max) {}

    private void costs(Context ctx) {
        fragment(ctx, () -> {
            RequestParams.of(ctx, Set.of());
            Instant now = Instant.now();
            PromptLogOverview.Recent recent = store.overviewRecent(Principal.of(ctx).visibility(), now);
            LocalDate day = now.atZone(ZoneOffset.UTC).toLocalDate();
            List<HourRow> hours = new ArrayList<>();
            List<Long> x = new ArrayList<>();
            List<Long> counts = new ArrayList<>();
            for (PromptLogOverview.Hour h : recent.perHour()) {
                hours.add(new HourRow(HOUR.format(h.hour().atZone(ZoneOffset.UTC)), h.hour().toString(), h.count(),
                        cost(h.cost())));
                x.add(h.hour().getEpochSecond());
                counts.add(h.count());
            }
            long last48 = counts.stream().mapToLong(Long::longValue).sum();
            PromptLogOverview.Hour busiest = recent.perHour().stream()
                    .max(Comparator.comparingLong(PromptLogOverview.Hour::count)).orElseThrow();
            Map<String, Object> chart = new LinkedHashMap<>();
            chart.put("x", x);
            chart.put("series", List.of(Map.of("label", "Logs", "values", counts)));
            Map<String, Object> model = new LinkedHashMap<>();
            model.put("recent", recent);
            model.put("todayHref", history(Map.of("from", day.toString())));
            model.put("monthHref", history(Map.of("from", day.withDayOfMonth(1).toString())));
            model.put("hours", hours);
            // The chart's spec in the data-chart attribute (htmx drops a fragment's script elements).
            model.put("chart", json(chart));
            model.put("summary", last48 == 0 ? "No logs in the last 48 hours."
                    : number(last48) + (last48 == 1 ? " log" : " logs") + " in the last 48 hours; the busiest hour, "
                    + HOUR.format(busiest.hour().atZone(ZoneOffset.UTC)) + " UTC, had " + number(busiest.count()) + ".");
            return new Fragment("storyboard/promptlog/overviewCosts.jte", model);
        });
    }

    private void top(Context ctx) {
        fragment(ctx, () -> {
            RequestParams.of(ctx, Set.of());
            PromptLogOverview.Tops tops = store.overviewTops(Principal.of(ctx).visibility(), Instant.now());
            String from = tops.month().toString();
            List<TopList> lists = List.of(
                    list("Types", "type", tops.types(), from),
                    list("Models", "llm", tops.models(), from),
                    list("Users", "user", tops.users(), from),
                    list("Projects", "project", tops.projects(), from));
            String month = tops.month().getMonth().getDisplayName(TextStyle.FULL, Locale.ENGLISH) + " "
                    + tops.month().getYear();
            return new Fragment("storyboard/promptlog/overviewTop.jte", Map.of("lists", lists, "month", month));
        });
    }

    private static TopList list(String title, String param, List<PromptLogOverview.Top> tops, String from) {
        Map<String, String> filter = new LinkedHashMap<>();
        List<Entry> entries = new ArrayList<>();
        for (PromptLogOverview.Top t : tops) {
            filter.clear();
            filter.put(param, t.key());
            filter.put("from", from);
            entries.add(new Entry(t.key(), history(filter), t.count(), number(t.tokens()), cost(t.cost())));
        }
        return new TopList(title, entries, tops.isEmpty() ? 1 : Math.max(1, tops.get(0).count()));
    }

    private static String json(Object value) {
        try {
            return Json.MAPPER.writeValueAsString(value);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The history page under these filters (the API's parameter names). */
    static String history(Map<String, String> filter) {
        StringBuilder b = new StringBuilder("/history");
        char sep = '?';
        for (Map.Entry<String, String> e : filter.entrySet()) {
            b.append(sep).append(e.getKey()).append('=').append(URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8));
            sep = '&';
        }
        return b.toString();
    }

    /** A whole number with thousands separators: 12,345. */
    public static String number(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    /** A cost as people read it: 2 decimals from 1 up (1,234.50), 4 below (0.0123), no trailing noise. */
    public static String cost(BigDecimal c) {
        if (c == null || c.signum() == 0) return "0";
        BigDecimal abs = c.abs();
        return abs.compareTo(BigDecimal.ONE) >= 0
                ? String.format(Locale.ROOT, "%,.2f", c.setScale(2, RoundingMode.HALF_UP))
                : c.setScale(4, RoundingMode.HALF_UP).stripTrailingZeros().toPlainString();
    }

    private record Fragment(String template, Map<String, Object> model) {}

    private interface Render {
        Fragment get();
    }

    /** Renders a panel; a refusal is a notice in the panel with its status, not a whole error page inside it. */
    private static void fragment(Context ctx, Render render) {
        Fragment f;
        try {
            f = render.get();
        } catch (ApiException | DomainException e) {
            ApiException refusal = e instanceof DomainException d ? ErrorResponses.toApi(d) : (ApiException) e;
            ctx.status(refusal.status());
            Pages.render(ctx, "storyboard/promptlog/overviewError.jte", Map.of("status", refusal.status(),
                    "code", refusal.code(), "message", refusal.getMessage() == null ? "" : refusal.getMessage()));
            return;
        }
        Pages.render(ctx, f.template(), f.model());
    }
}
