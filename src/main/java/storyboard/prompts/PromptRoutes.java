package storyboard.prompts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.javalin.http.Context;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import storyboard.api.ApiException;
import storyboard.api.Conditional;
import storyboard.api.JsonBody;
import storyboard.api.RequestParams;
import storyboard.kernel.Actor;
import storyboard.kernel.Api;
import storyboard.kernel.Principal;
import storyboard.kernel.PromptUsageQuery;
import storyboard.prompts.PromptAnswers.ArchiveState;
import storyboard.prompts.PromptAnswers.FoundVersion;
import storyboard.prompts.PromptAnswers.History;
import storyboard.prompts.PromptAnswers.HistoryEntry;
import storyboard.prompts.PromptAnswers.MissingVariables;
import storyboard.prompts.PromptAnswers.Usage;

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
    /** The action words after a name in a path; no part of a name may be one, so every path reads one way. */
    static final Set<String> RESERVED = Set.of("versions", "labels", "render", "diff", "usage", "archive", "unarchive");
    private static final String DEFAULT_LABEL = "production";
    private static final String LATEST = "latest";

    private final PromptStore store;
    private final PromptUsageQuery usage;

    PromptRoutes(PromptStore store, PromptUsageQuery usage) {
        this.store = store;
        this.usage = usage;
    }

    void register(Api api) {
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
        int limit = p.integer("limit", 100, 1, 500);
        ctx.json(store.list(filter(p), p.string("cursor"), limit));
    }

    /** The list's filter from its parameters (prefix, q, label, archived), as the API and the pages read them. */
    static PromptStore.Filter filter(RequestParams p) {
        Optional<String> prefix = searchText("prefix", p.string("prefix"));
        Optional<String> q = searchText("q", p.string("q").map(String::strip));
        Optional<String> label = p.string("label").filter(s -> !s.isEmpty());
        label.filter(l -> !l.equals(LATEST)).ifPresent(PromptRoutes::checkLabel);
        PromptStore.Archived archived = switch (p.string("archived").orElse("false")) {
            case "false" -> PromptStore.Archived.EXCLUDE;
            case "true" -> PromptStore.Archived.ONLY;
            case "any" -> PromptStore.Archived.INCLUDE;
            default -> throw ApiException.badRequest("invalid_parameter", "'archived' is false (the default), true or any",
                    "archived");
        };
        // Every prompt has a latest version, so label=latest filters nothing.
        return new PromptStore.Filter(prefix.orElse(null), q.orElse(null),
                label.filter(l -> !l.equals(LATEST)).orElse(null), archived);
    }

    /** A search parameter: none when empty, else at most 200 characters. */
    private static Optional<String> searchText(String parameter, Optional<String> value) {
        Optional<String> given = value.filter(s -> !s.isEmpty());
        if (given.filter(s -> s.length() > 200).isPresent()) {
            throw ApiException.badRequest("invalid_parameter", "'" + parameter + "' is longer than 200 characters", parameter);
        }
        return given;
    }

    private void versions(Context ctx) {
        String name = name(ctx);
        RequestParams p = RequestParams.of(ctx, Set.of("limit", "cursor"));
        int limit = p.integer("limit", 100, 1, 1000);
        PromptStore.Prompt prompt = store.prompt(name);
        ctx.json(new History(name, prompt.archivedAt(), store.labels(prompt),
                store.versions(prompt, p.string("cursor"), limit).map(HistoryEntry::of)));
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
        if (Conditional.notModified(ctx.header("If-None-Match"), etag)) {
            ctx.status(304);
            return;
        }
        ctx.json(new FoundVersion(r.version(), r.label(), r.prompt().archivedAt()));
    }

    /**
     * By version, or by label: the one asked for (404 when the prompt has no such label, never a fallback), or
     * without either {@code production} when set, else the latest version.
     */
    private Resolved resolve(String name, String label, Integer version) {
        if (label != null && version != null) {
            throw ApiException.badRequest("invalid_parameter", "give 'label' or 'version', not both", "version");
        }
        PromptStore.Prompt prompt = store.prompt(name);
        if (version != null) return new Resolved(prompt, store.version(prompt, version), null);
        if (label == null) {
            Optional<Integer> production = store.label(prompt, DEFAULT_LABEL);
            return production.isPresent()
                    ? new Resolved(prompt, store.version(prompt, production.get()), DEFAULT_LABEL)
                    : new Resolved(prompt, store.latest(prompt), LATEST);
        }
        if (label.equals(LATEST)) return new Resolved(prompt, store.latest(prompt), LATEST);
        checkLabel(label);
        int n = store.label(prompt, label).orElseThrow(() ->
                ApiException.notFound("label '" + label + "' of prompt '" + name + "'"));
        return new Resolved(prompt, store.version(prompt, n), label);
    }

    // ---- writing ---------------------------------------------------------------------------------------

    private void createVersion(Context ctx) {
        String name = name(ctx);
        RequestParams.of(ctx, Set.of());
        PromptStore.NewVersion version = VersionInput.read(ctx);
        ctx.status(201).json(store.createVersion(Actor.of(ctx), name, version, Principal.of(ctx).visibility()));
    }

    private void moveLabel(Context ctx) {
        String name = name(ctx);
        String label = labelParam(ctx);
        RequestParams.of(ctx, Set.of());
        int version = JsonBody.read(ctx, Set.of("version")).integer("version", 1, Integer.MAX_VALUE).orElseThrow(() ->
                ApiException.badRequest("missing_field", "'version' is required", "version"));
        ctx.json(store.moveLabel(Actor.of(ctx), name, label, version));
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

    private void archive(Context ctx, boolean archived) {
        String name = name(ctx);
        RequestParams.of(ctx, Set.of());
        ctx.json(ArchiveState.of(store.setArchived(Actor.of(ctx), name, archived)));
    }

    // ---- usage, rendering and diffs --------------------------------------------------------------------

    /**
     * Per version of the registry (unused ones too), what the prompt logs naming it used, plus any version the
     * logs name that the registry does not have (in_registry false) and the logs that name no version.
     */
    private void usage(Context ctx) {
        String name = name(ctx);
        RequestParams p = RequestParams.of(ctx, Set.of("from", "to"));
        Instant from = p.instant("from").orElse(null);
        Instant to = p.instant("to").orElse(null);
        if (from != null && to != null && !from.isBefore(to)) {
            throw ApiException.badRequest("invalid_parameter", "'from' must be before 'to'", "from");
        }
        PromptStore.Prompt prompt = store.prompt(name);
        ctx.json(Usage.of(name, store.latest(prompt).version(),
                usage.byVersion(name, Principal.of(ctx).visibility(), from, to)));
    }

    private void render(Context ctx) {
        String name = name(ctx);
        RequestParams.of(ctx, Set.of());
        JsonBody body = JsonBody.read(ctx, Set.of("variables", "label", "version"));
        JsonNode given = body.raw("variables").orElse(JsonNodeFactory.instance.objectNode());
        if (!given.isObject()) throw ApiException.badRequest("invalid_field", "'variables' must be a JSON object", "variables");
        Resolved r = resolve(name, body.string("label", 100).orElse(null),
                body.integer("version", 1, Integer.MAX_VALUE).orElse(null));
        Rendering.Values values = Rendering.Values.of(name, r.version(), given);
        if (!values.missing().isEmpty()) {
            ctx.status(400).json(MissingVariables.of(values.missing()));
            return;
        }
        ctx.json(Rendering.render(r.version(), r.label(), values.values()));
    }

    private void diff(Context ctx) {
        String name = name(ctx);
        RequestParams p = RequestParams.of(ctx, Set.of("from", "to", "context"));
        int from = requiredVersion(p, "from");
        int to = requiredVersion(p, "to");
        int context = p.integer("context", 3, 0, 1000);
        PromptStore.Prompt prompt = store.prompt(name);
        ctx.json(VersionDiff.of(store.version(prompt, from), store.version(prompt, to), context));
    }

    // ---- input -----------------------------------------------------------------------------------------

    static String name(Context ctx) {
        String name = ctx.pathParam("name");
        // Javalin drops a trailing slash before matching; a name never ends with one.
        if (name.length() > 200 || !NAME.matcher(name).matches() || ctx.path().endsWith("/")
                || Arrays.stream(name.split("/")).anyMatch(RESERVED::contains)) {
            throw ApiException.badRequest("invalid_name", "a prompt name is up to 200 lower-case letters, digits, '.', '_' "
                    + "and '-', in folders separated by '/' (e.g. breakdown/shots); no part of it may be one of "
                    + String.join(", ", new TreeSet<>(RESERVED)), "name");
        }
        return name;
    }

    private static String labelParam(Context ctx) {
        return movableLabel(ctx.pathParam("label"));
    }

    /** A label that may be pointed at a version: well formed, and not the implicit "latest". */
    static String movableLabel(String label) {
        if (label.equals(LATEST)) {
            throw ApiException.badRequest("invalid_parameter", "'latest' is implicit: it always points at the newest version", "label");
        }
        return checkLabel(label);
    }

    static String checkLabel(String label) {
        if (!LABEL.matcher(label).matches()) {
            throw ApiException.badRequest("invalid_parameter",
                    "a label is 1 to 63 lower-case letters, digits, '.', '_' and '-', starting with a letter or digit", "label");
        }
        return label;
    }

    private static int requiredVersion(RequestParams p, String parameter) {
        return p.versionNumber(parameter).orElseThrow(() ->
                ApiException.badRequest("missing_parameter", "'" + parameter + "' is required", parameter));
    }
}
