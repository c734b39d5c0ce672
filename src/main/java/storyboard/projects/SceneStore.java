package storyboard.projects;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import storyboard.kernel.BlobStorage;
import storyboard.kernel.Cursor;
import storyboard.kernel.DomainException;
import storyboard.kernel.Json;
import storyboard.kernel.Page;
import storyboard.kernel.Visibility;
import storyboard.projects.RevisionFiles.Target;
import storyboard.projects.SceneViews.CastMember;
import storyboard.projects.SceneViews.PanelDetail;
import storyboard.projects.SceneViews.PanelView;
import storyboard.projects.SceneViews.ProjectRef;
import storyboard.projects.SceneViews.SceneRef;
import storyboard.projects.SceneViews.SceneSummary;
import storyboard.projects.SceneViews.ShotDetail;
import storyboard.projects.SceneViews.ShotHit;
import storyboard.projects.SceneViews.ShotView;

/**
 * Reads a revision as scenes → shots → panels: lists from the {@code project_shot} rows of its scene files, one shot
 * in full and the diff between two revisions from the scene files themselves; and the search of shots across the
 * latest revisions of the projects a credential sees.
 */
final class SceneStore {
    static final String SEARCH_LISTING = "shots";
    /** A line of dialogue is short: whole up to 35 words, else the part around the words found. */
    private static final String SNIPPET_OPTIONS = "StartSel=**, StopSel=**, MaxWords=35, MinWords=15";

    private final Jdbi jdbi;
    private final BlobStorage blobs;

    SceneStore(Jdbi jdbi, BlobStorage blobs) {
        this.jdbi = jdbi;
        this.blobs = blobs;
    }

    // ---- scenes and shots of a revision ----

    /** The revision's scenes in order of number, each with its counts and the time it spans. */
    SceneViews.SceneList scenes(UUID project, Optional<Integer> revision, Visibility visible) {
        return jdbi.withHandle(h -> {
            Target t = RevisionFiles.resolve(h, project, revision, visible);
            Map<String, String> files = RevisionFiles.scenes(h, t);
            Map<String, SceneSummary> indexed = new HashMap<>();
            h.createQuery("""
                            select pf.path, pf.sha256, count(*) as shots, sum(ps.panel_count) as panels,
                                   min(ps.start_time) as start_time, max(ps.end_time) as end_time,
                                   min(ps.scene_key) as scene_key, min(ps.scene_number) as scene_number,
                                   min(ps.scene_name) as scene_name
                              from project_file pf
                              join project_shot ps on ps.scene_sha256 = pf.sha256 and ps.scene_path = pf.path
                             where pf.project_id = :id and pf.revision = :revision and pf.path like 'scenes/%'
                             group by pf.path, pf.sha256""")
                    .bind("id", t.project()).bind("revision", t.revision())
                    .map((rs, ctx) -> new SceneSummary(rs.getString("scene_key"), rs.getInt("scene_number"),
                            rs.getString("scene_name"), rs.getString("path"), rs.getString("sha256"), rs.getInt("shots"),
                            rs.getInt("panels"), rs.getLong("start_time"), rs.getLong("end_time")))
                    .forEach(s -> indexed.put(s.path(), s));
            List<SceneSummary> scenes = new ArrayList<>();
            for (var f : files.entrySet()) {
                SceneSummary s = indexed.get(f.getKey());
                scenes.add(s != null ? s : summary(index(h, f.getKey(), f.getValue()), f.getValue()));
            }
            scenes.sort(Comparator.comparingInt(SceneSummary::number).thenComparing(SceneSummary::key));
            return new SceneViews.SceneList(ref(t), t.revision(), scenes);
        });
    }

    private static SceneSummary summary(Storyboard.Scene s, String sha256) {
        int panels = 0;
        long start = 0, end = 0;
        for (int i = 0; i < s.shots().size(); i++) {
            Storyboard.Shot shot = s.shots().get(i);
            panels += shot.panels().size();
            start = i == 0 ? shot.startTime() : Math.min(start, shot.startTime());
            end = i == 0 ? shot.endTime() : Math.max(end, shot.endTime());
        }
        return new SceneSummary(s.key(), s.number(), s.name(), s.path(), sha256, s.shots().size(), panels, start, end);
    }

    /** The shots of one scene ({@code key}: its file name without {@code .json}), in order, with their panels. */
    SceneViews.ShotList shots(UUID project, String key, Optional<Integer> revision, Visibility visible) {
        return jdbi.withHandle(h -> {
            Target t = RevisionFiles.resolve(h, project, revision, visible);
            String path = "scenes/" + key + ".json";
            String sha256 = Storyboard.isScene(path) ? h.createQuery("select sha256 from project_file"
                            + " where project_id = :id and revision = :revision and path = :path")
                    .bind("id", t.project()).bind("revision", t.revision()).bind("path", path)
                    .mapTo(String.class).findOne().orElse(null) : null;
            if (sha256 == null) {
                throw new DomainException(DomainException.Kind.NOT_FOUND, "not_found",
                        "revision " + t.revision() + " has no scene " + key, "scene");
            }
            List<Row> rows = rows(h, sha256, path);
            if (rows.isEmpty()) {
                Storyboard.Scene parsed = index(h, path, sha256);
                if (!parsed.shots().isEmpty()) rows = rows(h, sha256, path);
                if (rows.isEmpty()) {
                    return new SceneViews.ShotList(ref(t), t.revision(),
                            new SceneRef(parsed.key(), parsed.number(), parsed.name(), path), List.of());
                }
            }
            Set<String> thumbnails = new LinkedHashSet<>();
            for (Row r : rows) {
                for (JsonNode p : r.panels()) {
                    if (p.hasNonNull("thumbnail")) thumbnails.add(p.get("thumbnail").asText());
                }
            }
            Set<String> present = RevisionFiles.present(h, t, thumbnails);
            Row first = rows.get(0);
            return new SceneViews.ShotList(ref(t), t.revision(),
                    new SceneRef(first.sceneKey(), first.sceneNumber(), first.sceneName(), path),
                    rows.stream().map(r -> r.view(t, present)).toList());
        });
    }

    /** One shot's row of {@code project_shot}. */
    private record Row(String sceneKey, int sceneNumber, String sceneName, int index, String uuid, String name,
                       String description, String type, long startTime, long endTime, JsonNode camera,
                       List<String> characters, String dialogue, JsonNode panels) {
        ShotView view(Target t, Set<String> present) {
            List<PanelView> out = new ArrayList<>();
            for (int i = 0; i < panels.size(); i++) {
                JsonNode p = panels.get(i);
                String thumbnail = text(p, "thumbnail");
                out.add(new PanelView(text(p, "uuid"), i, text(p, "name"), text(p, "description"),
                        p.path("startTime").asLong(), p.path("duration").asLong(), thumbnail,
                        thumbnail != null && present.contains(thumbnail) ? t.fileUrl(thumbnail) : null));
            }
            return new ShotView(uuid, index, name, description, type, startTime, endTime, endTime - startTime, camera,
                    characters, dialogue, out);
        }
    }

    private static List<Row> rows(Handle h, String sha256, String path) {
        return h.createQuery("select * from project_shot where scene_sha256 = :sha256 and scene_path = :path"
                        + " order by shot_index")
                .bind("sha256", sha256).bind("path", path)
                .map((rs, ctx) -> new Row(rs.getString("scene_key"), rs.getInt("scene_number"), rs.getString("scene_name"),
                        rs.getInt("shot_index"), rs.getString("shot_uuid"), rs.getString("name"),
                        rs.getString("description"), rs.getString("type"), rs.getLong("start_time"),
                        rs.getLong("end_time"), jsonColumn(rs, "camera"), textArray(rs, "characters"),
                        rs.getString("dialogue"), jsonColumn(rs, "panels")))
                .list();
    }

    /** One shot in full, read from its scene file: the first shot of that uuid in scene order. */
    ShotDetail shot(UUID project, String uuid, Optional<Integer> revision, Visibility visible) {
        return jdbi.withHandle(h -> {
            Target t = RevisionFiles.resolve(h, project, revision, visible);
            indexUnindexed(h, t);
            record Place(String path, String sha256, int index) {}
            Place place = h.createQuery("""
                            select pf.path, pf.sha256, ps.shot_index
                              from project_file pf
                              join project_shot ps on ps.scene_sha256 = pf.sha256 and ps.scene_path = pf.path
                             where pf.project_id = :id and pf.revision = :revision and ps.shot_uuid = :uuid
                             order by ps.scene_number, pf.path, ps.shot_index
                             limit 1""")
                    .bind("id", t.project()).bind("revision", t.revision()).bind("uuid", uuid)
                    .map((rs, ctx) -> new Place(rs.getString("path"), rs.getString("sha256"), rs.getInt("shot_index")))
                    .findOne()
                    .orElseThrow(() -> new DomainException(DomainException.Kind.NOT_FOUND, "not_found",
                            "revision " + t.revision() + " has no shot " + uuid, "uuid"));
            Storyboard.Scene scene = ShotIndex.read(blobs, place.path(), place.sha256());
            Storyboard.Shot shot = scene.shots().get(place.index());
            Set<String> thumbnails = new LinkedHashSet<>();
            for (Storyboard.Panel p : shot.panels()) {
                if (p.thumbnail() != null) thumbnails.add(p.thumbnail());
            }
            Set<String> present = RevisionFiles.present(h, t, thumbnails);
            List<PanelDetail> panels = shot.panels().stream().map(p -> new PanelDetail(p.uuid(), p.index(), p.name(),
                    p.description(), p.startTime(), p.duration(), p.thumbnail(),
                    p.thumbnail() != null && present.contains(p.thumbnail()) ? t.fileUrl(p.thumbnail()) : null,
                    p.layers(), p.strokes())).toList();
            List<CastMember> cast = shot.characters().stream()
                    .map(c -> new CastMember(c.name(), c.dialogue(), c.emotion(), c.onScreen())).toList();
            List<String> names = shot.characters().stream().map(Storyboard.Character::name)
                    .filter(n -> n != null && !n.isBlank()).distinct().toList();
            return new ShotDetail(ref(t), t.revision(),
                    new SceneRef(scene.key(), scene.number(), scene.name(), scene.path()), shot.uuid(), shot.index(),
                    shot.name(), shot.description(), shot.type(), shot.startTime(), shot.endTime(),
                    shot.endTime() - shot.startTime(), shot.source().get("camera"), names, cast, shot.dialogue(),
                    panels, shot.source());
        });
    }

    // ---- the diff ----

    /** The structured diff from {@code from} (default: the parent of {@code to}, or nothing) to {@code to} (default: the head). */
    SceneViews.DiffAnswer diff(UUID project, Optional<Integer> from, Optional<Integer> to, Visibility visible) {
        return jdbi.withHandle(h -> {
            Target after = RevisionFiles.resolve(h, project, to, visible, "to");
            Integer fromNumber = from.orElse(after.parent());
            Target before = fromNumber == null ? null
                    : RevisionFiles.resolve(h, project, Optional.of(fromNumber), visible, "from");
            // A scene file with the same bytes at the same path in both is parsed once.
            Map<String, Storyboard.Scene> parsed = new HashMap<>();
            StructuredDiff.Revision a = before == null ? StructuredDiff.Revision.EMPTY : revision(h, before, parsed);
            StructuredDiff.Revision b = revision(h, after, parsed);
            StructuredDiff.Diff d = StructuredDiff.between(a, b);
            return new SceneViews.DiffAnswer(ref(after), before == null ? null : before.revision(), after.revision(),
                    d.files(), d.scenes(), d.shots(), d.panels());
        });
    }

    private StructuredDiff.Revision revision(Handle h, Target t, Map<String, Storyboard.Scene> parsed) {
        Map<String, String> manifest = RevisionFiles.manifest(h, t);
        List<Storyboard.Scene> scenes = new ArrayList<>();
        for (var f : manifest.entrySet()) {
            if (!Storyboard.isScene(f.getKey())) continue;
            scenes.add(parsed.computeIfAbsent(f.getValue() + " " + f.getKey(),
                    k -> ShotIndex.read(blobs, f.getKey(), f.getValue())));
        }
        return new StructuredDiff.Revision(scenes, manifest);
    }

    // ---- search ----

    /** A query of {@code GET /api/v1/shots}: words to find (none: every shot), one project by name (none: all). */
    record Search(Optional<String> q, Optional<String> project) {}

    /**
     * The shots of the latest revision of every live project the credential sees that match: all the words of q
     * (web-search syntax: "a phrase", -not, or) in the shot's name, description or dialogue. In order of project,
     * scene and shot.
     */
    Page<ShotHit> search(Search s, Visibility visible, Optional<String> cursor, int limit) {
        Map<String, Object> b = new HashMap<>();
        List<String> where = new ArrayList<>();
        where.add("p.deleted_at is null");
        where.add(visible.sql("p.name"));
        s.project().ifPresent(name -> {
            where.add("p.name = :project");
            b.put("project", name);
        });
        s.q().ifPresent(q -> {
            where.add("ps.search @@ websearch_to_tsquery('simple', :q)");
            b.put("q", q);
        });
        Cursor.decode(cursor, SEARCH_LISTING, 4).ifPresent(c -> {
            where.add("(p.name, p.id, ps.scene_path, ps.shot_index) > (:c_name, :c_id, :c_path, :c_index)");
            b.put("c_name", unwrap(c.keys().get(0)));
            b.put("c_id", c.uuid(1));
            b.put("c_path", unwrap(c.keys().get(2)));
            b.put("c_index", c.number(3));
        });
        String snippet = s.q().isPresent()
                ? "ts_headline('simple', ps.dialogue, websearch_to_tsquery('simple', :q), '" + SNIPPET_OPTIONS + "')"
                : "cast(null as text)";
        String sql = "select p.id, p.name as project_name, p.head_revision, ps.scene_path, ps.scene_key, ps.scene_number,"
                + " ps.scene_name, ps.shot_index, ps.shot_uuid, ps.name, ps.description, ps.dialogue, " + snippet + " as snippet"
                + " from project p"
                + " join project_file pf on pf.project_id = p.id and pf.revision = p.head_revision and pf.path like 'scenes/%'"
                + " join project_shot ps on ps.scene_sha256 = pf.sha256 and ps.scene_path = pf.path"
                + " where " + String.join(" and ", where)
                + " order by p.name, p.id, ps.scene_path, ps.shot_index limit :limit";
        record Found(ShotHit hit, String path) {}
        List<Found> rows = jdbi.withHandle(h -> visible.bind(h.createQuery(sql)).bindMap(b).bind("limit", limit + 1)
                .map((rs, ctx) -> new Found(new ShotHit(
                        new ProjectRef(rs.getObject("id", UUID.class), rs.getString("project_name")),
                        rs.getInt("head_revision"),
                        new SceneRef(rs.getString("scene_key"), rs.getInt("scene_number"), rs.getString("scene_name"),
                                rs.getString("scene_path")),
                        rs.getString("shot_uuid"), rs.getInt("shot_index"), rs.getString("name"),
                        rs.getString("description"), rs.getString("dialogue"), rs.getString("snippet")),
                        rs.getString("scene_path")))
                .list());
        return Page.of(rows, limit, f -> Cursor.of(SEARCH_LISTING, wrap(f.hit().project().name()), f.hit().project().id(),
                wrap(f.path()), f.hit().index())).map(Found::hit);
    }

    /** A name or path as a cursor key: base64url, since either may hold the cursor's own separator (a line break). */
    private static String wrap(String s) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    private static String unwrap(String key) {
        try {
            return new String(Base64.getUrlDecoder().decode(key), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw DomainException.invalid("invalid_parameter", "'cursor' is not a cursor this server issued for this listing",
                    "cursor");
        }
    }

    // ---- helpers ----

    /** Parses a scene file and records its shots (if they are not yet), in a transaction of its own. */
    private Storyboard.Scene index(Handle h, String path, String sha256) {
        Storyboard.Scene scene = ShotIndex.read(blobs, path, sha256);
        if (!scene.shots().isEmpty()) h.useTransaction(tx -> ShotIndex.insert(tx, sha256, scene));
        return scene;
    }

    /** Records the shots of the revision's scene files that have no rows yet (a shot is then found by uuid). */
    private void indexUnindexed(Handle h, Target t) {
        h.createQuery("""
                        select pf.path, pf.sha256 from project_file pf
                         where pf.project_id = :id and pf.revision = :revision and pf.path like 'scenes/%'
                           and not exists (select 1 from project_shot ps
                                            where ps.scene_sha256 = pf.sha256 and ps.scene_path = pf.path)""")
                .bind("id", t.project()).bind("revision", t.revision())
                .map((rs, ctx) -> new RevisionFiles.File(rs.getString("path"), rs.getString("sha256")))
                .list().stream()
                .filter(f -> Storyboard.isScene(f.path()))
                .forEach(f -> index(h, f.path(), f.sha256()));
    }

    private static ProjectRef ref(Target t) {
        return new ProjectRef(t.project(), t.name());
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static JsonNode jsonColumn(ResultSet rs, String column) throws SQLException {
        String s = rs.getString(column);
        if (s == null) return null;
        try {
            return Json.MAPPER.readTree(s);
        } catch (JsonProcessingException e) {
            throw new SQLException("column " + column + " is not JSON", e);
        }
    }

    private static List<String> textArray(ResultSet rs, String column) throws SQLException {
        java.sql.Array a = rs.getArray(column);
        return a == null ? List.of() : Arrays.asList((String[]) a.getArray());
    }
}
