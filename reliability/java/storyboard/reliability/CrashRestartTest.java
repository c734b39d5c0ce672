package storyboard.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import storyboard.kernel.Json;

/**
 * kill -9 of the server's JVM during ingest (3 rounds), then of the JVM together with its embedded PostgreSQL: every
 * acknowledged log is there after the restart, and the restart is ready in seconds on the first try.
 */
class CrashRestartTest {
    private static final int CLIENTS = 4;
    private static final Duration READY_WITHIN = Duration.ofSeconds(30);
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @Test
    void killedServersRestartAtOnceAndKeepEveryAcknowledgedLog(@TempDir Path dataDir) throws Exception {
        int port = ServerProcess.freePort();
        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        List<String> rounds = new ArrayList<>();
        ServerProcess server = ServerProcess.start(dataDir, port, Map.of());
        double firstStart = server.awaitReady(Duration.ofSeconds(120));
        try {
            for (int round = 1; round <= 4; round++) {
                boolean withPostgres = round == 4;
                int before = acknowledged.size();
                AtomicBoolean loading = new AtomicBoolean(true);
                List<Thread> clients = load(server.baseUrl(), acknowledged, loading);
                ServerProcess.sleep(2500);
                long postmaster = postmasterPid(dataDir);
                server.kill();
                if (withPostgres) ProcessHandle.of(postmaster).ifPresent(ProcessHandle::destroyForcibly);
                loading.set(false);
                for (Thread t : clients) t.join(30_000);
                int acked = acknowledged.size() - before;
                assertThat(acked).as("round " + round + " acknowledged logs before the kill").isPositive();

                server = ServerProcess.start(dataDir, port, Map.of());
                double ready = server.awaitReady(READY_WITHIN);
                int missing = missing(server.baseUrl(), acknowledged);
                rounds.add(String.format("round %d (kill -9 of the JVM%s): %d logs acknowledged during load, ready %.1f s after the restart, %d missing",
                        round, withPostgres ? " and of PostgreSQL" : "", acked, ready, missing));
                assertThat(missing).as("acknowledged logs missing after round " + round).isZero();
            }
        } finally {
            server.close();
        }
        List<String> lines = new ArrayList<>();
        lines.add(String.format("first start (a new data directory): ready in %.1f s", firstStart));
        lines.addAll(rounds);
        lines.add("acknowledged in all: " + acknowledged.size() + ", all present");
        Figures.write("crash-restart", "kill -9 during ingest, then restart on the same data directory", lines);
    }

    private List<Thread> load(String baseUrl, Set<String> acknowledged, AtomicBoolean loading) {
        List<Thread> clients = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
            Thread t = new Thread(() -> {
                while (loading.get()) {
                    HttpRequest req = HttpRequest.newBuilder(URI.create(baseUrl + "/api/v1/prompt-history"))
                            .timeout(Duration.ofSeconds(10)).header("Authorization", "Bearer " + ServerProcess.TOKEN)
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString("{\"type\":\"shots\",\"prompt\":\"" + UUID.randomUUID()
                                    + "\",\"response\":\"r\",\"tokens\":3,\"cost\":0.01}")).build();
                    try {
                        HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString());
                        if (r.statusCode() == 201) acknowledged.add(Json.MAPPER.readTree(r.body()).get("id").asText());
                    } catch (IOException e) {
                        ServerProcess.sleep(20); // the server was killed: nothing acknowledged
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "crash-client-" + c);
            t.start();
            clients.add(t);
        }
        return clients;
    }

    private int missing(String baseUrl, Set<String> ids) throws Exception {
        int missing = 0;
        for (String id : ids) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(baseUrl + "/api/v1/prompt-history/" + id))
                    .header("Authorization", "Bearer " + ServerProcess.TOKEN).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() == 404) missing++;
            else if (r.statusCode() != 200) throw new AssertionError("GET of log " + id + ": " + r.statusCode() + " " + r.body());
        }
        return missing;
    }

    /** The embedded PostgreSQL's postmaster, from its postmaster.pid (first line). */
    private static long postmasterPid(Path dataDir) throws IOException {
        try (var files = Files.walk(dataDir)) {
            Path pidFile = files.filter(p -> p.getFileName().toString().equals("postmaster.pid")).findFirst()
                    .orElseThrow(() -> new AssertionError("no postmaster.pid under " + dataDir));
            return Long.parseLong(Files.readAllLines(pidFile).get(0).trim());
        }
    }
}
