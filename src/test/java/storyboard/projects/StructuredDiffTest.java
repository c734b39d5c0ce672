package storyboard.projects;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import storyboard.kernel.Json;

/** The structured diff on the contract's sample project and edited copies of it. */
class StructuredDiffTest {
    static final String SCENE_1 = "scenes/0001_SCENE_001.json";
    static final String SCENE_2 = "scenes/0002_SCENE_002.json";
    /** SHOT_0020 of scene 1, its panels, and SHOT_0010 of scene 2. */
    static final String SHOT_20 = "93ea5c4e-d8f3-4418-b3d4-e7115804f922";
    static final String SHOT_20_PANEL_1 = "f9270f4e-b8b3-43a8-a544-6dd4552b82f6";
    static final String SHOT_20_PANEL_2 = "82283d15-a9ec-4806-b05f-ca161622bd79";
    static final String SHOT_10 = "b94067ed-fe17-4330-a11d-459a2f978d87";
    static final String SHOT_30 = "4155d7ef-28dd-47eb-aadf-559a11cbc288";
    static final String SCENE_2_SHOT_10 = "21615022-409a-4a78-909f-f4976a8a43ef";
    static final String SCENE_2_SHOT_30 = "e927db48-6f62-463a-9a53-56b5d85328b6";

    private final Map<String, byte[]> sample = sample();

    @Test
    void theSameFilesMakeAnEmptyDiff() {
        StructuredDiff.Diff d = diff(sample, sample);

        assertThat(d.empty()).isTrue();
        assertThat(d.scenes().changed()).isEmpty();
        assertThat(d.shots().changed()).isEmpty();
        assertThat(d.shots().moved()).isEmpty();
        assertThat(d.panels().changed()).isEmpty();
    }

    @Test
    void oneShotsDialogueChangedNamesThatShotAndDialogueOnly() {
        Map<String, byte[]> edited = edit(sample, SCENE_1, shots -> character(shots, 1).put("dialogue", "Where were you?"));
        StructuredDiff.Diff d = diff(sample, edited);

        assertThat(d.files().modified()).containsExactly(SCENE_1);
        assertThat(d.files().added()).isEmpty();
        assertThat(d.files().removed()).isEmpty();
        assertThat(d.shots().changed()).containsExactly(
                new StructuredDiff.ShotChange(SHOT_20, "SHOT_0020", "0001_SCENE_001", List.of("dialogue")));
        assertThat(d.shots().added()).isEmpty();
        assertThat(d.shots().removed()).isEmpty();
        assertThat(d.shots().moved()).isEmpty();
        assertThat(d.scenes().changed()).containsExactly(
                new StructuredDiff.SceneChange("0001_SCENE_001", 1, "SCENE_001", List.of("shotsChanged")));
        assertThat(d.panels().changed()).isEmpty();
        assertThat(d.panels().moved()).isEmpty();
    }

    @Test
    void aCharactersEmotionIsCharactersAndANewSpeakerBothCharactersAndDialogue() {
        Map<String, byte[]> angrier = edit(sample, SCENE_1, shots -> character(shots, 0).put("emotion", "furious"));
        assertThat(fields(diff(sample, angrier), SHOT_10)).containsExactly("characters");

        Map<String, byte[]> answered = edit(sample, SCENE_1, shots -> ((ArrayNode) shots.get(0).get("characters"))
                .addObject().put("name", "JON").put("dialogue", "My phone died.").put("onScreen", false));
        assertThat(fields(diff(sample, answered), SHOT_10)).containsExactly("dialogue", "characters");
    }

    @Test
    void anEndTimeOrAPanelsDurationIsTiming() {
        Map<String, byte[]> longer = edit(sample, SCENE_1, shots -> ((ObjectNode) shots.get(1)).put("endTime", 4500));
        StructuredDiff.Diff d = diff(sample, longer);
        assertThat(d.shots().changed()).extracting(StructuredDiff.ShotChange::uuid).containsExactly(SHOT_20);
        assertThat(fields(d, SHOT_20)).containsExactly("timing");

        Map<String, byte[]> held = edit(sample, SCENE_1, shots -> panel(shots, 1, 1).put("durationTime", 1500));
        StructuredDiff.Diff p = diff(sample, held);
        assertThat(fields(p, SHOT_20)).containsExactly("timing");
        assertThat(p.panels().changed()).containsExactly(new StructuredDiff.PanelChange(SHOT_20_PANEL_2, "PANEL_002",
                "0001_SCENE_001", SHOT_20, List.of("timing")));
    }

    @Test
    void camerasDescriptionsAndTheAppsOtherFieldsAreNamed() {
        Map<String, byte[]> edited = edit(sample, SCENE_1, shots -> {
            ((ObjectNode) shots.get(0).get("camera")).put("movement", "PAN LEFT");
            ((ObjectNode) shots.get(1)).put("description", "Mara turns away").put("timeOfDay", "NIGHT");
            ((ObjectNode) shots.get(2)).put("transition", "DISSOLVE").put("notes", "hold longer");
        });
        StructuredDiff.Diff d = diff(sample, edited);

        assertThat(fields(d, SHOT_10)).containsExactly("camera");
        assertThat(fields(d, SHOT_20)).containsExactly("description", "timeOfDay");
        assertThat(fields(d, SHOT_30)).containsExactly("transition", "notes");
    }

    @Test
    void panelsSwappedInAShotMoveOneAndChangeTheShotsPanels() {
        Map<String, byte[]> swapped = edit(sample, SCENE_1, shots -> {
            ArrayNode panels = (ArrayNode) shots.get(1).get("panels");
            panels.insert(0, panels.remove(1));
        });
        StructuredDiff.Diff d = diff(sample, swapped);

        assertThat(d.shots().changed()).containsExactly(
                new StructuredDiff.ShotChange(SHOT_20, "SHOT_0020", "0001_SCENE_001", List.of("panels")));
        assertThat(d.panels().moved()).hasSize(1);
        StructuredDiff.PanelMove move = d.panels().moved().get(0);
        assertThat(move.fromShot()).isEqualTo(SHOT_20);
        assertThat(move.toShot()).isEqualTo(SHOT_20);
        assertThat(List.of(move.fromIndex(), move.toIndex())).containsExactlyInAnyOrder(0, 1);
        assertThat(d.panels().added()).isEmpty();
        assertThat(d.panels().removed()).isEmpty();
        // The panels' own start times travelled with them: nothing about either panel changed.
        assertThat(d.panels().changed()).isEmpty();
    }

    @Test
    void aPanelMovedToAnotherShotChangesBothShots() {
        Map<String, byte[]> moved = edit(sample, SCENE_1, shots -> {
            ArrayNode from = (ArrayNode) shots.get(1).get("panels");
            ((ArrayNode) shots.get(2).get("panels")).add(from.remove(0));
        });
        StructuredDiff.Diff d = diff(sample, moved);

        assertThat(d.panels().moved()).containsExactly(
                new StructuredDiff.PanelMove(SHOT_20_PANEL_1, "PANEL_001", SHOT_20, 0, SHOT_30, 2));
        assertThat(fields(d, SHOT_20)).containsExactly("panels");
        assertThat(fields(d, SHOT_30)).containsExactly("panels");
        assertThat(fields(d, SHOT_10)).isNull();
    }

    @Test
    void aRedrawnPanelIsDrawingAndANewThumbnailIsThumbnail() {
        Map<String, byte[]> redrawn = edit(sample, SCENE_1, shots -> {
            ObjectNode point = (ObjectNode) panel(shots, 1, 0).get("layers").get(0).get("strokes").get(0)
                    .get("handles").get(0).get("point");
            point.put("x", 1.0);
        });
        StructuredDiff.Diff d = diff(sample, redrawn);
        assertThat(fields(d, SHOT_20)).containsExactly("drawing");
        assertThat(d.panels().changed()).containsExactly(new StructuredDiff.PanelChange(SHOT_20_PANEL_1, "PANEL_001",
                "0001_SCENE_001", SHOT_20, List.of("drawing")));

        // Only the thumbnail's bytes changed: the scene file is the same.
        Map<String, byte[]> repainted = new TreeMap<>(sample);
        repainted.put("thumbnails/panel_" + SHOT_20_PANEL_2 + ".png", "another picture".getBytes(StandardCharsets.UTF_8));
        StructuredDiff.Diff t = diff(sample, repainted);
        assertThat(t.files().modified()).containsExactly("thumbnails/panel_" + SHOT_20_PANEL_2 + ".png");
        assertThat(fields(t, SHOT_20)).containsExactly("thumbnail");
        assertThat(t.panels().changed()).extracting(StructuredDiff.PanelChange::uuid).containsExactly(SHOT_20_PANEL_2);
    }

    @Test
    void shotsAddedRemovedReorderedAndMovedBetweenScenes() {
        Map<String, byte[]> edited = edit(sample, SCENE_2, shots -> {
            shots.remove(2); // SHOT_0030 of scene 2 removed
            shots.remove(0); // SHOT_0010 of scene 2 moved to scene 1, below
        });
        edited = edit(edited, SCENE_1, shots -> {
            shots.add(shots.remove(0)); // SHOT_0010 now after SHOT_0020 and SHOT_0030
            ObjectNode added = shots.addObject().put("uuid", "new-shot").put("name", "SHOT_0040");
            added.putArray("panels").addObject().put("uuid", "new-panel").put("name", "PANEL_001");
            shots.add(sceneTwoFirstShot());
        });
        StructuredDiff.Diff d = diff(sample, edited);

        assertThat(d.shots().added()).containsExactly(new StructuredDiff.ShotRef("new-shot", "SHOT_0040", "0001_SCENE_001", 3));
        assertThat(d.shots().removed()).containsExactly(
                new StructuredDiff.ShotRef(SCENE_2_SHOT_30, "SHOT_0030", "0002_SCENE_002", 2));
        assertThat(d.shots().moved()).containsExactly(
                new StructuredDiff.ShotMove(SHOT_10, "SHOT_0010", "0001_SCENE_001", 0, "0001_SCENE_001", 2),
                new StructuredDiff.ShotMove(SCENE_2_SHOT_10, "SHOT_0010", "0002_SCENE_002", 0, "0001_SCENE_001", 4));
        assertThat(d.shots().changed()).isEmpty();
        assertThat(d.panels().added()).extracting(StructuredDiff.PanelRef::uuid).containsExactly("new-panel");
        assertThat(d.panels().removed()).extracting(StructuredDiff.PanelRef::shot).containsExactly(SCENE_2_SHOT_30, SCENE_2_SHOT_30);
        assertThat(d.panels().moved()).isEmpty();
        assertThat(d.scenes().changed()).containsExactly(
                new StructuredDiff.SceneChange("0001_SCENE_001", 1, "SCENE_001", List.of("shotsAdded", "shotsReordered")),
                new StructuredDiff.SceneChange("0002_SCENE_002", 2, "SCENE_002", List.of("shotsRemoved")));
    }

    @Test
    void scenesAddedAndRemovedByKey() {
        Map<String, byte[]> edited = new TreeMap<>(sample);
        edited.put("scenes/0003_SCENE_003.json", edited.remove(SCENE_2));
        StructuredDiff.Diff d = diff(sample, edited);

        assertThat(d.files().added()).containsExactly("scenes/0003_SCENE_003.json");
        assertThat(d.files().removed()).containsExactly(SCENE_2);
        assertThat(d.scenes().added()).containsExactly(new StructuredDiff.SceneRef("0003_SCENE_003", 3, "SCENE_003", 3));
        assertThat(d.scenes().removed()).containsExactly(new StructuredDiff.SceneRef("0002_SCENE_002", 2, "SCENE_002", 3));
        // Its shots kept their uuids: they moved to the new scene, unchanged.
        assertThat(d.shots().moved()).hasSize(3).allMatch(m -> m.toScene().equals("0003_SCENE_003"));
        assertThat(d.shots().added()).isEmpty();
        assertThat(d.shots().changed()).isEmpty();

        StructuredDiff.Diff fromNothing = StructuredDiff.between(StructuredDiff.Revision.EMPTY, revision(sample));
        assertThat(fromNothing.scenes().added()).hasSize(2);
        assertThat(fromNothing.shots().added()).hasSize(6);
        assertThat(fromNothing.panels().added()).hasSize(12);
        assertThat(fromNothing.files().added()).hasSize(sample.size());
    }

    // ---- the sample and its edited copies ----

    private static List<String> fields(StructuredDiff.Diff d, String shotUuid) {
        return d.shots().changed().stream().filter(c -> shotUuid.equals(c.uuid())).findFirst()
                .map(StructuredDiff.ShotChange::fields).orElse(null);
    }

    private static ObjectNode character(ArrayNode shots, int shot) {
        return (ObjectNode) shots.get(shot).get("characters").get(0);
    }

    private static ObjectNode panel(ArrayNode shots, int shot, int panel) {
        return (ObjectNode) shots.get(shot).get("panels").get(panel);
    }

    private ObjectNode sceneTwoFirstShot() {
        try {
            return (ObjectNode) Json.MAPPER.readTree(sample.get(SCENE_2)).get(0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Map<String, byte[]> sample() {
        try {
            Storyboard.Files folder = StoryboardTest.folder(StoryboardTest.SAMPLE);
            Map<String, byte[]> files = new TreeMap<>();
            for (String p : folder.paths()) files.put(p, folder.read(p));
            return files;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A copy of the files with one scene's shot array edited. */
    static Map<String, byte[]> edit(Map<String, byte[]> files, String scene, Consumer<ArrayNode> change) {
        try {
            ArrayNode shots = (ArrayNode) Json.MAPPER.readTree(files.get(scene));
            change.accept(shots);
            Map<String, byte[]> copy = new TreeMap<>(files);
            copy.put(scene, Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(shots));
            return copy;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static StructuredDiff.Revision revision(Map<String, byte[]> files) {
        List<Storyboard.Scene> scenes = new ArrayList<>();
        Map<String, String> manifest = new TreeMap<>();
        for (var e : files.entrySet()) {
            manifest.put(e.getKey(), sha256(e.getValue()));
            if (Storyboard.isScene(e.getKey())) {
                try {
                    scenes.add(Storyboard.parseScene(e.getKey(), e.getValue()));
                } catch (Storyboard.Invalid x) {
                    throw new AssertionError(e.getKey() + ": " + x.getMessage());
                }
            }
        }
        return new StructuredDiff.Revision(scenes, manifest);
    }

    private static StructuredDiff.Diff diff(Map<String, byte[]> from, Map<String, byte[]> to) {
        return StructuredDiff.between(revision(from), revision(to));
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
