package storyboard.auth;

import storyboard.kernel.Actor;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.util.ContextInitializer;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import storyboard.kernel.Json;
import storyboard.server.Config;
import storyboard.server.Logging;
import storyboard.support.TestDatabase;
import storyboard.support.TestServer;

/**
 * People: accounts made by an admin or the CLI, browser sign-in with a session cookie, CSRF, roles, throttling,
 * sessions that end when they must, the audit trail, and no secret in any answer or log line.
 */
class UsersAndSessionsTest {
    private static final Pattern HIDDEN_CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");
    private static TestServer server;

    @BeforeAll
    static void start() {
        // Its own server: the sign-in throttle counts failures per address, and every test here comes from 127.0.0.1.
        server = TestServer.start(TestDatabase.get().newDatabase(), Map.of());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    // ---- accounts --------------------------------------------------------------------------------------------

    @Test
    void anAdminCreatesAUserAndTheAnswerHoldsNoPasswordOrHash() {
        String name = unique("mara");
        TestServer.Response created = server.postJson("/api/v1/users", """
                {"username":"%s","password":"correct horse battery","role":"editor","display_name":"Mara K."}""".formatted(name));
        assertThat(created.status()).isEqualTo(201);
        JsonNode u = created.json();
        assertThat(u.get("username").asText()).isEqualTo(name);
        assertThat(u.get("role").asText()).isEqualTo("editor");
        assertThat(u.get("scopes").toString()).isEqualTo("[\"ingest\",\"read\",\"write\"]");
        assertThat(u.get("state").asText()).isEqualTo("active");
        assertThat(u.get("display_name").asText()).isEqualTo("Mara K.");
        assertThat(u.get("created_by").asText()).isEqualTo("AUTH_TOKEN");
        assertThat(u.has("password")).isFalse();
        assertThat(u.has("password_hash")).isFalse();
        assertThat(created.body()).doesNotContain("correct horse battery").doesNotContain("argon2");

        TestServer.Response got = server.get("/api/v1/users/" + u.get("id").asText());
        assertThat(got.status()).isEqualTo(200);
        assertThat(got.json().get("username").asText()).isEqualTo(name);
        assertThat(server.get("/api/v1/users").body()).contains(name).doesNotContain("argon2");

        TestServer.Response taken = server.postJson("/api/v1/users", """
                {"username":"%s","password":"another long password","role":"viewer"}""".formatted(name.toUpperCase()));
        assertThat(taken.status()).isEqualTo(409);
        assertThat(taken.json().get("error").asText()).isEqualTo("username_taken");
    }

    @Test
    void badAccountInputIsA400NamingTheFieldWithoutEchoingThePassword() {
        TestServer.Response shortPassword = server.postJson("/api/v1/users",
                "{\"username\":\"" + unique("x") + "\",\"password\":\"short-pw-11\",\"role\":\"viewer\"}");
        assertThat(shortPassword.status()).isEqualTo(400);
        assertThat(shortPassword.json().get("error").asText()).isEqualTo("invalid_field");
        assertThat(shortPassword.json().get("field").asText()).isEqualTo("password");
        assertThat(shortPassword.json().get("message").asText()).isEqualTo("the password must have at least 12 characters");

        assertError(server.postJson("/api/v1/users", "{\"username\":\"ok-name\",\"password\":\"a long enough one\",\"role\":\"owner\"}"),
                400, "invalid_field", "role");
        assertError(server.postJson("/api/v1/users", "{\"username\":\"no spaces allowed\",\"password\":\"a long enough one\",\"role\":\"viewer\"}"),
                400, "invalid_field", "username");
        assertError(server.postJson("/api/v1/users", "{\"username\":\"ok-name\",\"password\":\"a long enough one\",\"role\":\"viewer\",\"admin\":true}"),
                400, "unknown_field", "admin");
        assertError(server.postJson("/api/v1/users", "{\"username\":\"ok-name\",\"role\":\"viewer\"}"),
                400, "missing_field", "password");
        assertError(server.send(server.request("/api/v1/users/" + UUID.randomUUID()).header("Content-Type", "application/json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"role\":\"viewer\"}")).build()), 404, "not_found", null);
        String id = createUser(unique("patchy"), "viewer");
        assertError(patch(id, "{}"), 400, "missing_field", null);
        assertError(patch(id, "{\"disabled\":\"yes\"}"), 400, "invalid_field", "disabled");
        assertError(server.get("/api/v1/users/not-a-uuid"), 400, "invalid_parameter", "id");
        assertError(server.delete("/api/v1/users/" + UUID.randomUUID()), 404, "not_found", null);
    }

    @Test
    void aUserCreatedWithTheStoreLikeTheCliSignsInAndTheAuditNamesTheCommandLine() {
        String name = unique("cli-user");
        UserStore.UserInfo u = new UserStore(server.jdbi()).create(Actor.cli(),
                new UserStore.NewUser(name, null, Role.VIEWER, "typed twice at a prompt"));
        assertThat(u.createdBy()).startsWith("command line (");
        Browser b = signInWithForm(name, "typed twice at a prompt");
        assertThat(b.get("/api/v1/me").json().get("kind").asText()).isEqualTo("user");
        JsonNode events = server.get("/api/v1/audit?action=user.created&target_id=" + u.id()).json().get("items");
        assertThat(events).hasSize(1);
        assertThat(events.get(0).get("actor").get("type").asText()).isEqualTo("cli");
        assertThat(events.get(0).get("details").get("role").asText()).isEqualTo("viewer");
    }

    // ---- signing in ------------------------------------------------------------------------------------------

    @Test
    void theSignInPageIsStrictHtmlWithACsrfToken() {
        TestServer.Response page = server.send(server.anonymous("/login?next=/dashboard%3Ftab%3D1").GET().build());
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.header("Content-Type")).isEqualTo("text/html;charset=utf-8");
        assertThat(page.header("Content-Security-Policy")).startsWith("default-src 'none'; style-src 'sha256-")
                .endsWith("'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'");
        assertThat(page.header("X-Frame-Options")).isEqualTo("DENY");
        assertThat(page.header("Cache-Control")).isEqualTo("no-store");
        String cookie = setCookie(page, SessionCookies.LOGIN_CSRF);
        assertThat(cookie).matches("sbs_login_csrf=sbs_[A-Za-z0-9_-]{43}; Path=/login; Max-Age=7200; HttpOnly; SameSite=Strict");
        assertThat(hiddenCsrf(page)).isEqualTo(cookieValue(cookie));
        assertThat(page.body()).contains("<input type=\"hidden\" name=\"next\" value=\"/dashboard?tab=1\">")
                .contains("<form method=\"post\" action=\"/login\">").doesNotContain("<script");

        assertError(server.send(server.anonymous("/login?next=//evil.example/").GET().build()), 400, "invalid_parameter", "next");
        assertError(server.send(server.anonymous("/login?next=https://evil.example/").GET().build()), 400, "invalid_parameter", "next");
        assertError(server.send(server.anonymous("/login?next=/%5Cevil.example").GET().build()), 400, "invalid_parameter", "next");
    }

    @Test
    void aFormSignInRedirectsWithAStrictHttpOnlyCookieAndTheSessionWorks() {
        String name = unique("editor");
        createUser(name, "editor");
        TestServer.Response page = server.send(server.anonymous("/login").GET().build());
        String loginCookie = cookieValue(setCookie(page, SessionCookies.LOGIN_CSRF));
        TestServer.Response r = postForm("/login", "sbs_login_csrf=" + loginCookie, Map.of("username", name,
                "password", "correct horse battery", "_csrf", hiddenCsrf(page), "next", "/dashboard"), Map.of());
        assertThat(r.status()).isEqualTo(303);
        assertThat(r.header("Location")).isEqualTo("/dashboard");
        String session = setCookie(r, SessionCookies.SESSION);
        assertThat(session).matches("sbs_session=sbs_[A-Za-z0-9_-]{43}; Path=/; Max-Age=604800; HttpOnly; SameSite=Strict");
        assertThat(setCookie(r, SessionCookies.LOGIN_CSRF)).isEqualTo("sbs_login_csrf=; Path=/login; Max-Age=0; HttpOnly; SameSite=Strict");

        Browser b = new Browser(cookieValue(session), null);
        JsonNode s = b.get("/api/v1/session").json();
        assertThat(s.get("user").get("username").asText()).isEqualTo(name);
        assertThat(s.get("user").get("role").asText()).isEqualTo("editor");
        assertThat(s.get("csrf_token").asText()).matches("sbs_[A-Za-z0-9_-]{43}");
        JsonNode me = b.get("/api/v1/me").json();
        assertThat(me.get("kind").asText()).isEqualTo("user");
        assertThat(me.get("name").asText()).isEqualTo(name);
        assertThat(me.get("scopes").toString()).isEqualTo("[\"ingest\",\"read\",\"write\"]");
        assertThat(new UserStore(server.jdbi()).findByUsername(name).orElseThrow().lastLoginAt()).isNotNull();
    }

    @Test
    void theCookieIsSecureWhenTheRequestCameOverHttps() {
        String name = unique("tls");
        createUser(name, "viewer");
        TestServer.Response r = server.send(server.anonymous("/login").header("Content-Type", "application/json")
                .header("X-Forwarded-Proto", "https")
                .POST(HttpRequest.BodyPublishers.ofString(credentials(name, "correct horse battery"))).build());
        assertThat(r.status()).isEqualTo(200);
        assertThat(setCookie(r, SessionCookies.SESSION)).endsWith("; HttpOnly; SameSite=Strict; Secure");
        TestServer.Response page = server.send(server.anonymous("/login").header("X-Forwarded-Proto", "https").GET().build());
        assertThat(setCookie(page, SessionCookies.LOGIN_CSRF)).endsWith("; Secure");
    }

    @Test
    void aJsonSignInAnswersTheSessionAndItsCsrfToken() {
        String name = unique("script");
        createUser(name, "admin");
        TestServer.Response r = jsonSignIn(name, "correct horse battery");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.header("Cache-Control")).isEqualTo("no-store");
        JsonNode body = r.json();
        assertThat(body.get("user").get("username").asText()).isEqualTo(name);
        assertThat(body.get("user").get("scopes").toString()).isEqualTo("[\"admin\",\"ingest\",\"read\",\"worker\",\"write\"]");
        Browser b = new Browser(cookieValue(setCookie(r, SessionCookies.SESSION)), body.get("csrf_token").asText());
        assertThat(b.get("/api/v1/session").json().get("csrf_token").asText()).isEqualTo(b.csrf());
        assertThat(b.get("/api/v1/users").status()).isEqualTo(200);

        // A signed-in admin creates a user; the record and the audit trail name that admin.
        String made = unique("made-by-admin");
        TestServer.Response created = b.send("POST", "/api/v1/users",
                "{\"username\":\"" + made + "\",\"password\":\"correct horse battery\",\"role\":\"viewer\"}", true);
        assertThat(created.status()).isEqualTo(201);
        assertThat(created.json().get("created_by").asText()).isEqualTo("user " + name);
        JsonNode event = server.get("/api/v1/audit?action=user.created&target_id=" + created.json().get("id").asText())
                .json().get("items").get(0);
        assertThat(event.get("actor").get("type").asText()).isEqualTo("user");
        assertThat(event.get("actor").get("name").asText()).isEqualTo(name);
        assertThat(event.get("address").asText()).isEqualTo("127.0.0.1");
    }

    @Test
    void signInRequestsThatAreNotFormsOrJsonOrComeFromAnotherSiteAreRefused() {
        assertError(server.send(server.anonymous("/login").header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString("username=a&password=b")).build()), 415, "unsupported_media_type", "Content-Type");
        assertError(server.send(server.anonymous("/login")
                .POST(HttpRequest.BodyPublishers.ofString(credentials("a", "a long password"))).build()), 415, "unsupported_media_type", "Content-Type");
        assertError(server.send(server.anonymous("/login").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"a\"}")).build()), 400, "missing_field", "password");
        assertError(server.send(server.anonymous("/login").header("Content-Type", "application/json")
                .header("Sec-Fetch-Site", "cross-site")
                .POST(HttpRequest.BodyPublishers.ofString(credentials("a", "b"))).build()), 403, "csrf_failed", null);

        // A form without the double-submit token (a login CSRF attempt) gets the form again, not a session.
        TestServer.Response noToken = postForm("/login", null, Map.of("username", "someone", "password", "whatever it is"), Map.of());
        assertThat(noToken.status()).isEqualTo(403);
        assertThat(noToken.body()).contains("The sign-in form expired. Please try again.");
        assertThat(setCookie(noToken, SessionCookies.SESSION)).isNull();
        TestServer.Response wrongToken = postForm("/login", "sbs_login_csrf=" + Tokens.generate(),
                Map.of("username", "someone", "password", "whatever it is", "_csrf", Tokens.generate()), Map.of());
        assertThat(wrongToken.status()).isEqualTo(403);
        assertThat(setCookie(wrongToken, SessionCookies.SESSION)).isNull();
    }

    @Test
    void aWrongPasswordAndAnUnknownUserAreAnsweredAlike() {
        String name = unique("known");
        createUser(name, "viewer");
        String ghost = unique("ghost");
        TestServer.Response wrong = jsonSignIn(name, "not the password at all");
        TestServer.Response unknown = jsonSignIn(ghost, "not the password at all");
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(unknown.status()).isEqualTo(401);
        assertThat(wrong.body()).isEqualTo(unknown.body())
                .isEqualTo("{\"error\":\"invalid_credentials\",\"message\":\"wrong username or password\",\"field\":null}");

        TestServer.Response page = server.send(server.anonymous("/login").GET().build());
        String cookie = "sbs_login_csrf=" + cookieValue(setCookie(page, SessionCookies.LOGIN_CSRF));
        TestServer.Response formWrong = postForm("/login", cookie,
                Map.of("username", name, "password", "not the password at all", "_csrf", hiddenCsrf(page)), Map.of());
        TestServer.Response formUnknown = postForm("/login", cookie,
                Map.of("username", ghost, "password", "not the password at all", "_csrf", hiddenCsrf(page)), Map.of());
        assertThat(formWrong.status()).isEqualTo(401);
        assertThat(formUnknown.status()).isEqualTo(401);
        assertThat(formWrong.body()).contains("Wrong username or password.");
        assertThat(formWrong.body().replace(name, "NAME")).isEqualTo(formUnknown.body().replace(ghost, "NAME"));
        assertThat(setCookie(formWrong, SessionCookies.SESSION)).isNull();
        TestServer.Response hostile = postForm("/login", cookie, Map.of("username", "\"><script>alert(1)</script>",
                "password", "not the password at all", "_csrf", hiddenCsrf(page)), Map.of());
        assertThat(hostile.status()).isEqualTo(401);
        assertThat(hostile.body()).contains("value=\"&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;\"").doesNotContain("<script>");

        // A disabled user with the right password is refused the same way.
        String disabled = unique("gone");
        String id = createUser(disabled, "viewer");
        assertThat(patch(id, "{\"disabled\":true}").status()).isEqualTo(200);
        TestServer.Response refused = jsonSignIn(disabled, "correct horse battery");
        assertThat(refused.status()).isEqualTo(401);
        assertThat(refused.body()).isEqualTo(wrong.body());

        JsonNode failures = server.get("/api/v1/audit?action=session.login_failed&limit=500").json().get("items");
        assertThat(failures.findValuesAsText("username")).contains(name, ghost, disabled);
        assertThat(failures.toString()).doesNotContain("not the password at all").doesNotContain("correct horse battery");
        assertThat(failures.findValuesAsText("reason")).contains("unknown_user", "wrong_password", "disabled");
    }

    @Test
    void repeatedFailuresAreThrottledWithRetryAfterEvenForTheRightPassword() {
        String name = unique("target");
        createUser(name, "viewer");
        for (int i = 0; i < 5; i++) assertThat(jsonSignIn(name.toUpperCase(), "guess number " + i + "!!").status()).isEqualTo(401);
        TestServer.Response limited = jsonSignIn(name, "correct horse battery");
        assertThat(limited.status()).isEqualTo(429);
        assertThat(limited.json().get("error").asText()).isEqualTo("too_many_attempts");
        long retryAfter = Long.parseLong(limited.header("Retry-After"));
        assertThat(retryAfter).isBetween(1L, 180L);
        assertThat(setCookie(limited, SessionCookies.SESSION)).isNull();

        TestServer.Response page = server.send(server.anonymous("/login").GET().build());
        TestServer.Response form = postForm("/login", "sbs_login_csrf=" + cookieValue(setCookie(page, SessionCookies.LOGIN_CSRF)),
                Map.of("username", name, "password", "correct horse battery", "_csrf", hiddenCsrf(page)), Map.of());
        assertThat(form.status()).isEqualTo(429);
        assertThat(form.header("Retry-After")).isNotNull();
        assertThat(form.body()).contains("Too many failed sign-ins. Try again in ");

        // Another username from the same address is not locked out by this one.
        String other = unique("bystander");
        createUser(other, "viewer");
        assertThat(jsonSignIn(other, "correct horse battery").status()).isEqualTo(200);
    }

    @Test
    void manyFailuresFromOneAddressAreThrottledWhateverTheUsername() {
        try (TestServer own = TestServer.start(TestDatabase.get().newDatabase(), Map.of())) {
            for (int i = 0; i < 30; i++) {
                TestServer.Response r = own.send(own.anonymous("/login").header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(credentials("sprayed-" + i, "Spring2026!Spring"))).build());
                assertThat(r.status()).as("attempt " + i).isEqualTo(401);
            }
            TestServer.Response r = own.send(own.anonymous("/login").header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(credentials("sprayed-30", "Spring2026!Spring"))).build());
            assertThat(r.status()).isEqualTo(429);
            assertThat(Long.parseLong(r.header("Retry-After"))).isBetween(1L, 30L);
        }
    }

    // ---- using a session -------------------------------------------------------------------------------------

    @Test
    void theRoleDecidesWhatASessionMayDo() {
        String id = server.postJson("/api/v1/prompt-history", "{\"type\":\"console\"}").json().get("id").asText();
        Browser viewer = signInWithJson(createAndName("viewer"));
        assertThat(viewer.get("/api/v1/prompt-history").status()).isEqualTo(200);
        TestServer.Response delete = viewer.send("DELETE", "/api/v1/prompt-history/" + id, null, true);
        assertError(delete, 403, "forbidden", null);
        assertError(viewer.send("POST", "/api/v1/prompt-history", "{\"type\":\"console\"}", true), 403, "forbidden", null);

        Browser editor = signInWithJson(createAndName("editor"));
        assertThat(editor.send("POST", "/api/v1/prompt-history", "{\"type\":\"console\"}", true).status()).isEqualTo(201);
        assertError(editor.get("/api/v1/users"), 403, "forbidden", null);
        assertError(editor.get("/api/v1/audit"), 403, "forbidden", null);

        Browser admin = signInWithJson(createAndName("admin"));
        assertThat(admin.send("DELETE", "/api/v1/prompt-history/" + id, null, true).status()).isEqualTo(204);
    }

    @Test
    void aCookieRequestThatChangesSomethingNeedsTheCsrfToken() {
        Browser editor = signInWithJson(createAndName("editor"));
        TestServer.Response none = editor.send("POST", "/api/v1/prompt-history", "{\"type\":\"console\"}", false);
        assertThat(none.status()).isEqualTo(403);
        assertThat(none.body()).isEqualTo("{\"error\":\"csrf_failed\",\"message\":\"a signed-in browser request that "
                + "changes something needs the session's CSRF token in the X-CSRF-Token header or the _csrf form field "
                + "(GET /api/v1/session gives it)\",\"field\":null}");
        Browser forged = new Browser(editor.cookie(), Tokens.generate());
        assertError(forged.send("POST", "/api/v1/prompt-history", "{\"type\":\"console\"}", true), 403, "csrf_failed", null);
        TestServer.Response crossSite = server.send(editor.builder("/api/v1/prompt-history").header("X-CSRF-Token", editor.csrf())
                .header("Sec-Fetch-Site", "cross-site").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"type\":\"console\"}")).build());
        assertError(crossSite, 403, "csrf_failed", null);
        assertThat(editor.send("POST", "/api/v1/prompt-history", "{\"type\":\"console\"}", true).status()).isEqualTo(201);
        // Reading needs no token; a bearer token needs none either.
        assertThat(editor.get("/api/v1/prompt-history?limit=1").status()).isEqualTo(200);
        assertThat(server.postJson("/api/v1/prompt-history", "{\"type\":\"console\"}").status()).isEqualTo(201);
    }

    @Test
    void signingOutEndsTheSessionAndClearsTheCookie() {
        String name = createAndName("viewer");
        Browser b = signInWithForm(name, "correct horse battery");
        assertError(b.send("POST", "/logout", null, false), 403, "csrf_failed", null);
        TestServer.Response out = postForm("/logout", "sbs_session=" + b.cookie(), Map.of("_csrf", b.csrf()), Map.of());
        assertThat(out.status()).isEqualTo(303);
        assertThat(out.header("Location")).isEqualTo("/login");
        assertThat(setCookie(out, SessionCookies.SESSION)).isEqualTo("sbs_session=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict");
        TestServer.Response after = b.get("/api/v1/session");
        assertError(after, 401, "session_expired", null);

        Browser json = signInWithJson(name);
        TestServer.Response out2 = server.send(json.builder("/logout").header("X-CSRF-Token", json.csrf())
                .header("Accept", "application/json").POST(HttpRequest.BodyPublishers.noBody()).build());
        assertThat(out2.status()).isEqualTo(204);
        assertThat(json.get("/api/v1/me").status()).isEqualTo(401);

        JsonNode events = server.get("/api/v1/audit?action=session.logout&actor=" + name).json().get("items");
        assertThat(events).hasSize(2);
        assertThat(events.get(0).get("actor").get("type").asText()).isEqualTo("user");
        assertThat(events.get(0).get("address").asText()).isEqualTo("127.0.0.1");
    }

    @Test
    void aBearerTokenHasNoSession() {
        assertError(server.get("/api/v1/session"), 404, "no_session", null);
        assertError(server.send(server.request("/logout").POST(HttpRequest.BodyPublishers.noBody()).build()), 404, "no_session", null);
        assertError(server.send(server.anonymous("/api/v1/session").GET().build()), 401, "missing_token", null);
        assertError(new Browser("sbs_" + "A".repeat(43), null).get("/api/v1/session"), 401, "session_expired", null);
    }

    @Test
    void aNewPasswordOrDisablingEndsTheUsersSessionsAtOnce() {
        String name = unique("rotating");
        String id = createUser(name, "editor");
        Browser first = signInWithJson(name);
        Browser second = signInWithForm(name, "correct horse battery");
        assertThat(first.get("/api/v1/me").status()).isEqualTo(200);

        TestServer.Response changed = patch(id, "{\"password\":\"a brand new passphrase\"}");
        assertThat(changed.status()).isEqualTo(200);
        assertThat(changed.body()).doesNotContain("a brand new passphrase");
        assertError(first.get("/api/v1/me"), 401, "session_expired", null);
        assertError(second.get("/api/v1/me"), 401, "session_expired", null);
        assertThat(jsonSignIn(name, "correct horse battery").status()).isEqualTo(401);

        Browser third = new Browser(cookieValue(setCookie(jsonSignIn(name, "a brand new passphrase"), SessionCookies.SESSION)), null);
        assertThat(third.get("/api/v1/me").status()).isEqualTo(200);
        assertThat(patch(id, "{\"disabled\":true}").json().get("state").asText()).isEqualTo("disabled");
        assertError(third.get("/api/v1/me"), 401, "session_expired", null);
        assertThat(new SessionStore(server.jdbi()).countForUser(UUID.fromString(id))).isZero();
        assertThat(patch(id, "{\"disabled\":false}").json().get("state").asText()).isEqualTo("active");
        assertThat(jsonSignIn(name, "a brand new passphrase").status()).isEqualTo(200);

        TestServer.Response demoted = patch(id, "{\"role\":\"viewer\",\"display_name\":\"R.\"}");
        assertThat(demoted.json().get("role").asText()).isEqualTo("viewer");
        assertThat(demoted.json().get("display_name").asText()).isEqualTo("R.");

        JsonNode events = server.get("/api/v1/audit?action=user.*&target_id=" + id).json().get("items");
        List<String> actions = new ArrayList<>();
        events.forEach(e -> actions.add(e.get("action").asText()));
        assertThat(actions).containsExactly("user.updated", "user.enabled", "user.disabled", "user.password_changed", "user.created");
        assertThat(events.get(0).get("details").get("changes")).isEqualTo(json(
                "{\"role\":{\"from\":\"editor\",\"to\":\"viewer\"},\"display_name\":{\"from\":null,\"to\":\"R.\"}}"));
        assertThat(events.get(3).get("details").get("sessions_ended").asInt()).isEqualTo(2);
        assertThat(events.get(0).get("actor").get("type").asText()).isEqualTo("auth_token");
        assertThat(events.toString()).doesNotContain("passphrase").doesNotContain("argon2");
    }

    @Test
    void idleAndOldSessionsEnd() {
        Browser idle = signInWithJson(createAndName("viewer"));
        server.jdbi().useHandle(h -> h.createUpdate("update user_session set last_seen_at = now() - interval '13 hours' where session_hash = :h")
                .bind("h", Tokens.hashHex(idle.cookie())).execute());
        assertError(idle.get("/api/v1/me"), 401, "session_expired", null);

        Browser old = signInWithJson(createAndName("viewer"));
        server.jdbi().useHandle(h -> h.createUpdate("update user_session set expires_at = now() - interval '1 second' where session_hash = :h")
                .bind("h", Tokens.hashHex(old.cookie())).execute());
        assertError(old.get("/api/v1/me"), 401, "session_expired", null);
    }

    @Test
    void aPasswordHashedWithOldParametersIsUpgradedAtSignIn() {
        String name = createAndName("viewer");
        String old = com.password4j.Password.hash("correct horse battery").addRandomSalt(16)
                .with(com.password4j.Argon2Function.getInstance(4096, 3, 1, 32, com.password4j.types.Argon2.ID, 19)).getResult();
        server.jdbi().useHandle(h -> h.createUpdate("update app_user set password_hash = :h where username = :u")
                .bind("h", old).bind("u", name).execute());
        assertThat(jsonSignIn(name, "correct horse battery").status()).isEqualTo(200);
        String now = server.jdbi().withHandle(h -> h.createQuery("select password_hash from app_user where username = :u")
                .bind("u", name).mapTo(String.class).one());
        assertThat(now).startsWith("$argon2id$v=19$m=19456,t=2,p=1$");
        assertThat(jsonSignIn(name, "correct horse battery").status()).isEqualTo(200);
    }

    @Test
    void theSessionIsStoredOnlyAsAHash() {
        Browser b = signInWithJson(createAndName("viewer"));
        List<String> stored = server.jdbi().withHandle(h -> h.createQuery("select session_hash from user_session")
                .mapTo(String.class).list());
        assertThat(stored).contains(Tokens.hashHex(b.cookie())).doesNotContain(b.cookie());
    }

    @Test
    void deletingAUserEndsItAndIsAudited() {
        String name = unique("leaving");
        String id = createUser(name, "viewer");
        Browser b = signInWithJson(name);
        assertThat(server.delete("/api/v1/users/" + id).status()).isEqualTo(204);
        assertError(b.get("/api/v1/me"), 401, "session_expired", null);
        assertError(server.get("/api/v1/users/" + id), 404, "not_found", null);
        JsonNode e = server.get("/api/v1/audit?action=user.deleted&target_id=" + id).json().get("items").get(0);
        assertThat(e.get("details").get("username").asText()).isEqualTo(name);
        assertThat(e.get("details").get("sessions_ended").asInt()).isEqualTo(1);
    }

    @Test
    void theLastEnabledAdminCannotBeDemotedDisabledOrDeleted() {
        try (TestServer own = TestServer.start(TestDatabase.get().newDatabase(), Map.of())) {
            String first = own.postJson("/api/v1/users", "{\"username\":\"root\",\"password\":\"correct horse battery\",\"role\":\"admin\"}")
                    .json().get("id").asText();
            assertError(patchOn(own, first, "{\"role\":\"editor\"}"), 409, "last_admin", null);
            assertError(patchOn(own, first, "{\"disabled\":true}"), 409, "last_admin", null);
            assertError(own.delete("/api/v1/users/" + first), 409, "last_admin", null);
            String second = own.postJson("/api/v1/users", "{\"username\":\"root2\",\"password\":\"correct horse battery\",\"role\":\"admin\"}")
                    .json().get("id").asText();
            assertThat(patchOn(own, first, "{\"role\":\"editor\"}").status()).isEqualTo(200);
            assertError(own.delete("/api/v1/users/" + second), 409, "last_admin", null);
        }
    }

    // ---- secrets ---------------------------------------------------------------------------------------------

    @Test
    void noPasswordHashOrCookieAppearsInAnyAnswerOrLogLine() throws Exception {
        // Logging as the server configures it (levels included), plus a list that sees every line synchronously.
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        Logging.configure(Config.LogFormat.TEXT, Optional.empty());
        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        logs.start();
        root.addAppender(logs);
        List<TestServer.Response> answers = new ArrayList<>();
        String name = unique("secretive");
        String password = "Pa55word-that-must-not-leak";
        String newPassword = "Another-secret-never-logged";
        try {
            answers.add(server.postJson("/api/v1/users", "{\"username\":\"" + name + "\",\"password\":\"" + password + "\",\"role\":\"editor\"}"));
            String id = answers.get(0).json().get("id").asText();
            answers.add(jsonSignIn(name, password + "x"));
            answers.add(jsonSignIn(name, password));
            Browser b = new Browser(cookieValue(setCookie(answers.get(2), SessionCookies.SESSION)), answers.get(2).json().get("csrf_token").asText());
            answers.add(b.get("/api/v1/session"));
            answers.add(b.send("POST", "/api/v1/prompt-history", "{\"type\":\"console\"}", false));
            answers.add(b.send("POST", "/api/v1/prompt-history", "{not json", true));
            answers.add(b.get("/api/v1/users"));
            answers.add(server.postJson("/api/v1/users", "{\"username\":\"" + unique("x") + "\",\"password\":\"" + "short\",\"role\":\"viewer\"}"));
            answers.add(server.postJson("/api/v1/users", "{\"username\":\"" + name + "\",\"password\":\"" + password + "\",\"role\":\"viewer\"}"));
            answers.add(patch(id, "{\"password\":\"" + newPassword + "\"}"));
            answers.add(b.get("/api/v1/me"));
            answers.add(server.get("/api/v1/audit?limit=500"));
            answers.add(server.get("/api/v1/users/" + id));
            answers.add(server.send(server.anonymous("/login").header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"" + name + "\",\"password\":\"" + newPassword + "\"")).build()));
            answers.add(postForm("/login", null, Map.of("username", name, "password", newPassword), Map.of()));
            String hash = server.jdbi().withHandle(h -> h.createQuery("select password_hash from app_user where id = cast(:id as uuid)")
                    .bind("id", id).mapTo(String.class).one());
            assertThat(hash).startsWith("$argon2id$v=19$m=19456,t=2,p=1$");

            String everything = answers.stream().map(r -> r.status() + " " + r.headers() + " " + r.body())
                    .collect(Collectors.joining("\n"));
            assertThat(answers.stream().map(TestServer.Response::status).toList())
                    .containsExactly(201, 401, 200, 200, 403, 400, 403, 400, 409, 200, 401, 200, 200, 400, 403);
            String logged = logs.list.stream().map(e -> e.getFormattedMessage() + " " + e.getMDCPropertyMap()
                    + (e.getThrowableProxy() == null ? "" : " " + e.getThrowableProxy().getMessage())).collect(Collectors.joining("\n"));
            assertThat(logs.list).isNotEmpty(); // the request log saw these requests
            for (String secret : List.of(password, newPassword, "short\"", hash, hash.substring(hash.lastIndexOf('$') + 1), b.cookie(),
                    Tokens.hashHex(b.cookie()), TestServer.TOKEN)) {
                assertThat(logged).as("log lines").doesNotContain(secret);
                // The one place the cookie value may be: the sign-in answer's own Set-Cookie.
                assertThat(everything.replace("set-cookie=[sbs_session=" + b.cookie() + ";", "")).as("answers").doesNotContain(secret);
            }
        } finally {
            context.reset();
            new ContextInitializer(context).autoConfig(); // back to the test JVM's default logging
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

    private static JsonNode json(String text) {
        try {
            return Json.MAPPER.readTree(text);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static String createUser(String username, String role) {
        TestServer.Response r = server.postJson("/api/v1/users", """
                {"username":"%s","password":"correct horse battery","role":"%s"}""".formatted(username, role));
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        return r.json().get("id").asText();
    }

    private static String createAndName(String role) {
        String name = unique(role);
        createUser(name, role);
        return name;
    }

    private static String credentials(String username, String password) {
        return "{\"username\":\"" + username + "\",\"password\":\"" + password + "\"}";
    }

    private static TestServer.Response jsonSignIn(String username, String password) {
        return server.send(server.anonymous("/login").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(credentials(username, password))).build());
    }

    private static Browser signInWithJson(String username) {
        TestServer.Response r = jsonSignIn(username, "correct horse battery");
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return new Browser(cookieValue(setCookie(r, SessionCookies.SESSION)), r.json().get("csrf_token").asText());
    }

    private static Browser signInWithForm(String username, String password) {
        TestServer.Response page = server.send(server.anonymous("/login").GET().build());
        TestServer.Response r = postForm("/login", "sbs_login_csrf=" + cookieValue(setCookie(page, SessionCookies.LOGIN_CSRF)),
                Map.of("username", username, "password", password, "_csrf", hiddenCsrf(page)), Map.of());
        assertThat(r.status()).as(r.toString()).isEqualTo(303);
        Browser b = new Browser(cookieValue(setCookie(r, SessionCookies.SESSION)), null);
        return new Browser(b.cookie(), b.get("/api/v1/session").json().get("csrf_token").asText());
    }

    private static TestServer.Response postForm(String path, String cookie, Map<String, String> fields, Map<String, String> headers) {
        String body = fields.entrySet().stream().map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
        HttpRequest.Builder r = server.anonymous(path).header("Content-Type", "application/x-www-form-urlencoded");
        if (cookie != null) r.header("Cookie", cookie);
        headers.forEach(r::header);
        return server.send(r.POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    private static TestServer.Response patch(String id, String json) {
        return patchOn(server, id, json);
    }

    private static TestServer.Response patchOn(TestServer s, String id, String json) {
        return s.send(s.request("/api/v1/users/" + id).header("Content-Type", "application/json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString(json)).build());
    }

    /** The Set-Cookie line for this cookie name, or null. */
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

    private static void assertError(TestServer.Response r, int status, String code, String field) {
        assertThat(r.status()).as(r.toString()).isEqualTo(status);
        JsonNode j = r.json();
        assertThat(j.get("error").asText()).as(r.toString()).isEqualTo(code);
        assertThat(j.get("message").asText()).isNotBlank();
        if (field == null) {
            assertThat(j.get("field").isNull()).as(r.toString()).isTrue();
        } else {
            assertThat(j.get("field").asText()).as(r.toString()).isEqualTo(field);
        }
    }
}
