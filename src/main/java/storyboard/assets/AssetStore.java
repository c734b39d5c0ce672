package storyboard.assets;

import storyboard.kernel.Changes;
import storyboard.kernel.Change;
import com.fasterxml.jackson.databind.util.RawValue;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import storyboard.api.ApiException;
import storyboard.kernel.Actor;
import storyboard.auth.AuditLog;

/** The asset registry's SQL: assets, their immutable numbered versions, and the lineage between versions. */
public final class AssetStore {
    static final Set<String> KINDS = Set.of("image", "thumbnail", "audio", "video", "model", "lora", "controlnet",
            "reference", "document", "other");

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
    record NewVersion(AssetBlobs.Blob blob, String declaredMediaType, MediaProbe.Facts facts, String author,
                      UUID promptLogId, String promptName, Integer promptVersion, String model, Long seed,
                      String jobId, List<Ref> parents) {}

    /** One version of one asset. */
    record Ref(UUID assetId, int version) {}

    /** Who sees what: the projects a restricted credential may see (empty: all), and whether deleted ones show. */
    record Visibility(Set<String> projects, boolean includeDeleted) {
        static Visibility of(Set<String> projects) {
            return new Visibility(projects, false);
        }

        String condition(String alias, Map<String, Object> b) {
            StringBuilder sql = new StringBuilder(includeDeleted ? "true" : alias + ".deleted_at is null");
            if (!projects.isEmpty()) {
                List<String> names = new ArrayList<>();
                int i = 0;
                for (String p : projects.stream().sorted().toList()) {
                    String n = "visible_" + alias + "_" + i++;
                    names.add(":" + n);
                    b.put(n, p);
                }
                sql.append(" and ").append(alias).append(".project in (").append(String.join(", ", names)).append(")");
            }
            return sql.toString();
        }
    }

    // ---- changes ----

    Map<String, Object> create(Actor actor, NewAsset a, NewVersion v, Visibility visible) {
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
            Map<String, Object> payload = new LinkedHashMap<>();
            payload.put("name", a.name());
            payload.put("kind", a.kind());
            payload.put("version", 1);
            payload.put("sha256", v.blob().sha256());
            payload.put("size", v.blob().size());
            Changes.publish(h, actor, Change.of("asset.created", "asset", id.toString(), a.project(), payload));
            return read(h, id, new Visibility(Set.of(), true)).orElseThrow();
        });
    }

    Optional<Map<String, Object>> addVersion(Actor actor, UUID id, NewVersion v, Visibility visible) {
        return jdbi.inTransaction(h -> {
            Map<String, Object> b = new LinkedHashMap<>();
            // The row lock serialises new versions of one asset: numbers never collide.
            Optional<Map<String, Object>> row = h.createQuery("select a.name, a.project from asset a where a.id = :id and "
                            + visible.condition("a", b) + " for update")
                    .bind("id", id).bindMap(b).mapToMap().findOne();
            if (row.isEmpty()) return Optional.<Map<String, Object>>empty();
            checkParents(h, v.parents(), visible);
            int next = h.createQuery("select coalesce(max(version), 0) + 1 from asset_version where asset_id = :id")
                    .bind("id", id).mapTo(Integer.class).one();
            insertVersion(h, id, next, v, actor);
            h.createUpdate("update asset set updated_at = now() where id = :id").bind("id", id).execute();
            Map<String, Object> payload = new LinkedHashMap<>();
            payload.put("name", row.get().get("name"));
            payload.put("version", next);
            payload.put("sha256", v.blob().sha256());
            payload.put("size", v.blob().size());
            Changes.publish(h, actor, Change.of("asset.version_created", "asset", id.toString(), (String) row.get().get("project"), payload));
            return read(h, id, new Visibility(Set.of(), true));
        });
    }

    /** Changes to an asset's identity and classification; absent fields stay. */
    record Edits(Optional<String> name, Optional<String> kind, Optional<Optional<String>> scene,
                   Optional<Optional<String>> shot, Optional<Optional<String>> panel, Optional<List<String>> tags,
                   Optional<String> metadataJson) {
        List<String> fields() {
            List<String> f = new ArrayList<>();
            name.ifPresent(x -> f.add("name"));
            kind.ifPresent(x -> f.add("kind"));
            scene.ifPresent(x -> f.add("scene"));
            shot.ifPresent(x -> f.add("shot"));
            panel.ifPresent(x -> f.add("panel"));
            tags.ifPresent(x -> f.add("tags"));
            metadataJson.ifPresent(x -> f.add("metadata"));
            return f;
        }
    }

    Optional<Map<String, Object>> update(Actor actor, UUID id, Edits c, Visibility visible) {
        return jdbi.inTransaction(h -> {
            Map<String, Object> b = new LinkedHashMap<>();
            List<String> sets = new ArrayList<>();
            c.name().ifPresent(v -> { sets.add("name = :name"); b.put("name", v); });
            c.kind().ifPresent(v -> { sets.add("kind = :kind"); b.put("kind", v); });
            c.scene().ifPresent(v -> { sets.add("scene = :scene"); b.put("scene", v.orElse(null)); });
            c.shot().ifPresent(v -> { sets.add("shot = :shot"); b.put("shot", v.orElse(null)); });
            c.panel().ifPresent(v -> { sets.add("panel = :panel"); b.put("panel", v.orElse(null)); });
            c.metadataJson().ifPresent(v -> { sets.add("metadata = cast(:metadata as jsonb)"); b.put("metadata", v); });
            if (c.tags().isPresent()) sets.add("tags = :tags");
            sets.add("updated_at = now()");
            var update = h.createQuery("update asset a set " + String.join(", ", sets) + " where a.id = :id and "
                    + visible.condition("a", b) + " returning a.name, a.project").bind("id", id).bindMap(b);
            c.tags().ifPresent(t -> update.bindArray("tags", String.class, t.toArray(String[]::new)));
            Optional<Map<String, Object>> row = update.mapToMap().findOne();
            if (row.isEmpty()) return Optional.<Map<String, Object>>empty();
            Changes.publish(h, actor, Change.of("asset.updated", "asset", id.toString(), (String) row.get().get("project"), Map.of("name", row.get().get("name"), "changed", c.fields())));
            return read(h, id, new Visibility(Set.of(), true));
        });
    }

    /** Soft delete: hidden, restorable for the grace period. Audited. */
    boolean delete(Actor actor, UUID id, Visibility visible) {
        return jdbi.inTransaction(h -> {
            Map<String, Object> b = new LinkedHashMap<>();
            Optional<Map<String, Object>> row = h.createQuery("update asset a set deleted_at = now(), deleted_by = :by"
                            + " where a.id = :id and " + visible.condition("a", b) + " returning a.name, a.project, a.kind")
                    .bind("id", id).bind("by", actor.describe()).bindMap(b).mapToMap().findOne();
            row.ifPresent(r -> {
                Map<String, Object> details = new LinkedHashMap<>(r);
                details.put("restorable_days", restoreDays);
                Changes.record(h, actor, Change.of("asset.deleted", "asset", id.toString(), (String) r.get("project"), details));
            });
            return row.isPresent();
        });
    }

    /** Restores a soft-deleted asset within the grace period: empty when not found (or not deleted). */
    Optional<Map<String, Object>> restore(Actor actor, UUID id, Set<String> projects) {
        return jdbi.inTransaction(h -> {
            Map<String, Object> b = new LinkedHashMap<>();
            String visible = new Visibility(projects, true).condition("a", b);
            Optional<Map<String, Object>> row = h.createQuery("select a.name, a.project, a.deleted_at >= now() - make_interval(days => :days)"
                            + " as within from asset a where a.id = :id and a.deleted_at is not null and " + visible + " for update")
                    .bind("id", id).bind("days", restoreDays).bindMap(b).mapToMap().findOne();
            if (row.isEmpty()) return Optional.<Map<String, Object>>empty();
            if (!Boolean.TRUE.equals(row.get().get("within"))) {
                throw new ApiException(410, "restore_period_over", "this asset was deleted more than " + restoreDays
                        + " days ago (ASSET_RESTORE_DAYS) and can no longer be restored");
            }
            h.createUpdate("update asset set deleted_at = null, deleted_by = null, updated_at = now() where id = :id")
                    .bind("id", id).execute();
            Changes.record(h, actor, Change.of("asset.restored", "asset", id.toString(), (String) row.get().get("project"),
                    Map.of("name", row.get().get("name"), "project", String.valueOf(row.get().get("project")))));
            return read(h, id, new Visibility(Set.of(), true));
        });
    }

    /** An asset removed for good. */
    public record Purged(UUID id, String name, String project) {}

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
            if (dryRun || expired.isEmpty()) return expired;
            for (Purged p : expired) {
                h.createUpdate("delete from asset where id = :id").bind("id", p.id()).execute();
                Map<String, Object> details = new LinkedHashMap<>();
                details.put("name", p.name());
                details.put("project", p.project());
                Changes.record(h, actor, Change.of("asset.purged", "asset", p.id().toString(), p.project(), details));
            }
            return expired;
        });
    }

    /** Whether a deleted asset of this id exists and is visible (to tell "deleted" from "never existed"). */
    boolean isDeleted(UUID id, Set<String> projects) {
        Map<String, Object> b = new LinkedHashMap<>();
        String visible = new Visibility(projects, true).condition("a", b);
        return jdbi.withHandle(h -> h.createQuery("select count(*) from asset a where a.id = :id and a.deleted_at is not null and "
                + visible).bind("id", id).bindMap(b).mapTo(Integer.class).one() > 0);
    }

    private static void checkParents(Handle h, List<Ref> parents, Visibility visible) {
        for (int i = 0; i < parents.size(); i++) {
            Ref p = parents.get(i);
            Map<String, Object> b = new LinkedHashMap<>();
            boolean ok = h.createQuery("select count(*) from asset_version v join asset a on a.id = v.asset_id"
                            + " where v.asset_id = :id and v.version = :v and " + Visibility.of(visible.projects()).condition("a", b))
                    .bind("id", p.assetId()).bind("v", p.version()).bindMap(b).mapTo(Integer.class).one() > 0;
            if (!ok) {
                throw new ApiException(422, "unknown_parent", "parents[" + i + "]: asset " + p.assetId() + " has no version "
                        + p.version() + " (or it is deleted or not visible to this credential)", "parents");
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
        for (Ref p : new java.util.LinkedHashSet<>(v.parents())) {
            h.createUpdate("insert into asset_version_parent (asset_id, version, parent_asset_id, parent_version)"
                            + " values (:id, :version, :pid, :pv)")
                    .bind("id", id).bind("version", version).bind("pid", p.assetId()).bind("pv", p.version()).execute();
        }
    }

    // ---- reads ----

    Optional<Map<String, Object>> get(UUID id, Visibility visible) {
        return jdbi.withHandle(h -> read(h, id, visible));
    }

    private static Optional<Map<String, Object>> read(Handle h, UUID id, Visibility visible) {
        Map<String, Object> b = new LinkedHashMap<>();
        Optional<Map<String, Object>> asset = h.createQuery("select a.* from asset a where a.id = :id and " + visible.condition("a", b))
                .bind("id", id).bindMap(b).map((rs, ctx) -> assetRecord(rs)).findOne();
        if (asset.isEmpty()) return asset;
        Map<Integer, List<Map<String, Object>>> parents = new LinkedHashMap<>();
        h.createQuery("select version, parent_asset_id, parent_version from asset_version_parent where asset_id = :id"
                        + " order by version, parent_asset_id, parent_version")
                .bind("id", id).map((rs, ctx) -> {
                    Map<String, Object> p = new LinkedHashMap<>();
                    p.put("asset_id", rs.getObject(2, UUID.class));
                    p.put("version", rs.getInt(3));
                    parents.computeIfAbsent(rs.getInt(1), k -> new ArrayList<>()).add(p);
                    return p;
                }).list();
        List<Map<String, Object>> versions = h.createQuery("select * from asset_version where asset_id = :id order by version desc")
                .bind("id", id).map((rs, ctx) -> versionRecord(rs, "")).list();
        for (Map<String, Object> v : versions) v.put("parents", parents.getOrDefault((Integer) v.get("version"), List.of()));
        Map<String, Object> m = asset.get();
        m.put("latest_version", versions.isEmpty() ? null : versions.get(0).get("version"));
        m.put("versions", versions);
        return Optional.of(m);
    }

    /** List filters; every present one must match. */
    record Filter(Optional<String> kind, Optional<String> project, Optional<String> scene, Optional<String> shot,
                  Optional<String> panel, Optional<String> tag, Optional<String> name, Optional<String> q,
                  Optional<String> sha256, Optional<String> md5) {}

    record Page(List<Map<String, Object>> items, String nextCursor) {}

    Page list(Filter f, Visibility visible, int limit, Optional<String> cursor) {
        Map<String, Object> b = new LinkedHashMap<>();
        List<String> where = new ArrayList<>();
        where.add(visible.condition("a", b));
        f.kind().ifPresent(v -> { where.add("a.kind = :kind"); b.put("kind", v); });
        f.project().ifPresent(v -> { where.add("a.project = :project"); b.put("project", v); });
        f.scene().ifPresent(v -> { where.add("a.scene = :scene"); b.put("scene", v); });
        f.shot().ifPresent(v -> { where.add("a.shot = :shot"); b.put("shot", v); });
        f.panel().ifPresent(v -> { where.add("a.panel = :panel"); b.put("panel", v); });
        f.name().ifPresent(v -> { where.add("a.name = :name"); b.put("name", v); });
        f.sha256().ifPresent(v -> {
            where.add("exists (select 1 from asset_version x where x.asset_id = a.id and x.blob_sha256 = :sha256)");
            b.put("sha256", v);
        });
        f.md5().ifPresent(v -> {
            where.add("exists (select 1 from asset_version x where x.asset_id = a.id and x.md5 = :md5)");
            b.put("md5", v);
        });
        boolean tag = f.tag().isPresent();
        // With q, the best matches come first (AssetSearch.rank), newest first within each rank.
        Optional<AssetSearch> search = f.q().map(AssetSearch::of);
        String rank = search.map(s -> s.rank("a", b)).orElse(null);
        search.ifPresent(s -> where.add(s.condition("a", b)));
        Optional<Cursor> after = cursor.map(Cursor::decode);
        after.ifPresent(c -> {
            if ((c.rank() == null) != (rank == null)) {
                throw ApiException.badRequest("invalid_parameter", "'cursor' is from a listing " + (rank == null
                        ? "with" : "without") + " 'q': page with the same parameters as the first page", "cursor");
            }
            b.put("cursor_at", OffsetDateTime.ofInstant(c.at(), ZoneOffset.UTC));
            b.put("cursor_id", c.id());
            if (rank == null) {
                where.add("(a.updated_at, a.id) < (:cursor_at, :cursor_id)");
            } else {
                where.add("(" + rank + " > :cursor_rank or " + rank + " = :cursor_rank"
                        + " and (a.updated_at, a.id) < (:cursor_at, :cursor_id))");
                b.put("cursor_rank", c.rank());
            }
        });
        if (tag) where.add("a.tags @> cast(:tag as text[])");
        String sql = "select a.*, " + (rank == null ? "cast(null as integer)" : rank) + " as search_rank,"
                + " v.version as v_version, v.blob_sha256 as v_blob_sha256, v.size as v_size, v.md5 as v_md5,"
                + " v.media_type as v_media_type, v.declared_media_type as v_declared_media_type, v.width as v_width,"
                + " v.height as v_height, v.duration_ms as v_duration_ms, v.thumbnail_sha256 as v_thumbnail_sha256,"
                + " v.author as v_author, v.created_at as v_created_at, v.prompt_log_id as v_prompt_log_id,"
                + " v.prompt_name as v_prompt_name, v.prompt_version as v_prompt_version, v.model as v_model,"
                + " v.seed as v_seed, v.job_id as v_job_id"
                + " from asset a join lateral (select * from asset_version x where x.asset_id = a.id order by x.version desc"
                + " limit 1) v on true where " + String.join(" and ", where)
                + " order by " + (rank == null ? "" : "search_rank, ") + "a.updated_at desc, a.id desc limit :limit";
        List<Object[]> rows = jdbi.withHandle(h -> {
            var q = h.createQuery(sql).bindMap(b).bind("limit", limit + 1);
            f.tag().ifPresent(t -> q.bindArray("tag", String.class, new String[] {t}));
            return q.map((rs, ctx) -> {
                Map<String, Object> m = assetRecord(rs);
                Map<String, Object> latest = versionRecord(rs, "v_");
                m.put("latest_version", latest.get("version"));
                m.put("latest", latest);
                return new Object[] {m, rs.getObject("updated_at", OffsetDateTime.class).toInstant(), rs.getObject("id", UUID.class),
                        rs.getObject("search_rank", Integer.class)};
            }).list();
        });
        String next = null;
        if (rows.size() > limit) {
            Object[] last = rows.get(limit - 1);
            next = new Cursor((Integer) last[3], (Instant) last[1], (UUID) last[2]).encode();
            rows = rows.subList(0, limit);
        }
        List<Map<String, Object>> items = new ArrayList<>();
        for (Object[] r : rows) {
            @SuppressWarnings("unchecked")
            Map<String, Object> m = (Map<String, Object>) r[0];
            items.add(m);
        }
        return new Page(items, next);
    }

    /** A version of a visible asset: the latest when {@code version} is null. */
    Optional<Map<String, Object>> version(UUID id, Integer version, Visibility visible) {
        Map<String, Object> b = new LinkedHashMap<>();
        if (version != null) b.put("version", version);
        return jdbi.withHandle(h -> h.createQuery("select v.* from asset_version v join asset a on a.id = v.asset_id"
                        + " where v.asset_id = :id and " + visible.condition("a", b)
                        + (version == null ? " order by v.version desc limit 1" : " and v.version = :version"))
                .bind("id", id).bindMap(b).map((rs, ctx) -> versionRecord(rs, "")).findOne());
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
    List<Map<String, Object>> lineage(UUID id, List<Integer> versions, boolean up, int maxDepth, Visibility visible) {
        Map<String, Object> b = new LinkedHashMap<>();
        String seen = Visibility.of(visible.projects()).condition("a", b);
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
        return jdbi.withHandle(h -> h.createQuery(sql).bind("id", id)
                .bindArray("versions", Integer.class, versions.toArray(Integer[]::new)).bind("max", maxDepth).bindMap(b)
                .map((rs, ctx) -> {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("asset_id", rs.getObject("asset_id", UUID.class));
                    m.put("version", rs.getInt("version"));
                    m.put("name", rs.getString("name"));
                    m.put("kind", rs.getString("kind"));
                    m.put("project", rs.getString("project"));
                    m.put("depth", rs.getInt("depth"));
                    return m;
                }).list());
    }

    /** The version numbers of an asset, newest first. */
    List<Integer> versionNumbers(UUID id) {
        return jdbi.withHandle(h -> h.createQuery("select version from asset_version where asset_id = :id order by version desc")
                .bind("id", id).mapTo(Integer.class).list());
    }

    // ---- records ----

    private static Map<String, Object> assetRecord(ResultSet rs) throws SQLException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", rs.getObject("id", UUID.class));
        m.put("name", rs.getString("name"));
        m.put("kind", rs.getString("kind"));
        m.put("project", rs.getString("project"));
        m.put("scene", rs.getString("scene"));
        m.put("shot", rs.getString("shot"));
        m.put("panel", rs.getString("panel"));
        java.sql.Array tags = rs.getArray("tags");
        m.put("tags", tags == null ? List.of() : List.of((String[]) tags.getArray()));
        m.put("metadata", new RawValue(rs.getString("metadata")));
        m.put("created_at", time(rs, "created_at"));
        m.put("created_by", rs.getString("created_by"));
        m.put("updated_at", time(rs, "updated_at"));
        Instant deleted = time(rs, "deleted_at");
        if (deleted != null) {
            m.put("deleted_at", deleted);
            m.put("deleted_by", rs.getString("deleted_by"));
        }
        return m;
    }

    private static Map<String, Object> versionRecord(ResultSet rs, String prefix) throws SQLException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("version", rs.getInt(prefix + "version"));
        m.put("sha256", rs.getString(prefix + "blob_sha256"));
        m.put("size", rs.getLong(prefix + "size"));
        m.put("md5", rs.getString(prefix + "md5"));
        m.put("media_type", rs.getString(prefix + "media_type"));
        m.put("declared_media_type", rs.getString(prefix + "declared_media_type"));
        m.put("width", rs.getObject(prefix + "width"));
        m.put("height", rs.getObject(prefix + "height"));
        m.put("duration_ms", rs.getObject(prefix + "duration_ms"));
        m.put("thumbnail_sha256", rs.getString(prefix + "thumbnail_sha256"));
        m.put("author", rs.getString(prefix + "author"));
        m.put("created_at", time(rs, prefix + "created_at"));
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("prompt_log_id", rs.getObject(prefix + "prompt_log_id", UUID.class));
        p.put("prompt_name", rs.getString(prefix + "prompt_name"));
        p.put("prompt_version", rs.getObject(prefix + "prompt_version"));
        p.put("model", rs.getString(prefix + "model"));
        p.put("seed", rs.getObject(prefix + "seed"));
        p.put("job_id", rs.getString(prefix + "job_id"));
        m.put("provenance", p);
        return m;
    }

    private static Instant time(ResultSet rs, String column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant().truncatedTo(ChronoUnit.MICROS);
    }

    /** Position after which the next page starts (with q, in its rank); opaque to clients. */
    record Cursor(Integer rank, Instant at, UUID id) {
        String encode() {
            long micros = ChronoUnit.MICROS.between(Instant.EPOCH, at);
            String text = rank == null ? "a1:" + micros + ":" + id : "a2:" + rank + ":" + micros + ":" + id;
            return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.US_ASCII));
        }

        /** Times a cursor may hold: those the database can compare with (and far beyond any asset's). */
        private static final long MAX_MICROS = Instant.parse("9999-12-31T23:59:59Z").getEpochSecond() * 1_000_000L;

        static Cursor decode(String s) {
            try {
                String[] p = new String(Base64.getUrlDecoder().decode(s), StandardCharsets.US_ASCII).split(":");
                if (p.length == 3 && p[0].equals("a1")) return new Cursor(null, time(p[1]), UUID.fromString(p[2]));
                if (p.length == 4 && p[0].equals("a2")) {
                    int rank = Integer.parseInt(p[1]);
                    if (rank < 0 || rank > 2) throw new IllegalArgumentException();
                    return new Cursor(rank, time(p[2]), UUID.fromString(p[3]));
                }
                throw new IllegalArgumentException();
            } catch (IllegalArgumentException e) {
                throw ApiException.badRequest("invalid_parameter", "'cursor' is not a cursor this server issued", "cursor");
            }
        }

        private static Instant time(String micros) {
            long m = Long.parseLong(micros);
            if (m < -MAX_MICROS || m > MAX_MICROS) throw new IllegalArgumentException("out of range");
            return Instant.EPOCH.plus(m, ChronoUnit.MICROS);
        }
    }
}
