package storyboard.projects;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.UUID;

/** What the structured view answers: scenes, shots, panels, a diff between revisions and shot search hits. */
final class SceneViews {
    private SceneViews() {}

    record ProjectRef(UUID id, String name) {}

    record SceneRef(String key, int number, String name, String path) {}

    /** A scene of a revision: how many shots and panels, and the time it spans (ms). */
    record SceneSummary(String key, int number, String name, String path, String sha256, int shots, int panels,
                        long startTime, long endTime) {}

    record SceneList(ProjectRef project, int revision, List<SceneSummary> scenes) {}

    /** A panel in a list of shots; {@code thumbnailUrl} is null when the revision lacks the thumbnail's file. */
    record PanelView(String uuid, int index, String name, String description, long startTime, long duration,
                     String thumbnail, String thumbnailUrl) {}

    record ShotView(String uuid, int index, String name, String description, String type, long startTime,
                    long endTime, long duration, JsonNode camera, List<String> characters, String dialogue,
                    List<PanelView> panels) {}

    record ShotList(ProjectRef project, int revision, SceneRef scene, List<ShotView> shots) {}

    /** A character in a shot: what they say, how, and whether they are seen. */
    record CastMember(String name, String dialogue, String emotion, boolean onScreen) {}

    record PanelDetail(String uuid, int index, String name, String description, long startTime, long duration,
                       String thumbnail, String thumbnailUrl, int layers, int strokes) {}

    /** One shot in full: {@code source} is the app's JSON of the shot without its panels. */
    record ShotDetail(ProjectRef project, int revision, SceneRef scene, String uuid, int index, String name,
                      String description, String type, long startTime, long endTime, long duration, JsonNode camera,
                      List<String> characters, List<CastMember> cast, String dialogue, List<PanelDetail> panels,
                      JsonNode source) {}

    /** The structured diff from one revision ({@code from}: null for nothing) to another. */
    record DiffAnswer(ProjectRef project, Integer from, int to, StructuredDiff.Files files,
                      StructuredDiff.Scenes scenes, StructuredDiff.Shots shots, StructuredDiff.Panels panels) {}

    /**
     * A shot found by search in a project's latest revision; {@code snippet} is its dialogue around the words found,
     * each marked {@code **like this**} (null without a query).
     */
    record ShotHit(ProjectRef project, int revision, SceneRef scene, String uuid, int index, String name,
                   String description, String dialogue, String snippet) {}
}
