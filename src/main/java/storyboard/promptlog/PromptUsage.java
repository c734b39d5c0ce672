package storyboard.promptlog;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jdbi.v3.core.Jdbi;

/**
 * How much the prompt logs used each version of a registry prompt: the logs that name it as {@code promptName}
 * and {@code promptVersion} (top level or in {@code context}; the SQL functions of migration V17 read them).
 * The registry shows these figures; the logs themselves are the prompt-history list filtered by
 * {@code prompt_name} and {@code prompt_version}, which selects exactly the rows counted here.
 */
public final class PromptUsage {
    static final String NAME = "prompt_log_prompt_name(extra, context)";
    static final String VERSION = "prompt_log_prompt_version(extra, context)";

    private final Jdbi jdbi;

    public PromptUsage(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /**
     * One version's figures; {@code version} is null for the logs that name the prompt but no version (or one
     * that is not a whole number). Tokens and cost add up what the logs reported (null when none did); the
     * average processing time is over the logs that reported one.
     */
    public record VersionUsage(Integer version, long count, Long tokens, BigDecimal cost, Double avgProcessingMs,
                               Instant lastUsedAt) {}

    /**
     * The usage of the prompt by version, newest version first (the unversioned logs last), counting only logs
     * of {@code visibleProjects} (empty: every project) that happened in [from, to) when those are given.
     */
    public List<VersionUsage> byVersion(String promptName, Set<String> visibleProjects, Instant from, Instant to) {
        Map<String, Object> bindings = new LinkedHashMap<>();
        String projects = PromptLogFilter.projectCondition(visibleProjects, bindings);
        return jdbi.withHandle(h -> h.createQuery("select " + VERSION + " as version, count(*) as count, "
                        + "sum(tokens) as tokens, sum(cost) as cost, avg(processing_ms) as avg_ms, max(occurred_at) as last_used"
                        + " from prompt_log where " + NAME + " = :name and " + projects
                        + " and (cast(:from as timestamptz) is null or occurred_at >= cast(:from as timestamptz))"
                        + " and (cast(:to as timestamptz) is null or occurred_at < cast(:to as timestamptz))"
                        + " group by 1 order by 1 desc nulls last")
                .bind("name", promptName)
                .bind("from", from == null ? null : OffsetDateTime.ofInstant(from, ZoneOffset.UTC))
                .bind("to", to == null ? null : OffsetDateTime.ofInstant(to, ZoneOffset.UTC))
                .bindMap(bindings)
                .map((rs, c) -> {
                    long tokens = rs.getLong("tokens");
                    Long tokensOrNull = rs.wasNull() ? null : tokens;
                    double avg = rs.getDouble("avg_ms");
                    Double avgOrNull = rs.wasNull() ? null : avg;
                    int version = rs.getInt("version");
                    Integer versionOrNull = rs.wasNull() ? null : version;
                    return new VersionUsage(versionOrNull, rs.getLong("count"), tokensOrNull, rs.getBigDecimal("cost"),
                            avgOrNull, rs.getObject("last_used", OffsetDateTime.class).toInstant());
                })
                .list());
    }
}
