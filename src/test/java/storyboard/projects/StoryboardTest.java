package storyboard.projects;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Reading the app's project files, on the contract's sample project. */
class StoryboardTest {
    static final Path SAMPLE = Path.of("src/test/resources/contract/b-line/project-sample");

    /** The files of a folder, by relative path. */
    static Storyboard.Files folder(Path root) throws IOException {
        Map<String, byte[]> files = new HashMap<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.filter(Files::isRegularFile).toList()) {
                files.put(root.relativize(p).toString().replace('\\', '/'), Files.readAllBytes(p));
            }
        }
        return memory(files);
    }

    static Storyboard.Files memory(Map<String, byte[]> files) {
        return new Storyboard.Files() {
            @Override
            public Collection<String> paths() {
                return files.keySet();
            }

            @Override
            public byte[] read(String path) {
                return files.get(path);
            }
        };
    }

    @Test
    void theSampleProjectIsReadWithCountsThatMatchItsFiles() throws IOException {
        Storyboard.Package pkg = Storyboard.read(folder(SAMPLE));

        assertThat(pkg.problems()).isEmpty();
        assertThat(pkg.project().name()).isEqualTo("KitchenArgument");
        assertThat(pkg.project().fps()).isEqualByComparingTo("24");
        // 2 scene files of 3 shots, 2 panels each, and 12 thumbnails (one per panel).
        assertThat(pkg.counts()).isEqualTo(new Storyboard.Counts(2, 6, 12,
                pkg.counts().layers(), pkg.counts().strokes(), 1));
        assertThat(pkg.counts().layers()).isGreaterThanOrEqualTo(12);
        assertThat(pkg.counts().strokes()).isPositive();
        Storyboard.Scene first = pkg.scenes().get(0);
        assertThat(first.key()).isEqualTo("0001_SCENE_001");
        assertThat(first.number()).isEqualTo(1);
        assertThat(first.name()).isEqualTo("SCENE_001");
        Storyboard.Shot shot = first.shots().get(0);
        assertThat(shot.name()).isEqualTo("SHOT_0010");
        assertThat(shot.dialogue()).isEqualTo("MARA: You said you'd call.");
        assertThat(shot.panels().get(0).thumbnail()).isEqualTo("thumbnails/panel_cd613e30-d8f1-4adf-91b7-584a2265b1f5.png");
        assertThat(shot.source().has("panels")).isFalse();
        // The drawing is kept only as a digest of the layers: distinct drawings, distinct digests.
        assertThat(shot.panels().get(0).source().has("layers")).isFalse();
        assertThat(shot.panels().get(0).drawingDigest()).matches("[0-9a-f]{64}")
                .isNotEqualTo(shot.panels().get(1).drawingDigest());
        assertThat(pkg.tracks().get(0).files()).containsExactly("assets/audio/line_001.wav");
        assertThat(pkg.warnings()).isEmpty();
    }

    @Test
    void aPanelsDrawingDigestChangesWithItsLayersOnly() throws Storyboard.Invalid {
        String layers = "[{\"name\":\"Layer 1\",\"strokes\":[{\"handles\":[{\"point\":{\"x\":1.5,\"y\":2}}]}]}]";
        Storyboard.Panel drawn = onlyPanel("{\"uuid\":\"p1\",\"name\":\"A\",\"layers\":" + layers + "}");
        Storyboard.Panel renamed = onlyPanel("{\"uuid\":\"p1\",\"name\":\"B\",\"layers\":" + layers + "}");
        Storyboard.Panel redrawn = onlyPanel("{\"uuid\":\"p1\",\"name\":\"A\",\"layers\":"
                + layers.replace("1.5", "1.25") + "}");

        assertThat(drawn.layers()).isEqualTo(1);
        assertThat(drawn.strokes()).isEqualTo(1);
        assertThat(renamed.drawingDigest()).isEqualTo(drawn.drawingDigest());
        assertThat(redrawn.drawingDigest()).isNotEqualTo(drawn.drawingDigest());
        assertThat(onlyPanel("{\"uuid\":\"p1\"}").drawingDigest()).isNull();
    }

    private static Storyboard.Panel onlyPanel(String panelJson) throws Storyboard.Invalid {
        return Storyboard.parseScene("scenes/0001_A.json", ("[{\"uuid\":\"s1\",\"panels\":[" + panelJson + "]}]")
                .getBytes(StandardCharsets.UTF_8)).shots().get(0).panels().get(0);
    }

    @Test
    void brokenFilesAreProblemsAndMissingThumbnailsWarnings() throws IOException {
        Map<String, byte[]> files = new HashMap<>();
        files.put("project.json", "{\"projectName\":\"\",\"fps\":\"24\"}".getBytes(StandardCharsets.UTF_8));
        files.put("scenes/0001_A.json", "{not json".getBytes(StandardCharsets.UTF_8));
        files.put("scenes/0002_B.json", "{\"name\":\"B\"}".getBytes(StandardCharsets.UTF_8));
        files.put("scenes/0003_C.json", ("[{\"uuid\":\"s1\",\"panels\":[{\"uuid\":\"p1\",\"thumbnail\":\"panel_p1.png\","
                + "\"image\":\"/Users/artist/x.png\"}]}]").getBytes(StandardCharsets.UTF_8));
        Storyboard.Package pkg = Storyboard.read(memory(files));

        assertThat(pkg.valid()).isFalse();
        assertThat(pkg.problems()).extracting(Storyboard.Problem::path)
                .containsExactly("project.json", "scenes/0001_A.json", "scenes/0002_B.json");
        assertThat(pkg.problems().get(0).message()).contains("projectName").contains("fps");
        assertThat(pkg.problems().get(1).message()).startsWith("not valid JSON");
        assertThat(pkg.warnings()).extracting(Storyboard.Problem::message).containsExactly(
                "shot s1, panel p1: its thumbnail thumbnails/panel_p1.png is not in the package",
                "shot s1, panel p1 image names an absolute path outside the package: /Users/artist/x.png");
        assertThatThrownBy(() -> Storyboard.parseProject("[]".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(Storyboard.Invalid.class);
    }
}
