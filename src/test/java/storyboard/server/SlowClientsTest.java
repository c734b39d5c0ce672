package storyboard.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.http.HttpRequest;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import storyboard.kernel.Json;
import storyboard.support.TestDatabase;
import storyboard.support.TestServer;

/**
 * Clients that send their request bodies a byte at a time, or stop: they are cut after the body timeout (2 s here)
 * with a JSON 408, keep nothing, hold little memory meanwhile, and do not slow a normal client; once they are gone
 * the server is whole. A 503 with Retry-After when the uploads' memory is taken.
 */
class SlowClientsTest {
    private static final String TIMEOUT = "2s";
    private static final long STEP_MILLIS = 250;

    @Test
    void threeHundredBodiesSentAByteAtATimeAreCutWhileANormalClientIsServed() throws Exception {
        try (TestServer server = TestServer.start(TestDatabase.get().newDatabase(), Map.of("BODY_TIMEOUT", TIMEOUT))) {
            List<String> tus = new ArrayList<>();
            for (int i = 0; i < 100; i++) tus.add(createUpload(server, 100_000));
            long[] before = memory();
            List<Slow> slow = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                slow.add(Slow.open(server, logPost(100_000), new byte[] {'{'}));
                slow.add(Slow.open(server, blobPut(randomSha(), 100_000, false), new byte[] {1}));
                slow.add(Slow.open(server, tusPatch(tus.get(i), 0, 100_000), new byte[] {1}));
            }
            Normal normal = Normal.start(server);
            long[] during = null;
            long t0 = System.nanoTime();
            while (slow.stream().anyMatch(s -> !s.done()) && millisSince(t0) < 15_000) {
                Slow.step(slow, STEP_MILLIS);
                if (during == null && millisSince(t0) > 1_000) during = memory(); // all connected, a few bytes each
            }
            normal.stop();
            System.out.printf("[slow bodies] 300 a byte every %d ms: cut after %s ms; heap +%d MiB, off-heap +%d MiB "
                            + "while held; normal client: %s%n", STEP_MILLIS, Slow.answerTimes(slow),
                    (during[0] - before[0]) >> 20, (during[1] - before[1]) >> 20, normal);

            for (Slow s : slow) {
                assertThat(s.status()).as(s.toString()).isEqualTo(408);
                assertThat(s.json().get("error").asText()).isEqualTo("body_timeout");
                assertThat(s.header("Connection")).isEqualToIgnoringCase("close");
                // Cut after about one timeout: they fell behind the minimum rate by 2 s.
                assertThat(s.answeredAfterMillis()).as(s.toString()).isBetween(1_500L, 8_000L);
            }
            // Held meanwhile: what arrived, no thread, no staging memory (before: 4 MiB of heap per blob PUT).
            assertThat(during[0] - before[0]).as("heap growth while held").isLessThan(48L << 20);
            assertThat(during[1] - before[1]).as("off-heap growth while held").isLessThan(16L << 20);
            assertThat(normal.failures).as("normal client's failures").isEmpty();
            assertThat(normal.p99()).as("normal client's p99 (ms)").isLessThan(1_000);

            // Nothing was kept, nothing is held, and the server is whole.
            assertThat(files(server.app().config().blobDir().resolve("tmp"))).isEmpty();
            for (String id : tus.subList(0, 10)) {
                assertThat(server.send(server.request(id).method("HEAD", HttpRequest.BodyPublishers.noBody())
                        .header("Tus-Resumable", "1.0.0").build()).header("Upload-Offset")).isEqualTo("0");
            }
            assertWhole(server);
        }
    }

    @Test
    void bodiesThatStallAfterTheirFirstBytesAreCutInTheRoutesAndKeepNothingButTusProgress() throws Exception {
        try (TestServer server = TestServer.start(TestDatabase.get().newDatabase(), Map.of("BODY_TIMEOUT", TIMEOUT))) {
            int fast = 70_000; // past what is read before the route runs
            List<Slow> slow = new ArrayList<>();
            List<String> tus = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                byte[] log = new byte[fast];
                Arrays.fill(log, (byte) ' ');
                log[0] = '{';
                slow.add(Slow.open(server, logPost(200_000), log));
                slow.add(Slow.open(server, blobPut(randomSha(), 1_000_000, false), new byte[fast]));
                tus.add(createUpload(server, 1_000_000));
                slow.add(Slow.open(server, tusPatch(tus.get(i), 0, 1_000_000), new byte[fast]));
                // Told to send by "100 Continue" from the route itself: not read ahead.
                slow.add(Slow.open(server, blobPut(randomSha(), 1_000_000, true), new byte[0]));
            }
            // A multipart asset upload: its file part stalls (Jetty's parser reads it; the route is told why it failed).
            String boundary = "slowboundary";
            byte[] part = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.bin\"\r\n"
                    + "Content-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
            byte[] multipartStart = Arrays.copyOf(part, fast);
            Slow multipart = Slow.open(server, "POST /api/v1/assets HTTP/1.1\r\nContent-Type: multipart/form-data; boundary="
                    + boundary + "\r\nContent-Length: 1000000\r\n", multipartStart);
            slow.add(multipart);
            List<Slow> stalled = new ArrayList<>();
            for (int i = 0; i < 10; i++) stalled.add(Slow.open(server, blobPut(randomSha(), 1_000_000, false), new byte[fast]));
            stalled.forEach(s -> s.trickle = false); // then nothing at all
            List<Slow> all = new ArrayList<>(slow);
            all.addAll(stalled);
            long t0 = System.nanoTime();
            while (all.stream().anyMatch(s -> !s.done()) && millisSince(t0) < 15_000) Slow.step(all, STEP_MILLIS);
            System.out.printf("[slow bodies] stalling in the routes: cut after %s ms%n", Slow.answerTimes(all));

            for (Slow s : all) {
                assertThat(s.status()).as(s.toString()).isEqualTo(408);
                assertThat(s.json().get("error").asText()).as(s.toString()).isEqualTo("body_timeout");
                assertThat(s.answeredAfterMillis()).as(s.toString()).isBetween(1_500L, 8_000L);
            }
            assertThat(stalled.get(0).json().get("message").asText()).contains("no byte of the body");
            assertThat(multipart.json().get("message").asText()).contains("BODY_TIMEOUT");
            // A tus PATCH keeps what arrived (that is what resuming is for) and says from where to resume.
            for (int i = 0; i < 20; i++) {
                Slow s = slow.get(4 * i + 2);
                String offset = server.send(server.request(tus.get(i)).method("HEAD", HttpRequest.BodyPublishers.noBody())
                        .header("Tus-Resumable", "1.0.0").build()).header("Upload-Offset");
                assertThat(Long.parseLong(offset)).isBetween((long) fast, s.sent);
                assertThat(s.json().get("message").asText()).contains("Upload-Offset " + offset);
            }
            assertThat(files(server.app().config().blobDir().resolve("tmp"))).isEmpty();
            assertWhole(server);
        }
    }

    @Test
    void anUploadTheMemoryCannotHoldIsRefusedWith503AndRetryAfterWhileOtherWorkGoesOn() throws Exception {
        // Four chunks of memory for uploads; bodies that trickle just fast enough to be allowed (4 KiB a second).
        try (TestServer server = TestServer.start(TestDatabase.get().newDatabase(), Map.of("BODY_TIMEOUT", "20s",
                "UPLOAD_MEMORY_BYTES", String.valueOf(4 << 20)))) {
            List<Slow> holding = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                Slow s = Slow.open(server, blobPut(randomSha(), 4_000_000, false), new byte[70_000]);
                s.perStep = 1024;
                holding.add(s);
            }
            long t0 = System.nanoTime();
            while (server.app().uploadMemory().used() < 4 << 20 && millisSince(t0) < 10_000) Slow.step(holding, STEP_MILLIS);
            assertThat(server.app().uploadMemory().used()).isEqualTo(4 << 20);
            AtomicBoolean stop = new AtomicBoolean();
            Thread keep = new Thread(() -> {
                while (!stop.get()) Slow.step(holding, STEP_MILLIS);
            });
            keep.start();
            try {
                byte[] bytes = new byte[1 << 20];
                new Random(5).nextBytes(bytes);
                long t1 = System.nanoTime();
                TestServer.Response refused = server.send(server.request("/api/v1/blobs/" + sha256(bytes))
                        .PUT(HttpRequest.BodyPublishers.ofByteArray(bytes)).build());
                assertThat(refused.status()).as(refused.toString()).isEqualTo(503);
                assertThat(refused.json().get("error").asText()).isEqualTo("server_busy");
                assertThat(refused.header("Retry-After")).isEqualTo("10");
                assertThat(millisSince(t1)).as("waited briefly for memory").isBetween(4_000L, 15_000L);
                // Other work goes on meanwhile: a log, and a resumable upload (it needs no memory of the budget).
                assertThat(server.postJson("/api/v1/prompt-history", "{\"type\":\"busy-test\"}").status()).isEqualTo(201);
                String id = createUpload(server, bytes.length);
                TestServer.Response patched = server.send(server.request(id).header("Tus-Resumable", "1.0.0")
                        .header("Upload-Offset", "0").header("Content-Type", "application/offset+octet-stream")
                        .method("PATCH", HttpRequest.BodyPublishers.ofByteArray(bytes)).build());
                assertThat(patched.status()).as(patched.toString()).isEqualTo(204);
                assertThat(patched.header("Upload-Sha256")).isEqualTo(sha256(bytes));
            } finally {
                stop.set(true);
                keep.join();
                holding.forEach(Slow::close);
            }
            // Once they are gone the memory comes back and uploads are taken again.
            t0 = System.nanoTime();
            while (server.app().uploadMemory().used() > 0 && millisSince(t0) < 10_000) Thread.sleep(20);
            assertWhole(server);
        }
    }

    @Test
    void slowBodiesBeyondWhatThreadsAllowWaitBrieflyThenAre503() throws Exception {
        try (TestServer server = TestServer.start(TestDatabase.get().newDatabase(), Map.of("BODY_TIMEOUT", "8s"))) {
            int limit = server.app().streamedBodiesLimit();
            int count = Math.min(limit + 15, 300);
            List<Slow> slow = new ArrayList<>();
            for (int i = 0; i < count; i++) slow.add(Slow.open(server, blobPut(randomSha(), 200_000, false), new byte[70_000]));
            Normal normal = Normal.start(server);
            long t0 = System.nanoTime();
            while (slow.stream().anyMatch(s -> !s.done()) && millisSince(t0) < 20_000) Slow.step(slow, STEP_MILLIS);
            normal.stop();
            System.out.printf("[slow bodies] %d streamed at once (limit %d): answered after %s ms; normal client: %s%n",
                    count, limit, Slow.answerTimes(slow), normal);
            List<Slow> refused = slow.stream().filter(s -> s.status() == 503).toList();
            List<Slow> cut = slow.stream().filter(s -> s.status() == 408).toList();
            assertThat(refused.size() + cut.size()).as("all answered 503 or 408").isEqualTo(count);
            assertThat(cut).hasSizeLessThanOrEqualTo(limit);
            assertThat(refused).hasSizeGreaterThanOrEqualTo(count - limit);
            for (Slow s : refused) {
                assertThat(s.json().get("error").asText()).isEqualTo("server_busy");
                assertThat(s.header("Retry-After")).isEqualTo("10");
                assertThat(s.answeredAfterMillis()).as(s.toString()).isBetween(4_500L, 8_000L);
            }
            // The others' threads were not taken: a normal client was served meanwhile.
            assertThat(normal.failures).isEmpty();
            assertThat(normal.p99()).isLessThan(1_000);
            assertWhole(server);
        }
    }

    @Test
    void aBodyThatStartsAfterAPauseIsReadWholeAtFullSpeed() throws Exception {
        // The body is read ahead only once it starts; the route then reads the rest as it comes (it must not wait
        // behind the callback that read ahead: it did, until the timeout).
        try (TestServer server = TestServer.start(TestDatabase.get().newDatabase(), Map.of("BODY_TIMEOUT", TIMEOUT))) {
            for (int i = 0; i < 5; i++) {
                byte[] bytes = new byte[(3 << 20) + i];
                new Random(i).nextBytes(bytes);
                byte[] other = bytes.clone();
                other[0]++;
                byte[] log = ("{\"type\":\"paused\",\"prompt\":\"" + i + "p".repeat(200_000) + "\"}").getBytes(StandardCharsets.UTF_8);
                String id = createUpload(server, other.length);
                List<Slow> paused = List.of(
                        Slow.open(server, blobPut(sha256(bytes), bytes.length, false), new byte[0]),
                        Slow.open(server, tusPatch(id, 0, other.length), new byte[0]),
                        Slow.open(server, logPost(log.length), new byte[0]));
                Thread.sleep(100);
                long t0 = System.nanoTime();
                // In two parts, so that the route catches up and waits for more in between.
                byte[][] bodies = {bytes, other, log};
                for (int k = 0; k < 3; k++) paused.get(k).send(Arrays.copyOfRange(bodies[k], 0, 100_000));
                Thread.sleep(100);
                for (int k = 0; k < 3; k++) paused.get(k).send(Arrays.copyOfRange(bodies[k], 100_000, bodies[k].length));
                paused.forEach(s -> s.trickle = false);
                while (paused.stream().anyMatch(s -> !s.done()) && millisSince(t0) < 5_000) Slow.step(paused, 50);
                assertThat(paused.get(0).status()).as(paused.get(0).toString()).isEqualTo(201);
                assertThat(paused.get(1).status()).as(paused.get(1).toString()).isEqualTo(204);
                assertThat(paused.get(2).status()).as(paused.get(2).toString()).isEqualTo(201);
                assertThat(millisSince(t0)).as("answered at once").isLessThan(1_500);
            }
        }
    }

    /** Nothing held, and every kind of request answered as usual. */
    private static void assertWhole(TestServer server) throws Exception {
        long t0 = System.nanoTime();
        while ((server.app().bodiesHeld()[0] > 0 || server.app().bodiesHeld()[1] > 0 || server.app().uploadMemory().used() > 0)
                && millisSince(t0) < 5_000) {
            Thread.sleep(20);
        }
        assertThat(server.app().bodiesHeld()).as("read-ahead bytes, bodies being read").containsExactly(0, 0);
        assertThat(server.app().uploadMemory().used()).isZero();
        assertThat(server.get("/readyz").status()).isEqualTo(200);
        assertThat(server.postJson("/api/v1/prompt-history", "{\"type\":\"after-slow-clients\"}").status()).isEqualTo(201);
        byte[] bytes = new byte[3 << 20];
        new Random(9).nextBytes(bytes);
        String sha = sha256(bytes);
        TestServer.Response put = server.send(server.request("/api/v1/blobs/" + sha)
                .PUT(HttpRequest.BodyPublishers.ofByteArray(bytes)).build());
        assertThat(put.status()).as(put.toString()).isEqualTo(201);
        String id = createUpload(server, bytes.length);
        TestServer.Response patched = server.send(server.request(id).header("Tus-Resumable", "1.0.0")
                .header("Upload-Offset", "0").header("Content-Type", "application/offset+octet-stream")
                .method("PATCH", HttpRequest.BodyPublishers.ofByteArray(bytes)).build());
        assertThat(patched.status()).as(patched.toString()).isEqualTo(204);
        assertThat(patched.header("Upload-Sha256")).isEqualTo(sha);
    }

    private static String createUpload(TestServer server, long length) {
        TestServer.Response r = server.send(server.request("/api/v1/uploads").header("Tus-Resumable", "1.0.0")
                .header("Upload-Length", String.valueOf(length)).POST(HttpRequest.BodyPublishers.noBody()).build());
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        return r.header("Location");
    }

    private static String logPost(long length) {
        return "POST /api/v1/prompt-history HTTP/1.1\r\nContent-Type: application/json\r\nContent-Length: " + length + "\r\n";
    }

    private static String blobPut(String sha, long length, boolean expectContinue) {
        return "PUT /api/v1/blobs/" + sha + " HTTP/1.1\r\nContent-Type: application/octet-stream\r\nContent-Length: " + length
                + "\r\n" + (expectContinue ? "Expect: 100-continue\r\n" : "");
    }

    private static String tusPatch(String location, long offset, long length) {
        return "PATCH " + location + " HTTP/1.1\r\nTus-Resumable: 1.0.0\r\nUpload-Offset: " + offset
                + "\r\nContent-Type: application/offset+octet-stream\r\nContent-Length: " + length + "\r\n";
    }

    private static String randomSha() {
        byte[] b = new byte[32];
        new Random().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    /** Heap in use after a full collection, and off-heap buffers in use. */
    private static long[] memory() {
        System.gc();
        long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        long direct = ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class).stream()
                .filter(p -> p.getName().equals("direct")).mapToLong(BufferPoolMXBean::getMemoryUsed).sum();
        return new long[] {heap, direct};
    }

    private static List<Path> files(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.toList();
        }
    }

    static long millisSince(long nanos) {
        return (System.nanoTime() - nanos) / 1_000_000;
    }

    /**
     * A connection that sent its request head and first bytes, then sends {@link #perStep} bytes at each
     * {@link #step} (or nothing, when it does not {@link #trickle}), until the server answers or closes.
     */
    static final class Slow {
        private final SocketChannel channel;
        private final long opened = System.nanoTime();
        private final ByteArrayOutputStream received = new ByteArrayOutputStream();
        private final String head;
        boolean trickle = true;
        int perStep = 1;
        long sent;
        private long answeredAt;
        private boolean closed;

        private Slow(SocketChannel channel, String head) {
            this.channel = channel;
            this.head = head.lines().findFirst().orElse("");
        }

        static Slow open(TestServer server, String head, byte[] first) throws IOException {
            SocketChannel ch = SocketChannel.open(new InetSocketAddress("127.0.0.1", server.app().port()));
            String full = head + "Host: 127.0.0.1\r\nAuthorization: Bearer " + TestServer.TOKEN + "\r\n\r\n";
            ByteBuffer out = ByteBuffer.allocate(full.length() + first.length);
            out.put(full.getBytes(StandardCharsets.ISO_8859_1)).put(first).flip();
            while (out.hasRemaining()) ch.write(out);
            ch.configureBlocking(false);
            Slow s = new Slow(ch, head);
            s.sent = first.length;
            return s;
        }

        /** One step for every connection: each sends its bytes, then answers are read for {@code millis}. */
        static void step(List<Slow> all, long millis) {
            try (Selector selector = Selector.open()) {
                for (Slow s : all) {
                    if (s.done()) continue;
                    if (s.trickle) {
                        try {
                            s.sent += s.channel.write(ByteBuffer.allocate(s.perStep));
                        } catch (IOException e) {
                            // the server closed it: its answer, if any, is read below
                        }
                    }
                    s.channel.register(selector, SelectionKey.OP_READ, s);
                }
                long end = System.nanoTime() + millis * 1_000_000;
                ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
                while (System.nanoTime() < end) {
                    if (selector.select(Math.max(1, (end - System.nanoTime()) / 1_000_000)) == 0) continue;
                    for (SelectionKey key : selector.selectedKeys()) {
                        Slow s = (Slow) key.attachment();
                        buf.clear();
                        int n;
                        try {
                            n = s.channel.read(buf);
                        } catch (IOException e) {
                            n = -1;
                        }
                        if (n > 0) s.received.write(buf.array(), 0, n);
                        if (n < 0) {
                            s.closed = true;
                            key.cancel();
                        }
                        if ((n < 0 || s.complete()) && s.answeredAt == 0) s.answeredAt = System.nanoTime();
                    }
                    selector.selectedKeys().clear();
                }
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        /** Sends {@code bytes} at once (blocking until written). */
        void send(byte[] bytes) throws IOException {
            ByteBuffer out = ByteBuffer.wrap(bytes);
            while (out.hasRemaining()) {
                sent += channel.write(out);
                if (out.hasRemaining()) Thread.onSpinWait();
            }
        }

        boolean done() {
            return answeredAt != 0 || closed;
        }

        void close() {
            try {
                channel.close();
            } catch (IOException ignored) {
                // closing
            }
        }

        long answeredAfterMillis() {
            return answeredAt == 0 ? -1 : (answeredAt - opened) / 1_000_000;
        }

        /** The final answer's head and body (after any "100 Continue"), once complete; else null. */
        private String[] answer() {
            String all = received.toString(StandardCharsets.ISO_8859_1);
            while (all.startsWith("HTTP/1.1 100")) {
                int end = all.indexOf("\r\n\r\n");
                if (end < 0) return null;
                all = all.substring(end + 4);
            }
            int end = all.indexOf("\r\n\r\n");
            if (end < 0) return null;
            String headPart = all.substring(0, end);
            String body = all.substring(end + 4);
            String length = header(headPart, "Content-Length");
            if (length != null && body.length() < Integer.parseInt(length.trim())) return null;
            return new String[] {headPart, body};
        }

        private boolean complete() {
            return answer() != null;
        }

        int status() {
            String[] a = answer();
            return a == null ? -1 : Integer.parseInt(a[0].split(" ")[1]);
        }

        String header(String name) {
            String[] a = answer();
            return a == null ? null : header(a[0], name);
        }

        private static String header(String headPart, String name) {
            for (String line : headPart.split("\r\n")) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(name)) return line.substring(colon + 1).trim();
            }
            return null;
        }

        JsonNode json() throws IOException {
            String[] a = answer();
            return Json.MAPPER.readTree(a == null ? "null" : a[1]);
        }

        static String answerTimes(List<Slow> all) {
            long[] t = all.stream().mapToLong(Slow::answeredAfterMillis).sorted().toArray();
            return t.length == 0 ? "-" : t[0] + ".." + t[t.length - 1];
        }

        @Override
        public String toString() {
            return head + " (sent " + sent + " bytes, answered after " + answeredAfterMillis() + " ms: "
                    + received.toString(StandardCharsets.ISO_8859_1).replace("\r\n", " | ") + ")";
        }
    }

    /** A normal client meanwhile: a log POSTed and /readyz, one after the other, as fast as they are answered. */
    static final class Normal {
        final List<Long> latencies = java.util.Collections.synchronizedList(new ArrayList<>());
        final List<String> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        private final AtomicBoolean stop = new AtomicBoolean();
        private Thread thread;

        static Normal start(TestServer server) {
            Normal n = new Normal();
            n.thread = new Thread(() -> {
                int i = 0;
                while (!n.stop.get()) {
                    long t = System.nanoTime();
                    try {
                        TestServer.Response r = i++ % 2 == 0
                                ? server.postJson("/api/v1/prompt-history", "{\"type\":\"normal-client\",\"prompt\":\"p" + i + "\"}")
                                : server.get("/readyz");
                        if (r.status() != 201 && r.status() != 200) n.failures.add(r.toString());
                    } catch (RuntimeException e) {
                        n.failures.add(e.toString());
                    }
                    n.latencies.add(millisSince(t));
                    try {
                        Thread.sleep(20);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "normal-client");
            n.thread.start();
            return n;
        }

        void stop() throws InterruptedException {
            stop.set(true);
            thread.join();
        }

        long p99() {
            long[] sorted = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
            return sorted.length == 0 ? Long.MAX_VALUE : sorted[Math.min(sorted.length - 1, (int) (sorted.length * 0.99))];
        }

        @Override
        public String toString() {
            long[] sorted = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
            return sorted.length + " requests, p50 " + (sorted.length == 0 ? -1 : sorted[sorted.length / 2]) + " ms, p99 "
                    + p99() + " ms, max " + (sorted.length == 0 ? -1 : sorted[sorted.length - 1]) + " ms, "
                    + failures.size() + " failed";
        }
    }
}
