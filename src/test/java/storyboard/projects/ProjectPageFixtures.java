package storyboard.projects;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Stream;
import storyboard.kernel.Json;
import storyboard.support.TestServer;

/** The contract's sample project, renamed per test, and changes to it, stored as revisions of a project. */
final class ProjectPageFixtures {
    static final Path SAMPLE = Paths.get("src/test/resources/contract/b-line/project-sample");

    private ProjectPageFixtures() {}

    /** The sample's files by relative path, its project.json naming the project {@code name}. */
    static Map<String, byte[]> sample(String name) {
        Map<String, byte[]> files = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(SAMPLE)) {
            for (Path p : walk.filter(Files::isRegularFile).toList()) {
                files.put(SAMPLE.relativize(p).toString().replace('\\', '/'), Files.readAllBytes(p));
            }
            ObjectNode project = (ObjectNode) Json.MAPPER.readTree(files.get("project.json"));
            project.put("projectName", name).put("projectId", name);
            files.put("project.json", Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(project));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return files;
    }

    /** The thumbnail {@link #changed} leaves out: SCENE_002's last panel's. */
    static final String REMOVED_THUMBNAIL = "thumbnails/panel_ecd1345e-88c7-40f6-907f-96694ba955f3.png";

    /**
     * The files with one shot of {@code scene} changed: its camera framing and its first character's line, and one
     * panel's thumbnail removed; a new file added.
     */
    static Map<String, byte[]> changed(Map<String, byte[]> files, String scene, String framing, String dialogue) {
        Map<String, byte[]> out = new TreeMap<>(files);
        try {
            ArrayNode shots = (ArrayNode) Json.MAPPER.readTree(files.get(scene));
            ObjectNode shot = (ObjectNode) shots.get(0);
            ((ObjectNode) shot.get("camera")).put("framing", framing);
            ((ObjectNode) shot.get("characters").get(0)).put("dialogue", dialogue);
            out.put(scene, Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(shots));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        out.put("references/mood.txt", "warm kitchen light\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        out.remove(REMOVED_THUMBNAIL);
        return out;
    }

    /** Stores the files as a new project (revision 1) and answers its id. */
    static UUID create(TestServer server, String name, Map<String, byte[]> files, String author, String message) {
        UUID id = UUID.randomUUID();
        java.math.BigDecimal fps;
        try {
            fps = Storyboard.parseProject(files.get("project.json")).fps();
        } catch (Storyboard.Invalid e) {
            throw new IllegalArgumentException(e);
        }
        server.jdbi().useHandle(h -> h.createUpdate("insert into project (id, name, head_revision, fps, created_by)"
                + " values (:id, :name, 1, :fps, :author)").bind("id", id).bind("name", name).bind("fps", fps)
                .bind("author", author).execute());
        revision(server, id, 1, null, files, author, message);
        return id;
    }

    /** Stores the files as the project's next revision and answers its number. */
    static int push(TestServer server, UUID id, Map<String, byte[]> files, String author, String message) {
        int head = server.jdbi().withHandle(h -> h.createQuery("select head_revision from project where id = :id")
                .bind("id", id).mapTo(Integer.class).one());
        revision(server, id, head + 1, head, files, author, message);
        server.jdbi().useHandle(h -> h.createUpdate("update project set head_revision = :r, updated_at = now() where id = :id")
                .bind("r", head + 1).bind("id", id).execute());
        return head + 1;
    }

    private static void revision(TestServer server, UUID id, int revision, Integer parent, Map<String, byte[]> files,
                                 String author, String message) {
        Map<String, String> hashes = new TreeMap<>();
        long bytes = 0;
        for (Map.Entry<String, byte[]> f : files.entrySet()) {
            hashes.put(f.getKey(), putBlob(server, f.getValue()));
            bytes += f.getValue().length;
        }
        String report;
        try {
            Storyboard.Package pkg = Storyboard.read(new Storyboard.Files() {
                public java.util.Collection<String> paths() {
                    return files.keySet();
                }

                public byte[] read(String path) {
                    return files.get(path);
                }
            });
            ObjectNode r = Json.MAPPER.valueToTree(pkg.counts());
            r.put("files", files.size()).put("bytes", bytes);
            r.set("warnings", Json.MAPPER.valueToTree(pkg.warnings()));
            report = r.toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        long total = bytes;
        server.jdbi().useHandle(h -> {
            h.createUpdate("insert into project_revision (project_id, revision, parent_revision, author, message,"
                            + " file_count, byte_count, report) values (:id, :r, :parent, :author, :message, :files, :bytes, cast(:report as jsonb))")
                    .bind("id", id).bind("r", revision).bind("parent", parent).bind("author", author)
                    .bind("message", message).bind("files", files.size()).bind("bytes", total).bind("report", report).execute();
            for (Map.Entry<String, String> f : hashes.entrySet()) {
                h.createUpdate("insert into project_file (project_id, revision, path, sha256, size) values (:id, :r, :path, :sha, :size)")
                        .bind("id", id).bind("r", revision).bind("path", f.getKey()).bind("sha", f.getValue())
                        .bind("size", files.get(f.getKey()).length).execute();
            }
        });
    }

    static String putBlob(TestServer server, byte[] bytes) {
        String sha = sha256(bytes);
        TestServer.Response r = server.send(server.request("/api/v1/blobs/" + sha)
                .header("Content-Type", "application/octet-stream").PUT(HttpRequest.BodyPublishers.ofByteArray(bytes)).build());
        assertThat(r.status()).as(r.body()).isIn(200, 201);
        return sha;
    }

    static String sha256(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
