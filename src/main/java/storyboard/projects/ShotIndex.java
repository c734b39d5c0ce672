package storyboard.projects;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashSet;
import java.util.Set;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;
import storyboard.kernel.BlobStorage;
import storyboard.kernel.Json;

/**
 * The structured view's rows ({@code project_shot}): each scene file's shots, keyed by the file's SHA-256 and path,
 * written once whatever the number of revisions that hold the same bytes. Import and push write them in the
 * transaction that commits the revision; reading a revision whose scene has no rows (a scene with no shots, or a
 * revision committed before the view existed) parses the blob and writes them then.
 */
public final class ShotIndex {
    private static final String INSERT = """
            insert into project_shot (scene_sha256, scene_path, shot_index, scene_key, scene_number, scene_name,
                shot_uuid, name, description, type, start_time, end_time, camera, dialogue, characters, panel_count, panels)
            values (:sha256, :path, :index, :key, :number, :sceneName, :uuid, :name, :description, :type, :startTime,
                :endTime, cast(:camera as jsonb), :dialogue, :characters, :panelCount, cast(:panels as jsonb))
            on conflict do nothing""";

    private ShotIndex() {}

    /** Records the shots of one scene file (its blob's SHA-256), unless they are recorded already. */
    public static void insert(Handle h, String sceneSha256, Storyboard.Scene scene) {
        if (scene.shots().isEmpty()) return;
        PreparedBatch batch = h.prepareBatch(INSERT);
        for (Storyboard.Shot shot : scene.shots()) {
            Set<String> names = new LinkedHashSet<>();
            for (Storyboard.Character c : shot.characters()) {
                if (c.name() != null && !c.name().isBlank()) names.add(c.name());
            }
            batch.bind("sha256", sceneSha256).bind("path", scene.path()).bind("index", shot.index())
                    .bind("key", scene.key()).bind("number", scene.number()).bind("sceneName", scene.name())
                    .bind("uuid", shot.uuid()).bind("name", shot.name()).bind("description", shot.description())
                    .bind("type", shot.type()).bind("startTime", shot.startTime()).bind("endTime", shot.endTime())
                    .bind("camera", json(shot.source().get("camera"))).bind("dialogue", shot.dialogue())
                    .bindArray("characters", String.class, names.toArray(String[]::new))
                    .bind("panelCount", shot.panels().size()).bind("panels", json(panels(shot)))
                    .add();
        }
        batch.execute();
    }

    /** The panels as the rows keep them: what a list of shots shows of each, in order. */
    private static ArrayNode panels(Storyboard.Shot shot) {
        ArrayNode out = Json.MAPPER.createArrayNode();
        for (Storyboard.Panel p : shot.panels()) {
            ObjectNode o = out.addObject();
            o.put("uuid", p.uuid()).put("name", p.name()).put("thumbnail", p.thumbnail())
                    .put("startTime", p.startTime()).put("duration", p.duration()).put("description", p.description());
        }
        return out;
    }

    private static String json(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) return null;
        try {
            return Json.MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a parsed JSON value", e);
        }
    }

    /**
     * A stored scene file, parsed. It was validated when its revision was committed, so a file that no longer parses
     * means the store is damaged: an error, not a client's mistake.
     */
    static Storyboard.Scene read(BlobStorage blobs, String path, String sha256) {
        try (InputStream in = blobs.open(sha256, 0)) {
            return Storyboard.parseScene(path, in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException("the stored scene " + path + " (" + sha256 + ") cannot be read", e);
        } catch (Storyboard.Invalid e) {
            throw new IllegalStateException("the stored scene " + path + " (" + sha256 + ") does not parse: " + e.getMessage());
        }
    }
}
