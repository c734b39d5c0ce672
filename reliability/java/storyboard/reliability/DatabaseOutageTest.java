package storyboard.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import storyboard.kernel.Json;
import storyboard.server.DatabaseUrl;
import storyboard.support.TestServer;

/**
 * PostgreSQL restarted, then stopped for 5 s, under ingest load, on a cluster this test runs for itself: the server
 * answers only 201 or 503 (with Retry-After), loses nothing it acknowledged, and recovers without a restart.
 */
class DatabaseOutageTest {
    private static final int CLIENTS = 8;

    @Test
    void aRestartAndA5SecondOutageGiveOnly201Or503AndLoseNothing(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("pg");
        Files.createDirectories(data);
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        EmbeddedPostgres pg = start(data, port);
        DatabaseUrl url = new DatabaseUrl("jdbc:postgresql://localhost:" + port + "/postgres", Optional.of("postgres"), Optional.empty());
        Map<String, Integer> statuses = new ConcurrentHashMap<>();
        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        ConcurrentLinkedQueue<String> wrong = new ConcurrentLinkedQueue<>();
        AtomicLong lastFailureAt = new AtomicLong();
        AtomicLong firstSuccessAfterOutage = new AtomicLong();
        AtomicBoolean outageOver = new AtomicBoolean();
        AtomicLong outageEndedAt = new AtomicLong();
        ConcurrentLinkedQueue<Long> ackTimes = new ConcurrentLinkedQueue<>();
        long t0 = System.nanoTime();
        try (TestServer server = TestServer.start(url, Map.of("RATE_LIMIT_INGEST", "0"))) {
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            AtomicBoolean running = new AtomicBoolean(true);
            List<Thread> clients = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                Thread t = new Thread(() -> {
                    while (running.get()) {
                        String marker = UUID.randomUUID().toString();
                        HttpRequest req = HttpRequest.newBuilder(URI.create(server.baseUrl() + "/api/v1/prompt-history"))
                                .timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + TestServer.TOKEN)
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString("{\"type\":\"shots\",\"prompt\":\"" + marker
                                        + "\",\"response\":\"r\",\"tokens\":1,\"cost\":0}")).build();
                        try {
                            HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString());
                            statuses.merge(String.valueOf(r.statusCode()), 1, Integer::sum);
                            if (r.statusCode() == 201) {
                                acknowledged.add(Json.MAPPER.readTree(r.body()).get("id").asText());
                                ackTimes.add((System.nanoTime() - t0) / 1_000_000_000L);
                                if (outageOver.get()) firstSuccessAfterOutage.compareAndSet(0, System.nanoTime());
                            } else if (r.statusCode() == 503) {
                                lastFailureAt.set(System.nanoTime());
                                if (r.headers().firstValue("Retry-After").isEmpty()) wrong.add("503 without Retry-After");
                                Thread.sleep(50);
                            } else {
                                wrong.add(r.statusCode() + " " + r.body());
                            }
                        } catch (IOException e) {
                            wrong.add("no answer: " + e);
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                }, "client-" + c);
                t.start();
                clients.add(t);
            }
            Thread.sleep(3000);
            pg.close(); // a fast shutdown: sessions are cut
            pg = start(data, port);
            Thread.sleep(3000);
            pg.close();
            Thread.sleep(5000);
            pg = start(data, port);
            outageEndedAt.set(System.nanoTime());
            outageOver.set(true);
            Thread.sleep(5000);
            running.set(false);
            for (Thread t : clients) t.join(60_000);
            assertThat(server.get("/readyz").status()).isEqualTo(200);
        }
        // Every acknowledged log is in the database.
        long present = 0;
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://localhost:" + port + "/postgres", "postgres", "");
             PreparedStatement q = c.prepareStatement("select count(*) from prompt_log where id = any(?::uuid[])")) {
            q.setArray(1, c.createArrayOf("text", acknowledged.toArray()));
            try (ResultSet r = q.executeQuery()) {
                r.next();
                present = r.getLong(1);
            }
        } finally {
            pg.close();
        }
        double recoverySeconds = firstSuccessAfterOutage.get() == 0 ? -1
                : (firstSuccessAfterOutage.get() - outageEndedAt.get()) / 1e9;
        Figures.write("database-outage", "PostgreSQL restarted and stopped for 5 s under ingest load (" + CLIENTS + " clients)",
                List.of("answers: " + new TreeMap<>(statuses), "acknowledged: " + acknowledged.size() + ", present after: " + present,
                        "first 201 after PostgreSQL came back: " + String.format("%.2f s", recoverySeconds),
                        "acknowledged per second of the run: " + perSecond(ackTimes),
                        "other answers: " + wrong.size()));
        assertThat(wrong).as("answers other than 201 and 503 with Retry-After").isEmpty();
        assertThat(statuses).containsKey("503");
        assertThat(present).as("acknowledged logs present").isEqualTo(acknowledged.size());
        assertThat(recoverySeconds).as("seconds to the first 201 after the outage").isBetween(0.0, 10.0);
    }

    private static String perSecond(ConcurrentLinkedQueue<Long> seconds) {
        Map<Long, Integer> m = new TreeMap<>();
        for (long s : seconds) m.merge(s, 1, Integer::sum);
        return m.toString();
    }

    private static EmbeddedPostgres start(Path data, int port) throws IOException {
        return EmbeddedPostgres.builder().setDataDirectory(data).setCleanDataDirectory(false).setPort(port)
                .setServerConfig("fsync", "on").setServerConfig("synchronous_commit", "on")
                .setPGStartupWait(Duration.ofSeconds(60)).start();
    }
}
