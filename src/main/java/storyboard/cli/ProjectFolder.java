package storyboard.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.zip.CRC32;
import storyboard.kernel.Json;

/**
 * A B-Line project folder as {@code project push|pull|status} see it: its files, each hashed; the sync state in
 * {@code .storyboard/sync.json} (the server, project and revision the folder was last pushed or pulled at, and that
 * revision's manifest); and what differs between them. Nothing here talks to a server.
 */
final class ProjectFolder {
    static final String STATE_DIR = ".storyboard";
    static final String STATE_FILE = STATE_DIR + "/sync.json";
    /** What a pull names the files it is downloading; the leftovers of an interrupted pull are not project files. */
    static final String PART_SUFFIX = ".storyboard-part";
    static final int MODE_FILE = 0644;
    static final int MODE_EXECUTABLE = 0755;
    static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    private ProjectFolder() {}

    /** A file of a manifest: its content's hash and size, and its mode (0644, or 0755 when executable). */
    record FileEntry(String sha256, long size, int mode) {}

    /** The sync state, as {@code .storyboard/sync.json} holds it; {@code files} is the revision's manifest by path. */
    record SyncState(String server, String projectId, String name, int revision, SortedMap<String, FileEntry> files) {}

    /** A file of the folder: where it is, its manifest entry, and its CRC-32 (a zip entry stored as is needs it first). */
    record LocalFile(Path file, FileEntry entry, long crc32) {}

    /**
     * The folder's files by path ('/'-separated, relative to the folder), what was left out (links, devices), and the
     * part files an interrupted pull left behind (the next pull removes them).
     */
    record Scan(SortedMap<String, LocalFile> files, List<String> skipped, List<Path> leftovers) {
        SortedMap<String, FileEntry> manifest() {
            SortedMap<String, FileEntry> m = new TreeMap<>();
            files.forEach((path, f) -> m.put(path, f.entry()));
            return m;
        }

        long bytes() {
            return files.values().stream().mapToLong(f -> f.entry().size()).sum();
        }
    }

    /** A path the server sent that could lead outside the folder, or into its sync state. */
    static final class UnsafePathException extends IOException {
        UnsafePathException(String path, String why) {
            super("refused the path '" + path + "' from the server: " + why);
        }
    }

    // ---- the sync state

    static Path stateFile(Path dir) {
        return dir.resolve(STATE_DIR).resolve("sync.json");
    }

    /** The folder's sync state; empty when it has none (it was never pushed or pulled). */
    static Optional<SyncState> readState(Path dir) {
        Path file = stateFile(dir);
        if (!Files.isRegularFile(file)) return Optional.empty();
        SyncState s;
        try {
            s = Json.MAPPER.readValue(file.toFile(), SyncState.class);
        } catch (JsonProcessingException e) {
            throw badState(file, e.getOriginalMessage());
        } catch (IOException e) {
            throw new UserException("cannot read " + file + ": " + e.getMessage());
        }
        if (s == null || s.server() == null || s.server().isBlank() || s.projectId() == null || s.projectId().isBlank()
                || s.revision() < 1 || s.files() == null) {
            throw badState(file, "it needs server, projectId, revision (1 or more) and files");
        }
        for (var e : s.files().entrySet()) {
            String problem = pathProblem(e.getKey());
            FileEntry f = e.getValue();
            if (problem == null && (f == null || f.sha256() == null || !SHA256.matcher(f.sha256()).matches() || f.size() < 0)) {
                problem = "needs a sha256 (64 lower-case hex digits) and a size";
            }
            if (problem != null) throw badState(file, "file '" + e.getKey() + "': " + problem);
        }
        return Optional.of(s);
    }

    private static UserException badState(Path file, String why) {
        return new UserException(file + " is not a sync state this version can read (" + why + "); move the folder's "
                + STATE_DIR + " away and pull into an empty folder to start again");
    }

    /** Writes the sync state atomically: a reader sees the old state or the new, never half of one. */
    static void writeState(Path dir, SyncState state) throws IOException {
        Path file = stateFile(dir);
        Files.createDirectories(file.getParent());
        Path temp = file.resolveSibling("sync.json." + UUID.randomUUID() + ".tmp");
        try {
            try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                 OutputStream out = java.nio.channels.Channels.newOutputStream(ch)) {
                out.write(Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(state));
                out.write('\n');
                ch.force(true);
            }
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    // ---- the folder's files

    /**
     * Hashes every file of the folder except the sync state and {@link #junk}. Links are left out (listed in {@link Scan#skipped()}), as
     * the server refuses them. Where the file system has no permissions (Windows) a file keeps the mode {@code base}
     * gives it, so a pulled executable is not reported changed.
     */
    static Scan scan(Path dir, Map<String, FileEntry> base) throws IOException {
        if (!Files.isDirectory(dir)) throw new UserException("no such folder: " + dir);
        boolean posix = dir.getFileSystem().supportedFileAttributeViews().contains("posix");
        Path stateDir = dir.resolve(STATE_DIR);
        SortedMap<String, LocalFile> files = new TreeMap<>();
        List<String> skipped = new ArrayList<>();
        List<Path> leftovers = new ArrayList<>();
        byte[] buffer = new byte[1 << 16];
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) {
                return d.equals(stateDir) ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                String path = name(dir, file);
                if (attrs.isSymbolicLink()) {
                    skipped.add(path + " (a link)");
                } else if (!attrs.isRegularFile()) {
                    skipped.add(path + " (not a regular file)");
                } else if (path.endsWith(PART_SUFFIX)) {
                    leftovers.add(file);
                } else if (!junk(path)) {
                    FileEntry known = base.get(path);
                    int mode = posix ? modeOf(file) : known != null ? known.mode() : MODE_FILE;
                    files.put(path, hash(file, mode, buffer));
                }
                return FileVisitResult.CONTINUE;
            }
        });
        return new Scan(files, skipped, leftovers);
    }

    /**
     * Files of other tools that are no part of a project, which the server leaves out of an import (macOS's
     * {@code __MACOSX/} and {@code .DS_Store}, Windows' {@code Thumbs.db}): never pushed, so never reported.
     */
    static boolean junk(String path) {
        String last = path.substring(path.lastIndexOf('/') + 1);
        return path.startsWith("__MACOSX/") || last.equals(".DS_Store") || last.equals("Thumbs.db");
    }

    /** A file's path as manifests hold it: relative to the folder, '/'-separated on every system. */
    static String name(Path dir, Path file) {
        List<String> parts = new ArrayList<>();
        for (Path p : dir.relativize(file)) parts.add(p.toString());
        return String.join("/", parts);
    }

    static int modeOf(Path file) throws IOException {
        return Files.getPosixFilePermissions(file).contains(PosixFilePermission.OWNER_EXECUTE) ? MODE_EXECUTABLE : MODE_FILE;
    }

    /** Gives a written file the executable bits of {@code mode}, where the file system has them; the rest as made. */
    static void applyMode(Path file, int mode) throws IOException {
        if (!file.getFileSystem().supportedFileAttributeViews().contains("posix")) return;
        Set<PosixFilePermission> perms = EnumSet.copyOf(Files.getPosixFilePermissions(file));
        boolean changed;
        if ((mode & 0100) != 0) {
            changed = perms.add(PosixFilePermission.OWNER_EXECUTE);
            if (perms.contains(PosixFilePermission.GROUP_READ)) changed |= perms.add(PosixFilePermission.GROUP_EXECUTE);
            if (perms.contains(PosixFilePermission.OTHERS_READ)) changed |= perms.add(PosixFilePermission.OTHERS_EXECUTE);
        } else {
            changed = perms.removeAll(EnumSet.of(PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.GROUP_EXECUTE,
                    PosixFilePermission.OTHERS_EXECUTE));
        }
        if (changed) Files.setPosixFilePermissions(file, perms);
    }

    static LocalFile hash(Path file, int mode, byte[] buffer) throws IOException {
        MessageDigest sha = sha256();
        CRC32 crc = new CRC32();
        long size = 0;
        try (InputStream in = Files.newInputStream(file)) {
            int n;
            while ((n = in.read(buffer)) > 0) {
                sha.update(buffer, 0, n);
                crc.update(buffer, 0, n);
                size += n;
            }
        } catch (NoSuchFileException e) {
            throw new IOException(file + " went away while the folder was read");
        }
        return new LocalFile(file, new FileEntry(HexFormat.of().formatHex(sha.digest()), size, mode), crc.getValue());
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
    }

    // ---- what differs

    /** The paths added, modified (content or mode) and removed from {@code from} to {@code to}, each in path order. */
    record Changes(List<String> added, List<String> modified, List<String> removed) {
        boolean none() {
            return added.isEmpty() && modified.isEmpty() && removed.isEmpty();
        }

        int count() {
            return added.size() + modified.size() + removed.size();
        }

        /** As {@code git status --short} lists changes: "A path", "M path", "D path", by path. */
        List<String> lines() {
            SortedMap<String, String> byPath = new TreeMap<>();
            added.forEach(p -> byPath.put(p, "A " + p));
            modified.forEach(p -> byPath.put(p, "M " + p));
            removed.forEach(p -> byPath.put(p, "D " + p));
            return List.copyOf(byPath.values());
        }
    }

    static Changes changes(Map<String, FileEntry> from, Map<String, FileEntry> to) {
        List<String> added = new ArrayList<>();
        List<String> modified = new ArrayList<>();
        List<String> removed = new ArrayList<>();
        for (String path : new TreeSet<>(union(from, to))) {
            FileEntry a = from.get(path);
            FileEntry b = to.get(path);
            if (a == null) added.add(path);
            else if (b == null) removed.add(path);
            else if (!a.equals(b)) modified.add(path);
        }
        return new Changes(added, modified, removed);
    }

    private static Set<String> union(Map<String, ?> a, Map<String, ?> b) {
        Set<String> all = new TreeSet<>(a.keySet());
        all.addAll(b.keySet());
        return all;
    }

    /** A path a pull must write or delete that has local changes not pushed: what happened to it here and upstream. */
    record Conflict(String path, String local, String upstream) {
        @Override
        public String toString() {
            return path + " (" + local + " here, " + upstream + " on the server)";
        }
    }

    /**
     * What a pull from {@code base} (the folder's last synced manifest; empty when it has none) to {@code target} does
     * to a folder whose files are now {@code local}: only the paths that changed upstream are touched. Of those, a
     * file already as the target has it is left alone; one still as the base had it is written (or deleted); one
     * changed here too is a conflict, applied anyway only with {@code force}. Local changes elsewhere are kept.
     */
    record PullPlan(SortedMap<String, FileEntry> write, List<String> delete, List<Conflict> conflicts) {
        boolean refused(boolean force) {
            return !force && !conflicts.isEmpty();
        }
    }

    static PullPlan planPull(Map<String, FileEntry> base, Map<String, FileEntry> target, Map<String, FileEntry> local,
                             boolean force) {
        SortedMap<String, FileEntry> write = new TreeMap<>();
        List<String> delete = new ArrayList<>();
        List<Conflict> conflicts = new ArrayList<>();
        for (String path : union(base, target)) {
            FileEntry was = base.get(path);
            FileEntry wanted = target.get(path);
            FileEntry here = local.get(path);
            if (Objects.equals(was, wanted) || Objects.equals(here, wanted)) continue;
            if (!Objects.equals(here, was)) {
                conflicts.add(new Conflict(path, here == null ? "deleted" : was == null ? "added" : "changed",
                        wanted == null ? "deleted" : was == null ? "added" : "changed"));
                if (!force) continue;
            }
            if (wanted != null) write.put(path, wanted);
            else if (here != null) delete.add(path);
        }
        return new PullPlan(write, delete, conflicts);
    }

    // ---- paths from the server

    /**
     * Why a manifest path may not be written into a folder, or null when it may: it must be relative, '/'-separated,
     * without empty, '.' or '..' parts, ':', backslashes or control characters, and outside the sync state.
     */
    static String pathProblem(String path) {
        if (path == null || path.isEmpty()) return "it is empty";
        if (path.startsWith("/")) return "it is absolute";
        if (path.indexOf('\\') >= 0) return "it holds a backslash";
        if (path.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) return "it holds a control character";
        if (path.indexOf(':') >= 0) return "it holds ':' (a drive or a stream on Windows)";
        for (String part : path.split("/", -1)) {
            if (part.isEmpty()) return "it has an empty part";
            if (part.equals(".") || part.equals("..")) return "it has a '" + part + "' part";
        }
        if (path.equals(STATE_DIR) || path.startsWith(STATE_DIR + "/")) return "it is in the folder's sync state";
        return null;
    }

    /** Where a manifest path lies in the folder; a path that could lead anywhere else is refused. */
    static Path resolve(Path dir, String path) throws UnsafePathException {
        String problem = pathProblem(path);
        if (problem != null) throw new UnsafePathException(path, problem);
        Path root = dir.toAbsolutePath().normalize();
        Path file = root.resolve(path).normalize();
        if (!file.startsWith(root) || file.equals(root)) throw new UnsafePathException(path, "it leads outside the folder");
        return file;
    }

    /**
     * Makes the folders {@code file} lies in, refusing when one of them is (or leads through) a link out of
     * {@code dir}, so a pull never writes outside the folder.
     */
    static void makeParents(Path dir, Path file) throws IOException {
        Files.createDirectories(file.getParent());
        Path root = dir.toRealPath();
        if (!file.getParent().toRealPath().startsWith(root)) {
            throw new IOException("refused to write " + file + ": its folder leads outside " + dir + " (a link?)");
        }
    }
}
