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
import java.util.Objects;
import java.util.UUID;
import storyboard.api.Sizes;

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
    record Links(boolean history, boolean assets, boolean export) {}

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
    public record Scene(String key, int number, String name, String anchor, String duration, int panelCount,
                        List<Shot> shots, String historyHref) {}

    /** A scene in the scenes page's table of contents. */
    public record SceneLink(String key, String name, String href) {}

    /** A shot: timing, camera, what it shows, who is in it and what they say, and its panels in order. */
    public record Shot(String uuid, String name, String type, String description, Timing timing, String camera,
                       List<String> characters, List<Line> lines, List<Panel> panels) {}

    /** A line of dialogue and who says it (null: the line names nobody the shot lists). */
    public record Line(String character, String dialogue) {}

    /** A panel: its thumbnail's URL (null: the revision lacks it), timing, name. */
    public record Panel(String uuid, String name, String description, String thumbnail, Timing timing) {}

    /** A scene as the structured view reads it ({@code project_shot}), as the page shows it. */
    static Scene scene(SceneViews.SceneSummary summary, List<SceneViews.ShotView> shotViews, BigDecimal fps,
                       String historyHref) {
        List<Shot> shots = new ArrayList<>();
        long total = 0;
        for (SceneViews.ShotView shot : shotViews) {
            List<Panel> panels = new ArrayList<>();
            for (SceneViews.PanelView p : shot.panels()) {
                panels.add(new Panel(p.uuid(), blank(p.name()) ? "Panel " + (p.index() + 1) : p.name(), p.description(),
                        p.thumbnailUrl(), Timing.of(p.startTime(), p.duration(), fps)));
            }
            total += Math.max(0, shot.duration());
            shots.add(new Shot(shot.uuid(), blank(shot.name()) ? "Shot " + (shot.index() + 1) : shot.name(), shot.type(),
                    shot.description(), Timing.of(shot.startTime(), shot.duration(), fps), camera(shot.camera()),
                    shot.characters() == null ? List.of() : shot.characters(), lines(shot.dialogue(), shot.characters()),
                    panels));
        }
        return new Scene(summary.key(), summary.number(), summary.name(), sceneAnchor(summary.key()), seconds(total),
                summary.panels(), shots, historyHref);
    }

    /** The shot's dialogue ("MARA: You said you'd call.", one line per speaking character) as lines by speaker. */
    static List<Line> lines(String dialogue, List<String> characters) {
        if (blank(dialogue)) return List.of();
        List<Line> out = new ArrayList<>();
        for (String line : dialogue.split("\n")) {
            if (line.isBlank()) continue;
            int colon = line.indexOf(": ");
            String who = colon > 0 ? line.substring(0, colon) : null;
            if (who != null && characters != null && characters.contains(who)) {
                out.add(new Line(who, line.substring(colon + 2)));
            } else {
                out.add(new Line(null, line));
            }
        }
        return out;
    }

    /** The HTML id of a scene's section. */
    static String sceneAnchor(String key) {
        return "scene-" + anchor(key);
    }

    /** What a revision changed in the storyboard, as the revision page lists it. */
    public record Diff(List<Item> scenes, List<Item> shots, List<Item> panels, int moreShots, int morePanels,
                       List<Figure> counts) {
        public boolean empty() {
            return scenes.isEmpty() && shots.isEmpty() && panels.isEmpty();
        }
    }

    /**
     * A scene, shot or panel added, removed, changed or moved: its name, where it is ({@code where}), which of its
     * fields changed, and a link to it in the scenes page of the revision that has it.
     */
    public record Item(String kind, String name, String where, List<String> fields, String href) {}

    /** Most shots, and most panels, a revision page lists; the counts are whole. */
    static final int MAX_DIFF_ITEMS = 200;

    private static final Map<String, String> SCENE_FIELDS = Map.of("name", "name", "shotsAdded", "shots added",
            "shotsRemoved", "shots removed", "shotsChanged", "shots changed", "shotsReordered", "shots reordered");

    static Diff diff(SceneViews.DiffAnswer d, Project project, int revision, int base) {
        List<Item> scenes = new ArrayList<>();
        for (var s : d.scenes().added()) {
            scenes.add(new Item("added", s.name(), count(s.shots(), "shot"), List.of(), sceneHref(project, revision, s.key(), null)));
        }
        for (var s : d.scenes().removed()) {
            scenes.add(new Item("removed", s.name(), count(s.shots(), "shot"), List.of(), sceneHref(project, base, s.key(), null)));
        }
        for (var s : d.scenes().changed()) {
            scenes.add(new Item("changed", s.name(), null, s.fields().stream().map(f -> SCENE_FIELDS.getOrDefault(f, f)).toList(),
                    sceneHref(project, revision, s.key(), null)));
        }
        List<Item> shots = new ArrayList<>();
        for (var s : d.shots().added()) {
            shots.add(new Item("added", s.name(), sceneName(s.scene()), List.of(), sceneHref(project, revision, s.scene(), shotAnchor(s.uuid()))));
        }
        for (var s : d.shots().removed()) {
            shots.add(new Item("removed", s.name(), sceneName(s.scene()), List.of(), sceneHref(project, base, s.scene(), shotAnchor(s.uuid()))));
        }
        for (var s : d.shots().changed()) {
            shots.add(new Item("changed", s.name(), sceneName(s.scene()), s.fields(), sceneHref(project, revision, s.scene(), shotAnchor(s.uuid()))));
        }
        for (var s : d.shots().moved()) {
            shots.add(new Item("moved", s.name(), sceneName(s.fromScene()) + " #" + (s.fromIndex() + 1) + " → "
                    + sceneName(s.toScene()) + " #" + (s.toIndex() + 1), List.of(),
                    sceneHref(project, revision, s.toScene(), shotAnchor(s.uuid()))));
        }
        List<Item> panels = new ArrayList<>();
        for (var p : d.panels().added()) {
            panels.add(new Item("added", p.name(), sceneName(p.scene()), List.of(), sceneHref(project, revision, p.scene(), shotAnchor(p.shot()))));
        }
        for (var p : d.panels().removed()) {
            panels.add(new Item("removed", p.name(), sceneName(p.scene()), List.of(), sceneHref(project, base, p.scene(), shotAnchor(p.shot()))));
        }
        for (var p : d.panels().changed()) {
            panels.add(new Item("changed", p.name(), sceneName(p.scene()), p.fields(), sceneHref(project, revision, p.scene(), shotAnchor(p.shot()))));
        }
        for (var p : d.panels().moved()) {
            panels.add(new Item("moved", p.name(), "#" + (p.fromIndex() + 1) + " → #" + (p.toIndex() + 1)
                    + (Objects.equals(p.fromShot(), p.toShot()) ? "" : " in another shot"), List.of(), null));
        }
        List<Figure> counts = List.of(
                new Figure("Scenes", changes(d.scenes().added().size(), d.scenes().removed().size(), d.scenes().changed().size(), 0)),
                new Figure("Shots", changes(d.shots().added().size(), d.shots().removed().size(), d.shots().changed().size(), d.shots().moved().size())),
                new Figure("Panels", changes(d.panels().added().size(), d.panels().removed().size(), d.panels().changed().size(), d.panels().moved().size())));
        return new Diff(scenes, capped(shots), capped(panels), Math.max(0, shots.size() - MAX_DIFF_ITEMS),
                Math.max(0, panels.size() - MAX_DIFF_ITEMS), counts);
    }

    private static List<Item> capped(List<Item> items) {
        return items.size() <= MAX_DIFF_ITEMS ? items : List.copyOf(items.subList(0, MAX_DIFF_ITEMS));
    }

    private static String changes(int added, int removed, int changed, int moved) {
        if (added + removed + changed + moved == 0) return "none";
        List<String> parts = new ArrayList<>();
        if (added > 0) parts.add("+" + added);
        if (removed > 0) parts.add("−" + removed);
        if (changed > 0) parts.add(changed + " changed");
        if (moved > 0) parts.add(moved + " moved");
        return String.join(" ", parts);
    }

    /** A scene's name from its key ({@code 0001_SCENE_001} → {@code SCENE_001}), as its file names it. */
    static String sceneName(String key) {
        if (key == null) return "";
        return key.matches("\\d+_.+") ? key.substring(key.indexOf('_') + 1) : key;
    }

    private static String shotAnchor(String uuid) {
        return uuid == null ? null : "shot-" + uuid;
    }

    /** The scenes page of a revision from a scene on, at an element of it (null: the scene's top). */
    private static String sceneHref(Project project, int revision, String key, String anchor) {
        if (revision == 0 || key == null) return null;
        return project.scenesHref(revision) + "&from=" + param(key) + "#" + (anchor == null ? sceneAnchor(key) : anchor);
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
        return Sizes.human(n);
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
