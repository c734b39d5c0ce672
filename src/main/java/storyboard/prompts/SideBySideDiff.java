package storyboard.prompts;

import com.github.difflib.DiffUtils;
import com.github.difflib.patch.AbstractDelta;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Two versions side by side, line by line, part by part (template, variables, config: the same texts as the API's
 * unified diff, {@link VersionDiff}). A changed line shows its old text on the left and the new on the right;
 * a removed line has an empty right side, an added one an empty left; runs of unchanged lines longer than the
 * context on both sides of a change are folded into one "skipped" row. Public for the diff page's template.
 */
public final class SideBySideDiff {
    private SideBySideDiff() {}

    /** How a row differs. */
    public enum Kind {
        SAME, CHANGED, REMOVED, ADDED, SKIPPED;

        /** The CSS class of the row: diff-same, diff-changed, diff-removed, diff-added or diff-skipped. */
        public String rowClass() {
            return "diff-" + name().toLowerCase(java.util.Locale.ROOT);
        }

        /** The CSS class of the left cell. */
        public String leftClass() {
            return switch (this) {
                case CHANGED, REMOVED -> "diff-del";
                case ADDED -> "diff-empty";
                case SAME -> "diff-same";
                case SKIPPED -> "diff-skip";
            };
        }

        /** The CSS class of the right cell. */
        public String rightClass() {
            return switch (this) {
                case CHANGED, ADDED -> "diff-add";
                case REMOVED -> "diff-empty";
                case SAME -> "diff-same";
                case SKIPPED -> "diff-skip";
            };
        }
    }

    /**
     * One row: the old line (number from 1, null when the side is empty) and the new one; a SKIPPED row holds
     * in {@code skipped} how many unchanged lines it stands for.
     */
    public record Row(Kind kind, Integer oldNumber, String oldText, Integer newNumber, String newText, int skipped) {
        static Row skip(int lines) {
            return new Row(Kind.SKIPPED, null, null, null, null, lines);
        }
    }

    /** One part of the versions: whether it changed, and its rows. */
    public record Section(String part, boolean changed, List<Row> rows) {
        public long added() {
            return rows.stream().filter(r -> r.kind() == Kind.ADDED || r.kind() == Kind.CHANGED).count();
        }

        public long removed() {
            return rows.stream().filter(r -> r.kind() == Kind.REMOVED || r.kind() == Kind.CHANGED).count();
        }
    }

    /** The three parts of versions {@code a} (left) and {@code b} (right), with {@code context} unchanged lines kept. */
    static List<Section> of(PromptStore.Version a, PromptStore.Version b, int context) {
        return List.of(
                section("template", VersionDiff.templateText(a), VersionDiff.templateText(b), context),
                section("variables", VersionDiff.sorted(a.variables()), VersionDiff.sorted(b.variables()), context),
                section("config", VersionDiff.sorted(a.config()), VersionDiff.sorted(b.config()), context));
    }

    static Section section(String part, String a, String b, int context) {
        // Chat templates (and most texts) end with a newline on both sides: no empty last row for it.
        boolean bothEnd = a.endsWith("\n") && b.endsWith("\n");
        List<String> left = lines(bothEnd ? a.substring(0, a.length() - 1) : a);
        List<String> right = lines(bothEnd ? b.substring(0, b.length() - 1) : b);
        List<Row> rows = new ArrayList<>();
        int i = 0; // next old line (0-based)
        int j = 0; // next new line
        for (AbstractDelta<String> d : DiffUtils.diff(left, right).getDeltas()) {
            int oldAt = d.getSource().getPosition();
            int newAt = d.getTarget().getPosition();
            while (i < oldAt && j < newAt) {
                rows.add(new Row(Kind.SAME, i + 1, left.get(i), j + 1, right.get(j), 0));
                i++;
                j++;
            }
            List<String> removed = d.getSource().getLines();
            List<String> added = d.getTarget().getLines();
            int n = Math.max(removed.size(), added.size());
            for (int k = 0; k < n; k++) {
                boolean hasOld = k < removed.size();
                boolean hasNew = k < added.size();
                Kind kind = hasOld && hasNew ? Kind.CHANGED : hasOld ? Kind.REMOVED : Kind.ADDED;
                rows.add(new Row(kind, hasOld ? i + 1 : null, hasOld ? removed.get(k) : null,
                        hasNew ? j + 1 : null, hasNew ? added.get(k) : null, 0));
                if (hasOld) i++;
                if (hasNew) j++;
            }
        }
        while (i < left.size() && j < right.size()) {
            rows.add(new Row(Kind.SAME, i + 1, left.get(i), j + 1, right.get(j), 0));
            i++;
            j++;
        }
        boolean changed = !a.equals(b);
        return new Section(part, changed, changed ? fold(rows, context) : rows);
    }

    /** A text's lines, as the API's unified diff splits them. */
    private static List<String> lines(String text) {
        return Arrays.asList(text.split("\n", -1));
    }

    /** Keeps {@code context} unchanged rows around each change; longer runs become one SKIPPED row. */
    private static List<Row> fold(List<Row> rows, int context) {
        List<Row> out = new ArrayList<>();
        int k = 0;
        while (k < rows.size()) {
            if (rows.get(k).kind() != Kind.SAME) {
                out.add(rows.get(k++));
                continue;
            }
            int end = k;
            while (end < rows.size() && rows.get(end).kind() == Kind.SAME) end++;
            int keepBefore = k == 0 ? 0 : context; // after a change
            int keepAfter = end == rows.size() ? 0 : context; // before a change
            int run = end - k;
            if (run > keepBefore + keepAfter) {
                out.addAll(rows.subList(k, k + keepBefore));
                out.add(Row.skip(run - keepBefore - keepAfter));
                out.addAll(rows.subList(end - keepAfter, end));
            } else {
                out.addAll(rows.subList(k, end));
            }
            k = end;
        }
        return out;
    }
}
