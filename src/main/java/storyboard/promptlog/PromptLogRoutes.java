package storyboard.promptlog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import storyboard.kernel.Api;
import storyboard.api.ApiError;
import storyboard.api.ApiException;
import storyboard.api.ErrorResponses;
import storyboard.api.HttpBodies;
import storyboard.kernel.Json;
import storyboard.api.RequestParams;
import storyboard.kernel.Actor;
import storyboard.auth.Authenticator;
import storyboard.kernel.Principal;

/** The prompt-history endpoints. */
public final class PromptLogRoutes implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PromptLogRoutes.class);
    public static final int MAX_BATCH_ITEMS = 1000;
    static final int MAX_PAGE = 500;
    /** How long a request waits for its commit before answering 503. */
    static final long WRITE_TIMEOUT_SECONDS = 10;
    static final List<String> CSV_COLUMNS = List.of("id", "received_at", "timestamp", "category", "type", "user",
            "version", "llm", "tokens", "cost", "userId", "projectId", "sessionId", "correlationId", "environment",
            "inputSize", "outputSize", "prompt", "response", "context", "errorDetails", "latencyBreakdown",
            "modelParams", "extra", "body_sha256");

    private final PromptLogWriter writer;
    private final PromptLogStore store;
    private final long maxBodyBytes;
    private final long maxBatchBodyBytes;

    public PromptLogRoutes(javax.sql.DataSource dataSource, org.jdbi.v3.core.Jdbi jdbi, long maxBodyBytes,
                           long maxBatchBodyBytes) {
        this.writer = new PromptLogWriter(dataSource, 2);
        this.store = new PromptLogStore(jdbi);
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
            PromptLogWriter.Outcome o = outcomes.get(0);
            if (o.status() == PromptLogWriter.Outcome.Status.REJECTED) {
                throw new ApiException(422, o.error().error(), o.error().message());
            }
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("status", "success");
            body.put("id", o.id());
            if (o.status() == PromptLogWriter.Outcome.Status.EXISTING) body.put("existing", true);
            ctx.status(o.status() == PromptLogWriter.Outcome.Status.CREATED ? 201 : 200).json(body);
        }));
    }

    private void createBatch(Context ctx) {
        HttpBodies.requireJson(ctx);
        JsonNode root = readJson(HttpBodies.read(ctx, maxBatchBodyBytes));
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
        JsonNode skipNode = root.get("skip_known_bodies");
        if (skipNode != null && !skipNode.isBoolean()) {
            throw ApiException.badRequest("invalid_field", "'skip_known_bodies' must be true or false", "skip_known_bodies");
        }
        boolean skipKnown = skipNode != null && skipNode.booleanValue();

        Principal principal = Principal.of(ctx);
        int n = items.size();
        Object[] results = new Object[n];
        List<NewPromptLog> rows = new ArrayList<>();
        List<Integer> rowIndex = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            try {
                rows.add(withinProjects(parseItem(items.get(i)), principal));
                rowIndex.add(i);
            } catch (ApiException e) {
                results[i] = itemResult(i, "rejected", null, e.toError());
            }
        }
        ctx.future(() -> answer(ctx, writer.submit(rows, skipKnown, Actor.of(ctx)), outcomes -> {
            for (int j = 0; j < outcomes.size(); j++) {
                PromptLogWriter.Outcome o = outcomes.get(j);
                int i = rowIndex.get(j);
                results[i] = switch (o.status()) {
                    case CREATED -> itemResult(i, "created", o.id(), null);
                    case EXISTING -> itemResult(i, "existing", o.id(), null);
                    case REJECTED -> itemResult(i, "rejected", null, o.error());
                };
            }
            Map<String, Object> body = new LinkedHashMap<>();
            Map<String, Integer> counts = new LinkedHashMap<>(Map.of("created", 0, "existing", 0, "rejected", 0));
            for (Object r : results) {
                @SuppressWarnings("unchecked")
                String status = (String) ((Map<String, Object>) r).get("status");
                counts.merge(status, 1, Integer::sum);
            }
            body.put("created", counts.get("created"));
            body.put("existing", counts.get("existing"));
            body.put("rejected", counts.get("rejected"));
            body.put("results", results);
            ctx.status(200).json(body);
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

    private static Map<String, Object> itemResult(int index, String status, UUID id, ApiError error) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("index", index);
        m.put("status", status);
        if (id != null) m.put("id", id);
        if (error != null) m.put("error", error);
        return m;
    }

    private interface Responder {
        void respond(List<PromptLogWriter.Outcome> outcomes);
    }

    /** Waits (without a thread) for the commit, then answers; any failure becomes a JSON error, never a 500 page. */
    private static CompletableFuture<Void> answer(Context ctx, CompletableFuture<List<PromptLogWriter.Outcome>> done,
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
        PromptLogStore.Page page = store.list(filter, limit, p.string("cursor"));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("items", page.items());
        body.put("next_cursor", page.nextCursor());
        ctx.json(body);
    }

    private void stats(Context ctx) {
        RequestParams p = RequestParams.of(ctx, with(PromptLogFilter.PARAMS, "group_by"));
        String groupBy = p.oneOf("group_by", PromptLogStore.GROUPS.keySet()).orElse("type");
        ctx.json(store.stats(PromptLogFilter.from(p, Principal.of(ctx)), groupBy));
    }

    private void export(Context ctx) throws IOException {
        RequestParams p = RequestParams.of(ctx, with(PromptLogFilter.PARAMS, "format"));
        String format = p.oneOf("format", Set.of("csv", "jsonl")).orElse("jsonl");
        PromptLogFilter filter = PromptLogFilter.from(p, Principal.of(ctx));
        String file = "prompt-history-" + LocalDate.now(ZoneOffset.UTC) + "." + format;
        ctx.header("Content-Disposition", "attachment; filename=\"" + file + "\"");
        ctx.contentType(format.equals("csv") ? "text/csv; charset=utf-8" : "application/x-ndjson; charset=utf-8");
        Writer out = new BufferedWriter(new OutputStreamWriter(ctx.outputStream(), StandardCharsets.UTF_8), 1 << 16);
        if (format.equals("jsonl")) {
            store.export(filter, record -> {
                try {
                    out.write(Json.MAPPER.writeValueAsString(record));
                    out.write('\n');
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } else {
            CSVPrinter csv = new CSVPrinter(out, CSVFormat.RFC4180.builder()
                    .setHeader(CSV_COLUMNS.toArray(String[]::new)).get());
            store.export(filter, record -> {
                try {
                    for (String column : CSV_COLUMNS) csv.print(csvValue(record.get(column)));
                    csv.println();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
        out.flush();
    }

    private static String csvValue(Object v) throws IOException {
        if (v == null) return "";
        if (v instanceof com.fasterxml.jackson.databind.util.RawValue raw) return String.valueOf(raw.rawValue());
        if (v instanceof java.math.BigDecimal d) return d.toPlainString();
        return v.toString();
    }

    private void get(Context ctx) {
        UUID id = pathId(ctx);
        ctx.json(store.get(id, Principal.of(ctx).projects())
                .orElseThrow(() -> ApiException.notFound("prompt log " + id)));
    }

    private void delete(Context ctx) {
        UUID id = pathId(ctx);
        if (!store.delete(Actor.of(ctx), id, Principal.of(ctx).projects())) {
            throw ApiException.notFound("prompt log " + id);
        }
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

    @Override
    public void close() {
        writer.close();
    }
}
