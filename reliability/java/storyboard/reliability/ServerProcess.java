package storyboard.reliability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
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

/**
 * The server as its own process, started the way people start it (the launcher, on compiled classes), so it can be
 * killed like a real one. Its output goes to a file the test can show on failure.
 */
final class ServerProcess implements AutoCloseable {
    static final String TOKEN = "reliability-admin-token-0123456789";
    private final Process process;
    private final int port;
    private final Path log;

    private ServerProcess(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /** Starts a server on this data directory (its embedded PostgreSQL) and port, with extra settings. */
    static ServerProcess start(Path dataDir, int port, Map<String, String> settings) {
        try {
            Path log = Files.createTempFile("storyboard-reliability-server", ".log");
            List<String> command = new ArrayList<>(List.of(Path.of("bin/storyboard-server").toAbsolutePath().toString(), "serve"));
            ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
            Map<String, String> env = pb.environment();
            env.keySet().removeIf(k -> k.equals("DATABASE_URL") || k.equals("JAVA_OPTS"));
            env.put("STORYBOARD_CLASSPATH", System.getProperty("java.class.path"));
            env.put("STORYBOARD_DATA_DIR", dataDir.toString());
            env.put("HOST", "127.0.0.1");
            env.put("PORT", String.valueOf(port));
            env.put("AUTH_TOKEN", TOKEN);
            // No rate limits: the tests check thousands of ids at full speed (a 429 is no answer about the data).
            env.put("RATE_LIMIT", "0");
            env.put("RATE_LIMIT_INGEST", "0");
            env.putAll(settings);
            return new ServerProcess(pb.start(), port, log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** Waits until /readyz answers 200; the seconds it took, or fails with the server's output. */
    double awaitReady(Duration limit) {
        long start = System.nanoTime();
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        while (System.nanoTime() - start < limit.toNanos()) {
            if (!process.isAlive()) throw new AssertionError("the server exited with " + process.exitValue() + ":\n" + output());
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(baseUrl() + "/readyz"))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) return (System.nanoTime() - start) / 1e9;
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            sleep(50);
        }
        throw new AssertionError("the server was not ready within " + limit + ":\n" + output());
    }

    /** kill -9: the JVM ends at once, without its shutdown hooks. */
    void kill() {
        process.destroyForcibly();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    String output() {
        try {
            String s = Files.readString(log);
            return s.length() > 20_000 ? s.substring(s.length() - 20_000) : s;
        } catch (IOException e) {
            return "(no output: " + e + ")";
        }
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) process.destroyForcibly().waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
