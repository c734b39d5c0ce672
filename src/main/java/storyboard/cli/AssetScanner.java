package storyboard.cli;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonInclude.Include;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.EnumMap;
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
import storyboard.api.MediaTypes;
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
        List<Failure> failed = new ArrayList<>();
        List<Entry> entries = hash(dir, files, failed, progress);
        Uploads uploads = uploadMissing(entries, missingBlobs(entries), failed);
        Map<Outcome, Integer> outcomes = registerAll(uploads.stored(), project, failed,
                done -> progress.accept(files.size() + done));
        progress.accept(files.size() * 2);
        return new Report(files.size(), outcomes.getOrDefault(Outcome.REGISTERED, 0),
                outcomes.getOrDefault(Outcome.NEW_VERSION, 0), outcomes.getOrDefault(Outcome.UNCHANGED, 0),
                uploads.count(), uploads.bytes(), failed);
    }

    /** The files as they will be registered; one that cannot be read is a failure. */
    private static List<Entry> hash(Path dir, List<Path> files, List<Failure> failed, IntConsumer progress) {
        ProjectIndex index = ProjectIndex.read(dir);
        List<Entry> entries = new ArrayList<>();
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
        return entries;
    }

    /** The body of {@code POST /api/v1/blobs/check}: a batch's blobs, each once. */
    record BlobCheck(List<Blob> blobs) {
        record Blob(String sha256, long size) {}

        static BlobCheck of(List<Entry> batch) {
            // Files of the same content have the same sha256 and size: distinct keeps one of them.
            return new BlobCheck(batch.stream().map(e -> new Blob(e.sha256(), e.size())).distinct().toList());
        }
    }

    /** The sha256 of each blob the server lacks, asked once per {@link #CHECK_BATCH} files. */
    private Set<String> missingBlobs(List<Entry> entries) throws IOException, InterruptedException {
        Set<String> missing = new HashSet<>();
        for (int i = 0; i < entries.size(); i += CHECK_BATCH) {
            BlobCheck check = BlobCheck.of(entries.subList(i, Math.min(entries.size(), i + CHECK_BATCH)));
            JsonNode answer = send(() -> client.post("/api/v1/blobs/check", check));
            for (JsonNode m : answer.path("missing")) missing.add(m.asText());
        }
        return missing;
    }

    /** The entries whose blob the server has now, and how many blobs (and bytes) were uploaded for that. */
    private record Uploads(List<Entry> stored, int count, long bytes) {}

    /** Uploads each missing blob once; a file whose upload is refused is a failure, and is not registered. */
    private Uploads uploadMissing(List<Entry> entries, Set<String> missing, List<Failure> failed)
            throws IOException, InterruptedException {
        int count = 0;
        long bytes = 0;
        Set<String> sent = new HashSet<>();
        List<Entry> stored = new ArrayList<>();
        for (Entry e : entries) {
            if (missing.contains(e.sha256()) && sent.add(e.sha256())) {
                if (orFailure(e, failed, () -> upload(e)) == null) continue;
                count++;
                bytes += e.size();
            }
            stored.add(e);
        }
        return new Uploads(stored, count, bytes);
    }

    private JsonNode upload(Entry e) throws IOException, InterruptedException {
        return send(() -> client.upload("/api/v1/blobs/" + e.sha256(), e.path()));
    }

    private enum Outcome { REGISTERED, NEW_VERSION, UNCHANGED }

    /** Registers each entry (see {@link #register(Entry, String, Map)}); {@code progress} counts the entries done. */
    private Map<Outcome, Integer> registerAll(List<Entry> entries, String project, List<Failure> failed,
                                              IntConsumer progress) throws IOException, InterruptedException {
        Map<String, String[]> existing = existing(project);
        Map<Outcome, Integer> outcomes = new EnumMap<>(Outcome.class);
        int done = 0;
        for (Entry e : entries) {
            Outcome outcome = orFailure(e, failed, () -> register(e, project, existing));
            if (outcome != null) outcomes.merge(outcome, 1, Integer::sum);
            progress.accept(++done);
        }
        return outcomes;
    }

    /** The body of {@code POST /api/v1/assets/{id}/versions}. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record NewVersion(String sha256, @JsonInclude(Include.NON_NULL) String mediaType) {}

    /** The body of {@code POST /api/v1/assets}. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record NewAsset(String name, String kind, String project, @JsonInclude(Include.NON_NULL) String scene,
                    @JsonInclude(Include.NON_NULL) String shot, @JsonInclude(Include.NON_NULL) String panel,
                    String sha256, @JsonInclude(Include.NON_NULL) String mediaType, Map<String, String> metadata) {
        static NewAsset of(Entry e, String project) {
            return new NewAsset(e.name(), e.kind(), project, e.scene(), e.shot(), e.panel(), e.sha256(), e.mediaType(),
                    Map.of("source", "assets scan"));
        }
    }

    /**
     * A file whose path is not yet an asset of the project becomes one; with other content than the asset's latest
     * version, a new version; else it is left as it is. {@code existing} learns the assets made.
     */
    private Outcome register(Entry e, String project, Map<String, String[]> existing)
            throws IOException, InterruptedException {
        String[] known = existing.get(e.name());
        if (known != null && known[1].equals(e.sha256())) return Outcome.UNCHANGED;
        if (known != null) {
            NewVersion version = new NewVersion(e.sha256(), e.mediaType());
            send(() -> client.post("/api/v1/assets/" + known[0] + "/versions", version));
            return Outcome.NEW_VERSION;
        }
        JsonNode created = send(() -> client.post("/api/v1/assets", NewAsset.of(e, project)));
        existing.put(e.name(), new String[] {created.path("id").asText(), e.sha256()});
        return Outcome.REGISTERED;
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

    /** A step of the scan that talks to the server. */
    private interface Step<T> {
        T run() throws IOException, InterruptedException;
    }

    /**
     * Sends a request; a refusal that concerns one file is a {@link ScanException}, one that will not get better
     * (the token refused, no blob API, the server still busy after waiting) a {@link FatalScanException}.
     */
    private static JsonNode send(Step<JsonNode> request) throws IOException, InterruptedException {
        try {
            return request.run();
        } catch (ServerClient.BadAnswer e) {
            int s = e.status();
            boolean fatal = s == 401 || s == 403 || s == 503 || s == 429
                    || s == 404 && e.request().contains(" /api/v1/blobs");
            throw fatal ? new FatalScanException(e.getMessage()) : new ScanException(e.getMessage());
        }
    }

    /** Runs a step of one file: null if it failed for that file (noted in {@code failed}); a fatal one ends the scan. */
    private static <T> T orFailure(Entry e, List<Failure> failed, Step<T> step)
            throws IOException, InterruptedException {
        try {
            return step.run();
        } catch (FatalScanException ex) {
            throw ex;
        } catch (ScanException ex) {
            failed.add(new Failure(e.name(), ex.getMessage()));
            return null;
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
        return new Entry(f, name, size, HexFormat.of().formatHex(sha.digest()), kind, MediaTypes.byName(name).orElse(null),
                scene, shot, panel);
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
