package storyboard.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import storyboard.support.TestServer;

/** /api/v1/tokens and /api/v1/me: create (shown once), list, get, revoke, validation, and the audit trail. */
class TokensApiTest {
    private final TestServer server = TestServer.shared();
    private final String admin = TestServer.TOKEN;

    @Test
    void aCreatedTokenIsShownOnceWorksAtOnceAndStopsWorkingWhenRevoked() {
        String name = "Mara's laptop " + UUID.randomUUID();
        TestServer.Response created = server.call(admin, "POST", "/api/v1/tokens",
                "{\"name\":\"" + name + "\",\"scopes\":[\"ingest\",\"read\"],\"projects\":[\"harbor\"],\"expires_in\":\"30d\",\"rate_limit\":50}");
        assertThat(created.status()).isEqualTo(201);
        assertThat(created.header("Cache-Control")).isEqualTo("no-store");
        JsonNode t = created.json();
        String secret = t.get("token").asText();
        String id = t.get("id").asText();
        assertThat(secret).startsWith("sbs_").hasSize(4 + 43);
        assertThat(t.get("prefix").asText()).isEqualTo(secret.substring(0, 10));
        assertThat(t.get("scopes")).extracting(JsonNode::asText).containsExactly("ingest", "read");
        assertThat(t.get("projects")).extracting(JsonNode::asText).containsExactly("harbor");
        assertThat(t.get("rate_limit").asInt()).isEqualTo(50);
        assertThat(t.get("state").asText()).isEqualTo("active");
        assertThat(t.get("created_by").asText()).isEqualTo("AUTH_TOKEN");
        assertThat(t.get("expires_at").asText()).isNotEmpty();

        // The secret never appears again, in the list or the single view.
        TestServer.Response list = server.call(admin, "GET", "/api/v1/tokens", null);
        assertThat(list.status()).isEqualTo(200);
        assertThat(list.body()).doesNotContain(secret).contains(id);
        TestServer.Response one = server.call(admin, "GET", "/api/v1/tokens/" + id, null);
        assertThat(one.json().get("name").asText()).isEqualTo(name);
        assertThat(one.json().has("token")).isFalse();
        assertThat(one.body()).doesNotContain(secret);

        TestServer.Response me = server.call(secret, "GET", "/api/v1/me", null);
        assertThat(me.status()).isEqualTo(200);
        assertThat(me.json().get("kind").asText()).isEqualTo("token");
        assertThat(me.json().get("id").asText()).isEqualTo(id);
        assertThat(me.json().get("projects")).extracting(JsonNode::asText).containsExactly("harbor");

        assertThat(server.call(admin, "DELETE", "/api/v1/tokens/" + id, null).status()).isEqualTo(204);
        TestServer.Response refused = server.call(secret, "GET", "/api/v1/me", null);
        assertThat(refused.status()).isEqualTo(401);
        assertThat(refused.json().get("error").asText()).isEqualTo("invalid_token");
        // Revoking again is harmless; the token shows as revoked.
        assertThat(server.call(admin, "DELETE", "/api/v1/tokens/" + id, null).status()).isEqualTo(204);
        assertThat(server.call(admin, "GET", "/api/v1/tokens/" + id, null).json().get("state").asText()).isEqualTo("revoked");
        assertThat(server.call(admin, "GET", "/api/v1/tokens?state=revoked", null).body()).contains(id);
        assertThat(server.call(admin, "GET", "/api/v1/tokens?state=active", null).body()).doesNotContain(id);

        // Both changes are in the audit trail: who, what, from where.
        JsonNode events = server.call(admin, "GET", "/api/v1/audit?target_id=" + id, null).json().get("items");
        List<String> actions = new ArrayList<>();
        events.forEach(e -> actions.add(e.get("action").asText()));
        assertThat(actions).containsExactly("token.revoked", "token.created");
        JsonNode create = events.get(1);
        assertThat(create.get("actor").get("type").asText()).isEqualTo("auth_token");
        assertThat(create.get("address").asText()).isEqualTo("127.0.0.1");
        assertThat(create.get("request_id").asText()).isNotEmpty();
        assertThat(create.get("details").get("name").asText()).isEqualTo(name);
        assertThat(create.toString()).doesNotContain(secret);
    }

    @Test
    void aTokenCreatedByAStoredAdminTokenNamesItsCreator() {
        String boss = server.createToken("{\"name\":\"boss\",\"scopes\":[\"admin\"]}");
        String bossId = server.call(boss, "GET", "/api/v1/me", null).json().get("id").asText();
        TestServer.Response created = server.call(boss, "POST", "/api/v1/tokens", "{\"name\":\"worker 7\",\"scopes\":[\"worker\"]}");
        assertThat(created.json().get("created_by").asText()).isEqualTo("token boss (" + bossId + ")");
        JsonNode events = server.call(admin, "GET", "/api/v1/audit?actor=" + bossId + "&action=token.*", null).json().get("items");
        assertThat(events).hasSize(1);
        assertThat(events.get(0).get("target_id").asText()).isEqualTo(created.json().get("id").asText());
    }

    @Test
    void invalidRequestsAreClearJsonErrors() {
        expectError("{}", "missing_field", "name");
        expectError("{\"name\":\"x\"}", "missing_field", "scopes");
        expectError("{\"name\":\"x\",\"scopes\":[]}", "invalid_field", "scopes");
        expectError("{\"name\":\"x\",\"scopes\":[\"root\"]}", "invalid_field", "scopes");
        expectError("{\"name\":\"x\",\"scopes\":[\"public\"]}", "invalid_field", "scopes");
        expectError("{\"name\":\"x\",\"scopes\":\"read\"}", "invalid_field", "scopes");
        expectError("{\"name\":\"x\",\"scopes\":[\"read\"],\"projects\":[]}", "invalid_field", "projects");
        expectError("{\"name\":\"x\",\"scopes\":[\"read\"],\"projects\":[\"\"]}", "invalid_field", "projects");
        expectError("{\"name\":\"x\",\"scopes\":[\"read\"],\"expires_at\":\"2001-01-01T00:00:00Z\"}", "invalid_field", "expires_at");
        expectError("{\"name\":\"x\",\"scopes\":[\"read\"],\"expires_at\":\"soon\"}", "invalid_field", "expires_at");
        expectError("{\"name\":\"x\",\"scopes\":[\"read\"],\"expires_in\":\"forever\"}", "invalid_field", "expires_in");
        expectError("{\"name\":\"x\",\"scopes\":[\"read\"],\"rate_limit\":-1}", "invalid_field", "rate_limit");
        expectError("{\"name\":\"x\",\"scopes\":[\"read\"],\"owner\":\"me\"}", "unknown_field", "owner");
        expectError("[1]", "invalid_body", null);
        expectError("{\"name\":", "invalid_json", null);

        assertThat(server.call(admin, "GET", "/api/v1/tokens/not-a-uuid", null).status()).isEqualTo(400);
        TestServer.Response missing = server.call(admin, "GET", "/api/v1/tokens/" + UUID.randomUUID(), null);
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.json().get("error").asText()).isEqualTo("not_found");
        assertThat(server.call(admin, "DELETE", "/api/v1/tokens/" + UUID.randomUUID(), null).status()).isEqualTo(404);
        assertThat(server.call(admin, "GET", "/api/v1/tokens?state=sleepy", null).json().get("field").asText()).isEqualTo("state");
    }

    @Test
    void authTokenIsAdminAndMeSaysSo() {
        JsonNode me = server.call(admin, "GET", "/api/v1/me", null).json();
        assertThat(me.get("kind").asText()).isEqualTo("auth_token");
        assertThat(me.get("scopes")).extracting(JsonNode::asText).containsExactly("admin");
        assertThat(me.get("projects").isNull()).isTrue();
    }

    private void expectError(String body, String code, String field) {
        TestServer.Response r = server.call(admin, "POST", "/api/v1/tokens", body);
        assertThat(r.status()).as(body).isEqualTo(400);
        assertThat(r.json().get("error").asText()).as(body).isEqualTo(code);
        if (field == null) {
            assertThat(r.json().get("field").isNull()).as(body).isTrue();
        } else {
            assertThat(r.json().get("field").asText()).as(body).isEqualTo(field);
        }
    }
}
