package storyboard.promptlog;

import java.math.BigDecimal;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.jdbi.v3.core.mapper.RowMapper;

/**
 * A stored log as the history pages show it: what the API answers, plus what the server derived from it (when it
 * happened, its project and scene, processing time) and, on the detail page, the registry prompt it names. Public
 * for the templates (compiled into another package); every value is written escaped by them.
 */
public record HistoryEntry(PromptLog log, Instant occurredAt, String project, String sceneId, String sceneName,
                           Double processingMs, String promptName, Integer promptVersion) {
    /** How many characters of the prompt a row of the list shows. */
    static final int EXCERPT = 180;

    /** Reads a {@code select *} row of prompt_log. */
    static final RowMapper<HistoryEntry> READER = (rs, ctx) -> read(rs, false);

    /** Reads a row that also has the registry prompt's {@code prompt_name} and {@code prompt_version}. */
    static final RowMapper<HistoryEntry> WITH_PROMPT = (rs, ctx) -> read(rs, true);

    private static HistoryEntry read(ResultSet rs, boolean withPrompt) throws SQLException {
        return new HistoryEntry(PromptLog.of(rs), rs.getObject("occurred_at", OffsetDateTime.class).toInstant(),
                rs.getString("project"), rs.getString("scene_id"), rs.getString("scene_name"),
                rs.getObject("processing_ms", Double.class),
                withPrompt ? rs.getString("prompt_name") : null,
                withPrompt ? rs.getObject("prompt_version", Integer.class) : null);
    }

    private PromptLogFields sent() {
        return log.sent();
    }

    public String id() {
        return log.id().toString();
    }

    public Instant receivedAt() {
        return log.receivedAt();
    }

    public String clientTimestamp() {
        return sent().timestamp();
    }

    public String type() {
        return sent().type();
    }

    public String category() {
        return sent().category();
    }

    public String user() {
        return sent().user();
    }

    public String userId() {
        return sent().userId();
    }

    /** The version of the app that sent the log. */
    public String appVersion() {
        return sent().version();
    }

    public String llm() {
        return sent().llm();
    }

    public String environment() {
        return sent().environment();
    }

    public String sessionId() {
        return sent().sessionId();
    }

    public String correlationId() {
        return sent().correlationId();
    }

    /** The project the client named, when it differs from the one the log is filed under (or there is none). */
    public String projectIdSent() {
        String sent = sent().projectId();
        return sent == null || sent.equals(project) ? null : sent;
    }

    public Long inputSize() {
        return sent().inputSize();
    }

    public Long outputSize() {
        return sent().outputSize();
    }

    public String bodySha256() {
        return log.bodySha256();
    }

    /** Processing time in whole milliseconds; empty when not reported. */
    public String processing() {
        return processingMs == null ? "" : String.format(java.util.Locale.ROOT, "%,.0f ms", processingMs);
    }

    /** The JSON objects the client sent, as trees (null when absent). */
    public Readable.JsonTree context() {
        return Readable.jsonText(sent().context());
    }

    public Readable.JsonTree errorDetails() {
        return Readable.jsonText(sent().errorDetails());
    }

    public Readable.JsonTree latencyBreakdown() {
        return Readable.jsonText(sent().latencyBreakdown());
    }

    public Readable.JsonTree modelParams() {
        return Readable.jsonText(sent().modelParams());
    }

    /** The fields the server has no column for, as sent. */
    public Readable.JsonTree extra() {
        return Readable.jsonText(sent().extra());
    }

    /** The page of this log. */
    public String href() {
        return "/history/" + log.id();
    }

    /** The start of the prompt on one line (blanks collapsed), cut at {@link #EXCERPT} characters. */
    public String excerpt() {
        String p = sent().prompt();
        if (p == null) return "";
        String one = p.strip().replaceAll("\\s+", " ");
        if (one.length() <= EXCERPT) return one;
        int cut = EXCERPT;
        if (Character.isHighSurrogate(one.charAt(cut - 1))) cut--;
        return one.substring(0, cut) + "…";
    }

    /** When it happened, in UTC to the second (the page's script shows it in the reader's time zone). */
    public String when() {
        return WHEN.format(occurredAt);
    }

    public String receivedWhen() {
        return WHEN.format(receivedAt());
    }

    private static final java.time.format.DateTimeFormatter WHEN = java.time.format.DateTimeFormatter
            .ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(java.time.ZoneOffset.UTC);

    /** The history of this log's scene (in its project, when it has one). */
    public String sceneHref() {
        String key = sceneKey();
        if (key == null) return null;
        return project == null ? HistoryQuery.only("scene", key) : HistoryQuery.only("project", project)
                + "&scene=" + URLEncoder.encode(key, StandardCharsets.UTF_8);
    }

    /** The scene as a person names it: its name, else its id; null when the log names none. */
    public String scene() {
        return sceneName != null ? sceneName : sceneId;
    }

    /** What the scene filter matches this log's scene by (it compares both id and name). */
    public String sceneKey() {
        return sceneId != null ? sceneId : sceneName;
    }

    /** The cost as sent, in plain digits; empty when none. */
    public String cost() {
        BigDecimal c = sent().cost();
        return c == null ? "" : c.toPlainString();
    }

    public String tokens() {
        return sent().tokens() == null ? "" : String.format(java.util.Locale.ROOT, "%,d", sent().tokens());
    }

    /** Whether the client reported an error with this log. */
    public boolean failed() {
        return sent().errorDetails() != null;
    }

    /** The registry prompt's page at the version this log used, when it names one. */
    public String promptHref() {
        if (promptName == null) return null;
        return "/prompts/" + pathOf(promptName) + (promptVersion == null ? "" : "?version=" + promptVersion);
    }

    /** A prompt name in a path, each of its segments encoded (its slashes stay: the registry's names hold them). */
    static String pathOf(String name) {
        return Arrays.stream(name.split("/", -1))
                .map(s -> URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20"))
                .collect(Collectors.joining("/"));
    }

    /** The blocks of the prompt and of the response, as {@link Readable} splits them. */
    public List<Readable.Block> promptBlocks() {
        return Readable.blocks(sent().prompt());
    }

    public List<Readable.Block> responseBlocks() {
        return Readable.blocks(sent().response());
    }
}
