package storyboard.promptlog;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.jdbi.v3.core.Jdbi;
import storyboard.kernel.PromptUsageQuery;
import storyboard.kernel.Visibility;

/**
 * How much the prompt logs used each version of a registry prompt: the logs that name it as {@code promptName}
 * and {@code promptVersion} (top level or in {@code context}; the SQL functions of migration V17 read them).
 * The registry shows these figures; the logs themselves are the prompt-history list filtered by
 * {@code prompt_name} and {@code prompt_version}, which selects exactly the rows counted here.
 */
public final class PromptUsage implements PromptUsageQuery {
    static final String NAME = "prompt_log_prompt_name(extra, context)";
    static final String VERSION = "prompt_log_prompt_version(extra, context)";

    private final Jdbi jdbi;

    public PromptUsage(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /**
     * The usage of the prompt by version, newest version first (the unversioned logs last), counting only the logs
     * visible that happened in [from, to) when those are given. A version is null for the logs that name the prompt
     * but no version (or one that is not a whole number); tokens and cost add up what the logs reported (null when
     * none did); the average processing time is over the logs that reported one.
     */
    @Override
    public List<VersionUsage> byVersion(String promptName, Visibility visible, Instant from, Instant to) {
        return jdbi.withHandle(h -> visible.bind(h.createQuery("select " + VERSION + " as version, count(*) as count, "
                        + "sum(tokens) as tokens, sum(cost) as cost, avg(processing_ms) as avg_ms, max(occurred_at) as last_used"
                        + " from prompt_log where " + NAME + " = :name and " + visible.sql("project")
                        + " and (cast(:from as timestamptz) is null or occurred_at >= cast(:from as timestamptz))"
                        + " and (cast(:to as timestamptz) is null or occurred_at < cast(:to as timestamptz))"
                        + " group by 1 order by 1 desc nulls last"))
                .bind("name", promptName)
                .bind("from", from == null ? null : OffsetDateTime.ofInstant(from, ZoneOffset.UTC))
                .bind("to", to == null ? null : OffsetDateTime.ofInstant(to, ZoneOffset.UTC))
                .map((rs, c) -> {
                    BigDecimal tokens = rs.getBigDecimal("tokens"); // a sum of bigints is a numeric
                    return new VersionUsage(rs.getObject("version", Integer.class), rs.getLong("count"),
                            tokens == null ? null : tokens.longValueExact(), rs.getBigDecimal("cost"),
                            rs.getObject("avg_ms", Double.class), rs.getObject("last_used", OffsetDateTime.class).toInstant());
                })
                .list());
    }
}
