package storyboard.assets;

import java.util.List;
import java.util.stream.Collectors;
import storyboard.kernel.Capability;

/**
 * What keeps a blob alive: every column that holds a blob's SHA-256, as each capability declares them
 * ({@link Capability#blobReferences}; these are the asset registry's). Garbage collection removes a blob only when
 * none of them names it (and no unfinished upload declared it).
 */
public final class BlobReferences {
    /** The asset registry's references; other capabilities declare theirs through {@link Capability#blobReferences}. */
    public static final List<Capability.BlobReference> REFERENCES = List.of(
            new Capability.BlobReference("asset_version", "blob_sha256"),
            new Capability.BlobReference("asset_version", "thumbnail_sha256"));

    private BlobReferences() {}

    /**
     * A SQL condition that is true when the blob row aliased {@code alias} is referenced by nothing and no
     * unfinished upload declared its hash.
     */
    static String unreferenced(String alias, List<Capability.BlobReference> references) {
        String refs = references.stream()
                .map(r -> "not exists (select 1 from " + r.table() + " r where r." + r.column() + " = " + alias + ".sha256)")
                .collect(Collectors.joining(" and "));
        return refs + " and not exists (select 1 from blob_upload u where u.declared_sha256 = " + alias
                + ".sha256 and u.sha256 is null and u.expires_at > now())";
    }
}
