package storyboard.prompts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import storyboard.api.ApiException;
import storyboard.api.JsonBody;

/** The body of a new version, checked: a template that compiles, its variables declared, config and assets well-formed. */
final class VersionInput {
    private static final Pattern VARIABLE = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,99}");
    private static final Set<String> VARIABLE_FIELDS = Set.of("name", "default", "description");

    private VersionInput() {}

    static PromptStore.NewVersion read(Context ctx) {
        JsonBody body = JsonBody.read(ctx, Set.of("template", "variables", "config", "reference_assets", "message"));
        JsonNode template = body.raw("template").orElseThrow(() ->
                ApiException.badRequest("missing_field", "'template' is required", "template"));
        String kind = kind(template);
        ArrayNode variables = variables(body.raw("variables").orElse(null));
        checkDeclared(template, variables);
        JsonNode config = body.raw("config").orElse(JsonNodeFactory.instance.objectNode());
        if (!config.isObject()) throw ApiException.badRequest("invalid_field", "'config' must be a JSON object", "config");
        return new PromptStore.NewVersion(kind, template, variables, config, assets(body),
                body.string("message", 2000).orElse(null));
    }

    /** "text" for a string template, "chat" for a list of {role, content} messages. */
    private static String kind(JsonNode template) {
        if (template.isTextual()) {
            if (template.textValue().isBlank()) throw invalidTemplate("'template' must not be empty");
            return "text";
        }
        if (!template.isArray() || template.isEmpty()) {
            throw invalidTemplate("'template' is a string, or a non-empty list of {\"role\", \"content\"} messages");
        }
        for (JsonNode m : template) {
            if (!m.isObject() || m.size() != 2 || !m.path("role").isTextual() || !m.path("content").isTextual()
                    || m.get("role").textValue().isBlank() || m.get("role").textValue().length() > 50) {
                throw invalidTemplate("each message of 'template' is {\"role\": \"system\"|\"user\"|..., \"content\": \"...\"}");
            }
        }
        return "chat";
    }

    private static ApiException invalidTemplate(String message) {
        return ApiException.badRequest("invalid_template", message, "template");
    }

    /** Every variable the template uses is declared, and the template compiles. */
    private static void checkDeclared(JsonNode template, ArrayNode variables) {
        Set<String> used = new LinkedHashSet<>();
        for (String text : Rendering.texts(template)) {
            try {
                used.addAll(Renderer.variables(text));
            } catch (IllegalArgumentException e) {
                throw invalidTemplate("the template does not compile: " + e.getMessage());
            }
        }
        variables.forEach(v -> used.remove(v.get("name").asText()));
        if (!used.isEmpty()) {
            throw ApiException.badRequest("undeclared_variables", "the template uses variables that are not declared in "
                    + "'variables': " + String.join(", ", used), "variables");
        }
    }

    /** Declared variables as [{name, default?, description?}]; a plain string declares a name without default. */
    private static ArrayNode variables(JsonNode raw) {
        ArrayNode out = JsonNodeFactory.instance.arrayNode();
        if (raw == null) return out;
        if (!raw.isArray() || raw.size() > 200) {
            throw invalidVariables("'variables' is a list of names or of {\"name\", \"default\", \"description\"} objects");
        }
        Set<String> seen = new HashSet<>();
        for (JsonNode v : raw) {
            ObjectNode o = variable(v);
            String n = o.get("name").textValue();
            if (!VARIABLE.matcher(n).matches()) throw invalidVariables("variable name '" + n + "' must be letters, digits and '_'");
            if (!seen.add(n)) throw invalidVariables("variable '" + n + "' is declared twice");
            out.add(o);
        }
        return out;
    }

    private static ObjectNode variable(JsonNode v) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        if (v.isTextual()) return o.put("name", v.textValue());
        if (!v.isObject() || !v.path("name").isTextual()) {
            throw invalidVariables("each of 'variables' is a name or an object with a 'name'");
        }
        for (var it = v.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!VARIABLE_FIELDS.contains(f)) {
                throw ApiException.badRequest("unknown_field", "unknown field '" + f + "' in a variable (known: "
                        + "default, description, name)", "variables");
            }
        }
        o.put("name", v.get("name").textValue());
        if (v.has("default") && !v.get("default").isNull()) o.set("default", v.get("default"));
        if (v.has("description")) {
            if (!v.get("description").isTextual() || v.get("description").textValue().length() > 2000) {
                throw invalidVariables("a variable's 'description' is a string");
            }
            o.put("description", v.get("description").textValue());
        }
        return o;
    }

    private static ApiException invalidVariables(String message) {
        return ApiException.badRequest("invalid_field", message, "variables");
    }

    /** The reference assets' ids, each once, in the order given. */
    private static List<UUID> assets(JsonBody body) {
        List<UUID> assets = new ArrayList<>();
        for (String s : body.strings("reference_assets", 100, 36).orElse(List.of())) {
            try {
                if (s.length() != 36) throw new IllegalArgumentException();
                UUID id = UUID.fromString(s);
                if (!assets.contains(id)) assets.add(id);
            } catch (IllegalArgumentException e) {
                throw ApiException.badRequest("invalid_field", "'reference_assets' holds asset ids (UUIDs), not '" + s + "'",
                        "reference_assets");
            }
        }
        return assets;
    }
}
