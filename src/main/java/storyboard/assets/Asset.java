package storyboard.assets;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonInclude.Include;
import com.fasterxml.jackson.annotation.JsonRawValue;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * An asset as the API answers it: with all its versions ({@code versions}, one asset) or only its latest
 * ({@code latest}, in lists); {@code deleted_at} and {@code deleted_by} only on a deleted one.
 *
 * @param metadata the JSON object's text, written as it is
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
record Asset(UUID id, String name, String kind, String project, String scene, String shot, String panel,
             List<String> tags, @JsonRawValue String metadata, Instant createdAt, String createdBy, Instant updatedAt,
             @JsonInclude(Include.NON_NULL) Instant deletedAt, @JsonInclude(Include.NON_NULL) String deletedBy,
             Integer latestVersion, @JsonInclude(Include.NON_NULL) Version latest,
             @JsonInclude(Include.NON_NULL) List<Version> versions) {

    /** As one asset is answered: every version, newest first. */
    Asset withVersions(List<Version> all) {
        return new Asset(id, name, kind, project, scene, shot, panel, tags, metadata, createdAt, createdBy, updatedAt,
                deletedAt, deletedBy, all.isEmpty() ? null : all.get(0).version(), null, List.copyOf(all));
    }

    /** As a list shows it: its latest version only. */
    Asset withLatest(Version v) {
        return new Asset(id, name, kind, project, scene, shot, panel, tags, metadata, createdAt, createdBy, updatedAt,
                deletedAt, deletedBy, v.version(), v, null);
    }

    /**
     * One immutable version: its blob, what was read from the bytes, and what made it. {@code parents} is there in
     * single-asset answers, not in a list's {@code latest}.
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record Version(int version, String sha256, long size, String md5, String mediaType, String declaredMediaType,
                   Integer width, Integer height, Long durationMs, String thumbnailSha256, String author,
                   Instant createdAt, Provenance provenance, @JsonInclude(Include.NON_NULL) List<Ref> parents) {

        Version withParents(List<Ref> refs) {
            return new Version(version, sha256, size, md5, mediaType, declaredMediaType, width, height, durationMs,
                    thumbnailSha256, author, createdAt, provenance, List.copyOf(refs));
        }
    }

    /** What made a version: the prompt log, registry prompt, model, seed and job, each if known. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record Provenance(UUID promptLogId, String promptName, Integer promptVersion, String model, Long seed,
                      String jobId) {}

    /** One version of one asset (a version's parent, in requests and answers). */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record Ref(UUID assetId, int version) {}
}
