package storyboard.projects;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * What the project templates show, made from the rows and the parsed scenes: sizes and times for people, the links
 * between the pages (and to the API's downloads and files), timing in seconds and frames at the project's fps.
 */
public final class ProjectViews {
    private ProjectViews() {}

    /** The list's filters as given in the URL, to fill the form and make the next page's links. */
    public record ListQuery(String q, boolean archived, Integer limit) {
        public boolean any() {
            return !q.isEmpty() || archived;
        }

        /** {@code path} with these filters and {@code cursor} (if not null). */
        public String href(String path, String cursor) {
            Map<String, String> params = new LinkedHashMap<>();
            if (!q.isEmpty()) params.put("q", q);
            if (archived) params.put("archived", "true");
            if (limit != null) params.put("limit", limit.toString());
            if (cursor != null) params.put("cursor", cursor);
            return ProjectViews.href(path, params);
        }
    }

    /** A row of the list (and of the overview's panel). */
    public record Row(String href, String name, int head, String headHref, boolean archived, String files, String bytes,
                      String lastAuthor, Instant lastPushAt, Instant updatedAt) {
        static Row of(ProjectPageReads.ProjectRow p) {
            return new Row(projectHref(p.id()), p.name(), p.head(), revisionHref(p.id(), p.head()), p.archived(),
                    count(p.files(), "file"), ProjectViews.bytes(p.bytes()), p.lastAuthor(), p.lastPushAt(), p.updatedAt());
        }
    }

    /** A project's head: its facts and the links out of its page. */
    public record Project(UUID id, String name, int head, String fps, Instant createdAt, String createdBy,
                          Instant updatedAt, Instant archivedAt, String files, String bytes, String href,
                          String scenesHref, String historyHref, String assetsHref, String exportHref) {
        public boolean archived() {
            return archivedAt != null;
        }

        /** The export of one revision (a zip of its files), or null when the server offers none. */
        public String exportHref(int revision) {
            return exportHref == null ? null : exportHref + "?revision=" + revision;
        }

        public String revisionHref(int revision) {
            return ProjectViews.revisionHref(id, revision);
        }

        public String scenesHref(int revision) {
            return scenesHref + "?revision=" + revision;
        }
    }

    /** Which of the other pages and the API's routes the credential may open (null link: not offered). */
    record Links(boolean history, boolean assets, boolean export, boolean files) {}

    static Project project(ProjectPageReads.ProjectRow p, Links links) {
        String href = projectHref(p.id());
        return new Project(p.id(), p.name(), p.head(), p.fps() == null ? null : p.fps().stripTrailingZeros().toPlainString(),
                p.createdAt(), p.createdBy(), p.updatedAt(), p.archivedAt(), count(p.files(), "file"), bytes(p.bytes()),
                href, href + "/scenes", links.history() ? "/history?project=" + param(p.name()) : null,
                links.assets() ? "/assets?project=" + param(p.name()) : null,
                links.export() ? "/api/v1/projects/" + p.id() + "/export" : null);
    }

    /** A revision in the project's list, or at the head of its own page. */
    public record Revision(int number, Integer parent, String author, String message, Instant createdAt, String files,
                           String bytes, String href) {
        static Revision of(UUID project, ProjectRecords.Revision r) {
            return new Revision(r.revision(), r.parentRevision(), r.author(), r.message() == null ? "" : r.message(),
                    r.createdAt(), count(r.fileCount(), "file"), ProjectViews.bytes(r.byteCount()),
                    revisionHref(project, r.revision()));
        }
    }

    /** What the import report of a revision counted, and its warnings. */
    public record Report(List<Figure> figures, List<Warning> warnings) {}

    public record Figure(String label, String value) {}

    public record Warning(String path, String message) {}

    private static final List<String[]> REPORT_FIGURES = List.of(new String[] {"scenes", "Scenes"},
            new String[] {"shots", "Shots"}, new String[] {"panels", "Panels"}, new String[] {"layers", "Layers"},
            new String[] {"strokes", "Strokes"}, new String[] {"audioTracks", "Audio tracks"});

    /** The report's figures and warnings; a report of another shape shows what it has. */
    static Report report(JsonNode root) {
        List<Figure> figures = new ArrayList<>();
        List<Warning> warnings = new ArrayList<>();
        if (root == null) return new Report(figures, warnings);
        for (String[] f : REPORT_FIGURES) {
            JsonNode n = root.get(f[0]);
            if (n != null && n.isNumber()) figures.add(new Figure(f[1], String.format(Locale.ROOT, "%,d", n.asLong())));
        }
        for (JsonNode w : root.path("warnings")) {
            warnings.add(new Warning(w.path("path").asText(""), w.path("message").asText("")));
        }
        return new Report(figures, warnings);
    }

    /** A changed file of a revision: what happened to it and its size before and after. */
    public record FileChange(String kind, String path, String oldSize, String newSize, String href) {}

    static FileChange fileChange(ProjectPageReads.FileChange c, String fileHref) {
        return new FileChange(c.kind(), c.path(), c.oldSize() == null ? null : bytes(c.oldSize()),
                c.newSize() == null ? null : bytes(c.newSize()), c.newSha256() == null ? null : fileHref);
    }

    /** A time in a project: seconds, and frames at its fps when it has one. */
    public record Timing(String start, String end, String duration, Long startFrame, Long endFrame, Long frames) {
        static Timing of(long startMs, long durationMs, BigDecimal fps) {
            long endMs = startMs + Math.max(0, durationMs);
            return new Timing(seconds(startMs), seconds(endMs), seconds(Math.max(0, durationMs)), frame(startMs, fps),
                    frame(endMs, fps), frame(Math.max(0, durationMs), fps));
        }

        /** "2.00 s (48 f)", or only the seconds without an fps. */
        public String durationText() {
            return frames == null ? duration : duration + " (" + frames + " f)";
        }

        /** "0.00 s–2.00 s", with the frames when known: "0.00 s–2.00 s · frames 0–48". */
        public String spanText() {
            String span = start + "–" + end;
            return startFrame == null ? span : span + " · frames " + startFrame + "–" + endFrame;
        }
    }

    /** A scene of a revision: its shots in order, and its prompt logs (by the scene's name). */
    public record Scene(String key, int number, String name, String anchor, String duration, List<Shot> shots,
                        String historyHref) {
        public int panelCount() {
            return shots.stream().mapToInt(s -> s.panels().size()).sum();
        }
    }

    /** A scene in the scenes page's table of contents. */
    public record SceneLink(String key, String name, String href) {}

    /** A shot: timing, camera, what it shows and who says what, and its panels in order. */
    public record Shot(String uuid, String name, String type, String description, Timing timing, String camera,
                       List<Line> lines, List<Panel> panels) {}

    /** A character in a shot: their line of dialogue (possibly empty), emotion, and whether they are seen. */
    public record Line(String character, String emotion, String dialogue, boolean offScreen) {}

    /** A panel: its thumbnail's URL (null: none in the revision), timing, name. */
    public record Panel(String uuid, String name, String description, String thumbnail, Timing timing) {}

    /**
     * A parsed scene as the page shows it. {@code thumbnails} are the thumbnail paths the revision holds (a panel whose
     * thumbnail is missing shows none); {@code fileHref} makes the URL of a file of the revision, null when the
     * credential cannot read files.
     */
    static Scene scene(Storyboard.Scene s, BigDecimal fps, Set<String> thumbnails,
                       java.util.function.Function<String, String> fileHref, String historyHref) {
        List<Shot> shots = new ArrayList<>();
        long total = 0;
        for (Storyboard.Shot shot : s.shots()) {
            List<Panel> panels = new ArrayList<>();
            for (Storyboard.Panel p : shot.panels()) {
                String src = p.thumbnail() != null && thumbnails.contains(p.thumbnail()) && fileHref != null
                        ? fileHref.apply(p.thumbnail()) : null;
                panels.add(new Panel(p.uuid(), p.name() == null ? "Panel " + (p.index() + 1) : p.name(),
                        p.description(), src, Timing.of(p.startTime(), p.duration(), fps)));
            }
            List<Line> lines = shot.characters().stream().map(c -> new Line(c.name() == null ? "?" : c.name(),
                    blank(c.emotion()) ? null : c.emotion(), c.dialogue() == null ? "" : c.dialogue(), !c.onScreen())).toList();
            long duration = shot.endTime() - shot.startTime();
            total += Math.max(0, duration);
            shots.add(new Shot(shot.uuid(), shot.name() == null ? "Shot " + (shot.index() + 1) : shot.name(), shot.type(),
                    shot.description(), Timing.of(shot.startTime(), duration, fps), camera(shot.source().get("camera")),
                    lines, panels));
        }
        return new Scene(s.key(), s.number(), s.name(), "scene-" + anchor(s.key()), seconds(total), shots, historyHref);
    }

    /** The camera as the app keeps it ({@code {"framing": "WIDE ANGLE", "movement": "STATIC"}}), in one line. */
    static String camera(JsonNode camera) {
        if (camera == null || camera.isNull()) return null;
        if (camera.isValueNode()) return blank(camera.asText()) ? null : camera.asText();
        List<String> parts = new ArrayList<>();
        for (var it = camera.fields(); it.hasNext(); ) {
            var e = it.next();
            if (e.getValue().isValueNode() && !blank(e.getValue().asText())) parts.add(e.getValue().asText());
        }
        return parts.isEmpty() ? null : String.join(" · ", parts);
    }

    static String projectHref(UUID id) {
        return "/projects/" + id;
    }

    static String revisionHref(UUID id, int revision) {
        return "/projects/" + id + "/revisions/" + revision;
    }

    /** The API's URL of a file of a revision: each segment of its path encoded. */
    static String fileHref(UUID id, int revision, String path) {
        StringBuilder s = new StringBuilder("/api/v1/projects/").append(id).append("/files");
        for (String part : path.split("/", -1)) s.append('/').append(URLEncoder.encode(part, StandardCharsets.UTF_8).replace("+", "%20"));
        return s.append("?revision=").append(revision).toString();
    }

    /** {@code path} with these query parameters, encoded. */
    static String href(String path, Map<String, String> params) {
        StringBuilder s = new StringBuilder(path);
        char sep = '?';
        for (Map.Entry<String, String> e : params.entrySet()) {
            s.append(sep).append(e.getKey()).append('=').append(param(e.getValue()));
            sep = '&';
        }
        return s.toString();
    }

    /** A value in a link's query, encoded. */
    public static String param(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static final java.util.regex.Pattern TRAILING_ID =
            java.util.regex.Pattern.compile(" \\([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\\)$");

    /**
     * Who pushed, as people read it: the recorded author ("token ci (a1b2...)", "user mara") without a credential's
     * id, which the page keeps in the name's title.
     */
    public static String who(String author) {
        return author == null ? null : TRAILING_ID.matcher(author).replaceFirst("");
    }

    /** A size for people: bytes, KiB, MiB, GiB. */
    public static String bytes(long n) {
        if (n < 1024) return n + " B";
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double v = n;
        int i = -1;
        while (v >= 1024 && i < units.length - 1) {
            v /= 1024;
            i++;
        }
        return String.format(Locale.ROOT, v < 10 ? "%.1f %s" : "%.0f %s", v, units[i]);
    }

    static String count(long n, String noun) {
        return String.format(Locale.ROOT, "%,d %s", n, n == 1 ? noun : noun + "s");
    }

    static String seconds(long ms) {
        return String.format(Locale.ROOT, "%.2f s", ms / 1000.0);
    }

    private static Long frame(long ms, BigDecimal fps) {
        if (fps == null) return null;
        return fps.multiply(BigDecimal.valueOf(ms)).divide(BigDecimal.valueOf(1000), 0, java.math.RoundingMode.HALF_UP)
                .longValue();
    }

    /** An HTML id from a scene's key: letters, digits, '-' and '_' kept, anything else '-'. */
    static String anchor(String key) {
        return key.replaceAll("[^A-Za-z0-9_-]", "-");
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
