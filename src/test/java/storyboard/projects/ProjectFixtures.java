package storyboard.projects;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import storyboard.support.TestServer;

/** Packages and requests the project tests share. */
final class ProjectFixtures {
    static final Path SAMPLE = Path.of("src/test/resources/contract/b-line/project-sample");

    private ProjectFixtures() {}

    /** The files of a folder, by relative path (sorted). */
    static Map<String, byte[]> folder(Path root) {
        Map<String, byte[]> files = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.filter(Files::isRegularFile).toList()) {
                files.put(root.relativize(p).toString().replace('\\', '/'), Files.readAllBytes(p));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return files;
    }

    /** The contract's sample project, renamed (project.json's projectName and projectId) so that each test has its own. */
    static Map<String, byte[]> sample(String name) {
        Map<String, byte[]> files = folder(SAMPLE);
        files.put("project.json", renamed(files.get("project.json"), name));
        return files;
    }

    static String uniqueName(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    static byte[] renamed(byte[] projectJson, String name) {
        String s = new String(projectJson, StandardCharsets.UTF_8);
        return s.replace("\"projectName\": \"KitchenArgument\"", "\"projectName\": \"" + name + "\"")
                .replace("\"projectId\": \"KitchenArgument\"", "\"projectId\": \"" + name + "\"")
                .getBytes(StandardCharsets.UTF_8);
    }

    /** A zip of the files, under {@code top/} unless it is null. */
    static byte[] zip(Map<String, byte[]> files, String top) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            for (Map.Entry<String, byte[]> f : files.entrySet()) {
                zip.putNextEntry(new ZipEntry((top == null ? "" : top + "/") + f.getKey()));
                zip.write(f.getValue());
                zip.closeEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** The files of a zip, by name. */
    static Map<String, byte[]> unzip(byte[] zip) {
        Map<String, byte[]> files = new TreeMap<>();
        try (ZipInputStream in = new ZipInputStream(new java.io.ByteArrayInputStream(zip))) {
            for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
                if (!e.isDirectory()) files.put(e.getName(), in.readAllBytes());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return files;
    }

    static TestServer.Response importZip(TestServer server, String token, byte[] zip, String query) {
        return server.send(server.anonymous("/api/v1/projects/import" + (query == null ? "" : "?" + query))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/zip")
                .POST(HttpRequest.BodyPublishers.ofByteArray(zip)).build());
    }

    /** Imports the files as a zip (as the admin token); answers the project's id. */
    static String imported(TestServer server, Map<String, byte[]> files) {
        TestServer.Response r = importZip(server, TestServer.TOKEN, zip(files, "folder"), null);
        if (r.status() != 201) throw new AssertionError("not imported: " + r);
        return r.json().get("id").asText();
    }

    static String sha256(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The manifest of these files as a push sends it. */
    static String manifest(Map<String, byte[]> files) {
        StringBuilder b = new StringBuilder("[");
        for (Map.Entry<String, byte[]> f : files.entrySet()) {
            if (b.length() > 1) b.append(',');
            b.append("{\"path\":\"").append(f.getKey()).append("\",\"sha256\":\"").append(sha256(f.getValue()))
                    .append("\",\"size\":").append(f.getValue().length).append(",\"mode\":420}");
        }
        return b.append(']').toString();
    }

    static TestServer.Response putBlob(TestServer server, String token, String project, byte[] bytes) {
        return server.send(server.anonymous("/api/v1/projects/" + project + "/blobs/" + sha256(bytes))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/octet-stream")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(bytes)).build());
    }

    /** missing → upload what is missing → commit, as a client does; answers the commit's response. */
    static TestServer.Response push(TestServer server, String project, int base, Map<String, byte[]> files, String message) {
        String manifest = manifest(files);
        TestServer.Response m = server.call(TestServer.TOKEN, "POST", "/api/v1/projects/" + project + "/missing",
                "{\"baseRevision\":" + base + ",\"files\":" + manifest + "}");
        if (m.status() != 200) return m;
        Map<String, byte[]> bySha = new TreeMap<>();
        files.values().forEach(b -> bySha.put(sha256(b), b));
        for (JsonNode missing : m.json().get("missing")) {
            TestServer.Response put = putBlob(server, TestServer.TOKEN, project, bySha.get(missing.get("sha256").asText()));
            if (put.status() != 201 && put.status() != 200) throw new AssertionError("blob not stored: " + put);
        }
        return server.call(TestServer.TOKEN, "POST", "/api/v1/projects/" + project + "/revisions",
                "{\"baseRevision\":" + base + ",\"message\":\"" + message + "\",\"files\":" + manifest + "}");
    }

    static String encodePath(String path) {
        StringBuilder b = new StringBuilder();
        for (String s : path.split("/")) {
            if (b.length() > 0) b.append('/');
            b.append(URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20"));
        }
        return b.toString();
    }
}
