package storyboard.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import storyboard.support.TestDatabase;
import storyboard.support.TestServer;

/**
 * The dashboard's event log and webhook pages over HTTP: newest first, filters, cursor pages, the live stream of
 * rows, what a restricted credential sees, redelivery through the API's command, and every bad input a 4xx page.
 */
class EventPagesTest {
    private static TestServer server;
    private static final String ADMIN = TestServer.TOKEN;
    private static final Pattern SEQ = Pattern.compile("data-seq=\"(\\d+)\"");

    @BeforeAll
    static void start() {
        server = TestServer.start(TestDatabase.get().newDatabase(), Map.of("RATE_LIMIT", "0", "RATE_LIMIT_INGEST", "0"));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static TestServer.Response page(String token, String path) {
        return server.send(server.anonymous(path).header("Authorization", "Bearer " + token)
                .header("Accept", "text/html").GET().build());
    }

    private static TestServer.Response fragment(String token, String path) {
        return server.send(server.anonymous(path).header("Authorization", "Bearer " + token)
                .header("HX-Request", "true").GET().build());
    }

    private static List<Long> seqs(String html) {
        List<Long> out = new ArrayList<>();
        Matcher m = SEQ.matcher(html);
        while (m.find()) out.add(Long.parseLong(m.group(1)));
        return out;
    }

    private static String nextCursor(String html) {
        Matcher m = Pattern.compile("hx-get=\"/events\\?([^\"]*)cursor=([^\"&]+)\"").matcher(html);
        return m.find() ? m.group(2) : null;
    }

    private static void log(String project) {
        assertThat(server.postJson("/api/v1/prompt-history", "{\"type\":\"shots\",\"projectId\":\"" + project + "\"}")
                .status()).isEqualTo(201);
    }

    @Test
    void theLogIsNewestFirstFilteredByTypeAndProjectAndPagedByCursor() {
        for (int i = 0; i < 57; i++) {
            assertThat(server.call(ADMIN, "POST", "/api/v1/budgets",
                    "{\"project\":\"evp-page-" + i + "\",\"monthly_limit\":" + (i + 1) + "}").status()).isEqualTo(201);
        }
        log("evp-other");
        TestServer.Response first = page(ADMIN, "/events?types=budget.set");
        assertThat(first.status()).isEqualTo(200);
        assertThat(first.header("Content-Type")).startsWith("text/html");
        assertThat(first.header("Content-Security-Policy")).contains("script-src 'self'");
        assertThat(first.body()).contains("<h1>Events</h1>").contains("value=\"budget.set\"")
                .doesNotContain("\">prompt_log.created</span>").contains("sse-connect=\"/events/live?types=budget.set&amp;after=");
        List<Long> one = seqs(first.body());
        assertThat(one).hasSize(EventPages.PAGE).isSortedAccordingTo((a, b) -> Long.compare(b, a));
        String cursor = nextCursor(first.body());
        assertThat(cursor).isNotNull();
        // htmx scrolling on: only the next rows, no page around them.
        TestServer.Response next = fragment(ADMIN, "/events?types=budget.set&cursor=" + cursor);
        assertThat(next.status()).isEqualTo(200);
        assertThat(next.body()).doesNotContain("<html").doesNotContain("<h1>");
        List<Long> two = seqs(next.body());
        assertThat(two).hasSize(7).isSortedAccordingTo((a, b) -> Long.compare(b, a));
        assertThat(two.get(0)).isLessThan(one.get(one.size() - 1));
        assertThat(nextCursor(next.body())).isNull();
        // Without htmx the cursor is a whole page of older events, with no live rows (it is history).
        TestServer.Response older = page(ADMIN, "/events?types=budget.set&cursor=" + cursor);
        assertThat(older.body()).contains("<h1>Events</h1>").doesNotContain("sse-connect");
        assertThat(seqs(older.body())).isEqualTo(two);

        TestServer.Response project = page(ADMIN, "/events?project=evp-page-3");
        assertThat(seqs(project.body())).hasSize(1);
        assertThat(project.body()).contains("budget.set").contains("evp-page-3").doesNotContain("evp-page-4<");
        TestServer.Response prefix = page(ADMIN, "/events?types=prompt_log.*&project=evp-other");
        assertThat(seqs(prefix.body())).hasSize(1);
        assertThat(prefix.body()).contains("prompt_log.created");
        TestServer.Response none = page(ADMIN, "/events?project=evp-nothing-here");
        assertThat(none.status()).isEqualTo(200);
        assertThat(seqs(none.body())).isEmpty();
        assertThat(none.body()).contains("No events match these filters yet.");
    }

    @Test
    void aRestrictedCredentialSeesOnlyItsProjectsEvents() {
        log("evp-mine");
        log("evp-theirs");
        assertThat(server.call(ADMIN, "POST", "/api/v1/tokens", "{\"name\":\"evp-t\",\"scopes\":[\"read\"]}").status())
                .isEqualTo(201);
        String mine = server.createToken("{\"name\":\"evp-mine\",\"scopes\":[\"read\"],\"projects\":[\"evp-mine\"]}");
        TestServer.Response r = page(mine, "/events");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body()).contains("evp-mine").doesNotContain("evp-theirs").doesNotContain("token.created");
        assertThat(seqs(r.body())).isNotEmpty();
        // Another project's events are not found, as in the API; the panel shows the same view.
        assertThat(page(mine, "/events?project=evp-theirs").status()).isEqualTo(404);
        TestServer.Response panel = fragment(mine, "/events/panel");
        assertThat(panel.status()).isEqualTo(200);
        assertThat(panel.body()).contains("evp-mine").doesNotContain("evp-theirs").doesNotContain("<html");
        // An unrestricted reader sees every project but not events about credentials; an admin sees those too.
        String reader = server.createToken("{\"name\":\"evp-reader\",\"scopes\":[\"read\"]}");
        assertThat(page(reader, "/events").body()).contains("evp-theirs").doesNotContain("token.created");
        assertThat(page(ADMIN, "/events").body()).contains("token.created");
    }

    @Test
    void theLiveStreamSendsRenderedRowsOfNewEventsTheCredentialMaySee() throws Exception {
        String mine = server.createToken("{\"name\":\"evp-live\",\"scopes\":[\"read\"],\"projects\":[\"evp-live\"]}");
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpResponse<InputStream> stream = http.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/events/live"))
                .header("Authorization", "Bearer " + mine).header("Accept", "text/event-stream").GET().build(),
                HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream in = stream.body()) {
            assertThat(stream.statusCode()).isEqualTo(200);
            assertThat(stream.headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
            CompletableFuture<String> received = CompletableFuture.supplyAsync(() -> readUntil(in, "</tr>"));
            log("evp-elsewhere");
            log("evp-live");
            String text = received.get(15, TimeUnit.SECONDS);
            assertThat(text).contains("event: message").contains("class=\"event fresh\"").contains("evp-live")
                    .doesNotContain("evp-elsewhere");
        }
    }

    private static String readUntil(InputStream in, String end) {
        StringBuilder s = new StringBuilder();
        try {
            byte[] buf = new byte[1024];
            int n;
            while (!s.toString().contains(end) && (n = in.read(buf)) > 0) s.append(new String(buf, 0, n, StandardCharsets.UTF_8));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return s.toString();
    }

    @Test
    void badInputIsAClear4xxPage() {
        String mine = server.createToken("{\"name\":\"evp-bad\",\"scopes\":[\"read\"],\"projects\":[\"evp-bad\"]}");
        assertPage(page(ADMIN, "/events?types=Not%20A%20Type"), 400, "invalid_parameter");
        assertPage(page(ADMIN, "/events?cursor=garbage"), 400, "invalid_parameter");
        assertPage(page(ADMIN, "/events?cursor=" + storyboard.kernel.Cursor.of("webhooks", 1).encode()), 400, "invalid_parameter");
        assertPage(page(ADMIN, "/events?colour=red"), 400, "unknown_parameter");
        assertPage(page(mine, "/events?project=evp-elsewhere"), 404, "not_found");
        assertPage(page(ADMIN, "/events/live?after=-3"), 400, "invalid_parameter");
        assertPage(page(ADMIN, "/events/live?after=abc"), 400, "invalid_parameter");
        assertPage(page(ADMIN, "/events/panel?x=1"), 400, "unknown_parameter");
        assertPage(page(mine, "/webhooks"), 403, "forbidden");
        assertPage(page(ADMIN, "/webhooks?cursor=nope"), 400, "invalid_parameter");
        assertPage(page(ADMIN, "/webhooks/not-a-uuid"), 400, "invalid_parameter");
        assertPage(page(ADMIN, "/webhooks/00000000-0000-0000-0000-000000000000"), 404, "not_found");
        // A signed-out browser is sent to sign in, and back here after.
        TestServer.Response out = server.send(server.anonymous("/events?types=budget.*").header("Accept", "text/html").GET().build());
        assertThat(out.status()).isEqualTo(303);
        assertThat(out.header("Location")).isEqualTo("/login?next=%2Fevents%3Ftypes%3Dbudget.*");
    }

    private static void assertPage(TestServer.Response r, int status, String code) {
        assertThat(r.status()).as(r.body()).isEqualTo(status);
        assertThat(r.header("Content-Type")).startsWith("text/html");
        assertThat(r.body()).contains(code);
    }

    @Test
    void webhooksAreForUnrestrictedAdminsAndRedeliveryIsTheApisCommand() throws Exception {
        String reader = server.createToken("{\"name\":\"evp-wh-reader\",\"scopes\":[\"read\"]}");
        String projectAdmin = server.createToken("{\"name\":\"evp-wh-padmin\",\"scopes\":[\"admin\"],\"projects\":[\"evp-wh\"]}");
        try (WebhooksTest.Receiver receiver = new WebhooksTest.Receiver(0, n -> 200)) {
            TestServer.Response created = server.call(ADMIN, "POST", "/api/v1/webhooks",
                    "{\"url\":\"" + receiver.url() + "\",\"project\":\"evp-wh\",\"description\":\"<b>cost</b> board\"}");
            assertThat(created.status()).isEqualTo(201);
            String hook = created.json().get("id").asText();
            log("evp-wh");
            receiver.await(1, Duration.ofSeconds(15));
            JsonNode delivery = awaitDelivered(hook, 1);
            String id = delivery.get("id").asText();

            assertPage(page(reader, "/webhooks"), 403, "forbidden");
            assertPage(page(projectAdmin, "/webhooks"), 403, "forbidden");
            assertPage(page(projectAdmin, "/webhooks/" + hook), 403, "forbidden");
            TestServer.Response list = page(ADMIN, "/webhooks");
            assertThat(list.status()).isEqualTo(200);
            assertThat(list.body()).contains(receiver.url()).contains("&lt;b&gt;cost&lt;/b&gt; board")
                    .doesNotContain("<b>cost</b>").contains("href=\"/webhooks/" + hook + "\"");
            TestServer.Response one = page(ADMIN, "/webhooks/" + hook);
            assertThat(one.status()).isEqualTo(200);
            assertThat(one.body()).contains("id=\"delivery-" + id + "\"").contains("prompt_log.created")
                    .contains("action=\"/webhooks/" + hook + "/deliveries/" + id + "/redeliver\"").contains(">Redeliver<");
            assertPage(page(ADMIN, "/webhooks/" + hook + "?status=lost"), 400, "invalid_parameter");

            String redeliver = "/webhooks/" + hook + "/deliveries/" + id + "/redeliver";
            assertPage(post(reader, redeliver, "", false), 403, "forbidden");
            assertPage(post(ADMIN, redeliver, "colour=red", false), 400, "unknown_field");
            assertPage(post(ADMIN, "/webhooks/" + hook + "/deliveries/nope/redeliver", "", false), 400, "invalid_parameter");
            assertPage(post(ADMIN, "/webhooks/" + hook + "/deliveries/00000000-0000-0000-0000-000000000000/redeliver", "",
                    false), 404, "not_found");
            int before = receiver.requests.size();
            TestServer.Response plain = post(ADMIN, redeliver, "", false);
            assertThat(plain.status()).as(plain.body()).isEqualTo(303);
            assertThat(plain.header("Location")).isEqualTo("/webhooks/" + hook + "?status=pending");
            receiver.await(before + 1, Duration.ofSeconds(15));
            awaitDelivered(hook, 2);
            TestServer.Response htmx = post(ADMIN, redeliver, "", true);
            assertThat(htmx.status()).isEqualTo(200);
            assertThat(htmx.body().strip()).startsWith("<tr id=\"delivery-" + id + "\"").contains("pending").contains("sent again");
            receiver.await(before + 2, Duration.ofSeconds(15));
            awaitDelivered(hook, 3);
            // Audited as the API's redelivery is.
            assertThat(server.call(ADMIN, "GET", "/api/v1/audit?action=webhook.redeliver&target_id=" + id, null).json()
                    .get("items")).hasSize(2);

            // A disabled webhook's deliveries have no button, and a post anyway is a conflict.
            assertThat(server.call(ADMIN, "PATCH", "/api/v1/webhooks/" + hook, "{\"active\":false}").status()).isEqualTo(200);
            assertThat(page(ADMIN, "/webhooks/" + hook).body()).doesNotContain(">Redeliver<").contains("disabled");
            assertPage(post(ADMIN, redeliver, "", false), 409, "webhook_inactive");
            assertThat(server.call(ADMIN, "DELETE", "/api/v1/webhooks/" + hook, null).status()).isEqualTo(204);
        }
    }

    @Test
    void webhooksAndTheirDeliveriesArePagedByCursor() throws Exception {
        List<String> hooks = new ArrayList<>();
        for (int i = 0; i < WebhookPages.PAGE + 2; i++) {
            // Types no event has: these subscriptions never send anything.
            hooks.add(server.call(ADMIN, "POST", "/api/v1/webhooks", "{\"url\":\"http://127.0.0.1:9/p" + i
                    + "\",\"types\":[\"paging.none\"]}").json().get("id").asText());
        }
        String first = page(ADMIN, "/webhooks").body();
        Matcher more = Pattern.compile("hx-get=\"/webhooks\\?cursor=([^\"]+)\"").matcher(first);
        assertThat(more.find()).isTrue();
        TestServer.Response next = fragment(ADMIN, "/webhooks?cursor=" + more.group(1));
        assertThat(next.status()).isEqualTo(200);
        assertThat(next.body()).doesNotContain("<html").contains(hooks.get(hooks.size() - 1));
        for (String hook : hooks) {
            assertThat(first.contains("/webhooks/" + hook + "\"") ^ next.body().contains("/webhooks/" + hook + "\""))
                    .as("on exactly one page: " + hook).isTrue();
        }
        for (String hook : hooks) server.call(ADMIN, "DELETE", "/api/v1/webhooks/" + hook, null);

        // A subscription to a closed port: its deliveries wait for their retry, newest event first.
        String hook = server.call(ADMIN, "POST", "/api/v1/webhooks",
                "{\"url\":\"http://127.0.0.1:9/closed\",\"project\":\"evp-many\"}").json().get("id").asText();
        for (int i = 0; i < WebhookPages.PAGE + 3; i++) log("evp-many");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (server.call(ADMIN, "GET", "/api/v1/webhooks/" + hook + "/deliveries?limit=500", null).json().get("items").size()
                < WebhookPages.PAGE + 3 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        String page = page(ADMIN, "/webhooks/" + hook).body();
        Matcher older = Pattern.compile("hx-get=\"(/webhooks/" + hook + "\\?cursor=[^\"]+)\"").matcher(page);
        assertThat(older.find()).isTrue();
        long shown = Pattern.compile("<tr id=\"delivery-").matcher(page).results().count();
        assertThat(shown).isEqualTo(WebhookPages.PAGE);
        TestServer.Response rest = fragment(ADMIN, older.group(1));
        assertThat(rest.body()).doesNotContain("<html");
        assertThat(Pattern.compile("<tr id=\"delivery-").matcher(rest.body()).results().count()).isEqualTo(3);
        assertThat(server.call(ADMIN, "DELETE", "/api/v1/webhooks/" + hook, null).status()).isEqualTo(204);
    }

    private static TestServer.Response post(String token, String path, String form, boolean htmx) {
        HttpRequest.Builder b = server.anonymous(path).header("Authorization", "Bearer " + token)
                .header("Accept", "text/html").header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form));
        if (htmx) b.header("HX-Request", "true");
        return server.send(b.build());
    }

    /** The webhook's one delivery once it is delivered after {@code attempts} attempts. */
    static JsonNode awaitDelivered(String hook, int attempts) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (System.nanoTime() < deadline) {
            JsonNode items = server.call(ADMIN, "GET", "/api/v1/webhooks/" + hook + "/deliveries", null).json().get("items");
            if (items.size() > 0 && items.get(0).get("status").asText().equals("delivered")
                    && items.get(0).get("attempts").asInt() == attempts) {
                return items.get(0);
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the delivery was not delivered after " + attempts + " attempts");
    }
}
