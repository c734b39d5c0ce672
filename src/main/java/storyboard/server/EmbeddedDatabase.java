package storyboard.server;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real PostgreSQL started by the server itself in {@code <data dir>/postgres}, kept between starts.
 * The library's defaults suit throw-away test databases (fsync and synchronous_commit off); this server keeps
 * data it acknowledged, so both are switched back on.
 *
 * <p>One process at a time runs a directory's PostgreSQL, and records itself in it ({@link DataDirectoryOwner}).
 * Admin commands use the PostgreSQL of the server running on the directory, when there is one, and leave it running;
 * a second server is refused at once. A PostgreSQL left running by a process that ended without stopping it
 * ({@code kill -9}, a crash) is stopped before a new one starts, and a watchdog ({@link PostgresWatchdog}) stops it
 * as soon as its process ends, however it ends.
 */
public final class EmbeddedDatabase implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedDatabase.class);
    /** How long a command waits for the database of a server that is still starting. */
    private static final Duration SERVER_START_WAIT = Duration.ofSeconds(60);
    private static final Duration LEFTOVER_STOP_WAIT = Duration.ofSeconds(60);

    private final EmbeddedPostgres postgres;
    private final DataDirectoryOwner owner;
    private final PostgresWatchdog watchdog;
    private final Path directory;
    private final int port;
    private final AtomicBoolean closed = new AtomicBoolean();

    /** Started here when {@code owner} is not null; else the running server's, used as it is. */
    private EmbeddedDatabase(EmbeddedPostgres postgres, DataDirectoryOwner owner, PostgresWatchdog watchdog,
                             Path directory, int port) {
        this.postgres = postgres;
        this.owner = owner;
        this.watchdog = watchdog;
        this.directory = directory;
        this.port = port;
    }

    /** Starts the PostgreSQL in this directory; fails when another process runs it. */
    public static EmbeddedDatabase start(Path directory) {
        return open(directory.toAbsolutePath().normalize(), directory.toString(), "storyboard-server", false);
    }

    /**
     * For {@code serve}: the embedded database in {@code <data dir>/postgres}, started here, or null when DATABASE_URL
     * names another one. Fails at once, in one line, when another process runs it.
     */
    public static EmbeddedDatabase startUnlessConfigured(Config config) {
        if (config.databaseUrl().isPresent()) return null;
        return open(postgresDirectory(config), config.dataDir().toString(), "serve", false);
    }

    /**
     * For an admin command: the embedded database of the server running on the data directory, left running when
     * the command ends; else one started for the command and stopped when it ends. Null when DATABASE_URL names
     * another one.
     */
    public static EmbeddedDatabase useUnlessConfigured(Config config, String command) {
        if (config.databaseUrl().isPresent()) return null;
        return open(postgresDirectory(config), config.dataDir().toString(), command, true);
    }

    private static Path postgresDirectory(Config config) {
        return config.dataDir().resolve("postgres").toAbsolutePath().normalize();
    }

    /** Where to connect: DATABASE_URL, else the embedded database started for it. */
    public static DatabaseUrl urlFor(Config config, EmbeddedDatabase embedded) {
        return config.databaseUrl().orElseGet(() -> embedded.url());
    }

    private static EmbeddedDatabase open(Path directory, String shownDataDir, String command, boolean useServers) {
        try {
            Files.createDirectories(directory);
            long deadline = System.nanoTime() + SERVER_START_WAIT.toNanos();
            long unnamedSince = 0;
            while (true) {
                Optional<DataDirectoryOwner> owner = DataDirectoryOwner.tryAcquire(directory, command);
                if (owner.isPresent()) return startOwned(directory, shownDataDir, owner.get());
                Optional<DataDirectoryOwner.Info> current = DataDirectoryOwner.current(directory);
                if (current.isEmpty()) continue; // it has just ended: the directory is free
                DataDirectoryOwner.Info other = current.get();
                if (other.pid().isEmpty()) {
                    // It is writing its first line; a process that never does is not one of ours.
                    if (unnamedSince == 0) unnamedSince = System.nanoTime();
                    if (System.nanoTime() - unnamedSince > Duration.ofSeconds(2).toNanos()) {
                        throw new InUseException(shownDataDir, other, "");
                    }
                } else if (!useServers || !other.isServer()) {
                    throw new InUseException(shownDataDir, other, "");
                } else if (other.postgresPort().isPresent()) {
                    return new EmbeddedDatabase(null, null, null, directory, other.postgresPort().get());
                } else if (System.nanoTime() > deadline) {
                    throw new InUseException(shownDataDir, other,
                            ", whose database did not get ready within " + SERVER_START_WAIT.toSeconds() + " s");
                }
                Thread.sleep(50);
            }
        } catch (EmbeddedDatabaseException e) {
            throw e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EmbeddedDatabaseException(directory, e);
        } catch (IOException | RuntimeException e) {
            throw new EmbeddedDatabaseException(directory, e);
        }
    }

    private static EmbeddedDatabase startOwned(Path directory, String shownDataDir, DataDirectoryOwner owner)
            throws IOException {
        try {
            refuseWhileTheLibraryLockIsHeld(directory, shownDataDir);
            clearLeftovers(directory);
            EmbeddedPostgres pg = EmbeddedPostgres.builder()
                    .setDataDirectory(directory)
                    .setCleanDataDirectory(false)
                    // Where the watchdog runs, it stops PostgreSQL if the JVM ends without closing this; the library's
                    // shutdown hook would stop it while the server's own hook still commits queued writes.
                    .setRegisterShutdownHook(!PostgresWatchdog.supported())
                    .setServerConfig("fsync", "on")
                    .setServerConfig("synchronous_commit", "on")
                    .setServerConfig("full_page_writes", "on")
                    .setServerConfig("max_connections", "100")
                    .setServerConfig("shared_buffers", "256MB")
                    // Ingest writes WAL quickly; fewer checkpoints mean fewer full-page images and steadier latency.
                    .setServerConfig("max_wal_size", "2GB")
                    .setServerConfig("listen_addresses", "localhost")
                    .setPGStartupWait(Duration.ofSeconds(60))
                    .start();
            PostgresWatchdog watchdog = null;
            try {
                owner.record("postgres_port", String.valueOf(pg.getPort()));
                Optional<Postmaster> postmaster = Postmaster.read(directory);
                if (postmaster.isPresent()) {
                    owner.record("postgres_pid", String.valueOf(postmaster.get().pid()));
                    watchdog = startWatchdog(directory, postmaster.get().pid());
                }
            } catch (IOException | RuntimeException e) {
                pg.close();
                throw e;
            }
            return new EmbeddedDatabase(pg, owner, watchdog, directory, pg.getPort());
        } catch (IOException | RuntimeException e) {
            owner.release();
            throw e;
        }
    }

    private static PostgresWatchdog startWatchdog(Path directory, long postmasterPid) {
        try {
            return PostgresWatchdog.start(directory, postmasterPid).orElse(null);
        } catch (IOException e) {
            LOG.warn("could not start the watchdog that stops the embedded PostgreSQL if this process is killed ({});"
                    + " after a kill, the next start stops it", e.getMessage());
            return null;
        }
    }

    /**
     * The library locks {@code epg-lock} while it runs PostgreSQL. Held by a process that does not record itself
     * (an earlier version of this server), the directory is in use; its PostgreSQL is no leftover.
     */
    private static void refuseWhileTheLibraryLockIsHeld(Path directory, String shownDataDir) throws IOException {
        Path file = directory.resolve("epg-lock");
        if (!Files.exists(file)) return;
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            FileLock lock = channel.tryLock();
            if (lock != null) {
                lock.release();
                return;
            }
        } catch (OverlappingFileLockException e) {
            // this JVM holds it: an instance that was not closed
        }
        throw new InUseException(shownDataDir, DataDirectoryOwner.Info.of(java.util.Map.of()), "");
    }

    /**
     * A PostgreSQL still running in the directory while no live process owns it was left by one that ended without
     * stopping it (killed, crashed): it is stopped cleanly, so a new one can start. A {@code postmaster.pid} whose pid
     * now belongs to another program is removed: PostgreSQL would refuse to start.
     */
    /** How long a start waits for a PostgreSQL that cannot be identified to end by itself. */
    private static final Duration ENDING_WAIT = Duration.ofSeconds(10);

    private static void clearLeftovers(Path directory) throws IOException {
        Optional<Postmaster> found = Postmaster.read(directory);
        if (found.isEmpty()) return;
        Postmaster pm = found.get();
        Postmaster.State state = pm.check(directory);
        // A PostgreSQL in the last moments of its exit (its watchdog has just stopped it) no longer shows its program,
        // so it cannot be told apart: wait for it to end rather than refuse to start.
        long until = System.nanoTime() + ENDING_WAIT.toNanos();
        while (state == Postmaster.State.UNKNOWN && pm.process().isPresent() && System.nanoTime() < until) {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            state = pm.check(directory);
        }
        switch (state) {
            case GONE -> { }
            case RUNNING -> {
                ProcessHandle process = pm.process().orElse(null);
                if (process == null) return; // it has just ended
                if (!pm.stop(process, directory, LEFTOVER_STOP_WAIT)) {
                    throw new EmbeddedDatabaseException("The embedded PostgreSQL (pid " + pm.pid() + ") left running in "
                            + directory + " by a server that ended without stopping it did not stop within "
                            + LEFTOVER_STOP_WAIT.toSeconds() + " s; stop it (kill -INT " + pm.pid() + ") and start again",
                            null);
                }
                LOG.warn("stopped the embedded PostgreSQL (pid {}) left running by a server that ended without stopping it",
                        pm.pid());
            }
            case PID_REUSED -> {
                Files.deleteIfExists(directory.resolve(Postmaster.PID_FILE));
                LOG.warn("removed {} left by a PostgreSQL that ended without removing it: its pid {} is now another"
                        + " program's", directory.resolve(Postmaster.PID_FILE), pm.pid());
            }
            case UNKNOWN -> throw new EmbeddedDatabaseException("The embedded PostgreSQL could not start in " + directory
                    + ": its " + Postmaster.PID_FILE + " names pid " + pm.pid() + ", which is running and could not be"
                    + " told to be a PostgreSQL of this directory; if it is not, remove " + directory.resolve(
                    Postmaster.PID_FILE) + " and start again", null);
        }
    }

    public DatabaseUrl url() {
        return new DatabaseUrl("jdbc:postgresql://localhost:" + port + "/postgres",
                Optional.of("postgres"), Optional.empty());
    }

    public Path directory() {
        return directory;
    }

    public int port() {
        return port;
    }

    /** False when this is the database of the server running on the directory, used as it is. */
    public boolean startedHere() {
        return owner != null;
    }

    /** Records, for the commands that find this server in the directory, where it listens. */
    void recordListening(String address) {
        if (owner == null) return;
        try {
            owner.record("listening", address);
        } catch (IOException e) {
            LOG.warn("could not record the server's address in {}: {}", directory, e.getMessage());
        }
    }

    /** Stops PostgreSQL when it was started here; leaves the running server's alone. */
    @Override
    public void close() {
        if (owner == null || closed.getAndSet(true)) return;
        try {
            postgres.close();
        } catch (IOException e) {
            throw new IllegalStateException("could not stop the embedded PostgreSQL: " + e.getMessage(), e);
        } finally {
            try {
                if (watchdog != null) watchdog.close();
            } finally {
                owner.release();
            }
        }
    }

    /** Why the embedded database did not start, and what to do instead, in one line. */
    public static class EmbeddedDatabaseException extends RuntimeException {
        EmbeddedDatabaseException(Path directory, Throwable cause) {
            super("The embedded PostgreSQL could not start in " + directory + ": " + rootMessage(cause)
                    + ". Point DATABASE_URL at an existing PostgreSQL instead, e.g. "
                    + "DATABASE_URL=postgresql://user:pass@host:5432/db", cause);
        }

        EmbeddedDatabaseException(String message, Throwable cause) {
            super(message, cause);
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

    /** Another process runs the data directory's PostgreSQL: who, in one line. */
    public static final class InUseException extends EmbeddedDatabaseException {
        InUseException(String dataDir, DataDirectoryOwner.Info other, String detail) {
            super(describe(dataDir, other, detail), null);
        }

        private static String describe(String dataDir, DataDirectoryOwner.Info other, String detail) {
            String prefix = "the data directory " + dataDir + " is in use by ";
            if (other.pid().isEmpty()) return prefix + "another process" + detail;
            if (other.isServer()) {
                return prefix + "the server with pid " + other.pid().get() + " (" + other.listening()
                        .map(a -> "listening on " + a).orElse("starting") + ")" + detail
                        + (detail.isEmpty() ? "; stop it first, or use another --data-dir" : "");
            }
            return prefix + "'" + other.command() + "' (pid " + other.pid().get() + ")" + detail
                    + "; try again when it has finished";
        }
    }
}
