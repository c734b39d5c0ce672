package storyboard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import storyboard.auth.UserStore;
import storyboard.support.TestDatabase;
import storyboard.support.TestLogging;
import storyboard.support.TestServer;

/** {@code user create|list|set-password|disable|enable|delete} against the database a running server uses. */
class UserCommandTest {
    private static TestServer server;
    private static String databaseUrl;

    @BeforeAll
    static void start() {
        server = TestServer.start(TestDatabase.get().newDatabase(), Map.of());
        databaseUrl = TestDatabase.asSetting(server.app().config().databaseUrl().orElseThrow());
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
        TestLogging.restoreDefault(); // the commands configure logging as the CLI does
    }

    @Test
    void aUserMadeOnTheCommandLineSignsInAndEveryStepIsAudited() {
        String name = "cli-" + UUID.randomUUID().toString().substring(0, 8);
        Run created = run("from stdin, long enough\n", "create", "--username", name, "--role", "editor",
                "--display-name", "Cli Person", "--password-stdin");
        assertThat(created.code()).as(created.err()).isZero();
        // Other threads' console logging may land in the captured output too: look for the line.
        assertThat(created.out()).containsPattern("(?m)^Created user " + name + " \\([0-9a-f-]{36}\\) with role editor\\.$");
        assertThat(signIn(name, "from stdin, long enough")).isEqualTo(200);

        Run listed = run("", "list");
        assertThat(listed.code()).isZero();
        assertThat(listed.out()).contains(name).contains("Cli Person").contains("editor").contains("active")
                .doesNotContain("argon2");

        assertThat(run("a second good password\n", "set-password", name, "--password-stdin").code()).isZero();
        assertThat(signIn(name, "from stdin, long enough")).isEqualTo(401);
        assertThat(signIn(name, "a second good password")).isEqualTo(200);

        assertThat(run("", "disable", name).code()).isZero();
        assertThat(signIn(name, "a second good password")).isEqualTo(401);
        assertThat(run("", "enable", name).code()).isZero();
        assertThat(signIn(name, "a second good password")).isEqualTo(200);
        assertThat(run("", "delete", name).code()).isZero();
        assertThat(signIn(name, "a second good password")).isEqualTo(401);

        JsonNode events = server.get("/api/v1/audit?action=user.*&actor_type=cli").json().get("items");
        assertThat(events.findValuesAsText("action"))
                .containsExactly("user.deleted", "user.enabled", "user.disabled", "user.password_changed", "user.created");
        assertThat(events.toString()).doesNotContain("long enough").doesNotContain("second good");
    }

    @Test
    void badInputIsOneLineAndNothingIsCreated() {
        String name = "short-" + UUID.randomUUID().toString().substring(0, 8);
        Run tooShort = run("tiny\n", "create", "--username", name, "--role", "viewer", "--password-stdin");
        assertThat(tooShort.code()).isNotZero();
        assertThat(tooShort.err()).contains("the password must have at least 12 characters").doesNotContain("tiny");
        Run badRole = run("long enough password\n", "create", "--username", name, "--role", "owner", "--password-stdin");
        assertThat(badRole.code()).isNotZero();
        assertThat(badRole.err()).contains("unknown role 'owner' (known: admin, editor, viewer)");
        Run noTerminal = run("", "create", "--username", name, "--role", "viewer");
        assertThat(noTerminal.code()).isNotZero();
        assertThat(noTerminal.err()).contains("no terminal to ask for the password; use --password-stdin");
        assertThat(new UserStore(server.jdbi()).findByUsername(name)).isEmpty();

        assertThat(run("", "disable", "nobody-by-this-name").err()).contains("no user named 'nobody-by-this-name'");
        assertThat(run("long enough password\n", "create", "--username", name, "--role", "viewer", "--password-stdin").code()).isZero();
        Run taken = run("long enough password\n", "create", "--username", name.toUpperCase(), "--role", "viewer", "--password-stdin");
        assertThat(taken.code()).isNotZero();
        assertThat(taken.err()).contains("the username '" + name.toUpperCase() + "' is taken");
    }

    private record Run(int code, String out, String err) {}

    /** Runs {@code user ...} with this standard input, capturing what it prints. */
    private static synchronized Run run(String stdin, String... args) {
        String[] full = new String[args.length + 2];
        System.arraycopy(args, 0, full, 0, args.length);
        full[args.length] = "--database-url";
        full[args.length + 1] = databaseUrl;
        InputStream in = System.in;
        PrintStream out = System.out;
        ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
        ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
        try {
            System.setIn(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
            System.setOut(new PrintStream(outBytes, true, StandardCharsets.UTF_8));
            CommandLine cli = new CommandLine(new UserCommand());
            cli.setErr(new java.io.PrintWriter(errBytes, true, StandardCharsets.UTF_8));
            cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
                cmd.getErr().println("error: " + e.getMessage());
                return 2;
            });
            int code = cli.execute(full);
            return new Run(code, outBytes.toString(StandardCharsets.UTF_8), errBytes.toString(StandardCharsets.UTF_8));
        } finally {
            System.setIn(in);
            System.setOut(out);
        }
    }

    private static int signIn(String username, String password) {
        return server.send(server.anonymous("/login").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"" + username + "\",\"password\":\"" + password + "\"}"))
                .build()).status();
    }
}
