package storyboard.projects;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import storyboard.kernel.Json;

/**
 * What changed between two revisions of a project, in the words of a storyboard: files added, removed and
 * modified; scenes (by key), shots and panels (by uuid) added, removed, changed and moved; and for each changed shot
 * or panel which of its fields changed, grouped as people name them ({@code timing}, {@code camera},
 * {@code dialogue}, {@code characters}, {@code panels}, {@code drawing}, {@code thumbnail}, ...; any other field by its
 * own name).
 *
 * <p>Pure: it reads the parsed scenes and the two manifests (path → SHA-256), nothing else. A shot or panel without
 * a uuid is known by its place (scene and index); a uuid seen twice in one revision (copy-pasted shots) is told apart
 * by its occurrence.
 */
public final class StructuredDiff {
    /** One side of the diff: the revision's parsed scenes and its manifest. */
    public record Revision(List<Storyboard.Scene> scenes, Map<String, String> files) {
        public static final Revision EMPTY = new Revision(List.of(), Map.of());

        public Revision {
            scenes = List.copyOf(scenes);
            files = Map.copyOf(files);
        }
    }

    public record Diff(Files files, Scenes scenes, Shots shots, Panels panels) {
        /** Whether the two revisions hold the same files. */
        public boolean empty() {
            return files.added().isEmpty() && files.removed().isEmpty() && files.modified().isEmpty();
        }
    }

    public record Files(List<String> added, List<String> removed, List<String> modified) {}

    public record Scenes(List<SceneRef> added, List<SceneRef> removed, List<SceneChange> changed) {}

    public record SceneRef(String key, int number, String name, int shots) {}

    /** A scene in both revisions whose content changed: {@code fields} among name, shotsAdded, shotsRemoved, shotsChanged, shotsReordered. */
    public record SceneChange(String key, int number, String name, List<String> fields) {}

    public record Shots(List<ShotRef> added, List<ShotRef> removed, List<ShotChange> changed, List<ShotMove> moved) {}

    public record ShotRef(String uuid, String name, String scene, int index) {}

    public record ShotChange(String uuid, String name, String scene, List<String> fields) {}

    /** A shot now in another scene, or whose order among the shots of its scene changed. */
    public record ShotMove(String uuid, String name, String fromScene, int fromIndex, String toScene, int toIndex) {}

    public record Panels(List<PanelRef> added, List<PanelRef> removed, List<PanelChange> changed, List<PanelMove> moved) {}

    /** A panel, with the scene key and the uuid of the shot that hold it. */
    public record PanelRef(String uuid, String name, String scene, String shot, int index) {}

    public record PanelChange(String uuid, String name, String scene, String shot, List<String> fields) {}

    /** A panel now in another shot, or whose order among the panels of its shot changed. */
    public record PanelMove(String uuid, String name, String fromShot, int fromIndex, String toShot, int toIndex) {}

    /** Shot fields reported under a group's name; any other field is reported under its own name. */
    private static final Map<String, String> SHOT_GROUPS = Map.of(
            "startTime", "timing", "endTime", "timing", "frameCount", "timing", "duration", "timing",
            "durationTime", "timing", "camera", "camera", "cameraAnimation", "camera");
    /** The order fields are listed in: the familiar ones first, then the others alphabetically. */
    private static final List<String> FIELD_ORDER = List.of("name", "description", "type", "timing", "camera",
            "dialogue", "characters", "transition", "audio", "lighting", "notes", "panels", "drawing", "thumbnail");
    private static final Comparator<String> BY_FIELD_ORDER = Comparator
            .comparingInt((String f) -> FIELD_ORDER.contains(f) ? FIELD_ORDER.indexOf(f) : FIELD_ORDER.size())
            .thenComparing(Comparator.naturalOrder());
    private static final List<String> SCENE_FIELD_ORDER = List.of("name", "shotsAdded", "shotsRemoved", "shotsChanged",
            "shotsReordered");
    /** Panel fields read into the record (compared there), so not compared again in its source. */
    private static final Set<String> PANEL_READ = Set.of("uuid", "name", "description", "thumbnail", "startTime", "durationTime");

    private StructuredDiff() {}

    public static Diff between(Revision from, Revision to) {
        Index a = new Index(from);
        Index b = new Index(to);
        // What changed in a panel changes its shot; what changed in a shot changes its scene.
        Map<String, Set<String>> panelFieldsByShot = new HashMap<>();
        Map<String, Set<String>> sceneFields = new HashMap<>();
        Panels panels = panels(a, b, from, to, panelFieldsByShot);
        Shots shots = shots(a, b, panelFieldsByShot, sceneFields);
        return new Diff(files(from.files(), to.files()), scenes(a, b, sceneFields), shots, panels);
    }

    /** Panels added, removed, changed and moved (by uuid); what changed of each is noted for its shot. */
    private static Panels panels(Index a, Index b, Revision from, Revision to, Map<String, Set<String>> panelFieldsByShot) {
        List<PanelRef> panelsAdded = new ArrayList<>();
        List<PanelRef> panelsRemoved = new ArrayList<>();
        List<PanelChange> panelsChanged = new ArrayList<>();
        List<PanelMove> panelsMoved = new ArrayList<>();
        for (var e : a.panels.entrySet()) {
            if (!b.panels.containsKey(e.getKey())) panelsRemoved.add(e.getValue().ref());
        }
        Set<String> panelsOutOfOrder = outOfOrder(a.panelsByShot, b.panelsByShot);
        for (var e : b.panels.entrySet()) {
            PlacedPanel now = e.getValue();
            PlacedPanel before = a.panels.get(e.getKey());
            if (before == null) {
                panelsAdded.add(now.ref());
                continue;
            }
            Set<String> fields = panelFields(before.panel(), now.panel(), from.files(), to.files());
            if (!fields.isEmpty()) {
                panelsChanged.add(new PanelChange(now.panel().uuid(), now.panel().name(), now.scene().key(),
                        now.shot().uuid(), sorted(fields)));
                // A panel's timing, drawing and thumbnail are the shot's; anything else about it is the shot's "panels".
                Set<String> forShot = panelFieldsByShot.computeIfAbsent(now.shotKey(), k -> new HashSet<>());
                for (String f : fields) forShot.add(Set.of("timing", "drawing", "thumbnail").contains(f) ? f : "panels");
            }
            if (!before.shotKey().equals(now.shotKey()) || panelsOutOfOrder.contains(e.getKey())) {
                panelsMoved.add(new PanelMove(now.panel().uuid(), now.panel().name(), before.shot().uuid(),
                        before.panel().index(), now.shot().uuid(), now.panel().index()));
            }
        }
        return new Panels(panelsAdded, panelsRemoved, panelsChanged, panelsMoved);
    }

    /** Shots added, removed, changed (with their fields) and moved (by uuid); what changed is noted for its scene. */
    private static Shots shots(Index a, Index b, Map<String, Set<String>> panelFieldsByShot,
                               Map<String, Set<String>> sceneFields) {
        List<ShotRef> shotsAdded = new ArrayList<>();
        List<ShotRef> shotsRemoved = new ArrayList<>();
        List<ShotChange> shotsChanged = new ArrayList<>();
        List<ShotMove> shotsMoved = new ArrayList<>();
        for (var e : a.shots.entrySet()) {
            if (!b.shots.containsKey(e.getKey())) {
                shotsRemoved.add(e.getValue().ref());
                sceneFields.computeIfAbsent(e.getValue().scene().key(), k -> new HashSet<>()).add("shotsRemoved");
            }
        }
        Set<String> shotsOutOfOrder = outOfOrder(a.shotsByScene, b.shotsByScene);
        for (var e : b.shots.entrySet()) {
            PlacedShot now = e.getValue();
            PlacedShot before = a.shots.get(e.getKey());
            String scene = now.scene().key();
            if (before == null) {
                shotsAdded.add(now.ref());
                sceneFields.computeIfAbsent(scene, k -> new HashSet<>()).add("shotsAdded");
                continue;
            }
            Set<String> fields = shotFields(before.shot(), now.shot());
            if (!a.panelsByShot.getOrDefault(e.getKey(), List.of()).equals(b.panelsByShot.getOrDefault(e.getKey(), List.of()))) {
                fields.add("panels");
            }
            fields.addAll(panelFieldsByShot.getOrDefault(e.getKey(), Set.of()));
            if (!fields.isEmpty()) {
                shotsChanged.add(new ShotChange(now.shot().uuid(), now.shot().name(), scene, sorted(fields)));
                sceneFields.computeIfAbsent(scene, k -> new HashSet<>()).add("shotsChanged");
            }
            boolean otherScene = !before.scene().key().equals(scene);
            if (otherScene || shotsOutOfOrder.contains(e.getKey())) {
                shotsMoved.add(new ShotMove(now.shot().uuid(), now.shot().name(), before.scene().key(),
                        before.shot().index(), scene, now.shot().index()));
                if (otherScene) {
                    sceneFields.computeIfAbsent(before.scene().key(), k -> new HashSet<>()).add("shotsRemoved");
                    sceneFields.computeIfAbsent(scene, k -> new HashSet<>()).add("shotsAdded");
                } else {
                    sceneFields.computeIfAbsent(scene, k -> new HashSet<>()).add("shotsReordered");
                }
            }
        }
        return new Shots(shotsAdded, shotsRemoved, shotsChanged, shotsMoved);
    }

    /** Scenes added, removed and changed (by key). */
    private static Scenes scenes(Index a, Index b, Map<String, Set<String>> sceneFields) {
        List<SceneRef> scenesAdded = new ArrayList<>();
        List<SceneRef> scenesRemoved = new ArrayList<>();
        List<SceneChange> scenesChanged = new ArrayList<>();
        for (Storyboard.Scene s : a.scenes.values()) {
            if (!b.scenes.containsKey(s.key())) scenesRemoved.add(sceneRef(s));
        }
        for (Storyboard.Scene s : b.scenes.values()) {
            Storyboard.Scene before = a.scenes.get(s.key());
            if (before == null) {
                scenesAdded.add(sceneRef(s));
                continue;
            }
            Set<String> fields = new HashSet<>(sceneFields.getOrDefault(s.key(), Set.of()));
            if (!Objects.equals(before.name(), s.name())) fields.add("name");
            if (!fields.isEmpty()) {
                scenesChanged.add(new SceneChange(s.key(), s.number(), s.name(), fields.stream()
                        .sorted(Comparator.comparingInt(SCENE_FIELD_ORDER::indexOf)).toList()));
            }
        }
        return new Scenes(scenesAdded, scenesRemoved, scenesChanged);
    }

    private static Files files(Map<String, String> from, Map<String, String> to) {
        List<String> added = new ArrayList<>();
        List<String> modified = new ArrayList<>();
        for (var e : new TreeSet<>(to.keySet())) {
            String before = from.get(e);
            if (before == null) added.add(e);
            else if (!before.equals(to.get(e))) modified.add(e);
        }
        List<String> removed = from.keySet().stream().filter(p -> !to.containsKey(p)).sorted().toList();
        return new Files(added, removed, modified);
    }

    private static SceneRef sceneRef(Storyboard.Scene s) {
        return new SceneRef(s.key(), s.number(), s.name(), s.shots().size());
    }

    /** The changed fields of a shot in both revisions, its panels aside. */
    private static Set<String> shotFields(Storyboard.Shot a, Storyboard.Shot b) {
        Set<String> fields = new HashSet<>();
        Set<String> keys = new TreeSet<>();
        a.source().fieldNames().forEachRemaining(keys::add);
        b.source().fieldNames().forEachRemaining(keys::add);
        for (String key : keys) {
            JsonNode x = a.source().get(key);
            JsonNode y = b.source().get(key);
            if (Objects.equals(x, y)) continue;
            if (key.equals("characters") && (x == null || x.isArray()) && (y == null || y.isArray())) {
                if (!spoken(x).equals(spoken(y))) fields.add("dialogue");
                if (!withoutSpoken(x).equals(withoutSpoken(y))) fields.add("characters");
            } else {
                fields.add(SHOT_GROUPS.getOrDefault(key, key));
            }
        }
        return fields;
    }

    /** Whether a character's field is what they say (dialogue, dialogParenthetical) rather than who they are. */
    private static boolean isSpoken(String field) {
        return field.equals("dialogue") || field.equals("dialogParenthetical");
    }

    /** The lines spoken in a shot, in order: each speaking character's dialogue and parenthetical. */
    private static List<List<String>> spoken(JsonNode characters) {
        List<List<String>> lines = new ArrayList<>();
        if (characters == null) return lines;
        for (JsonNode c : characters) {
            String dialogue = c.path("dialogue").asText("");
            String parenthetical = c.path("dialogParenthetical").asText("");
            if (!dialogue.isBlank() || !parenthetical.isBlank()) lines.add(List.of(dialogue, parenthetical));
        }
        return lines;
    }

    /** The characters of a shot with what they say left out: who, emotion, on screen, intent, ... */
    private static JsonNode withoutSpoken(JsonNode characters) {
        ArrayNode out = Json.MAPPER.createArrayNode();
        if (characters == null) return out;
        for (JsonNode c : characters) {
            if (!c.isObject()) {
                out.add(c);
                continue;
            }
            ObjectNode copy = ((ObjectNode) c).deepCopy();
            for (Iterator<String> it = c.fieldNames(); it.hasNext(); ) {
                String f = it.next();
                if (isSpoken(f)) copy.remove(f);
            }
            out.add(copy);
        }
        return out;
    }

    /** The changed fields of a panel in both revisions: timing, drawing, thumbnail (file or bytes), name, description, others. */
    private static Set<String> panelFields(Storyboard.Panel a, Storyboard.Panel b, Map<String, String> fromFiles,
                                           Map<String, String> toFiles) {
        Set<String> fields = new HashSet<>();
        if (a.startTime() != b.startTime() || a.duration() != b.duration()) fields.add("timing");
        if (!Objects.equals(a.drawingDigest(), b.drawingDigest())) fields.add("drawing");
        if (!Objects.equals(a.thumbnail(), b.thumbnail())
                || a.thumbnail() != null && !Objects.equals(fromFiles.get(a.thumbnail()), toFiles.get(b.thumbnail()))) {
            fields.add("thumbnail");
        }
        if (!Objects.equals(a.name(), b.name())) fields.add("name");
        if (!Objects.equals(a.description(), b.description())) fields.add("description");
        Set<String> keys = new TreeSet<>();
        a.source().fieldNames().forEachRemaining(keys::add);
        b.source().fieldNames().forEachRemaining(keys::add);
        for (String key : keys) {
            if (!PANEL_READ.contains(key) && !Objects.equals(a.source().get(key), b.source().get(key))) fields.add(key);
        }
        return fields;
    }

    private static List<String> sorted(Set<String> fields) {
        return fields.stream().sorted(BY_FIELD_ORDER).toList();
    }

    /**
     * The items that stayed in the same container (a scene's shots, a shot's panels) but whose order among the
     * others that stayed changed: those outside a longest run kept in order, so swapping two neighbours moves one.
     */
    private static Set<String> outOfOrder(Map<String, List<String>> before, Map<String, List<String>> after) {
        Set<String> moved = new HashSet<>();
        for (var e : after.entrySet()) {
            List<String> old = before.get(e.getKey());
            if (old == null) continue;
            Set<String> stayed = new HashSet<>(old);
            stayed.retainAll(e.getValue());
            List<String> oldOrder = old.stream().filter(stayed::contains).toList();
            List<String> newOrder = e.getValue().stream().filter(stayed::contains).toList();
            if (oldOrder.equals(newOrder)) continue;
            Map<String, Integer> position = new HashMap<>();
            for (int i = 0; i < newOrder.size(); i++) position.put(newOrder.get(i), i);
            int[] sequence = oldOrder.stream().mapToInt(position::get).toArray();
            Set<Integer> kept = longestIncreasing(sequence);
            for (int i = 0; i < sequence.length; i++) {
                if (!kept.contains(sequence[i])) moved.add(oldOrder.get(i));
            }
        }
        return moved;
    }

    /** The values of one longest strictly increasing subsequence (patience sorting, n log n). */
    private static Set<Integer> longestIncreasing(int[] seq) {
        int[] tailIndex = new int[seq.length];
        int[] previous = new int[seq.length];
        int length = 0;
        for (int i = 0; i < seq.length; i++) {
            int lo = 0, hi = length;
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (seq[tailIndex[mid]] < seq[i]) lo = mid + 1;
                else hi = mid;
            }
            previous[i] = lo > 0 ? tailIndex[lo - 1] : -1;
            tailIndex[lo] = i;
            if (lo == length) length++;
        }
        Set<Integer> kept = new HashSet<>();
        for (int i = length == 0 ? -1 : tailIndex[length - 1]; i >= 0; i = previous[i]) kept.add(seq[i]);
        return kept;
    }

    private record PlacedShot(Storyboard.Scene scene, Storyboard.Shot shot) {
        ShotRef ref() {
            return new ShotRef(shot.uuid(), shot.name(), scene.key(), shot.index());
        }
    }

    private record PlacedPanel(Storyboard.Scene scene, Storyboard.Shot shot, String shotKey, Storyboard.Panel panel) {
        PanelRef ref() {
            return new PanelRef(panel.uuid(), panel.name(), scene.key(), shot.uuid(), panel.index());
        }
    }

    /** One revision's scenes, shots and panels by key, in order, and which shots each scene holds (panels each shot). */
    private static final class Index {
        final Map<String, Storyboard.Scene> scenes = new LinkedHashMap<>();
        final Map<String, PlacedShot> shots = new LinkedHashMap<>();
        final Map<String, PlacedPanel> panels = new LinkedHashMap<>();
        final Map<String, List<String>> shotsByScene = new HashMap<>();
        final Map<String, List<String>> panelsByShot = new HashMap<>();

        Index(Revision r) {
            List<Storyboard.Scene> ordered = new ArrayList<>(r.scenes());
            ordered.sort(Comparator.comparingInt(Storyboard.Scene::number).thenComparing(Storyboard.Scene::key));
            Map<String, Integer> seenShots = new HashMap<>();
            Map<String, Integer> seenPanels = new HashMap<>();
            for (Storyboard.Scene scene : ordered) {
                scenes.put(scene.key(), scene);
                List<String> shotKeys = shotsByScene.computeIfAbsent(scene.key(), k -> new ArrayList<>());
                for (Storyboard.Shot shot : scene.shots()) {
                    String shotKey = key(shot.uuid(), scene.key() + "#" + shot.index(), seenShots);
                    shots.put(shotKey, new PlacedShot(scene, shot));
                    shotKeys.add(shotKey);
                    List<String> panelKeys = panelsByShot.computeIfAbsent(shotKey, k -> new ArrayList<>());
                    for (Storyboard.Panel panel : shot.panels()) {
                        String panelKey = key(panel.uuid(), shotKey + "/" + panel.index(), seenPanels);
                        panels.put(panelKey, new PlacedPanel(scene, shot, shotKey, panel));
                        panelKeys.add(panelKey);
                    }
                }
            }
        }

        /** The uuid, told apart by its occurrence when seen before; without one, its place. */
        private static String key(String uuid, String place, Map<String, Integer> seen) {
            if (uuid == null || uuid.isBlank()) return "@" + place;
            int n = seen.merge(uuid, 1, Integer::sum);
            return n == 1 ? uuid : uuid + "#" + n;
        }
    }
}
