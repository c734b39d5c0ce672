package storyboard.prompts;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.github.difflib.DiffUtils;
import com.github.difflib.UnifiedDiffUtils;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import storyboard.kernel.Json;
import storyboard.prompts.PromptAnswers.Diff;
import storyboard.prompts.PromptAnswers.Message;

/**
 * The unified diff of two versions, part by part: the template (chat messages as "[role]" lines each followed by
 * the content), then variables and config as pretty-printed JSON with sorted keys, so key order is no change.
 */
final class VersionDiff {
    private static final ObjectWriter SORTED = Json.MAPPER.copy()
            .configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true).writerWithDefaultPrettyPrinter();

    private final String name;
    private final int from;
    private final int to;
    private final int context;
    private final List<String> changed = new ArrayList<>();
    private final StringBuilder diff = new StringBuilder();

    private VersionDiff(String name, int from, int to, int context) {
        this.name = name;
        this.from = from;
        this.to = to;
        this.context = context;
    }

    static Diff of(PromptStore.Version a, PromptStore.Version b, int context) {
        VersionDiff d = new VersionDiff(a.name(), a.version(), b.version(), context);
        d.section("template", templateText(a), templateText(b));
        d.section("variables", sorted(a.variables()), sorted(b.variables()));
        d.section("config", sorted(a.config()), sorted(b.config()));
        return new Diff(d.name, d.from, d.to, d.changed, d.diff.toString());
    }

    private void section(String part, String a, String b) {
        if (a.equals(b)) return;
        changed.add(part);
        List<String> left = Arrays.asList(a.split("\n", -1));
        List<String> right = Arrays.asList(b.split("\n", -1));
        List<String> lines = UnifiedDiffUtils.generateUnifiedDiff(name + "@" + from + "/" + part,
                name + "@" + to + "/" + part, left, DiffUtils.diff(left, right), context);
        for (String line : lines) diff.append(line).append('\n');
    }

    /** A text template as it is; chat messages as "[role]" lines each followed by the content. */
    static String templateText(PromptStore.Version v) {
        if (v.kind().equals("text")) return v.template().textValue();
        StringBuilder s = new StringBuilder();
        for (Message m : Message.of(v.template())) s.append('[').append(m.role()).append("]\n").append(m.content()).append('\n');
        return s.toString();
    }

    static String sorted(JsonNode node) {
        try {
            return SORTED.writeValueAsString(Json.MAPPER.convertValue(node, Object.class));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
