package storyboard.projects;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The rules every path of a project obeys, whether it comes from a zip, a multipart upload or a pushed manifest:
 * relative, '/'-separated, staying inside the project, and writable as a file on every platform the app runs on
 * (a pull writes them to disk).
 */
final class ProjectPaths {
    static final int MAX_PATH_CHARS = 1024;
    static final int MAX_SEGMENT_BYTES = 255;
    /** The command line's sync state in a project folder: never part of the project. */
    static final String SYNC_FOLDER = ".storyboard";

    private ProjectPaths() {}

    /** Why {@code path} is not a usable project path, or null when it is. */
    static String problem(String path) {
        if (path == null || path.isEmpty()) return "an empty path";
        if (path.length() > MAX_PATH_CHARS) return "the path is longer than " + MAX_PATH_CHARS + " characters";
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c == 0) return "the path contains a NUL character";
            if (c < 0x20 || c == 0x7f) return "the path contains a control character";
            if (c == '\\') return "the path contains a backslash: separators are '/' (a backslash is one on Windows)";
            if (c == ':') return "the path contains ':' (a drive or a stream on Windows)";
        }
        if (path.startsWith("/")) return "the path is absolute: paths are relative to the project folder";
        String[] segments = path.split("/", -1);
        for (String s : segments) {
            if (s.isEmpty()) return "the path has an empty segment ('//', or '/' at its end)";
            if (s.equals("..")) return "the path has a '..' segment: paths stay inside the project";
            if (s.equals(".")) return "the path has a '.' segment";
            if (s.getBytes(StandardCharsets.UTF_8).length > MAX_SEGMENT_BYTES) {
                return "a name in the path is longer than " + MAX_SEGMENT_BYTES + " bytes";
            }
        }
        if (segments[0].equals(SYNC_FOLDER)) return "'" + SYNC_FOLDER + "/' is the command line's sync state, never part of a project";
        return null;
    }

    /**
     * Problems of a set of (valid) paths together: the same path twice, two paths that differ only by case (one
     * file on macOS and Windows), a path that is also another's folder.
     */
    static List<Storyboard.Problem> clashes(Collection<String> paths) {
        List<Storyboard.Problem> problems = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        Map<String, String> folded = new HashMap<>();
        Set<String> folders = new HashSet<>();
        for (String p : paths) {
            if (!seen.add(p)) {
                problems.add(new Storyboard.Problem(p, "the path is there twice"));
                continue;
            }
            String other = folded.putIfAbsent(p.toLowerCase(Locale.ROOT), p);
            if (other != null) {
                problems.add(new Storyboard.Problem(p, "differs from " + other + " only by case (one file on macOS and Windows)"));
            }
            for (int i = p.indexOf('/'); i > 0; i = p.indexOf('/', i + 1)) folders.add(p.substring(0, i));
        }
        for (String p : seen) {
            if (folders.contains(p)) problems.add(new Storyboard.Problem(p, "is a file and also a folder of other paths"));
        }
        return problems;
    }
}
