package storyboard.prompts;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import storyboard.api.ApiException;
import storyboard.kernel.Json;
import storyboard.prompts.PromptAnswers.Message;
import storyboard.prompts.PromptAnswers.Rendered;

/** A version rendered with the variables a client gives: its declared defaults apply, and nothing may be left out. */
final class Rendering {
    private Rendering() {}

    /** The texts of a template: a text template's own, or its messages' contents. */
    static List<String> texts(JsonNode template) {
        return template.isTextual() ? List.of(template.textValue()) : Message.of(template).stream().map(Message::content).toList();
    }

    /**
     * What version {@code v} renders with: its declared defaults, then the non-null variables given, which must all
     * be declared; and the variables it needs that neither gives.
     */
    record Values(Map<String, Object> values, List<String> missing) {
        static Values of(String name, PromptStore.Version v, JsonNode given) {
            Map<String, Object> values = new LinkedHashMap<>();
            Set<String> required = new LinkedHashSet<>();
            Set<String> declared = new HashSet<>();
            for (JsonNode d : v.variables()) {
                String n = d.get("name").asText();
                declared.add(n);
                if (d.has("default")) values.put(n, Json.MAPPER.convertValue(d.get("default"), Object.class));
                else required.add(n);
            }
            for (String text : texts(v.template())) required.addAll(Renderer.variables(text));
            List<String> unknown = new ArrayList<>();
            for (var it = given.fields(); it.hasNext(); ) {
                var e = it.next();
                if (!declared.contains(e.getKey())) unknown.add(e.getKey());
                else if (!e.getValue().isNull()) values.put(e.getKey(), Json.MAPPER.convertValue(e.getValue(), Object.class));
            }
            if (!unknown.isEmpty()) {
                throw ApiException.badRequest("unknown_variables", "version " + v.version() + " of prompt '" + name
                        + "' declares no variable " + String.join(", ", unknown), "variables");
            }
            return new Values(values, required.stream().filter(n -> !values.containsKey(n)).toList());
        }
    }

    /** The version's text, or each of its messages, rendered with these values; {@code label} says how it was chosen. */
    static Rendered render(PromptStore.Version v, String label, Map<String, Object> values) {
        try {
            String text = v.kind().equals("text") ? Renderer.render(v.template().textValue(), values) : null;
            List<Message> messages = text != null ? null : Message.of(v.template()).stream()
                    .map(m -> new Message(m.role(), Renderer.render(m.content(), values))).toList();
            return new Rendered(v.name(), v.version(), label, v.kind(), text, messages, v.config(), v.referenceAssets());
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("render_failed", "the template could not be rendered: " + e.getMessage(), "variables");
        }
    }
}
