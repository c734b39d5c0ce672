package storyboard.server;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Makes the embedded PostgreSQL end with the JVM that started it, however the JVM ends ({@code kill -9}, the OOM
 * killer, a crash): PostgreSQL runs as a process of its own, detached by pg_ctl, and would otherwise outlive it.
 *
 * <p>A small {@code /bin/sh} process started by the JVM reads its standard input, a pipe only the JVM writes to,
 * until the end of input: when the JVM ends, the operating system closes the pipe. If {@code postmaster.pid} then
 * still names the PostgreSQL it watches, it asks it for a fast shutdown (SIGINT: clients are disconnected, the data
 * is checkpointed) and says so on standard error. It ignores the terminal's and the service manager's stop signals,
 * which reach the JVM too: the JVM stops PostgreSQL itself, then closes the pipe. Unix only (on Windows there is no
 * watchdog, and a server that was killed leaves PostgreSQL running until the next start stops it).
 */
final class PostgresWatchdog implements AutoCloseable {
    static final String NAME = "storyboard-postgres-watchdog";
    private static final String SCRIPT = String.join("\n",
            "trap '' INT HUP TERM QUIT",
            "while read -r line; do :; done",
            "pid=",
            "{ read -r pid < \"$1/postmaster.pid\"; } 2>/dev/null",
            "[ \"$pid\" = \"$2\" ] || exit 0",
            "kill -INT \"$2\" 2>/dev/null || exit 0",
            "echo \"storyboard-server: stopped the embedded PostgreSQL (pid $2) in $1: the server (pid $3) that ran it"
                    + " ended without stopping it\" >&2");

    private final Process process;

    private PostgresWatchdog(Process process) {
        this.process = process;
    }

    /** Whether there is a /bin/sh to run it (not on Windows). */
    static boolean supported() {
        return !System.getProperty("os.name", "").startsWith("Windows") && new java.io.File("/bin/sh").canExecute();
    }

    /** Starts one for this PostgreSQL; empty where it is not {@link #supported}. */
    static Optional<PostgresWatchdog> start(Path directory, long postmasterPid) throws IOException {
        if (!supported()) return Optional.empty();
        Process p = new ProcessBuilder("/bin/sh", "-c", SCRIPT, NAME, directory.toString(),
                String.valueOf(postmasterPid), String.valueOf(ProcessHandle.current().pid()))
                .redirectInput(ProcessBuilder.Redirect.PIPE)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        return Optional.of(new PostgresWatchdog(p));
    }

    long pid() {
        return process.pid();
    }

    /** After PostgreSQL was stopped: ends the watchdog (it finds nothing left to stop). */
    @Override
    public void close() {
        try {
            process.getOutputStream().close();
            if (!process.waitFor(5, TimeUnit.SECONDS)) process.destroyForcibly();
        } catch (IOException e) {
            process.destroyForcibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
