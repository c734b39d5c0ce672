package storyboard.assets;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;
import storyboard.kernel.Visibility;

/**
 * What the asset pages read beyond the API's answers: the edges of a lineage walk (the API answers only the versions
 * reached) and the names of the assets a version names as parents. Each sees only what its {@link Visibility}
 * allows, and never a deleted asset.
 */
final class AssetPageReads {
    private final Jdbi jdbi;

    AssetPageReads(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /**
     * The lineage tree of {@code versions} of {@code asset}: what they came from ({@code up}) or what was made from
     * them, at most {@code depth} steps away; the walk is the one of {@link AssetStore#lineage}.
     */
    LineageTree tree(Asset asset, List<Integer> versions, boolean up, int depth, Visibility visible) {
        String live = live(visible);
        String from = up ? "p.asset_id" : "p.parent_asset_id";
        String fromVersion = up ? "p.version" : "p.parent_version";
        String to = up ? "p.parent_asset_id" : "p.asset_id";
        String toVersion = up ? "p.parent_version" : "p.version";
        // deeper: the version reached has a visible, live step of its own (only read at the depth limit).
        String deeper = "exists (select 1 from asset_version_parent q join asset a on a.id = "
                + (up ? "q.parent_asset_id" : "q.asset_id") + " where "
                + (up ? "q.asset_id = w.to_id and q.version = w.to_version" : "q.parent_asset_id = w.to_id and q.parent_version = w.to_version")
                + " and " + live + ")";
        String sql = "with recursive walk(from_id, from_version, to_id, to_version, depth) as ("
                + " select " + from + ", " + fromVersion + ", " + to + ", " + toVersion + ", 1 from asset_version_parent p"
                + " where " + from + " = :id and " + fromVersion + " = any(:versions)"
                + " union"
                + " select " + from + ", " + fromVersion + ", " + to + ", " + toVersion + ", w.depth + 1 from walk w"
                + " join asset a on a.id = w.to_id"
                + " join asset_version_parent p on " + from + " = w.to_id and " + fromVersion + " = w.to_version"
                + " where w.depth < :max and " + live + "),"
                + " edge as (select from_id, from_version, to_id, to_version, min(depth) as depth from walk"
                + " group by from_id, from_version, to_id, to_version)"
                + " select w.from_id, w.from_version, w.to_id, w.to_version, w.depth, a.name, a.kind, a.project,"
                + " case when w.depth >= :max then " + deeper + " else false end as deeper"
                + " from edge w join asset a on a.id = w.to_id where " + live
                + " order by w.depth, a.name, w.to_id, w.to_version desc limit :cap";
        int cap = LineageTree.MAX_NODES * 4;
        List<LineageTree.Edge> edges = jdbi.withHandle(h -> visible.bind(h.createQuery(sql))
                .bind("id", asset.id()).bindArray("versions", Integer.class, versions.toArray(Integer[]::new))
                .bind("max", depth).bind("cap", cap + 1)
                .map((rs, ctx) -> new LineageTree.Edge(
                        new LineageTree.Key(rs.getObject("from_id", UUID.class), rs.getInt("from_version")),
                        new LineageTree.Target(new LineageTree.Key(rs.getObject("to_id", UUID.class), rs.getInt("to_version")),
                                rs.getString("name"), rs.getString("kind"), rs.getString("project")),
                        rs.getBoolean("deeper")))
                .list());
        boolean truncated = edges.size() > cap;
        List<LineageTree.Target> roots = versions.stream().map(v -> new LineageTree.Target(
                new LineageTree.Key(asset.id(), v), asset.name(), asset.kind(), asset.project())).toList();
        return LineageTree.build(roots, truncated ? edges.subList(0, cap) : edges, depth, truncated);
    }

    /** The names of those of {@code ids} that are visible and not deleted. */
    Map<UUID, String> names(Collection<UUID> ids, Visibility visible) {
        if (ids.isEmpty()) return Map.of();
        Map<UUID, String> names = new HashMap<>();
        jdbi.useHandle(h -> visible.bind(h.createQuery("select a.id, a.name from asset a where a.id = any(:ids) and "
                        + live(visible)))
                .bindArray("ids", UUID.class, ids.toArray(UUID[]::new))
                .map((rs, ctx) -> Map.entry(rs.getObject("id", UUID.class), rs.getString("name")))
                .forEach(e -> names.put(e.getKey(), e.getValue())));
        return names;
    }

    private static String live(Visibility visible) {
        return visible.sql("a.project") + " and a.deleted_at is null";
    }
}
