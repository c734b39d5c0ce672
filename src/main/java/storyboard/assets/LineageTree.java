package storyboard.assets;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Lineage as the asset page shows it: an indented tree of versions, what each came from ({@code up}) or what was
 * made from it, built from the edges of the same walk as {@code /lineage} and {@code /used-by} (stopping at deleted
 * assets and those the credential cannot see, at most {@code depth} steps away). Lineage is a graph (a version may
 * have several parents, and an ancestor may be reached by several paths): a version is expanded where it is first
 * reached, nearest the root, and shown again elsewhere as a {@code repeated} leaf. At most {@link #MAX_NODES} nodes.
 *
 * @param roots the versions the walk started from, each with its tree
 * @param truncated whether nodes were left out to stay within {@link #MAX_NODES}
 */
public record LineageTree(List<Node> roots, boolean truncated) {
    public static final int MAX_NODES = 500;

    /** One version of one asset. */
    public record Key(UUID assetId, int version) {}

    /** A version reached by the walk, with its asset's name, kind and project. */
    public record Target(Key key, String name, String kind, String project) {}

    /**
     * One edge of the walk: from a version nearer the root to one a step further.
     *
     * @param deeper whether the version reached has steps of its own (beyond the walk's depth, they were not fetched)
     */
    public record Edge(Key from, Target to, boolean deeper) {}

    /**
     * A node of the tree.
     *
     * @param target the version and its asset's name, kind and project (for a root, those of the page's asset)
     * @param children what it came from / what was made from it; empty for a repeated node and at the depth limit
     * @param repeated shown expanded elsewhere in the tree
     * @param more it has further steps that the depth limit left out
     */
    public record Node(Target target, int depth, List<Node> children, boolean repeated, boolean more) {
        /** Where its link goes: a root to its version on this page, any other node to its asset's page at that version. */
        public String href() {
            return depth == 0 ? "#v" + target.key().version()
                    : AssetViews.assetHref(target.key().assetId(), target.key().version(), false);
        }

        boolean deeper() {
            return more || children.stream().anyMatch(Node::deeper);
        }
    }

    /** Whether the walk reached nothing. */
    public boolean empty() {
        return roots.stream().allMatch(n -> n.children().isEmpty());
    }

    /** Whether some version has further steps that the depth limit left out. */
    public boolean deeper() {
        return roots.stream().anyMatch(Node::deeper);
    }

    /**
     * The tree of {@code roots}, from {@code edges} fetched nearest first (at most {@code maxDepth} steps from a
     * root); {@code truncated} says the edges were cut short already.
     */
    static LineageTree build(List<Target> roots, List<Edge> edges, int maxDepth, boolean truncated) {
        Map<Key, List<Edge>> from = new LinkedHashMap<>();
        for (Edge e : edges) from.computeIfAbsent(e.from(), k -> new ArrayList<>()).add(e);

        // Breadth first, so a version is expanded where it is nearest the root.
        Set<Key> expanded = new HashSet<>();
        List<Building> tops = new ArrayList<>();
        ArrayDeque<Building> queue = new ArrayDeque<>();
        int count = 0;
        for (Target r : roots) {
            Building b = new Building(r, 0, false, false);
            tops.add(b);
            expanded.add(r.key());
            queue.add(b);
            count++;
        }
        boolean cut = truncated;
        while (!queue.isEmpty()) {
            Building n = queue.poll();
            if (n.depth >= maxDepth) continue;
            for (Edge e : from.getOrDefault(n.target.key(), List.of())) {
                if (count >= MAX_NODES) {
                    cut = true;
                    break;
                }
                boolean first = expanded.add(e.to().key());
                boolean atLimit = n.depth + 1 >= maxDepth;
                Building child = new Building(e.to(), n.depth + 1, !first, first && atLimit && e.deeper());
                n.children.add(child);
                count++;
                if (first) queue.add(child);
            }
        }
        return new LineageTree(tops.stream().map(Building::node).toList(), cut);
    }

    private static final class Building {
        final Target target;
        final int depth;
        final boolean repeated;
        final boolean more;
        final List<Building> children = new ArrayList<>();

        Building(Target target, int depth, boolean repeated, boolean more) {
            this.target = target;
            this.depth = depth;
            this.repeated = repeated;
            this.more = more;
        }

        Node node() {
            return new Node(target, depth, children.stream().map(Building::node).toList(), repeated, more);
        }
    }
}
