package storyboard.promptlog;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import storyboard.kernel.Json;
import storyboard.support.Contract;
import storyboard.support.TestServer;

/** What the B-Line app really sends is stored byte for byte and read back field by field. */
class IngestContractTest {
    private final TestServer server = TestServer.shared();

    @Test
    void everyContractPayloadIsStoredAndReadBackFieldByField() throws Exception {
        for (Path file : Contract.promptLogs()) {
            byte[] body = Contract.bytes(file);
            TestServer.Response created = server.postJson("/api/v1/prompt-history", body);
            assertThat(created.status()).as(file.getFileName() + ": " + created).isEqualTo(201);
            assertThat(created.json().get("status").asText()).isEqualTo("success");
            String id = created.json().get("id").asText();
            assertThat(UUID.fromString(id)).isNotNull();

            TestServer.Response read = server.get("/api/v1/prompt-history/" + id);
            assertThat(read.status()).isEqualTo(200);
            JsonNode stored = read.json();
            JsonNode sent = Json.MAPPER.readTree(body);
            for (Iterator<Map.Entry<String, JsonNode>> it = sent.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                assertThat(stored.get(field.getKey())).as(file.getFileName() + " field " + field.getKey())
                        .isEqualTo(field.getValue());
            }
            assertThat(stored.has("extra")).as("no unknown fields in " + file.getFileName()).isFalse();
            assertThat(stored.get("id").asText()).isEqualTo(id);
            assertThat(stored.get("received_at").asText()).isNotEmpty();
            assertThat(stored.get("body_sha256").asText()).isEqualTo(HexFormat.of().formatHex(
                    java.security.MessageDigest.getInstance("SHA-256").digest(body)));
        }
    }

    @Test
    void contractNumbersKeepTheirForm() {
        // cost 0 is written as the integer 0 by the app; it must come back the same, not 0.0
        byte[] body = Contract.bytes(Contract.promptLogs().stream()
                .filter(p -> p.getFileName().toString().equals("v3_shots.json")).findFirst().orElseThrow());
        String id = server.postJson("/api/v1/prompt-history", body).json().get("id").asText();
        String raw = server.get("/api/v1/prompt-history/" + id).body();
        assertThat(raw).contains("\"cost\":0,").contains("\"tokens\":0,").contains("\"timestamp\":\"2025-09-21T20:12:03Z\"");
    }

    @Test
    void theSeedsCurlExampleWorks() {
        String body = """
                {"type": "shots", "prompt": "Break the scene into shots", "response": "[{\\"name\\": \\"SHOT_0010\\"}]",
                 "tokens": 100, "cost": 0.002, "context": {"sceneId": "scene-1", "sceneName": "SCENE_001"}}""";
        TestServer.Response r = server.postJson("/api/v1/prompt-history", body);
        assertThat(r.status()).isEqualTo(201);
        assertThat(r.json().fieldNames()).toIterable().containsExactly("status", "id");
        JsonNode stored = server.get("/api/v1/prompt-history/" + r.json().get("id").asText()).json();
        assertThat(stored.get("tokens").asLong()).isEqualTo(100);
        assertThat(stored.get("cost").decimalValue()).isEqualByComparingTo("0.002");
        assertThat(stored.get("context").get("sceneName").asText()).isEqualTo("SCENE_001");
    }

    @Test
    void newerBuildFieldsAndUnknownFieldsAreKeptVerbatim() throws Exception {
        String project = "proj-" + UUID.randomUUID();
        String body = """
                {"category": "Text", "type": "shots", "timestamp": "2025-09-21T20:12:03Z", "user": "mara",
                 "version": "1.1", "llm": "gpt-4o", "prompt": "p", "response": "r", "tokens": 12, "cost": 0.5,
                 "userId": "u-17", "projectId": "%s", "sessionId": "s-9",
                 "correlationId": "{3fe960dd-0c7a-4d5e-9d3b-1f1f5e3a9b21}", "environment": "production",
                 "errorDetails": {"code": 429, "retryable": true}, "inputSize": 2048, "outputSize": 512,
                 "latencyBreakdown": {"queue_ms": 3, "model_ms": 812}, "modelParams": {"temperature": 0.2, "top_p": 1.0},
                 "gpuName": "RTX 4090", "retries": [1, 2], "nested": {"deep": {"x": null}},
                 "inputSize2": 1.50}""".formatted(project);
        TestServer.Response r = server.postJson("/api/v1/prompt-history", body);
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        JsonNode stored = server.get("/api/v1/prompt-history/" + r.json().get("id").asText()).json();
        JsonNode sent = Json.MAPPER.readTree(body);
        for (String known : new String[] {"userId", "projectId", "sessionId", "correlationId", "environment",
                "errorDetails", "inputSize", "outputSize", "latencyBreakdown", "modelParams", "cost"}) {
            assertThat(stored.get(known)).as(known).isEqualTo(sent.get(known));
        }
        assertThat(stored.get("correlationId").asText()).hasSize(38).startsWith("{");
        ObjectNode expectedExtra = Json.MAPPER.createObjectNode();
        expectedExtra.set("gpuName", sent.get("gpuName"));
        expectedExtra.set("retries", sent.get("retries"));
        expectedExtra.set("nested", sent.get("nested"));
        expectedExtra.set("inputSize2", sent.get("inputSize2"));
        assertThat(stored.get("extra")).isEqualTo(expectedExtra);

        Integer rows = server.jdbi().withHandle(h -> h.createQuery(
                "select count(*) from prompt_log where project = :p and project_id = :p and correlation_id like '{%}'")
                .bind("p", project).mapTo(Integer.class).one());
        assertThat(rows).isEqualTo(1);
    }

    @Test
    void knownFieldsOfAnotherTypeAndNullsAreKeptInExtra() {
        String body = """
                {"type": "console", "user": 42, "version": 1.0, "response": {"text": "hi"}, "prompt": null,
                 "modelParams": "fast", "inputSize": "big", "id": "not-a-uuid"}""";
        TestServer.Response r = server.postJson("/api/v1/prompt-history", body);
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        JsonNode stored = server.get("/api/v1/prompt-history/" + r.json().get("id").asText()).json();
        JsonNode extra = stored.get("extra");
        assertThat(extra.get("user").asInt()).isEqualTo(42);
        assertThat(extra.get("version").decimalValue()).isEqualByComparingTo("1.0");
        assertThat(extra.get("response").get("text").asText()).isEqualTo("hi");
        assertThat(extra.get("prompt").isNull()).isTrue();
        assertThat(extra.get("modelParams").asText()).isEqualTo("fast");
        assertThat(extra.get("inputSize").asText()).isEqualTo("big");
        assertThat(extra.get("id").asText()).isEqualTo("not-a-uuid");
        assertThat(stored.has("user")).isFalse();
    }

    @Test
    void aBodyWithoutContentTypeIsAcceptedWhenItIsJson() {
        TestServer.Response r = server.send(server.request("/api/v1/prompt-history")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"type\":\"console\",\"prompt\":\"x\"}")).build());
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
    }
}
