package storyboard.assets;

import static org.assertj.core.api.Assertions.assertThat;
import static storyboard.assets.AssetFixtures.image;
import static storyboard.assets.AssetFixtures.upload;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import storyboard.support.TestServer;

/** What a version came from, and what was made from it, both ways, through several generations. */
class LineageTest {
    private final TestServer server = TestServer.shared();
    private final String project = "lineage-" + UUID.randomUUID();
    private static final String T = TestServer.TOKEN;

    private String create(String name, String kind, String parents) {
        String json = "{\"name\":\"" + name + "\",\"kind\":\"" + kind + "\",\"project\":\"" + project + "\""
                + (parents == null ? "" : ",\"parents\":" + parents) + ",\"model\":\"sdxl\",\"seed\":7}";
        return upload(server, T, json, name, "image/png", image("png", 8, 8)).json().get("id").asText();
    }

    private static String ref(String id, int version) {
        return "{\"asset_id\":\"" + id + "\",\"version\":" + version + "}";
    }

    private List<String> walk(String id, String direction, String query) {
        TestServer.Response r = server.call(T, "GET", "/api/v1/assets/" + id + "/" + direction + query, null);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        List<String> out = new ArrayList<>();
        for (JsonNode i : r.json().get("items")) {
            out.add(i.get("name").asText() + "@" + i.get("version").asInt() + ":" + i.get("depth").asInt());
        }
        return out;
    }

    @Test
    void lineageBothWays() {
        String lora = create("hero.safetensors", "lora", null);
        String ref = create("ref.png", "reference", null);
        // the LoRA gets a second version; images made from either
        String sha2 = AssetFixtures.putBlob(server, T, image("png", 9, 9));
        assertThat(server.call(T, "POST", "/api/v1/assets/" + lora + "/versions", "{\"sha256\":\"" + sha2 + "\"}").status())
                .isEqualTo(201);
        String a = create("a.png", "image", "[" + ref(lora, 1) + "," + ref(ref, 1) + "]");
        String b = create("b.png", "image", "[" + ref(lora, 2) + "]");
        String c = create("c.png", "image", "[" + ref(a, 1) + "," + ref(b, 1) + "]");
        String d = create("d.png", "image", "[" + ref(c, 1) + "," + ref(lora, 2) + "]");

        // what d came from: c at 1, the LoRA v2 at 1 (and again at 3 via b), a and b at 2, the rest at 3
        assertThat(walk(d, "lineage", "")).containsExactly("c.png@1:1", "hero.safetensors@2:1", "a.png@1:2", "b.png@1:2",
                "hero.safetensors@1:3", "ref.png@1:3");
        assertThat(walk(d, "lineage", "?depth=1")).containsExactly("c.png@1:1", "hero.safetensors@2:1");
        assertThat(walk(a, "lineage", "")).containsExactly("hero.safetensors@1:1", "ref.png@1:1");

        // what the LoRA made: every image from any version, or from one version
        assertThat(walk(lora, "used-by", "")).containsExactly("a.png@1:1", "b.png@1:1", "d.png@1:1", "c.png@1:2");
        assertThat(walk(lora, "used-by", "?version=1")).containsExactly("a.png@1:1", "c.png@1:2", "d.png@1:3");
        assertThat(walk(ref, "used-by", "")).containsExactly("a.png@1:1", "c.png@1:2", "d.png@1:3");
        assertThat(walk(d, "used-by", "")).isEmpty();

        // the asset shows its parents per version
        JsonNode got = server.call(T, "GET", "/api/v1/assets/" + c, null).json();
        assertThat(got.get("versions").get(0).get("parents")).hasSize(2);
        JsonNode body = server.call(T, "GET", "/api/v1/assets/" + lora + "/lineage", null).json();
        assertThat(body.get("versions").toString()).isEqualTo("[2]");
        assertThat(body.get("items")).isEmpty();

        // a deleted ancestor drops out of the walk, and comes back when restored
        assertThat(server.call(T, "DELETE", "/api/v1/assets/" + c, null).status()).isEqualTo(204);
        assertThat(walk(d, "lineage", "")).containsExactly("hero.safetensors@2:1");
        assertThat(walk(lora, "used-by", "")).containsExactly("a.png@1:1", "b.png@1:1", "d.png@1:1");
        assertThat(server.call(T, "POST", "/api/v1/assets/" + c + "/restore", null).status()).isEqualTo(200);
        assertThat(walk(d, "lineage", "")).hasSize(6);

        // a deleted version cannot become a parent
        assertThat(server.call(T, "DELETE", "/api/v1/assets/" + ref, null).status()).isEqualTo(204);
        TestServer.Response refused = AssetFixtures.postMultipart(server, T, "/api/v1/assets",
                AssetFixtures.multipart("{\"name\":\"e.png\",\"kind\":\"image\",\"parents\":[" + ref(ref, 1) + "]}",
                        "e.png", "image/png", image("png", 3, 3)));
        assertThat(refused.status()).isEqualTo(422);
        assertThat(refused.json().get("error").asText()).isEqualTo("unknown_parent");
    }

    @Test
    void aWalkStopsAtWhatTheCredentialCannotSee() {
        String lora = create("shared.safetensors", "lora", null);
        String a = create("one.png", "image", "[" + ref(lora, 1) + "]");
        String restricted = server.createToken("{\"name\":\"lineage viewer\",\"scopes\":[\"read\"],\"projects\":[\"elsewhere-"
                + UUID.randomUUID() + "\"]}");
        assertThat(server.call(restricted, "GET", "/api/v1/assets/" + a + "/lineage", null).status()).isEqualTo(404);
        String viewer = server.createToken("{\"name\":\"lineage viewer 2\",\"scopes\":[\"read\"],\"projects\":[\"" + project + "\"]}");
        TestServer.Response r = server.call(viewer, "GET", "/api/v1/assets/" + a + "/lineage", null);
        assertThat(r.json().get("items")).hasSize(1);
    }
}
