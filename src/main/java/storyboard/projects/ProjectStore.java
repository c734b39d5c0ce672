package storyboard.projects;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;
import storyboard.kernel.Actor;
import storyboard.kernel.Change;
import storyboard.kernel.Changes;
import storyboard.kernel.Cursor;
import storyboard.kernel.DomainException;
import storyboard.kernel.Json;
import storyboard.kernel.Page;
import storyboard.kernel.Visibility;
import storyboard.projects.ProjectRecords.Project;
import storyboard.projects.ProjectRecords.Report;
import storyboard.projects.ProjectRecords.Revision;

/**
 * The projects' SQL: projects, their numbered revisions and each revision's manifest. A project's name is its key
 * for {@link Visibility}. Every change records its audit row and event in its own transaction.
 */
final class ProjectStore {
    static final String LISTING = "projects";
    static final String REVISIONS = "project.revisions";

    private final Jdbi jdbi;
    private final int restoreDays;

    ProjectStore(Jdbi jdbi, int restoreDays) {
        this.jdbi = jdbi;
        this.restoreDays = restoreDays;
    }

    static final RowMapper<Project> PROJECT = (rs, ctx) -> new Project(rs.getObject("id", UUID.class),
            rs.getString("name"), rs.getBigDecimal("fps"), rs.getInt("head_revision"), instant(rs, "created_at"),
            rs.getString("created_by"), instant(rs, "updated_at"), instant(rs, "archived_at"), instant(rs, "deleted_at"),
            rs.getString("deleted_by"));

    static final RowMapper<Revision> REVISION = (rs, ctx) -> new Revision(rs.getInt("revision"),
            (Integer) rs.getObject("parent_revision"), rs.getString("author"), rs.getString("message"),
            instant(rs, "created_at"), rs.getInt("file_count"), rs.getLong("byte_count"), json(rs.getString("report")));

    static final RowMapper<ProjectFile> FILE = (rs, ctx) -> new ProjectFile(rs.getString("path"), rs.getString("sha256"),
            rs.getLong("size"), rs.getInt("mode"));

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    private static JsonNode json(String text) {
        if (text == null) return null;
        try {
            return Json.MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a stored report is not JSON", e);
        }
    }

    private static String json(Object value) {
        try {
            return Json.MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    // ---- create and push ----

    /** A revision to add: who, why, the manifest and its report; its scene files parsed, for the structured view. */
    record NewRevision(String message, List<ProjectFile> files, Report report, List<Storyboard.Scene> scenes) {
        long bytes() {
            return files.stream().mapToLong(ProjectFile::size).sum();
        }
    }

    /** Creates the project with revision 1; a live project of that name is a conflict naming it. */
    ProjectRecords.Imported create(Actor actor, String name, BigDecimal fps, NewRevision r) {
        return jdbi.inTransaction(h -> {
            UUID id = UUID.randomUUID();
            Optional<UUID> made = h.createQuery("""
                            insert into project (id, name, head_revision, fps, created_by)
                            values (:id, :name, 1, :fps, :by)
                            on conflict (name) where deleted_at is null do nothing
                            returning id""")
                    .bind("id", id).bind("name", name).bind("fps", fps).bind("by", actor.describe())
                    .mapTo(UUID.class).findOne();
            if (made.isEmpty()) throw exists(name, liveId(h, name).orElse(null));
            insertRevision(h, id, 1, null, actor, r);
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("name", name);
            details.put("revision", 1);
            details.put("files", r.files().size());
            details.put("bytes", r.bytes());
            Changes.record(h, actor, Change.of("project.imported", "project", id.toString(), name, details));
            return new ProjectRecords.Imported(id, name, 1, r.report());
        });
    }

    /** The live project of that name, if any (whoever may see it). */
    Optional<UUID> liveId(String name) {
        return jdbi.withHandle(h -> liveId(h, name));
    }

    private static Optional<UUID> liveId(Handle h, String name) {
        return h.createQuery("select id from project where name = :name and deleted_at is null")
                .bind("name", name).mapTo(UUID.class).findOne();
    }

    static Refusal exists(String name, UUID id) {
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("id", id);
        return new Refusal(409, "project_exists", "a project named '" + name + "' exists already"
                + (id == null ? "" : " (" + id + "): push to it instead"), extra);
    }

    /**
     * Adds revision {@code base + 1} if {@code base} is still the head, under the project row's lock: of pushes on
     * the same base, exactly one wins. A manifest equal to the head's makes no revision. The new project.json may
     * rename the project ({@code name}), to a name the pusher may see and no live project has.
     */
    ProjectRecords.Pushed push(Actor actor, UUID id, Visibility visible, int base, String name, BigDecimal fps,
                               NewRevision r) {
        try {
            return jdbi.inTransaction(h -> {
                Project p = locked(h, id, visible);
                if (p.archived()) throw archived(p);
                if (p.headRevision() != base) throw conflict(h, p, base);
                List<ProjectFile> head = manifest(h, id, p.headRevision());
                if (sorted(head).equals(sorted(r.files()))) {
                    Revision current = revision(h, id, p.headRevision()).orElseThrow();
                    return new ProjectRecords.Pushed(id, p.name(), current.revision(), current.parentRevision(), false,
                            current.createdAt(), r.report());
                }
                int next = base + 1;
                Instant at = insertRevision(h, id, next, base, actor, r);
                h.createUpdate("update project set head_revision = :rev, updated_at = now(), fps = :fps, name = :name "
                                + "where id = :id")
                        .bind("rev", next).bind("fps", fps).bind("name", name).bind("id", id).execute();
                Map<String, Object> details = new LinkedHashMap<>();
                details.put("name", name);
                details.put("revision", next);
                details.put("baseRevision", base);
                details.put("files", r.files().size());
                details.put("bytes", r.bytes());
                if (!name.equals(p.name())) details.put("renamedFrom", p.name());
                Changes.record(h, actor, Change.of("project.pushed", "project", id.toString(), name, details));
                return new ProjectRecords.Pushed(id, name, next, base, true, at, r.report());
            });
        } catch (RuntimeException e) {
            if (uniqueViolation(e)) throw exists(name, liveId(name).orElse(null));
            throw e;
        }
    }

    /** The 409 of a push on a stale base: the head now, who pushed it, when and why. */
    static Refusal conflict(Handle h, Project p, int base) {
        Revision head = revision(h, p.id(), p.headRevision()).orElseThrow();
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("baseRevision", base);
        extra.put("currentRevision", head.revision());
        extra.put("author", head.author());
        extra.put("pushedAt", head.createdAt());
        extra.put("revisionMessage", head.message());
        String why = head.message() == null || head.message().isBlank() ? "" : " (\"" + head.message() + "\")";
        return new Refusal(409, "revision_conflict", "the project is at revision " + head.revision()
                + ", pushed by " + head.author() + " at " + head.createdAt() + why + ", not at revision " + base
                + ": pull it, then push again", extra);
    }

    /** Refuses early, before blobs are checked and uploaded, when {@code base} is no longer the head. */
    Project requireHead(UUID id, Visibility visible, int base) {
        return jdbi.withHandle(h -> {
            Project p = find(h, id, visible, false).orElseThrow(() -> notFound(id));
            if (p.headRevision() != base) throw conflict(h, p, base);
            return p;
        });
    }

    private static DomainException archived(Project p) {
        return DomainException.conflict("archived", "the project '" + p.name() + "' is archived: unarchive it to push");
    }

    private static Project locked(Handle h, UUID id, Visibility visible) {
        return visible.bind(h.createQuery("select * from project where id = :id and deleted_at is null and "
                        + visible.sql("name") + " for update"))
                .bind("id", id).map(PROJECT).findOne().orElseThrow(() -> notFound(id));
    }

    private static Instant insertRevision(Handle h, UUID id, int revision, Integer parent, Actor actor, NewRevision r) {
        Instant at = h.createQuery("""
                        insert into project_revision (project_id, revision, parent_revision, author, message, file_count,
                                                      byte_count, report)
                        values (:id, :rev, :parent, :author, :message, :count, :bytes, cast(:report as jsonb))
                        returning created_at""")
                .bind("id", id).bind("rev", revision).bind("parent", parent).bind("author", actor.describe())
                .bind("message", r.message()).bind("count", r.files().size()).bind("bytes", r.bytes())
                .bind("report", json(r.report()))
                .mapTo(OffsetDateTime.class).one().toInstant();
        // One statement for the whole manifest (thousands of rows): a batch of single-row inserts took several times longer.
        if (!r.files().isEmpty()) {
            h.createUpdate("""
                            insert into project_file (project_id, revision, path, sha256, size, mode)
                            select :id, :rev, * from unnest(:paths, :shas, :sizes, :modes)""")
                    .bind("id", id).bind("rev", revision)
                    .bindArray("paths", String.class, r.files().stream().map(ProjectFile::path).toList())
                    .bindArray("shas", String.class, r.files().stream().map(ProjectFile::sha256).toList())
                    .bindArray("sizes", Long.class, r.files().stream().map(ProjectFile::size).toList())
                    .bindArray("modes", Integer.class, r.files().stream().map(ProjectFile::mode).toList())
                    .execute();
        }
        // The structured view: each scene file's shots, recorded once per content (ShotIndex), with the revision.
        Map<String, String> sha256s = new HashMap<>();
        for (ProjectFile f : r.files()) sha256s.put(f.path(), f.sha256());
        for (Storyboard.Scene scene : r.scenes()) ShotIndex.insert(h, sha256s.get(scene.path()), scene);
        return at;
    }

    static List<ProjectFile> sorted(List<ProjectFile> files) {
        List<ProjectFile> s = new ArrayList<>(files);
        s.sort(Comparator.comparing(ProjectFile::path));
        return s;
    }

    private static boolean uniqueViolation(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException s && "23505".equals(s.getSQLState())) return true;
        }
        return false;
    }

    // ---- reads ----

    static DomainException notFound(UUID id) {
        return DomainException.notFound("project " + id);
    }

    Optional<Project> find(UUID id, Visibility visible, boolean includeDeleted) {
        return jdbi.withHandle(h -> find(h, id, visible, includeDeleted));
    }

    private static Optional<Project> find(Handle h, UUID id, Visibility visible, boolean includeDeleted) {
        return visible.bind(h.createQuery("select * from project where id = :id and " + visible.sql("name")
                        + (includeDeleted ? "" : " and deleted_at is null")))
                .bind("id", id).map(PROJECT).findOne();
    }

    /** A page of projects, most recently updated first; {@code q} searches names. */
    Page<Project> list(Visibility visible, Optional<String> q, boolean archived, boolean includeDeleted, int limit,
                       Optional<String> cursor) {
        Optional<Cursor> after = Cursor.decode(cursor, LISTING, 2);
        StringBuilder sql = new StringBuilder("select * from project where ").append(visible.sql("name"))
                .append(archived ? " and archived_at is not null" : " and archived_at is null");
        if (!includeDeleted) sql.append(" and deleted_at is null");
        q.ifPresent(x -> sql.append(" and lower(name) like :q escape '\\'"));
        after.ifPresent(c -> sql.append(" and (updated_at, id) < (:t, :i)"));
        sql.append(" order by updated_at desc, id desc limit :limit");
        List<Project> rows = jdbi.withHandle(h -> {
            var query = visible.bind(h.createQuery(sql.toString())).bind("limit", limit + 1);
            q.ifPresent(x -> query.bind("q", "%" + x.toLowerCase(java.util.Locale.ROOT)
                    .replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"));
            after.ifPresent(c -> query.bind("t", c.time(0)).bind("i", c.uuid(1)));
            return query.map(PROJECT).list();
        });
        return Page.of(rows, limit, p -> Cursor.of(LISTING, p.updatedAt(), p.id()));
    }

    Page<Revision> revisions(UUID id, int limit, Optional<String> cursor) {
        Optional<Cursor> after = Cursor.decode(cursor, REVISIONS, 1);
        List<Revision> rows = jdbi.withHandle(h -> h.createQuery("select * from project_revision where project_id = :id"
                        + (after.isPresent() ? " and revision < :after" : "") + " order by revision desc limit :limit")
                .bind("id", id).bind("after", after.map(c -> c.number(0)).orElse(0L)).bind("limit", limit + 1)
                .map(REVISION).list());
        return Page.of(rows.stream().map(Revision::withoutReport).toList(), limit,
                r -> Cursor.of(REVISIONS, r.revision()));
    }

    Optional<Revision> revision(UUID id, int revision) {
        return jdbi.withHandle(h -> revision(h, id, revision));
    }

    private static Optional<Revision> revision(Handle h, UUID id, int revision) {
        return h.createQuery("select * from project_revision where project_id = :id and revision = :rev")
                .bind("id", id).bind("rev", revision).map(REVISION).findOne();
    }

    List<ProjectFile> manifest(UUID id, int revision) {
        return jdbi.withHandle(h -> manifest(h, id, revision));
    }

    private static List<ProjectFile> manifest(Handle h, UUID id, int revision) {
        return h.createQuery("select path, sha256, size, mode from project_file where project_id = :id and revision = :rev"
                        + " order by path collate \"C\"")
                .bind("id", id).bind("rev", revision).map(FILE).list();
    }

    Optional<ProjectFile> file(UUID id, int revision, String path) {
        return jdbi.withHandle(h -> h.createQuery("select path, sha256, size, mode from project_file"
                        + " where project_id = :id and revision = :rev and path = :path")
                .bind("id", id).bind("rev", revision).bind("path", path).map(FILE).findOne());
    }

    // ---- archive, delete, restore, purge ----

    /** Archives or unarchives a live project; doing what is already done changes nothing and records nothing. */
    Project archive(Actor actor, UUID id, Visibility visible, boolean archive) {
        return jdbi.inTransaction(h -> {
            Project p = locked(h, id, visible);
            if (p.archived() == archive) return p;
            h.createUpdate("update project set archived_at = " + (archive ? "now()" : "null") + ", updated_at = now() where id = :id")
                    .bind("id", id).execute();
            Changes.record(h, actor, Change.of(archive ? "project.archived" : "project.unarchived", "project",
                    id.toString(), p.name(), Map.of("name", p.name())));
            return find(h, id, visible, false).orElseThrow();
        });
    }

    /** Soft-deletes a live project: hidden, restorable for {@code restoreDays}, then purged by gc. */
    void delete(Actor actor, UUID id, Visibility visible) {
        jdbi.useTransaction(h -> {
            Project p = locked(h, id, visible);
            h.createUpdate("update project set deleted_at = now(), deleted_by = :by where id = :id")
                    .bind("by", actor.describe()).bind("id", id).execute();
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("name", p.name());
            details.put("restoreDays", restoreDays);
            Changes.record(h, actor, Change.of("project.deleted", "project", id.toString(), p.name(), details));
        });
    }

    /** Restores a deleted project within its restore period, unless a live project took its name since. */
    Project restore(Actor actor, UUID id, Visibility visible) {
        try {
            return jdbi.inTransaction(h -> {
                Project p = visible.bind(h.createQuery("select * from project where id = :id and " + visible.sql("name")
                                + " for update"))
                        .bind("id", id).map(PROJECT).findOne().orElseThrow(() -> notFound(id));
                if (p.deletedAt() == null) {
                    throw DomainException.conflict("not_deleted", "the project '" + p.name() + "' is not deleted");
                }
                if (p.deletedAt().isBefore(Instant.now().minus(java.time.Duration.ofDays(restoreDays)))) {
                    throw DomainException.gone("restore_expired", "the project was deleted more than " + restoreDays
                            + " days ago (PROJECT_RESTORE_DAYS) and is waiting to be purged");
                }
                liveId(h, p.name()).ifPresent(other -> {
                    throw exists(p.name(), other);
                });
                h.createUpdate("update project set deleted_at = null, deleted_by = null, updated_at = now() where id = :id")
                        .bind("id", id).execute();
                Changes.record(h, actor, Change.of("project.restored", "project", id.toString(), p.name(),
                        Map.of("name", p.name())));
                return find(h, id, visible, false).orElseThrow();
            });
        } catch (RuntimeException e) {
            if (!uniqueViolation(e)) throw e;
            // A live project of its name was made at the same moment.
            String name = find(id, visible, true).map(Project::name).orElse("?");
            throw exists(name, liveId(name).orElse(null));
        }
    }

    /** A project purged for good. */
    record Purged(UUID id, String name) {}

    /** Removes the projects deleted longer ago than the restore period (their revisions and manifests go with them). */
    List<Purged> purgeExpired(Actor actor, boolean dryRun) {
        return jdbi.inTransaction(h -> {
            List<Purged> expired = h.createQuery("""
                            select id, name from project
                             where deleted_at is not null and deleted_at < now() - make_interval(days => :days)
                             order by deleted_at for update skip locked""")
                    .bind("days", restoreDays)
                    .map((rs, ctx) -> new Purged(rs.getObject("id", UUID.class), rs.getString("name"))).list();
            if (dryRun) return expired;
            for (Purged p : expired) {
                h.createUpdate("delete from project where id = :id").bind("id", p.id()).execute();
                Changes.record(h, actor, Change.of("project.purged", "project", p.id().toString(), p.name(),
                        Map.of("name", p.name())));
            }
            return expired;
        });
    }
}
