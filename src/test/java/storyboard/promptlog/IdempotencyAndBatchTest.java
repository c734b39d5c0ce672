package storyboard.promptlog;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.http.HttpRequest;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import storyboard.kernel.Json;
import storyboard.support.Contract;
import storyboard.support.TestServer;

class IdempotencyAndBatchTest {
    private final TestServer server = TestServer.shared();

    @Test
    void anIdempotencyKeyRepeatReturnsTheFirstIdWithoutASecondRow() {
        String user = "idem-" + UUID.randomUUID();
        String key = UUID.randomUUID().toString();
        String body = "{\"type\":\"shots\",\"user\":\"" + user + "\"}";
        TestServer.Response first = postWithKey(body, key);
        TestServer.Response again = postWithKey(body, key);
        assertThat(first.status()).isEqualTo(201);
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.json().get("id")).isEqualTo(first.json().get("id"));
        assertThat(again.json().get("existing").asBoolean()).isTrue();
        assertThat(rowsOf(user)).isEqualTo(1);
        // another key is another log
        assertThat(postWithKey(body, key + "-2").status()).isEqualTo(201);
        assertThat(rowsOf(user)).isEqualTo(2);
    }

    @Test
    void aClientIdInTheBodyMakesARepeatReturnTheFirstId() {
        String user = "clientid-" + UUID.randomUUID();
        UUID id = UUID.randomUUID();
        String braced = "{\"type\":\"shots\",\"user\":\"" + user + "\",\"id\":\"{" + id + "}\"}";
        String plain = "{\"type\":\"shots\",\"user\":\"" + user + "\",\"id\":\"" + id + "\"}";
        TestServer.Response first = server.postJson("/api/v1/prompt-history", plain);
        assertThat(first.status()).isEqualTo(201);
        assertThat(first.json().get("id").asText()).isEqualTo(id.toString());
        TestServer.Response again = server.postJson("/api/v1/prompt-history", braced);
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.json().get("id").asText()).isEqualTo(id.toString());
        assertThat(rowsOf(user)).isEqualTo(1);
    }

    @Test
    void concurrentRepeatsOfOneKeyStoreOneRow() throws Exception {
        String user = "idem-race-" + UUID.randomUUID();
        String key = UUID.randomUUID().toString();
        var pool = java.util.concurrent.Executors.newFixedThreadPool(16);
        try {
            var futures = new java.util.ArrayList<java.util.concurrent.Future<TestServer.Response>>();
            for (int i = 0; i < 32; i++) {
                futures.add(pool.submit(() -> postWithKey("{\"type\":\"shots\",\"user\":\"" + user + "\"}", key)));
            }
            java.util.Set<String> ids = new java.util.HashSet<>();
            int created = 0;
            for (var f : futures) {
                TestServer.Response r = f.get();
                assertThat(r.status()).isIn(200, 201);
                if (r.status() == 201) created++;
                ids.add(r.json().get("id").asText());
            }
            assertThat(created).isEqualTo(1);
            assertThat(ids).hasSize(1);
            assertThat(rowsOf(user)).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aBatchStoresTheValidItemsAndReportsEachOne() {
        String user = "batch-" + UUID.randomUUID();
        ArrayNode items = Json.MAPPER.createArrayNode();
        items.add(log(user, "shots"));
        items.add(Json.MAPPER.createObjectNode().put("user", user).put("prompt", "no type"));
        items.add(log(user, "acts"));
        items.add(log(user, "shots").put("tokens", -5));
        items.add(42);
        items.add("{\"type\":\"console\",\"user\":\"" + user + "\"}");
        items.add("{broken");
        TestServer.Response r = server.postJson("/api/v1/prompt-history/batch",
                Json.MAPPER.createObjectNode().set("items", items).toString());
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        JsonNode body = r.json();
        assertThat(body.get("created").asInt()).isEqualTo(3);
        assertThat(body.get("rejected").asInt()).isEqualTo(4);
        JsonNode results = body.get("results");
        assertThat(results).hasSize(7);
        String[] expected = {"created", "rejected", "created", "rejected", "rejected", "created", "rejected"};
        for (int i = 0; i < expected.length; i++) {
            assertThat(results.get(i).get("index").asInt()).isEqualTo(i);
            assertThat(results.get(i).get("status").asText()).as("item " + i).isEqualTo(expected[i]);
        }
        assertThat(results.get(1).get("error").get("field").asText()).isEqualTo("type");
        assertThat(results.get(3).get("error").get("field").asText()).isEqualTo("tokens");
        assertThat(results.get(4).get("error").get("error").asText()).isEqualTo("invalid_item");
        assertThat(results.get(6).get("error").get("error").asText()).isEqualTo("invalid_json");
        assertThat(rowsOf(user)).isEqualTo(3);
        String id = results.get(0).get("id").asText();
        assertThat(server.get("/api/v1/prompt-history/" + id).json().get("user").asText()).isEqualTo(user);
    }

    @Test
    void batchLimitsAndShapeAreChecked() {
        ArrayNode many = Json.MAPPER.createArrayNode();
        for (int i = 0; i < 1001; i++) many.add(log("x", "shots"));
        TestServer.Response tooMany = server.postJson("/api/v1/prompt-history/batch",
                Json.MAPPER.createObjectNode().set("items", many).toString());
        assertThat(tooMany.status()).isEqualTo(400);
        assertThat(tooMany.json().get("error").asText()).isEqualTo("too_many_items");

        assertThat(server.postJson("/api/v1/prompt-history/batch", "{\"items\": {}}").json().get("field").asText())
                .isEqualTo("items");
        assertThat(server.postJson("/api/v1/prompt-history/batch", "[]").status()).isEqualTo(400);
        assertThat(server.postJson("/api/v1/prompt-history/batch", "{\"items\": [], \"itemz\": 1}").json()
                .get("field").asText()).isEqualTo("itemz");
        TestServer.Response empty = server.postJson("/api/v1/prompt-history/batch", "{\"items\": []}");
        assertThat(empty.status()).isEqualTo(200);
        assertThat(empty.json().get("results")).isEmpty();
    }

    @Test
    void skipKnownBodiesRecognisesALogReceivedLive() {
        byte[] body = Contract.bytes(Contract.promptLogs().get(0));
        String live = server.postJson("/api/v1/prompt-history", body).json().get("id").asText();
        String hash = server.get("/api/v1/prompt-history/" + live).json().get("body_sha256").asText();
        int before = rowsWithBody(hash);
        ObjectNode batch = Json.MAPPER.createObjectNode();
        batch.putArray("items").add(new String(body, java.nio.charset.StandardCharsets.UTF_8))
                .add(new String(body, java.nio.charset.StandardCharsets.UTF_8));
        batch.put("skip_known_bodies", true);
        JsonNode r = server.postJson("/api/v1/prompt-history/batch", batch.toString()).json();
        assertThat(r.get("existing").asInt()).as(r.toString()).isEqualTo(2);
        // the answer names a stored row with those very bytes (the first of them if other tests sent it too)
        String first = r.get("results").get(0).get("id").asText();
        assertThat(server.get("/api/v1/prompt-history/" + first).json().get("body_sha256").asText()).isEqualTo(hash);
        assertThat(rowsWithBody(hash)).isEqualTo(before);
    }

    @Test
    void skipKnownBodiesStoresARepeatedNewBodyOnce() {
        String text = "{\"type\":\"console\",\"user\":\"dup-" + UUID.randomUUID() + "\"}";
        ObjectNode batch = Json.MAPPER.createObjectNode();
        batch.putArray("items").add(text).add(text);
        batch.put("skip_known_bodies", true);
        JsonNode r = server.postJson("/api/v1/prompt-history/batch", batch.toString()).json();
        assertThat(r.get("created").asInt()).as(r.toString()).isEqualTo(1);
        assertThat(r.get("existing").asInt()).isEqualTo(1);
        assertThat(r.get("results").get(1).get("id")).isEqualTo(r.get("results").get(0).get("id"));
    }

    private ObjectNode log(String user, String type) {
        return Json.MAPPER.createObjectNode().put("type", type).put("user", user).put("prompt", "p").put("tokens", 3);
    }

    private TestServer.Response postWithKey(String body, String key) {
        return server.send(server.request("/api/v1/prompt-history").header("Content-Type", "application/json")
                .header("Idempotency-Key", key).POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    private int rowsWithBody(String hash) {
        return server.jdbi().withHandle(h -> h.createQuery("select count(*) from prompt_log where body_sha256 = :h")
                .bind("h", hash).mapTo(Integer.class).one());
    }

    private int rowsOf(String user) {
        return server.jdbi().withHandle(h -> h.createQuery("select count(*) from prompt_log where user_name = :u")
                .bind("u", user).mapTo(Integer.class).one());
    }
}
