package storyboard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;
import storyboard.support.TestDatabase;
import storyboard.support.TestServer;
import storyboard.server.App;
import storyboard.server.Config;

/**
 * The launcher, bin/storyboard-server, run as people run it: against the compiled classes (STORYBOARD_CLASSPATH, as
 * {@code ./mvnw test} does not package the jar), or a jar next to a copy of it.
 */
class LauncherTest {
    static final Path LAUNCHER = Path.of("bin", "storyboard-server").toAbsolutePath();
    static final String CLASSPATH = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));

    @TempDir
    Path dir;

    record Run(int exit, String out, String err) {
        List<String> errLines() {
            return err.lines().toList();
        }
    }

    /** Runs a launcher in the temporary directory with the compiled classes, this test's Java, and extra variables. */
    Run run(Path launcher, Map<String, String> env, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(launcher.toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile());
        Path out = Files.createTempFile(dir, "out", ".txt");
        Path err = Files.createTempFile(dir, "err", ".txt");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.environment().remove("JAVA_OPTS");
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        pb.environment().put("STORYBOARD_CLASSPATH", CLASSPATH);
        for (Map.Entry<String, String> e : env.entrySet()) {
            if (e.getValue() == null) pb.environment().remove(e.getKey());
            else pb.environment().put(e.getKey(), e.getValue());
        }
        Process p = pb.start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor();
            throw new AssertionError("the launcher did not finish within 60 s: " + command);
        }
        return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    Run run(String... args) throws IOException, InterruptedException {
        return run(LAUNCHER, Map.of(), args);
    }

    @Test
    void theLauncherIsAnExecutableShellScript() throws IOException {
        assertThat(Files.isExecutable(LAUNCHER)).isTrue();
        assertThat(Files.readAllLines(LAUNCHER).get(0)).isEqualTo("#!/bin/sh");
        assertThat(Files.readString(LAUNCHER.resolveSibling("storyboard-server.cmd")))
                .contains("set \"DEFAULT_JVM_OPTS=" + launcherFlags() + "\"");
    }

    @Test
    void versionPrintsTheProgramAndItsVersion() throws Exception {
        Run r = run("--version");
        assertThat(r.exit()).isZero();
        assertThat(r.out().strip()).isEqualTo("storyboard-server " + App.VERSION);
        assertThat(r.err()).isEmpty();
    }

    @Test
    void itStartsJavaWithTheServersFlagsAndJavaOptsWin() throws Exception {
        Run defaults = run(LAUNCHER, Map.of("JAVA_OPTS", "-XX:+PrintCommandLineFlags"), "--version");
        assertThat(defaults.exit()).isZero();
        assertThat(defaults.out()).contains("-XX:MaxHeapSize=268435456", "-XX:+UseSerialGC", "-XX:FreqInlineSize=100",
                "-XX:InlineSmallCode=1000");
        assertThat(defaults.out()).contains("storyboard-server " + App.VERSION);

        Run bigger = run(LAUNCHER, Map.of("JAVA_OPTS", "-Xmx300m  -XX:+PrintCommandLineFlags"), "--version");
        assertThat(bigger.exit()).isZero();
        assertThat(bigger.out()).contains("-XX:MaxHeapSize=314572800", "-XX:+UseSerialGC");
    }

    @Test
    void withoutJavaHomeItUsesTheJavaOnThePath() throws Exception {
        String path = Path.of(System.getProperty("java.home"), "bin") + ":/usr/bin:/bin";
        Map<String, String> env = new HashMap<>();
        env.put("JAVA_HOME", null);
        env.put("PATH", path);
        env.put("JAVA_OPTS", "-XX:+PrintCommandLineFlags");
        Run r = run(LAUNCHER, env, "--version");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("-XX:+UseSerialGC", "storyboard-server " + App.VERSION);

        Run wrongHome = run(LAUNCHER, Map.of("JAVA_HOME", dir.resolve("no-such-jdk").toString()), "--version");
        assertThat(wrongHome.exit()).isEqualTo(1);
        assertThat(wrongHome.errLines()).singleElement().asString().contains("JAVA_HOME", "no-such-jdk");
    }

    @Test
    void helpListsEveryCommandAndHowToRunTheLauncher() throws Exception {
        for (String[] args : new String[][] {{"help"}, {"--help"}}) {
            Run r = run(args);
            assertThat(r.exit()).as(String.join(" ", args)).isZero();
            assertThat(r.out()).startsWith("Usage: storyboard-server [-hV] [COMMAND]");
            for (String command : Main.commandLine().getSubcommands().keySet()) {
                assertThat(r.out()).as(command).containsPattern("(?m)^  " + Pattern.quote(command) + " ");
            }
            assertThat(r.out()).contains("bin/storyboard-server", "JAVA_OPTS", "JAVA_HOME", "STORYBOARD_CLASSPATH",
                    "./mvnw -q package -DskipTests", "storyboard-server help serve");
        }
    }

    @Test
    void helpShowsACommandsOrASubCommandsOptions() throws Exception {
        Run gc = run("help", "gc");
        assertThat(gc.exit()).isZero();
        assertThat(gc.out()).startsWith("Usage: storyboard-server gc ").contains("--dry-run", "--grace")
                .contains("Run it with the launcher: bin/storyboard-server gc ...");
        assertThat(run("gc", "--help").out()).isEqualTo(gc.out());

        Run create = run("help", "token", "create");
        assertThat(create.exit()).isZero();
        assertThat(create.out()).startsWith("Usage: storyboard-server token create ").contains("--name", "--scopes")
                .contains("bin/storyboard-server token create ...");

        Run assets = run("help", "assets");
        assertThat(assets.out()).startsWith("Usage: storyboard-server assets ").containsPattern("(?m)^  scan ");

        Run token = run("token");
        assertThat(token.exit()).isZero();
        assertThat(token.out()).startsWith("Usage: storyboard-server token ");
    }

    @Test
    void serveHelpListsEverySettingWithItsDefaultAndMeaning() throws Exception {
        Run r = run("serve", "--help");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).startsWith("Usage: storyboard-server serve ");
        String out = r.out();
        for (Config.Setting s : Config.SETTINGS) {
            Matcher m = Pattern.compile("(?m)^  " + Pattern.quote(s.name()) + "(?:, (--[a-z-]+))? \\(default: (.+)\\)\\R"
                    + "((?: {6}.+\\R)+)").matcher(out);
            assertThat(m.find()).as(s.name() + " in serve --help").isTrue();
            assertThat(m.group(2)).as(s.name()).isEqualTo(s.shownDefault());
            assertThat(m.group(3).strip().replaceAll("\\s+", " ")).as(s.name()).isEqualTo(s.meaning());
            if (s.defaultValue() != null) assertThat(m.group(2)).isEqualTo(Config.DEFAULTS.get(s.name()));
        }
        // Every flag of serve sets a setting, and the setting's entry names it.
        CommandLine serve = Main.commandLine().getSubcommands().get("serve");
        for (OptionSpec option : serve.getCommandSpec().options()) {
            if (option.usageHelp() || option.versionHelp()) continue;
            assertThat(out).as(option.longestName()).containsPattern("(?m)^  [A-Z_]+, " + Pattern.quote(option.longestName())
                    + " \\(default: ");
        }
        // The names listed are exactly the ones Config accepts: all of them in a .env resolve (blank = default).
        List<String> listed = Pattern.compile("(?m)^  ([A-Z][A-Z_]+)[ ,]").matcher(out).results().map(x -> x.group(1)).toList();
        assertThat(listed).containsExactlyInAnyOrderElementsOf(Config.DEFAULTS.keySet());
        Files.writeString(dir.resolve(".env"), listed.stream().map(n -> n + "=").collect(Collectors.joining("\n")));
        Config resolved = Config.resolve(Map.of(), Map.of(), dir.resolve(".env"));
        assertThat(resolved.port()).isEqualTo(Integer.parseInt(Config.DEFAULTS.get("PORT")));
    }

    @Test
    void anUnknownCommandIsOneLineAndFails() throws Exception {
        Run r = run("frobnicate");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.errLines()).containsExactly(
                "error: unknown command 'frobnicate' (`storyboard-server help` lists the commands)");

        Run typo = run("gcc");
        assertThat(typo.exit()).isEqualTo(2);
        assertThat(typo.errLines()).singleElement().asString().contains("unknown command 'gcc'", "did you mean gc?");

        Run nested = run("help", "token", "frob");
        assertThat(nested.exit()).isEqualTo(2);
        assertThat(nested.errLines()).containsExactly(
                "error: unknown command 'token frob' (`storyboard-server help token` lists the commands)");

        Run badOption = run("gc", "--frob");
        assertThat(badOption.exit()).isEqualTo(2);
        assertThat(badOption.errLines()).containsExactly(
                "error: Unknown option: '--frob' (`storyboard-server help gc` shows the options)");
    }

    @Test
    void argumentsArePassedThroughIntact() throws Exception {
        // A value with a space reaches the server as one argument (and is refused there, before anything starts).
        Run r = run("serve", "--port", "50 00");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.errLines()).singleElement().asString().contains("invalid PORT '50 00'");
    }

    @Test
    void aMissingJarIsOneLineSayingHowToBuildIt() throws Exception {
        Path bin = Files.createDirectories(dir.resolve("checkout/bin"));
        Path copy = Files.copy(LAUNCHER, bin.resolve("storyboard-server"));
        Map<String, String> env = new HashMap<>();
        env.put("STORYBOARD_CLASSPATH", null);
        Run r = run(copy, env, "--version");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).isEmpty();
        String jar = dir.toRealPath().resolve("checkout/target/storyboard-server.jar").toString();
        assertThat(r.errLines()).singleElement().asString().contains(jar, "./mvnw -q package -DskipTests");
    }

    @Test
    void itFindsTheJarNextToItsOwnLocationThroughSymbolicLinks() throws Exception {
        Path checkout = dir.resolve("checkout");
        Path bin = Files.createDirectories(checkout.resolve("bin"));
        Files.copy(LAUNCHER, bin.resolve("storyboard-server"), StandardCopyOption.COPY_ATTRIBUTES);
        writeJarRunningTheCompiledClasses(Files.createDirectories(checkout.resolve("target")).resolve("storyboard-server.jar"));
        // ~/bin/storyboard-server -> ../checkout/bin/storyboard-server (relative), and a link to that link.
        Path home = Files.createDirectories(dir.resolve("home/bin"));
        Path link = Files.createSymbolicLink(home.resolve("storyboard-server"), Path.of("../../checkout/bin/storyboard-server"));
        Path linkToLink = Files.createSymbolicLink(dir.resolve("sbs"), link.toAbsolutePath());
        Map<String, String> env = new HashMap<>();
        env.put("STORYBOARD_CLASSPATH", null);
        env.put("JAVA_OPTS", "-XX:+PrintCommandLineFlags");
        for (Path launcher : List.of(link, linkToLink)) {
            Run r = run(launcher, env, "--version");
            assertThat(r.exit()).as(launcher.toString()).isZero();
            assertThat(r.out()).contains("-XX:+UseSerialGC", "storyboard-server " + App.VERSION);
        }
        env.remove("JAVA_OPTS");
        Run help = run(link, env, "help", "token", "create");
        assertThat(help.exit()).isZero();
        assertThat(help.out()).startsWith("Usage: storyboard-server token create ");
    }

    @Test
    void withNoArgumentsItServesAndSigtermReachesTheServer() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path out = dir.resolve("server.log");
        ProcessBuilder pb = new ProcessBuilder(LAUNCHER.toString()).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(out.toFile());
        pb.environment().remove("JAVA_OPTS");
        pb.environment().put("STORYBOARD_CLASSPATH", CLASSPATH);
        pb.environment().put("DATABASE_URL", TestDatabase.asSetting(TestDatabase.get().newDatabase()));
        pb.environment().put("AUTH_TOKEN", TestServer.TOKEN);
        pb.environment().put("HOST", "127.0.0.1");
        pb.environment().put("PORT", String.valueOf(port));
        pb.environment().put("STORYBOARD_DATA_DIR", dir.resolve("data").toString());
        Process p = pb.start();
        try {
            HttpClient http = HttpClient.newHttpClient();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            int status = 0;
            while (status != 200 && System.nanoTime() < deadline && p.isAlive()) {
                try {
                    status = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/readyz"))
                            .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
                } catch (IOException e) {
                    Thread.sleep(200);
                }
            }
            assertThat(status).as(Files.readString(out)).isEqualTo(200);
            // exec: the launcher's process is now Java itself, so a supervisor's SIGTERM reaches the server.
            assertThat(p.info().command()).hasValueSatisfying(c -> assertThat(c).endsWith("/java"));
            assertThat(p.children().count()).isZero();
            p.destroy();
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).isEqualTo(143);
            assertThat(Files.readString(out)).contains("Storyboard Server " + App.VERSION + " is running.",
                    "Stopping Storyboard Server...");
        } finally {
            p.descendants().forEach(ProcessHandle::destroyForcibly); // were the launcher not to exec, the server is its child
            if (p.isAlive()) p.destroyForcibly().waitFor();
        }
    }

    /** The flags the launcher gives the JVM, read from its one DEFAULT_JVM_OPTS line. */
    static String launcherFlags() throws IOException {
        return Files.readAllLines(LAUNCHER).stream().filter(l -> l.startsWith("DEFAULT_JVM_OPTS=")).findFirst()
                .orElseThrow().replaceAll("^DEFAULT_JVM_OPTS=\"|\"$", "");
    }

    /** A jar like the packaged one (Main-Class storyboard.cli.Main), whose classes are the test class path's. */
    private static void writeJarRunningTheCompiledClasses(Path jar) throws IOException {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, "storyboard.cli.Main");
        manifest.getMainAttributes().put(Attributes.Name.CLASS_PATH, java.util.Arrays.stream(CLASSPATH.split(":"))
                .filter(e -> !e.isBlank()).map(e -> Path.of(e).toAbsolutePath().toUri().toString())
                .collect(Collectors.joining(" ")));
        try (JarOutputStream ignored = new JarOutputStream(Files.newOutputStream(jar), manifest)) {
            // the manifest is the whole jar
        }
    }
}
