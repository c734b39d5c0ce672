package storyboard.promptlog;

import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import storyboard.api.ApiException;
import storyboard.api.ErrorResponses;
import storyboard.api.RequestParams;
import storyboard.kernel.Api;
import storyboard.kernel.DomainException;
import storyboard.kernel.Page;
import storyboard.kernel.Principal;
import storyboard.web.Pages;

/**
 * The dashboard's prompt history: {@code /history}, the logs newest first under the API's filters and search (kept in
 * the URL), scrolled page by page ({@code /history/rows}, the next page's rows by the kernel's cursor) and kept live
 * ({@code /history/live}, the rows of logs just stored, which the page's script asks for when the event stream tells
 * it of them); and {@code /history/{id}}, one log shown readably. Everything is read through the same store and
 * filter as the API, with the credential's visibility.
 */
final class HistoryPages {
    /** Rows per page of the list. */
    static final int PAGE_SIZE = 50;
    /** Most logs one live request may name: a {@code prompt_log.created} event lists at most this many. */
    static final int MAX_LIVE_IDS = PromptLogWriter.MAX_ROWS_PER_FLUSH;
    /** The events that change the list: new logs are added, deleted ones taken away. */
    static final String LIVE_TYPES = "prompt_log.created,prompt_log.deleted";

    private static final Set<String> LIST_PARAMS = with(PromptLogFilter.PARAMS, "cursor");
    private static final Set<String> LIVE_PARAMS = with(PromptLogFilter.PARAMS, "ids");

    private final PromptLogStore store;

    HistoryPages(PromptLogStore store) {
        this.store = store;
    }

    void register(Api api) {
        api.get("/history", this::list);
        api.get("/history/rows", this::rows);
        api.get("/history/live", this::live);
        api.get("/history/{id}", this::detail);
    }

    /**
     * The page: the filter form, the first page of rows (or those after {@code cursor}, the plain link that stands in
     * for scrolling), the export links of the same filter. A filter the API would refuse is shown on the page, with
     * the API's status and message, the form still filled in to correct it.
     */
    private void list(Context ctx) {
        Principal principal = Principal.of(ctx);
        HistoryQuery query = HistoryQuery.of(ctx);
        Map<String, Object> model = new HashMap<>();
        model.put("query", query);
        model.put("projects", new ArrayList<>(new TreeSet<>(principal.projects())));
        List<HistoryEntry> entries = List.of();
        String error = null;
        String errorCode = null;
        int errorStatus = 200;
        boolean first = true;
        long eventHead = 0;
        String next = null;
        try {
            RequestParams p = RequestParams.of(ctx, LIST_PARAMS);
            PromptLogFilter filter = PromptLogFilter.from(p, principal);
            Optional<String> cursor = p.string("cursor");
            first = cursor.isEmpty();
            // Before the rows: the stream then starts from here, and a log stored meanwhile is in one or the other.
            if (first) eventHead = store.eventHead();
            Page<HistoryEntry> page = store.list(filter, PAGE_SIZE, cursor, HistoryEntry.READER);
            entries = page.items();
            next = page.nextCursor();
        } catch (ApiException | DomainException e) {
            ApiException refusal = asApi(e);
            error = refusal.getMessage() == null ? "" : refusal.getMessage();
            errorCode = refusal.code();
            errorStatus = refusal.status();
            ctx.status(errorStatus);
        }
        model.put("entries", entries);
        model.put("error", error);
        model.put("errorStatus", errorStatus);
        model.put("errorCode", errorCode);
        model.put("more", next == null ? null : query.href("/history/rows", "cursor", next));
        model.put("morePage", next == null ? null : query.href("/history", "cursor", next));
        // Live only on the newest page of a valid filter: older pages are what a reader scrolls back to.
        boolean live = error == null && first;
        model.put("liveStream", live ? liveStream(query, eventHead) : null);
        model.put("liveRows", live ? query.href("/history/live") : null);
        Pages.render(ctx, "storyboard/promptlog/history.jte", model);
    }

    /**
     * The event stream the page listens to: the list's event types (of its project when it shows one) after
     * {@code head}, the end of the event log when the rows were read.
     */
    private static String liveStream(HistoryQuery query, long head) {
        String stream = "/api/v1/events/stream?types=" + LIVE_TYPES + "&after=" + head;
        String project = query.value("project");
        return project.isEmpty() ? stream : stream + "&project=" + java.net.URLEncoder.encode(project,
                java.nio.charset.StandardCharsets.UTF_8);
    }

    /** The next page's rows, ending with the row that loads the one after (none on the last page). */
    private void rows(Context ctx) {
        fragment(ctx, () -> {
            RequestParams p = RequestParams.of(ctx, LIST_PARAMS);
            PromptLogFilter filter = PromptLogFilter.from(p, Principal.of(ctx));
            Page<HistoryEntry> page = store.list(filter, PAGE_SIZE, p.string("cursor"), HistoryEntry.READER);
            HistoryQuery query = HistoryQuery.of(ctx);
            String next = page.nextCursor();
            return rowsModel(page.items(), next == null ? null : query.href("/history/rows", "cursor", next),
                    next == null ? null : query.href("/history", "cursor", next));
        });
    }

    /**
     * The rows of the logs {@code ids} (comma-separated, as a {@code prompt_log.created} event lists them) that match
     * the filter and are visible to the credential, newest first; none when none does.
     */
    private void live(Context ctx) {
        fragment(ctx, () -> {
            RequestParams p = RequestParams.of(ctx, LIVE_PARAMS);
            PromptLogFilter filter = PromptLogFilter.from(p, Principal.of(ctx));
            Set<UUID> ids = ids(p.string("ids").orElseThrow(() ->
                    ApiException.badRequest("missing_parameter", "'ids' is required: the logs' ids, comma-separated", "ids")));
            return rowsModel(store.among(filter, ids, HistoryEntry.READER), null, null);
        });
    }

    static Set<UUID> ids(String text) {
        Set<UUID> ids = new LinkedHashSet<>();
        for (String part : text.split(",", -1)) {
            String s = part.trim();
            UUID id = PromptLogParser.parseUuid(s).orElseThrow(() -> ApiException.badRequest("invalid_parameter",
                    "'ids' holds prompt log ids (UUIDs) separated by commas, not '" + abbreviate(s) + "'", "ids"));
            ids.add(id);
            if (ids.size() > MAX_LIVE_IDS) {
                throw ApiException.badRequest("invalid_parameter", "'ids' names at most " + MAX_LIVE_IDS + " logs", "ids");
            }
        }
        return ids;
    }

    private static Map<String, Object> rowsModel(List<HistoryEntry> entries, String more, String morePage) {
        Map<String, Object> model = new HashMap<>();
        model.put("entries", entries);
        model.put("more", more);
        model.put("morePage", morePage);
        return model;
    }

    private interface Rows {
        Map<String, Object> model();
    }

    /**
     * Answers a fragment of table rows; a refusal is a row saying why, with its status (htmx puts it where the rows
     * would have gone, so a reader sees it), not a whole error page inside the table.
     */
    private static void fragment(Context ctx, Rows rows) {
        Map<String, Object> model;
        try {
            model = rows.model();
        } catch (ApiException | DomainException e) {
            ApiException refusal = asApi(e);
            ctx.status(refusal.status());
            Pages.render(ctx, "storyboard/promptlog/historyError.jte", Map.of("status", refusal.status(),
                    "code", refusal.code(), "message", refusal.getMessage() == null ? "" : refusal.getMessage()));
            return;
        }
        Pages.render(ctx, "storyboard/promptlog/historyRows.jte", model);
    }

    /** One log: when, who, what it cost, where it belongs; its prompt and response; the JSON it came with. */
    private void detail(Context ctx) {
        String raw = ctx.pathParam("id");
        UUID id = PromptLogParser.parseUuid(raw).orElseThrow(() ->
                ApiException.badRequest("invalid_parameter", "a prompt log's id is a UUID, not '" + abbreviate(raw) + "'", "id"));
        HistoryEntry entry = store.get(id, Principal.of(ctx).visibility(), HistoryEntry.WITH_PROMPT);
        Pages.render(ctx, "storyboard/promptlog/historyDetail.jte", Map.of("entry", entry));
    }

    private static ApiException asApi(RuntimeException e) {
        return e instanceof DomainException d ? ErrorResponses.toApi(d) : (ApiException) e;
    }

    private static String abbreviate(String s) {
        return s.length() <= 60 ? s : s.substring(0, 60) + "…";
    }

    private static Set<String> with(Set<String> base, String... more) {
        Set<String> s = new HashSet<>(base);
        s.addAll(List.of(more));
        return Set.copyOf(s);
    }
}
