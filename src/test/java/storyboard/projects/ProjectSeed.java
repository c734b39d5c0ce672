package storyboard.projects;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import storyboard.support.TestServer;

/**
 * A project recorded straight in the database, its files stored as blobs through the blob API: for tests of the
 * structured view that need revisions made without the import and push routes.
 */
public final class ProjectSeed {
    private ProjectSeed() {}

    /** The contract's sample project: path → bytes. */
    public static Map<String, byte[]> sample() {
        return StructuredDiffTest.sample();
    }

    /** A project of this name whose revisions 1..n hold these files (path → bytes); its id. */
    public static UUID seed(TestServer server, String name, List<Map<String, byte[]>> revisions) {
        UUID id = UUID.randomUUID();
        for (Map<String, byte[]> files : revisions) {
            for (byte[] bytes : files.values()) {
                TestServer.Response r = server.send(server.request("/api/v1/blobs/" + StructuredDiffTest.sha256(bytes))
                        .header("Content-Type", "application/octet-stream")
                        .PUT(HttpRequest.BodyPublishers.ofByteArray(bytes)).build());
                assertThat(r.status()).as(r.body()).isIn(200, 201);
            }
        }
        server.jdbi().useTransaction(h -> {
            h.createUpdate("insert into project (id, name, head_revision, fps, created_by) values (:id, :name, :head, 24, 'seed')")
                    .bind("id", id).bind("name", name).bind("head", revisions.size()).execute();
            for (int n = 1; n <= revisions.size(); n++) {
                Map<String, byte[]> files = revisions.get(n - 1);
                h.createUpdate("insert into project_revision (project_id, revision, parent_revision, author, message,"
                                + " file_count, byte_count, report) values (:id, :n, :parent, 'seed', 'seeded', :count, :bytes,"
                                + " cast('{}' as jsonb))")
                        .bind("id", id).bind("n", n).bind("parent", n == 1 ? null : n - 1).bind("count", files.size())
                        .bind("bytes", files.values().stream().mapToLong(b -> b.length).sum()).execute();
                for (var f : files.entrySet()) {
                    String sha = StructuredDiffTest.sha256(f.getValue());
                    h.createUpdate("insert into project_file (project_id, revision, path, sha256, size)"
                                    + " values (:id, :n, :path, :sha, :size)")
                            .bind("id", id).bind("n", n).bind("path", f.getKey()).bind("sha", sha)
                            .bind("size", f.getValue().length).execute();
                    if (Storyboard.isScene(f.getKey())) {
                        try {
                            ShotIndex.insert(h, sha, Storyboard.parseScene(f.getKey(), f.getValue()));
                        } catch (Storyboard.Invalid e) {
                            throw new AssertionError(f.getKey() + ": " + e.getMessage());
                        }
                    }
                }
            }
        });
        return id;
    }
}
