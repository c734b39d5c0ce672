package storyboard.assets;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** How a lineage walk's edges become the indented tree of the asset page. */
class LineageTreeTest {
    private static final UUID A = UUID.randomUUID();
    private static final UUID B = UUID.randomUUID();
    private static final UUID C = UUID.randomUUID();
    private static final UUID D = UUID.randomUUID();

    private static LineageTree.Target t(UUID id, String name) {
        return new LineageTree.Target(new LineageTree.Key(id, 1), name, "image", "p");
    }

    private static LineageTree.Edge e(UUID from, UUID to, String name, boolean deeper) {
        return new LineageTree.Edge(new LineageTree.Key(from, 1), t(to, name), deeper);
    }

    /** The tree as indented lines: name, then "*" when repeated and "+" when it goes on beyond the depth. */
    private static List<String> lines(LineageTree tree) {
        List<String> out = new ArrayList<>();
        tree.roots().forEach(n -> lines(n, out));
        return out;
    }

    private static void lines(LineageTree.Node n, List<String> out) {
        out.add("  ".repeat(n.depth()) + n.target().name() + (n.repeated() ? "*" : "") + (n.more() ? "+" : ""));
        n.children().forEach(c -> lines(c, out));
    }

    @Test
    void aDiamondShowsTheSharedAncestorOnceExpandedAndOnceAsARepeat() {
        // a made from b and c, both made from d
        List<LineageTree.Edge> edges = List.of(e(A, B, "b", false), e(A, C, "c", false), e(B, D, "d", false),
                e(C, D, "d", false));
        LineageTree tree = LineageTree.build(List.of(t(A, "a")), edges, 20, false);
        assertThat(lines(tree)).containsExactly("a", "  b", "    d", "  c", "    d*");
        assertThat(tree.empty()).isFalse();
        assertThat(tree.deeper()).isFalse();
        assertThat(tree.truncated()).isFalse();
        assertThat(tree.roots().get(0).href()).isEqualTo("#v1");
        assertThat(tree.roots().get(0).children().get(0).href()).isEqualTo("/assets/" + B + "?version=1");
    }

    @Test
    void aVersionIsExpandedWhereItIsNearestTheRoot() {
        // a made from b and d; b made from d: d is expanded as a's direct parent, repeated under b
        List<LineageTree.Edge> edges = List.of(e(A, B, "b", false), e(A, D, "d", false), e(B, D, "d", false),
                e(D, C, "c", false));
        assertThat(lines(LineageTree.build(List.of(t(A, "a")), edges, 20, false)))
                .containsExactly("a", "  b", "    d*", "  d", "    c");
    }

    @Test
    void theDepthLimitStopsTheTreeAndMarksWhatGoesOn() {
        List<LineageTree.Edge> edges = List.of(e(A, B, "b", false), e(B, C, "c", true));
        LineageTree tree = LineageTree.build(List.of(t(A, "a")), edges, 2, false);
        assertThat(lines(tree)).containsExactly("a", "  b", "    c+");
        assertThat(tree.deeper()).isTrue();
        assertThat(lines(LineageTree.build(List.of(t(A, "a")), edges, 1, false))).containsExactly("a", "  b");
    }

    @Test
    void nothingReachedIsAnEmptyTree() {
        LineageTree tree = LineageTree.build(List.of(t(A, "a")), List.of(), 20, false);
        assertThat(tree.empty()).isTrue();
        assertThat(lines(tree)).containsExactly("a");
    }

    @Test
    void aHugeFanOutIsCutAtTheNodeLimit() {
        List<LineageTree.Edge> edges = new ArrayList<>();
        for (int i = 0; i < LineageTree.MAX_NODES + 50; i++) edges.add(e(A, UUID.randomUUID(), "x" + i, false));
        LineageTree tree = LineageTree.build(List.of(t(A, "a")), edges, 20, false);
        assertThat(tree.truncated()).isTrue();
        assertThat(tree.roots().get(0).children()).hasSize(LineageTree.MAX_NODES - 1);
    }
}
