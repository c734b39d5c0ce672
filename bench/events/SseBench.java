import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * SSE fan-out benchmark (JDK only, run as a single-file program): N subscribers on /api/v1/events/stream, then
 * E prompt logs posted one after another (one prompt_log.created event each). Each delivery's latency is the
 * time it was read minus the event's own `at` (set by PostgreSQL when the event row was inserted, before its
 * commit), on the same machine's clock. Prints BENCH key=value lines.
 *
 *   java SseBench.java URL TOKEN [SUBSCRIBERS=100] [EVENTS=1000]
 */
public class SseBench {
    static final Pattern AT = Pattern.compile("\"at\":\"([^\"]+)\"");

    static final class Subscriber implements Runnable {
        final HttpClient http;
        final String url;
        final String token;
        final CountDownLatch connected;
        final long[] seqs;
        final double[] latencies;
        int received;
        volatile boolean done;

        Subscriber(HttpClient http, String url, String token, int expected, CountDownLatch connected) {
            this.http = http;
            this.url = url;
            this.token = token;
            this.connected = connected;
            this.seqs = new long[expected];
            this.latencies = new double[expected];
        }

        @Override
        public void run() {
            try {
                HttpResponse<java.util.stream.Stream<String>> r = http.send(HttpRequest.newBuilder(URI.create(url))
                        .header("Authorization", "Bearer " + token).header("Accept", "text/event-stream").GET().build(),
                        HttpResponse.BodyHandlers.ofLines());
                if (r.statusCode() != 200) throw new IllegalStateException("stream answered " + r.statusCode());
                long seq = -1;
                for (var it = r.body().iterator(); it.hasNext(); ) {
                    String line = it.next();
                    Instant now = Instant.now();
                    long nowNanos = now.getEpochSecond() * 1_000_000_000L + now.getNano();
                    if (line.startsWith(":")) {
                        if (line.contains("connected")) connected.countDown();
                    } else if (line.startsWith("id:")) {
                        seq = Long.parseLong(line.substring(3).trim());
                    } else if (line.startsWith("data:")) {
                        Matcher m = AT.matcher(line);
                        if (m.find() && received < seqs.length) {
                            Instant at = Instant.parse(m.group(1));
                            double latencyMs = (nowNanos - (at.getEpochSecond() * 1_000_000_000L + at.getNano())) / 1e6;
                            seqs[received] = seq;
                            latencies[received] = latencyMs;
                            received++;
                            if (received == seqs.length) {
                                done = true;
                                return;
                            }
                        }
                    }
                }
            } catch (Exception e) {
                System.err.println("subscriber failed: " + e);
            }
        }
    }

    public static void main(String[] args) throws Exception {
        String base = args[0];
        String token = args[1];
        int n = args.length > 2 ? Integer.parseInt(args[2]) : 100;
        int events = args.length > 3 ? Integer.parseInt(args[3]) : 1000;
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build();
        CountDownLatch connected = new CountDownLatch(n);
        List<Subscriber> subs = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Subscriber s = new Subscriber(http, base + "/api/v1/events/stream?types=prompt_log.created", token, events, connected);
            subs.add(s);
            Thread t = new Thread(s, "sub-" + i);
            t.setDaemon(true);
            t.start();
            threads.add(t);
        }
        if (!connected.await(60, TimeUnit.SECONDS)) throw new IllegalStateException("subscribers did not connect");
        System.out.println("BENCH phase=connected subscribers=" + n);

        long t0 = System.nanoTime();
        HttpClient poster = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        String body = "{\"type\":\"sse-bench\",\"prompt\":\"p\",\"tokens\":1}";
        int failed = 0;
        for (int i = 0; i < events; i++) {
            HttpResponse<String> r = poster.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/prompt-history"))
                    .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 201) failed++;
        }
        double postSeconds = (System.nanoTime() - t0) / 1e9;
        for (Thread t : threads) t.join(TimeUnit.SECONDS.toMillis(60));
        double totalSeconds = (System.nanoTime() - t0) / 1e9;

        int complete = 0;
        long missing = 0;
        long outOfOrder = 0;
        List<Double> all = new ArrayList<>();
        for (Subscriber s : subs) {
            if (s.received == events) complete++;
            missing += events - s.received;
            for (int i = 1; i < s.received; i++) if (s.seqs[i] <= s.seqs[i - 1]) outOfOrder++;
            for (int i = 0; i < s.received; i++) all.add(s.latencies[i]);
        }
        double[] lat = all.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(lat);
        System.out.printf("BENCH phase=result subscribers=%d events=%d posts_failed=%d post_seconds=%.2f total_seconds=%.2f"
                        + " complete_subscribers=%d missing=%d out_of_order=%d deliveries=%d"
                        + " p50_ms=%.1f p95_ms=%.1f p99_ms=%.1f max_ms=%.1f%n",
                n, events, failed, postSeconds, totalSeconds, complete, missing, outOfOrder, lat.length,
                pct(lat, 50), pct(lat, 95), pct(lat, 99), lat.length == 0 ? 0 : lat[lat.length - 1]);
        System.exit(0);
    }

    static double pct(double[] sorted, double p) {
        if (sorted.length == 0) return 0;
        int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }
}
