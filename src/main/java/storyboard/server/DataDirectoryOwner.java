package storyboard.server;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which process runs the embedded PostgreSQL of a data directory: {@code <data dir>/postgres.lock}, next to the
 * PostgreSQL directory (whose files are PostgreSQL's: initdb wants it empty). It is locked (an operating-system
 * lock, so it ends with the process however the process ends) by the process that started PostgreSQL, and holds {@code key=value} lines it appends as it learns them: its {@code pid} and {@code command},
 * then {@code postgres_port} and {@code postgres_pid}, then (a server) the address it is {@code listening} on.
 * The file is never deleted (a lock on a deleted file would protect nothing); a clean stop empties it.
 */
final class DataDirectoryOwner {
    /** The file for this PostgreSQL directory: {@code postgres} has {@code postgres.lock}. */
    static Path file(Path directory) {
        return directory.resolveSibling(directory.getFileName() + ".lock");
    }

    /** The lock covers one byte far past the text, so readers are never blocked (Windows' locks are mandatory). */
    private static final long LOCK_POSITION = Long.MAX_VALUE - 1;
    /**
     * The owners in this JVM, by directory. A process cannot lock a file twice, and on POSIX closing any channel of a
     * locked file drops the process's lock: a directory owned here is never opened again by a probe.
     */
    private static final Map<Path, DataDirectoryOwner> HERE = new ConcurrentHashMap<>();

    private final Path directory;
    private final FileChannel channel;
    private final Map<String, String> facts = new LinkedHashMap<>();

    private DataDirectoryOwner(Path directory, FileChannel channel) {
        this.directory = directory;
        this.channel = channel;
    }

    /** Who runs (or is starting) a directory's PostgreSQL, as that process recorded it. */
    record Info(Optional<Long> pid, String command, Optional<Integer> postgresPort, Optional<Long> postgresPid,
                Optional<String> listening) {
        static Info of(Map<String, String> facts) {
            return new Info(number(facts.get("pid")).map(Long::valueOf), facts.getOrDefault("command", ""),
                    number(facts.get("postgres_port")).map(Integer::valueOf),
                    number(facts.get("postgres_pid")).map(Long::valueOf), Optional.ofNullable(facts.get("listening")));
        }

        private static Optional<String> number(String s) {
            return s != null && s.matches("\\d{1,18}") ? Optional.of(s) : Optional.empty();
        }

        boolean isServer() {
            return command.equals("serve");
        }
    }

    /** Becomes the directory's owner, or empty when a live process (this one included) already is. */
    static Optional<DataDirectoryOwner> tryAcquire(Path directory, String command) throws IOException {
        Path key = key(directory);
        synchronized (HERE) {
            if (HERE.containsKey(key)) return Optional.empty();
            FileChannel channel = FileChannel.open(file(key), StandardOpenOption.CREATE,
                    StandardOpenOption.READ, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock(LOCK_POSITION, 1, false);
            } catch (IOException | RuntimeException e) {
                channel.close();
                throw e;
            }
            if (lock == null) {
                channel.close();
                return Optional.empty();
            }
            DataDirectoryOwner owner = new DataDirectoryOwner(key, channel);
            try {
                channel.truncate(0);
                owner.record("pid", String.valueOf(ProcessHandle.current().pid()));
                owner.record("command", command);
            } catch (IOException | RuntimeException e) {
                owner.release();
                throw e;
            }
            HERE.put(key, owner);
            return Optional.of(owner);
        }
    }

    /**
     * What the live owner of the directory recorded; empty when nobody owns it any more. Only complete lines count:
     * the owner may be appending one.
     */
    static Optional<Info> current(Path directory) throws IOException {
        Path key = key(directory);
        DataDirectoryOwner here = HERE.get(key);
        if (here != null) {
            synchronized (here.facts) {
                return Optional.of(Info.of(here.facts));
            }
        }
        if (!isLockedElsewhere(key)) return Optional.empty();
        String text;
        try {
            text = Files.readString(file(key), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        Map<String, String> facts = new LinkedHashMap<>();
        int end = text.lastIndexOf('\n');
        for (String line : (end < 0 ? "" : text.substring(0, end)).split("\n")) {
            int eq = line.indexOf('=');
            if (!line.startsWith("#") && eq > 0) facts.put(line.substring(0, eq).trim(), line.substring(eq + 1).trim());
        }
        return Optional.of(Info.of(facts));
    }

    /** Whether another process holds the lock. Only called for directories this JVM does not own. */
    private static boolean isLockedElsewhere(Path key) throws IOException {
        Path file = file(key);
        if (!Files.exists(file)) return false;
        // A shared lock conflicts with the owner's exclusive one, and needs only read access to the file.
        try (FileChannel probe = FileChannel.open(file, StandardOpenOption.READ)) {
            FileLock l = probe.tryLock(LOCK_POSITION, 1, true);
            if (l == null) return true;
            l.release();
            return false;
        } catch (OverlappingFileLockException e) {
            return true;
        }
    }

    /** Appends a fact (one line, one write) for other processes to read. */
    void record(String name, String value) throws IOException {
        synchronized (facts) {
            facts.put(name, value);
            ByteBuffer line = ByteBuffer.wrap((name + "=" + value + "\n").getBytes(StandardCharsets.UTF_8));
            long at = channel.size();
            while (line.hasRemaining()) at += channel.write(line, at);
        }
    }

    /** Empties the file and gives the directory up. */
    void release() {
        synchronized (HERE) {
            try {
                channel.truncate(0);
            } catch (IOException e) {
                // the lock is what counts
            }
            try {
                channel.close(); // releases the lock
            } catch (IOException e) {
                // nothing more to do
            }
            HERE.remove(directory, this);
        }
    }

    private static Path key(Path directory) throws IOException {
        return directory.toAbsolutePath().normalize().toRealPath();
    }
}
