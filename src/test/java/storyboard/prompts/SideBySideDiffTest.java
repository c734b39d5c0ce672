package storyboard.prompts;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import storyboard.prompts.SideBySideDiff.Kind;
import storyboard.prompts.SideBySideDiff.Row;
import storyboard.prompts.SideBySideDiff.Section;

/** The rows of the diff page: changed, removed and added lines paired with their numbers; long unchanged runs folded. */
class SideBySideDiffTest {
    @Test
    void pairsChangedLinesAndLeavesTheOtherSideOfAddedAndRemovedOnesEmpty() {
        Section s = SideBySideDiff.section("template", "one\ntwo\nthree\nfour", "one\nTWO\nthree\nthree and a half\nfour", 3);
        assertThat(s.changed()).isTrue();
        assertThat(s.rows()).containsExactly(
                new Row(Kind.SAME, 1, "one", 1, "one", 0),
                new Row(Kind.CHANGED, 2, "two", 2, "TWO", 0),
                new Row(Kind.SAME, 3, "three", 3, "three", 0),
                new Row(Kind.ADDED, null, null, 4, "three and a half", 0),
                new Row(Kind.SAME, 4, "four", 5, "four", 0));
        assertThat(s.added()).isEqualTo(2);
        assertThat(s.removed()).isEqualTo(1);

        Section removed = SideBySideDiff.section("config", "a\nb\nc", "a\nc", 3);
        assertThat(removed.rows()).extracting(Row::kind).containsExactly(Kind.SAME, Kind.REMOVED, Kind.SAME);
        assertThat(removed.rows().get(1)).isEqualTo(new Row(Kind.REMOVED, 2, "b", null, null, 0));
        assertThat(Kind.REMOVED.leftClass()).isEqualTo("diff-del");
        assertThat(Kind.REMOVED.rightClass()).isEqualTo("diff-empty");
        assertThat(Kind.ADDED.rightClass()).isEqualTo("diff-add");
        assertThat(Kind.CHANGED.leftClass()).isEqualTo("diff-del");
        assertThat(Kind.CHANGED.rightClass()).isEqualTo("diff-add");
    }

    @Test
    void foldsLongUnchangedRunsButNotAnUnchangedPart() {
        String before = IntStream.rangeClosed(1, 20).mapToObj(i -> "line " + i).collect(Collectors.joining("\n"));
        String after = before.replace("line 10\n", "line ten\n");
        Section s = SideBySideDiff.section("template", before, after, 2);
        List<Kind> kinds = s.rows().stream().map(Row::kind).toList();
        assertThat(kinds).containsExactly(Kind.SKIPPED, Kind.SAME, Kind.SAME, Kind.CHANGED, Kind.SAME, Kind.SAME,
                Kind.SKIPPED);
        assertThat(s.rows().get(0).skipped()).isEqualTo(7);
        assertThat(s.rows().get(1).oldNumber()).isEqualTo(8);
        assertThat(s.rows().get(6).skipped()).isEqualTo(8);

        Section same = SideBySideDiff.section("variables", before, before, 2);
        assertThat(same.changed()).isFalse();
        assertThat(same.rows()).hasSize(20).allMatch(r -> r.kind() == Kind.SAME);
    }

    @Test
    void aTrailingNewlineOnBothSidesMakesNoEmptyRow() {
        Section s = SideBySideDiff.section("template", "[user]\nhi\n", "[user]\nhello\n", 3);
        assertThat(s.rows()).extracting(Row::kind).containsExactly(Kind.SAME, Kind.CHANGED);
    }
}
