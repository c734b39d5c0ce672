package storyboard.projects;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Map;
import org.junit.jupiter.api.Test;
import storyboard.support.TestServer;

/** A project leads to its prompt logs (by its name, and a scene's by its name) and to its assets. */
class ProjectLinksTest {
    private final TestServer server = TestServer.shared();

    @Test
    void theProjectAndItsScenesLinkToTheirPromptLogsAndAssets() throws Exception {
        String name = ProjectFixtures.uniqueName("Linked");
        Map<String, byte[]> files = ProjectFixtures.sample(name);
        String id = ProjectFixtures.imported(server, files);
        // The sample's own local logs, as the app sends them, with the project's name as projectId.
        for (String log : new String[] {"shots_2025-09-21_20-12-00_default_user_v1_remote.json",
                "shots_2025-09-21_20-13-01_default_user_v1_remote.json"}) {
            String body = Files.readString(ProjectFixtures.SAMPLE.resolve("logs").resolve(log), StandardCharsets.UTF_8);
            String withProject = body.replaceFirst("\\{", "{\"projectId\": \"" + name + "\",");
            assertThat(server.postJson("/api/v1/prompt-history", withProject).status()).isEqualTo(201);
        }

        JsonNode links = server.get("/api/v1/projects/" + id).json().get("links");
        assertThat(links.get("assets").asText()).isEqualTo("/api/v1/assets?project=" + name);
        JsonNode logs = server.get(links.get("promptLogs").asText()).json().get("items");
        assertThat(logs).hasSize(2);

        JsonNode scenes = server.get("/api/v1/projects/" + id + "/scenes").json().get("scenes");
        JsonNode first = server.get(scenes.get(0).get("promptLogs").asText()).json().get("items");
        JsonNode second = server.get(scenes.get(1).get("promptLogs").asText()).json().get("items");
        assertThat(first).hasSize(1);
        assertThat(first.get(0).get("context").get("sceneName").asText()).isEqualTo("SCENE_001");
        assertThat(second).hasSize(1);
        assertThat(second.get(0).get("context").get("sceneName").asText()).isEqualTo("SCENE_002");
    }
}
