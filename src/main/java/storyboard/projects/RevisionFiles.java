package storyboard.projects;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import storyboard.kernel.DomainException;
import storyboard.kernel.Visibility;

/**
 * Which project and revision a read names, and that revision's files: a project that is unknown, deleted or not
 * visible to the credential is not found, as is a revision it does not have.
 */
final class RevisionFiles {
    /** A revision of a live, visible project; {@code parent} is the revision it was pushed on (null for the first). */
    record Target(UUID project, String name, int revision, Integer parent, int head) {
        /** The link to one of its files, as {@code GET /api/v1/projects/{id}/files/<path>} serves it. */
        String fileUrl(String path) {
            StringBuilder url = new StringBuilder("/api/v1/projects/").append(project).append("/files");
            for (String segment : path.split("/", -1)) {
                url.append('/').append(URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20"));
            }
            return url.append("?revision=").append(revision).toString();
        }
    }

    /** A file of a revision: its path and blob. */
    record File(String path, String sha256) {}

    private RevisionFiles() {}

    /** The project's revision ({@code revision}, or the head when empty), or not found. */
    static Target resolve(Handle h, UUID project, Optional<Integer> revision, Visibility visible) {
        return resolve(h, project, revision, visible, "revision");
    }

    /** As {@link #resolve(Handle, UUID, Optional, Visibility)}; {@code parameter} names the revision in a refusal. */
    static Target resolve(Handle h, UUID project, Optional<Integer> revision, Visibility visible, String parameter) {
        var row = visible.bind(h.createQuery("select name, head_revision from project where id = :id"
                        + " and deleted_at is null and " + visible.sql("name")))
                .bind("id", project)
                .map((rs, ctx) -> Map.entry(rs.getString("name"), rs.getInt("head_revision"))).findOne()
                .orElseThrow(() -> DomainException.notFound("project " + project));
        int n = revision.orElse(row.getValue());
        Optional<Integer> parent = h.createQuery("select parent_revision from project_revision"
                        + " where project_id = :id and revision = :revision")
                .bind("id", project).bind("revision", n)
                .map((rs, ctx) -> Optional.ofNullable(rs.getObject("parent_revision", Integer.class))).findOne()
                .orElseThrow(() -> new DomainException(DomainException.Kind.NOT_FOUND, "not_found",
                        "project " + project + " has no revision " + n, parameter));
        return new Target(project, row.getKey(), n, parent.orElse(null), row.getValue());
    }

    /** The revision's manifest: path → SHA-256, by path. */
    static Map<String, String> manifest(Handle h, Target t) {
        Map<String, String> files = new LinkedHashMap<>();
        h.createQuery("select path, sha256 from project_file where project_id = :id and revision = :revision order by path")
                .bind("id", t.project()).bind("revision", t.revision())
                .map((rs, ctx) -> new File(rs.getString("path"), rs.getString("sha256")))
                .forEach(f -> files.put(f.path(), f.sha256()));
        return files;
    }

    /** The revision's scene files ({@link Storyboard#isScene}), by path. */
    static Map<String, String> scenes(Handle h, Target t) {
        Map<String, String> files = new LinkedHashMap<>();
        h.createQuery("select path, sha256 from project_file where project_id = :id and revision = :revision"
                        + " and path like 'scenes/%' order by path")
                .bind("id", t.project()).bind("revision", t.revision())
                .map((rs, ctx) -> new File(rs.getString("path"), rs.getString("sha256")))
                .forEach(f -> {
                    if (Storyboard.isScene(f.path())) files.put(f.path(), f.sha256());
                });
        return files;
    }

    /** Which of these paths the revision holds. */
    static Set<String> present(Handle h, Target t, Collection<String> paths) {
        if (paths.isEmpty()) return Set.of();
        return Set.copyOf(h.createQuery("select path from project_file where project_id = :id and revision = :revision"
                        + " and path = any(:paths)")
                .bind("id", t.project()).bind("revision", t.revision())
                .bindArray("paths", String.class, paths.toArray(String[]::new))
                .mapTo(String.class).list());
    }
}
