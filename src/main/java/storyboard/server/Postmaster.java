package storyboard.server;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A PostgreSQL server process as its data directory's {@code postmaster.pid} describes it (first lines: pid, data
 * directory, start time in seconds since the epoch, port), and what can be done with one left running.
 */
record Postmaster(long pid, Path dataDirectory, long startedEpochSecond, int port) {
    static final String PID_FILE = "postmaster.pid";

    /** The postmaster.pid in this directory, if there is a readable one. */
    static Optional<Postmaster> read(Path directory) throws IOException {
        List<String> lines;
        try {
            lines = Files.readAllLines(directory.resolve(PID_FILE), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        if (lines.size() < 4) return Optional.empty();
        try {
            return Optional.of(new Postmaster(Long.parseLong(lines.get(0).trim()), Path.of(lines.get(1).trim()),
                    Long.parseLong(lines.get(2).trim()), Integer.parseInt(lines.get(3).trim())));
        } catch (RuntimeException e) {
            return Optional.empty(); // being written, or damaged: PostgreSQL itself judges it when it starts
        }
    }

    /** What {@link #check} found. */
    enum State {
        /** That PostgreSQL is running: {@link #process} found it. */
        RUNNING,
        /** Nothing runs under that pid: PostgreSQL removes such a file itself when it starts. */
        GONE,
        /** The pid is now another program's (after a reboot, or in a restarted container): the file is stale. */
        PID_REUSED,
        /** A PostgreSQL runs under that pid, or something that cannot be told apart from one, serving this directory
         * or not: left alone. */
        UNKNOWN
    }

    /**
     * Whether the process this file describes runs: alive, a program named {@code postgres}, serving this directory
     * (its {@code -D} argument; where arguments cannot be read, the file's directory and start time).
     */
    State check(Path directory) {
        Optional<ProcessHandle> handle = process();
        if (handle.isEmpty()) return State.GONE;
        ProcessHandle.Info info = handle.get().info();
        Optional<String> command = info.command();
        if (command.isEmpty()) return State.UNKNOWN;
        String program = Path.of(command.get()).getFileName().toString();
        if (!program.equals("postgres") && !program.equals("postgres.exe")) return State.PID_REUSED;
        Optional<Path> served = info.arguments().flatMap(Postmaster::dataDirectoryArgument);
        if (served.isPresent()) return sameDirectory(served.get(), directory) ? State.RUNNING : State.UNKNOWN;
        Optional<Instant> started = info.startInstant();
        boolean sameStart = started.isPresent()
                && Math.abs(started.get().getEpochSecond() - startedEpochSecond) <= Duration.ofMinutes(2).toSeconds();
        return sameStart && sameDirectory(dataDirectory, directory) ? State.RUNNING : State.UNKNOWN;
    }

    private static Optional<Path> dataDirectoryArgument(String[] args) {
        for (int i = 0; i + 1 < args.length; i++) if (args[i].equals("-D")) return Optional.of(Path.of(args[i + 1]));
        return Optional.empty();
    }

    Optional<ProcessHandle> process() {
        return ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
    }

    /**
     * Stops it with a fast shutdown (clients are disconnected, the data is checkpointed) and waits for it to end;
     * false when it was still running after the wait. On Unix that is SIGINT, which {@code pg_ctl stop -m fast}
     * sends too (pg_ctl refuses to run as root, where the embedded PostgreSQL runs in a user namespace); on Windows,
     * the pg_ctl next to its program.
     */
    boolean stop(ProcessHandle process, Path directory, Duration wait) {
        List<String> command;
        if (PostgresWatchdog.supported()) {
            command = List.of("/bin/sh", "-c", "kill -INT \"$1\"", "sh", String.valueOf(pid));
        } else {
            Optional<Path> pgCtl = process.info().command().map(c -> Path.of(c).resolveSibling("pg_ctl.exe"))
                    .filter(Files::isExecutable);
            command = pgCtl.map(p -> List.of(p.toString(), "-D", directory.toString(), "stop", "-m", "fast", "-W"))
                    .orElse(List.of());
        }
        try {
            if (command.isEmpty()) {
                process.destroy();
            } else {
                new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                        .start().waitFor(10, TimeUnit.SECONDS);
            }
            process.onExit().get(wait.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (IOException | ExecutionException | TimeoutException e) {
            return !process.isAlive();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !process.isAlive();
        }
    }

    private static boolean sameDirectory(Path a, Path b) {
        try {
            return Files.isSameFile(a, b);
        } catch (IOException e) {
            return a.toAbsolutePath().normalize().equals(b.toAbsolutePath().normalize());
        }
    }
}
