package storyboard.cli;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonInclude.Include;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
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
        List<String> names = promptNames();
        List<Path> written = new ArrayList<>();
        for (String name : names) written.addAll(exportPrompt(dir, name));
        return new ExportReport(names.size(), written.size(), notWritten(dir, written));
    }

    /** The name of every prompt, archived ones too. */
    private List<String> promptNames() throws IOException, InterruptedException {
        List<String> names = new ArrayList<>();
        String cursor = null;
        do {
            JsonNode page = client.get(API + "?archived=any&limit=500" + (cursor == null ? "" : "&cursor=" + cursor));
            page.get("items").forEach(i -> names.add(i.get("name").asText()));
            cursor = page.get("next_cursor").isNull() ? null : page.get("next_cursor").asText();
        } while (cursor != null);
        return names;
    }

    /** Writes a file of each version of the prompt; answers their paths. */
    private List<Path> exportPrompt(Path dir, String name) throws IOException, InterruptedException {
        History h = history(name);
        List<Path> written = new ArrayList<>();
        for (int n = 1; n <= h.latest; n++) {
            JsonNode v = client.find(API + "/" + name + "?version=" + n).orElse(null);
            if (v == null) throw new IOException("version " + n + " of prompt '" + name + "' went missing during the export");
            PromptFiles.write(dir, versionFile(name, n, v, h));
            written.add(PromptFiles.path(dir, name, n).toAbsolutePath().normalize());
        }
        out.accept(name + ": " + h.latest + " version(s)" + (h.labels.isEmpty() ? "" : ", labels " + h.labels)
                + (h.archived ? ", archived" : ""));
        return written;
    }

    /** Version {@code n} of a prompt as its file holds it, from the server's answer {@code v} and its history. */
    private static PromptFiles.VersionFile versionFile(String name, int n, JsonNode v, History h) {
        List<String> labels = new ArrayList<>();
        for (var e : h.labels.entrySet()) if (e.getValue() == n) labels.add(e.getKey());
        return new PromptFiles.VersionFile(name, n, v.get("template"),
                (ArrayNode) v.get("variables"), (ObjectNode) v.get("config"), (ArrayNode) v.get("reference_assets"),
                v.get("message").isNull() ? null : v.get("message").asText(),
                v.get("author").isNull() ? null : v.get("author").asText(), v.get("created_at").asText(), labels,
                h.archived && n == h.latest);
    }

    /** The version files in the folder that the export did not write (their versions are not in the registry). */
    private static List<Path> notWritten(Path dir, List<Path> written) throws IOException {
        List<Path> stale = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.filter(Files::isRegularFile)
                    .filter(p -> PromptFiles.FILE.matcher(dir.relativize(p).toString().replace('\\', '/')).matches())
                    .map(p -> p.toAbsolutePath().normalize()).filter(p -> !written.contains(p)).sorted().forEach(stale::add);
        }
        return stale;
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
                Plan p = importPrompt(name, e.getValue(), dryRun);
                created += p.newVersions();
                moved += p.labelMoves().size();
                if (p.none()) unchanged++;
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

    /**
     * What an import does (or, in a dry run, would do) to one prompt: create the files' versions after the
     * {@code shared} ones, move labels, and archive or unarchive it.
     */
    private record Plan(List<PromptFiles.VersionFile> files, History server, int shared,
                        Map<String, Integer> labelMoves, boolean wantArchived) {
        int newVersions() {
            return files.size() - shared;
        }

        /** Whether versions are made or labels moved: an archived prompt is restored for that. */
        boolean changesVersionsOrLabels() {
            return newVersions() > 0 || !labelMoves.isEmpty();
        }

        boolean archiveChanged() {
            return wantArchived != server.archived;
        }

        boolean none() {
            return !changesVersionsOrLabels() && !archiveChanged();
        }

        /** As the import reports it: "create versions 2-3, move prod 1 -> 3, archive", or "unchanged". */
        String describe(boolean dryRun) {
            String verb = dryRun ? "would " : "";
            List<String> done = new ArrayList<>();
            if (newVersions() > 0) done.add(verb + "create " + (newVersions() == 1 ? "version " + files.size()
                    : "versions " + (shared + 1) + "-" + files.size()));
            for (var m : labelMoves.entrySet()) {
                done.add(verb + "move " + m.getKey() + " " + (server.labels.containsKey(m.getKey())
                        ? server.labels.get(m.getKey()) : "(new)") + " -> " + m.getValue());
            }
            if (archiveChanged()) done.add(verb + (wantArchived ? "archive" : "unarchive"));
            return done.isEmpty() ? "unchanged" : String.join(", ", done);
        }
    }

    private Plan importPrompt(String name, List<PromptFiles.VersionFile> files, boolean dryRun)
            throws IOException, InterruptedException {
        files.sort(Comparator.comparingInt(PromptFiles.VersionFile::version));
        checkNumbering(files);
        Map<String, Integer> wantedLabels = wantedLabels(files);
        boolean wantArchived = files.get(files.size() - 1).archived();
        History server = history(name);
        int shared = checkSharedVersions(name, files, server);
        Plan plan = new Plan(files, server, shared, labelMoves(name, wantedLabels, server), wantArchived);
        if (!dryRun) apply(name, plan);
        out.accept(name + ": " + plan.describe(dryRun));
        return plan;
    }

    /** Versions are numbered by the server, so the files must hold versions 1 to n. */
    private static void checkNumbering(List<PromptFiles.VersionFile> files) throws PromptConflict {
        for (int i = 0; i < files.size(); i++) {
            if (files.get(i).version() != i + 1) {
                throw new PromptConflict("its files must hold versions 1 to " + files.size() + " without gaps; version "
                        + (i + 1) + " is missing");
            }
        }
    }

    /**
     * The version each label of the files is on, each file checked in turn: its labels valid and on no other
     * version, and {@code archived} only on the newest.
     */
    private static Map<String, Integer> wantedLabels(List<PromptFiles.VersionFile> files) throws PromptConflict {
        Map<String, Integer> wanted = new TreeMap<>();
        for (PromptFiles.VersionFile f : files) {
            for (String label : f.labels()) {
                if (label.equals("latest") || !PromptRoutes.LABEL.matcher(label).matches()) {
                    throw new PromptConflict("version " + f.version() + " has label '" + label + "': a label is 1 to 63 "
                            + "lower-case letters, digits, '.', '_' and '-' ('latest' is implicit)");
                }
                Integer other = wanted.put(label, f.version());
                if (other != null) throw new PromptConflict("label '" + label + "' is on versions " + other + " and " + f.version());
            }
            if (f.archived() && f.version() != files.size()) {
                throw new PromptConflict("'archived: true' belongs on the newest version's file, not version " + f.version());
            }
        }
        return wanted;
    }

    /** How many versions the server and the files both have, after checking each is the same in both. */
    private int checkSharedVersions(String name, List<PromptFiles.VersionFile> files, History server)
            throws IOException, InterruptedException {
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
        return shared;
    }

    /** The labels to move (label → version), in label order; a label only the server has is left where it is. */
    private Map<String, Integer> labelMoves(String name, Map<String, Integer> wanted, History server) {
        Map<String, Integer> moves = new LinkedHashMap<>();
        wanted.forEach((label, version) -> {
            if (!version.equals(server.labels.get(label))) moves.put(label, version);
        });
        for (var l : server.labels.entrySet()) {
            if (!wanted.containsKey(l.getKey())) {
                out.accept(name + ": label '" + l.getKey() + "' (version " + l.getValue() + ") is on the server only; left as it is");
            }
        }
        return moves;
    }

    /** The body of {@code PUT /api/v1/prompts/<name>/labels/{label}}. */
    record LabelTarget(int version) {}

    /** Carries the plan out on the server. */
    private void apply(String name, Plan plan) throws IOException, InterruptedException {
        // An archived prompt takes no changes: restored for them, archived again below if the files say so.
        boolean archived = plan.server().archived;
        if (archived && plan.changesVersionsOrLabels()) {
            client.post(API + "/" + name + "/unarchive", null);
            archived = false;
        }
        for (int n = plan.shared() + 1; n <= plan.files().size(); n++) createVersion(name, n, plan.files().get(n - 1));
        for (var m : plan.labelMoves().entrySet()) {
            client.put(API + "/" + name + "/labels/" + m.getKey(), new LabelTarget(m.getValue()));
        }
        if (plan.wantArchived() != archived) {
            client.post(API + "/" + name + "/" + (plan.wantArchived() ? "archive" : "unarchive"), null);
        }
    }

    /** The body of {@code POST /api/v1/prompts/<name>/versions}: a file's content, no message if it has none. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record NewVersion(JsonNode template, ArrayNode variables, ObjectNode config, ArrayNode referenceAssets,
                      @JsonInclude(Include.NON_NULL) String message) {
        static NewVersion of(PromptFiles.VersionFile f) {
            return new NewVersion(f.template(), f.variables(), f.config(), f.referenceAssets(), f.message());
        }
    }

    /** Creates version {@code n}, which must get that number (else someone else added a version meanwhile). */
    private void createVersion(String name, int n, PromptFiles.VersionFile file) throws IOException, InterruptedException {
        JsonNode made = client.post(API + "/" + name + "/versions", NewVersion.of(file));
        if (made.get("version").asInt() != n) {
            throw new PromptConflict("the server numbered the new version " + made.get("version").asInt() + ", not " + n
                    + " (someone else added a version meanwhile); run the import again");
        }
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
