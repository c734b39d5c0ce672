package storyboard.projects;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** What the projects API answers with. */
final class ProjectRecords {
    private ProjectRecords() {}

    /** A project's metadata. {@code archivedAt}, {@code deletedAt}: null unless so. */
    record Project(UUID id, String name, BigDecimal fps, int headRevision, Instant createdAt, String createdBy,
                   Instant updatedAt, Instant archivedAt, Instant deletedAt, String deletedBy) {
        boolean archived() {
            return archivedAt != null;
        }
    }

    /** A revision; {@code report} only where one revision is shown. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Revision(int revision, Integer parentRevision, String author, String message, Instant createdAt,
                    int fileCount, long byteCount, JsonNode report) {
        Revision withoutReport() {
            return new Revision(revision, parentRevision, author, message, createdAt, fileCount, byteCount, null);
        }
    }

    /** What a package holds, as an import or push reports it. */
    record Report(int scenes, int shots, int panels, int layers, int strokes, int audioTracks, int files, long bytes,
                  List<Storyboard.Problem> warnings) {
        /** At most this many warnings are kept (one more says how many were left out). */
        static final int MAX_WARNINGS = 500;

        static Report of(Storyboard.Package pkg, List<Storyboard.Problem> warnings, int files, long bytes) {
            List<Storyboard.Problem> kept = new ArrayList<>(warnings.subList(0, Math.min(warnings.size(), MAX_WARNINGS)));
            if (warnings.size() > MAX_WARNINGS) {
                kept.add(new Storyboard.Problem("", (warnings.size() - MAX_WARNINGS) + " more warnings left out"));
            }
            Storyboard.Counts c = pkg.counts();
            return new Report(c.scenes(), c.shots(), c.panels(), c.layers(), c.strokes(), c.audioTracks(), files, bytes,
                    List.copyOf(kept));
        }
    }

    /** A project with its head revision and that revision's manifest. */
    record ProjectDetail(UUID id, String name, BigDecimal fps, int headRevision, Instant createdAt, String createdBy,
                         Instant updatedAt, Instant archivedAt, Instant deletedAt, String deletedBy, Revision revision,
                         List<ProjectFile> files) {
        static ProjectDetail of(Project p, Revision r, List<ProjectFile> files) {
            return new ProjectDetail(p.id(), p.name(), p.fps(), p.headRevision(), p.createdAt(), p.createdBy(),
                    p.updatedAt(), p.archivedAt(), p.deletedAt(), p.deletedBy(), r, files);
        }
    }

    /** One revision with its manifest. */
    record RevisionDetail(UUID projectId, String name, int revision, Integer parentRevision, String author, String message,
                          Instant createdAt, int fileCount, long byteCount, JsonNode report, List<ProjectFile> files) {
        static RevisionDetail of(Project p, Revision r, List<ProjectFile> files) {
            return new RevisionDetail(p.id(), p.name(), r.revision(), r.parentRevision(), r.author(), r.message(),
                    r.createdAt(), r.fileCount(), r.byteCount(), r.report(), files);
        }
    }

    /** The answer of an import. */
    record Imported(UUID id, String name, int revision, Report report) {}

    /** The answer of a push: the revision it made (or the head, when nothing changed). */
    record Pushed(UUID id, String name, int revision, Integer parentRevision, boolean created, Instant createdAt,
                  Report report) {}

    /** What a pull from {@code base} to {@code revision} must write and delete. */
    record Changes(int base, int revision, List<ProjectFile> added, List<ProjectFile> modified, List<String> removed) {}

    /** A blob the server lacks. */
    record MissingBlob(String sha256, long size) {}

    /** The answer of {@code /missing}. */
    record Missing(List<MissingBlob> missing, int currentRevision) {}
}
