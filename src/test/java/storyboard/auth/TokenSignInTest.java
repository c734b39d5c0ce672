package storyboard.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import storyboard.kernel.Scope;
import storyboard.support.TestDatabase;
import storyboard.support.TestServer;

/**
 * Signing in by pasting a token: the browser session acts as the token (scopes, projects) checked again at every
 * request, ends when the token is revoked or expires, is protected by the same CSRF rules, and is throttled
 * like passwords. The configured AUTH_TOKEN signs in too, and its session ends when AUTH_TOKEN changes.
 */
class TokenSignInTest {
    private static final Pattern HIDDEN_CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");
    private static TestServer server;

    @BeforeAll
    static void start() {
        // Its own server: the sign-in throttle counts per address, and every request here comes from 127.0.0.1.
        // The tests on this one server only ever sign in with valid tokens; failures have a server of their own.
        server = TestServer.start(TestDatabase.get().newDatabase(), Map.of());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void theSignInPageOffersATokenFormWithoutScript() {
        TestServer.Response page = server.send(server.anonymous("/login?next=/history").GET().build());
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.header("Content-Security-Policy")).startsWith("default-src 'none'; style-src 'sha256-");
        String body = page.body();
        assertThat(body).doesNotContain("<script").doesNotContain("style=\"").doesNotContainPattern(" on[a-z]+=");
        assertThat(body).containsOnlyOnce("name=\"token\"").containsOnlyOnce("name=\"username\"");
        assertThat(body.split("<form method=\"post\" action=\"/login\">", -1)).hasSize(3);
        // Both forms carry the double-submit token and where to go next.
        assertThat(HIDDEN_CSRF.matcher(body).results().map(m -> m.group(1)).distinct().count()).isEqualTo(1);
        assertThat(body.split("name=\"next\" value=\"/history\"", -1)).hasSize(3);
        assertThat(body).contains("<details>").contains("<input id=\"token\" name=\"token\" type=\"password\" autocomplete=\"off\"");
    }

    @Test
    void aTokensSessionActsAsTheTokenWithOnlyTheCookie() {
        String token = server.createToken("{\"name\":\"lead's laptop\",\"scopes\":[\"read\",\"write\"],\"expires_in\":\"30d\"}");
        String tokenId = tokenId(token);
        TestServer.Response r = formSignIn(server, Map.of("token", "  " + token + "\n", "next", "/history"));
        assertThat(r.status()).as(r.toString()).isEqualTo(303);
        assertThat(r.header("Location")).isEqualTo("/history");
        String setCookie = setCookie(r, SessionCookies.SESSION);
        assertThat(setCookie).matches("sbs_session=sbs_[A-Za-z0-9_-]{43}; Path=/; Max-Age=604800; HttpOnly; SameSite=Strict");
        assertThat(setCookie(r, SessionCookies.LOGIN_CSRF)).startsWith("sbs_login_csrf=; ");
        Browser b = browser(cookieValue(setCookie));

        JsonNode me = b.get("/api/v1/me").json();
        assertThat(me.get("kind").asText()).isEqualTo("token");
        assertThat(me.get("id").asText()).isEqualTo(tokenId);
        assertThat(me.get("name").asText()).isEqualTo("lead's laptop");
        assertThat(me.get("scopes").toString()).isEqualTo("[\"read\",\"write\"]");
        assertThat(me.get("projects").isNull()).isTrue();

        JsonNode session = b.get("/api/v1/session").json();
        assertThat(session.get("kind").asText()).isEqualTo("token");
        assertThat(session.get("user").isNull()).isTrue();
        assertThat(session.get("credential")).isEqualTo(me);
        // The session ends no later than the token (30 days) would, and within the 7-day lifetime.
        Instant expires = Instant.parse(session.get("expires_at").asText());
        assertThat(expires).isBefore(Instant.now().plus(SessionStore.LIFETIME).plusSeconds(5));

        // What the token may do, the session may do; what it may not, it may not.
        assertThat(b.get("/api/v1/prompt-history?limit=1").status()).isEqualTo(200);
        assertError(b.get("/api/v1/tokens"), 403, "forbidden");
        assertError(b.send("POST", "/api/v1/prompt-history", "{\"type\":\"console\"}", true), 403, "forbidden");

        // Only hashes are stored: the session references the token; neither secret is in the row.
        Map<String, Object> row = server.jdbi().withHandle(h -> h.createQuery(
                        "select kind, user_id, token_id::text as token_id, session_hash, credential_check from user_session where session_hash = :h")
                .bind("h", Tokens.hashHex(b.cookie())).mapToMap().one());
        assertThat(row.get("kind")).isEqualTo("token");
        assertThat(row.get("user_id")).isNull();
        assertThat(row.get("token_id")).isEqualTo(tokenId);
        assertThat(row.get("credential_check")).isNull();
        assertThat(row.values().toString()).doesNotContain(token).doesNotContain(b.cookie());

        JsonNode login = audit("session.login", tokenId).get(0);
        assertThat(login.get("actor").get("type").asText()).isEqualTo("token");
        assertThat(login.get("actor").get("id").asText()).isEqualTo(tokenId);
        assertThat(login.get("target_type").asText()).isEqualTo("token");
        assertThat(login.get("details").get("prefix").asText()).isEqualTo(Tokens.displayPrefix(token));
        assertThat(login.toString()).doesNotContain(token);
    }

    @Test
    void aChangeThroughATokensSessionNeedsTheCsrfTokenAndIsTheTokens() {
        String token = server.createToken("{\"name\":\"ingest-and-read\",\"scopes\":[\"ingest\",\"read\"]}");
        Browser b = browser(cookieValue(setCookie(formSignIn(server, Map.of("token", token)), SessionCookies.SESSION)));
        assertError(b.send("POST", "/api/v1/prompt-history", "{\"type\":\"console\"}", false), 403, "csrf_failed");
        assertError(new Browser(b.cookie(), Tokens.generate()).send("POST", "/api/v1/prompt-history",
                "{\"type\":\"console\"}", true), 403, "csrf_failed");
        TestServer.Response created = b.send("POST", "/api/v1/prompt-history", "{\"type\":\"console\"}", true);
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        // Reading needs no CSRF token.
        assertThat(b.get("/api/v1/prompt-history/" + created.json().get("id").asText()).status()).isEqualTo(200);
    }

    @Test
    void revokingTheTokenEndsItsSessionsAtOnce() {
        String token = server.createToken("{\"name\":\"to be revoked\",\"scopes\":[\"read\"]}");
        String tokenId = tokenId(token);
        Browser first = signIn(token);
        Browser second = signIn(token);
        assertThat(first.get("/api/v1/me").status()).isEqualTo(200);
        assertThat(new SessionStore(server.jdbi()).countForToken(UUID.fromString(tokenId))).isEqualTo(2);

        assertThat(server.delete("/api/v1/tokens/" + tokenId).status()).isEqualTo(204);
        assertError(first.get("/api/v1/me"), 401, "session_expired");
        assertError(second.get("/api/v1/prompt-history"), 401, "session_expired");
        assertThat(new SessionStore(server.jdbi()).countForToken(UUID.fromString(tokenId))).isZero();
    }

    @Test
    void anExpiredTokenEndsItsSessionsAtOnce() {
        String token = server.createToken("{\"name\":\"short-lived\",\"scopes\":[\"read\"],\"expires_in\":\"2h\"}");
        Browser b = signIn(token);
        JsonNode session = b.get("/api/v1/session").json();
        Instant sessionEnds = Instant.parse(session.get("expires_at").asText());
        Instant tokenEnds = Instant.parse(server.get("/api/v1/tokens/" + tokenId(token)).json().get("expires_at").asText());
        assertThat(sessionEnds).isBeforeOrEqualTo(tokenEnds).isAfter(tokenEnds.minusSeconds(60));

        server.jdbi().useHandle(h -> h.createUpdate("update api_token set expires_at = now() - interval '1 second' where id = cast(:id as uuid)")
                .bind("id", tokenId(token)).execute());
        assertError(b.get("/api/v1/me"), 401, "session_expired");
    }

    @Test
    void aRestrictedTokensSessionSeesOnlyItsProject() {
        String mine = "tok-mine-" + UUID.randomUUID();
        String theirs = "tok-theirs-" + UUID.randomUUID();
        String mineId = server.postJson("/api/v1/prompt-history", "{\"type\":\"session-probe\",\"projectId\":\"" + mine + "\"}")
                .json().get("id").asText();
        String theirsId = server.postJson("/api/v1/prompt-history", "{\"type\":\"session-probe\",\"projectId\":\"" + theirs + "\"}")
                .json().get("id").asText();
        String token = server.createToken("{\"name\":\"one project\",\"scopes\":[\"admin\"],\"projects\":[\"" + mine + "\"]}");
        Browser b = signIn(token);

        JsonNode me = b.get("/api/v1/me").json();
        assertThat(me.get("projects").toString()).isEqualTo("[\"" + mine + "\"]");
        JsonNode items = b.get("/api/v1/prompt-history?type=session-probe&limit=500").json().get("items");
        assertThat(items).extracting(n -> n.get("id").asText()).containsExactly(mineId);
        assertThat(b.get("/api/v1/prompt-history/" + mineId).status()).isEqualTo(200);
        assertError(b.get("/api/v1/prompt-history/" + theirsId), 404, "not_found");
        assertError(b.get("/api/v1/prompt-history?project=" + theirs), 404, "not_found");
        // Admin scope restricted to a project does not manage the server.
        assertError(b.get("/api/v1/tokens"), 403, "forbidden");
        assertError(b.get("/api/v1/audit"), 403, "forbidden");
    }

    @Test
    void theConfiguredAuthTokenSignsInAndItsSessionEndsWhenAuthTokenChanges() {
        TestServer.Response r = formSignIn(server, Map.of("token", TestServer.TOKEN));
        assertThat(r.status()).as(r.toString()).isEqualTo(303);
        assertThat(r.header("Location")).isEqualTo("/");
        Browser b = browser(cookieValue(setCookie(r, SessionCookies.SESSION)));
        JsonNode me = b.get("/api/v1/me").json();
        assertThat(me.get("kind").asText()).isEqualTo("auth_token");
        assertThat(me.get("name").asText()).isEqualTo("AUTH_TOKEN");
        assertThat(me.get("scopes").toString()).isEqualTo("[\"admin\"]");
        assertThat(b.get("/api/v1/session").json().get("kind").asText()).isEqualTo("auth_token");
        assertThat(b.get("/api/v1/users").status()).isEqualTo(200);

        // The row keeps an HMAC keyed by the cookie: neither AUTH_TOKEN nor its plain hash.
        String check = server.jdbi().withHandle(h -> h.createQuery(
                        "select credential_check from user_session where session_hash = :h and kind = 'auth_token'")
                .bind("h", Tokens.hashHex(b.cookie())).mapTo(String.class).one());
        assertThat(check).matches("[0-9a-f]{64}").isNotEqualTo(Tokens.hashHex(TestServer.TOKEN));
        assertThat(audit("session.login", null).findValuesAsText("target_type")).contains("auth_token");

        // The same database served with another AUTH_TOKEN, or none, no longer opens the session.
        SessionStore same = new SessionStore(server.jdbi(), ConfiguredToken.of(Optional.of(TestServer.TOKEN), Set.of(Scope.READ)));
        assertThat(same.authenticate(b.cookie()).map(s -> s.principal().scopes())).contains(Set.of(Scope.READ));
        SessionStore changed = new SessionStore(server.jdbi(), ConfiguredToken.of(Optional.of("another-token-altogether"), Scope.all()));
        assertThat(changed.authenticate(b.cookie())).isEmpty();
        assertThat(new SessionStore(server.jdbi()).authenticate(b.cookie())).isEmpty();
        assertThat(b.get("/api/v1/me").status()).isEqualTo(200);
    }

    @Test
    void signingOutOfATokensSessionEndsItAndIsAudited() {
        String token = server.createToken("{\"name\":\"signs out\",\"scopes\":[\"read\"]}");
        Browser b = signIn(token);
        assertError(b.send("POST", "/logout", null, false), 403, "csrf_failed");
        TestServer.Response out = postForm(server, "/logout", "sbs_session=" + b.cookie(), Map.of("_csrf", b.csrf()));
        assertThat(out.status()).isEqualTo(303);
        assertThat(out.header("Location")).isEqualTo("/login");
        assertThat(setCookie(out, SessionCookies.SESSION)).startsWith("sbs_session=; Path=/; Max-Age=0;");
        assertError(b.get("/api/v1/me"), 401, "session_expired");
        JsonNode logout = audit("session.logout", tokenId(token)).get(0);
        assertThat(logout.get("actor").get("type").asText()).isEqualTo("token");
        assertThat(logout.get("details").get("name").asText()).isEqualTo("signs out");
        // The token itself still works as a bearer token: signing out ends the session, not the token.
        assertThat(server.call(token, "GET", "/api/v1/me", null).status()).isEqualTo(200);
    }

    @Test
    void aSignInReplacesTheBrowsersPreviousSession() {
        String token = server.createToken("{\"name\":\"first\",\"scopes\":[\"read\"]}");
        Browser before = signIn(token);
        TestServer.Response page = server.send(server.anonymous("/login").GET().build());
        String login = cookieValue(setCookie(page, SessionCookies.LOGIN_CSRF));
        TestServer.Response again = postForm(server, "/login", "sbs_login_csrf=" + login + "; sbs_session=" + before.cookie(),
                Map.of("token", TestServer.TOKEN, "_csrf", hiddenCsrf(page)));
        assertThat(again.status()).isEqualTo(303);
        assertError(before.get("/api/v1/me"), 401, "session_expired");
        assertThat(browser(cookieValue(setCookie(again, SessionCookies.SESSION))).get("/api/v1/me").json()
                .get("kind").asText()).isEqualTo("auth_token");
    }

    @Test
    void aJsonSignInWithATokenAnswersTheSession() {
        String token = server.createToken("{\"name\":\"script\",\"scopes\":[\"read\"]}");
        TestServer.Response r = jsonSignIn(server, "{\"token\":\"" + token + "\"}");
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.json().get("kind").asText()).isEqualTo("token");
        assertThat(r.json().get("credential").get("name").asText()).isEqualTo("script");
        assertThat(r.body()).doesNotContain(token);
        assertError(jsonSignIn(server, "{\"token\":\"" + token + "\",\"username\":\"someone\"}"), 400, "invalid_field");
        assertError(jsonSignIn(server, "{\"token\":\"  \"}"), 400, "missing_field");
        assertError(jsonSignIn(server, "{\"token\":\"\"}"), 400, "missing_field");
        assertError(jsonSignIn(server, "{\"token\":\"x\",\"scopes\":[\"admin\"]}"), 400, "unknown_field");
    }

    @Test
    void wrongRevokedAndExpiredTokensGetTheFormAgainAndAreThrottledLikePasswords() {
        try (TestServer own = TestServer.start(TestDatabase.get().newDatabase(), Map.of())) {
            String revoked = own.createToken("{\"name\":\"old\",\"scopes\":[\"read\"]}");
            String revokedId = own.call(revoked, "GET", "/api/v1/me", null).json().get("id").asText();
            assertThat(own.delete("/api/v1/tokens/" + revokedId).status()).isEqualTo(204);
            String wrong = Tokens.generate();

            // The CSRF double-submit is enforced before the token is even looked at.
            TestServer.Response noCsrf = postForm(own, "/login", null, Map.of("token", TestServer.TOKEN));
            assertThat(noCsrf.status()).isEqualTo(403);
            assertThat(noCsrf.body()).contains("The sign-in form expired. Please try again.").contains("<details open>");
            assertThat(setCookie(noCsrf, SessionCookies.SESSION)).isNull();
            TestServer.Response forged = postForm(own, "/login", "sbs_login_csrf=" + Tokens.generate(),
                    Map.of("token", TestServer.TOKEN, "_csrf", Tokens.generate()));
            assertThat(forged.status()).isEqualTo(403);
            assertThat(setCookie(forged, SessionCookies.SESSION)).isNull();
            TestServer.Response crossSite = own.send(own.anonymous("/login").header("Content-Type", "application/x-www-form-urlencoded")
                    .header("Sec-Fetch-Site", "cross-site").POST(HttpRequest.BodyPublishers.ofString("token=x")).build());
            assertError(crossSite, 403, "csrf_failed");

            TestServer.Response unknown = formSignIn(own, Map.of("token", wrong));
            TestServer.Response gone = formSignIn(own, Map.of("token", revoked));
            assertThat(unknown.status()).isEqualTo(401);
            assertThat(gone.status()).isEqualTo(401);
            assertThat(unknown.body()).contains("That token is unknown, revoked or expired.").contains("<details open>")
                    .doesNotContain(wrong).doesNotContain("<script");
            assertThat(gone.body().replace(hiddenCsrf(gone), "CSRF")).isEqualTo(unknown.body().replace(hiddenCsrf(unknown), "CSRF"));
            assertThat(setCookie(unknown, SessionCookies.SESSION)).isNull();
            assertThat(setCookie(gone, SessionCookies.SESSION)).isNull();
            assertThat(formSignIn(own, Map.of("token", "   ")).status()).isEqualTo(400);
            TestServer.Response both = formSignIn(own, Map.of("token", TestServer.TOKEN, "username", "a", "password", "b"));
            assertThat(both.status()).isEqualTo(400);
            assertThat(setCookie(both, SessionCookies.SESSION)).isNull();
            TestServer.Response json = jsonSignIn(own, "{\"token\":\"" + wrong + "\"}");
            assertThat(json.status()).isEqualTo(401);
            assertThat(json.body()).isEqualTo("{\"error\":\"invalid_token\",\"message\":\"the token is unknown, revoked or expired\",\"field\":null}");

            JsonNode failures = own.get("/api/v1/audit?action=session.login_failed&target_type=token").json().get("items");
            assertThat(failures.findValuesAsText("reason")).containsExactlyInAnyOrder("unknown_token", "revoked", "unknown_token");
            assertThat(failures.findValuesAsText("target_id")).containsExactlyInAnyOrder(revokedId, "null", "null");
            assertThat(failures.toString()).doesNotContain(wrong).doesNotContain(revoked);

            // Five failures from an address: even the right token waits, while a password sign-in is not locked out.
            assertThat(formSignIn(own, Map.of("token", wrong + "x")).status()).isEqualTo(401);
            assertThat(formSignIn(own, Map.of("token", wrong + "y")).status()).isEqualTo(401);
            TestServer.Response limited = formSignIn(own, Map.of("token", TestServer.TOKEN));
            assertThat(limited.status()).isEqualTo(429);
            assertThat(Long.parseLong(limited.header("Retry-After"))).isBetween(1L, 900L);
            assertThat(limited.body()).contains("Too many failed sign-ins.");
            assertThat(setCookie(limited, SessionCookies.SESSION)).isNull();
            assertThat(jsonSignIn(own, "{\"token\":\"" + TestServer.TOKEN + "\"}").status()).isEqualTo(429);
            assertThat(own.postJson("/api/v1/users", "{\"username\":\"pat\",\"password\":\"correct horse battery\",\"role\":\"viewer\"}")
                    .status()).isEqualTo(201);
            assertThat(jsonSignIn(own, "{\"username\":\"pat\",\"password\":\"correct horse battery\"}").status()).isEqualTo(200);
        }
    }

    // ---- helpers ---------------------------------------------------------------------------------------------

    /** A browser's state: the session cookie and the CSRF token its pages would hold. */
    private record Browser(String cookie, String csrf) {
        HttpRequest.Builder builder(String path) {
            return server.anonymous(path).header("Cookie", "sbs_session=" + cookie);
        }

        TestServer.Response get(String path) {
            return server.send(builder(path).GET().build());
        }

        TestServer.Response send(String method, String path, String json, boolean withCsrf) {
            HttpRequest.Builder r = builder(path);
            if (withCsrf) r.header("X-CSRF-Token", csrf);
            if (json != null) r.header("Content-Type", "application/json");
            return server.send(r.method(method, json == null ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(json)).build());
        }
    }

    private static Browser browser(String cookie) {
        Browser b = new Browser(cookie, null);
        TestServer.Response s = b.get("/api/v1/session");
        assertThat(s.status()).as(s.toString()).isEqualTo(200);
        return new Browser(cookie, s.json().get("csrf_token").asText());
    }

    private static Browser signIn(String token) {
        TestServer.Response r = formSignIn(server, Map.of("token", token));
        assertThat(r.status()).as(r.toString()).isEqualTo(303);
        return browser(cookieValue(setCookie(r, SessionCookies.SESSION)));
    }

    /** Loads the sign-in page and posts its form with these fields (and its double-submit token). */
    private static TestServer.Response formSignIn(TestServer s, Map<String, String> fields) {
        TestServer.Response page = s.send(s.anonymous("/login").GET().build());
        Map<String, String> all = new LinkedHashMap<>(fields);
        all.put("_csrf", hiddenCsrf(page));
        return postForm(s, "/login", "sbs_login_csrf=" + cookieValue(setCookie(page, SessionCookies.LOGIN_CSRF)), all);
    }

    private static TestServer.Response jsonSignIn(TestServer s, String json) {
        return s.send(s.anonymous("/login").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build());
    }

    private static TestServer.Response postForm(TestServer s, String path, String cookie, Map<String, String> fields) {
        String body = fields.entrySet().stream().map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
        HttpRequest.Builder r = s.anonymous(path).header("Content-Type", "application/x-www-form-urlencoded");
        if (cookie != null) r.header("Cookie", cookie);
        return s.send(r.POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    private static String tokenId(String token) {
        return server.call(token, "GET", "/api/v1/me", null).json().get("id").asText();
    }

    private static JsonNode audit(String action, String targetId) {
        return server.get("/api/v1/audit?action=" + action + (targetId == null ? "" : "&target_id=" + targetId))
                .json().get("items");
    }

    private static String setCookie(TestServer.Response r, String name) {
        return r.headers().entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase("Set-Cookie"))
                .flatMap(e -> e.getValue().stream()).filter(v -> v.startsWith(name + "=")).findFirst().orElse(null);
    }

    private static String cookieValue(String setCookie) {
        assertThat(setCookie).isNotNull();
        return setCookie.substring(setCookie.indexOf('=') + 1, setCookie.indexOf(';'));
    }

    private static String hiddenCsrf(TestServer.Response page) {
        Matcher m = HIDDEN_CSRF.matcher(page.body());
        assertThat(m.find()).as("the form has a _csrf field").isTrue();
        return m.group(1);
    }

    private static void assertError(TestServer.Response r, int status, String code) {
        assertThat(r.status()).as(r.toString()).isEqualTo(status);
        if (code != null) assertThat(r.json().get("error").asText()).as(r.toString()).isEqualTo(code);
    }
}
