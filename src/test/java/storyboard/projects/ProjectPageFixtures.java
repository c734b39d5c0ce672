package storyboard.projects;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import storyboard.kernel.Json;
import storyboard.support.TestServer;

/**
 * What the project page tests put on the server, through the API as the app and the command line do: the contract's
 * sample (renamed per test) imported as a zip, and changes to it pushed as deltas, each by a named person's token.
 */
final class ProjectPageFixtures {
    /** The thumbnail {@link #changed} leaves out: SCENE_002's last panel's. */
    static final String REMOVED_THUMBNAIL = "thumbnails/panel_ecd1345e-88c7-40f6-907f-96694ba955f3.png";

    private ProjectPageFixtures() {}

    /** A token that may import and push, named after the person its revisions show as their author. */
    static String writer(TestServer server, String person) {
        return server.createToken("{\"name\":\"" + person + "\",\"scopes\":[\"read\",\"write\"]}");
    }

    /**
     * The files with the first shot of {@code scene} changed (its camera framing and its first character's line),
     * a file added ({@code references/mood.txt}) and one panel's thumbnail removed ({@link #REMOVED_THUMBNAIL}).
     */
    static Map<String, byte[]> changed(Map<String, byte[]> files, String scene, String framing, String dialogue) {
        Map<String, byte[]> out = new TreeMap<>(files);
        try {
            ArrayNode shots = (ArrayNode) Json.MAPPER.readTree(files.get(scene));
            ObjectNode shot = (ObjectNode) shots.get(0);
            ((ObjectNode) shot.get("camera")).put("framing", framing);
            ((ObjectNode) shot.get("characters").get(0)).put("dialogue", dialogue);
            out.put(scene, Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(shots));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        out.put("references/mood.txt", "warm kitchen light\n".getBytes(StandardCharsets.UTF_8));
        out.remove(REMOVED_THUMBNAIL);
        return out;
    }

    /** Imports the files (a zip of the folder, as the API takes it) with the token; answers the project's id. */
    static UUID create(TestServer server, String token, Map<String, byte[]> files, String message) {
        TestServer.Response r = ProjectFixtures.importZip(server, token, ProjectFixtures.zip(files, "folder"),
                "message=" + URLEncoder.encode(message, StandardCharsets.UTF_8));
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return UUID.fromString(r.json().get("id").asText());
    }

    /** Pushes the files as the next revision (missing → blobs → commit) with the token; answers its number. */
    static int push(TestServer server, String token, UUID id, Map<String, byte[]> files, String message) {
        String project = "/api/v1/projects/" + id;
        int base = server.call(token, "GET", project, null).json().get("headRevision").asInt();
        ObjectNode body = Json.MAPPER.createObjectNode().put("baseRevision", base);
        try {
            body.set("files", Json.MAPPER.readTree(ProjectFixtures.manifest(files)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        TestServer.Response missing = server.call(token, "POST", project + "/missing", body.toString());
        body.put("message", message);
        assertThat(missing.status()).as(missing.body()).isEqualTo(200);
        Map<String, byte[]> bySha = new TreeMap<>();
        files.values().forEach(b -> bySha.put(ProjectFixtures.sha256(b), b));
        for (JsonNode m : missing.json().get("missing")) {
            TestServer.Response put = ProjectFixtures.putBlob(server, token, id.toString(), bySha.get(m.get("sha256").asText()));
            assertThat(put.status()).as(put.body()).isIn(200, 201);
        }
        TestServer.Response commit = server.call(token, "POST", project + "/revisions", body.toString());
        assertThat(commit.status()).as(commit.body()).isEqualTo(201);
        return commit.json().get("revision").asInt();
    }
}
