package storyboard.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * 300 clients that send their headers a byte at a time and 300 that send their bodies a byte at a time (a third each:
 * a prompt-log POST, a blob PUT, a tus PATCH, 100 KB declared), against a server process with the production heap:
 * a normal client's p99 stays under 250 ms throughout, and 5 s after the slow clients close it is fully served.
 */
class SlowClientsTest {
    private static final int SLOW_HEADERS = 300;
    private static final int SLOW_BODIES = 300;
    private static final Duration SLOW_FOR = Duration.ofSeconds(20);
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void slowClientsNeitherSlowNormalOnesNorWedgeTheServer(@TempDir Path dataDir) throws Exception {
        int port = ServerProcess.freePort();
        try (ServerProcess server = ServerProcess.start(dataDir, port, Map.of("RATE_LIMIT", "0"))) {
            server.awaitReady(Duration.ofSeconds(120));
            String upload = createUpload(server.baseUrl());
            for (int i = 0; i < 20; i++) normalRequest(server.baseUrl()); // warm up the JIT a little

            List<Socket> slow = new ArrayList<>();
            List<byte[]> pending = new ArrayList<>();
            for (int i = 0; i < SLOW_HEADERS; i++) {
                slow.add(new Socket("127.0.0.1", port));
                pending.add(("GET /api/v1/prompt-history HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + ServerProcess.TOKEN
                        + "\r\nX-Padding: " + "p".repeat(200) + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            }
            for (int i = 0; i < SLOW_BODIES; i++) {
                String head = switch (i % 3) {
                    case 0 -> "POST /api/v1/prompt-history HTTP/1.1\r\nContent-Type: application/json\r\n";
                    case 1 -> "PUT /api/v1/blobs/" + "ab".repeat(32) + " HTTP/1.1\r\nContent-Type: application/octet-stream\r\n";
                    default -> "PATCH " + upload + " HTTP/1.1\r\nTus-Resumable: 1.0.0\r\nUpload-Offset: 0\r\nContent-Type: application/offset+octet-stream\r\n";
                };
                Socket s = new Socket("127.0.0.1", port);
                OutputStream out = s.getOutputStream();
                out.write((head + "Host: localhost\r\nAuthorization: Bearer " + ServerProcess.TOKEN + "\r\nContent-Length: 100000\r\n\r\n")
                        .getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
                slow.add(s);
                pending.add("{".repeat(100_000).getBytes(StandardCharsets.ISO_8859_1));
            }
            // One thread trickles a byte to every slow socket each second; the test thread is the normal client.
            int[] sent = new int[slow.size()];
            Thread trickle = new Thread(() -> {
                long end = System.nanoTime() + SLOW_FOR.toNanos();
                while (System.nanoTime() < end) {
                    for (int i = 0; i < slow.size(); i++) {
                        if (sent[i] >= pending.get(i).length) continue;
                        try {
                            slow.get(i).getOutputStream().write(pending.get(i)[sent[i]++]);
                        } catch (IOException e) {
                            sent[i] = Integer.MAX_VALUE; // the server closed it
                        }
                    }
                    ServerProcess.sleep(1000);
                }
            }, "trickle");
            trickle.start();
            List<Long> during = new ArrayList<>();
            int failedDuring = 0;
            while (trickle.isAlive()) {
                long t = System.nanoTime();
                if (!normalRequest(server.baseUrl())) failedDuring++;
                during.add((System.nanoTime() - t) / 1_000_000);
                ServerProcess.sleep(20);
            }
            for (Socket s : slow) s.close();
            long closedAt = System.nanoTime();
            ServerProcess.sleep(5000);
            int failedAfter = 0;
            List<Long> after = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                long t = System.nanoTime();
                if (!normalRequest(server.baseUrl())) failedAfter++;
                after.add((System.nanoTime() - t) / 1_000_000);
            }
            double secondsAfterClose = (System.nanoTime() - closedAt) / 1e9;
            assertThat(server.isAlive()).as(server.output()).isTrue();
            Figures.write("slow-clients", SLOW_HEADERS + " slow header senders and " + SLOW_BODIES
                    + " slow body senders (a byte a second, " + SLOW_FOR.toSeconds() + " s), server at -Xmx256m",
                    List.of("normal requests during: " + during.size() + ", failed " + failedDuring + ", p50 " + percentile(during, 50)
                                    + " ms, p99 " + percentile(during, 99) + " ms, max " + percentile(during, 100) + " ms",
                            "5 s after the slow clients closed: 100 requests, failed " + failedAfter + ", p99 " + percentile(after, 99)
                                    + " ms (measured until " + String.format("%.1f", secondsAfterClose) + " s after)",
                            "server out of memory: " + server.output().contains("out of memory")));
            assertThat(failedDuring).as("normal requests failed during the slow clients").isZero();
            assertThat(percentile(during, 99)).as("normal client's p99 (ms) during the slow clients").isLessThan(250);
            assertThat(failedAfter).as("normal requests failed 5 s after the slow clients closed").isZero();
            assertThat(server.output()).doesNotContain("OutOfMemoryError");
        }
    }

    /** A normal client's work: post a log and check readiness; true when both succeeded. */
    private boolean normalRequest(String baseUrl) {
        try {
            HttpResponse<String> post = http.send(HttpRequest.newBuilder(URI.create(baseUrl + "/api/v1/prompt-history"))
                    .timeout(Duration.ofSeconds(10)).header("Authorization", "Bearer " + ServerProcess.TOKEN)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"type\":\"shots\",\"prompt\":\"" + UUID.randomUUID() + "\",\"response\":\"r\"}"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> ready = http.send(HttpRequest.newBuilder(URI.create(baseUrl + "/readyz"))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            return post.statusCode() == 201 && ready.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private String createUpload(String baseUrl) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(baseUrl + "/api/v1/uploads"))
                .header("Authorization", "Bearer " + ServerProcess.TOKEN).header("Tus-Resumable", "1.0.0")
                .header("Upload-Length", "100000").POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return r.headers().firstValue("Location").orElseThrow();
    }

    private static long percentile(List<Long> values, int p) {
        if (values.isEmpty()) return -1;
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int i = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, i)));
    }
}
