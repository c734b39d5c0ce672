package storyboard.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import storyboard.support.TestDatabase;
import storyboard.support.TestServer;

/** JWTs of the studio's identity provider: checked against its JWKS, issuer, audience and time; roles from a claim. */
class JwtTest {
    private static final String ISSUER = "https://id.studio.test/realms/studio";
    private static final String AUDIENCE = "storyboard";
    private static HttpServer identityProvider;
    private static RSAKey key;
    private static RSAKey stranger;
    private static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        key = new RSAKeyGenerator(2048).keyID("k1").generate();
        stranger = new RSAKeyGenerator(2048).keyID("k1").generate();
        byte[] jwks = new JWKSet(key.toPublicJWK()).toString().getBytes(StandardCharsets.UTF_8);
        identityProvider = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        identityProvider.createContext("/jwks", exchange -> {
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, jwks.length);
            exchange.getResponseBody().write(jwks);
            exchange.close();
        });
        identityProvider.start();
        server = TestServer.start(TestDatabase.get().newDatabase(), Map.of(
                "JWT_JWKS_URL", "http://127.0.0.1:" + identityProvider.getAddress().getPort() + "/jwks",
                "JWT_ISSUER", ISSUER, "JWT_AUDIENCE", AUDIENCE, "JWT_ROLE_CLAIM", "groups",
                "JWT_ROLE_MAP", "storyboard-admins=admin,artists=editor,everyone=viewer"));
    }

    @AfterAll
    static void stop() {
        server.close();
        identityProvider.stop(0);
    }

    private static JWTClaimsSet.Builder claims(Object groups) {
        return new JWTClaimsSet.Builder().issuer(ISSUER).audience(AUDIENCE).subject("u-42")
                .claim("preferred_username", "mara").claim("groups", groups)
                .issueTime(new Date()).expirationTime(Date.from(Instant.now().plusSeconds(300)));
    }

    private static String sign(JWTClaimsSet claims, RSAKey with) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(with.getKeyID())
                .type(JOSEObjectType.JWT).build(), claims);
        jwt.sign(new RSASSASigner(with));
        return jwt.serialize();
    }

    @Test
    void aValidTokenSignsThePersonInWithTheStrongestMappedRole() throws Exception {
        String admin = sign(claims(List.of("everyone", "storyboard-admins")).build(), key);
        TestServer.Response me = server.call(admin, "GET", "/api/v1/me", null);
        assertThat(me.status()).isEqualTo(200);
        assertThat(me.json().get("kind").asText()).isEqualTo("jwt");
        assertThat(me.json().get("id").asText()).isEqualTo("u-42");
        assertThat(me.json().get("name").asText()).isEqualTo("mara");
        assertThat(me.json().get("scopes")).hasSize(5);
        assertThat(server.call(admin, "GET", "/api/v1/tokens", null).status()).isEqualTo(200);

        String viewer = sign(claims("everyone").build(), key);
        assertThat(server.call(viewer, "GET", "/api/v1/prompt-history", null).status()).isEqualTo(200);
        assertThat(server.call(viewer, "POST", "/api/v1/prompt-history", "{\"type\":\"x\"}").status()).isEqualTo(403);

        String editor = sign(claims(List.of("artists")).build(), key);
        TestServer.Response posted = server.call(editor, "POST", "/api/v1/prompt-history", "{\"type\":\"x\"}");
        assertThat(posted.status()).isEqualTo(201);
        String id = posted.json().get("id").asText();
        {
            var events = server.call(TestServer.TOKEN, "GET", "/api/v1/events?types=prompt_log.created", null).json().get("items");
            assertThat(events.get(events.size() - 1).get("subject_id").asText()).isEqualTo(id);
            assertThat(events.get(events.size() - 1).get("actor").get("type").asText()).isEqualTo("jwt");
            assertThat(events.get(events.size() - 1).get("actor").get("name").asText()).isEqualTo("mara");
        }
    }

    @Test
    void invalidTokensAre401AndAnIdentityWithoutARoleIs403() throws Exception {
        expect401(sign(claims("everyone").audience("someone-else").build(), key));
        expect401(sign(claims("everyone").issuer("https://evil.test").build(), key));
        expect401(sign(claims("everyone").expirationTime(Date.from(Instant.now().minusSeconds(120))).build(), key));
        expect401(sign(claims("everyone").notBeforeTime(Date.from(Instant.now().plusSeconds(600))).build(), key));
        expect401(sign(claims("everyone").build(), stranger));
        expect401(new PlainJWT(claims("everyone").build()).serialize());
        SignedJWT hmac = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims("everyone").build());
        hmac.sign(new MACSigner(new byte[32]));
        expect401(hmac.serialize());
        expect401("not.a.jwt");

        TestServer.Response noRole = server.call(sign(claims(List.of("cleaners")).build(), key), "GET", "/api/v1/me", null);
        assertThat(noRole.status()).isEqualTo(403);
        assertThat(noRole.json().get("message").asText()).contains("no role");
        // Stored tokens and AUTH_TOKEN keep working next to JWTs.
        assertThat(server.call(TestServer.TOKEN, "GET", "/api/v1/me", null).status()).isEqualTo(200);
    }

    private static void expect401(String token) {
        TestServer.Response r = server.call(token, "GET", "/api/v1/me", null);
        assertThat(r.status()).as(token).isEqualTo(401);
        assertThat(r.json().get("error").asText()).isEqualTo("invalid_token");
        assertThat(r.body()).doesNotContain(token);
    }
}
