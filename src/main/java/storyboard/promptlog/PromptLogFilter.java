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
import org.jdbi.v3.core.statement.SqlStatement;
import storyboard.api.RequestParams;
import storyboard.kernel.DomainException;
import storyboard.kernel.Principal;
import storyboard.kernel.Visibility;

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
        Visibility visibility) {

    static final Set<String> PARAMS = Set.of("type", "category", "user", "llm", "project", "scene", "from", "to",
            "q", "min_cost", "prompt_name", "prompt_version");

    /**
     * The filters of a request by this principal. A principal restricted to projects sees only theirs: naming
     * another project is a 404, as if it did not exist.
     */
    static PromptLogFilter from(RequestParams p, Principal principal) {
        Visibility visibility = principal.visibility();
        Optional<String> project = p.string("project");
        project.filter(v -> !visibility.canSee(v)).ifPresent(v -> {
            throw DomainException.notFound("project '" + v + "'");
        });
        PromptLogFilter f = new PromptLogFilter(p.string("type"), p.string("category"), p.string("user"),
                p.string("llm"), project, p.string("scene"), p.instant("from"), p.instant("to"),
                p.string("q").map(String::trim).filter(s -> !s.isEmpty()), p.amount("min_cost"),
                p.string("prompt_name"), p.versionNumber("prompt_version"), visibility);
        if (f.promptVersion.isPresent() && f.promptName.isEmpty()) {
            throw DomainException.invalid("invalid_parameter", "'prompt_version' needs 'prompt_name'", "prompt_version");
        }
        if (f.from.isPresent() && f.to.isPresent() && !f.from.get().isBefore(f.to.get())) {
            throw DomainException.invalid("invalid_parameter", "'from' must be before 'to'", "from");
        }
        if (f.q.isPresent() && f.q.get().length() > 500) {
            throw DomainException.invalid("invalid_parameter", "'q' is longer than 500 characters", "q");
        }
        return f;
    }

    /** A SQL condition (never empty: "true" when no filter is set) and what it binds. */
    record Where(String sql, Map<String, Object> bindings, Visibility visibility, boolean searches) {
        /** Binds the condition's parameters on a statement that contains it. */
        <S extends SqlStatement<S>> S bind(S statement) {
            return visibility.bind(statement.bindMap(bindings));
        }
    }

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
        if (visibility.restricted()) parts.add(visibility.sql("project"));
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
        return new Where(parts.isEmpty() ? "true" : String.join(" and ", parts), b, visibility, b.containsKey("q_ts"));
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
