package storyboard.assets;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import storyboard.api.Sizes;
import storyboard.kernel.Json;

/**
 * What the asset pages' templates show, prepared from the registry's records: the templates (compiled into their own
 * package) read only these public records and never decide what a credential may see.
 */
public final class AssetViews {
    private AssetViews() {}

    /** The gallery's filters as the URL holds them, to fill the form and make the links of further pages. */
    public record Query(Map<String, String> params) {
        /** The filters of the gallery, in the order of its form. */
        static final List<String> NAMES = List.of("q", "kind", "project", "scene", "shot", "panel", "tag", "name",
                "sha256", "md5", "include_deleted");

        public Query {
            params = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(params));
        }

        /** The value of a filter, or "" (for the form). */
        public String value(String name) {
            return params.getOrDefault(name, "");
        }

        public boolean any() {
            return !params.isEmpty();
        }

        /** {@code path} with these filters and {@code cursor} (if not null) as its query. */
        public String href(String path, String cursor) {
            StringBuilder s = new StringBuilder(path);
            char sep = '?';
            for (Map.Entry<String, String> e : params.entrySet()) {
                s.append(sep).append(e.getKey()).append('=').append(URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8));
                sep = '&';
            }
            if (cursor != null) s.append(sep).append("cursor=").append(URLEncoder.encode(cursor, StandardCharsets.UTF_8));
            return s.toString();
        }
    }

    /** An asset in the gallery: its latest version's picture, if it has one. */
    public record Card(String href, String name, String kind, String project, int version, String mediaType, String size,
                       Picture picture, Instant updatedAt, boolean deleted) {
        /** The name's last part (its file name), shown first: names often share a long folder. */
        public String fileName() {
            String file = name.substring(name.lastIndexOf('/') + 1);
            return file.isEmpty() ? name : file;
        }

        /** The name's folder, or "" without one. */
        public String folder() {
            int slash = name.lastIndexOf('/');
            return slash <= 0 || slash == name.length() - 1 ? "" : name.substring(0, slash);
        }

        static Card of(Asset a) {
            Asset.Version v = a.latest();
            boolean deleted = a.deletedAt() != null;
            return new Card(assetHref(a.id(), null, deleted), a.name(), a.kind(), a.project(), v.version(), v.mediaType(),
                    bytes(v.size()), deleted ? null : Picture.of(a.id(), v), a.updatedAt(), deleted);
        }
    }

    /**
     * A version's thumbnail, at the size it will have (at most {@link Thumbnails#MAX_SIDE} on the long side), so the
     * page does not jump as pictures arrive. Only for versions that can have one: a URL the browser asks for always
     * answers a picture.
     */
    public record Picture(String src, int width, int height) {
        static Picture of(UUID asset, Asset.Version v) {
            if (!Thumbnails.possible(v.mediaType(), v.width(), v.height())) return null;
            double scale = Math.min(1.0, (double) Thumbnails.MAX_SIDE / Math.max(v.width(), v.height()));
            return new Picture("/api/v1/assets/" + asset + "/thumbnail?version=" + v.version(),
                    Math.max(1, (int) Math.round(v.width() * scale)), Math.max(1, (int) Math.round(v.height() * scale)));
        }
    }

    /** One asset's page: what it is, its versions newest first, and the version whose lineage is shown. */
    public record Detail(String id, String name, String kind, String project, String scene, String shot, String panel,
                         List<String> tags, List<Field> metadata, Instant createdAt, String createdBy, Instant updatedAt,
                         Instant deletedAt, String deletedBy, List<VersionView> versions, VersionView shown) {
        public boolean deleted() {
            return deletedAt != null;
        }

        /** The gallery of the assets that share this filter's value, within this asset's project. */
        public String within(String filter, String value) {
            return "/assets?" + (project == null ? "" : "project=" + param(project) + "&") + filter + "=" + param(value);
        }
    }

    /** A metadata entry: its key, and its value as text (a string as it is, anything else as JSON). */
    public record Field(String key, String value) {}

    /**
     * A version with its provenance.
     *
     * @param parents what it was made from; a parent the credential cannot see (deleted, or another project's) has no
     *                name and no link
     */
    public record VersionView(int version, String sha256, String size, long bytes, String md5, String mediaType,
                              String declaredMediaType, String dimensions, String author, Instant createdAt,
                              String promptLogId, String promptLogHref, String promptName, Integer promptVersion,
                              String promptHref, String model, Long seed, String jobId, List<ParentLink> parents,
                              String downloadName, Picture picture) {
        public boolean hasProvenance() {
            return promptLogId != null || promptName != null || model != null || seed != null || jobId != null
                    || !parents.isEmpty();
        }
    }

    /** A parent version, linked to its asset's page when the credential can see it. */
    public record ParentLink(String href, String name, int version) {
        public boolean visible() {
            return href != null;
        }
    }

    /**
     * Where provenance links to: the prompt-history page of a log, the registry's page of a prompt version, each only
     * when the server has that page and the credential may open it.
     */
    record Links(boolean history, boolean prompts) {}

    static Detail detail(Asset a, int shown, Map<UUID, String> parentNames, Links links) {
        boolean deleted = a.deletedAt() != null;
        List<VersionView> versions = a.versions().stream().map(v -> version(a, v, parentNames, deleted, links)).toList();
        VersionView selected = versions.stream().filter(v -> v.version() == shown).findFirst().orElse(versions.get(0));
        return new Detail(a.id().toString(), a.name(), a.kind(), a.project(), a.scene(), a.shot(), a.panel(), a.tags(),
                fields(a.metadata()), a.createdAt(), a.createdBy(), a.updatedAt(), a.deletedAt(), a.deletedBy(), versions,
                selected);
    }

    private static VersionView version(Asset a, Asset.Version v, Map<UUID, String> parentNames, boolean deleted,
                                       Links links) {
        List<ParentLink> parents = new ArrayList<>();
        for (Asset.Ref r : v.parents() == null ? List.<Asset.Ref>of() : v.parents()) {
            String name = parentNames.get(r.assetId());
            parents.add(name == null ? new ParentLink(null, null, r.version())
                    : new ParentLink(assetHref(r.assetId(), r.version(), false), name, r.version()));
        }
        // By name, those the credential cannot see last.
        parents.sort(java.util.Comparator.comparing(ParentLink::name, java.util.Comparator.nullsLast(String::compareTo))
                .thenComparingInt(ParentLink::version));
        Asset.Provenance p = v.provenance();
        String log = p.promptLogId() == null ? null : p.promptLogId().toString();
        String promptHref = p.promptName() == null || !links.prompts() ? null : "/prompts/" + pathOf(p.promptName())
                + (p.promptVersion() == null ? "" : "?version=" + p.promptVersion());
        return new VersionView(v.version(), v.sha256(), bytes(v.size()), v.size(), v.md5(), v.mediaType(),
                v.declaredMediaType(), dimensions(v), v.author(), v.createdAt(), log,
                log == null || !links.history() ? null : "/history/" + log, p.promptName(), p.promptVersion(), promptHref,
                p.model(), p.seed(), p.jobId(), List.copyOf(parents), downloadName(a.name(), v),
                deleted ? null : Picture.of(a.id(), v));
    }

    /** The page of an asset (at a version); a deleted one is shown only to admins who ask for it. */
    public static String assetHref(UUID id, Integer version, boolean deleted) {
        String href = "/assets/" + id;
        if (version != null) href += "?version=" + version;
        if (deleted) href += (version == null ? "?" : "&") + "include_deleted=true";
        return href;
    }

    /** The file name a download is saved as: the last part of the asset's name, with the version before its extension. */
    static String downloadName(String name, Asset.Version v) {
        String file = name.substring(name.lastIndexOf('/') + 1).replaceAll("[\\\\\"\\p{Cntrl}]", "_");
        if (file.isBlank()) file = "asset";
        int dot = file.lastIndexOf('.');
        return dot > 0 ? file.substring(0, dot) + "-v" + v.version() + file.substring(dot) : file + "-v" + v.version();
    }

    /** A prompt's name in a path: each segment encoded, its slashes kept (the registry's names hold them). */
    static String pathOf(String name) {
        StringBuilder s = new StringBuilder();
        for (String part : name.split("/", -1)) {
            if (s.length() > 0) s.append('/');
            s.append(URLEncoder.encode(part, StandardCharsets.UTF_8).replace("+", "%20"));
        }
        return s.toString();
    }

    private static String dimensions(Asset.Version v) {
        if (v.width() != null && v.height() != null) return v.width() + " × " + v.height() + " px";
        if (v.durationMs() != null) return String.format(Locale.ROOT, "%.1f s", v.durationMs() / 1000.0);
        return null;
    }

    /** A size for people: bytes, KiB, MiB, GiB. */
    public static String bytes(long n) {
        return Sizes.human(n);
    }

    private static List<Field> fields(String metadataJson) {
        if (metadataJson == null) return List.of();
        try {
            JsonNode m = Json.MAPPER.readTree(metadataJson);
            List<Field> out = new ArrayList<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = m.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                out.add(new Field(e.getKey(), e.getValue().isTextual() ? e.getValue().textValue()
                        : Json.MAPPER.writeValueAsString(e.getValue())));
            }
            return out;
        } catch (JsonProcessingException e) {
            return List.of(new Field("(metadata)", metadataJson));
        }
    }

    /** A value in a link's query, encoded. */
    public static String param(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    /** Short form of a hash for a table; the whole one goes in its title. */
    public static String shortHash(String hash) {
        return hash == null ? "" : hash.length() <= 12 ? hash : hash.substring(0, 12) + "…";
    }
}
