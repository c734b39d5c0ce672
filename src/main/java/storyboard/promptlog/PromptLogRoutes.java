package storyboard.promptlog;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import storyboard.api.ApiError;
import storyboard.api.ApiException;
import storyboard.api.ErrorResponses;
import storyboard.api.HttpBodies;
import storyboard.api.RequestParams;
import storyboard.kernel.Actor;
import storyboard.kernel.Api;
import storyboard.kernel.Json;
import storyboard.kernel.Principal;
import storyboard.kernel.SpendListener;
import storyboard.promptlog.PromptLogWriter.Outcome;

/** The prompt-history endpoints. */
public final class PromptLogRoutes implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PromptLogRoutes.class);
    public static final int MAX_BATCH_ITEMS = 1000;
    static final int MAX_PAGE = 500;
    /** How long a request waits for its commit before answering 503. */
    static final long WRITE_TIMEOUT_SECONDS = 10;

    /** The answer to one log stored: {@code existing} only when it was a repeat. */
    record Created(String status, UUID id, @JsonInclude(JsonInclude.Include.NON_NULL) Boolean existing) {
        static Created of(Outcome o) {
            return new Created("success", o.id(), o.status() == Outcome.Status.EXISTING ? true : null);
        }
    }

    /** What became of one batch item; the id of a stored (or already stored) log, the error of a rejected one. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record ItemResult(int index, Outcome.Status status, UUID id, ApiError error) {
        static ItemResult of(int index, Outcome o) {
            return new ItemResult(index, o.status(), o.id(), o.error());
        }
    }

    /** The answer to a batch: how many items went which way, and every item's result in item order. */
    record BatchAnswer(long created, long existing, long rejected, List<ItemResult> results) {
        static BatchAnswer of(List<ItemResult> results) {
            return new BatchAnswer(count(results, Outcome.Status.CREATED), count(results, Outcome.Status.EXISTING),
                    count(results, Outcome.Status.REJECTED), results);
        }

        private static long count(List<ItemResult> results, Outcome.Status status) {
            return results.stream().filter(r -> r.status() == status).count();
        }
    }

    private final PromptLogWriter writer;
    private final PromptLogStore store;
    private final long maxBodyBytes;
    private final long maxBatchBodyBytes;

    public PromptLogRoutes(DataSource dataSource, Jdbi jdbi, SpendListener spending, long maxBodyBytes,
                           long maxBatchBodyBytes) {
        this.writer = new PromptLogWriter(dataSource, 2, spending);
        this.store = new PromptLogStore(jdbi, spending);
        this.maxBodyBytes = maxBodyBytes;
        this.maxBatchBodyBytes = maxBatchBodyBytes;
    }

    public void register(Api api) {
        String base = "/api/v1/prompt-history";
        api.post(base, this::create);
        api.post(base + "/batch", this::createBatch);
        api.get(base, this::list);
        api.get(base + "/stats", this::stats);
        api.get(base + "/export", this::export);
        api.get(base + "/{id}", this::get);
        api.delete(base + "/{id}", this::delete);
    }

    private void create(Context ctx) {
        HttpBodies.requireJson(ctx);
        NewPromptLog parsed = withinProjects(PromptLogParser.parseBody(HttpBodies.read(ctx, maxBodyBytes)),
                Principal.of(ctx));
        String key = PromptLogParser.validIdempotencyKey(ctx.header("Idempotency-Key"));
        NewPromptLog row = key == null ? parsed : parsed.withIdempotencyKey(key);
        ctx.future(() -> answer(ctx, writer.submit(List.of(row), false, Actor.of(ctx)), outcomes -> {
            Outcome o = outcomes.get(0);
            if (o.status() == Outcome.Status.REJECTED) {
                throw new ApiException(422, o.error().error(), o.error().message());
            }
            ctx.status(o.status() == Outcome.Status.CREATED ? 201 : 200).json(Created.of(o));
        }));
    }

    /** A batch request's body: its items, unparsed, and whether a body already stored counts as existing. */
    private record Batch(JsonNode items, boolean skipKnownBodies) {
        static Batch read(byte[] body) {
            JsonNode root = readJson(body);
            if (!root.isObject()) throw ApiException.badRequest("invalid_body", "the body must be {\"items\": [...]}", null);
            for (var it = root.fieldNames(); it.hasNext(); ) {
                String name = it.next();
                if (!name.equals("items") && !name.equals("skip_known_bodies")) {
                    throw ApiException.badRequest("unknown_field", "unknown field '" + name
                            + "' (known: items, skip_known_bodies)", name);
                }
            }
            JsonNode items = root.get("items");
            if (items == null || !items.isArray()) {
                throw ApiException.badRequest("invalid_field", "'items' must be an array of prompt logs", "items");
            }
            if (items.size() > MAX_BATCH_ITEMS) {
                throw ApiException.badRequest("too_many_items", "a batch holds at most " + MAX_BATCH_ITEMS
                        + " items, not " + items.size(), "items");
            }
            JsonNode skip = root.get("skip_known_bodies");
            if (skip != null && !skip.isBoolean()) {
                throw ApiException.badRequest("invalid_field", "'skip_known_bodies' must be true or false", "skip_known_bodies");
            }
            return new Batch(items, skip != null && skip.booleanValue());
        }
    }

    private void createBatch(Context ctx) {
        HttpBodies.requireJson(ctx);
        Batch batch = Batch.read(HttpBodies.read(ctx, maxBatchBodyBytes));
        JsonNode items = batch.items();
        Principal principal = Principal.of(ctx);
        int n = items.size();
        ItemResult[] results = new ItemResult[n];
        List<NewPromptLog> rows = new ArrayList<>();
        List<Integer> rowIndex = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            try {
                rows.add(withinProjects(parseItem(items.get(i)), principal));
                rowIndex.add(i);
            } catch (ApiException e) {
                results[i] = new ItemResult(i, Outcome.Status.REJECTED, null, e.toError());
            }
        }
        ctx.future(() -> answer(ctx, writer.submit(rows, batch.skipKnownBodies(), Actor.of(ctx)), outcomes -> {
            for (int j = 0; j < outcomes.size(); j++) {
                int i = rowIndex.get(j);
                results[i] = ItemResult.of(i, outcomes.get(j));
            }
            ctx.status(200).json(BatchAnswer.of(Arrays.asList(results)));
        }));
    }

    /**
     * A log from a principal restricted to projects must belong to one of them: a log naming no project is
     * attributed to the principal's project when it has exactly one (the B-Line app sends none yet), and a log
     * of any other project is refused as if that project did not exist.
     */
    static NewPromptLog withinProjects(NewPromptLog row, Principal principal) {
        if (!principal.restricted()) return row;
        if (row.project() == null) {
            if (principal.projects().size() == 1) return row.withProject(principal.projects().iterator().next());
            throw ApiException.badRequest("project_required", "this token may log to several projects; name one in "
                    + "'projectId' (or context.projectId)", "projectId");
        }
        if (!principal.canSee(row.project())) throw ApiException.notFound("project '" + row.project() + "'");
        return row;
    }

    /** A batch item: a log object, or a string holding a log body exactly as it would be POSTed alone. */
    private static NewPromptLog parseItem(JsonNode item) {
        if (item.isTextual()) {
            return PromptLogParser.parseBody(item.textValue().getBytes(StandardCharsets.UTF_8));
        }
        if (item.isObject()) {
            byte[] canonical;
            try {
                canonical = Json.MAPPER.writeValueAsBytes(item);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return PromptLogParser.parseObject((ObjectNode) item, PromptLogParser.sha256Hex(canonical));
        }
        throw ApiException.badRequest("invalid_item", "an item must be a prompt log object (or its body as a string), not "
                + PromptLogParser.describe(item), null);
    }

    private interface Responder {
        void respond(List<Outcome> outcomes);
    }

    /** Waits (without a thread) for the commit, then answers; any failure becomes a JSON error, never a 500 page. */
    private static CompletableFuture<Void> answer(Context ctx, CompletableFuture<List<Outcome>> done,
                                                  Responder responder) {
        return done.orTimeout(WRITE_TIMEOUT_SECONDS, TimeUnit.SECONDS).handle((outcomes, error) -> {
            try {
                if (error != null) {
                    ApiException api = ErrorResponses.fromAsync(error);
                    if (api == null) {
                        LOG.error("prompt log write failed", error);
                        api = new ApiException(500, "internal_error", "the server could not store the log");
                    }
                    ErrorResponses.send(ctx, api);
                } else {
                    responder.respond(outcomes);
                }
            } catch (ApiException e) {
                ErrorResponses.send(ctx, e);
            }
            return null;
        });
    }

    private void list(Context ctx) {
        Set<String> allowed = with(PromptLogFilter.PARAMS, "limit", "cursor");
        RequestParams p = RequestParams.of(ctx, allowed);
        PromptLogFilter filter = PromptLogFilter.from(p, Principal.of(ctx));
        int limit = p.integer("limit", 50, 1, MAX_PAGE);
        ctx.json(store.list(filter, limit, p.string("cursor")));
    }

    private void stats(Context ctx) {
        RequestParams p = RequestParams.of(ctx, with(PromptLogFilter.PARAMS, "group_by"));
        String groupBy = p.oneOf("group_by", PromptLogStore.GROUPS.keySet()).orElse("type");
        ctx.json(store.stats(PromptLogFilter.from(p, Principal.of(ctx)), groupBy));
    }

    private void export(Context ctx) throws IOException {
        RequestParams p = RequestParams.of(ctx, with(PromptLogFilter.PARAMS, "format"));
        String format = p.oneOf("format", PromptLogExport.FORMATS).orElse("jsonl");
        PromptLogFilter filter = PromptLogFilter.from(p, Principal.of(ctx));
        String file = "prompt-history-" + LocalDate.now(ZoneOffset.UTC) + "." + format;
        ctx.header("Content-Disposition", "attachment; filename=\"" + file + "\"");
        ctx.contentType(PromptLogExport.contentType(format));
        Writer out = new BufferedWriter(new OutputStreamWriter(ctx.outputStream(), StandardCharsets.UTF_8), 1 << 16);
        store.export(filter, PromptLogExport.to(format, out));
        out.flush();
    }

    private void get(Context ctx) {
        ctx.json(store.get(pathId(ctx), Principal.of(ctx).visibility()));
    }

    private void delete(Context ctx) throws SQLException {
        store.delete(Actor.of(ctx), pathId(ctx), Principal.of(ctx).visibility());
        ctx.status(204);
    }

    private static UUID pathId(Context ctx) {
        String raw = ctx.pathParam("id");
        return PromptLogParser.parseUuid(raw).orElseThrow(() ->
                ApiException.badRequest("invalid_parameter", "the id must be a UUID, not '" + raw + "'", "id"));
    }

    private static JsonNode readJson(byte[] body) {
        try {
            JsonNode n = Json.MAPPER.readTree(body);
            if (n == null || n.isMissingNode()) throw ApiException.badRequest("invalid_json", "the body is empty", null);
            return n;
        } catch (IOException e) {
            throw ApiException.badRequest("invalid_json", "the body is not valid JSON", null);
        }
    }

    private static Set<String> with(Set<String> base, String... more) {
        Set<String> s = new HashSet<>(base);
        s.addAll(List.of(more));
        return s;
    }

    /** Starts the group-commit writers. */
    void start() {
        writer.start();
    }

    @Override
    public void close() {
        writer.close();
    }
}
