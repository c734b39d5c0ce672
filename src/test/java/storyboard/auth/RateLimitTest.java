package storyboard.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import storyboard.support.TestDatabase;
import storyboard.support.TestServer;

/** Per-credential limits: a burst of two seconds' worth, then 429 with Retry-After; a token's own limit wins. */
class RateLimitTest {
    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start(TestDatabase.get().newDatabase(), Map.of("RATE_LIMIT", "2", "RATE_LIMIT_INGEST", "3"));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void aTokenOverItsLimitGets429WithRetryAfterAndOtherTokensAreUnaffected() {
        String reader = server.createToken("{\"name\":\"busy\",\"scopes\":[\"read\"]}");
        for (int i = 0; i < 4; i++) {
            TestServer.Response ok = server.call(reader, "GET", "/api/v1/me", null);
            assertThat(ok.status()).as("request " + i + " of the burst").isEqualTo(200);
            assertThat(ok.header("RateLimit-Limit")).isEqualTo("2");
        }
        TestServer.Response limited = untilLimited(reader, "GET", "/api/v1/me", null, 2);
        assertThat(limited.status()).isEqualTo(429);
        assertThat(limited.json().get("error").asText()).isEqualTo("rate_limited");
        assertThat(Integer.parseInt(limited.header("Retry-After"))).isBetween(1, 2);
        assertThat(limited.header("RateLimit-Remaining")).isEqualTo("0");

        String other = server.createToken("{\"name\":\"calm\",\"scopes\":[\"read\"]}");
        assertThat(server.call(other, "GET", "/api/v1/me", null).status()).isEqualTo(200);
    }

    @Test
    void ingestHasItsOwnLimitAndATokensOwnLimitOverridesTheDefault() {
        String desktop = server.createToken("{\"name\":\"desktop\",\"scopes\":[\"ingest\",\"read\"]}");
        for (int i = 0; i < 6; i++) {
            assertThat(server.call(desktop, "POST", "/api/v1/prompt-history", "{\"type\":\"x\"}").status()).isEqualTo(201);
        }
        assertThat(untilLimited(desktop, "POST", "/api/v1/prompt-history", "{\"type\":\"x\"}", 3).status()).isEqualTo(429);
        // Reading draws on the other bucket.
        assertThat(server.call(desktop, "GET", "/api/v1/me", null).status()).isEqualTo(200);

        String unlimited = server.createToken("{\"name\":\"importer\",\"scopes\":[\"ingest\"],\"rate_limit\":0}");
        for (int i = 0; i < 20; i++) {
            TestServer.Response r = server.call(unlimited, "POST", "/api/v1/prompt-history", "{\"type\":\"x\"}");
            assertThat(r.status()).isEqualTo(201);
            assertThat(r.header("RateLimit-Limit")).isNull();
        }
    }

    /**
     * Sends after the burst until refused; the bucket refills at {@code perSecond} meanwhile (a slow machine may
     * let a few more through), so more than that many successes per elapsed second plus one is a failure.
     */
    private static TestServer.Response untilLimited(String token, String method, String path, String body, int perSecond) {
        long start = System.nanoTime();
        for (int successes = 0; ; successes++) {
            TestServer.Response r = server.call(token, method, path, body);
            if (r.status() != 200 && r.status() != 201) return r;
            double seconds = (System.nanoTime() - start) / 1e9;
            assertThat(successes).as("successes after the burst in " + seconds + " s").isLessThanOrEqualTo((int) Math.ceil(seconds * perSecond) + 1);
        }
    }

    @Test
    void failedCredentialsAreNotCountedAgainstAnyone() {
        for (int i = 0; i < 10; i++) {
            assertThat(server.call("sbs_wrong" + i, "GET", "/api/v1/me", null).status()).isEqualTo(401);
        }
    }
}
