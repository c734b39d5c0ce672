package storyboard.events;

import storyboard.kernel.Actor;
import storyboard.kernel.Change;
import storyboard.kernel.Changes;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntUnaryOperator;
import java.util.function.Predicate;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import storyboard.kernel.Json;
import storyboard.server.DatabaseUrl;
import storyboard.support.TestDatabase;
import storyboard.support.TestServer;

/** Webhooks: signed, retried, exactly once marked delivered, filtered, paused, redelivered, durable across restarts. */
class WebhooksTest {
    private static final String ADMIN = TestServer.TOKEN;
    private static final Map<String, String> FAST = Map.of("RATE_LIMIT", "0", "RATE_LIMIT_INGEST", "0",
            "WEBHOOK_RETRY_DELAY", "100ms", "WEBHOOK_PAUSE_AFTER", "3", "WEBHOOK_PAUSE_FAILING_FOR", "0s");
    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start(TestDatabase.get().newDatabase(), FAST);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void aReceiverThatFailsTwiceThenSucceedsGetsTheDeliveryExactlyOnceMarkedDelivered() throws Exception {
        try (Receiver receiver = new Receiver(0, n -> n <= 2 ? 500 : 200)) {
            TestServer.Response created = server.call(ADMIN, "POST", "/api/v1/webhooks", "{\"url\":\"" + receiver.url()
                    + "?key=receiver-credential\",\"types\":[\"prompt_log.created\"],\"project\":\"wh-retry\",\"description\":\"ci\"}");
            assertThat(created.status()).as(created.body()).isEqualTo(201);
            assertThat(created.header("Cache-Control")).isEqualTo("no-store");
            String secret = created.json().get("secret").asText();
            assertThat(secret).startsWith("whsec_").hasSizeGreaterThan(40);
            String hook = created.json().get("id").asText();
            assertThat(created.json().get("state").asText()).isEqualTo("active");

            String logId = server.postJson("/api/v1/prompt-history", "{\"type\":\"shots\",\"projectId\":\"wh-retry\"}")
                    .json().get("id").asText();
            List<Receiver.Request> got = receiver.await(3, Duration.ofSeconds(15));
            JsonNode delivery = awaitDelivery(hook, d -> d.get("status").asText().equals("delivered"));
            assertThat(delivery.get("attempts").asInt()).isEqualTo(3);
            assertThat(delivery.get("last_status_code").asInt()).isEqualTo(200);
            assertThat(delivery.get("delivered_at").isNull()).isFalse();
            assertThat(delivery.get("next_attempt_at").isNull()).isTrue();
            assertThat(delivery.get("event_type").asText()).isEqualTo("prompt_log.created");

            for (Receiver.Request r : got) {
                assertThat(r.header("Storyboard-Delivery")).isEqualTo(delivery.get("id").asText());
                assertThat(r.header("Storyboard-Event")).isEqualTo("prompt_log.created");
                assertThat(r.header("Storyboard-Webhook")).isEqualTo(hook);
                assertThat(r.header("Content-Type")).isEqualTo("application/json");
                assertThat(r.header("User-Agent")).startsWith("storyboard-server/");
                assertThat(verifies(secret, r.header("Storyboard-Signature"), r.body())).as(r.header("Storyboard-Signature")).isTrue();
                assertThat(verifies("whsec_some-other-secret", r.header("Storyboard-Signature"), r.body())).isFalse();
                assertThat(verifies(secret, r.header("Storyboard-Signature"), r.body() + " ")).isFalse();
                JsonNode event = Json.MAPPER.readTree(r.body());
                assertThat(event.get("type").asText()).isEqualTo("prompt_log.created");
                assertThat(event.get("subject_id").asText()).isEqualTo(logId);
                assertThat(event.get("project").asText()).isEqualTo("wh-retry");
                assertThat(event.get("seq").asLong()).isEqualTo(delivery.get("event_seq").asLong());
            }
            assertThat(got).extracting(Receiver.Request::body).containsOnly(got.get(0).body());
            // Never sent again, and only the one delivery exists.
            Thread.sleep(1500);
            assertThat(receiver.requests).hasSize(3);
            JsonNode all = server.call(ADMIN, "GET", "/api/v1/webhooks/" + hook + "/deliveries", null).json();
            assertThat(all.get("items")).hasSize(1);
            assertThat(server.call(ADMIN, "GET", "/api/v1/webhooks/" + hook, null).json().get("consecutive_failures").asInt()).isZero();

            // One delivery with the exact body sent; the secret and the URL's query are nowhere but the subscription.
            JsonNode one = server.call(ADMIN, "GET", "/api/v1/webhooks/" + hook + "/deliveries/" + delivery.get("id").asText(), null).json();
            assertThat(one.get("body").asText()).isEqualTo(got.get(0).body());
            assertThat(server.call(ADMIN, "GET", "/api/v1/webhooks", null).body()).doesNotContain(secret);
            String audit = server.call(ADMIN, "GET", "/api/v1/audit?action=webhook.*", null).body();
            String events = server.call(ADMIN, "GET", "/api/v1/events?types=webhook.*", null).body();
            assertThat(audit).contains(hook).doesNotContain(secret).doesNotContain("receiver-credential");
            assertThat(events).contains("webhook.created").doesNotContain(secret).doesNotContain("receiver-credential");
            delete(hook);
        }
    }

    @Test
    void typesAndProjectDecideWhatIsDeliveredFromTheSubscriptionsCreationOn() throws Exception {
        try (Receiver receiver = new Receiver(0, n -> 204)) {
            server.postJson("/api/v1/prompt-history", "{\"type\":\"before\",\"projectId\":\"wh-f-a\"}");
            String a = create("{\"url\":\"" + receiver.url() + "\",\"types\":[\"prompt_log.*\"],\"project\":\"wh-f-a\"}");
            String b = create("{\"url\":\"" + receiver.url() + "\",\"types\":[\"token.created\"]}");
            String c = create("{\"url\":\"" + receiver.url() + "\",\"project\":\"wh-f-b\"}");
            String logA = server.postJson("/api/v1/prompt-history", "{\"type\":\"x\",\"projectId\":\"wh-f-a\"}").json().get("id").asText();
            String logB = server.postJson("/api/v1/prompt-history", "{\"type\":\"x\",\"projectId\":\"wh-f-b\"}").json().get("id").asText();
            String token = server.call(ADMIN, "POST", "/api/v1/tokens", "{\"name\":\"wh filter\",\"scopes\":[\"read\"]}")
                    .json().get("id").asText();
            receiver.await(3, Duration.ofSeconds(10));
            Thread.sleep(1500);
            Map<String, List<String>> byHook = new TreeMap<>();
            for (Receiver.Request r : receiver.requests) {
                byHook.computeIfAbsent(r.header("Storyboard-Webhook"), k -> new CopyOnWriteArrayList<>())
                        .add(Json.MAPPER.readTree(r.body()).get("subject_id").asText());
            }
            assertThat(byHook).containsOnlyKeys(a, b, c);
            assertThat(byHook.get(a)).containsExactly(logA);
            assertThat(byHook.get(b)).containsExactly(token);
            assertThat(byHook.get(c)).containsExactly(logB);
            delete(a);
            delete(b);
            delete(c);
        }
    }

    @Test
    void aReceiverThatKeepsFailingIsPausedWithAReasonAndResumesWithWhatHappenedMeanwhile() throws Exception {
        AtomicInteger answer = new AtomicInteger(500);
        try (Receiver receiver = new Receiver(0, n -> answer.get())) {
            String hook = create("{\"url\":\"" + receiver.url() + "\",\"project\":\"wh-pause\"}");
            server.postJson("/api/v1/prompt-history", "{\"type\":\"x\",\"projectId\":\"wh-pause\"}");
            JsonNode paused = awaitWebhook(hook, w -> w.get("state").asText().equals("paused"));
            assertThat(paused.get("active").asBoolean()).isFalse();
            assertThat(paused.get("paused_reason").asText())
                    .startsWith("3 consecutive failed deliveries; last: HTTP 500 from http://127.0.0.1:" + receiver.port());
            assertThat(paused.get("paused_at").isNull()).isFalse();
            assertThat(receiver.requests).hasSize(3);
            JsonNode pausedEvents = server.call(ADMIN, "GET", "/api/v1/events?types=webhook.paused", null).json().get("items");
            assertThat(pausedEvents).anySatisfy(e -> assertThat(e.get("subject_id").asText()).isEqualTo(hook));
            JsonNode audit = server.call(ADMIN, "GET", "/api/v1/audit?action=webhook.paused&target_id=" + hook, null).json();
            assertThat(audit.get("items")).hasSize(1);
            assertThat(audit.get("items").get(0).get("actor").get("type").asText()).isEqualTo("server");

            // Paused: nothing is sent, not even on request; what happens meanwhile waits.
            server.postJson("/api/v1/prompt-history", "{\"type\":\"meanwhile\",\"projectId\":\"wh-pause\"}");
            String pending = awaitDelivery(hook, d -> d.get("status").asText().equals("pending")).get("id").asText();
            TestServer.Response refused = server.call(ADMIN, "POST", "/api/v1/webhooks/" + hook + "/deliveries/" + pending
                    + "/redeliver", null);
            assertThat(refused.status()).isEqualTo(409);
            assertThat(refused.json().get("error").asText()).isEqualTo("webhook_inactive");
            Thread.sleep(1000);
            assertThat(receiver.requests).hasSize(3);

            answer.set(200);
            TestServer.Response resumed = server.call(ADMIN, "PATCH", "/api/v1/webhooks/" + hook, "{\"active\":true}");
            assertThat(resumed.status()).as(resumed.body()).isEqualTo(200);
            assertThat(resumed.json().get("state").asText()).isEqualTo("active");
            assertThat(resumed.json().get("consecutive_failures").asInt()).isZero();
            assertThat(resumed.json().get("paused_reason").isNull()).isTrue();
            receiver.await(5, Duration.ofSeconds(10));
            awaitDeliveries(hook, items -> items.size() == 2
                    && items.findValuesAsText("status").stream().allMatch("delivered"::equals));
            assertThat(receiver.requests.subList(3, receiver.requests.size())).extracting(r -> r.header("Storyboard-Delivery"))
                    .hasSize(2).doesNotHaveDuplicates().contains(pending);
            delete(hook);
        }
    }

    @Test
    void aManualRedeliverySendsADeliveredEventAgainWithTheSameDeliveryId() throws Exception {
        try (Receiver receiver = new Receiver(0, n -> 200)) {
            String hook = create("{\"url\":\"" + receiver.url() + "\",\"project\":\"wh-again\"}");
            server.postJson("/api/v1/prompt-history", "{\"type\":\"x\",\"projectId\":\"wh-again\"}");
            JsonNode delivered = awaitDelivery(hook, d -> d.get("status").asText().equals("delivered"));
            String id = delivered.get("id").asText();
            TestServer.Response r = server.call(ADMIN, "POST", "/api/v1/webhooks/" + hook + "/deliveries/" + id + "/redeliver", null);
            assertThat(r.status()).as(r.body()).isEqualTo(202);
            assertThat(r.json().get("status").asText()).isEqualTo("pending");
            List<Receiver.Request> got = receiver.await(2, Duration.ofSeconds(10));
            assertThat(got).extracting(x -> x.header("Storyboard-Delivery")).containsExactly(id, id);
            assertThat(got.get(1).body()).isEqualTo(got.get(0).body());
            JsonNode again = awaitDelivery(hook, d -> d.get("status").asText().equals("delivered") && d.get("attempts").asInt() == 2);
            assertThat(again.get("last_status_code").asInt()).isEqualTo(200);
            assertThat(server.call(ADMIN, "GET", "/api/v1/audit?action=webhook.redeliver&target_id=" + id, null).json()
                    .get("items")).hasSize(1);
            delete(hook);
        }
    }

    @Test
    void deliveriesSurviveTheReceiverBeingDownAndTheServerBeingStopped() throws Exception {
        DatabaseUrl db = TestDatabase.get().newDatabase();
        Map<String, String> settings = Map.of("WEBHOOK_RETRY_DELAY", "100ms", "WEBHOOK_PAUSE_AFTER", "1000");
        int port = freePort();
        String hook;
        try (TestServer first = TestServer.start(db, settings)) {
            hook = first.call(ADMIN, "POST", "/api/v1/webhooks", "{\"url\":\"http://127.0.0.1:" + port
                    + "/hook\",\"project\":\"wh-restart\"}").json().get("id").asText();
            first.postJson("/api/v1/prompt-history", "{\"type\":\"x\",\"projectId\":\"wh-restart\"}");
            // The receiver is down: the attempts fail, the delivery stays pending.
            long deadline = System.currentTimeMillis() + 10_000;
            JsonNode d;
            do {
                Thread.sleep(50);
                d = first.call(ADMIN, "GET", "/api/v1/webhooks/" + hook + "/deliveries", null).json().get("items");
            } while ((d.isEmpty() || d.get(0).get("attempts").asInt() < 2) && System.currentTimeMillis() < deadline);
            assertThat(d.get(0).get("status").asText()).isEqualTo("pending");
            assertThat(d.get(0).get("last_status_code").isNull()).isTrue();
            assertThat(d.get(0).get("last_error").asText()).startsWith("could not connect");
        }
        // While no server runs, something else on the database appends an event (as the command line may).
        try (Connection c = TestDatabase.get().connect(db)) {
            c.setAutoCommit(false);
            Changes.publish(c, List.of(Change.of("prompt_log.created", "prompt_log", "offline-log", "wh-restart",
                    Map.of("count", 1)).by(new Actor("cli", "ops", "command line (ops)", null, null))));
            c.commit();
        }
        try (Receiver receiver = new Receiver(port, n -> 200);
             TestServer second = TestServer.start(db, settings)) {
            List<Receiver.Request> got = receiver.await(2, Duration.ofSeconds(15));
            assertThat(got).extracting(r -> r.header("Storyboard-Delivery")).doesNotHaveDuplicates();
            long deadline = System.currentTimeMillis() + 10_000;
            JsonNode items;
            do {
                Thread.sleep(50);
                items = second.call(ADMIN, "GET", "/api/v1/webhooks/" + hook + "/deliveries", null).json().get("items");
            } while (!items.findValuesAsText("status").equals(List.of("delivered", "delivered"))
                    && System.currentTimeMillis() < deadline);
            assertThat(items.findValuesAsText("status")).containsExactly("delivered", "delivered");
            assertThat(items.get(0).get("attempts").asInt()).isEqualTo(1);
            assertThat(items.get(1).get("attempts").asInt()).isGreaterThanOrEqualTo(3);
            assertThat(Json.MAPPER.readTree(got.stream().filter(r -> r.body().contains("offline-log")).findFirst()
                    .orElseThrow().body()).get("actor").get("type").asText()).isEqualTo("cli");
            Thread.sleep(1000);
            assertThat(receiver.requests).hasSize(2);
        }
    }

    @Test
    void aDeliveryThatFailsForTheWholeRetryWindowEndsFailed() throws Exception {
        try (Receiver receiver = new Receiver(0, n -> 503);
             TestServer short_ = TestServer.start(TestDatabase.get().newDatabase(), Map.of("WEBHOOK_RETRY_DELAY", "100ms",
                     "WEBHOOK_RETRY_WINDOW", "500ms", "WEBHOOK_PAUSE_AFTER", "1000"))) {
            String hook = short_.call(ADMIN, "POST", "/api/v1/webhooks", "{\"url\":\"" + receiver.url()
                    + "\",\"types\":[\"token.created\"]}").json().get("id").asText();
            short_.createToken("{\"name\":\"window\",\"scopes\":[\"read\"]}");
            long deadline = System.currentTimeMillis() + 10_000;
            JsonNode d;
            do {
                Thread.sleep(50);
                d = short_.call(ADMIN, "GET", "/api/v1/webhooks/" + hook + "/deliveries?status=failed", null).json().get("items");
            } while (d.isEmpty() && System.currentTimeMillis() < deadline);
            assertThat(d).hasSize(1);
            assertThat(d.get(0).get("last_status_code").asInt()).isEqualTo(503);
            int attempts = d.get(0).get("attempts").asInt();
            assertThat(attempts).isBetween(2, 5);
            Thread.sleep(800);
            assertThat(receiver.requests).hasSize(attempts);
            assertThat(short_.call(ADMIN, "GET", "/api/v1/webhooks/" + hook, null).json().get("state").asText()).isEqualTo("active");
        }
    }

    @Test
    void badInputIsRefusedWithAJsonErrorNamingTheField() {
        String ok = "\"url\":\"https://hooks.example.com/x\"";
        assertError("POST", "/api/v1/webhooks", "{\"url\":\"ftp://hooks.example.com/x\"}", 400, "invalid_field", "url");
        assertError("POST", "/api/v1/webhooks", "{\"url\":\"not a url\"}", 400, "invalid_field", "url");
        assertError("POST", "/api/v1/webhooks", "{\"url\":\"https://user:pw@hooks.example.com/\"}", 400, "invalid_field", "url");
        assertError("POST", "/api/v1/webhooks", "{\"url\":42}", 400, "invalid_field", "url");
        assertError("POST", "/api/v1/webhooks", "{\"types\":[\"token.*\"]}", 400, "missing_field", "url");
        assertError("POST", "/api/v1/webhooks", "{" + ok + ",\"events\":[\"x\"]}", 400, "unknown_field", "events");
        assertError("POST", "/api/v1/webhooks", "{" + ok + ",\"types\":[]}", 400, "invalid_field", "types");
        assertError("POST", "/api/v1/webhooks", "{" + ok + ",\"types\":[\"DROP TABLE\"]}", 400, "invalid_field", "types");
        assertError("POST", "/api/v1/webhooks", "{" + ok + ",\"types\":\"token.*\"}", 400, "invalid_field", "types");
        assertError("POST", "/api/v1/webhooks", "{" + ok + ",\"secret\":\"short\"}", 400, "invalid_field", "secret");
        assertError("POST", "/api/v1/webhooks", "{" + ok + ",\"project\":\"  \"}", 400, "invalid_field", "project");
        assertError("POST", "/api/v1/webhooks", "{" + ok + ",}", 400, "invalid_json", null);
        assertError("POST", "/api/v1/webhooks", "[]", 400, "invalid_body", null);
        String unknown = "/api/v1/webhooks/00000000-0000-0000-0000-000000000000";
        assertError("GET", unknown, null, 404, "not_found", null);
        assertError("GET", "/api/v1/webhooks/abc", null, 400, "invalid_parameter", "id");
        assertError("PATCH", unknown, "{\"active\":true}", 404, "not_found", null);
        assertError("DELETE", unknown, null, 404, "not_found", null);
        assertError("GET", unknown + "/deliveries", null, 404, "not_found", null);
        assertError("GET", "/api/v1/webhooks?x=1", null, 400, "unknown_parameter", "x");

        String hook = create("{" + ok + ",\"secret\":\"my-own-secret-of-enough-length\",\"types\":[\"matrix.none\"]}");
        String path = "/api/v1/webhooks/" + hook;
        assertError("PATCH", path, "{}", 400, "missing_field", null);
        assertError("PATCH", path, "{\"active\":\"yes\"}", 400, "invalid_field", "active");
        assertError("PATCH", path, "{\"active\":null}", 400, "invalid_field", "active");
        assertError("PATCH", path, "{\"url\":null}", 400, "missing_field", "url");
        assertError("PATCH", path, "{\"secret\":null}", 400, "invalid_field", "secret");
        assertError("PATCH", path, "{\"id\":\"x\"}", 400, "unknown_field", "id");
        assertError("GET", path + "/deliveries?status=lost", null, 400, "invalid_parameter", "status");
        assertError("GET", path + "/deliveries?limit=0", null, 400, "invalid_parameter", "limit");
        assertError("GET", path + "/deliveries?cursor=zzz", null, 400, "invalid_parameter", "cursor");
        assertError("GET", path + "/deliveries/00000000-0000-0000-0000-000000000000", null, 404, "not_found", null);
        assertError("POST", path + "/deliveries/00000000-0000-0000-0000-000000000000/redeliver", null, 404, "not_found", null);

        // A PATCH changes what it names and may clear the filters.
        TestServer.Response patched = server.call(ADMIN, "PATCH", path,
                "{\"types\":null,\"project\":\"p1\",\"description\":\"now every type\",\"active\":false}");
        assertThat(patched.status()).as(patched.body()).isEqualTo(200);
        assertThat(patched.json().get("types").isNull()).isTrue();
        assertThat(patched.json().get("project").asText()).isEqualTo("p1");
        assertThat(patched.json().get("state").asText()).isEqualTo("disabled");
        assertThat(patched.json().get("url").asText()).isEqualTo("https://hooks.example.com/x");
        assertThat(patched.body()).doesNotContain("my-own-secret");
        delete(hook);
        assertError("GET", path, null, 404, "not_found", null);
    }

    // ---- helpers -------------------------------------------------------------------------------------------

    private static void assertError(String method, String path, String body, int status, String code, String field) {
        TestServer.Response r = server.call(ADMIN, method, path, body);
        assertThat(r.status()).as(method + " " + path + " " + body + ": " + r.body()).isEqualTo(status);
        JsonNode e = r.json();
        assertThat(e.get("error").asText()).as(r.body()).isEqualTo(code);
        assertThat(e.get("message").asText()).isNotBlank();
        if (field == null) {
            assertThat(e.get("field").isNull()).as(r.body()).isTrue();
        } else {
            assertThat(e.get("field").asText()).as(r.body()).isEqualTo(field);
        }
    }

    private static String create(String json) {
        TestServer.Response r = server.call(ADMIN, "POST", "/api/v1/webhooks", json);
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return r.json().get("id").asText();
    }

    private static void delete(String hook) {
        assertThat(server.call(ADMIN, "DELETE", "/api/v1/webhooks/" + hook, null).status()).isEqualTo(204);
    }

    private static JsonNode awaitWebhook(String hook, Predicate<JsonNode> until) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 15_000;
        JsonNode w;
        do {
            w = server.call(ADMIN, "GET", "/api/v1/webhooks/" + hook, null).json();
            if (until.test(w)) return w;
            Thread.sleep(50);
        } while (System.currentTimeMillis() < deadline);
        throw new AssertionError("webhook never got there: " + w);
    }

    /** The newest delivery of the subscription, once it satisfies {@code until}. */
    private static JsonNode awaitDelivery(String hook, Predicate<JsonNode> until) {
        return awaitDeliveries(hook, items -> !items.isEmpty() && until.test(items.get(0))).get(0);
    }

    private static JsonNode awaitDeliveries(String hook, Predicate<JsonNode> until) {
        long deadline = System.currentTimeMillis() + 15_000;
        JsonNode items;
        do {
            items = server.call(ADMIN, "GET", "/api/v1/webhooks/" + hook + "/deliveries", null).json().get("items");
            if (until.test(items)) return items;
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        } while (System.currentTimeMillis() < deadline);
        throw new AssertionError("deliveries never got there: " + items);
    }

    /** What a receiver does: recompute HMAC-SHA256(secret, t + "." + body), compare, and refuse old timestamps. */
    private static boolean verifies(String secret, String header, String body) throws Exception {
        String t = null;
        String v1 = null;
        for (String part : header.split(",")) {
            String[] kv = part.split("=", 2);
            if (kv[0].equals("t")) t = kv[1];
            if (kv[0].equals("v1")) v1 = kv[1];
        }
        if (t == null || v1 == null) return false;
        if (Math.abs(Instant.now().getEpochSecond() - Long.parseLong(t)) > 300) return false;
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        String expected = HexFormat.of().formatHex(mac.doFinal((t + "." + body).getBytes(StandardCharsets.UTF_8)));
        return java.security.MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), v1.getBytes(StandardCharsets.UTF_8));
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** A real HTTP receiver on this machine, answering request n (from 1) with {@code status.applyAsInt(n)}. */
    static final class Receiver implements AutoCloseable {
        record Request(Map<String, List<String>> headers, String body) {
            String header(String name) {
                return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                        .map(e -> e.getValue().get(0)).findFirst().orElse(null);
            }
        }

        final List<Request> requests = new CopyOnWriteArrayList<>();
        private final HttpServer http;
        private final AtomicInteger count = new AtomicInteger();

        Receiver(int port, IntUnaryOperator status) throws IOException {
            http = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
            http.createContext("/", exchange -> {
                byte[] body = exchange.getRequestBody().readAllBytes();
                requests.add(new Request(Map.copyOf(exchange.getRequestHeaders()), new String(body, StandardCharsets.UTF_8)));
                int code = status.applyAsInt(count.incrementAndGet());
                byte[] answer = ("{\"answer\":" + code + "}").getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(code, code == 204 ? -1 : answer.length);
                if (code != 204) exchange.getResponseBody().write(answer);
                exchange.close();
            });
            http.start();
        }

        int port() {
            return http.getAddress().getPort();
        }

        String url() {
            return "http://127.0.0.1:" + port() + "/hooks/storyboard";
        }

        List<Request> await(int n, Duration timeout) {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (requests.size() < n && System.nanoTime() < deadline) {
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            }
            assertThat(requests).as("requests received").hasSizeGreaterThanOrEqualTo(n);
            return List.copyOf(requests);
        }

        @Override
        public void close() {
            http.stop(0);
        }
    }
}
