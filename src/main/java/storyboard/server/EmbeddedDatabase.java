package storyboard.server;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A real PostgreSQL started by the server itself in {@code <data dir>/postgres}, kept between starts.
 * The library's defaults suit throw-away test databases (fsync and synchronous_commit off); this server keeps
 * data it acknowledged, so both are switched back on.
 */
public final class EmbeddedDatabase implements AutoCloseable {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(EmbeddedDatabase.class);
    private final EmbeddedPostgres postgres;
    private final Path directory;

    private EmbeddedDatabase(EmbeddedPostgres postgres, Path directory) {
        this.postgres = postgres;
        this.directory = directory;
    }

    public static EmbeddedDatabase start(Path directory) {
        try {
            Files.createDirectories(directory);
            stopLeftover(directory);
            EmbeddedPostgres pg = EmbeddedPostgres.builder()
                    .setDataDirectory(directory)
                    .setCleanDataDirectory(false)
                    .setServerConfig("fsync", "on")
                    .setServerConfig("synchronous_commit", "on")
                    .setServerConfig("full_page_writes", "on")
                    .setServerConfig("max_connections", "100")
                    .setServerConfig("shared_buffers", "256MB")
                    // Ingest writes WAL quickly; fewer checkpoints mean fewer full-page images and steadier latency.
                    .setServerConfig("max_wal_size", "2GB")
                    .setServerConfig("listen_addresses", "localhost")
                    .setPGStartupWait(java.time.Duration.ofSeconds(60))
                    .start();
            return new EmbeddedDatabase(pg, directory);
        } catch (IOException | RuntimeException e) {
            throw new EmbeddedDatabaseException(directory, e);
        }
    }

    /**
     * A server that did not stop cleanly (killed, or exited on an OutOfMemoryError) leaves its PostgreSQL running,
     * and that one would keep the next start from using the directory: it is stopped first (a fast shutdown, as
     * {@code pg_ctl stop -m fast}: its clients are gone anyway). Only a PostgreSQL that runs on this very directory.
     */
    static void stopLeftover(Path directory) throws IOException {
        Path pidFile = directory.resolve("postmaster.pid");
        if (!Files.isRegularFile(pidFile)) return;
        java.util.List<String> lines = Files.readAllLines(pidFile);
        if (lines.size() < 2) return;
        long pid;
        try {
            pid = Long.parseLong(lines.get(0).trim());
        } catch (NumberFormatException e) {
            return;
        }
        Optional<ProcessHandle> process = ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
        // A stale file (PostgreSQL ignores it), or a pid reused by another program: nothing to stop.
        if (process.isEmpty() || !process.get().info().command().orElse("").contains("postgres")) return;
        if (!Path.of(lines.get(1).trim()).toAbsolutePath().normalize().equals(directory.toAbsolutePath().normalize())) return;
        LOG.warn("stopping the embedded PostgreSQL (pid {}) that an earlier run left running in {}", pid, directory);
        try {
            // SIGINT is PostgreSQL's fast shutdown (pg_ctl would do the same, but refuses to run as root).
            boolean signalled;
            try {
                signalled = new ProcessBuilder("kill", "-INT", String.valueOf(pid)).redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor() == 0;
            } catch (IOException e) {
                signalled = false; // no kill command here
            }
            if (!signalled) process.get().destroy(); // a smart shutdown: it waits for clients, and those are gone
            process.get().onExit().get(60, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while stopping the PostgreSQL left running in " + directory);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IOException("the PostgreSQL left running in " + directory + " (pid " + pid + ") did not stop "
                    + "within a minute; stop it, then start again");
        }
    }

    /** The embedded database in {@code <data dir>/postgres}, or null when DATABASE_URL names another one. */
    public static EmbeddedDatabase startUnlessConfigured(Config config) {
        if (config.databaseUrl().isPresent()) return null;
        return start(config.dataDir().resolve("postgres").toAbsolutePath().normalize());
    }

    /** Where to connect: DATABASE_URL, else the embedded database started for it. */
    public static DatabaseUrl urlFor(Config config, EmbeddedDatabase embedded) {
        return config.databaseUrl().orElseGet(() -> embedded.url());
    }

    public DatabaseUrl url() {
        return new DatabaseUrl("jdbc:postgresql://localhost:" + postgres.getPort() + "/postgres",
                Optional.of("postgres"), Optional.empty());
    }

    public Path directory() {
        return directory;
    }

    public int port() {
        return postgres.getPort();
    }

    @Override
    public void close() {
        try {
            postgres.close();
        } catch (IOException e) {
            throw new IllegalStateException("could not stop the embedded PostgreSQL: " + e.getMessage(), e);
        }
    }

    /** Why the embedded database did not start, and what to do instead, in one line. */
    public static final class EmbeddedDatabaseException extends RuntimeException {
        EmbeddedDatabaseException(Path directory, Throwable cause) {
            super("The embedded PostgreSQL could not start in " + directory + ": " + rootMessage(cause)
                    + ". Point DATABASE_URL at an existing PostgreSQL instead, e.g. "
                    + "DATABASE_URL=postgresql://user:pass@host:5432/db", cause);
        }

        private static String rootMessage(Throwable t) {
            Throwable c = t;
            while (c.getCause() != null && c.getCause() != c) c = c.getCause();
            if (c instanceof java.nio.file.FileSystemException f) {
                return "cannot write " + f.getFile() + (f.getReason() == null ? "" : " (" + f.getReason() + ")");
            }
            String m = c.getMessage() == null ? c.getClass().getSimpleName() : c.getMessage();
            return m.replaceAll("\\s+", " ").trim();
        }
    }
}
