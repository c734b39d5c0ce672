package storyboard.promptlog;

import io.javalin.http.Context;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The history's filters as the page's URL holds them (the API's own parameter names and values, so a page's address
 * is shareable and its export is the API's export of the same filter): the ones given and not empty, in the form's
 * order. Public for the templates.
 */
public record HistoryQuery(Map<String, String> values) {
    /** The filter parameters in the order the form shows them (the API's {@code PromptLogFilter.PARAMS}). */
    static final List<String> ORDER = List.of("q", "type", "category", "user", "llm", "project", "scene", "from", "to",
            "min_cost", "prompt_name", "prompt_version");

    static {
        if (!Set.copyOf(ORDER).equals(PromptLogFilter.PARAMS)) {
            throw new IllegalStateException("the history's form and the API's filters differ");
        }
    }

    public HistoryQuery {
        values = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    /** The filters of a request (read before: {@code RequestParams} has refused unknown names and repeats). */
    static HistoryQuery of(Context ctx) {
        Map<String, String> v = new LinkedHashMap<>();
        for (String name : ORDER) {
            String value = ctx.queryParam(name);
            if (value != null && !value.isEmpty()) v.put(name, value);
        }
        return new HistoryQuery(v);
    }

    /** The value of a filter, empty when not set (for the form's fields). */
    public String value(String name) {
        return values.getOrDefault(name, "");
    }

    public boolean isEmpty() {
        return values.isEmpty();
    }

    /** The query string, without '?'; empty when no filter is set. */
    public String query() {
        return values.entrySet().stream()
                .map(e -> encode(e.getKey()) + "=" + encode(e.getValue()))
                .collect(Collectors.joining("&"));
    }

    /** {@code path} with these filters and one more parameter (null: none). */
    public String href(String path, String name, String value) {
        String q = query();
        if (name != null && value != null) q = (q.isEmpty() ? "" : q + "&") + encode(name) + "=" + encode(value);
        return q.isEmpty() ? path : path + "?" + q;
    }

    public String href(String path) {
        return href(path, null, null);
    }

    /** The API's export of these filters as CSV or JSONL. */
    public String export(String format) {
        return href("/api/v1/prompt-history/export", "format", format);
    }

    /** The history filtered by one value alone (a project, a scene): a link from a log's page. */
    public static String only(String name, String value) {
        return "/history?" + encode(name) + "=" + encode(value);
    }

    /** The history of the logs that used one version of a registry prompt (or, without a version, any). */
    public static String ofPrompt(String name, Integer version) {
        return only("prompt_name", name) + (version == null ? "" : "&prompt_version=" + version);
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
