package storyboard.projects;

import static org.assertj.core.api.Assertions.assertThat;
import static storyboard.projects.ProjectFixtures.importZip;
import static storyboard.projects.ProjectFixtures.manifest;
import static storyboard.projects.ProjectFixtures.sample;
import static storyboard.projects.ProjectFixtures.uniqueName;
import static storyboard.projects.ProjectFixtures.zip;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import storyboard.cli.Main;
import storyboard.support.TestDatabase;
import storyboard.support.TestLogging;
import storyboard.support.TestServer;

/**
 * Archive, delete, restore and purge; the listing; credentials restricted to projects. A server of its own, as gc
 * runs against its database.
 */
class ProjectLifecycleTest {
    private static TestServer server;
    private static final String T = TestServer.TOKEN;

    @BeforeAll
    static void start() {
        server = TestServer.start(TestDatabase.get().newDatabase(), Map.of());
    }

    @AfterAll
    static void stop() {
        server.close();
        TestLogging.restoreDefault(); // gc configures logging as the command line does
    }

    private static String path(String id) {
        return "/api/v1/projects/" + id;
    }

    private static List<String> names(String query, String token) {
        List<String> names = new ArrayList<>();
        server.call(token, "GET", "/api/v1/projects" + query, null).json().get("items")
                .forEach(p -> names.add(p.get("name").asText()));
        return names;
    }

    private static List<String> events(String id) {
        return server.jdbi().withHandle(h -> h.createQuery("select type from event where subject_id = :id order by seq")
                .bind("id", id).mapTo(String.class).list());
    }

    @Test
    void anArchivedProjectRefusesPushesAndLeavesTheDefaultList() {
        String name = uniqueName("Archive");
        Map<String, byte[]> files = sample(name);
        String id = ProjectFixtures.imported(server, files);
        assertThat(names("?q=" + name, T)).containsExactly(name);

        TestServer.Response archived = server.call(T, "POST", path(id) + "/archive", null);
        assertThat(archived.status()).as(archived.body()).isEqualTo(200);
        assertThat(archived.json().get("archivedAt").isNull()).isFalse();
        assertThat(names("?q=" + name, T)).isEmpty();
        assertThat(names("?q=" + name + "&archived=true", T)).containsExactly(name);

        Map<String, byte[]> next = new TreeMap<>(files);
        next.put("notes.txt", "archived?".getBytes(StandardCharsets.UTF_8));
        ProjectFixtures.putBlob(server, T, id, next.get("notes.txt"));
        TestServer.Response refused = server.call(T, "POST", path(id) + "/revisions",
                "{\"baseRevision\":1,\"files\":" + manifest(next) + "}");
        assertThat(refused.status()).as(refused.body()).isEqualTo(409);
        assertThat(refused.json().get("error").asText()).isEqualTo("archived");

        assertThat(server.call(T, "POST", path(id) + "/unarchive", null).json().get("archivedAt").isNull()).isTrue();
        assertThat(ProjectFixtures.push(server, id, 1, next, "after unarchive").status()).isEqualTo(201);
        assertThat(events(id)).containsExactly("project.imported", "project.archived", "project.unarchived", "project.pushed");
    }

    @Test
    void aDeletedProjectIsHiddenUntilRestoredAndItsNameIsFree() {
        String name = uniqueName("Delete");
        Map<String, byte[]> files = sample(name);
        String id = ProjectFixtures.imported(server, files);
        assertThat(server.call(T, "POST", path(id) + "/restore", null).status()).isEqualTo(409);

        assertThat(server.call(T, "DELETE", path(id), null).status()).isEqualTo(204);
        assertThat(server.call(T, "GET", path(id), null).status()).isEqualTo(404);
        assertThat(server.call(T, "GET", path(id) + "/files/project.json", null).status()).isEqualTo(404);
        assertThat(names("?q=" + name, T)).isEmpty();
        assertThat(names("?q=" + name + "&include_deleted=true", T)).containsExactly(name);
        String reader = server.createToken("{\"name\":\"lifecycle reader\",\"scopes\":[\"read\",\"write\"]}");
        assertThat(server.call(reader, "GET", "/api/v1/projects?include_deleted=true", null).status()).isEqualTo(403);
        assertThat(server.call(reader, "DELETE", path(id), null).status()).isEqualTo(403);

        TestServer.Response restored = server.call(T, "POST", path(id) + "/restore", null);
        assertThat(restored.status()).as(restored.body()).isEqualTo(200);
        assertThat(restored.json().get("deletedAt").isNull()).isTrue();
        assertThat(server.call(T, "GET", path(id), null).json().get("files").size()).isEqualTo(files.size());

        // deleted, its name taken by a new import: restoring it would clash
        assertThat(server.call(T, "DELETE", path(id), null).status()).isEqualTo(204);
        TestServer.Response again = importZip(server, T, zip(files, null), null);
        assertThat(again.status()).as(again.body()).isEqualTo(201);
        TestServer.Response clash = server.call(T, "POST", path(id) + "/restore", null);
        assertThat(clash.status()).isEqualTo(409);
        assertThat(clash.json().get("error").asText()).isEqualTo("project_exists");
        assertThat(events(id)).containsExactly("project.imported", "project.deleted", "project.restored", "project.deleted");
    }

    @Test
    void gcPurgesProjectsDeletedLongerAgoThanTheRestorePeriodAndThenTheirBlobs() {
        String name = uniqueName("Purge");
        Map<String, byte[]> files = sample(name);
        byte[] unique = ("only in " + name).getBytes(StandardCharsets.UTF_8);
        files.put("notes/only-here.txt", unique);
        String id = ProjectFixtures.imported(server, files);
        String keptName = uniqueName("Kept");
        String kept = ProjectFixtures.imported(server, sample(keptName));
        assertThat(server.call(T, "DELETE", path(id), null).status()).isEqualTo(204);
        assertThat(server.call(T, "DELETE", path(kept), null).status()).isEqualTo(204);
        String sha = ProjectFixtures.sha256(unique);
        server.jdbi().useHandle(h -> {
            h.execute("update project set deleted_at = now() - interval '31 days' where id = ?::uuid", id);
            h.execute("update blob set created_at = now() - interval '2 days' where sha256 = ?", sha);
        });
        assertThat(server.call(T, "POST", path(id) + "/restore", null).status()).isEqualTo(410);

        String dry = gc("--dry-run");
        assertThat(dry).contains("would purge project " + id + " " + name).doesNotContain(kept);

        String out = gc();
        assertThat(out).contains("purged project " + id).contains("removed blob " + sha).doesNotContain(kept);
        long rows = server.jdbi().withHandle(h -> h.createQuery("select count(*) from project_revision where project_id = ?::uuid")
                .bind(0, id).mapTo(Long.class).one());
        assertThat(rows).isZero();
        assertThat(server.call(T, "POST", path(id) + "/restore", null).status()).isEqualTo(404);
        assertThat(server.call(T, "POST", path(kept) + "/restore", null).status()).isEqualTo(200);
        JsonNode purged = server.call(T, "GET", "/api/v1/events?types=project.purged", null).json().get("items");
        assertThat(purged).hasSize(1);
        assertThat(purged.get(0).get("subject_id").asText()).isEqualTo(id);
        assertThat(purged.get(0).get("project").asText()).isEqualTo(name);
    }

    private static String gc(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream old = System.out;
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            List<String> full = new ArrayList<>(List.of("gc", "--database-url",
                    TestDatabase.asSetting(server.app().config().databaseUrl().orElseThrow()),
                    "--blob-dir", server.app().config().blobDir().toString()));
            full.addAll(List.of(args));
            int code = new CommandLine(new Main()).execute(full.toArray(String[]::new));
            assertThat(code).as(out.toString(StandardCharsets.UTF_8)).isZero();
            return out.toString(StandardCharsets.UTF_8);
        } finally {
            System.setOut(old);
        }
    }

    @Test
    void aCredentialRestrictedToProjectsSeesAndChangesOnlyThose() {
        String mine = uniqueName("Mine");
        String theirs = uniqueName("Theirs");
        String token = server.createToken("{\"name\":\"restricted\",\"scopes\":[\"read\",\"write\"],\"projects\":[\"" + mine + "\"]}");
        String theirId = ProjectFixtures.imported(server, sample(theirs));

        TestServer.Response refused = importZip(server, token, zip(sample(theirs + "-other"), null), null);
        assertThat(refused.status()).as(refused.body()).isEqualTo(403);
        TestServer.Response ok = importZip(server, token, zip(sample(mine), null), null);
        assertThat(ok.status()).as(ok.body()).isEqualTo(201);
        String myId = ok.json().get("id").asText();

        assertThat(names("", token)).containsExactly(mine);
        assertThat(server.call(token, "GET", path(myId), null).status()).isEqualTo(200);
        for (String p : List.of("", "/revisions", "/revisions/1", "/changes?base=1", "/export", "/files/project.json")) {
            TestServer.Response r = server.call(token, "GET", path(theirId) + p, null);
            assertThat(r.status()).as(p).isEqualTo(404);
            assertThat(r.json().get("error").asText()).isEqualTo("not_found");
        }
        String commit = "{\"baseRevision\":1,\"files\":" + manifest(sample(theirs)) + "}";
        assertThat(server.call(token, "POST", path(theirId) + "/missing", commit).status()).isEqualTo(404);
        assertThat(server.call(token, "POST", path(theirId) + "/revisions", commit).status()).isEqualTo(404);
        assertThat(ProjectFixtures.putBlob(server, token, theirId, "x".getBytes(StandardCharsets.UTF_8)).status()).isEqualTo(404);

        // a push that renames its project to one the credential may not see is refused
        Map<String, byte[]> renamed = sample(theirs + "-renamed");
        ProjectFixtures.putBlob(server, token, myId, renamed.get("project.json"));
        TestServer.Response rename = server.call(token, "POST", path(myId) + "/revisions",
                "{\"baseRevision\":1,\"files\":" + manifest(renamed) + "}");
        assertThat(rename.status()).as(rename.body()).isEqualTo(403);
    }
}
