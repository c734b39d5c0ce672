package storyboard.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.stream.Stream;
import storyboard.prompts.PromptRoutes;

/**
 * {@code prompts export DIR} and {@code prompts import DIR} over the registry's HTTP API, so a studio can keep its
 * prompts in git and push them to any server it has a token for.
 * <p>
 * Import is idempotent: a version the server already has must hold the same content (else that prompt is a
 * conflict and left alone), only the versions after the server's newest are created, labels are moved to where
 * the files put them, and the archive state follows the newest file. Versions are numbered by the server, so the
 * files of a prompt must run from 1 without gaps. Authors and times are the server's: an imported version is
 * made by the importing credential, now (the files' history is git's).
 */
final class PromptSync {
    private static final String API = "/api/v1/prompts";
    /** The routes export, import and import --dry-run call ("METHOD /path" as in RouteAccess): their scopes follow. */
    static final List<String> EXPORT_ROUTES = List.of("GET /api/v1/prompts", "GET /api/v1/prompts/<name>/versions",
            "GET /api/v1/prompts/<name>");
    static final List<String> DRY_RUN_ROUTES = List.of("GET /api/v1/prompts/<name>/versions", "GET /api/v1/prompts/<name>");
    static final List<String> IMPORT_ROUTES = List.of("GET /api/v1/prompts/<name>/versions", "GET /api/v1/prompts/<name>",
            "POST /api/v1/prompts/<name>/versions", "PUT /api/v1/prompts/<name>/labels/{label}",
            "POST /api/v1/prompts/<name>/archive", "POST /api/v1/prompts/<name>/unarchive");
    private final ServerClient client;
    private final Consumer<String> out;

    PromptSync(ServerClient client, Consumer<String> out) {
        this.client = client;
        this.out = out;
    }

    record ExportReport(int prompts, int versions, List<Path> notInRegistry) {}

    ExportReport export(Path dir) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        List<String> names = new ArrayList<>();
        String cursor = null;
        do {
            JsonNode page = client.get(API + "?archived=any&limit=500" + (cursor == null ? "" : "&cursor=" + cursor));
            page.get("items").forEach(i -> names.add(i.get("name").asText()));
            cursor = page.get("next_cursor").isNull() ? null : page.get("next_cursor").asText();
        } while (cursor != null);

        List<Path> written = new ArrayList<>();
        for (String name : names) {
            History h = history(name);
            for (int n = 1; n <= h.latest; n++) {
                JsonNode v = client.find(API + "/" + name + "?version=" + n).orElse(null);
                if (v == null) throw new IOException("version " + n + " of prompt '" + name + "' went missing during the export");
                List<String> labels = new ArrayList<>();
                for (var e : h.labels.entrySet()) if (e.getValue() == n) labels.add(e.getKey());
                PromptFiles.VersionFile file = new PromptFiles.VersionFile(name, n, v.get("template"),
                        (ArrayNode) v.get("variables"), (ObjectNode) v.get("config"), (ArrayNode) v.get("reference_assets"),
                        v.get("message").isNull() ? null : v.get("message").asText(),
                        v.get("author").isNull() ? null : v.get("author").asText(), v.get("created_at").asText(), labels,
                        h.archived && n == h.latest);
                PromptFiles.write(dir, file);
                written.add(PromptFiles.path(dir, name, n).toAbsolutePath().normalize());
            }
            out.accept(name + ": " + h.latest + " version(s)" + (h.labels.isEmpty() ? "" : ", labels " + h.labels)
                    + (h.archived ? ", archived" : ""));
        }
        List<Path> stale = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.filter(Files::isRegularFile)
                    .filter(p -> PromptFiles.FILE.matcher(dir.relativize(p).toString().replace('\\', '/')).matches())
                    .map(p -> p.toAbsolutePath().normalize()).filter(p -> !written.contains(p)).sorted().forEach(stale::add);
        }
        return new ExportReport(names.size(), written.size(), stale);
    }

    /** A prompt on the server: its newest version (0: no such prompt), labels and archive state. */
    private record History(int latest, Map<String, Integer> labels, boolean archived) {}

    private History history(String name) throws IOException, InterruptedException {
        JsonNode h = client.find(API + "/" + name + "/versions?limit=1").orElse(null);
        if (h == null) return new History(0, Map.of(), false);
        Map<String, Integer> labels = new TreeMap<>();
        h.get("labels").fields().forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asInt()));
        return new History(h.get("items").get(0).get("version").asInt(), labels, !h.get("archived_at").isNull());
    }

    record ImportReport(int prompts, int created, int labelsMoved, int unchanged, List<String> problems) {}

    ImportReport importFrom(Path dir, boolean dryRun) throws IOException, InterruptedException {
        Map<String, List<PromptFiles.VersionFile>> byName = new TreeMap<>();
        for (PromptFiles.VersionFile f : PromptFiles.readAll(dir)) {
            byName.computeIfAbsent(f.name(), k -> new ArrayList<>()).add(f);
        }
        int created = 0;
        int moved = 0;
        int unchanged = 0;
        List<String> problems = new ArrayList<>();
        for (var e : byName.entrySet()) {
            String name = e.getKey();
            try {
                Changes c = importPrompt(name, e.getValue(), dryRun);
                created += c.versionsCreated();
                moved += c.labelsMoved();
                if (c.none()) unchanged++;
            } catch (ServerClient.BadAnswer | PromptConflict ex) {
                problems.add(name + ": " + ex.getMessage());
                out.accept(name + ": NOT IMPORTED: " + ex.getMessage());
            }
        }
        return new ImportReport(byName.size(), created, moved, unchanged, problems);
    }

    /** A prompt whose files and server disagree in a way an import must not paper over. */
    static final class PromptConflict extends IOException {
        PromptConflict(String message) {
            super(message);
        }
    }

    /** What an import did (or, in a dry run, would do) to one prompt. */
    private record Changes(int versionsCreated, int labelsMoved, boolean archiveChanged) {
        boolean none() {
            return versionsCreated == 0 && labelsMoved == 0 && !archiveChanged;
        }
    }

    private Changes importPrompt(String name, List<PromptFiles.VersionFile> files, boolean dryRun)
            throws IOException, InterruptedException {
        files.sort(Comparator.comparingInt(PromptFiles.VersionFile::version));
        for (int i = 0; i < files.size(); i++) {
            if (files.get(i).version() != i + 1) {
                throw new PromptConflict("its files must hold versions 1 to " + files.size() + " without gaps; version "
                        + (i + 1) + " is missing");
            }
        }
        Map<String, Integer> wantedLabels = new TreeMap<>();
        for (PromptFiles.VersionFile f : files) {
            for (String label : f.labels()) {
                if (label.equals("latest") || !PromptRoutes.LABEL.matcher(label).matches()) {
                    throw new PromptConflict("version " + f.version() + " has label '" + label + "': a label is 1 to 63 "
                            + "lower-case letters, digits, '.', '_' and '-' ('latest' is implicit)");
                }
                Integer other = wantedLabels.put(label, f.version());
                if (other != null) throw new PromptConflict("label '" + label + "' is on versions " + other + " and " + f.version());
            }
            if (f.archived() && f.version() != files.size()) {
                throw new PromptConflict("'archived: true' belongs on the newest version's file, not version " + f.version());
            }
        }
        boolean wantArchived = files.get(files.size() - 1).archived();

        History server = history(name);
        int shared = Math.min(server.latest, files.size());
        for (int n = 1; n <= shared; n++) {
            JsonNode v = client.get(API + "/" + name + "?version=" + n);
            if (!same(content(v), files.get(n - 1).content())) {
                throw new PromptConflict("version " + n + " on the server differs from " + n + " in the folder; versions "
                        + "never change, so make the change a new version (export first to see the server's)");
            }
        }
        if (server.latest > files.size()) {
            out.accept(name + ": the server has versions " + (files.size() + 1) + " to " + server.latest
                    + " that the folder lacks (export to get them)");
        }
        Map<String, Integer> labelMoves = new LinkedHashMap<>();
        wantedLabels.forEach((label, version) -> {
            if (!version.equals(server.labels.get(label))) labelMoves.put(label, version);
        });
        for (var l : server.labels.entrySet()) {
            if (!wantedLabels.containsKey(l.getKey())) {
                out.accept(name + ": label '" + l.getKey() + "' (version " + l.getValue() + ") is on the server only; left as it is");
            }
        }
        int newVersions = files.size() - shared;
        boolean changes = newVersions > 0 || !labelMoves.isEmpty();
        List<String> done = new ArrayList<>();
        String verb = dryRun ? "would " : "";
        // An archived prompt takes no changes: restored for them, archived again below if the files say so.
        boolean archived = server.archived;
        if (!dryRun && archived && changes) {
            client.post(API + "/" + name + "/unarchive", null);
            archived = false;
        }
        for (int n = shared + 1; n <= files.size(); n++) {
            if (!dryRun) {
                ObjectNode body = files.get(n - 1).content();
                if (body.get("message").isNull()) body.remove("message");
                JsonNode made = client.post(API + "/" + name + "/versions", body);
                if (made.get("version").asInt() != n) {
                    throw new PromptConflict("the server numbered the new version " + made.get("version").asInt() + ", not " + n
                            + " (someone else added a version meanwhile); run the import again");
                }
            }
        }
        if (newVersions > 0) done.add(verb + "create " + (newVersions == 1 ? "version " + files.size()
                : "versions " + (shared + 1) + "-" + files.size()));
        for (var m : labelMoves.entrySet()) {
            if (!dryRun) {
                client.put(API + "/" + name + "/labels/" + m.getKey(), JsonNodeFactory.instance.objectNode().put("version", m.getValue()));
            }
            done.add(verb + "move " + m.getKey() + " " + (server.labels.containsKey(m.getKey()) ? server.labels.get(m.getKey()) : "(new)")
                    + " -> " + m.getValue());
        }
        if (!dryRun && wantArchived != archived) {
            client.post(API + "/" + name + "/" + (wantArchived ? "archive" : "unarchive"), null);
        }
        boolean archiveChanged = wantArchived != server.archived;
        if (archiveChanged) done.add(verb + (wantArchived ? "archive" : "unarchive"));
        out.accept(name + ": " + (done.isEmpty() ? "unchanged" : String.join(", ", done)));
        return new Changes(newVersions, labelMoves.size(), archiveChanged);
    }

    private static ObjectNode content(JsonNode v) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        for (String key : List.of("template", "variables", "config", "reference_assets", "message")) o.set(key, v.get(key));
        return o;
    }

    /** Equal JSON, numbers compared by value (0.5 and 0.50 are the same temperature). */
    private static boolean same(JsonNode a, JsonNode b) {
        return a.equals((x, y) -> {
            if (x.isNumber() && y.isNumber()) return x.decimalValue().compareTo(y.decimalValue()) == 0 ? 0 : 1;
            return x.equals(y) ? 0 : 1;
        }, b);
    }
}
