package storyboard.docs;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A docs page's runnable examples as one bash script, with a map from the script's lines back to the page's.
 * <p>
 * Each {@code sh} block is split into commands (a command runs on while a quote, a parenthesis or a here-document
 * is open, or its line ends in {@code \}, {@code |}, {@code &&} or {@code ||}). A command whose last line ends in a
 * comment starting with a status code ({@code # 404 ...}), or that is directly followed by a comment line
 * starting with one (the answer shown under it), must get exactly that HTTP status: the script exports
 * {@code DOCS_EXPECT} (and {@code DOCS_EXPECT_LINE}, the page's line) before it and unsets them after it, for the
 * curl shim to check. A page's reader sees none of that.
 */
final class ShellScript {
    private static final Pattern STATUS_COMMENT = Pattern.compile("^#\\s*([1-5][0-9][0-9])(\\s.*)?$");
    private static final Pattern HEREDOC = Pattern.compile("<<(-?)\\s*(['\"]?)([A-Za-z_][A-Za-z0-9_]*)\\2");

    /** One command of a block: its first and last line (1-based, in the page), its text, and the status it expects. */
    record Command(int firstLine, int lastLine, String text, Integer expectedStatus) {}

    final List<String> script = new ArrayList<>();
    /** For each script line (0-based), the page's line it came from, or 0 for a line the harness added. */
    final List<Integer> pageLines = new ArrayList<>();
    final List<Command> commands = new ArrayList<>();

    void add(String line, int pageLine) {
        script.add(line);
        pageLines.add(pageLine);
    }

    /** Appends a block's commands, with the status expectations injected around the commands that carry one. */
    void addBlock(Markdown.Block block) {
        List<Command> cmds = split(block);
        int next = 0;
        for (int i = 0; i < block.lines().size(); i++) {
            int line = block.lineOf(i);
            Command c = next < cmds.size() && cmds.get(next).firstLine() == line ? cmds.get(next) : null;
            if (c != null && c.expectedStatus() != null) {
                add("export DOCS_EXPECT=" + c.expectedStatus() + " DOCS_EXPECT_LINE=" + c.firstLine(), 0);
            }
            add(block.lines().get(i), line);
            Command ending = next < cmds.size() && cmds.get(next).lastLine() == line ? cmds.get(next) : null;
            if (ending != null) {
                if (ending.expectedStatus() != null) add("unset DOCS_EXPECT DOCS_EXPECT_LINE", 0);
                next++;
            }
        }
        commands.addAll(cmds);
    }

    /** The command that holds this page line, if any. */
    Command commandAt(int pageLine) {
        for (Command c : commands) if (c.firstLine() <= pageLine && pageLine <= c.lastLine()) return c;
        return null;
    }

    String text() {
        return String.join("\n", script) + "\n";
    }

    /** Splits a block into commands; comment-only and blank lines belong to none. */
    static List<Command> split(Markdown.Block block) {
        List<Command> out = new ArrayList<>();
        List<String> lines = block.lines();
        int i = 0;
        while (i < lines.size()) {
            String first = lines.get(i).strip();
            if (first.isEmpty() || first.startsWith("#")) {
                i++;
                continue;
            }
            Scanner s = new Scanner();
            int start = i;
            StringBuilder text = new StringBuilder();
            String lastComment = null;
            while (i < lines.size()) {
                String line = lines.get(i);
                text.append(line).append('\n');
                lastComment = s.scanLine(line);
                i++;
                if (!s.continues()) break;
            }
            int end = i - 1;
            Integer expected = status(lastComment);
            if (expected == null && i < lines.size()) expected = status(lines.get(i).strip());
            out.add(new Command(block.lineOf(start), block.lineOf(end), text.toString().strip(), expected));
        }
        return out;
    }

    private static Integer status(String comment) {
        if (comment == null) return null;
        Matcher m = STATUS_COMMENT.matcher(comment.strip());
        return m.matches() ? Integer.valueOf(m.group(1)) : null;
    }

    /** Bash's quoting, as far as telling where a command ends needs it. */
    private static final class Scanner {
        boolean single;
        boolean dbl;
        int parens;
        boolean backslash;
        boolean operator;
        String heredocEnd;
        boolean heredocTabs;
        boolean inHeredoc;

        /** Scans one line; returns its trailing comment (from '#'), if any. */
        String scanLine(String line) {
            backslash = false;
            operator = false;
            if (inHeredoc) {
                String t = heredocTabs ? line.replaceFirst("^\t+", "") : line;
                if (t.equals(heredocEnd)) {
                    inHeredoc = false;
                    heredocEnd = null;
                }
                return null;
            }
            String comment = null;
            int n = line.length();
            for (int k = 0; k < n; k++) {
                char c = line.charAt(k);
                if (single) {
                    if (c == '\'') single = false;
                } else if (dbl) {
                    if (c == '\\') {
                        if (k == n - 1) backslash = true;
                        k++;
                    } else if (c == '"') {
                        dbl = false;
                    }
                } else if (c == '\\') {
                    if (k == n - 1) backslash = true;
                    k++;
                } else if (c == '\'') {
                    single = true;
                } else if (c == '"') {
                    dbl = true;
                } else if (c == '(') {
                    parens++;
                } else if (c == ')') {
                    parens = Math.max(0, parens - 1);
                } else if (c == '#' && (k == 0 || " \t;&|(".indexOf(line.charAt(k - 1)) >= 0)) {
                    comment = line.substring(k);
                    break;
                } else if (c == '<' && k + 1 < n && line.charAt(k + 1) == '<' && heredocEnd == null) {
                    Matcher m = HEREDOC.matcher(line.substring(k));
                    if (m.lookingAt() && !(k + 2 < n && line.charAt(k + 2) == '<')) {
                        heredocTabs = !m.group(1).isEmpty();
                        heredocEnd = m.group(3);
                        k += m.end() - 1;
                    }
                }
            }
            String code = comment == null ? line : line.substring(0, line.length() - comment.length());
            String t = code.strip();
            operator = t.endsWith("|") || t.endsWith("&&") || t.endsWith("||");
            if (heredocEnd != null) inHeredoc = true;
            return comment;
        }

        boolean continues() {
            return single || dbl || parens > 0 || backslash || operator || inHeredoc;
        }
    }
}
