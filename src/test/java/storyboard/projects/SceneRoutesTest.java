package storyboard.projects;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import storyboard.support.TestServer;

/** The structured view over HTTP: scenes, shots, one shot, the diff and the search, on the contract's sample. */
class SceneRoutesTest {
    private final TestServer server = TestServer.shared();

    @Test
    void scenesShotsAndPanelsOfAnImportedZipMatchTheFilesContent() throws IOException {
        Map<String, byte[]> sample = ProjectFixtures.sample(unique("view"));
        String id = ProjectFixtures.imported(server, sample);
        Storyboard.Package pkg = Storyboard.read(StoryboardTest.memory(sample));
        // The import recorded the shots of every scene file in its own transaction.
        for (Storyboard.Scene scene : pkg.scenes()) {
            assertThat(indexedShots(sample.get(scene.path()), scene.path())).isEqualTo(scene.shots().size());
        }

        JsonNode scenes = ok("/api/v1/projects/" + id + "/scenes");
        assertThat(scenes.get("revision").asInt()).isEqualTo(1);
        assertThat(scenes.get("scenes")).hasSize(pkg.scenes().size());
        int shots = 0, panels = 0;
        for (int i = 0; i < pkg.scenes().size(); i++) {
            Storyboard.Scene expected = pkg.scenes().get(i);
            JsonNode scene = scenes.get("scenes").get(i);
            assertThat(scene.get("key").asText()).isEqualTo(expected.key());
            assertThat(scene.get("number").asInt()).isEqualTo(expected.number());
            assertThat(scene.get("shots").asInt()).isEqualTo(expected.shots().size());
            assertThat(scene.get("panels").asInt())
                    .isEqualTo(expected.shots().stream().mapToInt(s -> s.panels().size()).sum());

            JsonNode list = ok("/api/v1/projects/" + id + "/scenes/" + expected.key() + "/shots");
            assertThat(list.at("/scene/name").asText()).isEqualTo(expected.name());
            assertThat(list.get("shots")).hasSize(expected.shots().size());
            for (int j = 0; j < expected.shots().size(); j++) {
                Storyboard.Shot e = expected.shots().get(j);
                JsonNode shot = list.get("shots").get(j);
                assertThat(shot.get("uuid").asText()).isEqualTo(e.uuid());
                assertThat(shot.get("index").asInt()).isEqualTo(j);
                assertThat(shot.get("name").asText()).isEqualTo(e.name());
                assertThat(shot.get("startTime").asLong()).isEqualTo(e.startTime());
                assertThat(shot.get("endTime").asLong()).isEqualTo(e.endTime());
                assertThat(shot.get("dialogue").asText()).isEqualTo(e.dialogue());
                assertThat(shot.at("/camera/framing").asText()).isEqualTo("WIDE ANGLE");
                assertThat(shot.get("characters")).extracting(JsonNode::asText).containsExactly("MARA");
                assertThat(shot.get("panels")).hasSize(e.panels().size());
                for (int k = 0; k < e.panels().size(); k++) {
                    JsonNode panel = shot.get("panels").get(k);
                    assertThat(panel.get("uuid").asText()).isEqualTo(e.panels().get(k).uuid());
                    assertThat(panel.get("thumbnail").asText()).isEqualTo(e.panels().get(k).thumbnail());
                    assertThat(panel.get("thumbnailUrl").asText()).isEqualTo("/api/v1/projects/" + id + "/files/"
                            + e.panels().get(k).thumbnail() + "?revision=1");
                    TestServer.Response thumbnail = server.get(panel.get("thumbnailUrl").asText());
                    assertThat(thumbnail.status()).isEqualTo(200);
                    assertThat(thumbnail.bytes()).isEqualTo(sample.get(e.panels().get(k).thumbnail()));
                }
                shots++;
                panels += e.panels().size();
            }
        }
        assertThat(shots).isEqualTo(pkg.counts().shots());
        assertThat(panels).isEqualTo(pkg.counts().panels());
    }

    @Test
    void oneShotInFull() {
        String id = ProjectFixtures.imported(server, ProjectFixtures.sample(unique("shot")));

        JsonNode shot = ok("/api/v1/projects/" + id + "/shots/" + StructuredDiffTest.SHOT_20 + "?revision=1");
        assertThat(shot.get("name").asText()).isEqualTo("SHOT_0020");
        assertThat(shot.at("/scene/key").asText()).isEqualTo("0001_SCENE_001");
        assertThat(shot.get("duration").asLong()).isEqualTo(2000);
        assertThat(shot.at("/cast/0/name").asText()).isEqualTo("MARA");
        assertThat(shot.at("/cast/0/emotion").asText()).isEqualTo("angry");
        assertThat(shot.at("/source/timeOfDay").asText()).isEqualTo("DAWN");
        assertThat(shot.at("/source/panels").isMissingNode()).isTrue();
        assertThat(shot.get("panels")).hasSize(2);
        assertThat(shot.at("/panels/0/uuid").asText()).isEqualTo(StructuredDiffTest.SHOT_20_PANEL_1);
        assertThat(shot.at("/panels/0/layers").asInt()).isPositive();
        assertThat(shot.at("/panels/0/strokes").asInt()).isPositive();
    }

    @Test
    void theDiffOfAPushedDialogueNamesThatShot() {
        Map<String, byte[]> sample = ProjectFixtures.sample(unique("diff"));
        String id = ProjectFixtures.imported(server, sample);
        Map<String, byte[]> edited = StructuredDiffTest.edit(sample, StructuredDiffTest.SCENE_1,
                shots -> ((ObjectNode) shots.get(1).get("characters").get(0)).put("dialogue", "Where were you?"));
        TestServer.Response pushed = ProjectFixtures.push(server, id, 1, edited, "MARA asks");
        assertThat(pushed.status()).as(pushed.body()).isEqualTo(201);
        assertThat(indexedShots(edited.get(StructuredDiffTest.SCENE_1), StructuredDiffTest.SCENE_1)).isEqualTo(3);

        JsonNode d = ok("/api/v1/projects/" + id + "/diff");
        assertThat(d.get("from").asInt()).isEqualTo(1);
        assertThat(d.get("to").asInt()).isEqualTo(2);
        assertThat(d.at("/files/modified")).extracting(JsonNode::asText).containsExactly(StructuredDiffTest.SCENE_1);
        assertThat(d.at("/shots/changed")).hasSize(1);
        assertThat(d.at("/shots/changed/0/uuid").asText()).isEqualTo(StructuredDiffTest.SHOT_20);
        assertThat(d.at("/shots/changed/0/fields")).extracting(JsonNode::asText).containsExactly("dialogue");

        JsonNode back = ok("/api/v1/projects/" + id + "/diff?from=2&to=1");
        assertThat(back.at("/shots/changed/0/fields")).extracting(JsonNode::asText).containsExactly("dialogue");
        JsonNode first = ok("/api/v1/projects/" + id + "/diff?to=1");
        assertThat(first.get("from").isNull()).isTrue();
        assertThat(first.at("/shots/added")).hasSize(6);
        assertThat(ok("/api/v1/projects/" + id + "/diff?from=2&to=2").at("/files/modified")).isEmpty();

        // The older revision still reads as it was.
        assertThat(ok("/api/v1/projects/" + id + "/shots/" + StructuredDiffTest.SHOT_20 + "?revision=1")
                .get("dialogue").asText()).isEqualTo("MARA: You said you'd call.");
        assertThat(ok("/api/v1/projects/" + id + "/shots/" + StructuredDiffTest.SHOT_20)
                .get("dialogue").asText()).isEqualTo("MARA: Where were you?");
    }

    @Test
    void searchFindsALineOfDialogueAcrossTheProjectsACredentialSees() {
        String word = "kettle" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        String a = unique("search-a");
        String b = unique("search-b");
        String gone = unique("search-gone");
        String idA = ProjectFixtures.imported(server, spoken(a, word));
        String idB = ProjectFixtures.imported(server, ProjectFixtures.sample(b));
        assertThat(ProjectFixtures.push(server, idB, 1, spoken(b, word), "the kettle").status()).isEqualTo(201);
        String idGone = ProjectFixtures.imported(server, spoken(gone, word));
        assertThat(server.delete("/api/v1/projects/" + idGone).status()).isEqualTo(204);
        // Said only in an older revision: not found.
        String old = unique("search-old");
        String idOld = ProjectFixtures.imported(server, spoken(old, word));
        assertThat(ProjectFixtures.push(server, idOld, 1, ProjectFixtures.sample(old), "no kettle").status()).isEqualTo(201);

        JsonNode found = ok("/api/v1/shots?q=" + word);
        assertThat(found.get("items")).extracting(h -> h.at("/project/id").asText()).containsExactlyInAnyOrder(idA, idB);
        JsonNode hit = found.get("items").get(0);
        assertThat(hit.get("uuid").asText()).isEqualTo("e927db48-6f62-463a-9a53-56b5d85328b6");
        assertThat(hit.get("name").asText()).isEqualTo("SHOT_0030");
        assertThat(hit.at("/scene/key").asText()).isEqualTo("0002_SCENE_002");
        assertThat(hit.get("dialogue").asText()).isEqualTo("MARA: The " + word + " is still warm.");
        assertThat(hit.get("snippet").asText()).isEqualTo("MARA: The **" + word + "** is still warm.");
        assertThat(ok("/api/v1/shots?q=" + enc("\"still warm\" " + word) + "&project=" + enc(b)).get("items"))
                .extracting(h -> h.at("/project/name").asText()).containsExactly(b);
        assertThat(ok("/api/v1/shots?q=" + enc(word + " -warm")).get("items")).isEmpty();

        String onlyA = server.createToken("{\"name\":\"shots of a\",\"scopes\":[\"read\"],\"projects\":[\"" + a + "\"]}");
        TestServer.Response restricted = server.call(onlyA, "GET", "/api/v1/shots?q=" + word, null);
        assertThat(restricted.status()).isEqualTo(200);
        assertThat(restricted.json().get("items")).extracting(h -> h.at("/project/name").asText()).containsExactly(a);
        assertThat(server.call(onlyA, "GET", "/api/v1/shots?q=" + word + "&project=" + enc(b), null).status()).isEqualTo(404);
        assertThat(server.call(onlyA, "GET", "/api/v1/projects/" + idB + "/scenes", null).json().get("error").asText())
                .isEqualTo("not_found");
        assertThat(server.get("/api/v1/projects/" + idGone + "/scenes").status()).isEqualTo(404);
    }

    @Test
    void aSceneWithoutRowsIsReadFromItsFileAndRecordedAndAnEmptySceneListsNoShots() {
        String word = "ladle" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        Map<String, byte[]> files = spoken(unique("unindexed"), word);
        files.put("scenes/0003_EMPTY.json", "[]".getBytes(StandardCharsets.UTF_8));
        String id = ProjectFixtures.imported(server, files);
        byte[] scene = files.get(StructuredDiffTest.SCENE_2);
        // As a revision committed before the structured view existed would be.
        server.jdbi().useHandle(h -> h.createUpdate("delete from project_shot where scene_sha256 = :sha")
                .bind("sha", ProjectFixtures.sha256(scene)).execute());
        assertThat(ok("/api/v1/shots?q=" + word).get("items")).isEmpty();

        JsonNode shot = ok("/api/v1/projects/" + id + "/shots/e927db48-6f62-463a-9a53-56b5d85328b6");
        assertThat(shot.get("dialogue").asText()).isEqualTo("MARA: The " + word + " is still warm.");
        assertThat(indexedShots(scene, StructuredDiffTest.SCENE_2)).isEqualTo(3);
        assertThat(ok("/api/v1/shots?q=" + word).get("items")).hasSize(1);

        JsonNode scenes = ok("/api/v1/projects/" + id + "/scenes").get("scenes");
        assertThat(scenes).extracting(n -> n.get("key").asText() + ":" + n.get("shots").asInt())
                .containsExactly("0001_SCENE_001:3", "0002_SCENE_002:3", "0003_EMPTY:0");
        JsonNode empty = ok("/api/v1/projects/" + id + "/scenes/0003_EMPTY/shots");
        assertThat(empty.at("/scene/name").asText()).isEqualTo("EMPTY");
        assertThat(empty.get("shots")).isEmpty();
    }

    @Test
    void aThumbnailsLinkEncodesItsPath() {
        Map<String, byte[]> files = StructuredDiffTest.edit(ProjectFixtures.sample(unique("encoded")),
                StructuredDiffTest.SCENE_1, shots -> ((ObjectNode) shots.get(0).get("panels").get(0))
                        .put("thumbnail", "panel #1 (rough).png"));
        byte[] picture = "a rough panel".getBytes(StandardCharsets.UTF_8);
        files.put("thumbnails/panel #1 (rough).png", picture);
        String id = ProjectFixtures.imported(server, files);

        JsonNode panel = ok("/api/v1/projects/" + id + "/scenes/0001_SCENE_001/shots").at("/shots/0/panels/0");
        assertThat(panel.get("thumbnail").asText()).isEqualTo("thumbnails/panel #1 (rough).png");
        assertThat(panel.get("thumbnailUrl").asText()).isEqualTo("/api/v1/projects/" + id
                + "/files/thumbnails/panel%20%231%20%28rough%29.png?revision=1");
        TestServer.Response r = server.get(panel.get("thumbnailUrl").asText());
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.bytes()).isEqualTo(picture);
    }

    @Test
    void searchPagesWithTheCursor() {
        String name = unique("pages");
        ProjectFixtures.imported(server, ProjectFixtures.sample(name));
        List<String> seen = new ArrayList<>();
        String cursor = null;
        do {
            JsonNode page = ok("/api/v1/shots?project=" + enc(name) + "&limit=4" + (cursor == null ? "" : "&cursor=" + cursor));
            assertThat(page.get("items").size()).isLessThanOrEqualTo(4);
            page.get("items").forEach(h -> seen.add(h.at("/scene/key").asText() + "/" + h.get("index").asInt()));
            cursor = page.get("next_cursor").isNull() ? null : page.get("next_cursor").asText();
        } while (cursor != null);
        assertThat(seen).containsExactly("0001_SCENE_001/0", "0001_SCENE_001/1", "0001_SCENE_001/2",
                "0002_SCENE_002/0", "0002_SCENE_002/1", "0002_SCENE_002/2");
    }

    @Test
    void unknownProjectsRevisionsScenesAndShotsAreNotFoundAndBadParametersRefused() {
        String id = ProjectFixtures.imported(server, ProjectFixtures.sample(unique("errors")));
        String p = "/api/v1/projects/" + id;

        assertError(server.get("/api/v1/projects/" + UUID.randomUUID() + "/scenes"), 404, "not_found");
        assertError(server.get(p + "/scenes?revision=2"), 404, "not_found");
        assertError(server.get(p + "/scenes/0009_NOPE/shots"), 404, "not_found");
        assertError(server.get(p + "/scenes/..%2Fproject/shots"), 404, "not_found");
        assertError(server.get(p + "/shots/" + UUID.randomUUID()), 404, "not_found");
        assertError(server.get(p + "/diff?from=7"), 404, "not_found");
        assertError(server.get("/api/v1/projects/not-a-uuid/scenes"), 400, "invalid_parameter");
        assertError(server.get(p + "/scenes?revision=0"), 400, "invalid_parameter");
        assertError(server.get(p + "/scenes?revision=one"), 400, "invalid_parameter");
        assertError(server.get(p + "/scenes?page=2"), 400, "unknown_parameter");
        assertError(server.get(p + "/diff?from=1&from=2"), 400, "invalid_parameter");
        assertError(server.get("/api/v1/shots?cursor=bm9wZQ"), 400, "invalid_parameter");
        assertError(server.get("/api/v1/shots?q=" + "x".repeat(201)), 400, "invalid_parameter");
        assertError(server.get("/api/v1/shots?limit=0"), 400, "invalid_parameter");
        assertThat(ok("/api/v1/shots?q=" + enc("!!! ???")).get("items")).isEmpty();
    }

    /** The sample under this name, with a line of dialogue holding {@code word} in scene 2's third shot. */
    private static Map<String, byte[]> spoken(String name, String word) {
        return StructuredDiffTest.edit(ProjectFixtures.sample(name), StructuredDiffTest.SCENE_2,
                shots -> ((ObjectNode) shots.get(2).get("characters").get(0)).put("dialogue", "The " + word + " is still warm."));
    }

    /** The project_shot rows of a scene file's bytes at its path. */
    private long indexedShots(byte[] scene, String path) {
        return server.jdbi().withHandle(h -> h.createQuery("select count(*) from project_shot"
                        + " where scene_sha256 = :sha and scene_path = :path")
                .bind("sha", ProjectFixtures.sha256(scene)).bind("path", path).mapTo(Long.class).one());
    }

    private JsonNode ok(String path) {
        TestServer.Response r = server.get(path);
        assertThat(r.status()).as(path + ": " + r.body()).isEqualTo(200);
        return r.json();
    }

    private static void assertError(TestServer.Response r, int status, String error) {
        assertThat(r.status()).as(r.body()).isEqualTo(status);
        assertThat(r.json().get("error").asText()).isEqualTo(error);
    }

    private static String unique(String prefix) {
        return ProjectFixtures.uniqueName(prefix);
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
