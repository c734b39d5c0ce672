package storyboard.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import storyboard.prompts.PromptRoutes;

/**
 * The export format: one YAML file per prompt version, {@code <dir>/<folders>/<last part>@<version>.yaml}
 * (breakdown/shots version 3 is {@code breakdown/shots@3.yaml}; '@' is never part of a name, so a file can't
 * clash with a folder). Multi-line templates are literal blocks, so a change diffs line by line in git. A file
 * holds the version's content, the labels that point at it, and, on the newest version of an archived prompt,
 * {@code archived: true}.
 */
final class PromptFiles {
    static final Pattern FILE = Pattern.compile("(.+)@([1-9][0-9]{0,8})\\.yaml");
    private static final Set<String> KEYS = Set.of("name", "version", "message", "author", "created_at", "labels",
            "archived", "config", "variables", "reference_assets", "template");
    private static final YAMLMapper YAML = YAMLMapper.builder(YAMLFactory.builder()
                    .enable(YAMLGenerator.Feature.LITERAL_BLOCK_STYLE)
                    .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)   // still quotes what would read as another type
                    .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
                    .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                    .build())
            .nodeFactory(JsonNodeFactory.withExactBigDecimals(true))
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .build();

    private PromptFiles() {}

    /** One version as a file holds it. {@code variables} is normalised as the server stores it. */
    record VersionFile(String name, int version, JsonNode template, ArrayNode variables, ObjectNode config,
                       ArrayNode referenceAssets, String message, String author, String createdAt, List<String> labels,
                       boolean archived) {

        /** The content a version is made of (what must match for an import to count it as the same). */
        ObjectNode content() {
            ObjectNode o = JsonNodeFactory.instance.objectNode();
            o.set("template", template);
            o.set("variables", variables);
            o.set("config", config);
            o.set("reference_assets", referenceAssets);
            o.put("message", message);
            return o;
        }
    }

    static Path path(Path dir, String name, int version) {
        return dir.resolve(name + "@" + version + ".yaml");
    }

    static void write(Path dir, VersionFile v) throws IOException {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("name", v.name());
        o.put("version", v.version());
        o.put("message", v.message());
        o.put("author", v.author());
        o.put("created_at", v.createdAt());
        ArrayNode labels = o.putArray("labels");
        v.labels().forEach(labels::add);
        if (v.archived()) o.put("archived", true);
        o.set("config", v.config());
        o.set("variables", v.variables());
        if (!v.referenceAssets().isEmpty()) o.set("reference_assets", v.referenceAssets());
        o.set("template", v.template());
        Path file = path(dir, v.name(), v.version());
        Files.createDirectories(file.getParent());
        String header = "# Prompt " + v.name() + ", version " + v.version()
                + ". Exported by Storyboard Server; `prompts import` pushes a folder of these to a server.\n";
        Files.writeString(file, header + YAML.writeValueAsString(o));
    }

    /** Every version file under the folder, checked, by name then version. */
    static List<VersionFile> readAll(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) throw new IOException("no such folder: " + dir);
        List<VersionFile> out = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path file : walk.filter(Files::isRegularFile).sorted().toList()) {
                String relative = dir.relativize(file).toString().replace('\\', '/');
                Matcher m = FILE.matcher(relative);
                if (m.matches()) out.add(read(file, m.group(1), Integer.parseInt(m.group(2))));
            }
        }
        out.sort(Comparator.comparing(VersionFile::name).thenComparingInt(VersionFile::version));
        return out;
    }

    private static VersionFile read(Path file, String name, int version) throws IOException {
        JsonNode o;
        try {
            o = YAML.readTree(file.toFile());
        } catch (JsonProcessingException e) {
            throw new IOException(file + ": not valid YAML: " + e.getOriginalMessage());
        }
        if (o == null || !o.isObject()) throw new IOException(file + ": expected a YAML mapping");
        for (var it = o.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!KEYS.contains(key)) throw new IOException(file + ": unknown key '" + key + "' (known: " + String.join(", ",
                    new java.util.TreeSet<>(KEYS)) + ")");
        }
        if (!PromptRoutes.NAME.matcher(name).matches()) throw new IOException(file + ": '" + name + "' is not a prompt name");
        if (o.has("name") && !o.get("name").asText().equals(name)) {
            throw new IOException(file + ": says name '" + o.get("name").asText() + "', but its path is that of '" + name + "'");
        }
        if (o.has("version") && o.get("version").asInt() != version) {
            throw new IOException(file + ": says version " + o.get("version").asText() + ", but its file name " + version);
        }
        JsonNode template = o.get("template");
        if (template == null || !(template.isTextual() || template.isArray())) {
            throw new IOException(file + ": 'template' is a text or a list of {role, content} messages");
        }
        JsonNode config = o.path("config");
        if (!config.isMissingNode() && !config.isNull() && !config.isObject()) {
            throw new IOException(file + ": 'config' is a mapping");
        }
        List<String> labels = new ArrayList<>();
        for (JsonNode l : o.path("labels")) labels.add(l.asText());
        JsonNode refs = o.path("reference_assets");
        return new VersionFile(name, version, template, normaliseVariables(file, o.path("variables")),
                config.isObject() ? (ObjectNode) config : JsonNodeFactory.instance.objectNode(),
                refs.isArray() ? (ArrayNode) refs : JsonNodeFactory.instance.arrayNode(),
                o.hasNonNull("message") ? o.get("message").asText() : null,
                o.hasNonNull("author") ? o.get("author").asText() : null,
                o.hasNonNull("created_at") ? o.get("created_at").asText() : null,
                labels, o.path("archived").asBoolean(false));
    }

    /** As the server keeps them: a bare name is {name}; a null default is no default. */
    static ArrayNode normaliseVariables(Path file, JsonNode raw) throws IOException {
        ArrayNode out = JsonNodeFactory.instance.arrayNode();
        if (raw.isMissingNode() || raw.isNull()) return out;
        if (!raw.isArray()) throw new IOException(file + ": 'variables' is a list");
        for (JsonNode v : raw) {
            if (v.isTextual()) {
                out.addObject().put("name", v.textValue());
            } else if (v.isObject()) {
                ObjectNode copy = ((ObjectNode) v).deepCopy();
                if (copy.has("default") && copy.get("default").isNull()) copy.remove("default");
                out.add(copy);
            } else {
                throw new IOException(file + ": each of 'variables' is a name or a mapping with a 'name'");
            }
        }
        return out;
    }
}
