package storyboard.prompts;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import storyboard.kernel.Json;
import storyboard.prompts.PromptAnswers.Message;

/**
 * What the registry's pages show, as the templates read it (the templates are compiled into another package, so
 * these records are public; the store's own stay in the package).
 */
public final class PromptViews {
    private PromptViews() {}

    /** A label and the version it points at. */
    public record LabelAt(String label, int version) {}

    /** A prompt in the list. */
    public record ListRow(String name, int latestVersion, List<LabelAt> labels, Instant updatedAt, boolean archived) {
        static ListRow of(PromptStore.Summary s) {
            return new ListRow(s.name(), s.latestVersion(), labelsOf(s.labels()), s.updatedAt(), s.archivedAt() != null);
        }
    }

    /** A version in a prompt's history: the labels on it, and those that could be moved to it. */
    public record VersionRow(int version, String kind, String message, String author, Instant createdAt,
                             List<String> labels, List<String> movable) {
        static VersionRow of(PromptStore.Version v, Map<String, Integer> labels) {
            List<String> on = new ArrayList<>();
            List<String> elsewhere = new ArrayList<>();
            labels.forEach((label, n) -> (n == v.version() ? on : elsewhere).add(label));
            return new VersionRow(v.version(), v.kind(), v.message(), v.author(), v.createdAt(), on, elsewhere);
        }
    }

    /** One message of a chat template. */
    public record MessageView(String role, String content) {}

    /** A declared variable: its default as JSON text (null: none), its description, and a value given in a form. */
    public record VariableView(String name, String defaultValue, String description, String value) {}

    /** A version in full. */
    public record VersionView(String name, int version, String kind, String text, List<MessageView> messages,
                              List<VariableView> variables, String config, List<UUID> referenceAssets, String message,
                              String author, Instant createdAt, List<String> labels) {
        static VersionView of(PromptStore.Version v, Map<String, Integer> labels, Map<String, String> values) {
            String text = v.kind().equals("text") ? v.template().textValue() : null;
            List<MessageView> messages = text != null ? List.of()
                    : Message.of(v.template()).stream().map(m -> new MessageView(m.role(), m.content())).toList();
            List<VariableView> variables = new ArrayList<>();
            for (JsonNode d : v.variables()) {
                String name = d.get("name").asText();
                variables.add(new VariableView(name, d.has("default") ? json(d.get("default")) : null,
                        d.hasNonNull("description") ? d.get("description").asText() : null, values.get(name)));
            }
            List<String> on = labels.entrySet().stream().filter(e -> e.getValue() == v.version()).map(Map.Entry::getKey).toList();
            return new VersionView(v.name(), v.version(), v.kind(), text, messages, variables, VersionDiff.sorted(v.config()),
                    v.referenceAssets(), v.message(), v.author(), v.createdAt(), on);
        }

        /** A default shown in a form: a string as it is, anything else as JSON. */
        public static String shown(String defaultJson) {
            try {
                JsonNode n = Json.MAPPER.readTree(defaultJson);
                return n.isTextual() ? n.textValue() : defaultJson;
            } catch (JsonProcessingException e) {
                return defaultJson;
            }
        }
    }

    /** What a render preview shows: the text, or the messages, or why it could not render. */
    public record Preview(String text, List<MessageView> messages, String error) {}

    /** One version's usage, with the link to its logs on the history page. */
    public record UsageRow(Integer version, long count, Long tokens, String cost, String avgProcessingMs,
                           Instant lastUsedAt, String logs, boolean inRegistry) {
        static UsageRow of(String name, PromptAnswers.VersionUsage u) {
            String logs = "/history?prompt_name=" + encode(name) + (u.version() == null ? "" : "&prompt_version=" + u.version());
            return new UsageRow(u.version(), u.count(), u.tokens(), u.cost() == null ? null : PromptViews.cost(u.cost()),
                    u.avgProcessingMs() == null ? null : String.valueOf(Math.round(u.avgProcessingMs())), u.lastUsedAt(),
                    logs, u.inRegistry() == null || u.inRegistry());
        }
    }

    static List<LabelAt> labelsOf(Map<String, Integer> labels) {
        return labels.entrySet().stream().map(e -> new LabelAt(e.getKey(), e.getValue())).toList();
    }

    /** A cost as the pages show it: up to six decimals, no trailing zeros. */
    static String cost(BigDecimal cost) {
        BigDecimal c = cost.setScale(6, RoundingMode.HALF_UP).stripTrailingZeros();
        return c.scale() < 0 ? c.setScale(0, RoundingMode.UNNECESSARY).toPlainString() : c.toPlainString();
    }

    /** A query string's value, encoded. */
    public static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    /** A query string of these parameters (null values left out), from "?", or "" when there are none. */
    static String query(Map<String, String> params) {
        StringBuilder s = new StringBuilder();
        params.forEach((k, v) -> {
            if (v == null) return;
            s.append(s.length() == 0 ? '?' : '&').append(encode(k)).append('=').append(encode(v));
        });
        return s.toString();
    }

    /** An ordered map of parameters, for {@link #query}. */
    static Map<String, String> params(String... keysAndValues) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) m.put(keysAndValues[i], keysAndValues[i + 1]);
        return m;
    }

    private static String json(JsonNode node) {
        try {
            return Json.MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
