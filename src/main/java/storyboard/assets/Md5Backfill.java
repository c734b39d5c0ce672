package storyboard.assets;

import java.io.InputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Computes the MD5 of large blobs after their upload, one at a time on a background thread, and records it on
 * the blob and on every asset version of it. At start it picks up what a previous run left undone.
 */
public final class Md5Backfill implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Md5Backfill.class);
    private final Jdbi jdbi;
    private final BlobStore store;
    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "blob-md5-backfill");
        t.setDaemon(true);
        return t;
    });

    public Md5Backfill(Jdbi jdbi, BlobStore store) {
        this.jdbi = jdbi;
        this.store = store;
    }

    /** Queues every blob that still has no MD5 (after a restart). */
    public void resume() {
        worker.execute(() -> {
            try {
                List<String> pending = jdbi.withHandle(h -> h.createQuery(
                        "select sha256 from blob where md5 is null order by created_at").mapTo(String.class).list());
                pending.forEach(this::submit);
            } catch (RuntimeException e) {
                LOG.warn("could not list blobs without an MD5: {}", e.getMessage());
            }
        });
    }

    public void submit(String sha256) {
        worker.execute(() -> compute(sha256));
    }

    private void compute(String sha256) {
        try (InputStream in = store.open(sha256, 0)) {
            MessageDigest md5 = Hasher.digest("MD5");
            byte[] buf = new byte[1 << 18];
            int n;
            while ((n = in.read(buf)) > 0) md5.update(buf, 0, n);
            String hex = HexFormat.of().formatHex(md5.digest());
            jdbi.useTransaction(h -> {
                h.createUpdate("update blob set md5 = :md5 where sha256 = :sha and md5 is null")
                        .bind("md5", hex).bind("sha", sha256).execute();
                h.createUpdate("update asset_version set md5 = :md5 where blob_sha256 = :sha and md5 is null")
                        .bind("md5", hex).bind("sha", sha256).execute();
            });
        } catch (java.nio.file.NoSuchFileException e) {
            // removed by gc meanwhile: nothing to record
        } catch (Exception e) {
            LOG.warn("could not compute the MD5 of blob {}: {}", sha256, e.getMessage());
        }
    }

    @Override
    public void close() {
        worker.shutdownNow();
    }
}
