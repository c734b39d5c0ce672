package storyboard.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import storyboard.cli.Main;
import storyboard.support.ServerProcess;
import storyboard.support.TestLogging;
import storyboard.support.TestServer;

/**
 * A server runs on the embedded PostgreSQL of a data directory (in a JVM of its own, as in production): the admin
 * commands given that directory use its database and leave it running; a second server is refused at once.
 */
class RunningServerDataDirectoryTest {
    @TempDir
    static Path dataDir;

    private static ServerProcess server;
    private static final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        server = ServerProcess.startEmbedded(dataDir);
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) server.close();
        TestLogging.restoreDefault(); // the commands configure logging as the CLI does
    }

    @Test
    void adminCommandsUseTheRunningServersDatabaseAndLeaveItRunning() throws Exception {
        long postmaster = postmasterPid();

        Run token = cli("", "token", "create", "--name", "made while the server runs", "--scopes", "read");
        assertThat(token.code()).as(token.err()).isZero();
        Matcher secret = Pattern.compile("(?m)^(sbs_\\S+)$").matcher(token.out());
        assertThat(secret.find()).as(token.out()).isTrue();
        assertThat(get("/api/v1/prompt-history", secret.group(1))).isEqualTo(200);
        assertThat(get("/api/v1/prompt-history", secret.group(1) + "x")).isEqualTo(401);
        assertStillServing(postmaster);

        String name = "cli-" + UUID.randomUUID().toString().substring(0, 8);
        Run user = cli("a long enough password\n", "user", "create", "--username", name, "--role", "viewer",
                "--password-stdin");
        assertThat(user.code()).as(user.err()).isZero();
        assertThat(signIn(name, "a long enough password")).isEqualTo(200);
        assertStillServing(postmaster);

        Run audit = cli("", "audit", "--limit", "20", "--json");
        assertThat(audit.code()).as(audit.err()).isZero();
        assertThat(audit.out()).contains("\"action\":\"token.created\"").contains("\"action\":\"user.created\"");
        assertStillServing(postmaster);

        Run migrate = cli("", "migrate");
        assertThat(migrate.code()).as(migrate.err()).isZero();
        assertThat(migrate.out()).containsPattern("Database migrated; schema at version \\d+\\.");
        assertStillServing(postmaster);

        Run gc = cli("", "gc", "--dry-run");
        assertThat(gc.code()).as(gc.err()).isZero();
        assertThat(gc.err()).contains("gc would remove 0 blob(s)");
        assertStillServing(postmaster);
    }

    @Test
    void aSecondServerOnTheDirectoryIsRefusedAtOnceInOneLine() throws Exception {
        String expected = "the data directory " + dataDir + " is in use by the server with pid " + server.pid()
                + " (listening on " + server.baseUrl() + ")";

        long started = System.nanoTime();
        assertThatThrownBy(() -> App.start(Config.resolve(Map.of("STORYBOARD_DATA_DIR", dataDir.toString(),
                "HOST", "127.0.0.1", "PORT", "0"), Map.of(), dataDir.resolve(".env"))))
                .isInstanceOf(EmbeddedDatabase.InUseException.class)
                .hasMessageStartingWith(expected);
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)).isLessThan(2000);

        // As an operator runs it: its own JVM, exit status 2, one line on the console.
        Path out = Files.createTempFile("second-serve", ".log");
        ProcessBuilder second = ServerProcess.java("serve", "--host", "127.0.0.1", "--port", "0",
                "--data-dir", dataDir.toString()).redirectErrorStream(true).redirectOutput(out.toFile());
        second.environment().put("DATABASE_URL", "");
        started = System.nanoTime();
        Process p = second.start();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        List<String> lines = Files.readAllLines(out).stream().filter(l -> !l.isBlank()).toList();
        assertThat(p.exitValue()).isEqualTo(2);
        assertThat(lines).hasSize(1);
        assertThat(lines.get(0)).startsWith("error: " + expected).doesNotContain("DATABASE_URL");
        assertThat(tookMs).as("a JVM start, not a wait for the database").isLessThan(15_000);
        System.out.println("[measured] second serve refused after " + tookMs + " ms (JVM start included)");
        assertStillServing(postmasterPid());
    }

    private static void assertStillServing(long postmaster) throws Exception {
        assertThat(server.process().isAlive()).isTrue();
        assertThat(get("/readyz", TestServer.TOKEN)).isEqualTo(200);
        assertThat(postmasterPid()).as("the same PostgreSQL, never restarted").isEqualTo(postmaster);
    }

    private static long postmasterPid() throws Exception {
        return Long.parseLong(Files.readAllLines(dataDir.resolve("postgres").resolve("postmaster.pid")).get(0).trim());
    }

    private static int get(String path, String token) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + path))
                .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private static int signIn(String username, String password) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/login"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"" + username + "\",\"password\":\"" + password
                        + "\"}")).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private record Run(int code, String out, String err) {}

    /** {@code storyboard-server <args> --data-dir <the server's>} in this JVM, with this standard input. */
    private static synchronized Run cli(String stdin, String... args) {
        String[] full = new String[args.length + 2];
        System.arraycopy(args, 0, full, 0, args.length);
        full[args.length] = "--data-dir";
        full[args.length + 1] = dataDir.toString();
        InputStream in = System.in;
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
        ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
        try {
            System.setIn(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
            System.setOut(new PrintStream(outBytes, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(errBytes, true, StandardCharsets.UTF_8));
            CommandLine cli = new CommandLine(new Main());
            cli.setErr(new PrintWriter(System.err, true));
            cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
                cmd.getErr().println("error: " + e.getMessage());
                return 2;
            });
            int code = cli.execute(full);
            return new Run(code, outBytes.toString(StandardCharsets.UTF_8), errBytes.toString(StandardCharsets.UTF_8));
        } finally {
            System.setIn(in);
            System.setOut(out);
            System.setErr(err);
        }
    }
}
