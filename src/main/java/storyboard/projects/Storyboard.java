package storyboard.projects;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.math.BigDecimal;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import storyboard.kernel.Json;

/**
 * A B-Line project as the app saves it, read into what people look at: {@code project.json}, scenes
 * ({@code scenes/NNNN_NAME.json}, each an array of shots, or an object with {@code shots}) → shots → panels → layers
 * → strokes, and audio tracks ({@code audio/tracks/*.json}). Reading a whole package also checks it: the problems
 * that make it unusable (missing or broken {@code project.json}, a scene that is not a shot array) and warnings that
 * do not (a panel without its thumbnail, an absolute path to a file the package does not hold).
 *
 * <p>Pure: no database, no HTTP. Unknown fields are kept in each shot's and panel's {@code source} (the app adds
 * fields between versions), so a diff sees every change.
 */
public final class Storyboard {
    public static final String PROJECT_FILE = "project.json";
    private static final Pattern SCENE_PATH = Pattern.compile("scenes/(?:(\\d+)_)?([^/]+)\\.json");
    private static final Pattern TRACK_PATH = Pattern.compile("audio/tracks/[^/]+\\.json");

    /** Something wrong (or worth a warning) in one file of the package. */
    public record Problem(String path, String message) {}

    /** What {@code project.json} says. */
    public record ProjectInfo(String name, BigDecimal fps, JsonNode source) {}

    /** One scene file: its path, its key (the file name without {@code .json}), number and name. */
    public record Scene(String path, String key, int number, String name, List<Shot> shots) {}

    /**
     * One shot: {@code index} is its place in the scene (0-based); times in ms. {@code source} is the shot's JSON
     * without its panels.
     */
    public record Shot(String uuid, int index, String name, String description, String type, long startTime,
                       long endTime, List<Character> characters, List<Panel> panels, ObjectNode source) {
        /** All the shot's dialogue, one line per speaking character ("MARA: You said you'd call."). */
        public String dialogue() {
            StringBuilder b = new StringBuilder();
            for (Character c : characters) {
                if (c.dialogue() == null || c.dialogue().isBlank()) continue;
                if (b.length() > 0) b.append('\n');
                b.append(c.name() == null ? "" : c.name() + ": ").append(c.dialogue());
            }
            return b.toString();
        }
    }

    /** A character in a shot and what they say. */
    public record Character(String name, String dialogue, String emotion, boolean onScreen) {}

    /**
     * One panel: {@code thumbnail} is the path of its thumbnail in the package ({@code thumbnails/panel_<uuid>.png})
     * or null; {@code source} is the panel's JSON without its layers; {@code drawingDigest} the SHA-256 (hex) of its
     * layers as JSON (null without layers), so that a diff tells a changed drawing without keeping the strokes.
     */
    public record Panel(String uuid, int index, String name, String description, String thumbnail, long startTime,
                        long duration, int layers, int strokes, ObjectNode source, String drawingDigest) {}

    /** An audio track and the files its segments play. */
    public record Track(String path, String uuid, String name, int index, List<String> files) {}

    /** How much a package holds, as the import report counts it. */
    public record Counts(int scenes, int shots, int panels, int layers, int strokes, int audioTracks) {}

    /** A whole package read: what it holds, its problems (if any, it is refused) and its warnings. */
    public record Package(ProjectInfo project, List<Scene> scenes, List<Track> tracks, Counts counts,
                          List<Problem> problems, List<Problem> warnings) {
        public boolean valid() {
            return problems.isEmpty();
        }
    }

    /** The files of a package, by relative path ('/' separated). */
    public interface Files {
        Collection<String> paths();

        byte[] read(String path) throws IOException;
    }

    private Storyboard() {}

    /** Whether a path is one of the package's scene files. */
    public static boolean isScene(String path) {
        return SCENE_PATH.matcher(path).matches();
    }

    /** Whether a path is one of the package's audio track files. */
    public static boolean isTrack(String path) {
        return TRACK_PATH.matcher(path).matches();
    }

    /**
     * Reads a whole package. Only {@code project.json}, the scenes and the audio tracks are read; every other file
     * is only checked for being there when something names it.
     */
    public static Package read(Files files) throws IOException {
        List<Problem> problems = new ArrayList<>();
        List<Problem> warnings = new ArrayList<>();
        Set<String> paths = Set.copyOf(files.paths());
        ProjectInfo project = null;
        if (!paths.contains(PROJECT_FILE)) {
            problems.add(new Problem(PROJECT_FILE, "missing: a B-Line project has a project.json at its top"));
        } else {
            try {
                project = parseProject(files.read(PROJECT_FILE));
            } catch (Invalid e) {
                problems.add(new Problem(PROJECT_FILE, e.getMessage()));
            }
        }
        List<Scene> scenes = new ArrayList<>();
        List<Track> tracks = new ArrayList<>();
        for (String path : paths.stream().sorted().toList()) {
            try {
                if (isScene(path)) {
                    Scene scene = parseScene(path, files.read(path));
                    scenes.add(scene);
                    warnScene(scene, paths, warnings);
                } else if (isTrack(path)) {
                    Track track = parseTrack(path, files.read(path));
                    tracks.add(track);
                    for (String f : track.files()) warnReference(path, "audio segment", f, paths, warnings);
                }
            } catch (Invalid e) {
                problems.add(new Problem(path, e.getMessage()));
            }
        }
        int shots = 0, panels = 0, layers = 0, strokes = 0;
        for (Scene s : scenes) {
            shots += s.shots().size();
            for (Shot shot : s.shots()) {
                panels += shot.panels().size();
                for (Panel p : shot.panels()) {
                    layers += p.layers();
                    strokes += p.strokes();
                }
            }
        }
        return new Package(project, List.copyOf(scenes), List.copyOf(tracks),
                new Counts(scenes.size(), shots, panels, layers, strokes, tracks.size()), List.copyOf(problems),
                List.copyOf(warnings));
    }

    /** {@code project.json}: a JSON object with a non-empty {@code projectName} and a positive number {@code fps}. */
    public static ProjectInfo parseProject(byte[] bytes) throws Invalid {
        JsonNode root = parse(bytes);
        if (!root.isObject()) throw new Invalid("not a JSON object");
        JsonNode name = root.get("projectName");
        JsonNode fps = root.get("fps");
        List<String> wrong = new ArrayList<>();
        if (name == null || !name.isTextual() || name.asText().isBlank()) wrong.add("projectName (a non-empty string) is missing");
        else if (name.asText().indexOf('\0') >= 0 || name.asText().length() > 200) wrong.add("projectName is not a usable name");
        if (fps == null || !fps.isNumber() || fps.decimalValue().signum() <= 0) wrong.add("fps (a positive number) is missing");
        if (!wrong.isEmpty()) throw new Invalid(String.join("; ", wrong));
        return new ProjectInfo(name.asText(), fps.decimalValue(), root);
    }

    /** One scene file: an array of shots (or an object whose {@code shots} is that array). */
    public static Scene parseScene(String path, byte[] bytes) throws Invalid {
        JsonNode root = parse(bytes);
        JsonNode shots = root.isObject() ? root.get("shots") : root;
        if (shots == null || !shots.isArray()) {
            throw new Invalid("not a scene: expected an array of shots (or an object with \"shots\")");
        }
        Matcher m = SCENE_PATH.matcher(path);
        String key = path.substring(path.lastIndexOf('/') + 1, path.length() - ".json".length());
        int number = 0;
        String name = key;
        if (m.matches()) {
            if (m.group(1) != null) number = parseNumber(m.group(1));
            name = m.group(2);
        }
        if (root.isObject() && root.path("name").isTextual()) name = root.get("name").asText();
        List<Shot> out = new ArrayList<>();
        for (int i = 0; i < shots.size(); i++) {
            JsonNode s = shots.get(i);
            if (!s.isObject()) throw new Invalid("shot " + i + " is not a JSON object");
            out.add(shot(i, (ObjectNode) s));
        }
        return new Scene(path, key, number, name, List.copyOf(out));
    }

    /** An audio track: an object whose {@code segments} name the files they play. */
    public static Track parseTrack(String path, byte[] bytes) throws Invalid {
        JsonNode root = parse(bytes);
        if (!root.isObject()) throw new Invalid("not an audio track: expected a JSON object");
        List<String> files = new ArrayList<>();
        for (JsonNode seg : root.path("segments")) {
            String f = text(seg, "file");
            if (f != null && !f.isEmpty()) files.add(f);
        }
        return new Track(path, text(root, "uuid"), text(root, "name"), root.path("index").asInt(0), List.copyOf(files));
    }

    private static Shot shot(int index, ObjectNode s) throws Invalid {
        List<Character> characters = new ArrayList<>();
        for (JsonNode c : s.path("characters")) {
            characters.add(new Character(text(c, "name"), text(c, "dialogue"), text(c, "emotion"),
                    c.path("onScreen").asBoolean(true)));
        }
        JsonNode panelsNode = s.path("panels");
        if (!panelsNode.isMissingNode() && !panelsNode.isArray()) {
            throw new Invalid("shot " + index + ": \"panels\" is not an array");
        }
        List<Panel> panels = new ArrayList<>();
        for (int i = 0; i < panelsNode.size(); i++) {
            JsonNode p = panelsNode.get(i);
            if (!p.isObject()) throw new Invalid("shot " + index + ", panel " + i + " is not a JSON object");
            panels.add(panel(i, (ObjectNode) p));
        }
        ObjectNode source = s.deepCopy();
        source.remove("panels");
        return new Shot(text(s, "uuid"), index, text(s, "name"), text(s, "description"), text(s, "type"),
                s.path("startTime").asLong(0), s.path("endTime").asLong(0), List.copyOf(characters),
                List.copyOf(panels), source);
    }

    private static Panel panel(int index, ObjectNode p) {
        int layers = 0, strokes = 0;
        for (JsonNode l : p.path("layers")) {
            layers++;
            strokes += l.path("strokes").size();
        }
        String thumbnail = text(p, "thumbnail");
        if (thumbnail != null && !thumbnail.isBlank() && !thumbnail.contains("/")) thumbnail = "thumbnails/" + thumbnail;
        if (thumbnail != null && thumbnail.isBlank()) thumbnail = null;
        ObjectNode source = p.deepCopy();
        source.remove("layers");
        return new Panel(text(p, "uuid"), index, text(p, "name"), text(p, "description"), thumbnail,
                p.path("startTime").asLong(0), p.path("durationTime").asLong(0), layers, strokes, source,
                digest(p.get("layers")));
    }

    /** The SHA-256 (hex) of a JSON value as the server writes it: the same parsed value, the same digest. */
    private static String digest(JsonNode value) {
        if (value == null || value.isNull()) return null;
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Json.MAPPER.writeValueAsBytes(value)));
        } catch (JsonProcessingException | NoSuchAlgorithmException e) {
            throw new IllegalStateException("cannot digest a parsed JSON value", e);
        }
    }

    private static void warnScene(Scene scene, Set<String> paths, List<Problem> warnings) {
        for (Shot shot : scene.shots()) {
            for (Panel p : shot.panels()) {
                String where = "shot " + label(shot.name(), shot.uuid()) + ", panel " + label(p.name(), p.uuid());
                if (p.thumbnail() == null) {
                    warnings.add(new Problem(scene.path(), where + " has no thumbnail"));
                } else if (!paths.contains(p.thumbnail())) {
                    warnings.add(new Problem(scene.path(), where + ": its thumbnail " + p.thumbnail() + " is not in the package"));
                }
                warnReference(scene.path(), where + " image", text(p.source(), "image"), paths, warnings);
            }
        }
    }

    /** A file the app's JSON names: an absolute path (the artist's machine) or a relative one the package lacks. */
    private static void warnReference(String path, String what, String file, Set<String> paths, List<Problem> warnings) {
        if (file == null || file.isBlank()) return;
        String f = file.replace('\\', '/');
        boolean absolute = f.startsWith("/") || f.matches("^[A-Za-z]:/.*");
        if (absolute) {
            warnings.add(new Problem(path, what + " names an absolute path outside the package: " + file));
        } else if (!paths.contains(f)) {
            warnings.add(new Problem(path, what + " names " + file + ", which is not in the package"));
        }
    }

    private static String label(String name, String uuid) {
        return name != null && !name.isBlank() ? name : uuid != null ? uuid : "?";
    }

    private static JsonNode parse(byte[] bytes) throws Invalid {
        try {
            JsonNode n = Json.MAPPER.readTree(bytes);
            if (n == null || n.isMissingNode()) throw new Invalid("empty: expected JSON");
            return n;
        } catch (JsonProcessingException e) {
            throw new Invalid("not valid JSON: " + e.getOriginalMessage()
                    + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr() + ")"));
        } catch (IOException e) {
            throw new Invalid("not readable as JSON: " + e.getMessage());
        }
    }

    private static int parseNumber(String digits) {
        try {
            return Integer.parseInt(digits);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n == null ? null : n.get(field);
        return v == null || v.isNull() ? null : v.isValueNode() ? v.asText() : v.toString();
    }

    /** A file that is not what the app writes; the message says why. */
    public static final class Invalid extends Exception {
        public Invalid(String message) {
            super(message);
        }
    }
}
