package storyboard.assets;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.jdbi.v3.core.Jdbi;
import storyboard.kernel.Actor;
import storyboard.kernel.Api;
import storyboard.kernel.BlobStorage;
import storyboard.kernel.Capability;

/** Content-addressed blobs, resumable uploads, and the asset registry with versions and lineage. */
public final class AssetsCapability implements Capability {
    /** What the server's settings say about files. */
    public record Settings(Path blobDir, UploadMemory uploadMemory, long maxBlobBytes, int restoreDays) {}

    private final Jdbi jdbi;
    private final Settings settings;
    private final FileBlobStore blobStore;
    private final Md5Backfill md5Backfill;
    private final BlobIndex blobIndex;

    /** Opens the blob directory; an IOException says it cannot be used. */
    public AssetsCapability(Jdbi jdbi, Settings settings) throws IOException {
        this.jdbi = jdbi;
        this.settings = settings;
        this.blobStore = new FileBlobStore(settings.blobDir(), settings.uploadMemory());
        this.md5Backfill = new Md5Backfill(jdbi, blobStore);
        this.blobIndex = new BlobIndex(jdbi, md5Backfill);
    }

    @Override
    public String name() {
        return "assets";
    }

    @Override
    public void routes(Api api) {
        AssetStore store = new AssetStore(jdbi, settings.restoreDays());
        new AssetRoutes(store, new AssetBlobs(blobStore, blobIndex, settings.maxBlobBytes())).register(api);
        new BlobRoutes(blobStore, blobIndex, settings.maxBlobBytes()).register(api);
        new UploadRoutes(blobStore, blobIndex, new UploadStore(jdbi), settings.maxBlobBytes()).register(api);
        new AssetPages(store, new AssetPageReads(jdbi)).register(api);
    }

    /** The gallery, in the dashboard's navigation after prompt history and prompts. */
    @Override
    public List<NavLink> nav() {
        return List.of(new NavLink("Assets", "/assets", 40));
    }

    @Override
    public List<Purged> purgeDeleted(Actor actor, boolean dryRun) {
        return new AssetStore(jdbi, settings.restoreDays()).purgeExpired(actor, dryRun).stream()
                .map(p -> new Purged("asset", p.id().toString(), p.name(), p.project())).toList();
    }

    @Override
    public List<BlobReference> blobReferences() {
        return BlobReferences.REFERENCES;
    }

    /** Resumes computing the MD5 of blobs stored before it was known. */
    @Override
    public void start() {
        md5Backfill.resume();
    }

    @Override
    public void close() {
        md5Backfill.close();
    }

    /** The blob store as other capabilities keep their files in it. */
    public BlobStorage blobs() {
        return new StoredBlobs(blobStore, blobIndex, settings.maxBlobBytes());
    }

    /** Where multipart uploads spool their parts: beside the blobs, on the same disk. */
    public Path spoolDirectory() {
        return blobStore.root().resolve("tmp");
    }

    /** The memory uploads are received in. */
    public UploadMemory uploadMemory() {
        return blobStore.memory();
    }
}
