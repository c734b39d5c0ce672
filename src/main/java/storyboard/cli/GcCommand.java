package storyboard.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import storyboard.api.Durations;
import storyboard.kernel.Actor;
import storyboard.kernel.Capability;
import storyboard.server.Capabilities;
import storyboard.server.Config;
import storyboard.assets.BlobGc;
import storyboard.assets.FileBlobStore;

/**
 * {@code gc [--dry-run] [--grace 24h]}: purges assets deleted longer ago than ASSET_RESTORE_DAYS, then removes blobs
 * nothing references, after a grace period.
 */
@Command(name = "gc", mixinStandardHelpOptions = true,
        description = "Purge assets deleted longer ago than ASSET_RESTORE_DAYS, then remove blobs that no asset version "
                + "(nor, later, project revision or job) references, once older than the grace period; also expired "
                + "resumable uploads and crash leftovers.")
public final class GcCommand implements Callable<Integer> {

    @Mixin
    DatabaseOptions database;

    @Option(names = "--dry-run", description = "List what would be removed; remove nothing")
    boolean dryRun;

    @Option(names = "--grace", defaultValue = "24h",
            description = "Keep blobs and files younger than this (e.g. 24h, 7d, 90m, 0s); default 24h")
    String grace;

    @Option(names = "--blob-dir", description = "Blob directory (default: BLOB_DIR, else <data dir>/blobs)")
    String blobDir;

    @Override
    public Integer call() {
        Duration g = parseDuration(grace);
        java.util.Map<String, String> flags = new java.util.LinkedHashMap<>(database.flags());
        if (blobDir != null) flags.put("BLOB_DIR", blobDir);
        Config config = Main.config(flags);
        java.nio.file.Path dir = config.blobDir();
        java.util.List<Capability.Purged> purged = new java.util.ArrayList<>();
        BlobGc.Report report = database.withDatabase(db -> {
            try {
                Capabilities capabilities = Capabilities.of(config, db);
                for (Capability c : capabilities.all()) purged.addAll(c.purgeDeleted(Actor.cli(), dryRun));
                return new BlobGc(db.jdbi(), new FileBlobStore(dir), capabilities.blobReferences())
                        .run(g, dryRun, Actor.cli());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        String verb = dryRun ? "would remove" : "removed";
        for (Capability.Purged p : purged) {
            System.out.println((dryRun ? "would purge " : "purged ") + p.kind() + " " + p.id() + " " + p.name()
                    + (p.project() == null || p.project().equals(p.name()) ? "" : " (project " + p.project() + ")"));
        }
        if (!purged.isEmpty()) {
            System.err.println("gc " + (dryRun ? "would purge " : "purged ") + purged.size()
                    + " deleted item(s) past their restore period");
        }
        long bytes = 0;
        for (BlobGc.Item i : report.blobs()) {
            System.out.println((dryRun ? "would remove blob " : "removed blob ") + i.sha256() + " " + i.size() + " bytes");
            bytes += i.size();
        }
        for (BlobGc.Item i : report.orphanFiles()) {
            System.out.println((dryRun ? "would remove file " : "removed file ") + i.sha256() + " " + i.size()
                    + " bytes (no row)");
            bytes += i.size();
        }
        System.err.println("gc " + verb + " " + report.blobs().size() + " blob(s) and " + report.orphanFiles().size()
                + " file(s) without a row, " + bytes + " bytes; " + report.expiredUploads() + " expired upload(s)"
                + (dryRun ? "" : ", " + report.staleFiles() + " stale temporary file(s)") + " (grace " + grace + ")");
        return 0;
    }

    static Duration parseDuration(String s) {
        return Durations.parse(s).orElseThrow(() ->
                new UserException("--grace: expected a duration such as 24h, 7d, 90m or 0s, not '" + s + "'"));
    }
}
