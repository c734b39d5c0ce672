package storyboard.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;
import io.javalin.http.Context;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import storyboard.api.RequestParams;
import storyboard.kernel.Api;
import storyboard.kernel.Json;
import storyboard.kernel.Page;
import storyboard.kernel.Principal;
import storyboard.web.Pages;

/**
 * The dashboard's event log: {@code /events}, newest first, filtered by type and project in the URL, a page at a
 * time as the reader scrolls (the kernel's cursor), and new events added at the top as they happen
 * ({@code /events/live}, Server-Sent Events of ready rows that htmx's SSE extension inserts). A credential sees
 * what the API shows it: its projects' events only when restricted, events about credentials and people only as an
 * unrestricted admin. {@code /events/panel} is the overview's "Latest events".
 */
public final class EventPages {
    static final int PAGE = 50;
    static final int PANEL = 8;
    /** The live stream's rows, rendered outside a request (no frame: a row needs none). */
    private static final TemplateEngine TEMPLATES = TemplateEngine.createPrecompiled(ContentType.Html);

    private final EventLog log;
    private final EventStream stream;

    EventPages(EventLog log, EventStream stream) {
        this.log = log;
        this.stream = stream;
    }

    void register(Api api) {
        api.get("/events", this::page);
        api.get("/events/live", this::live);
        api.get("/events/panel", this::panel);
    }

    /** An event as a row shows it: the payload pretty-printed, and whether it just arrived live. */
    public record Row(long seq, String at, String type, String tone, String project, String subjectId, String actor,
               String payload, boolean fresh) {
        static Row of(EventLog.Event e, boolean fresh) {
            EventLog.Event.Actor a = e.actor();
            String actor = a == null ? null : a.name() != null ? a.name() : a.type();
            return new Row(e.seq(), e.at().toString(), e.type(), tone(e.type()), e.project(), e.subjectId(), actor,
                    pretty(e.payload()), fresh);
        }

        /** The badge of a type: what went wrong or was removed stands out. */
        /** The project as a URL's query value. */
        public String projectParam() {
            return project == null ? "" : URLEncoder.encode(project, StandardCharsets.UTF_8);
        }

        private static String tone(String type) {
            if (type.endsWith(".threshold_reached") || type.endsWith(".paused")) return "warn";
            if (type.endsWith(".deleted") || type.endsWith(".revoked") || type.endsWith(".failed")) return "bad";
            if (type.endsWith(".created")) return "ok";
            return "";
        }

        private static String pretty(String json) {
            if (json == null || json.isBlank() || json.equals("{}")) return null;
            try {
                return Json.MAPPER.readTree(json).toPrettyString();
            } catch (JsonProcessingException e) {
                return json;
            }
        }
    }

    /** The filter of the page as its URL holds it, to carry into its links, its next page and its live stream. */
    public record Query(String types, String project) {
        /** The query string of these filters and the extra pairs (a null value is left out), URL-encoded. */
        public String with(String... extra) {
            Map<String, String> pairs = new LinkedHashMap<>();
            pairs.put("types", types);
            pairs.put("project", project);
            for (int i = 0; i + 1 < extra.length; i += 2) pairs.put(extra[i], extra[i + 1]);
            StringBuilder s = new StringBuilder();
            pairs.forEach((k, v) -> {
                if (v == null || v.isEmpty()) return;
                if (s.length() > 0) s.append('&');
                s.append(k).append('=').append(URLEncoder.encode(v, StandardCharsets.UTF_8));
            });
            return s.toString();
        }

        public boolean filtered() {
            return !types.isEmpty() || !project.isEmpty();
        }
    }

    /**
     * The page, or, for htmx scrolling on ({@code HX-Request} with a cursor), only its next rows. Without htmx a
     * cursor shows the whole page from there (the "older events" link).
     */
    private void page(Context ctx) {
        RequestParams p = RequestParams.of(ctx, Set.of("types", "project", "cursor"));
        EventLog.Filter filter = EventRoutes.filter(p, Principal.of(ctx));
        Query query = new Query(p.string("types").orElse(""), p.string("project").orElse(""));
        Optional<String> cursor = p.string("cursor");
        // Taken before the page is read: live rows start after whichever is newer, so none is missed or repeated.
        long head = cursor.isPresent() ? 0 : log.head();
        Page<EventLog.Event> page = log.newest(filter, PAGE, cursor);
        List<Row> rows = page.items().stream().map(e -> Row.of(e, false)).toList();
        if (cursor.isPresent() && ctx.header("HX-Request") != null) {
            Pages.render(ctx, "storyboard/events/eventRows.jte", Map.of("rows", rows, "query", query,
                    "next", Optional.ofNullable(page.nextCursor())));
            return;
        }
        long after = Math.max(head, rows.isEmpty() ? 0 : rows.get(0).seq());
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("rows", rows);
        params.put("query", query);
        params.put("next", Optional.ofNullable(page.nextCursor()));
        // Live rows only on the newest page: an older page (a cursor) is history.
        params.put("live", cursor.isPresent() ? Optional.empty() : Optional.of("/events/live?" + query.with("after", String.valueOf(after))));
        params.put("types", EVENT_TYPES);
        Pages.render(ctx, "storyboard/events/events.jte", params);
    }

    /** The event types the filter suggests (prefixes too); any other type may be typed in. */
    static final List<String> EVENT_TYPES = List.of("prompt_log.*", "prompt_log.created", "prompt_log.deleted",
            "prompt.*", "asset.*", "blob.*", "budget.*", "budget.threshold_reached", "webhook.*", "token.*", "user.*");

    /** New rows as they happen, each an SSE {@code message} holding one rendered row, from {@code after} on. */
    private void live(Context ctx) {
        RequestParams p = RequestParams.of(ctx, Set.of("types", "project", "after"));
        EventLog.Filter filter = EventRoutes.filter(p, Principal.of(ctx));
        Optional<Long> resume = EventRoutes.cursor(Optional.ofNullable(ctx.header("Last-Event-ID"))
                .filter(s -> !s.isBlank()), "Last-Event-ID");
        long cursor = resume.isPresent() ? resume.get()
                : EventRoutes.cursor(p.string("after"), "after").orElseGet(log::head);
        EventRoutes.stream(ctx, client -> stream.subscribe(client, filter,
                e -> new EventStream.Message("message", render("storyboard/events/eventRow.jte",
                        Map.of("row", Row.of(e, true)))), cursor));
    }

    /** The overview's panel: the newest few events the credential may see. */
    private void panel(Context ctx) {
        EventLog.Filter filter = EventRoutes.filter(RequestParams.of(ctx, Set.of()), Principal.of(ctx));
        List<Row> rows = log.newest(filter, PANEL, Optional.empty()).items().stream().map(e -> Row.of(e, false)).toList();
        Pages.render(ctx, "storyboard/events/eventsPanel.jte", Map.of("rows", rows));
    }

    private static String render(String template, Map<String, Object> params) {
        StringOutput out = new StringOutput(1024);
        TEMPLATES.render(template, params, out);
        return out.toString();
    }
}
