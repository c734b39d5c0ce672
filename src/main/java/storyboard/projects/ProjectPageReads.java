package storyboard.projects;

import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.Query;
import storyboard.kernel.Cursor;
import storyboard.kernel.Page;
import storyboard.kernel.Visibility;

/**
 * What the project pages read beyond the API's stores: projects with their head revision (who pushed last, files,
 * bytes), for the list, a project's page and the overview's latest pushes; and a revision's file changes against
 * another, by path. Each read sees only the live projects its {@link Visibility} allows (the key is the project's
 * name, as everywhere).
 */
final class ProjectPageReads {
    /** Most file changes one revision page lists; the counts are always whole. */
    static final int MAX_FILE_CHANGES = 500;

    private static final String PROJECT_COLUMNS = "p.id, p.name, p.head_revision, p.fps, p.created_at, p.created_by,"
            + " p.updated_at, p.archived_at, r.author, r.created_at as pushed_at, r.file_count, r.byte_count";
    private static final String PROJECT_FROM = " from project p join project_revision r"
            + " on r.project_id = p.id and r.revision = p.head_revision";

    private final Jdbi jdbi;

    ProjectPageReads(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** A live project and its head revision: what was pushed last, by whom, and how much it holds. */
    record ProjectRow(UUID id, String name, int head, BigDecimal fps, Instant createdAt, String createdBy,
                      Instant updatedAt, Instant archivedAt, String lastAuthor, Instant lastPushAt, int files, long bytes) {
        boolean archived() {
            return archivedAt != null;
        }
    }

    /** A file whose bytes (or mode) differ between two revisions; a side where it is absent is null. */
    record FileChange(String path, String oldSha256, Long oldSize, String newSha256, Long newSize) {
        String kind() {
            return oldSha256 == null ? "added" : newSha256 == null ? "removed" : "modified";
        }
    }

    /** The file changes of a revision against a base: at most {@link #MAX_FILE_CHANGES} listed, all counted. */
    record FileChanges(List<FileChange> listed, int added, int modified, int removed) {
        int total() {
            return added + modified + removed;
        }
    }

    /**
     * One page of the list as {@code GET /api/v1/projects} pages it (same order, same cursors): the most recently
     * changed first, names containing {@code q} (any case), the archived projects or the others.
     */
    Page<ProjectRow> list(Visibility visible, Optional<String> q, boolean archived, int limit, Optional<String> cursor) {
        Optional<Cursor> after = Cursor.decode(cursor, ProjectStore.LISTING, 2);
        StringBuilder sql = new StringBuilder("select " + PROJECT_COLUMNS + PROJECT_FROM + " where p.deleted_at is null and ")
                .append(visible.sql("p.name"))
                .append(archived ? " and p.archived_at is not null" : " and p.archived_at is null");
        if (q.isPresent()) sql.append(" and lower(p.name) like :q escape '\\'");
        if (after.isPresent()) sql.append(" and (p.updated_at, p.id) < (:t, :after)");
        sql.append(" order by p.updated_at desc, p.id desc limit :n");
        List<ProjectRow> rows = jdbi.withHandle(h -> {
            Query query = visible.bind(h.createQuery(sql.toString())).bind("n", limit + 1);
            q.ifPresent(s -> query.bind("q", "%" + likeEscaped(s.toLowerCase(java.util.Locale.ROOT)) + "%"));
            after.ifPresent(c -> query.bind("t", c.time(0)).bind("after", c.uuid(1)));
            return query.map((rs, ctx) -> project(rs)).list();
        });
        return Page.of(rows, limit, r -> Cursor.of(ProjectStore.LISTING, r.updatedAt(), r.id()));
    }

    /** A live project, if the credential may see it. */
    Optional<ProjectRow> project(UUID id, Visibility visible) {
        return jdbi.withHandle(h -> visible.bind(h.createQuery("select " + PROJECT_COLUMNS + PROJECT_FROM
                        + " where p.id = :id and p.deleted_at is null and " + visible.sql("p.name")))
                .bind("id", id).map((rs, ctx) -> project(rs)).findOne());
    }

    /** What differs between revision {@code base} (0: none, all files are new) and {@code revision}, by path. */
    FileChanges fileChanges(UUID project, int base, int revision) {
        String changed = "with n as (select path, sha256, size, mode from project_file where project_id = :id and revision = :revision),"
                + " o as (select path, sha256, size, mode from project_file where project_id = :id and revision = :base),"
                + " c as (select coalesce(n.path, o.path) as path, o.sha256 as old_sha256, o.size as old_size,"
                + " n.sha256 as new_sha256, n.size as new_size from n full join o on o.path = n.path"
                + " where o.sha256 is distinct from n.sha256 or o.mode is distinct from n.mode) ";
        return jdbi.withHandle(h -> {
            List<FileChange> listed = h.createQuery(changed + "select * from c order by path limit :n")
                    .bind("id", project).bind("revision", revision).bind("base", base).bind("n", MAX_FILE_CHANGES)
                    .map((rs, ctx) -> new FileChange(rs.getString("path"), rs.getString("old_sha256"),
                            (Long) rs.getObject("old_size", Long.class), rs.getString("new_sha256"),
                            (Long) rs.getObject("new_size", Long.class)))
                    .list();
            int[] counts = h.createQuery(changed + "select count(*) filter (where old_sha256 is null) as added,"
                            + " count(*) filter (where old_sha256 is not null and new_sha256 is not null) as modified,"
                            + " count(*) filter (where new_sha256 is null) as removed from c")
                    .bind("id", project).bind("revision", revision).bind("base", base)
                    .map((rs, ctx) -> new int[] {rs.getInt("added"), rs.getInt("modified"), rs.getInt("removed")}).one();
            return new FileChanges(listed, counts[0], counts[1], counts[2]);
        });
    }

    /** The head revisions of the most recently changed visible projects, archived ones left out. */
    List<ProjectRow> recent(Visibility visible, int limit) {
        return list(visible, Optional.empty(), false, limit, Optional.empty()).items();
    }

    private static ProjectRow project(ResultSet rs) throws SQLException {
        return new ProjectRow(rs.getObject("id", UUID.class), rs.getString("name"), rs.getInt("head_revision"),
                rs.getBigDecimal("fps"), instant(rs, "created_at"), rs.getString("created_by"), instant(rs, "updated_at"),
                instant(rs, "archived_at"), rs.getString("author"), instant(rs, "pushed_at"), rs.getInt("file_count"),
                rs.getLong("byte_count"));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }

    /** {@code s} matched literally by LIKE: its wildcards and the escape character escaped. */
    private static String likeEscaped(String s) {
        return s.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }
}
