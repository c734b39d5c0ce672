package storyboard.assets;

import static storyboard.assets.AssetRows.ASSET;
import static storyboard.assets.AssetRows.SUBJECT;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import storyboard.kernel.Actor;
import storyboard.kernel.Change;
import storyboard.kernel.Changes;
import storyboard.kernel.Cursor;
import storyboard.kernel.DomainException;
import storyboard.kernel.Page;
import storyboard.kernel.Visibility;

/**
 * The asset registry's SQL: assets, their immutable numbered versions, and the lineage between versions. Every
 * query sees only what its {@link Visibility} allows; deleted assets only where the caller asks for them.
 */
public final class AssetStore {
    static final Set<String> KINDS = Set.of("image", "thumbnail", "audio", "video", "model", "lora", "controlnet",
            "reference", "document", "other");
    /** The listing newest first, and the ranked listing of a search ({@code q}): a cursor of one cannot page the other. */
    static final String LISTING = "assets";
    static final String SEARCH_LISTING = "assets.search";

    private final Jdbi jdbi;
    private final int restoreDays;

    public AssetStore(Jdbi jdbi, int restoreDays) {
        this.jdbi = jdbi;
        this.restoreDays = restoreDays;
    }

    /** What identifies and classifies a new asset. {@code metadataJson} is a JSON object's text. */
    record NewAsset(String name, String kind, String project, String scene, String shot, String panel,
                    List<String> tags, String metadataJson) {}

    /** A version to add: the blob it points at, what was read from it, and what made it. */
    record NewVersion(BlobIndex.Blob blob, String declaredMediaType, MediaProbe.Facts facts, String author,
                      UUID promptLogId, String promptName, Integer promptVersion, String model, Long seed,
                      String jobId, List<Asset.Ref> parents) {}

    /** Changes to an asset's identity and classification; absent fields stay. */
    record Edits(Optional<String> name, Optional<String> kind, Optional<Optional<String>> scene,
                 Optional<Optional<String>> shot, Optional<Optional<String>> panel, Optional<List<String>> tags,
                 Optional<String> metadataJson) {
        /** The columns to set and their values (null clears), in the order the API names them. */
        Map<String, Object> columns() {
            Map<String, Object> c = new LinkedHashMap<>();
            name.ifPresent(v -> c.put("name", v));
            kind.ifPresent(v -> c.put("kind", v));
            scene.ifPresent(v -> c.put("scene", v.orElse(null)));
            shot.ifPresent(v -> c.put("shot", v.orElse(null)));
            panel.ifPresent(v -> c.put("panel", v.orElse(null)));
            tags.ifPresent(v -> c.put("tags", v.toArray(String[]::new)));
            metadataJson.ifPresent(v -> c.put("metadata", v));
            return c;
        }

        List<String> fields() {
            return List.copyOf(columns().keySet());
        }
    }

    /** List filters; every present one must match. */
    record Filter(Optional<String> kind, Optional<String> project, Optional<String> scene, Optional<String> shot,
                  Optional<String> panel, Optional<String> tag, Optional<String> name, Optional<String> q,
                  Optional<String> sha256, Optional<String> md5) {
        /** The conditions on an asset {@code a} of the filters given (but q), their values put in {@code b}. */
        List<String> conditions(Map<String, Object> b) {
            List<String> where = new ArrayList<>();
            // Sorted, so that the same filters always make the same SQL text.
            Map<String, Optional<String>> equal = new TreeMap<>(Map.of("kind", kind, "project", project, "scene", scene,
                    "shot", shot, "panel", panel, "name", name));
            equal.forEach((column, value) -> value.ifPresent(v -> {
                where.add("a." + column + " = :" + column);
                b.put(column, v);
            }));
            // Any version of it holds these bytes.
            Map<String, Optional<String>> held = new TreeMap<>(Map.of("blob_sha256", sha256, "md5", md5));
            held.forEach((column, value) -> value.ifPresent(v -> {
                where.add("exists (select 1 from asset_version x where x.asset_id = a.id and x." + column + " = :" + column + ")");
                b.put(column, v);
            }));
            tag.ifPresent(v -> where.add("a.tags @> cast(:tag as text[])"));
            return where;
        }
    }

    /** An asset removed for good. */
    public record Purged(UUID id, String name, String project) {}

    // ---- changes ----

    Asset create(Actor actor, NewAsset a, NewVersion v, Visibility visible) {
        UUID id = UUID.randomUUID();
        return jdbi.inTransaction(h -> {
            checkParents(h, v.parents(), visible);
            h.createUpdate("""
                            insert into asset (id, name, kind, project, scene, shot, panel, tags, metadata, created_by)
                            values (:id, :name, :kind, :project, :scene, :shot, :panel, :tags, cast(:metadata as jsonb), :by)""")
                    .bind("id", id).bind("name", a.name()).bind("kind", a.kind()).bind("project", a.project())
                    .bind("scene", a.scene()).bind("shot", a.shot()).bind("panel", a.panel())
                    .bindArray("tags", String.class, a.tags().toArray(String[]::new))
                    .bind("metadata", a.metadataJson()).bind("by", actor.describe()).execute();
            insertVersion(h, id, 1, v, actor);
            Changes.publish(h, actor, Change.of("asset.created", "asset", id.toString(), a.project(), Map.of(
                    "name", a.name(), "kind", a.kind(), "version", 1, "sha256", v.blob().sha256(), "size", v.blob().size())));
            return read(h, id).orElseThrow();
        });
    }

    Optional<Asset> addVersion(Actor actor, UUID id, NewVersion v, Visibility visible) {
        return jdbi.inTransaction(h -> {
            // The row lock serialises new versions of one asset: numbers never collide.
            Optional<AssetRows.Subject> asset = visible.bind(h.createQuery("select a.name, a.kind, a.project from asset a"
                            + " where a.id = :id and " + live(visible) + " for update"))
                    .bind("id", id).map(SUBJECT).findOne();
            if (asset.isEmpty()) return Optional.<Asset>empty();
            checkParents(h, v.parents(), visible);
            int next = h.createQuery("select coalesce(max(version), 0) + 1 from asset_version where asset_id = :id")
                    .bind("id", id).mapTo(Integer.class).one();
            insertVersion(h, id, next, v, actor);
            h.createUpdate("update asset set updated_at = now() where id = :id").bind("id", id).execute();
            Changes.publish(h, actor, Change.of("asset.version_created", "asset", id.toString(), asset.get().project(),
                    Map.of("name", asset.get().name(), "version", next, "sha256", v.blob().sha256(), "size", v.blob().size())));
            return read(h, id);
        });
    }

    Optional<Asset> update(Actor actor, UUID id, Edits edits, Visibility visible) {
        Map<String, Object> columns = edits.columns();
        String sets = columns.keySet().stream()
                .map(c -> c + " = " + (c.equals("metadata") ? "cast(:metadata as jsonb)" : ":" + c))
                .collect(Collectors.joining(", "));
        return jdbi.inTransaction(h -> {
            var update = visible.bind(h.createQuery("update asset a set " + sets + ", updated_at = now()"
                    + " where a.id = :id and " + live(visible) + " returning a.name, a.kind, a.project")).bind("id", id);
            columns.forEach((column, value) -> {
                if (value instanceof String[] array) update.bindArray(column, String.class, (Object[]) array);
                else update.bind(column, value);
            });
            Optional<AssetRows.Subject> asset = update.map(SUBJECT).findOne();
            if (asset.isEmpty()) return Optional.<Asset>empty();
            Changes.publish(h, actor, Change.of("asset.updated", "asset", id.toString(), asset.get().project(),
                    Map.of("name", asset.get().name(), "changed", edits.fields())));
            return read(h, id);
        });
    }

    /** Soft delete: hidden, restorable for the grace period. Audited. */
    boolean delete(Actor actor, UUID id, Visibility visible) {
        return jdbi.inTransaction(h -> {
            Optional<AssetRows.Subject> asset = visible.bind(h.createQuery("update asset a set deleted_at = now(),"
                            + " deleted_by = :by where a.id = :id and " + live(visible) + " returning a.name, a.kind, a.project"))
                    .bind("id", id).bind("by", actor.describe()).map(SUBJECT).findOne();
            asset.ifPresent(a -> {
                Map<String, Object> details = new LinkedHashMap<>(); // the project may be null
                details.put("name", a.name());
                details.put("project", a.project());
                details.put("kind", a.kind());
                details.put("restorable_days", restoreDays);
                Changes.record(h, actor, Change.of("asset.deleted", "asset", id.toString(), a.project(), details));
            });
            return asset.isPresent();
        });
    }

    /**
     * Restores a soft-deleted asset within the grace period: empty when not found (or not deleted); refused as
     * {@code restore_period_over} after it.
     */
    Optional<Asset> restore(Actor actor, UUID id, Visibility visible) {
        return jdbi.inTransaction(h -> {
            Optional<Map.Entry<AssetRows.Subject, Boolean>> deleted = visible.bind(h.createQuery(
                            "select a.name, a.kind, a.project, a.deleted_at >= now() - make_interval(days => :days) as within"
                                    + " from asset a where a.id = :id and a.deleted_at is not null and "
                                    + visible.sql("a.project") + " for update"))
                    .bind("id", id).bind("days", restoreDays)
                    .map((rs, ctx) -> Map.entry(SUBJECT.map(rs, ctx), rs.getBoolean("within"))).findOne();
            if (deleted.isEmpty()) return Optional.<Asset>empty();
            if (!deleted.get().getValue()) {
                throw DomainException.gone("restore_period_over", "this asset was deleted more than " + restoreDays
                        + " days ago (ASSET_RESTORE_DAYS) and can no longer be restored");
            }
            h.createUpdate("update asset set deleted_at = null, deleted_by = null, updated_at = now() where id = :id")
                    .bind("id", id).execute();
            AssetRows.Subject a = deleted.get().getKey();
            Changes.record(h, actor, Change.of("asset.restored", "asset", id.toString(), a.project(),
                    Map.of("name", a.name(), "project", String.valueOf(a.project()))));
            return read(h, id);
        });
    }

    /**
     * Removes for good the assets deleted longer ago than the restore period (with their versions; lineage edges to
     * them go too), each with its audit record and {@code asset.purged} event. Their blobs are then unreferenced,
     * for the blob gc to take. With {@code dryRun}, only lists them.
     */
    public List<Purged> purgeExpired(Actor actor, boolean dryRun) {
        return jdbi.inTransaction(h -> {
            List<Purged> expired = h.createQuery("""
                            select id, name, project from asset
                             where deleted_at is not null and deleted_at < now() - make_interval(days => :days)
                             order by deleted_at for update skip locked""")
                    .bind("days", restoreDays)
                    .map((rs, ctx) -> new Purged(rs.getObject("id", UUID.class), rs.getString("name"), rs.getString("project")))
                    .list();
            if (dryRun) return expired;
            for (Purged p : expired) {
                h.createUpdate("delete from asset where id = :id").bind("id", p.id()).execute();
                Map<String, Object> details = new LinkedHashMap<>(); // the project may be null
                details.put("name", p.name());
                details.put("project", p.project());
                Changes.record(h, actor, Change.of("asset.purged", "asset", p.id().toString(), p.project(), details));
            }
            return expired;
        });
    }

    private static void checkParents(Handle h, List<Asset.Ref> parents, Visibility visible) {
        for (int i = 0; i < parents.size(); i++) {
            Asset.Ref p = parents.get(i);
            boolean known = visible.bind(h.createQuery("select count(*) from asset_version v join asset a on a.id = v.asset_id"
                            + " where v.asset_id = :id and v.version = :v and " + live(visible)))
                    .bind("id", p.assetId()).bind("v", p.version()).mapTo(Integer.class).one() > 0;
            if (!known) {
                throw DomainException.unprocessable("unknown_parent", "parents[" + i + "]: asset " + p.assetId()
                        + " has no version " + p.version() + " (or it is deleted or not visible to this credential)", "parents");
            }
        }
    }

    private static void insertVersion(Handle h, UUID id, int version, NewVersion v, Actor actor) {
        h.createUpdate("""
                        insert into asset_version (asset_id, version, blob_sha256, size, md5, media_type, declared_media_type,
                                                   width, height, duration_ms, author, prompt_log_id, prompt_name,
                                                   prompt_version, model, seed, job_id)
                        values (:id, :version, :sha, :size, :md5, :mediaType, :declared, :width, :height, :duration, :author,
                                :promptLogId, :promptName, :promptVersion, :model, :seed, :jobId)""")
                .bind("id", id).bind("version", version).bind("sha", v.blob().sha256()).bind("size", v.blob().size())
                .bind("md5", v.blob().md5()).bind("mediaType", v.facts().mediaType()).bind("declared", v.declaredMediaType())
                .bind("width", v.facts().width()).bind("height", v.facts().height()).bind("duration", v.facts().durationMs())
                .bind("author", v.author() != null ? v.author() : actor.describe())
                .bind("promptLogId", v.promptLogId()).bind("promptName", v.promptName()).bind("promptVersion", v.promptVersion())
                .bind("model", v.model()).bind("seed", v.seed()).bind("jobId", v.jobId()).execute();
        for (Asset.Ref p : new LinkedHashSet<>(v.parents())) {
            h.createUpdate("insert into asset_version_parent (asset_id, version, parent_asset_id, parent_version)"
                            + " values (:id, :version, :pid, :pv)")
                    .bind("id", id).bind("version", version).bind("pid", p.assetId()).bind("pv", p.version()).execute();
        }
    }

    // ---- reads ----

    /** A visible asset with all its versions; a deleted one only with {@code includeDeleted}. */
    Optional<Asset> get(UUID id, Visibility visible, boolean includeDeleted) {
        return jdbi.withHandle(h -> visible.bind(h.createQuery("select a.* from asset a where a.id = :id and "
                        + (includeDeleted ? visible.sql("a.project") : live(visible))))
                .bind("id", id).map(ASSET).findOne().map(a -> withVersions(h, a)));
    }

    /** The asset as it stands after a change, in the change's transaction. */
    private static Optional<Asset> read(Handle h, UUID id) {
        return h.createQuery("select a.* from asset a where a.id = :id").bind("id", id).map(ASSET).findOne()
                .map(a -> withVersions(h, a));
    }

    private static Asset withVersions(Handle h, Asset asset) {
        Map<Integer, List<Asset.Ref>> parents = h.createQuery("select version, parent_asset_id, parent_version"
                        + " from asset_version_parent where asset_id = :id order by version, parent_asset_id, parent_version")
                .bind("id", asset.id())
                .map((rs, ctx) -> Map.entry(rs.getInt("version"), AssetRows.PARENT.map(rs, ctx)))
                .collect(Collectors.groupingBy(Map.Entry::getKey,
                        Collectors.mapping(Map.Entry::getValue, Collectors.toList())));
        List<Asset.Version> versions = h.createQuery("select * from asset_version where asset_id = :id order by version desc")
                .bind("id", asset.id()).map(AssetRows.VERSION).list();
        return asset.withVersions(versions.stream()
                .map(v -> v.withParents(parents.getOrDefault(v.version(), List.of()))).toList());
    }

    /** An asset listed with its search rank (null without q): the next page starts after the last one shown. */
    private record Listed(Asset asset, Integer rank) {
        Cursor cursor() {
            return rank == null ? Cursor.of(LISTING, asset.updatedAt(), asset.id())
                    : Cursor.of(SEARCH_LISTING, rank, asset.updatedAt(), asset.id());
        }
    }

    /**
     * A page of the visible assets that match, each with its latest version: newest first, or with q the best
     * matches first ({@link AssetSearch#rank}), newest first within each rank.
     */
    Page<Asset> list(Filter f, Visibility visible, boolean includeDeleted, int limit, Optional<String> cursor) {
        Map<String, Object> b = new LinkedHashMap<>();
        List<String> where = new ArrayList<>();
        where.add(includeDeleted ? visible.sql("a.project") : live(visible));
        where.addAll(f.conditions(b));
        Optional<AssetSearch> search = f.q().map(AssetSearch::of);
        String rank = search.map(s -> s.rank("a", b)).orElse(null);
        search.ifPresent(s -> where.add(s.condition("a", b)));
        after(cursor, rank, b).ifPresent(where::add);
        String sql = "select a.*, " + (rank == null ? "cast(null as integer)" : rank) + " as search_rank, "
                + AssetRows.versionColumns("v", "v_")
                + " from asset a join lateral (select * from asset_version x where x.asset_id = a.id order by x.version desc"
                + " limit 1) v on true where " + String.join(" and ", where)
                + " order by " + (rank == null ? "" : "search_rank, ") + "a.updated_at desc, a.id desc limit :limit";
        var latest = AssetRows.version("v_");
        List<Listed> rows = jdbi.withHandle(h -> {
            var q = visible.bind(h.createQuery(sql)).bindMap(b).bind("limit", limit + 1);
            f.tag().ifPresent(t -> q.bindArray("tag", String.class, t));
            return q.map((rs, ctx) -> new Listed(ASSET.map(rs, ctx).withLatest(latest.map(rs, ctx)),
                    rs.getObject("search_rank", Integer.class))).list();
        });
        return Page.of(rows, limit, Listed::cursor).map(Listed::asset);
    }

    /** The keyset condition of a page after the first: past the cursor's (rank,) update time and id. */
    private static Optional<String> after(Optional<String> cursor, String rank, Map<String, Object> b) {
        if (rank == null) {
            return Cursor.decode(cursor, LISTING, 2).map(c -> {
                b.put("cursor_at", c.time(0));
                b.put("cursor_id", c.uuid(1));
                return "(a.updated_at, a.id) < (:cursor_at, :cursor_id)";
            });
        }
        return Cursor.decode(cursor, SEARCH_LISTING, 3).map(c -> {
            b.put("cursor_rank", c.number(0));
            b.put("cursor_at", c.time(1));
            b.put("cursor_id", c.uuid(2));
            return "(" + rank + " > :cursor_rank or " + rank + " = :cursor_rank and (a.updated_at, a.id) < (:cursor_at, :cursor_id))";
        });
    }

    /** A version of a visible asset that is not deleted: the latest when {@code version} is null. */
    Optional<Asset.Version> version(UUID id, Integer version, Visibility visible) {
        return jdbi.withHandle(h -> {
            var q = visible.bind(h.createQuery("select v.* from asset_version v join asset a on a.id = v.asset_id"
                    + " where v.asset_id = :id and " + live(visible)
                    + (version == null ? " order by v.version desc limit 1" : " and v.version = :version"))).bind("id", id);
            if (version != null) q.bind("version", version);
            return q.map(AssetRows.VERSION).findOne();
        });
    }

    /** Records a version's thumbnail, unless one was recorded meanwhile; the one recorded wins. */
    String setThumbnail(UUID id, int version, String sha256) {
        return jdbi.withHandle(h -> {
            h.createUpdate("update asset_version set thumbnail_sha256 = :t where asset_id = :id and version = :v"
                    + " and thumbnail_sha256 is null").bind("t", sha256).bind("id", id).bind("v", version).execute();
            return h.createQuery("select thumbnail_sha256 from asset_version where asset_id = :id and version = :v")
                    .bind("id", id).bind("v", version).mapTo(String.class).one();
        });
    }

    /**
     * The ancestors ({@code up}) or descendants of an asset's versions, nearest first, at most {@code maxDepth}
     * steps away. The walk stops at assets that are deleted or not visible to the credential.
     */
    List<Lineage.Step> lineage(UUID id, List<Integer> versions, boolean up, int maxDepth, Visibility visible) {
        String seen = live(visible);
        String from = up ? "p.parent_asset_id" : "p.asset_id";
        String fromVersion = up ? "p.parent_version" : "p.version";
        String at = up ? "p.asset_id" : "p.parent_asset_id";
        String atVersion = up ? "p.version" : "p.parent_version";
        String sql = "with recursive walk(asset_id, version, depth) as ("
                + " select " + from + ", " + fromVersion + ", 1 from asset_version_parent p"
                + " where " + at + " = :id and " + atVersion + " = any(:versions)"
                + " union"
                + " select " + from + ", " + fromVersion + ", w.depth + 1 from walk w"
                + " join asset a on a.id = w.asset_id"
                + " join asset_version_parent p on " + at + " = w.asset_id and " + atVersion + " = w.version"
                + " where w.depth < :max and " + seen + ")"
                + " select w.asset_id, w.version, min(w.depth) as depth, a.name, a.kind, a.project"
                + " from walk w join asset a on a.id = w.asset_id where " + seen
                + " group by w.asset_id, w.version, a.name, a.kind, a.project"
                + " order by depth, a.name, w.asset_id, w.version";
        return jdbi.withHandle(h -> visible.bind(h.createQuery(sql)).bind("id", id)
                .bindArray("versions", Integer.class, versions.toArray(Integer[]::new)).bind("max", maxDepth)
                .map(AssetRows.STEP).list());
    }

    /** The version numbers of an asset, newest first. */
    List<Integer> versionNumbers(UUID id) {
        return jdbi.withHandle(h -> h.createQuery("select version from asset_version where asset_id = :id order by version desc")
                .bind("id", id).mapTo(Integer.class).list());
    }

    /** The condition on an asset {@code a} that it is visible and not deleted. */
    private static String live(Visibility visible) {
        return visible.sql("a.project") + " and a.deleted_at is null";
    }
}
