package storyboard.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.IntConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import storyboard.kernel.Json;

/**
 * Registers a folder tree (a B-Line project) as assets of one project. Files are hashed locally; the server is
 * asked once per thousand files which blobs it lacks, and only those are uploaded. A file whose relative path is
 * already an asset of the project with the same content is skipped; with new content it becomes a new version.
 */
public final class AssetScanner {
    /** Every route a scan calls ("METHOD /path" as in RouteAccess): the scopes its token needs follow from them. */
    public static final List<String> ROUTES = List.of("POST /api/v1/blobs/check", "PUT /api/v1/blobs/{sha256}",
            "GET /api/v1/assets", "POST /api/v1/assets", "POST /api/v1/assets/{id}/versions");
    static final int CHECK_BATCH = 1000;
    /** {@code scenes/<NNNN>_<SCENE_NAME>.json}, as the app names its scene files. */
    static final Pattern SCENE_FILE = Pattern.compile("(\\d+)_(.+)\\.json");
    /** {@code thumbnails/panel_<panelUuid>.png}. */
    static final Pattern PANEL_THUMBNAIL = Pattern.compile("panel_([0-9a-fA-F-]{36})\\.[A-Za-z]+");

    private final ServerClient client;

    public AssetScanner(ServerClient client) {
        this.client = client;
    }

    /** One file as it will be registered. */
    record Entry(Path path, String name, long size, String sha256, String kind, String mediaType, String scene,
                 String shot, String panel) {}

    public record Failure(String file, String reason) {}

    public record Report(int found, int registered, int newVersions, int unchanged, int uploaded, long uploadedBytes,
                         List<Failure> failed) {}

    /** The regular files under {@code dir}, hidden ones (any part starting with a dot) left out, in path order. */
    public static List<Path> findFiles(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) throw new IOException("no such folder: " + dir);
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile)
                    .filter(p -> {
                        for (Path part : dir.relativize(p)) if (part.toString().startsWith(".")) return false;
                        return true;
                    })
                    .sorted().toList();
        }
    }

    /**
     * Scans and registers. {@code progress} gets the number of files done so far, out of twice the files found
     * (hashing, then registering).
     */
    public Report run(Path dir, String project, IntConsumer progress) throws IOException, InterruptedException {
        List<Path> files = findFiles(dir);
        ProjectIndex index = ProjectIndex.read(dir);
        List<Entry> entries = new ArrayList<>();
        List<Failure> failed = new ArrayList<>();
        int done = 0;
        for (Path f : files) {
            String name = name(dir, f);
            try {
                entries.add(entry(dir, f, name, index));
            } catch (IOException e) {
                failed.add(new Failure(name, "cannot read: " + e.getMessage()));
            }
            progress.accept(++done);
        }

        // Which blobs does the server lack? Upload only those.
        Set<String> missing = new HashSet<>();
        for (int i = 0; i < entries.size(); i += CHECK_BATCH) {
            ObjectNode body = Json.MAPPER.createObjectNode();
            ArrayNode blobs = body.putArray("blobs");
            Set<String> seen = new HashSet<>();
            for (Entry e : entries.subList(i, Math.min(entries.size(), i + CHECK_BATCH))) {
                if (seen.add(e.sha256())) blobs.addObject().put("sha256", e.sha256()).put("size", e.size());
            }
            JsonNode answer = send(() -> client.post("/api/v1/blobs/check", body));
            for (JsonNode m : answer.path("missing")) missing.add(m.asText());
        }
        int uploaded = 0;
        long uploadedBytes = 0;
        Set<String> sent = new HashSet<>();
        List<Entry> uploadable = new ArrayList<>();
        for (Entry e : entries) {
            if (!missing.contains(e.sha256()) || !sent.add(e.sha256())) {
                uploadable.add(e);
                continue;
            }
            try {
                send(() -> client.upload("/api/v1/blobs/" + e.sha256(), e.path()));
                uploaded++;
                uploadedBytes += e.size();
                uploadable.add(e);
            } catch (FatalScanException ex) {
                throw ex;
            } catch (ScanException ex) {
                failed.add(new Failure(e.name(), ex.getMessage()));
            }
        }

        Map<String, String[]> existing = existing(project);
        int registered = 0;
        int versions = 0;
        int unchanged = 0;
        for (Entry e : uploadable) {
            String[] known = existing.get(e.name());
            try {
                if (known != null && known[1].equals(e.sha256())) {
                    unchanged++;
                } else if (known != null) {
                    ObjectNode v = Json.MAPPER.createObjectNode();
                    v.put("sha256", e.sha256());
                    if (e.mediaType() != null) v.put("media_type", e.mediaType());
                    send(() -> client.post("/api/v1/assets/" + known[0] + "/versions", v));
                    versions++;
                } else {
                    ObjectNode a = Json.MAPPER.createObjectNode();
                    a.put("name", e.name());
                    a.put("kind", e.kind());
                    a.put("project", project);
                    if (e.scene() != null) a.put("scene", e.scene());
                    if (e.shot() != null) a.put("shot", e.shot());
                    if (e.panel() != null) a.put("panel", e.panel());
                    a.put("sha256", e.sha256());
                    if (e.mediaType() != null) a.put("media_type", e.mediaType());
                    a.putObject("metadata").put("source", "assets scan");
                    JsonNode created = send(() -> client.post("/api/v1/assets", a));
                    existing.put(e.name(), new String[] {created.path("id").asText(), e.sha256()});
                    registered++;
                }
            } catch (FatalScanException ex) {
                throw ex;
            } catch (ScanException ex) {
                failed.add(new Failure(e.name(), ex.getMessage()));
            }
            progress.accept(++done);
        }
        progress.accept(files.size() * 2);
        return new Report(files.size(), registered, versions, unchanged, uploaded, uploadedBytes, failed);
    }

    /** The project's assets: name → {id, latest sha256}, the most recently changed one where names repeat. */
    private Map<String, String[]> existing(String project) throws IOException, InterruptedException {
        Map<String, String[]> out = new HashMap<>();
        String cursor = null;
        do {
            String path = "/api/v1/assets?limit=500&project=" + URLEncoder.encode(project, StandardCharsets.UTF_8)
                    + (cursor == null ? "" : "&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8));
            JsonNode page = send(() -> client.get(path));
            for (JsonNode a : page.path("items")) {
                out.putIfAbsent(a.path("name").asText(), new String[] {a.path("id").asText(),
                        a.path("latest").path("sha256").asText()});
            }
            cursor = page.path("next_cursor").isTextual() ? page.get("next_cursor").asText() : null;
        } while (cursor != null);
        return out;
    }

    /** A request of the scan, its failures sorted: those of one file, and those that end the scan. */
    private interface Request {
        JsonNode send() throws IOException, InterruptedException;
    }

    /**
     * Sends a request; a refusal that concerns one file is a {@link ScanException}, one that will not get better
     * (the token refused, no blob API, the server still busy after waiting) a {@link FatalScanException}.
     */
    private static JsonNode send(Request request) throws IOException, InterruptedException {
        try {
            return request.send();
        } catch (ServerClient.BadAnswer e) {
            int s = e.status();
            boolean fatal = s == 401 || s == 403 || s == 503 || s == 429
                    || s == 404 && e.request().contains(" /api/v1/blobs");
            throw fatal ? new FatalScanException(e.getMessage()) : new ScanException(e.getMessage());
        }
    }

    static String name(Path dir, Path file) {
        List<String> parts = new ArrayList<>();
        for (Path p : dir.relativize(file)) parts.add(p.toString());
        return String.join("/", parts);
    }

    static Entry entry(Path dir, Path f, String name, ProjectIndex index) throws IOException {
        MessageDigest sha = digest();
        long size = 0;
        try (InputStream in = Files.newInputStream(f)) {
            byte[] buf = new byte[1 << 16];
            int n;
            while ((n = in.read(buf)) > 0) {
                sha.update(buf, 0, n);
                size += n;
            }
        }
        String lower = name.toLowerCase(Locale.ROOT);
        String ext = lower.contains(".") ? lower.substring(lower.lastIndexOf('.') + 1) : "";
        List<String> folders = new ArrayList<>(List.of(lower.split("/")));
        folders.remove(folders.size() - 1);
        String kind = kind(ext, folders);
        String scene = null;
        String shot = null;
        String panel = null;
        String fileName = f.getFileName().toString();
        Matcher thumb = PANEL_THUMBNAIL.matcher(fileName);
        if (thumb.matches()) panel = thumb.group(1).toLowerCase(Locale.ROOT);
        String byImage = index.panelOfFile.get(fileName);
        if (panel == null && byImage != null) panel = byImage;
        if (panel != null && index.panels.containsKey(panel)) {
            scene = index.panels.get(panel)[0];
            shot = index.panels.get(panel)[1];
        }
        if (folders.equals(List.of("scenes"))) {
            Matcher m = SCENE_FILE.matcher(fileName);
            if (m.matches()) scene = m.group(2);
        }
        return new Entry(f, name, size, HexFormat.of().formatHex(sha.digest()), kind, mediaType(ext), scene, shot, panel);
    }

    static String kind(String ext, List<String> folders) {
        boolean image = Set.of("png", "jpg", "jpeg", "webp", "gif", "bmp", "tif", "tiff", "exr", "psd").contains(ext);
        if (image && folders.contains("thumbnails")) return "thumbnail";
        if (image) return folders.contains("references") || folders.contains("reference") ? "reference" : "image";
        if (Set.of("wav", "mp3", "flac", "ogg", "m4a", "aac", "aif", "aiff").contains(ext)) return "audio";
        if (Set.of("mp4", "mov", "webm", "mkv", "avi", "m4v").contains(ext)) return "video";
        if (Set.of("safetensors", "ckpt", "pt", "pth", "bin", "gguf", "onnx").contains(ext)) {
            if (folders.stream().anyMatch(s -> s.contains("lora"))) return "lora";
            if (folders.stream().anyMatch(s -> s.contains("controlnet"))) return "controlnet";
            return "model";
        }
        if (Set.of("json", "txt", "md", "pdf", "csv", "xml", "yaml", "yml", "fountain", "fdx").contains(ext)) return "document";
        return "other";
    }

    static String mediaType(String ext) {
        return switch (ext) {
            case "png" -> "image/png";
            case "jpg", "jpeg" -> "image/jpeg";
            case "webp" -> "image/webp";
            case "gif" -> "image/gif";
            case "wav" -> "audio/wav";
            case "mp3" -> "audio/mpeg";
            case "mp4" -> "video/mp4";
            case "mov" -> "video/quicktime";
            case "json" -> "application/json";
            case "txt", "md" -> "text/plain";
            case "pdf" -> "application/pdf";
            default -> null;
        };
    }

    /** What the project's scene files say: each panel's scene and shot, and which panel an image file belongs to. */
    static final class ProjectIndex {
        final Map<String, String[]> panels = new HashMap<>();
        final Map<String, String> panelOfFile = new HashMap<>();

        static ProjectIndex read(Path dir) {
            ProjectIndex index = new ProjectIndex();
            Path scenes = dir.resolve("scenes");
            if (!Files.isDirectory(scenes)) return index;
            try (Stream<Path> s = Files.list(scenes)) {
                for (Path f : s.sorted().toList()) {
                    Matcher m = SCENE_FILE.matcher(f.getFileName().toString());
                    if (!m.matches()) continue;
                    String scene = m.group(2);
                    JsonNode shots;
                    try {
                        shots = Json.MAPPER.readTree(f.toFile());
                    } catch (IOException e) {
                        continue; // a broken scene file is still registered, only not indexed
                    }
                    if (shots == null || !shots.isArray()) continue;
                    for (JsonNode shot : shots) {
                        String shotName = shot.path("name").asText(null);
                        for (JsonNode panel : shot.path("panels")) {
                            String uuid = panel.path("uuid").asText("").toLowerCase(Locale.ROOT);
                            if (uuid.isEmpty()) continue;
                            index.panels.put(uuid, new String[] {scene, shotName});
                            for (String field : List.of("image", "thumbnail")) {
                                String file = panel.path(field).asText("");
                                if (!file.isBlank()) index.panelOfFile.put(Path.of(file).getFileName().toString(), uuid);
                            }
                        }
                    }
                }
            } catch (IOException | RuntimeException e) {
                return index;
            }
            return index;
        }
    }

    private static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** One file could not be registered. */
    static class ScanException extends IOException {
        ScanException(String message) {
            super(message);
        }
    }

    /** The scan cannot go on (no server, bad token, no blob API). */
    public static final class FatalScanException extends ScanException {
        FatalScanException(String message) {
            super(message);
        }
    }
}
