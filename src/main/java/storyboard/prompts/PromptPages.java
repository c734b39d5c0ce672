package storyboard.prompts;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import storyboard.api.ApiException;
import storyboard.api.RequestParams;
import storyboard.kernel.Actor;
import storyboard.kernel.DomainException;
import storyboard.kernel.Principal;
import storyboard.kernel.PromptUsageQuery;
import storyboard.prompts.PromptViews.ListRow;
import storyboard.prompts.PromptViews.MessageView;
import storyboard.prompts.PromptViews.Preview;
import storyboard.prompts.PromptViews.UsageRow;
import storyboard.prompts.PromptViews.VersionRow;
import storyboard.prompts.PromptViews.VersionView;
import storyboard.web.Pages;

/**
 * The registry's pages in the dashboard, reading and writing through the same store as the API:
 * <ul>
 * <li>{@code GET /prompts?q=&prefix=&label=&archived=}: the prompts, searched; the next page by cursor (htmx asks for
 * its rows only, on scrolling to the end);</li>
 * <li>{@code GET /prompts/<name>?version=|label=}: one version in full, the history with its labels (by cursor), a
 * choice of two versions to compare, the label moves a writer may make, and the usage (loaded after the page);</li>
 * <li>{@code GET /prompts/<name>/diff?from=&to=}: two versions side by side;</li>
 * <li>{@code GET /prompts/<name>/render?version=&var.<name>=}: a render preview with variables;</li>
 * <li>{@code GET /prompts/<name>/usage}: per version, what the logs used, with a link to them;</li>
 * <li>{@code GET /prompts/<name>/labels?label=&version=}: the confirmation of a label move, and
 * {@code POST /prompts/<name>/labels} (a form: label, version, _csrf) to make it, recorded like the API's.</li>
 * </ul>
 */
final class PromptPages {
    /** Rows per page of the lists. */
    static final int PAGE = 50;
    private static final String VARIABLE = "var.";

    private final PromptStore store;
    private final PromptUsageQuery usage;

    PromptPages(PromptStore store, PromptUsageQuery usage) {
        this.store = store;
        this.usage = usage;
    }

    void register(storyboard.kernel.Api api) {
        // The routes with an action word first: a path matches the first route registered that fits it.
        api.get("/prompts/<name>/diff", this::diff);
        api.get("/prompts/<name>/render", this::render);
        api.get("/prompts/<name>/usage", this::usage);
        api.get("/prompts/<name>/labels", this::confirmMove);
        api.post("/prompts/<name>/labels", this::move);
        api.get("/prompts/<name>", this::prompt);
        api.get("/prompts", this::list);
    }

    /** Whether htmx asked for a fragment (the next rows, a section) rather than the whole page. */
    private static boolean fragment(Context ctx) {
        return ctx.header("HX-Request") != null;
    }

    // ---- the list ------------------------------------------------------------------------------------------

    private void list(Context ctx) {
        RequestParams p = RequestParams.of(ctx, Set.of("prefix", "q", "label", "archived", "cursor"));
        PromptStore.Filter filter = PromptRoutes.filter(p);
        var page = store.list(filter, p.string("cursor"), PAGE);
        List<ListRow> rows = page.items().stream().map(ListRow::of).toList();
        Map<String, String> query = PromptViews.params("q", filter.q(), "prefix", filter.prefix(),
                "label", p.string("label").orElse(null), "archived", p.string("archived").orElse(null));
        String next = null;
        if (page.nextCursor() != null) {
            Map<String, String> more = new LinkedHashMap<>(query);
            more.put("cursor", page.nextCursor());
            next = "/prompts" + PromptViews.query(more);
        }
        if (fragment(ctx) && p.string("cursor").isPresent()) {
            Pages.render(ctx, "storyboard/prompts/promptRows.jte", Map.of("rows", rows, "next", Optional.ofNullable(next)));
            return;
        }
        Map<String, Object> model = new HashMap<>();
        model.put("rows", rows);
        model.put("next", Optional.ofNullable(next));
        model.put("q", Optional.ofNullable(filter.q()));
        model.put("prefix", Optional.ofNullable(filter.prefix()));
        model.put("label", p.string("label"));
        model.put("archived", p.string("archived").orElse("false"));
        model.put("continued", p.string("cursor").isPresent());
        model.put("filtered", filter.q() != null || filter.prefix() != null || filter.label() != null
                || !filter.archived().equals(PromptStore.Archived.EXCLUDE));
        Pages.render(ctx, "storyboard/prompts/promptList.jte", model);
    }

    // ---- one prompt ----------------------------------------------------------------------------------------

    private void prompt(Context ctx) {
        String name = PromptRoutes.name(ctx);
        RequestParams p = RequestParams.of(ctx, Set.of("version", "label", "cursor", "moved"));
        Optional<Integer> asked = p.versionNumber("version");
        Optional<String> label = p.string("label");
        Optional<String> moved = p.string("moved").map(PromptRoutes::checkLabel);
        if (asked.isPresent() && label.isPresent()) {
            throw ApiException.badRequest("invalid_parameter", "give 'label' or 'version', not both", "version");
        }
        PromptStore.Prompt prompt = store.prompt(name);
        Map<String, Integer> labels = store.labels(prompt);
        var versions = store.versions(prompt, p.string("cursor"), PAGE);
        List<VersionRow> rows = versions.items().stream().map(v -> VersionRow.of(v, labels)).toList();
        String next = versions.nextCursor() == null ? null
                : "/prompts/" + name + PromptViews.query(PromptViews.params("cursor", versions.nextCursor()));
        boolean writable = prompt.archivedAt() == null;
        if (fragment(ctx) && p.string("cursor").isPresent()) {
            Pages.render(ctx, "storyboard/prompts/versionRows.jte", Map.of("name", name, "rows", rows,
                    "next", Optional.ofNullable(next), "writable", writable, "checkFrom", 0, "checkTo", 0, "compare", true));
            return;
        }
        PromptStore.Version latest = store.latest(prompt);
        PromptStore.Version shown = shown(prompt, labels, asked, label, latest);
        Map<String, Object> model = new HashMap<>();
        model.put("name", name);
        model.put("archivedAt", Optional.ofNullable(prompt.archivedAt()));
        model.put("labels", PromptViews.labelsOf(labels));
        model.put("latest", latest.version());
        model.put("shown", VersionView.of(shown, labels, Map.of()));
        model.put("rows", rows);
        model.put("next", Optional.ofNullable(next));
        model.put("continued", p.string("cursor").isPresent());
        model.put("writable", writable);
        model.put("moved", moved.filter(labels::containsKey).map(l -> new PromptViews.LabelAt(l, labels.get(l))));
        Pages.render(ctx, "storyboard/prompts/promptPage.jte", model);
    }

    /** The version a page shows: the one asked for, the label's, else production when set, else the latest. */
    private PromptStore.Version shown(PromptStore.Prompt prompt, Map<String, Integer> labels, Optional<Integer> version,
                                      Optional<String> label, PromptStore.Version latest) {
        if (version.isPresent()) return store.version(prompt, version.get());
        if (label.isPresent()) {
            String l = label.get();
            if (l.equals("latest")) return latest;
            PromptRoutes.checkLabel(l);
            Integer n = labels.get(l);
            if (n == null) throw ApiException.notFound("label '" + l + "' of prompt '" + prompt.name() + "'");
            return store.version(prompt, n);
        }
        Integer production = labels.get("production");
        return production == null ? latest : store.version(prompt, production);
    }

    // ---- diff ----------------------------------------------------------------------------------------------

    private void diff(Context ctx) {
        String name = PromptRoutes.name(ctx);
        RequestParams p = RequestParams.of(ctx, Set.of("from", "to", "context"));
        int from = required(p, "from");
        int to = required(p, "to");
        int context = p.integer("context", 3, 0, 1000);
        PromptStore.Prompt prompt = store.prompt(name);
        Map<String, Integer> labels = store.labels(prompt);
        PromptStore.Version a = store.version(prompt, from);
        PromptStore.Version b = store.version(prompt, to);
        Map<String, Object> model = new HashMap<>();
        model.put("name", name);
        model.put("from", VersionView.of(a, labels, Map.of()));
        model.put("to", VersionView.of(b, labels, Map.of()));
        model.put("latest", store.latest(prompt).version());
        model.put("context", context);
        model.put("sections", SideBySideDiff.of(a, b, context));
        Pages.render(ctx, "storyboard/prompts/promptDiff.jte", model);
    }

    private static int required(RequestParams p, String parameter) {
        return p.versionNumber(parameter).orElseThrow(() ->
                ApiException.badRequest("missing_parameter", "'" + parameter + "' is required", parameter));
    }

    // ---- render preview ------------------------------------------------------------------------------------

    /**
     * The version's variables as a form; once sent ({@code render=1}), the rendered text, or why it could not be
     * rendered, with the form kept as it was filled. That is the preview's answer, so the page is a 200 either way
     * (a malformed version or parameter is a 400 page). An empty field is a variable not given, so its default
     * applies.
     */
    private void render(Context ctx) {
        String name = PromptRoutes.name(ctx);
        Map<String, String> values = new LinkedHashMap<>();
        Map<String, String> plain = new HashMap<>();
        for (Map.Entry<String, List<String>> e : ctx.queryParamMap().entrySet()) {
            String key = e.getKey();
            if (e.getValue().size() > 1) {
                throw ApiException.badRequest("invalid_parameter", "query parameter '" + key + "' is given more than once", key);
            }
            if (key.startsWith(VARIABLE) && key.length() > VARIABLE.length()) {
                values.put(key.substring(VARIABLE.length()), e.getValue().get(0));
            } else if (Set.of("version", "label", "render").contains(key)) {
                plain.put(key, e.getValue().get(0));
            } else {
                throw ApiException.badRequest("unknown_parameter", "unknown query parameter '" + key
                        + "' (known: label, render, version, and var.<variable> for each variable)", key);
            }
        }
        Optional<Integer> version = versionOf(plain.get("version"));
        Optional<String> label = Optional.ofNullable(plain.get("label")).filter(s -> !s.isEmpty());
        if (version.isPresent() && label.isPresent()) {
            throw ApiException.badRequest("invalid_parameter", "give 'label' or 'version', not both", "version");
        }
        boolean submitted = plain.containsKey("render");
        PromptStore.Prompt prompt = store.prompt(name);
        Map<String, Integer> labels = store.labels(prompt);
        PromptStore.Version latest = store.latest(prompt);
        PromptStore.Version v = shown(prompt, labels, version, label, latest);

        ObjectNode given = JsonNodeFactory.instance.objectNode();
        values.forEach((k, value) -> {
            if (!value.isEmpty()) given.put(k, value);
        });
        Preview preview = null;
        try {
            Rendering.Values resolved = Rendering.Values.of(name, v, given);
            if (!resolved.missing().isEmpty()) {
                if (submitted) {
                    preview = new Preview(null, List.of(), "missing variables: " + String.join(", ", resolved.missing()));
                }
            } else {
                PromptAnswers.Rendered r = Rendering.render(v, null, resolved.values());
                preview = new Preview(r.text(), r.messages() == null ? List.of()
                        : r.messages().stream().map(m -> new MessageView(m.role(), m.content())).toList(), null);
            }
        } catch (ApiException e) {
            // An undeclared variable, or a template that fails on these values: said on the page, with the form.
            preview = new Preview(null, List.of(), e.getMessage());
        }
        Map<String, Object> model = new HashMap<>();
        model.put("name", name);
        model.put("version", VersionView.of(v, labels, values));
        model.put("labels", PromptViews.labelsOf(labels));
        model.put("latest", latest.version());
        model.put("preview", Optional.ofNullable(preview));
        model.put("submitted", submitted);
        Pages.render(ctx, "storyboard/prompts/promptRender.jte", model);
    }

    private static Optional<Integer> versionOf(String value) {
        if (value == null || value.isEmpty()) return Optional.empty();
        try {
            int n = Integer.parseInt(value.trim());
            if (n >= 1) return Optional.of(n);
        } catch (NumberFormatException e) {
            // below
        }
        throw ApiException.badRequest("invalid_parameter", "'version' must be a version number (1 or more)", "version");
    }

    // ---- usage ---------------------------------------------------------------------------------------------

    private void usage(Context ctx) {
        String name = PromptRoutes.name(ctx);
        RequestParams.of(ctx, Set.of());
        PromptStore.Prompt prompt = store.prompt(name);
        PromptAnswers.Usage u = PromptAnswers.Usage.of(name, store.latest(prompt).version(),
                usage.byVersion(name, Principal.of(ctx).visibility(), null, null));
        List<UsageRow> rows = u.versions().stream().map(v -> UsageRow.of(name, v)).toList();
        Map<String, Object> model = new HashMap<>();
        model.put("name", name);
        model.put("rows", rows);
        model.put("unversioned", Optional.ofNullable(u.unversioned()).map(v -> UsageRow.of(name, v)));
        model.put("total", u.totalCount());
        model.put("fragment", fragment(ctx));
        Pages.render(ctx, "storyboard/prompts/promptUsage.jte", model);
    }

    // ---- moving a label ------------------------------------------------------------------------------------

    /** The confirmation of a move: where the label is, where it would go, and what differs between the two. */
    private void confirmMove(Context ctx) {
        String name = PromptRoutes.name(ctx);
        RequestParams p = RequestParams.of(ctx, Set.of("label", "version"));
        String label = PromptRoutes.movableLabel(p.string("label").orElseThrow(() ->
                ApiException.badRequest("missing_parameter", "'label' is required", "label")));
        int version = required(p, "version");
        PromptStore.Prompt prompt = store.prompt(name);
        if (prompt.archivedAt() != null) {
            throw DomainException.conflict("archived", "prompt '" + name + "' is archived; its labels stay where they are");
        }
        PromptStore.Version target = existing(prompt, version);
        Map<String, Integer> labels = store.labels(prompt);
        Integer current = labels.get(label);
        Map<String, Object> model = new HashMap<>();
        model.put("name", name);
        model.put("label", label);
        model.put("target", VersionView.of(target, labels, Map.of()));
        model.put("current", Optional.ofNullable(current));
        model.put("sections", current == null || current == version ? List.of()
                : SideBySideDiff.of(store.version(prompt, current), target, 3));
        Pages.render(ctx, "storyboard/prompts/labelMove.jte", model);
    }

    /** Moves the label as the API does (same audit entry and event), then back to the prompt's page. */
    private void move(Context ctx) {
        String name = PromptRoutes.name(ctx);
        RequestParams.of(ctx, Set.of());
        Map<String, List<String>> form = ctx.formParamMap();
        for (Map.Entry<String, List<String>> e : form.entrySet()) {
            if (!Set.of("label", "version", "_csrf").contains(e.getKey())) {
                throw ApiException.badRequest("unknown_field", "unknown form field '" + e.getKey()
                        + "' (known: " + String.join(", ", new TreeSet<>(Set.of("label", "version", "_csrf"))) + ")", e.getKey());
            }
            if (e.getValue().size() > 1) {
                throw ApiException.badRequest("invalid_field", "form field '" + e.getKey() + "' is given more than once", e.getKey());
            }
        }
        String label = PromptRoutes.movableLabel(field(form, "label"));
        int version = versionOf(field(form, "version")).orElseThrow();
        store.moveLabel(Actor.of(ctx), name, label, version);
        ctx.status(303).header("Location", "/prompts/" + name + PromptViews.query(PromptViews.params("moved", label)));
    }

    private static String field(Map<String, List<String>> form, String name) {
        List<String> v = form.get(name);
        if (v == null || v.isEmpty() || v.get(0).isBlank()) {
            throw ApiException.badRequest("missing_field", "'" + name + "' is required", name);
        }
        return v.get(0).strip();
    }

    /** A version a label may be moved to: an unknown one is invalid input (400), as in the API. */
    private PromptStore.Version existing(PromptStore.Prompt prompt, int version) {
        try {
            return store.version(prompt, version);
        } catch (DomainException e) {
            throw DomainException.invalid("unknown_version", "prompt '" + prompt.name() + "' has no version " + version, "version");
        }
    }
}
