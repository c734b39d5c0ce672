package storyboard.projects;

import static org.assertj.core.api.Assertions.assertThat;
import static storyboard.projects.ProjectFixtures.importZip;
import static storyboard.projects.ProjectFixtures.sample;
import static storyboard.projects.ProjectFixtures.uniqueName;
import static storyboard.projects.ProjectFixtures.unzip;
import static storyboard.projects.ProjectFixtures.zip;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import storyboard.support.TestServer;

/** Importing a package (zip or multipart) and getting it back (export, files), on the contract's sample. */
class ProjectImportTest {
    private final TestServer server = TestServer.shared();
    private static final String T = TestServer.TOKEN;

    @Test
    void theSampleImportsWithItsReportAndExportsByteIdentical() {
        String name = uniqueName("Kitchen");
        Map<String, byte[]> files = sample(name);
        TestServer.Response r = importZip(server, T, zip(files, "KitchenArgument"), "message=first%20import");
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        JsonNode body = r.json();
        assertThat(body.get("name").asText()).isEqualTo(name);
        assertThat(body.get("revision").asInt()).isEqualTo(1);
        JsonNode report = body.get("report");
        assertThat(report.get("scenes").asInt()).isEqualTo(2);
        assertThat(report.get("shots").asInt()).isEqualTo(6);
        assertThat(report.get("panels").asInt()).isEqualTo(12);
        assertThat(report.get("audioTracks").asInt()).isEqualTo(1);
        assertThat(report.get("files").asInt()).isEqualTo(files.size());
        assertThat(report.get("bytes").asLong()).isEqualTo(files.values().stream().mapToLong(b -> b.length).sum());
        assertThat(report.get("layers").asInt()).isPositive();
        assertThat(report.get("strokes").asInt()).isPositive();
        assertThat(report.get("warnings").isArray()).isTrue();
        String id = body.get("id").asText();
        assertThat(r.header("Location")).isEqualTo("/api/v1/projects/" + id);

        // the project, its head and manifest
        JsonNode got = server.call(T, "GET", "/api/v1/projects/" + id, null).json();
        assertThat(got.get("headRevision").asInt()).isEqualTo(1);
        assertThat(got.get("fps").asInt()).isEqualTo(24);
        assertThat(got.get("revision").get("message").asText()).isEqualTo("first import");
        assertThat(got.get("files").size()).isEqualTo(files.size());
        for (JsonNode f : got.get("files")) {
            assertThat(f.get("sha256").asText()).isEqualTo(ProjectFixtures.sha256(files.get(f.get("path").asText())));
            assertThat(f.get("mode").asInt()).isEqualTo(0644);
        }

        // export: every file byte-identical, under a folder named after the project
        TestServer.Response export = server.send(server.request("/api/v1/projects/" + id + "/export").GET().build());
        assertThat(export.status()).as(export.body()).isEqualTo(200);
        assertThat(export.header("Content-Type")).startsWith("application/zip");
        assertThat(export.header("Content-Disposition")).startsWith("attachment;").contains(name + "-r1.zip");
        Map<String, byte[]> back = unzip(export.bytes());
        Map<String, byte[]> expected = new TreeMap<>();
        files.forEach((k, v) -> expected.put(name + "/" + k, v));
        assertThat(back.keySet()).containsExactlyElementsOf(expected.keySet());
        expected.forEach((k, v) -> assertThat(back.get(k)).as(k).isEqualTo(v));

        // the events: imported, named after the project
        java.util.List<String> projects = server.jdbi().withHandle(h -> h.createQuery("select project from event "
                + "where type = 'project.imported' and subject_id = :id").bind("id", id).mapTo(String.class).list());
        assertThat(projects).containsExactly(name);
    }
}
