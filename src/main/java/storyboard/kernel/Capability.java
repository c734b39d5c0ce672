package storyboard.kernel;

import java.util.List;

/**
 * A part of the server (prompt history, assets, events, ...) as the app sees it: the routes it answers, what it
 * runs in the background, and which of its columns keep a blob alive. The app lists capabilities and knows nothing
 * else of them; a capability never reaches into another's internals.
 */
public interface Capability extends AutoCloseable {
    /** A short name for logs ("assets"). */
    String name();

    /** Registers its HTTP routes (each must have its rule in {@link RouteAccess}). */
    void routes(Api api);

    /** The columns of its tables that hold a blob's SHA-256: a blob they name is never collected. */
    default List<BlobReference> blobReferences() {
        return List.of();
    }

    /** Its pages in the dashboard's navigation; a link shows only to a credential that may open its page. */
    default List<NavLink> nav() {
        return List.of();
    }

    /** Its panels on the dashboard's overview; a panel shows only to a credential that may open its fragment. */
    default List<Panel> overviewPanels() {
        return List.of();
    }

    /**
     * Removes for good what it deleted (softly) longer ago than its restore period, each with its audit row and
     * event; the {@code gc} command calls it before collecting blobs, which are then unreferenced. With
     * {@code dryRun}, only lists them.
     */
    default List<Purged> purgeDeleted(Actor actor, boolean dryRun) {
        return List.of();
    }

    /** Starts its background work, once the server is ready to answer. */
    default void start() {}

    /** Stops its background work, losing nothing it acknowledged (called before HTTP stops). */
    @Override
    default void close() {}

    /** A link of the dashboard's navigation: the label and the path of a page route, placed by {@code order}. */
    record NavLink(String label, String path, int order) {}

    /**
     * A panel of the overview: its title and the path of the page route that answers its HTML fragment, placed by
     * {@code order}.
     */
    record Panel(String title, String path, int order) {}

    /** Something purged for good: its kind ("asset", "project"), id, name and project (or null). */
    record Purged(String kind, String id, String name, String project) {}

    /** A table and a column of it that holds a blob's SHA-256. */
    record BlobReference(String table, String column) {}
}
