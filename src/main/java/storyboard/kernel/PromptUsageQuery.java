package storyboard.kernel;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/**
 * What prompt history tells the prompt registry: how often each version of a prompt was used, with tokens and
 * cost, over the logs a credential may see.
 */
@FunctionalInterface
public interface PromptUsageQuery {
    /** Usage of one version (null: logs that name the prompt but no version). */
    record VersionUsage(Integer version, long count, Long tokens, BigDecimal cost, Double avgProcessingMs,
                        Instant lastUsedAt) {}

    List<VersionUsage> byVersion(String promptName, Visibility visible, Instant from, Instant to);
}
