package storyboard.projects;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * An incoming package (a zip of the project folder, or the files of a multipart upload) checked before anything of
 * it is stored: every path by {@link ProjectPaths}, no links or special files, limits on the number of files, their
 * sizes and (for a zip) how much they inflate, counted on the real bytes; then {@code project.json}, the scenes and
 * the audio tracks read by {@link Storyboard}. Every problem is collected, so one answer lists them all.
 *
 * <p>Junk that is no part of a project is left out, with a warning: macOS's {@code __MACOSX/} and {@code .DS_Store},
 * and the command line's {@code .storyboard/} sync state. When every file sits under one top folder (a zip of the
 * folder itself), that folder is stripped.
 */
final class ProjectImport implements AutoCloseable {
    /**
     * How much a package may hold: files, bytes per file and in all, and (zips) how many times an entry may inflate
     * its compressed size, beyond {@code ratioFloorBytes} (small entries are never suspicious); the JSON files read
     * to check them are at most {@code maxJsonBytes} each.
     */
    record Limits(int maxFiles, long maxFileBytes, long maxTotalBytes, int maxRatio, long ratioFloorBytes, long maxJsonBytes) {
        static Limits of(long maxBlobBytes) {
            return new Limits(50_000, maxBlobBytes, 64L << 30, 200, 1L << 20, 64L << 20);
        }
    }

    /** One file of a checked package, readable as often as needed until the package is closed. */
    interface Source {
        String path();

        int mode();

        long size();

        InputStream open() throws IOException;
    }

    /** A multipart part: the path its filename gives, its size and its bytes. */
    interface Part {
        String filename();

        long size();

        InputStream open() throws IOException;
    }

    private final List<Source> files;
    private final Storyboard.Package pkg;
    private final List<Storyboard.Problem> problems;
    private final List<Storyboard.Problem> warnings;
    private final AutoCloseable resource;

    private ProjectImport(List<Source> files, Storyboard.Package pkg, List<Storyboard.Problem> problems,
                          List<Storyboard.Problem> warnings, AutoCloseable resource) {
        this.files = List.copyOf(files);
        this.pkg = pkg;
        this.problems = List.copyOf(problems);
        this.warnings = List.copyOf(warnings);
        this.resource = resource;
    }

    List<Source> files() {
        return files;
    }

    /** The package as read (null when its files could not even be listed). */
    Storyboard.Package pkg() {
        return pkg;
    }

    List<Storyboard.Problem> problems() {
        return problems;
    }

    List<Storyboard.Problem> warnings() {
        return warnings;
    }

    boolean valid() {
        return problems.isEmpty();
    }

    long bytes() {
        return files.stream().mapToLong(Source::size).sum();
    }

    @Override
    public void close() {
        try {
            if (resource != null) resource.close();
        } catch (Exception e) {
            // a temporary file's handle: nothing to keep
        }
    }

    /** A file of the package before its path was checked and its top folder stripped. */
    private record Candidate(String name, int mode, long size, Opener opener) {}

    private interface Opener {
        InputStream open() throws IOException;
    }

    // ---- zip ----

    /** Checks the zip in {@code file} (which the caller removes after closing the result). */
    static ProjectImport zip(Path file, Limits limits) throws IOException {
        List<Storyboard.Problem> problems = new ArrayList<>();
        List<Storyboard.Problem> warnings = new ArrayList<>();
        ZipReader zip = ZipReader.open(file);
        try {
            List<ZipReader.Entry> entries;
            try {
                entries = zip.entries(limits.maxFiles() * 2);
            } catch (ZipReader.Unreadable e) {
                problems.add(new Storyboard.Problem("", "the body is not a readable zip: " + e.getMessage()));
                return new ProjectImport(List.of(), null, problems, warnings, zip);
            }
            List<ZipReader.Entry> accepted = new ArrayList<>();
            for (ZipReader.Entry e : entries) {
                String name = e.name();
                if (ignored(name)) {
                    if (!e.directory()) warnings.add(new Storyboard.Problem(name, "left out: not part of a project"));
                    continue;
                }
                String trimmed = e.directory() && name.endsWith("/") ? name.substring(0, name.length() - 1) : name;
                String bad = ProjectPaths.problem(trimmed);
                if (e.symlink()) {
                    problems.add(new Storyboard.Problem(name, "a symbolic link: links are refused (one could point outside the project)"));
                } else if (e.special()) {
                    problems.add(new Storyboard.Problem(name, "not a regular file (a device, pipe or socket)"));
                } else if (bad != null) {
                    problems.add(new Storyboard.Problem(name, bad));
                } else if (e.directory()) {
                    continue;
                } else if (e.encrypted()) {
                    problems.add(new Storyboard.Problem(name, "encrypted: the server cannot read it"));
                } else {
                    accepted.add(e);
                }
            }
            if (accepted.size() > limits.maxFiles()) {
                problems.add(new Storyboard.Problem("", "the package holds " + accepted.size() + " files, more than the limit of "
                        + limits.maxFiles()));
                return new ProjectImport(List.of(), null, problems, warnings, zip);
            }
            // Inflate every file once, counting the real bytes: the header sizes are never trusted.
            List<Candidate> candidates = new ArrayList<>();
            long total = 0;
            long overall = Math.max(64L << 20, (long) limits.maxRatio() * java.nio.file.Files.size(file));
            for (ZipReader.Entry e : accepted) {
                long ratioCap = Math.max(limits.ratioFloorBytes(), saturatedProduct(e.compressedSize(), limits.maxRatio()));
                long left = Math.min(limits.maxTotalBytes(), overall) - total;
                long cap = Math.min(Math.min(limits.maxFileBytes(), ratioCap), left);
                long size;
                try {
                    size = count(zip.open(e, cap));
                } catch (ZipReader.OverLimit over) {
                    if (cap == left) {
                        problems.add(new Storyboard.Problem(e.name(), left == limits.maxTotalBytes() - total
                                ? "the package inflates to more than the limit of " + limits.maxTotalBytes() + " bytes"
                                : "the package inflates to more than " + limits.maxRatio()
                                        + " times its zip's size (a zip bomb?)"));
                        break;
                    }
                    problems.add(new Storyboard.Problem(e.name(), cap == ratioCap
                            ? "inflates to more than " + limits.maxRatio() + " times its compressed size (a zip bomb?)"
                            : "larger than the limit of " + limits.maxFileBytes() + " bytes per file"));
                    continue;
                } catch (ZipReader.Unreadable bad) {
                    problems.add(new Storyboard.Problem(e.name(), "cannot be read from the zip: " + bad.getMessage()));
                    continue;
                }
                total += size;
                candidates.add(new Candidate(e.name(), e.projectMode(), size, () -> zip.open(e, Long.MAX_VALUE)));
            }
            return checked(candidates, limits, problems, warnings, zip);
        } catch (IOException | RuntimeException e) {
            zip.close();
            throw e;
        }
    }

    private static long saturatedProduct(long a, long b) {
        long r = a * b;
        return a != 0 && (r / a != b || r < 0) ? Long.MAX_VALUE : r;
    }

    private static long count(InputStream in) throws IOException {
        try (in) {
            byte[] buf = new byte[1 << 16];
            long n = 0;
            int r;
            while ((r = in.read(buf)) >= 0) n += r;
            return n;
        }
    }

    // ---- multipart ----

    /** Checks the files of a multipart upload: each part one file, its filename the relative path. */
    static ProjectImport multipart(List<? extends Part> parts, Limits limits) throws IOException {
        List<Storyboard.Problem> problems = new ArrayList<>();
        List<Storyboard.Problem> warnings = new ArrayList<>();
        if (parts.size() > limits.maxFiles()) {
            problems.add(new Storyboard.Problem("", "the upload holds " + parts.size() + " files, more than the limit of "
                    + limits.maxFiles()));
            return new ProjectImport(List.of(), null, problems, warnings, null);
        }
        List<Candidate> candidates = new ArrayList<>();
        long total = 0;
        for (Part p : parts) {
            String name = p.filename() == null ? "" : p.filename();
            if (ignored(name)) {
                warnings.add(new Storyboard.Problem(name, "left out: not part of a project"));
                continue;
            }
            String bad = ProjectPaths.problem(name);
            if (bad != null) {
                problems.add(new Storyboard.Problem(name, bad + " (a part's filename is the file's path in the project)"));
            } else if (p.size() > limits.maxFileBytes()) {
                problems.add(new Storyboard.Problem(name, "larger than the limit of " + limits.maxFileBytes() + " bytes per file"));
            } else {
                total += p.size();
                candidates.add(new Candidate(name, ProjectFile.DEFAULT_MODE, p.size(), p::open));
            }
        }
        if (total > limits.maxTotalBytes()) {
            problems.add(new Storyboard.Problem("", "the upload holds " + total + " bytes, more than the limit of "
                    + limits.maxTotalBytes()));
        }
        return checked(candidates, limits, problems, warnings, null);
    }

    // ---- both ----

    /** Junk of other tools that is no part of a project (anywhere under the top folder). */
    static boolean ignored(String name) {
        String[] s = name.split("/", -1);
        if (s[0].equals("__MACOSX")) return true;
        if (s[0].equals(ProjectPaths.SYNC_FOLDER) || s.length > 1 && s[1].equals(ProjectPaths.SYNC_FOLDER)) return true;
        String last = s[s.length - 1].isEmpty() && s.length > 1 ? s[s.length - 2] : s[s.length - 1];
        return last.equals(".DS_Store") || last.equals("Thumbs.db");
    }

    /** Strips a common top folder, finds clashes and reads the package's JSON. */
    private static ProjectImport checked(List<Candidate> candidates, Limits limits, List<Storyboard.Problem> problems,
                                         List<Storyboard.Problem> warnings, AutoCloseable resource) throws IOException {
        String top = commonTopFolder(candidates.stream().map(Candidate::name).toList());
        Map<String, Source> byPath = new LinkedHashMap<>();
        List<String> paths = new ArrayList<>();
        for (Candidate c : candidates) {
            String path = top == null ? c.name() : c.name().substring(top.length() + 1);
            paths.add(path);
            byPath.putIfAbsent(path, source(path, c));
        }
        problems.addAll(ProjectPaths.clashes(paths));
        List<Source> files = List.copyOf(byPath.values());
        Storyboard.Package pkg = read(files, limits, problems);
        problems.addAll(pkg.problems());
        warnings.addAll(pkg.warnings());
        return new ProjectImport(files, pkg, problems, warnings, resource);
    }

    /** The one folder every file sits in, or null. */
    private static String commonTopFolder(List<String> names) {
        String top = null;
        for (String n : names) {
            int slash = n.indexOf('/');
            if (slash < 0) return null;
            String first = n.substring(0, slash);
            if (top == null) top = first;
            else if (!top.equals(first)) return null;
        }
        return top;
    }

    private static Source source(String path, Candidate c) {
        return new Source() {
            @Override
            public String path() {
                return path;
            }

            @Override
            public int mode() {
                return c.mode();
            }

            @Override
            public long size() {
                return c.size();
            }

            @Override
            public InputStream open() throws IOException {
                return c.opener().open();
            }
        };
    }

    /**
     * Reads the package's project.json, scenes and tracks with {@link Storyboard}; one too large to read is its own
     * problem (and read as empty, whose complaint is dropped).
     */
    static Storyboard.Package read(Collection<Source> files, Limits limits, List<Storyboard.Problem> problems) throws IOException {
        Map<String, Source> byPath = files.stream().collect(Collectors.toMap(Source::path, s -> s, (a, b) -> a, LinkedHashMap::new));
        Set<String> oversized = new java.util.HashSet<>();
        for (Source s : files) {
            boolean parsed = s.path().equals(Storyboard.PROJECT_FILE) || Storyboard.isScene(s.path()) || Storyboard.isTrack(s.path());
            if (parsed && s.size() > limits.maxJsonBytes()) {
                oversized.add(s.path());
                problems.add(new Storyboard.Problem(s.path(), "larger than " + limits.maxJsonBytes()
                        + " bytes: too large to read as the app's JSON"));
            }
        }
        Storyboard.Package pkg;
        try {
            pkg = Storyboard.read(new Storyboard.Files() {
                @Override
                public Collection<String> paths() {
                    return byPath.keySet();
                }

                @Override
                public byte[] read(String path) throws IOException {
                    if (oversized.contains(path)) return new byte[0];
                    try (InputStream in = byPath.get(path).open()) {
                        return in.readAllBytes();
                    }
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        if (oversized.isEmpty()) return pkg;
        return new Storyboard.Package(pkg.project(), pkg.scenes(), pkg.tracks(), pkg.counts(),
                pkg.problems().stream().filter(p -> !oversized.contains(p.path())).toList(), pkg.warnings());
    }
}
