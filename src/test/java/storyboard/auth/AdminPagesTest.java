package storyboard.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import storyboard.support.TestDatabase;
import storyboard.support.TestServer;
import storyboard.web.Pages;

/**
 * The admin pages over HTTP: forms read strictly (every bad input a 4xx page, never a 500), the session's CSRF token
 * required, the same store commands (and so the same audit rows and events) as the API, cursor pagination, and
 * refusals for anyone but an unrestricted admin.
 */
class AdminPagesTest {
    private static final Pattern SECRET = Pattern.compile("id=\"new-token\"[^>]*>(sbs_[A-Za-z0-9_-]{43})<");
    private final TestServer server = TestServer.shared();

    @Test
    void aSignedInAdminsFormNeedsTheSessionsCsrfToken() {
        Session admin = signIn(server, newUser(server, "admin"));
        String name = "csrf-" + UUID.randomUUID();
        TestServer.Response refused = admin.post("/admin/tokens", "name=" + name + "&scopes=read", false);
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.header("Content-Type")).startsWith("text/html");
        assertThat(refused.body()).contains("csrf_failed");
        assertThat(server.get("/api/v1/tokens").body()).doesNotContain(name);

        TestServer.Response created = admin.post("/admin/tokens", "name=" + name + "&scopes=read&scopes=ingest", true);
        assertThat(created.status()).isEqualTo(201);
        assertThat(created.header("Content-Security-Policy")).isEqualTo(Pages.CONTENT_SECURITY_POLICY);
        assertThat(created.header("Cache-Control")).isEqualTo("no-store");
        Matcher m = SECRET.matcher(created.body());
        assertThat(m.find()).as(created.body()).isTrue();
        JsonNode me = server.call(m.group(1), "GET", "/api/v1/me", null).json();
        assertThat(me.get("name").asText()).isEqualTo(name);
        assertThat(me.get("scopes").toString()).isEqualTo("[\"ingest\",\"read\"]");
        assertThat(me.get("projects").isNull()).isTrue();
        // The list never shows it again.
        assertThat(admin.get("/admin/tokens").body()).contains(name).doesNotContain(m.group(1));
    }

    @Test
    void aTokenMadeOnThePageIsTheSameChangeAsOneMadeThroughTheApi() {
        String viaPage = "page-" + UUID.randomUUID();
        String viaApi = "api-" + UUID.randomUUID();
        TestServer.Response page = form(server, TestServer.TOKEN, "/admin/tokens", "name=" + viaPage
                + "&scopes=write&projects=" + enc("alpha\r\nbeta, gamma") + "&expires_in=30d&rate_limit=7");
        assertThat(page.status()).isEqualTo(201);
        assertThat(server.postJson("/api/v1/tokens", "{\"name\":\"" + viaApi + "\",\"scopes\":[\"write\"],"
                + "\"projects\":[\"gamma\",\"alpha\",\"beta\"],\"expires_in\":\"30d\",\"rate_limit\":7}").status()).isEqualTo(201);
        JsonNode fromPage = audit("token.created", viaPage);
        JsonNode fromApi = audit("token.created", viaApi);
        assertThat(names(fromPage.get("details"))).isEqualTo(names(fromApi.get("details")));
        assertThat(fromPage.get("details").get("projects")).isEqualTo(fromApi.get("details").get("projects"));
        assertThat(fromPage.get("details").get("rate_limit").asInt()).isEqualTo(7);
        assertThat(fromPage.get("actor")).isEqualTo(fromApi.get("actor"));
        // And the same event, which webhooks and the live stream see.
        JsonNode events = server.get("/api/v1/events?types=token.created&limit=500").json().get("items");
        assertThat(events.toString()).contains(viaPage).contains(viaApi);
    }

    @Test
    void badInputIsA4xxPageNamingWhatIsWrong() {
        String t = TestServer.TOKEN;
        assertPage(form(server, t, "/admin/tokens", "name=x&scopes=read&admin=true"), 400, "unknown_field");
        assertPage(form(server, t, "/admin/tokens", "name=x&name=y&scopes=read"), 400, "given more than once");
        assertPage(server.postJson("/admin/tokens", "{\"name\":\"x\",\"scopes\":[\"read\"]}"), 415, "unsupported_media_type");
        // A refused token is the form again, with the values typed and the reason.
        TestServer.Response noScope = form(server, t, "/admin/tokens", "name=kept+name");
        assertPage(noScope, 400, "a token needs at least one scope");
        assertThat(noScope.body()).contains("value=\"kept name\"");
        assertPage(form(server, t, "/admin/tokens", "name=x&scopes=root"), 400, "unknown scope");
        assertPage(form(server, t, "/admin/tokens", "name=x&scopes=read&expires_in=forever"), 400, "30d, 12h or 90m");
        assertPage(form(server, t, "/admin/tokens", "name=x&scopes=read&rate_limit=lots"), 400, "rate limit");
        assertPage(form(server, t, "/admin/tokens", "name=x&scopes=read&rate_limit=-1"), 400, "rate limit");
        assertPage(form(server, t, "/admin/tokens", "scopes=read"), 400, "a token needs a name");
        assertPage(form(server, t, "/admin/tokens/not-an-id/revoke", ""), 400, "invalid_parameter");
        assertPage(form(server, t, "/admin/tokens/" + UUID.randomUUID() + "/revoke", ""), 404, "not_found");
        assertPage(server.get("/admin/tokens?state=lost"), 400, "invalid_parameter");
        assertPage(server.get("/admin/tokens?cursor=bogus"), 400, "not a cursor");
        assertPage(server.get("/admin/tokens?done=revoked&token=nope"), 400, "invalid_parameter");
        assertPage(server.get("/admin/tokens/new?x=1"), 400, "unknown_parameter");

        String user = newUserId(server, "viewer");
        assertPage(form(server, t, "/admin/users/" + user, "role=editor&disabled=true"), 400, "either the role");
        assertPage(form(server, t, "/admin/users/" + user, ""), 400, "either the role");
        assertPage(form(server, t, "/admin/users/" + user, "role=owner"), 400, "admin, editor or viewer");
        assertPage(form(server, t, "/admin/users/" + user, "disabled=maybe"), 400, "true or false");
        assertPage(form(server, t, "/admin/users/" + UUID.randomUUID(), "role=editor"), 404, "not_found");
        TestServer.Response shortPassword = form(server, t, "/admin/users", "username=kept-user&role=editor&password=short");
        assertPage(shortPassword, 400, "at least 12 characters");
        assertThat(shortPassword.body()).contains("value=\"kept-user\"").doesNotContain("value=\"short\"");
        assertPage(form(server, t, "/admin/users", "username=bad+name&role=viewer&password=long+enough+password"), 400, "a username has");
        String taken = "taken-" + UUID.randomUUID().toString().substring(0, 8);
        newUser(server, "viewer", taken);
        assertPage(form(server, t, "/admin/users", "username=" + taken + "&role=viewer&password=long+enough+password"), 409, "is taken");

        assertPage(server.get("/admin/audit?from=yesterday"), 400, "ISO-8601");
        assertPage(server.get("/admin/audit?cursor=bogus"), 400, "not a cursor");
        assertPage(server.get("/admin/audit?limit=5"), 400, "unknown_parameter");
    }

    @Test
    void whatAVisitorTypedIsEscaped() {
        String hostile = "<script>alert(1)</script>" + UUID.randomUUID();
        assertThat(form(server, TestServer.TOKEN, "/admin/tokens", "name=" + enc(hostile) + "&scopes=read").status()).isEqualTo(201);
        String list = server.get("/admin/tokens").body();
        assertThat(list).doesNotContain("<script>alert(1)").contains("&lt;script&gt;alert(1)&lt;/script&gt;");
        String trail = server.get("/admin/audit?action=token.created").body();
        assertThat(trail).doesNotContain("<script>alert(1)");
    }

    @Test
    void onlyAnUnrestrictedAdminSeesTheAdminPages() {
        String restricted = server.createToken("{\"name\":\"lead\",\"scopes\":[\"admin\"],\"projects\":[\"p1\"]}");
        String reader = server.createToken("{\"name\":\"reader\",\"scopes\":[\"read\"]}");
        for (String path : List.of("/admin", "/admin/tokens", "/admin/tokens/new", "/admin/users", "/admin/audit")) {
            assertPage(server.call(restricted, "GET", path, null), 403, "cannot manage the whole server");
            assertPage(server.call(reader, "GET", path, null), 403, "lacks the 'admin' scope");
        }
        assertPage(form(server, restricted, "/admin/tokens", "name=escalate&scopes=admin"), 403, "forbidden");
        assertThat(server.get("/api/v1/tokens").body()).doesNotContain("escalate");
        // The navigation offers the admin pages to an admin only.
        assertThat(server.call(restricted, "GET", "/", null).body()).doesNotContain("href=\"/admin");
        assertThat(server.call(reader, "GET", "/", null).body()).doesNotContain("href=\"/admin");
        assertThat(server.call(TestServer.TOKEN, "GET", "/", null).body()).contains("<a href=\"/admin\"");
        // A signed-out browser is sent to sign in and back.
        TestServer.Response out = server.send(server.anonymous("/admin/users?state=all").GET().build());
        assertThat(out.status()).isEqualTo(303);
        assertThat(out.header("Location")).isEqualTo("/login?next=%2Fadmin%2Fusers%3Fstate%3Dall");
    }

    @Test
    void theLastAdminIsKeptAndTheListsScrollByCursor() {
        try (TestServer own = TestServer.start(TestDatabase.get().newDatabase(), Map.of())) {
            String only = newUserId(own, "admin");
            TestServer.Response refused = form(own, TestServer.TOKEN, "/admin/users/" + only, "disabled=true");
            assertPage(refused, 409, "last enabled admin");
            assertThat(refused.body()).contains("Users");
            assertPage(form(own, TestServer.TOKEN, "/admin/users/" + only, "role=viewer"), 409, "last enabled admin");
            TestServer.Response changed = form(own, TestServer.TOKEN, "/admin/users/" + newUserId(own, "viewer"), "disabled=true");
            assertThat(changed.status()).isEqualTo(303);
            assertThat(changed.header("Location")).startsWith("/admin/users?done=disabled&user=");
            assertThat(own.get(changed.header("Location")).body()).contains("their sessions have ended");

            for (int i = 0; i < 55; i++) own.createToken("{\"name\":\"t" + i + "\",\"scopes\":[\"read\"]}");
            String first = own.get("/admin/tokens").body();
            assertThat(count(first, "data-confirm=\"Revoke")).isEqualTo(50);
            assertThat(first).contains(">t54<").doesNotContain(">t4<");
            Matcher next = Pattern.compile("hx-get=\"(/admin/tokens/rows\\?[^\"]+)\"").matcher(first);
            assertThat(next.find()).isTrue();
            String rest = own.get(next.group(1).replace("&amp;", "&")).body();
            assertThat(count(rest, "data-confirm=\"Revoke")).isEqualTo(5);
            assertThat(rest).contains(">t4<").contains(">t0<").doesNotContain("hx-get").doesNotContain("<html");
            // The fallback link is the full page from the same cursor.
            Matcher more = Pattern.compile("<a href=\"(/admin/tokens\\?[^\"]+)\">More tokens").matcher(first);
            assertThat(more.find()).isTrue();
            assertThat(count(own.get(more.group(1).replace("&amp;", "&")).body(), "data-confirm=\"Revoke")).isEqualTo(5);

            for (int i = 0; i < 52; i++) newUserId(own, "viewer");
            String users = own.get("/admin/users").body();
            assertThat(count(users, "aria-label=\"Role of ")).isEqualTo(50);
            Matcher userRows = Pattern.compile("hx-get=\"(/admin/users/rows\\?[^\"]+)\"").matcher(users);
            assertThat(userRows.find()).isTrue();
            assertThat(count(own.get(userRows.group(1).replace("&amp;", "&")).body(), "aria-label=\"Role of ")).isEqualTo(4);
        }
    }

    // ---- helpers ---------------------------------------------------------------------------------------------

    private record Session(TestServer server, String cookie, String csrf) {
        TestServer.Response get(String path) {
            return server.send(server.anonymous(path).header("Cookie", "sbs_session=" + cookie).GET().build());
        }

        TestServer.Response post(String path, String body, boolean withCsrf) {
            return server.send(server.anonymous(path).header("Cookie", "sbs_session=" + cookie)
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(body + (withCsrf ? "&_csrf=" + enc(csrf) : ""))).build());
        }
    }

    private static Session signIn(TestServer s, String username) {
        TestServer.Response r = s.send(s.anonymous("/login").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"" + username + "\",\"password\":\"correct horse battery\"}")).build());
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        String setCookie = r.headers().entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase("Set-Cookie"))
                .flatMap(e -> e.getValue().stream()).filter(v -> v.startsWith("sbs_session=")).findFirst().orElseThrow();
        return new Session(s, setCookie.substring(setCookie.indexOf('=') + 1, setCookie.indexOf(';')),
                r.json().get("csrf_token").asText());
    }

    private static String newUser(TestServer s, String role) {
        String name = role + "-" + UUID.randomUUID().toString().substring(0, 8);
        newUser(s, role, name);
        return name;
    }

    private static String newUser(TestServer s, String role, String name) {
        TestServer.Response r = s.postJson("/api/v1/users", "{\"username\":\"" + name
                + "\",\"password\":\"correct horse battery\",\"role\":\"" + role + "\"}");
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        return r.json().get("id").asText();
    }

    private static String newUserId(TestServer s, String role) {
        return newUser(s, role, role + "-" + UUID.randomUUID().toString().substring(0, 8));
    }

    /** A form posted with a bearer token (no session, so no CSRF token). */
    private static TestServer.Response form(TestServer s, String token, String path, String body) {
        return s.send(s.anonymous(path).header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    private JsonNode audit(String action, String tokenName) {
        for (JsonNode e : server.get("/api/v1/audit?action=" + action + "&limit=500").json().get("items")) {
            if (tokenName.equals(e.get("details").get("name").asText())) return e;
        }
        throw new AssertionError("no " + action + " for " + tokenName);
    }

    private static List<String> names(JsonNode object) {
        List<String> out = new ArrayList<>();
        object.fieldNames().forEachRemaining(out::add);
        return out.stream().sorted().collect(Collectors.toList());
    }

    private static void assertPage(TestServer.Response r, int status, String text) {
        assertThat(r.status()).as(r.body()).isEqualTo(status);
        assertThat(r.header("Content-Type")).startsWith("text/html");
        assertThat(r.body()).contains(text);
    }

    private static int count(String text, String part) {
        int n = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) n++;
        return n;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
