package storyboard.prompts;

import storyboard.kernel.Principal;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.difflib.DiffUtils;
import com.github.difflib.UnifiedDiffUtils;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import org.jdbi.v3.core.Jdbi;
import storyboard.kernel.Api;
import storyboard.api.ApiException;
import storyboard.kernel.Json;
import storyboard.api.JsonBody;
import storyboard.api.RequestParams;
import storyboard.kernel.Actor;
import storyboard.auth.Authenticator;
import storyboard.promptlog.PromptUsage;

/**
 * The prompt registry. Prompt names may hold folders ({@code breakdown/shots}), so the name spans slashes
 * ({@code <name>}) and what follows it is an action word, which no part of a name may be (see {@link #RESERVED}):
 * <ul>
 * <li>{@code GET /api/v1/prompts?prefix=&q=&label=&archived=}: the prompts, by name, with latest version and labels;</li>
 * <li>{@code GET /api/v1/prompts/<name>?label=|?version=}: one version, with an ETag;</li>
 * <li>{@code GET|POST /api/v1/prompts/<name>/versions}: the history, newest first / a new version (and the prompt);</li>
 * <li>{@code PUT|DELETE /api/v1/prompts/<name>/labels/{label}}: point a label at a version / remove it;</li>
 * <li>{@code POST /api/v1/prompts/<name>/render}: render a version with variables;</li>
 * <li>{@code GET /api/v1/prompts/<name>/diff?from=&to=}: unified diff of two versions;</li>
 * <li>{@code GET /api/v1/prompts/<name>/usage}: per version, what the prompt logs that name it used;</li>
 * <li>{@code POST /api/v1/prompts/<name>/archive|unarchive}.</li>
 * </ul>
 * Prompts are studio-wide: a credential restricted to projects uses them like any other, but their usage counts
 * only its projects' logs.
 */
public final class PromptRoutes {
    public static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]*(/[a-z0-9][a-z0-9._-]*)*");
    public static final Pattern LABEL = Pattern.compile("[a-z0-9][a-z0-9._-]{0,62}");
    private static final Pattern VARIABLE = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,99}");
    /** The action words after a name in a path; no part of a name may be one, so every path reads one way. */
    static final Set<String> RESERVED = Set.of("versions", "labels", "render", "diff", "usage", "archive", "unarchive");
    private static final String DEFAULT_LABEL = "production";
    private static final String LATEST = "latest";
    private static final ObjectWriter SORTED = Json.MAPPER.copy()
            .configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true).writerWithDefaultPrettyPrinter();

    private final PromptStore store;
    private final PromptUsage usage;

    public PromptRoutes(Jdbi jdbi) {
        this.store = new PromptStore(jdbi);
        this.usage = new PromptUsage(jdbi);
    }

    public void register(Api api) {
        // The routes with an action word first: a path matches the first route registered that fits it.
        api.get("/api/v1/prompts/<name>/versions", this::versions);
        api.post("/api/v1/prompts/<name>/versions", this::createVersion);
        api.put("/api/v1/prompts/<name>/labels/{label}", this::moveLabel);
        api.delete("/api/v1/prompts/<name>/labels/{label}", this::deleteLabel);
        api.post("/api/v1/prompts/<name>/render", this::render);
        api.get("/api/v1/prompts/<name>/diff", this::diff);
        api.get("/api/v1/prompts/<name>/usage", this::usage);
        api.post("/api/v1/prompts/<name>/archive", ctx -> archive(ctx, true));
        api.post("/api/v1/prompts/<name>/unarchive", ctx -> archive(ctx, false));
        api.get("/api/v1/prompts/<name>", this::get);
        api.get("/api/v1/prompts", this::list);
    }

    // ---- reading ---------------------------------------------------------------------------------------

    private void list(Context ctx) {
        RequestParams p = RequestParams.of(ctx, Set.of("prefix", "q", "label", "archived", "limit", "cursor"));
        Optional<String> prefix = p.string("prefix").filter(s -> !s.isEmpty());
        prefix.filter(s -> s.length() > 200).ifPresent(s -> {
            throw ApiException.badRequest("invalid_parameter", "'prefix' is longer than 200 characters", "prefix");
        });
        Optional<String> q = p.string("q").map(String::strip).filter(s -> !s.isEmpty());
        q.filter(s -> s.length() > 200).ifPresent(s -> {
            throw ApiException.badRequest("invalid_parameter", "'q' is longer than 200 characters", "q");
        });
        Optional<String> cursor = p.string("cursor");
        cursor.filter(c -> c.length() > 200 || !NAME.matcher(c).matches()).ifPresent(c -> {
            throw ApiException.badRequest("invalid_parameter", "'cursor' is the next_cursor of a previous page", "cursor");
        });
        Optional<String> label = p.string("label").filter(s -> !s.isEmpty());
        label.filter(l -> !l.equals(LATEST)).ifPresent(PromptRoutes::checkLabel);
        PromptStore.Archived archived = switch (p.string("archived").orElse("false")) {
            case "false" -> PromptStore.Archived.EXCLUDE;
            case "true" -> PromptStore.Archived.ONLY;
            case "any" -> PromptStore.Archived.INCLUDE;
            default -> throw ApiException.badRequest("invalid_parameter", "'archived' is false (the default), true or any",
                    "archived");
        };
        int limit = p.integer("limit", 100, 1, 500);
        // Every prompt has a latest version, so label=latest filters nothing.
        List<PromptStore.Summary> page = store.list(prefix.orElse(null), q.orElse(null),
                label.filter(l -> !l.equals(LATEST)).orElse(null), archived, cursor.orElse(null), limit + 1);
        List<Map<String, Object>> items = new ArrayList<>();
        for (PromptStore.Summary s : page.subList(0, Math.min(limit, page.size()))) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", s.name());
            m.put("latest_version", s.latestVersion());
            m.put("labels", s.labels());
            m.put("created_at", s.createdAt());
            m.put("created_by", s.createdBy());
            m.put("updated_at", s.updatedAt());
            m.put("archived_at", s.archivedAt());
            items.add(m);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("items", items);
        body.put("next_cursor", page.size() > limit ? page.get(limit - 1).name() : null);
        ctx.json(body);
    }

    private void versions(Context ctx) {
        String name = name(ctx);
        RequestParams p = RequestParams.of(ctx, Set.of("limit", "cursor"));
        Integer below = p.versionNumber("cursor").orElse(null);
        int limit = p.integer("limit", 100, 1, 1000);
        PromptStore.Prompt prompt = store.find(name).orElseThrow(() -> ApiException.notFound("prompt '" + name + "'"));
        List<PromptStore.Version> page = store.versions(prompt, below, limit + 1);
        List<Map<String, Object>> items = new ArrayList<>();
        for (PromptStore.Version v : page.subList(0, Math.min(limit, page.size()))) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("version", v.version());
            m.put("kind", v.kind());
            m.put("message", v.message());
            m.put("author", v.author());
            m.put("created_at", v.createdAt());
            items.add(m);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", name);
        body.put("archived_at", prompt.archivedAt());
        body.put("labels", store.labels(prompt));
        body.put("items", items);
        body.put("next_cursor", page.size() > limit ? String.valueOf(page.get(limit - 1).version()) : null);
        ctx.json(body);
    }

    /** A version and how it was asked for: the label (also "latest"), or null for an explicit version. */
    private record Resolved(PromptStore.Prompt prompt, PromptStore.Version version, String label) {
        /** Names what the body shows: the version, how it was asked for, and whether the prompt is archived. */
        String etag() {
            return "\"" + version.promptId() + "." + version.version() + "." + (label == null ? "-" : label)
                    + (prompt.archivedAt() == null ? "" : ".archived") + "\"";
        }
    }

    private void get(Context ctx) {
        RequestParams p = RequestParams.of(ctx, Set.of("label", "version"));
        Resolved r = resolve(name(ctx), p.string("label").orElse(null), p.versionNumber("version").orElse(null));
        String etag = r.etag();
        ctx.header("ETag", etag).header("Cache-Control", "no-cache");
        if (matches(ctx.header("If-None-Match"), etag)) {
            ctx.status(304);
            return;
        }
        Map<String, Object> body = json(r.version());
        body.put("label", r.label());
        body.put("archived_at", r.prompt().archivedAt());
        ctx.json(body);
    }

    private static boolean matches(String ifNoneMatch, String etag) {
        if (ifNoneMatch == null) return false;
        for (String tag : ifNoneMatch.split(",")) {
            String t = tag.trim();
            if (t.equals("*") || t.equals(etag) || t.equals("W/" + etag)) return true;
        }
        return false;
    }

    /**
     * By version, or by label: the one asked for (404 when the prompt has no such label, never a fallback), or
     * without either {@code production} when set, else the latest version.
     */
    private Resolved resolve(String name, String label, Integer version) {
        if (label != null && version != null) {
            throw ApiException.badRequest("invalid_parameter", "give 'label' or 'version', not both", "version");
        }
        PromptStore.Prompt prompt = store.find(name).orElseThrow(() -> ApiException.notFound("prompt '" + name + "'"));
        if (version != null) {
            int n = version;
            return new Resolved(prompt, store.version(prompt, n).orElseThrow(() ->
                    ApiException.notFound("version " + n + " of prompt '" + name + "'")), null);
        }
        if (label == null) {
            Optional<Integer> production = store.label(prompt, DEFAULT_LABEL);
            return production.isPresent()
                    ? new Resolved(prompt, store.version(prompt, production.get()).orElseThrow(), DEFAULT_LABEL)
                    : new Resolved(prompt, store.latest(prompt).orElseThrow(), LATEST);
        }
        if (label.equals(LATEST)) return new Resolved(prompt, store.latest(prompt).orElseThrow(), LATEST);
        checkLabel(label);
        int n = store.label(prompt, label).orElseThrow(() ->
                ApiException.notFound("label '" + label + "' of prompt '" + name + "'"));
        return new Resolved(prompt, store.version(prompt, n).orElseThrow(), label);
    }

    // ---- writing ---------------------------------------------------------------------------------------

    private void createVersion(Context ctx) {
        String name = name(ctx);
        RequestParams.of(ctx, Set.of());
        JsonBody body = JsonBody.read(ctx, Set.of("template", "variables", "config", "reference_assets", "message"));
        JsonNode template = body.raw("template").orElseThrow(() ->
                ApiException.badRequest("missing_field", "'template' is required", "template"));
        String kind = kind(template);
        ArrayNode variables = variables(body.raw("variables").orElse(null));
        Set<String> declared = new LinkedHashSet<>();
        variables.forEach(v -> declared.add(v.get("name").asText()));
        Set<String> used = new LinkedHashSet<>();
        for (String text : texts(template)) {
            try {
                used.addAll(Renderer.variables(text));
            } catch (IllegalArgumentException e) {
                throw ApiException.badRequest("invalid_template", "the template does not compile: " + e.getMessage(), "template");
            }
        }
        used.removeAll(declared);
        if (!used.isEmpty()) {
            throw ApiException.badRequest("undeclared_variables", "the template uses variables that are not declared in "
                    + "'variables': " + String.join(", ", used), "variables");
        }
        JsonNode config = body.raw("config").orElse(JsonNodeFactory.instance.objectNode());
        if (!config.isObject()) throw ApiException.badRequest("invalid_field", "'config' must be a JSON object", "config");
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
        String message = body.string("message", 2000).orElse(null);
        PromptStore.Version v = store.createVersion(Actor.of(ctx), name,
                new PromptStore.NewVersion(kind, template, variables, config, assets, message),
                Principal.of(ctx).projects());
        ctx.status(201).json(json(v));
    }

    private void moveLabel(Context ctx) {
        String name = name(ctx);
        String label = labelParam(ctx);
        RequestParams.of(ctx, Set.of());
        JsonBody body = JsonBody.read(ctx, Set.of("version"));
        int version = body.integer("version", 1, Integer.MAX_VALUE).orElseThrow(() ->
                ApiException.badRequest("missing_field", "'version' is required", "version"));
        PromptStore.LabelMove m = store.moveLabel(Actor.of(ctx), name, label, version);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("name", name);
        out.put("label", label);
        out.put("version", m.version());
        out.put("previous_version", m.previous());
        ctx.json(out);
    }

    private void deleteLabel(Context ctx) {
        String name = name(ctx);
        String label = labelParam(ctx);
        RequestParams.of(ctx, Set.of());
        if (!store.deleteLabel(Actor.of(ctx), name, label)) {
            throw ApiException.notFound("label '" + label + "' of prompt '" + name + "'");
        }
        ctx.status(204);
    }

    private static String labelParam(Context ctx) {
        String label = ctx.pathParam("label");
        if (label.equals(LATEST)) {
            throw ApiException.badRequest("invalid_parameter", "'latest' is implicit: it always points at the newest version", "label");
        }
        return checkLabel(label);
    }

    private static String checkLabel(String label) {
        if (!LABEL.matcher(label).matches()) {
            throw ApiException.badRequest("invalid_parameter",
                    "a label is 1 to 63 lower-case letters, digits, '.', '_' and '-', starting with a letter or digit", "label");
        }
        return label;
    }

    private void archive(Context ctx, boolean archived) {
        String name = name(ctx);
        RequestParams.of(ctx, Set.of());
        PromptStore.Prompt p = store.setArchived(Actor.of(ctx), name, archived);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("name", p.name());
        out.put("archived_at", p.archivedAt());
        ctx.json(out);
    }

    // ---- usage -----------------------------------------------------------------------------------------

    /**
     * Per version of the registry (unused ones too), what the prompt logs naming it used, plus any version the
     * logs name that the registry does not have (in_registry false) and the logs that name no version.
     */
    private void usage(Context ctx) {
        String name = name(ctx);
        RequestParams p = RequestParams.of(ctx, Set.of("from", "to"));
        var from = p.instant("from").orElse(null);
        var to = p.instant("to").orElse(null);
        if (from != null && to != null && !from.isBefore(to)) {
            throw ApiException.badRequest("invalid_parameter", "'from' must be before 'to'", "from");
        }
        PromptStore.Prompt prompt = store.find(name).orElseThrow(() -> ApiException.notFound("prompt '" + name + "'"));
        Map<Integer, PromptUsage.VersionUsage> used = new LinkedHashMap<>();
        PromptUsage.VersionUsage unversioned = null;
        for (PromptUsage.VersionUsage u : usage.byVersion(name, Principal.of(ctx).projects(), from, to)) {
            if (u.version() == null) unversioned = u;
            else used.put(u.version(), u);
        }
        Set<Integer> versions = new java.util.TreeSet<>(java.util.Comparator.reverseOrder());
        versions.addAll(used.keySet());
        int latest = store.latest(prompt).orElseThrow().version();
        for (int v = 1; v <= latest; v++) versions.add(v);
        List<Map<String, Object>> items = new ArrayList<>();
        long count = 0;
        for (int v : versions) {
            PromptUsage.VersionUsage u = used.getOrDefault(v, new PromptUsage.VersionUsage(v, 0, null, null, null, null));
            Map<String, Object> m = usageJson(name, u);
            m.put("in_registry", v <= latest);
            items.add(m);
            count += u.count();
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("name", name);
        out.put("versions", items);
        out.put("unversioned", unversioned == null ? null : usageJson(name, unversioned));
        out.put("total_count", count + (unversioned == null ? 0 : unversioned.count()));
        ctx.json(out);
    }

    private static Map<String, Object> usageJson(String name, PromptUsage.VersionUsage u) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("version", u.version());
        m.put("count", u.count());
        m.put("tokens", u.tokens());
        m.put("cost", u.cost());
        m.put("avg_processing_ms", u.avgProcessingMs());
        m.put("last_used_at", u.lastUsedAt());
        if (u.version() != null) {
            m.put("logs", "/api/v1/prompt-history?prompt_name=" + name + "&prompt_version=" + u.version());
        }
        return m;
    }

    // ---- rendering and diffs ---------------------------------------------------------------------------

    private void render(Context ctx) {
        String name = name(ctx);
        RequestParams.of(ctx, Set.of());
        JsonBody body = JsonBody.read(ctx, Set.of("variables", "label", "version"));
        JsonNode given = body.raw("variables").orElse(JsonNodeFactory.instance.objectNode());
        if (!given.isObject()) throw ApiException.badRequest("invalid_field", "'variables' must be a JSON object", "variables");
        Resolved r = resolve(name, body.string("label", 100).orElse(null),
                body.integer("version", 1, Integer.MAX_VALUE).orElse(null));
        PromptStore.Version v = r.version();

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
        List<String> missing = required.stream().filter(n -> !values.containsKey(n)).toList();
        if (!missing.isEmpty()) {
            Map<String, Object> err = new LinkedHashMap<>();
            err.put("error", "missing_variables");
            err.put("message", "missing variables: " + String.join(", ", missing));
            err.put("field", "variables");
            err.put("missing", missing);
            ctx.status(400).json(err);
            return;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("name", name);
        out.put("version", v.version());
        out.put("label", r.label());
        out.put("kind", v.kind());
        try {
            if (v.kind().equals("text")) {
                out.put("text", Renderer.render(v.template().textValue(), values));
            } else {
                List<Map<String, String>> messages = new ArrayList<>();
                for (JsonNode m : v.template()) {
                    messages.add(Map.of("role", m.get("role").textValue(),
                            "content", Renderer.render(m.get("content").textValue(), values)));
                }
                out.put("messages", messages);
            }
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("render_failed", "the template could not be rendered: " + e.getMessage(), "variables");
        }
        out.put("config", v.config());
        out.put("reference_assets", v.referenceAssets());
        ctx.json(out);
    }

    private void diff(Context ctx) {
        String name = name(ctx);
        RequestParams p = RequestParams.of(ctx, Set.of("from", "to", "context"));
        int from = p.versionNumber("from").orElseThrow(() ->
                ApiException.badRequest("missing_parameter", "'from' is required", "from"));
        int to = p.versionNumber("to").orElseThrow(() ->
                ApiException.badRequest("missing_parameter", "'to' is required", "to"));
        int context = p.integer("context", 3, 0, 1000);
        PromptStore.Prompt prompt = store.find(name).orElseThrow(() -> ApiException.notFound("prompt '" + name + "'"));
        PromptStore.Version a = store.version(prompt, from).orElseThrow(() ->
                ApiException.notFound("version " + from + " of prompt '" + name + "'"));
        PromptStore.Version b = store.version(prompt, to).orElseThrow(() ->
                ApiException.notFound("version " + to + " of prompt '" + name + "'"));
        List<String> changed = new ArrayList<>();
        StringBuilder diff = new StringBuilder();
        section(diff, changed, name, from, to, "template", templateText(a), templateText(b), context);
        section(diff, changed, name, from, to, "variables", sorted(a.variables()), sorted(b.variables()), context);
        section(diff, changed, name, from, to, "config", sorted(a.config()), sorted(b.config()), context);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("name", name);
        out.put("from", from);
        out.put("to", to);
        out.put("changed", changed);
        out.put("diff", diff.toString());
        ctx.json(out);
    }

    private static void section(StringBuilder out, List<String> changed, String name, int from, int to, String part,
                                String a, String b, int context) {
        if (a.equals(b)) return;
        changed.add(part);
        List<String> left = Arrays.asList(a.split("\n", -1));
        List<String> right = Arrays.asList(b.split("\n", -1));
        List<String> lines = UnifiedDiffUtils.generateUnifiedDiff(name + "@" + from + "/" + part,
                name + "@" + to + "/" + part, left, DiffUtils.diff(left, right), context);
        for (String line : lines) out.append(line).append('\n');
    }

    /** A text template as it is; chat messages as "[role]" lines each followed by the content. */
    private static String templateText(PromptStore.Version v) {
        if (v.kind().equals("text")) return v.template().textValue();
        StringBuilder s = new StringBuilder();
        for (JsonNode m : v.template()) {
            s.append('[').append(m.get("role").textValue()).append("]\n").append(m.get("content").textValue()).append('\n');
        }
        return s.toString();
    }

    private static String sorted(JsonNode node) {
        try {
            return SORTED.writeValueAsString(Json.MAPPER.convertValue(node, Object.class));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---- input -----------------------------------------------------------------------------------------

    private static String name(Context ctx) {
        String name = ctx.pathParam("name");
        // Javalin drops a trailing slash before matching; a name never ends with one.
        if (name.length() > 200 || !NAME.matcher(name).matches() || ctx.path().endsWith("/")
                || Arrays.stream(name.split("/")).anyMatch(RESERVED::contains)) {
            throw ApiException.badRequest("invalid_name", "a prompt name is up to 200 lower-case letters, digits, '.', '_' "
                    + "and '-', in folders separated by '/' (e.g. breakdown/shots); no part of it may be one of "
                    + String.join(", ", new java.util.TreeSet<>(RESERVED)), "name");
        }
        return name;
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

    private static List<String> texts(JsonNode template) {
        if (template.isTextual()) return List.of(template.textValue());
        List<String> out = new ArrayList<>();
        template.forEach(m -> out.add(m.get("content").textValue()));
        return out;
    }

    /** Declared variables as [{name, default?, description?}]; a plain string declares a name without default. */
    private static ArrayNode variables(JsonNode raw) {
        ArrayNode out = JsonNodeFactory.instance.arrayNode();
        if (raw == null) return out;
        if (!raw.isArray() || raw.size() > 200) {
            throw ApiException.badRequest("invalid_field", "'variables' is a list of names or of {\"name\", \"default\", "
                    + "\"description\"} objects", "variables");
        }
        Set<String> seen = new HashSet<>();
        for (JsonNode v : raw) {
            ObjectNode o = JsonNodeFactory.instance.objectNode();
            if (v.isTextual()) {
                o.put("name", v.textValue());
            } else if (v.isObject() && v.path("name").isTextual()) {
                for (var it = v.fieldNames(); it.hasNext(); ) {
                    String f = it.next();
                    if (!Set.of("name", "default", "description").contains(f)) {
                        throw ApiException.badRequest("unknown_field", "unknown field '" + f + "' in a variable (known: "
                                + "default, description, name)", "variables");
                    }
                }
                o.put("name", v.get("name").textValue());
                if (v.has("default") && !v.get("default").isNull()) o.set("default", v.get("default"));
                if (v.has("description")) {
                    if (!v.get("description").isTextual() || v.get("description").textValue().length() > 2000) {
                        throw ApiException.badRequest("invalid_field", "a variable's 'description' is a string", "variables");
                    }
                    o.put("description", v.get("description").textValue());
                }
            } else {
                throw ApiException.badRequest("invalid_field", "each of 'variables' is a name or an object with a 'name'", "variables");
            }
            String n = o.get("name").textValue();
            if (!VARIABLE.matcher(n).matches()) {
                throw ApiException.badRequest("invalid_field", "variable name '" + n + "' must be letters, digits and '_'", "variables");
            }
            if (!seen.add(n)) throw ApiException.badRequest("invalid_field", "variable '" + n + "' is declared twice", "variables");
            out.add(o);
        }
        return out;
    }

    private static Map<String, Object> json(PromptStore.Version v) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", v.name());
        m.put("version", v.version());
        m.put("kind", v.kind());
        m.put("template", v.template());
        m.put("variables", v.variables());
        m.put("config", v.config());
        m.put("reference_assets", v.referenceAssets());
        m.put("message", v.message());
        m.put("author", v.author());
        m.put("created_at", v.createdAt());
        return m;
    }
}
