package storyboard.events;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.javalin.http.Context;
import io.javalin.http.sse.SseClient;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import storyboard.api.AcceptHeader;
import storyboard.kernel.Api;
import storyboard.api.ApiException;
import storyboard.api.RequestParams;
import storyboard.kernel.Principal;
import storyboard.kernel.Scope;
import storyboard.kernel.Visibility;

/** {@code GET /api/v1/events} (replay from a cursor) and {@code GET /api/v1/events/stream} (Server-Sent Events). */
public record EventRoutes(EventLog log, EventStream stream) {
    static final int MAX_PAGE = 1000;
    static final String EVENT_STREAM = "text/event-stream";

    public void register(Api api) {
        api.get("/api/v1/events", this::list);
        api.get("/api/v1/events/stream", this::stream);
    }

    private void list(Context ctx) {
        RequestParams p = RequestParams.of(ctx, Set.of("after", "types", "project", "limit"));
        EventLog.Filter filter = filter(p, Principal.of(ctx));
        long after = cursor(p.string("after"), "after").orElse(0L);
        int limit = p.integer("limit", 100, 1, MAX_PAGE);
        List<EventLog.Event> events = log.after(after, filter, limit);
        // Where to continue: the last event returned, or the cursor given when there is nothing new.
        ctx.json(new Events(events, events.isEmpty() ? after : events.get(events.size() - 1).seq()));
    }

    /** A replay's page: the events, and the sequence number to continue after. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record Events(List<EventLog.Event> items, long nextAfter) {}

    /**
     * Streams from the {@code Last-Event-ID} header (a reconnecting EventSource sends it), else {@code after},
     * else from now on. Any {@code Accept} that allows {@code text/event-stream} gets the stream (none, {@code *}{@code /*}
     * as curl sends, {@code text/*}, a list naming it); one that excludes it gets a JSON 406.
     */
    private void stream(Context ctx) {
        String accept = ctx.header("Accept");
        if (!AcceptHeader.accepts(accept, EVENT_STREAM)) {
            throw new ApiException(406, "not_acceptable", "this route answers with a stream of Server-Sent Events ("
                    + EVENT_STREAM + "), which the request's Accept header ('" + abbreviate(accept)
                    + "') excludes: send 'Accept: " + EVENT_STREAM + "' or no Accept header");
        }
        RequestParams p = RequestParams.of(ctx, Set.of("after", "types", "project"));
        EventLog.Filter filter = filter(p, Principal.of(ctx));
        Optional<Long> resume = cursor(Optional.ofNullable(ctx.header("Last-Event-ID")).filter(s -> !s.isBlank()),
                "Last-Event-ID");
        long cursor = resume.isPresent() ? resume.get() : cursor(p.string("after"), "after").orElseGet(log::head);
        stream(ctx, client -> stream.subscribe(client, filter, cursor));
    }

    /**
     * Answers with a stream of Server-Sent Events that {@code subscribe} feeds: what Javalin's SseHandler does,
     * without its Accept check (it streams only when the header names text/event-stream literally, and answers
     * anything else with an empty 200) and with each header set once.
     */
    static void stream(Context ctx, java.util.function.Consumer<SseClient> subscribe) {
        HttpServletResponse res = ctx.res();
        res.setStatus(200);
        res.setCharacterEncoding("UTF-8");
        res.setContentType(EVENT_STREAM);
        res.setHeader("Connection", "close");
        res.setHeader("Cache-Control", "no-cache");
        res.setHeader("X-Accel-Buffering", "no"); // nginx: do not buffer the stream
        try {
            res.flushBuffer();
        } catch (java.io.IOException e) {
            return; // the client has gone already
        }
        ctx.async(config -> config.timeout = 0, () -> {
            SseClient client = new SseClient(ctx); // Kotlin-internal constructor, public to Java: as SseHandler makes it
            client.keepAlive();
            subscribe.accept(client);
        });
    }

    private static String abbreviate(String s) {
        return s.length() <= 200 ? s : s.substring(0, 200) + "...";
    }

    static EventLog.Filter filter(RequestParams p, Principal principal) {
        List<String> types = p.string("types").map(s -> Arrays.stream(s.split(",")).map(String::trim)
                .filter(t -> !t.isEmpty()).toList()).orElse(List.of());
        for (String t : types) {
            if (!t.matches("[a-z_]+(\\.[a-z_]+)*(\\.\\*)?")) {
                throw ApiException.badRequest("invalid_parameter", "'types' holds event types such as prompt_log.created "
                        + "or prefixes such as prompt_log.*, not '" + t + "'", "types");
            }
        }
        String project = p.string("project").orElse(null);
        Visibility visibility = principal.visibility();
        if (project != null && !visibility.canSee(project)) throw ApiException.notFound("project '" + project + "'");
        boolean adminEvents = principal.may(Scope.ADMIN) && !visibility.restricted();
        return new EventLog.Filter(types, project, visibility, adminEvents);
    }

    static Optional<Long> cursor(Optional<String> value, String name) {
        return value.map(s -> {
            try {
                long n = Long.parseLong(s.trim());
                if (n < 0) throw new NumberFormatException();
                return n;
            } catch (NumberFormatException e) {
                throw ApiException.badRequest("invalid_parameter", "'" + name + "' must be an event sequence number", name);
            }
        });
    }
}
