package storyboard.auth;

import storyboard.kernel.Scope;
import storyboard.kernel.Actor;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.time.Instant;
import java.util.EnumSet;
import org.junit.jupiter.api.Test;
import storyboard.support.TestServer;

/** Stored tokens: scopes are enforced; revoked and expired tokens are refused on the next request. */
class TokenScopesTest {
    private final TestServer server = TestServer.shared();
    private final TokenStore tokens = new TokenStore(server.jdbi());

    @Test
    void anIngestTokenMayPostButNotRead() {
        String token = tokens.create(Actor.server(), new TokenStore.NewToken("desktop app", EnumSet.of(Scope.INGEST), null, null, null)).token();
        assertThat(post(token).status()).isEqualTo(201);
        TestServer.Response read = get(token, "/api/v1/prompt-history");
        assertThat(read.status()).isEqualTo(403);
        assertThat(read.json().get("error").asText()).isEqualTo("forbidden");
        assertThat(get(token, "/api/v1/prompt-history/stats").status()).isEqualTo(403);
    }

    @Test
    void aReadTokenMayReadButNotPostOrDelete() {
        String token = tokens.create(Actor.server(), new TokenStore.NewToken("dashboard", EnumSet.of(Scope.READ), null, null, null)).token();
        assertThat(get(token, "/api/v1/prompt-history").status()).isEqualTo(200);
        assertThat(post(token).status()).isEqualTo(403);
        String id = server.postJson("/api/v1/prompt-history", "{\"type\":\"x\"}").json().get("id").asText();
        assertThat(server.send(server.anonymous("/api/v1/prompt-history/" + id)
                .header("Authorization", "Bearer " + token).DELETE().build()).status()).isEqualTo(403);
    }

    @Test
    void revokedAndExpiredTokensAreRefused() {
        TokenStore.CreatedToken t = tokens.create(Actor.server(), new TokenStore.NewToken("leaked", EnumSet.of(Scope.INGEST), null, null, null));
        assertThat(post(t.token()).status()).isEqualTo(201);
        assertThat(tokens.revoke(Actor.server(), t.info().id().toString())).isPresent();
        assertThat(post(t.token()).status()).isEqualTo(401);

        String expired = tokens.create(Actor.server(), new TokenStore.NewToken("old", EnumSet.of(Scope.INGEST), null, Instant.now().minusSeconds(1), null)).token();
        assertThat(post(expired).status()).isEqualTo(401);
        assertThat(tokens.list()).anySatisfy(i -> assertThat(i.lastUsedAt()).isNotNull());
    }

    private TestServer.Response post(String token) {
        return server.send(server.anonymous("/api/v1/prompt-history").header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"type\":\"console\"}")).build());
    }

    private TestServer.Response get(String token, String path) {
        return server.send(server.anonymous(path).header("Authorization", "Bearer " + token).GET().build());
    }
}
