package storyboard.projects;

import static org.assertj.core.api.Assertions.assertThat;
import static storyboard.projects.ProjectFixtures.imported;
import static storyboard.projects.ProjectFixtures.manifest;
import static storyboard.projects.ProjectFixtures.push;
import static storyboard.projects.ProjectFixtures.sample;
import static storyboard.projects.ProjectFixtures.sha256;
import static storyboard.projects.ProjectFixtures.uniqueName;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import storyboard.support.TestServer;

/** Delta pushes (missing → blobs → commit), conflicts, changes between revisions and single files. */
class ProjectSyncApiTest {
    private final TestServer server = TestServer.shared();
    private static final String T = TestServer.TOKEN;
    private static final String SCENE = "scenes/0001_SCENE_001.json";

    private static byte[] edited(byte[] scene, String from, String to) {
        String s = new String(scene, StandardCharsets.UTF_8);
        assertThat(s).contains(from);
        return s.replaceFirst(java.util.regex.Pattern.quote(from), to).getBytes(StandardCharsets.UTF_8);
    }

    private static String path(String id) {
        return "/api/v1/projects/" + id;
    }

    private long blobRows() {
        return server.jdbi().withHandle(h -> h.createQuery("select count(*) from blob").mapTo(Long.class).one());
    }

    @Test
    void aDeltaPushUploadsOnlyTheChangedFilesAndMakesTheNextRevision() {
        Map<String, byte[]> files = sample(uniqueName("Delta"));
        String id = imported(server, files);

        Map<String, byte[]> next = new TreeMap<>(files);
        next.put(SCENE, edited(files.get(SCENE), "You said you'd call.", "You said you'd call me."));
        byte[] newThumb = ("a new thumbnail " + id).getBytes(StandardCharsets.UTF_8);
        next.put("thumbnails/panel_new.png", newThumb);
        next.remove("logs/shots_2025-09-21_20-12-00_default_user_v1_remote.json");

        TestServer.Response m = server.call(T, "POST", path(id) + "/missing",
                "{\"baseRevision\":1,\"files\":" + manifest(next) + "}");
        assertThat(m.status()).as(m.body()).isEqualTo(200);
        assertThat(m.json().get("currentRevision").asInt()).isEqualTo(1);
        List<String> missing = new ArrayList<>();
        m.json().get("missing").forEach(x -> missing.add(x.get("sha256").asText()));
        assertThat(missing).containsExactlyInAnyOrder(sha256(next.get(SCENE)), sha256(newThumb));
        assertThat(m.json().get("missing").get(0).get("size").asLong()).isPositive();

        // committing before the blobs are there: 400 missing_blobs naming them
        String commit = "{\"baseRevision\":1,\"message\":\"MARA asks\",\"files\":" + manifest(next) + "}";
        TestServer.Response early = server.call(T, "POST", path(id) + "/revisions", commit);
        assertThat(early.status()).as(early.body()).isEqualTo(400);
        assertThat(early.json().get("error").asText()).isEqualTo("missing_blobs");
        assertThat(early.json().get("missing").size()).isEqualTo(2);

        long before = blobRows();
        for (byte[] b : List.of(next.get(SCENE), newThumb)) {
            TestServer.Response put = ProjectFixtures.putBlob(server, T, id, b);
            assertThat(put.status()).as(put.body()).isEqualTo(201);
            assertThat(put.json().get("created").asBoolean()).isTrue();
        }
        assertThat(blobRows()).isEqualTo(before + 2);
        TestServer.Response again = ProjectFixtures.putBlob(server, T, id, newThumb);
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.json().get("created").asBoolean()).isFalse();
        // a body that is not what its hash says is refused, and not kept
        TestServer.Response lie = server.send(server.request(path(id) + "/blobs/" + sha256("other".getBytes()))
                .PUT(java.net.http.HttpRequest.BodyPublishers.ofString("not other")).build());
        assertThat(lie.status()).as(lie.body()).isEqualTo(422);

        TestServer.Response ok = server.call(T, "POST", path(id) + "/revisions", commit);
        assertThat(ok.status()).as(ok.body()).isEqualTo(201);
        assertThat(ok.json().get("revision").asInt()).isEqualTo(2);
        assertThat(ok.json().get("parentRevision").asInt()).isEqualTo(1);
        assertThat(ok.json().get("created").asBoolean()).isTrue();
        assertThat(ok.json().get("report").get("files").asInt()).isEqualTo(next.size());
        assertThat(blobRows()).isEqualTo(before + 2);

        // the same manifest again, on the new head: nothing changes
        TestServer.Response same = server.call(T, "POST", path(id) + "/revisions",
                "{\"message\":\"again\",\"files\":" + manifest(next) + "}".replace("{", "{"));
        assertThat(same.status()).as(same.body()).isEqualTo(428);
        TestServer.Response same2 = server.send(server.request(path(id) + "/revisions").header("Content-Type", "application/json")
                .header("If-Match", "\"2\"").POST(java.net.http.HttpRequest.BodyPublishers.ofString(
                        "{\"message\":\"again\",\"files\":" + manifest(next) + "}")).build());
        assertThat(same2.status()).as(same2.body()).isEqualTo(200);
        assertThat(same2.json().get("created").asBoolean()).isFalse();
        assertThat(same2.json().get("revision").asInt()).isEqualTo(2);

        // changes from 1 to 2: what a pull writes and deletes
        JsonNode changes = server.call(T, "GET", path(id) + "/changes?base=1", null).json();
        assertThat(changes.get("base").asInt()).isEqualTo(1);
        assertThat(changes.get("revision").asInt()).isEqualTo(2);
        assertThat(changes.get("added").size()).isEqualTo(1);
        assertThat(changes.get("added").get(0).get("path").asText()).isEqualTo("thumbnails/panel_new.png");
        assertThat(changes.get("modified").size()).isEqualTo(1);
        assertThat(changes.get("modified").get(0).get("path").asText()).isEqualTo(SCENE);
        assertThat(changes.get("modified").get(0).get("sha256").asText()).isEqualTo(sha256(next.get(SCENE)));
        assertThat(changes.get("removed").toString()).isEqualTo("[\"logs/shots_2025-09-21_20-12-00_default_user_v1_remote.json\"]");
        JsonNode back = server.call(T, "GET", path(id) + "/changes?base=2&revision=1", null).json();
        assertThat(back.get("removed").toString()).isEqualTo("[\"thumbnails/panel_new.png\"]");
        assertThat(back.get("added").size()).isEqualTo(1);
        assertThat(server.call(T, "GET", path(id) + "/changes?base=3", null).status()).isEqualTo(404);
        assertThat(server.call(T, "GET", path(id) + "/changes", null).status()).isEqualTo(400);

        // revisions, newest first; one revision with its manifest and report
        JsonNode revs = server.call(T, "GET", path(id) + "/revisions", null).json();
        assertThat(revs.get("items").size()).isEqualTo(2);
        assertThat(revs.get("items").get(0).get("revision").asInt()).isEqualTo(2);
        assertThat(revs.get("items").get(0).get("message").asText()).isEqualTo("MARA asks");
        assertThat(revs.get("items").get(0).get("author").asText()).isEqualTo("AUTH_TOKEN");
        JsonNode page1 = server.call(T, "GET", path(id) + "/revisions?limit=1", null).json();
        assertThat(page1.get("items").size()).isEqualTo(1);
        JsonNode page2 = server.call(T, "GET", path(id) + "/revisions?limit=1&cursor=" + page1.get("next_cursor").asText(), null).json();
        assertThat(page2.get("items").get(0).get("revision").asInt()).isEqualTo(1);
        assertThat(page2.get("next_cursor").isNull()).isTrue();
        JsonNode rev1 = server.call(T, "GET", path(id) + "/revisions/1", null).json();
        assertThat(rev1.get("files").size()).isEqualTo(files.size());
        assertThat(rev1.get("report").get("panels").asInt()).isEqualTo(12);
        assertThat(server.call(T, "GET", path(id) + "/revisions/9", null).status()).isEqualTo(404);

        // the event of the push
        List<String> events = server.jdbi().withHandle(h -> h.createQuery("select type from event where subject_id = :id order by seq")
                .bind("id", id).mapTo(String.class).list());
        assertThat(events).containsExactly("project.imported", "project.pushed");
    }

    @Test
    void aStaleBaseIsAConflictNamingTheCurrentRevision() {
        Map<String, byte[]> files = sample(uniqueName("Stale"));
        String id = imported(server, files);
        Map<String, byte[]> next = new TreeMap<>(files);
        next.put("notes.txt", "first".getBytes(StandardCharsets.UTF_8));
        assertThat(push(server, id, 1, next, "first push").status()).isEqualTo(201);

        Map<String, byte[]> other = new TreeMap<>(files);
        other.put("notes.txt", "second".getBytes(StandardCharsets.UTF_8));
        TestServer.Response missing = server.call(T, "POST", path(id) + "/missing",
                "{\"baseRevision\":1,\"files\":" + manifest(other) + "}");
        assertThat(missing.status()).as(missing.body()).isEqualTo(409);
        ProjectFixtures.putBlob(server, T, id, other.get("notes.txt"));
        TestServer.Response r = server.call(T, "POST", path(id) + "/revisions",
                "{\"baseRevision\":1,\"message\":\"late\",\"files\":" + manifest(other) + "}");
        assertThat(r.status()).as(r.body()).isEqualTo(409);
        assertThat(r.json().get("error").asText()).isEqualTo("revision_conflict");
        assertThat(r.json().get("currentRevision").asInt()).isEqualTo(2);
        assertThat(r.json().get("author").asText()).isEqualTo("AUTH_TOKEN");
        assertThat(r.json().get("revisionMessage").asText()).isEqualTo("first push");
        assertThat(r.json().get("pushedAt").asText()).isNotBlank();
        assertThat(r.json().get("message").asText()).contains("revision 2").contains("first push");
    }

    @Test
    void ofEightConcurrentPushesOnTheSameBaseExactlyOneWins() throws Exception {
        Map<String, byte[]> files = sample(uniqueName("Race"));
        String id = imported(server, files);
        List<String> commits = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            Map<String, byte[]> next = new TreeMap<>(files);
            byte[] note = ("client " + i).getBytes(StandardCharsets.UTF_8);
            next.put("notes.txt", note);
            assertThat(ProjectFixtures.putBlob(server, T, id, note).status()).isIn(200, 201);
            commits.add("{\"baseRevision\":1,\"message\":\"client " + i + "\",\"files\":" + manifest(next) + "}");
        }
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<TestServer.Response>> answers = new ArrayList<>();
            for (String c : commits) {
                answers.add(pool.submit(() -> {
                    go.await();
                    return server.call(T, "POST", path(id) + "/revisions", c);
                }));
            }
            go.countDown();
            int won = 0;
            int conflicts = 0;
            for (Future<TestServer.Response> f : answers) {
                TestServer.Response r = f.get();
                if (r.status() == 201) {
                    won++;
                    assertThat(r.json().get("revision").asInt()).isEqualTo(2);
                } else {
                    assertThat(r.status()).as(r.body()).isEqualTo(409);
                    assertThat(r.json().get("error").asText()).isEqualTo("revision_conflict");
                    assertThat(r.json().get("currentRevision").asInt()).isEqualTo(2);
                    conflicts++;
                }
            }
            assertThat(won).isEqualTo(1);
            assertThat(conflicts).isEqualTo(7);
        } finally {
            pool.shutdownNow();
        }
        assertThat(server.call(T, "GET", path(id), null).json().get("headRevision").asInt()).isEqualTo(2);
    }

    @Test
    void oneFileIsServedWithItsEtagAndRanges() {
        Map<String, byte[]> files = sample(uniqueName("Files"));
        files.put("notes/a file with spaces.txt", "0123456789".getBytes(StandardCharsets.UTF_8));
        String id = imported(server, files);
        String thumb = files.keySet().stream().filter(p -> p.startsWith("thumbnails/")).findFirst().orElseThrow();
        TestServer.Response r = server.call(T, "GET", path(id) + "/files/" + thumb, null);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.bytes()).isEqualTo(files.get(thumb));
        assertThat(r.header("ETag")).isEqualTo("\"" + sha256(files.get(thumb)) + "\"");
        assertThat(r.header("Content-Type")).isEqualTo("image/png");

        TestServer.Response notModified = server.send(server.request(path(id) + "/files/" + thumb)
                .header("If-None-Match", r.header("ETag")).GET().build());
        assertThat(notModified.status()).isEqualTo(304);

        String spaced = path(id) + "/files/" + ProjectFixtures.encodePath("notes/a file with spaces.txt");
        TestServer.Response part = server.send(server.request(spaced + "?revision=1").header("Range", "bytes=2-5").GET().build());
        assertThat(part.status()).as(part.body()).isEqualTo(206);
        assertThat(part.body()).isEqualTo("2345");
        assertThat(part.header("Content-Range")).isEqualTo("bytes 2-5/10");
        TestServer.Response tail = server.send(server.request(spaced).header("Range", "bytes=-3").GET().build());
        assertThat(tail.body()).isEqualTo("789");
        TestServer.Response outside = server.send(server.request(spaced).header("Range", "bytes=10-").GET().build());
        assertThat(outside.status()).isEqualTo(416);
        assertThat(outside.header("Content-Range")).isEqualTo("bytes */10");

        assertThat(server.call(T, "GET", path(id) + "/files/nope.txt", null).status()).isEqualTo(404);
        assertThat(server.call(T, "GET", path(id) + "/files/" + thumb + "?revision=2", null).status()).isEqualTo(404);
    }

    @Test
    void aPushedRevisionIsCheckedLikeAnImport() {
        Map<String, byte[]> files = sample(uniqueName("Checked"));
        String id = imported(server, files);
        Map<String, byte[]> bad = new TreeMap<>(files);
        bad.put("scenes/0002_SCENE_002.json", "{\"shots\": 3}".getBytes(StandardCharsets.UTF_8));
        bad.remove("project.json");
        TestServer.Response r = push(server, id, 1, bad, "broken");
        assertThat(r.status()).as(r.body()).isEqualTo(400);
        assertThat(r.json().get("error").asText()).isEqualTo("invalid_request");
        assertThat(r.json().get("problems").toString()).contains("project.json").contains("scenes/0002_SCENE_002.json");

        String hostile = "[{\"path\":\"../up.txt\",\"sha256\":\"" + "a".repeat(64) + "\",\"size\":1},"
                + "{\"path\":\".storyboard/sync.json\",\"sha256\":\"" + "b".repeat(64) + "\",\"size\":1},"
                + "{\"path\":\"Notes.txt\",\"sha256\":\"" + "c".repeat(64) + "\",\"size\":1},"
                + "{\"path\":\"notes.txt\",\"sha256\":\"" + "c".repeat(64) + "\",\"size\":1}]";
        TestServer.Response m = server.call(T, "POST", path(id) + "/missing", "{\"baseRevision\":1,\"files\":" + hostile + "}");
        assertThat(m.status()).as(m.body()).isEqualTo(400);
        assertThat(m.json().get("problems")).hasSize(3);
        assertThat(m.json().get("problems").toString()).contains("../up.txt").contains(".storyboard/sync.json")
                .contains("only by case");

        TestServer.Response noBase = server.call(T, "POST", path(id) + "/missing", "{\"files\":[]}");
        assertThat(noBase.status()).isEqualTo(428);
        TestServer.Response badSha = server.call(T, "POST", path(id) + "/missing",
                "{\"baseRevision\":1,\"files\":[{\"path\":\"a\",\"sha256\":\"xyz\",\"size\":1}]}");
        assertThat(badSha.status()).isEqualTo(400);
        assertThat(badSha.json().get("field").asText()).isEqualTo("files[0].sha256");
        assertThat(server.call(T, "GET", path(id), null).json().get("headRevision").asInt()).isEqualTo(1);
    }
}
