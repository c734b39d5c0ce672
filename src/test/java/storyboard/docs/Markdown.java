package storyboard.docs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Just enough Markdown for the docs checks: fenced code blocks (with their info string and line numbers), headings
 * (as GitHub turns them into anchors), links, and the prose lines outside code blocks.
 */
final class Markdown {
    private static final Pattern FENCE = Pattern.compile("^( {0,3})(`{3,}|~{3,})\\s*([^`]*)$");
    private static final Pattern HEADING = Pattern.compile("^ {0,3}(#{1,6})\\s+(.*?)\\s*#*\\s*$");
    /** Inline links and images: [text](target "title"); the target up to a space or the closing parenthesis. */
    private static final Pattern INLINE_LINK = Pattern.compile("!?\\[(?:[^\\]\\[]|\\[[^\\]]*\\])*\\]\\(\\s*<?([^)\\s>]+)>?(?:\\s+\"[^\"]*\")?\\s*\\)");
    private static final Pattern REFERENCE_DEFINITION = Pattern.compile("^ {0,3}\\[[^\\]]+\\]:\\s*<?(\\S+?)>?(\\s.*)?$");
    private static final Pattern CODE_SPAN = Pattern.compile("(`+)(.+?)\\1");

    final Path file;
    final List<String> lines;
    final List<Block> blocks = new ArrayList<>();
    /** Line numbers (1-based) of the lines outside fenced blocks. */
    final List<Integer> proseLines = new ArrayList<>();

    /** A fenced code block: the info string, the 1-based line of the opening fence, its lines. */
    record Block(String info, int fenceLine, List<String> lines) {
        /** The 1-based line number in the file of the block's i-th line. */
        int lineOf(int i) {
            return fenceLine + 1 + i;
        }

        String language() {
            String trimmed = info.strip();
            int space = trimmed.indexOf(' ');
            return space < 0 ? trimmed : trimmed.substring(0, space);
        }
    }

    /** A link as written, at a line. */
    record Link(int line, String target) {}

    private Markdown(Path file, List<String> lines) {
        this.file = file;
        this.lines = lines;
        parse();
    }

    static Markdown read(Path file) {
        try {
            return new Markdown(file, Files.readAllLines(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void parse() {
        int i = 0;
        while (i < lines.size()) {
            Matcher m = FENCE.matcher(lines.get(i));
            if (!m.matches()) {
                proseLines.add(i + 1);
                i++;
                continue;
            }
            int indent = m.group(1).length();
            String fence = m.group(2);
            String info = m.group(3).strip();
            int start = i;
            List<String> body = new ArrayList<>();
            i++;
            while (i < lines.size() && !isClosing(lines.get(i), fence)) {
                String line = lines.get(i);
                int strip = 0;
                while (strip < indent && strip < line.length() && line.charAt(strip) == ' ') strip++;
                body.add(line.substring(strip));
                i++;
            }
            blocks.add(new Block(info, start + 1, List.copyOf(body)));
            i++; // the closing fence (or the end of the file)
        }
    }

    private static boolean isClosing(String line, String fence) {
        String t = line.strip();
        if (line.length() - line.stripLeading().length() > 3) return false;
        if (t.length() < fence.length()) return false;
        for (int k = 0; k < t.length(); k++) if (t.charAt(k) != fence.charAt(0)) return false;
        return true;
    }

    /** Links in the prose (not inside code blocks or code spans). */
    List<Link> links() {
        List<Link> out = new ArrayList<>();
        for (int n : proseLines) {
            String line = CODE_SPAN.matcher(lines.get(n - 1)).replaceAll("");
            Matcher d = REFERENCE_DEFINITION.matcher(line);
            if (d.matches()) {
                out.add(new Link(n, d.group(1)));
                continue;
            }
            Matcher m = INLINE_LINK.matcher(line);
            while (m.find()) out.add(new Link(n, m.group(1)));
        }
        return out;
    }

    /** The anchors GitHub makes of the headings: lower case, punctuation dropped, spaces to '-', repeats numbered. */
    Set<String> anchors() {
        Set<String> out = new LinkedHashSet<>();
        Map<String, Integer> seen = new HashMap<>();
        for (int n : proseLines) {
            Matcher m = HEADING.matcher(lines.get(n - 1));
            if (!m.matches()) continue;
            String slug = slug(m.group(2));
            int count = seen.merge(slug, 1, Integer::sum);
            out.add(count == 1 ? slug : slug + "-" + (count - 1));
        }
        return out;
    }

    static String slug(String heading) {
        String text = heading.replaceAll("\\[([^\\]]*)\\]\\([^)]*\\)", "$1").replace("`", "").replace("*", "");
        StringBuilder s = new StringBuilder();
        for (char c : text.toLowerCase(Locale.ROOT).toCharArray()) {
            if (Character.isLetterOrDigit(c) || c == '-' || c == '_') s.append(c);
            else if (c == ' ') s.append('-');
        }
        return s.toString();
    }
}
