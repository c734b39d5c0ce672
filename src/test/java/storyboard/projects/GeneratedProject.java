package storyboard.projects;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import javax.imageio.ImageIO;
import storyboard.kernel.Json;

/**
 * A B-Line project of any size, shaped like the contract's sample: {@code project.json}, N scene files of M shots
 * of P panels (each with two layers of strokes and a PNG thumbnail), and one dialogue track. The same arguments
 * give the same bytes (a seeded generator), so a benchmark can rebuild it.
 *
 * <p>{@code java ... storyboard.projects.GeneratedProject DIR NAME SCENES SHOTS PANELS} writes it into DIR.
 */
public final class GeneratedProject {
    private GeneratedProject() {}

    public static void main(String[] args) throws IOException {
        if (args.length != 5) {
            System.err.println("usage: GeneratedProject DIR NAME SCENES SHOTS PANELS");
            System.exit(2);
        }
        write(Path.of(args[0]), generate(args[1], Integer.parseInt(args[2]), Integer.parseInt(args[3]),
                Integer.parseInt(args[4])));
    }

    /** Writes the files under {@code dir} (created). */
    public static void write(Path dir, Map<String, byte[]> files) throws IOException {
        for (Map.Entry<String, byte[]> f : files.entrySet()) {
            Path p = dir.resolve(f.getKey());
            Files.createDirectories(p.getParent());
            Files.write(p, f.getValue());
        }
    }

    /** The project's files by relative path. */
    public static Map<String, byte[]> generate(String name, int scenes, int shots, int panels) {
        Random random = new Random((name + scenes + "x" + shots + "x" + panels).hashCode());
        Map<String, byte[]> files = new TreeMap<>();
        ObjectNode project = Json.MAPPER.createObjectNode();
        project.put("projectName", name).put("projectId", name).put("fps", 24).put("aspectRatio", "16:9")
                .put("created", "2025-09-06T01:08:57ZZ").put("scenesPath", "scenes").put("version", 1);
        files.put("project.json", json(project));
        for (int s = 1; s <= scenes; s++) {
            ArrayNode shotArray = Json.MAPPER.createArrayNode();
            for (int h = 1; h <= shots; h++) {
                ObjectNode shot = shotArray.addObject();
                shot.put("uuid", uuid(random).toString()).put("name", String.format("SHOT_%04d", h * 10))
                        .put("description", "Scene " + s + " shot " + h + ": " + WORDS[random.nextInt(WORDS.length)])
                        .put("type", "MEDIUM").put("startTime", (h - 1) * 2000L).put("endTime", h * 2000L);
                shot.putObject("camera").put("framing", "WIDE ANGLE").put("movement", "STATIC");
                ObjectNode who = shot.putArray("characters").addObject();
                who.put("name", h % 2 == 0 ? "MARA" : "JONAH").put("dialogue", "Line " + s + "." + h + ": "
                        + WORDS[random.nextInt(WORDS.length)]).put("emotion", "calm").put("onScreen", true);
                ArrayNode panelArray = shot.putArray("panels");
                for (int p = 1; p <= panels; p++) {
                    String panelUuid = uuid(random).toString();
                    ObjectNode panel = panelArray.addObject();
                    panel.put("uuid", panelUuid).put("name", String.format("PANEL_%03d", p))
                            .put("description", "Panel " + p).put("startTime", (p - 1) * 500L).put("durationTime", 500L)
                            .put("image", "").put("thumbnail", "panel_" + panelUuid + ".png");
                    ArrayNode layers = panel.putArray("layers");
                    for (int l = 1; l <= 2; l++) {
                        ObjectNode layer = layers.addObject();
                        layer.put("uuid", uuid(random).toString()).put("name", "Layer " + l).put("opacity", 1.0)
                                .put("visible", true);
                        ArrayNode strokes = layer.putArray("strokes");
                        for (int k = 0; k < 3; k++) {
                            ArrayNode handles = strokes.addObject().putArray("handles");
                            for (int q = 0; q < 4; q++) {
                                handles.addObject().putObject("point").put("x", random.nextDouble() * 1920)
                                        .put("y", random.nextDouble() * 1080).put("z", 0);
                            }
                        }
                    }
                    files.put("thumbnails/panel_" + panelUuid + ".png", thumbnail(random));
                }
            }
            files.put(String.format("scenes/%04d_SCENE_%03d.json", s, s), json(shotArray));
        }
        ObjectNode track = Json.MAPPER.createObjectNode();
        track.put("uuid", uuid(random).toString()).put("name", "dialogue").put("index", 1).put("type", "audio");
        track.putArray("segments").addObject().put("file", "assets/audio/line_001.wav").put("startTime", 0)
                .put("duration", 2000);
        files.put("audio/tracks/track_01_dialogue.json", json(track));
        byte[] wav = new byte[44 + 16000];
        random.nextBytes(wav);
        System.arraycopy("RIFF".getBytes(StandardCharsets.US_ASCII), 0, wav, 0, 4);
        files.put("assets/audio/line_001.wav", wav);
        return files;
    }

    private static final String[] WORDS = {"the kettle whistles", "rain on the window", "she turns away",
            "a door slams upstairs", "he reaches for the keys", "silence", "the phone buzzes twice"};

    private static UUID uuid(Random random) {
        return new UUID(random.nextLong(), random.nextLong());
    }

    private static byte[] json(Object node) {
        try {
            return Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A small PNG with a few random strokes (each different). */
    private static byte[] thumbnail(Random random) {
        BufferedImage img = new BufferedImage(160, 90, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, 160, 90);
        g.setColor(new Color(random.nextInt(0xFFFFFF)));
        for (int i = 0; i < 6; i++) {
            g.drawLine(random.nextInt(160), random.nextInt(90), random.nextInt(160), random.nextInt(90));
        }
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(img, "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
