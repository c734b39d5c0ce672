package storyboard.projects;

import static org.assertj.core.api.Assertions.assertThat;
import static storyboard.projects.ProjectFixtures.importZip;
import static storyboard.projects.ProjectFixtures.sample;
import static storyboard.projects.ProjectFixtures.uniqueName;
import static storyboard.projects.ProjectFixtures.unzip;
import static storyboard.projects.ProjectFixtures.zip;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
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

    private long count(String sql) {
        return server.jdbi().withHandle(h -> h.createQuery(sql).mapTo(Long.class).one());
    }

    private static TestServer.Response multipart(TestServer server, String token, Map<String, byte[]> files) {
        String boundary = "b" + java.util.UUID.randomUUID().toString().replace("-", "");
        java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
        files.forEach((path, bytes) -> {
            body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + path
                    + "\"\r\nContent-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.UTF_8));
            body.writeBytes(bytes);
            body.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
        });
        body.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return server.send(server.anonymous("/api/v1/projects/import").header("Authorization", "Bearer " + token)
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build());
    }

    @Test
    void aMultipartUploadOfTheFolderImportsTheSameProject() {
        String name = uniqueName("Multi");
        Map<String, byte[]> files = sample(name);
        // as a browser sends a chosen folder: every filename under the folder's name
        Map<String, byte[]> underFolder = new TreeMap<>();
        files.forEach((k, v) -> underFolder.put("KitchenArgument/" + k, v));
        underFolder.put("KitchenArgument/.DS_Store", new byte[] {0, 0, 0, 1});
        TestServer.Response r = multipart(server, T, underFolder);
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        assertThat(r.json().get("report").get("files").asInt()).isEqualTo(files.size());
        assertThat(r.json().get("report").get("warnings").toString()).contains(".DS_Store");
        String id = r.json().get("id").asText();
        Map<String, byte[]> back = unzip(server.send(server.request("/api/v1/projects/" + id + "/export").GET().build()).bytes());
        assertThat(back).hasSize(files.size());
        files.forEach((k, v) -> assertThat(back.get(name + "/" + k)).as(k).isEqualTo(v));

        // the same name again: 409 naming the live project
        TestServer.Response twice = importZip(server, T, zip(files, null), null);
        assertThat(twice.status()).as(twice.body()).isEqualTo(409);
        assertThat(twice.json().get("error").asText()).isEqualTo("project_exists");
        assertThat(twice.json().get("id").asText()).isEqualTo(id);
    }

    /** Entries written as given (names unchecked), for packages no honest tool makes. */
    private static byte[] rawZip(List<Map.Entry<String, byte[]>> entries) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            for (Map.Entry<String, byte[]> e : entries) {
                zip.putNextEntry(new ZipEntry(e.getKey()));
                zip.write(e.getValue());
                zip.closeEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** Renames an entry in its local header and the central directory (same length): two entries of one name. */
    private static void rename(byte[] zip, String from, String to) {
        byte[] a = from.getBytes(StandardCharsets.UTF_8);
        byte[] b = to.getBytes(StandardCharsets.UTF_8);
        assertThat(a.length).isEqualTo(b.length);
        int found = 0;
        for (int i = 0; i + 4 < zip.length; i++) {
            int sig = (zip[i] & 0xff) | (zip[i + 1] & 0xff) << 8 | (zip[i + 2] & 0xff) << 16 | (zip[i + 3] & 0xff) << 24;
            int nameAt = sig == 0x04034b50 ? i + 30 : sig == 0x02014b50 ? i + 46 : -1;
            if (nameAt > 0 && nameAt + a.length <= zip.length && Arrays.equals(zip, nameAt, nameAt + a.length, a, 0, a.length)) {
                System.arraycopy(b, 0, zip, nameAt, b.length);
                found++;
            }
        }
        assertThat(found).isEqualTo(2);
    }

    /** Marks an entry as a symbolic link, as Info-ZIP stores one: made on Unix, mode S_IFLNK|0777. */
    private static void makeSymlink(byte[] zip, String name) {
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i + 46 < zip.length; i++) {
            int sig = (zip[i] & 0xff) | (zip[i + 1] & 0xff) << 8 | (zip[i + 2] & 0xff) << 16 | (zip[i + 3] & 0xff) << 24;
            int len = (zip[i + 28] & 0xff) | (zip[i + 29] & 0xff) << 8;
            if (sig == 0x02014b50 && len == n.length && Arrays.equals(zip, i + 46, i + 46 + len, n, 0, len)) {
                zip[i + 4] = 30;
                zip[i + 5] = 3;
                int attrs = 0120777 << 16;
                for (int k = 0; k < 4; k++) zip[i + 38 + k] = (byte) (attrs >>> (8 * k));
                return;
            }
        }
        throw new AssertionError("no entry " + name);
    }

    @Test
    void aHostilePackageIsRefusedWithEveryProblemAndNothingStored() {
        String name = uniqueName("Hostile");
        Map<String, byte[]> files = sample(name);
        files.put("scenes/0002_SCENE_002.json", "[{\"uuid\": \"s1\", ".getBytes(StandardCharsets.UTF_8));
        List<Map.Entry<String, byte[]>> entries = new ArrayList<>();
        files.forEach((k, v) -> entries.add(Map.entry("pkg/" + k, v)));
        byte[] unique = ("unique " + name).getBytes(StandardCharsets.UTF_8);
        entries.add(Map.entry("../evil.txt", unique));
        entries.add(Map.entry("/etc/passwd", unique));
        entries.add(Map.entry("C:/windows/evil.txt", unique));
        entries.add(Map.entry("pkg/a\\..\\..\\b.txt", unique));
        entries.add(Map.entry("pkg/link", "/etc/shadow".getBytes(StandardCharsets.UTF_8)));
        entries.add(Map.entry("pkg/notes/x1.txt", unique));
        entries.add(Map.entry("pkg/notes/x2.txt", unique));
        entries.add(Map.entry("pkg/assets/bomb.bin", new byte[30 << 20]));
        byte[] zip = rawZip(entries);
        makeSymlink(zip, "pkg/link");
        rename(zip, "pkg/notes/x2.txt", "pkg/notes/x1.txt");
        assertThat(zip.length).isLessThan(1 << 20);

        long blobs = count("select count(*) from blob");
        TestServer.Response r = importZip(server, T, zip, null);
        assertThat(r.status()).as(r.body()).isEqualTo(400);
        assertThat(r.json().get("error").asText()).isEqualTo("invalid_request");
        Map<String, String> problems = new TreeMap<>();
        r.json().get("problems").forEach(p -> problems.merge(p.get("path").asText(), p.get("message").asText(), (x, y) -> x + " | " + y));
        assertThat(problems).containsOnlyKeys("../evil.txt", "/etc/passwd", "C:/windows/evil.txt", "pkg/a\\..\\..\\b.txt",
                "pkg/link", "notes/x1.txt", "pkg/assets/bomb.bin", "scenes/0002_SCENE_002.json");
        assertThat(problems.get("../evil.txt")).contains("'..'");
        assertThat(problems.get("/etc/passwd")).contains("absolute");
        assertThat(problems.get("pkg/link")).contains("symbolic link");
        assertThat(problems.get("notes/x1.txt")).contains("twice");
        assertThat(problems.get("pkg/assets/bomb.bin")).contains("zip bomb");
        assertThat(problems.get("scenes/0002_SCENE_002.json")).contains("not valid JSON");
        assertThat(r.json().get("message").asText()).contains("8 problems");

        assertThat(count("select count(*) from blob")).isEqualTo(blobs);
        assertThat(count("select count(*) from project where name = '" + name + "'")).isZero();
    }

    @Test
    void aPackageWithoutProjectJsonOrNotAZipIsRefused() {
        Map<String, byte[]> files = sample(uniqueName("NoProject"));
        files.remove("project.json");
        TestServer.Response r = importZip(server, T, zip(files, "folder"), null);
        assertThat(r.status()).as(r.body()).isEqualTo(400);
        assertThat(r.json().get("problems").toString()).contains("project.json").contains("missing");

        TestServer.Response notZip = importZip(server, T, "plain text, not a zip".getBytes(StandardCharsets.UTF_8), null);
        assertThat(notZip.status()).isEqualTo(400);
        assertThat(notZip.json().get("problems").get(0).get("message").asText()).contains("not a readable zip");

        TestServer.Response json = server.call(T, "POST", "/api/v1/projects/import", "{}");
        assertThat(json.status()).isEqualTo(415);
        assertThat(json.json().get("error").asText()).isEqualTo("unsupported_media_type");

        Map<String, byte[]> badName = sample(uniqueName("BadName"));
        badName.put("project.json", "{\"projectName\": \"\", \"fps\": 0}".getBytes(StandardCharsets.UTF_8));
        TestServer.Response invalid = importZip(server, T, zip(badName, null), null);
        assertThat(invalid.status()).isEqualTo(400);
        assertThat(invalid.json().get("problems").toString()).contains("projectName").contains("fps");
    }

    @Test
    void aLargerGeneratedProjectRoundTripsWithCountsThatMatchItsFiles() {
        String name = uniqueName("Generated");
        Map<String, byte[]> files = GeneratedProject.generate(name, 10, 10, 4);
        assertThat(files).hasSize(1 + 10 + 400 + 2);
        TestServer.Response r = importZip(server, T, zip(files, name), null);
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        JsonNode report = r.json().get("report");
        assertThat(report.get("scenes").asInt()).isEqualTo(10);
        assertThat(report.get("shots").asInt()).isEqualTo(100);
        assertThat(report.get("panels").asInt()).isEqualTo(400);
        assertThat(report.get("layers").asInt()).isEqualTo(800);
        assertThat(report.get("strokes").asInt()).isEqualTo(2400);
        assertThat(report.get("audioTracks").asInt()).isEqualTo(1);
        assertThat(report.get("warnings").size()).isZero();
        String id = r.json().get("id").asText();
        Map<String, byte[]> back = unzip(server.send(server.request("/api/v1/projects/" + id + "/export").GET().build()).bytes());
        assertThat(back).hasSize(files.size());
        files.forEach((k, v) -> assertThat(back.get(name + "/" + k)).as(k).isEqualTo(v));
    }

    @Test
    void aMultipartUploadOfManyFilesImports() {
        String name = uniqueName("ManyParts");
        Map<String, byte[]> files = GeneratedProject.generate(name, 2, 20, 4);
        TestServer.Response r = multipart(server, T, files);
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        assertThat(r.json().get("report").get("files").asInt()).isEqualTo(files.size());

        // beyond what one multipart body may hold: a clear 413 that says to send a zip
        Map<String, byte[]> many = new TreeMap<>(files);
        for (int i = 0; i < 1000; i++) many.put("notes/n" + i + ".txt", new byte[] {(byte) i});
        TestServer.Response tooMany = multipart(server, T, many);
        assertThat(tooMany.status()).as(tooMany.body()).isEqualTo(413);
        assertThat(tooMany.json().get("error").asText()).isEqualTo("too_many_parts");
        assertThat(tooMany.json().get("message").asText()).contains("zip");
    }
}
