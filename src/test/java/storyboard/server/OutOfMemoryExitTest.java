package storyboard.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * An OutOfMemoryError exits the process (status 3) with a clear last log line, in whichever thread it happens, so
 * that the supervisor starts the server again (CrashRestartTest shows that such a start finds the embedded
 * PostgreSQL free). Each case runs in a JVM of its own.
 */
class OutOfMemoryExitTest {
    @ParameterizedTest
    @ValueSource(strings = {"thread", "executor"})
    void anOutOfMemoryErrorExitsTheProcessWithAClearLastLogLine(String where) throws Exception {
        Run run = java(List.of("-Xmx48m"), "oom-" + where);
        assertThat(run.status).as(run.output).isEqualTo(3);
        List<String> lines = run.output.lines().filter(l -> !l.isBlank()).toList();
        assertThat(lines.get(lines.size() - 1)).contains("ERROR").contains(OutOfMemory.MESSAGE)
                .contains("java.lang.OutOfMemoryError");
        // Without the JVM's own flag the server says what it cannot cover.
        assertThat(run.output).contains("-XX:+ExitOnOutOfMemoryError");
    }

    @Test
    void withTheJvmFlagThereIsNoWarning() throws Exception {
        Run run = java(List.of("-Xmx48m", "-XX:+ExitOnOutOfMemoryError"), "oom-thread");
        assertThat(run.status).isEqualTo(3);
        assertThat(run.output).doesNotContain("runs without -XX:+ExitOnOutOfMemoryError")
                .contains("Terminating due to java.lang.OutOfMemoryError");
    }

    private record Run(int status, String output) {}

    private static Run java(List<String> jvmOptions, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), Probe.class.getName()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("the probe did not end: " + new String(out, StandardCharsets.UTF_8));
        }
        return new Run(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }

    /** What runs in the other JVM. */
    public static final class Probe {
        public static void main(String[] args) throws Exception {
            switch (args[0]) {
                case "oom-thread", "oom-executor" -> {
                    Logging.configure(Config.LogFormat.TEXT, Optional.empty());
                    OutOfMemory.install();
                    OutOfMemory.warnUnlessTheJvmExitsOnIt();
                    Runnable hog = () -> {
                        List<byte[]> held = new ArrayList<>();
                        while (true) held.add(new byte[1 << 20]);
                    };
                    if (args[0].equals("oom-thread")) {
                        new Thread(hog, "hog").start();
                    } else {
                        Executors.newSingleThreadExecutor().execute(hog);
                    }
                    Thread.sleep(30_000);
                    System.out.println("still running");
                    System.exit(0);
                }
                default -> throw new IllegalArgumentException(args[0]);
            }
        }
    }
}
