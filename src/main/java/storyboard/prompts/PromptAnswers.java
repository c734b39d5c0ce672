package storyboard.prompts;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;
import storyboard.kernel.Page;
import storyboard.kernel.PromptUsageQuery;

/**
 * What the prompt registry answers, beyond the store's own records ({@link PromptStore.Version},
 * {@link PromptStore.Summary}, {@link PromptStore.LabelMove}), as Jackson writes them: snake_case names, null
 * fields written, and absent only where noted.
 */
final class PromptAnswers {
    private PromptAnswers() {}

    /** A prompt's history: where its labels point, and a page of its versions, newest first. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record History(String name, Instant archivedAt, Map<String, Integer> labels, @JsonUnwrapped Page<HistoryEntry> page) {}

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record HistoryEntry(int version, String kind, String message, String author, Instant createdAt) {
        static HistoryEntry of(PromptStore.Version v) {
            return new HistoryEntry(v.version(), v.kind(), v.message(), v.author(), v.createdAt());
        }
    }

    /** A version as GET finds it: which label resolved it (null: asked by number) and whether the prompt is archived. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record FoundVersion(@JsonUnwrapped PromptStore.Version version, String label, Instant archivedAt) {}

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record ArchiveState(String name, Instant archivedAt) {
        static ArchiveState of(PromptStore.Prompt p) {
            return new ArchiveState(p.name(), p.archivedAt());
        }
    }

    /** One message of a chat template, or of its rendering. */
    record Message(String role, String content) {
        /** The messages of a chat template: its [{role, content}] array. */
        static List<Message> of(JsonNode chatTemplate) {
            List<Message> out = new ArrayList<>();
            chatTemplate.forEach(m -> out.add(new Message(m.get("role").textValue(), m.get("content").textValue())));
            return out;
        }
    }

    /** A rendered version: {@code text} for a text template, {@code messages} for a chat one (the other absent). */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record Rendered(String name, int version, String label, String kind,
                    @JsonInclude(JsonInclude.Include.NON_NULL) String text,
                    @JsonInclude(JsonInclude.Include.NON_NULL) List<Message> messages,
                    JsonNode config, List<UUID> referenceAssets) {}

    /** The 400 of a render that lacks variables: the error body, with the missing names. */
    record MissingVariables(String error, String message, String field, List<String> missing) {
        static MissingVariables of(List<String> missing) {
            return new MissingVariables("missing_variables", "missing variables: " + String.join(", ", missing),
                    "variables", missing);
        }
    }

    record Diff(String name, int from, int to, List<String> changed, String diff) {}

    /**
     * A prompt's usage: every version of the registry (unused ones too, with count 0) and every version the logs
     * name that the registry lacks, newest first; then the logs that name no version.
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record Usage(String name, List<VersionUsage> versions, VersionUsage unversioned, long totalCount) {
        static Usage of(String name, int latestVersion, List<PromptUsageQuery.VersionUsage> logged) {
            Map<Integer, PromptUsageQuery.VersionUsage> byVersion = new LinkedHashMap<>();
            PromptUsageQuery.VersionUsage unversioned = null;
            for (PromptUsageQuery.VersionUsage u : logged) {
                if (u.version() == null) unversioned = u;
                else byVersion.put(u.version(), u);
            }
            TreeSet<Integer> numbers = new TreeSet<>(Comparator.reverseOrder());
            numbers.addAll(byVersion.keySet());
            for (int v = 1; v <= latestVersion; v++) numbers.add(v);
            List<VersionUsage> versions = new ArrayList<>();
            long count = 0;
            for (int v : numbers) {
                PromptUsageQuery.VersionUsage u = byVersion.getOrDefault(v,
                        new PromptUsageQuery.VersionUsage(v, 0, null, null, null, null));
                versions.add(VersionUsage.of(name, u, v <= latestVersion));
                count += u.count();
            }
            return new Usage(name, versions, unversioned == null ? null : VersionUsage.of(name, unversioned, null),
                    count + (unversioned == null ? 0 : unversioned.count()));
        }
    }

    /**
     * One version's usage; {@code logs}, the prompt-history list of exactly these logs, is absent for the
     * unversioned logs, and {@code in_registry} is absent there too.
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record VersionUsage(Integer version, long count, Long tokens, BigDecimal cost, Double avgProcessingMs,
                        Instant lastUsedAt, @JsonInclude(JsonInclude.Include.NON_NULL) String logs,
                        @JsonInclude(JsonInclude.Include.NON_NULL) Boolean inRegistry) {
        static VersionUsage of(String name, PromptUsageQuery.VersionUsage u, Boolean inRegistry) {
            String logs = u.version() == null ? null
                    : "/api/v1/prompt-history?prompt_name=" + name + "&prompt_version=" + u.version();
            return new VersionUsage(u.version(), u.count(), u.tokens(), u.cost(), u.avgProcessingMs(), u.lastUsedAt(),
                    logs, inRegistry);
        }
    }
}
