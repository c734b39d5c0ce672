package storyboard.support;

import java.io.IOException;
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
import java.util.concurrent.TimeUnit;
import storyboard.server.DatabaseUrl;

/** The server as a separate operating-system process (its own JVM), on a database of the test's choosing. */
public final class ServerProcess implements AutoCloseable {
    private final Process process;
    private final int port;
    private final Path log;

    private ServerProcess(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    public static ServerProcess start(DatabaseUrl db) throws IOException, InterruptedException {
        return start(Map.of("DATABASE_URL", TestDatabase.asSetting(db),
                "STORYBOARD_DATA_DIR", Files.createTempDirectory("storyboard-process-data").toString()));
    }

    /** The server on the embedded PostgreSQL in this data directory (as a server started without DATABASE_URL). */
    public static ServerProcess startEmbedded(Path dataDir) throws IOException, InterruptedException {
        return start(Map.of("DATABASE_URL", "", "STORYBOARD_DATA_DIR", dataDir.toString()));
    }

    private static ServerProcess start(Map<String, String> settings) throws IOException, InterruptedException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path log = Files.createTempFile("storyboard-server-process", ".log");
        ProcessBuilder pb = java("serve", "--host", "127.0.0.1", "--port", String.valueOf(port))
                .redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("AUTH_TOKEN", TestServer.TOKEN);
        pb.environment().put("RATE_LIMIT", "0");
        pb.environment().put("RATE_LIMIT_INGEST", "0");
        pb.environment().putAll(settings);
        ServerProcess server = new ServerProcess(pb.start(), port, log);
        server.awaitReady();
        return server;
    }

    /** {@code storyboard-server <args>} in a JVM of its own, on the tests' class path. */
    public static ProcessBuilder java(String... args) {
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-cp", classpath, "storyboard.cli.Main"));
        command.addAll(List.of(args));
        return new ProcessBuilder(command);
    }

    private void awaitReady() throws IOException, InterruptedException {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120); // a loaded machine starts slowly
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) throw new IllegalStateException("the server process exited: " + Files.readString(log));
            try {
                HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create(baseUrl() + "/readyz"))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200) return;
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("the server process did not get ready: " + Files.readString(log));
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    public long pid() {
        return process.pid();
    }

    public Process process() {
        return process;
    }

    /** What it printed so far (standard output and error). */
    public String log() throws IOException {
        return Files.readString(log);
    }

    /** Ends it as {@code kill -9} would: nothing of its own runs at the end. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    /** Stops it as an operator would (SIGTERM) and waits for the exit. */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) process.destroyForcibly().waitFor();
    }
}
