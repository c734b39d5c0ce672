package storyboard.promptlog;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import storyboard.api.ApiException;
import storyboard.api.RequestParams;
import storyboard.kernel.Principal;

/** The filters shared by list, stats and export, and the SQL condition they make. */
record PromptLogFilter(
        Optional<String> type,
        Optional<String> category,
        Optional<String> user,
        Optional<String> llm,
        Optional<String> project,
        Optional<String> scene,
        Optional<Instant> from,
        Optional<Instant> to,
        Optional<String> q,
        Optional<BigDecimal> minCost,
        Optional<String> promptName,
        Optional<Integer> promptVersion,
        Set<String> visibleProjects) {

    static final Set<String> PARAMS = Set.of("type", "category", "user", "llm", "project", "scene", "from", "to",
            "q", "min_cost", "prompt_name", "prompt_version");

    /**
     * The filters of a request by this principal. A principal restricted to projects sees only theirs: naming
     * another project is a 404, as if it did not exist.
     */
    static PromptLogFilter from(RequestParams p, Principal principal) {
        Optional<String> project = p.string("project");
        project.filter(v -> !principal.canSee(v)).ifPresent(v -> {
            throw ApiException.notFound("project '" + v + "'");
        });
        PromptLogFilter f = new PromptLogFilter(p.string("type"), p.string("category"), p.string("user"),
                p.string("llm"), project, p.string("scene"), p.instant("from"), p.instant("to"),
                p.string("q").map(String::trim).filter(s -> !s.isEmpty()), p.amount("min_cost"),
                p.string("prompt_name"), p.versionNumber("prompt_version"),
                principal.projects());
        if (f.promptVersion.isPresent() && f.promptName.isEmpty()) {
            throw ApiException.badRequest("invalid_parameter", "'prompt_version' needs 'prompt_name'", "prompt_version");
        }
        if (f.from.isPresent() && f.to.isPresent() && !f.from.get().isBefore(f.to.get())) {
            throw ApiException.badRequest("invalid_parameter", "'from' must be before 'to'", "from");
        }
        if (f.q.isPresent() && f.q.get().length() > 500) {
            throw ApiException.badRequest("invalid_parameter", "'q' is longer than 500 characters", "q");
        }
        return f;
    }

    /** A SQL condition (never empty: "true" when no filter is set) and its named bindings. */
    record Where(String sql, Map<String, Object> bindings, boolean searches) {}

    /**
     * The condition. {@code searchQuery} turns {@code q} into a tsquery string (it needs the database to find
     * the words a partial word belongs to).
     */
    Where where(java.util.function.Function<String, String> searchQuery) {
        List<String> parts = new ArrayList<>();
        Map<String, Object> b = new LinkedHashMap<>();
        type.ifPresent(v -> add(parts, b, "type = :type", "type", v));
        category.ifPresent(v -> add(parts, b, "category = :category", "category", v));
        user.ifPresent(v -> add(parts, b, "user_name = :user", "user", v));
        llm.ifPresent(v -> add(parts, b, "llm = :llm", "llm", v));
        project.ifPresent(v -> add(parts, b, "project = :project", "project", v));
        if (!visibleProjects.isEmpty()) parts.add(projectCondition(visibleProjects, b));
        scene.ifPresent(v -> add(parts, b, "(scene_id = :scene or scene_name = :scene)", "scene", v));
        from.ifPresent(v -> add(parts, b, "occurred_at >= :from", "from", OffsetDateTime.ofInstant(v, ZoneOffset.UTC)));
        to.ifPresent(v -> add(parts, b, "occurred_at < :to", "to", OffsetDateTime.ofInstant(v, ZoneOffset.UTC)));
        minCost.ifPresent(v -> add(parts, b, "cost >= :min_cost", "min_cost", v));
        promptName.ifPresent(v -> add(parts, b, PromptUsage.NAME + " = :prompt_name", "prompt_name", v));
        promptVersion.ifPresent(v -> add(parts, b, PromptUsage.VERSION + " = :prompt_version", "prompt_version", v));
        q.ifPresent(v -> {
            String tsquery = searchQuery.apply(v);
            if (tsquery == null) {
                parts.add("false");
            } else {
                b.put("q_ts", tsquery);
                parts.add("search @@ to_tsquery('simple', :q_ts)");
            }
        });
        return new Where(parts.isEmpty() ? "true" : String.join(" and ", parts), b, b.containsKey("q_ts"));
    }

    /** "true" for every project, else a condition on the project column; its bindings go into {@code b}. */
    static String projectCondition(Set<String> visibleProjects, Map<String, Object> b) {
        if (visibleProjects.isEmpty()) return "true";
        List<String> names = new ArrayList<>();
        int i = 0;
        for (String project : visibleProjects.stream().sorted().toList()) {
            String name = "visible_project_" + i++;
            names.add(":" + name);
            b.put(name, project);
        }
        return "project in (" + String.join(", ", names) + ")";
    }

    /** The words of q, lower-cased, as the full-text parser ('simple') would split them. */
    static List<String> terms(String q) {
        List<String> terms = new ArrayList<>();
        for (String word : q.toLowerCase(java.util.Locale.ROOT).split("[^\\p{L}\\p{N}]+")) {
            if (!word.isEmpty() && !terms.contains(word)) terms.add(word);
        }
        return terms;
    }

    /** A lexeme quoted for to_tsquery. */
    static String quote(String lexeme) {
        return "'" + lexeme.replace("\\", "\\\\").replace("'", "''") + "'";
    }

    private static void add(List<String> parts, Map<String, Object> b, String sql, String name, Object value) {
        parts.add(sql);
        b.put(name, value);
    }
}
