package storyboard.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Sends the prompt logs the B-Line app left on disk through the batch endpoint. Each file travels as its exact
 * text, so the server hashes the same bytes it would have received live and recognises a log it already has.
 */
public final class LogImporter {
    /** {@code <type>_<yyyy-MM-dd_HH-mm-ss>_<user>_v<n>_<local|remote>.json}, as the app names its log files. */
    static final Pattern LOG_FILE = Pattern.compile(
            "[A-Za-z]+(?:_[A-Za-z]+)*_\\d{4}-\\d{2}-\\d{2}_\\d{2}-\\d{2}-\\d{2}_.+_v\\d+_(?:local|remote)\\.json");
    /** Every route an import calls ("METHOD /path" as in RouteAccess): the scopes its token needs follow from them. */
    public static final List<String> ROUTES = List.of("POST /api/v1/prompt-history/batch");

    private final ServerClient client;
    private final int batchSize;

    public LogImporter(ServerClient client, int batchSize) {
        this.client = client;
        this.batchSize = batchSize;
    }

    /** The batch endpoint's request: each log as its file's exact text. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record Batch(List<String> items, boolean skipKnownBodies) {}

    /** What happened to one file that was not imported. */
    public record Rejection(Path file, String reason) {}

    public record Report(int found, int imported, int alreadyPresent, List<Rejection> rejected) {}

    /** How the app names its log files, for people. */
    public static final String LOG_FILE_NAMES = "<type>_<yyyy-MM-dd_HH-mm-ss>_<user>_v<N>_<local|remote>.json";

    /**
     * What a search of the folders found: the files to import, and the {@code .json} files left out because their
     * names are not the app's log names (each as given, or relative to the folder it was found in).
     */
    public record Found(List<Path> logs, List<String> skipped) {}

    /** The app's log files under the given folders (recursively), in name order. */
    public static List<Path> findLogFiles(List<Path> dirs) throws IOException {
        return find(dirs, false).logs();
    }

    /**
     * The files to import under the given folders (recursively; hidden files and folders left out), in name order:
     * those named like the app's logs, or with {@code allJson} every {@code .json} file. A file given by name is
     * always taken.
     */
    public static Found find(List<Path> dirs, boolean allJson) throws IOException {
        List<Path> files = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        for (Path dir : dirs) {
            if (Files.isRegularFile(dir)) {
                files.add(dir);
                continue;
            }
            if (!Files.isDirectory(dir)) throw new IOException("no such folder: " + dir);
            try (Stream<Path> walk = Files.walk(dir)) {
                for (Path p : walk.filter(Files::isRegularFile).sorted().toList()) {
                    Path relative = dir.relativize(p);
                    boolean hidden = false;
                    for (Path part : relative) hidden |= part.toString().startsWith(".");
                    String name = p.getFileName().toString();
                    if (hidden || !name.toLowerCase(java.util.Locale.ROOT).endsWith(".json")) continue;
                    if (allJson || LOG_FILE.matcher(name).matches()) {
                        files.add(p);
                    } else {
                        skipped.add(relative.toString().replace('\\', '/'));
                    }
                }
            }
        }
        files.sort(java.util.Comparator.comparing(p -> p.getFileName().toString()));
        return new Found(files, skipped);
    }

    public Report run(List<Path> files, IntConsumer progress) throws IOException, InterruptedException {
        int imported = 0;
        int present = 0;
        List<Rejection> rejected = new ArrayList<>();
        for (int start = 0; start < files.size(); start += batchSize) {
            List<Path> chunk = files.subList(start, Math.min(files.size(), start + batchSize));
            List<Path> sent = new ArrayList<>();
            List<String> items = new ArrayList<>();
            for (Path f : chunk) {
                try {
                    items.add(utf8(Files.readAllBytes(f)));
                    sent.add(f);
                } catch (CharacterCodingException e) {
                    rejected.add(new Rejection(f, "not UTF-8 text"));
                }
            }
            if (!sent.isEmpty()) {
                JsonNode answer = client.post("/api/v1/prompt-history/batch", new Batch(items, true));
                for (JsonNode r : answer.get("results")) {
                    Path f = sent.get(r.get("index").asInt());
                    switch (r.get("status").asText()) {
                        case "created" -> imported++;
                        case "existing" -> present++;
                        default -> rejected.add(new Rejection(f, r.path("error").path("message").asText("rejected")
                                + (r.path("error").hasNonNull("field") ? " (field " + r.path("error").get("field").asText() + ")" : "")));
                    }
                }
            }
            progress.accept(Math.min(files.size(), start + batchSize));
        }
        return new Report(files.size(), imported, present, rejected);
    }

    private static String utf8(byte[] bytes) throws CharacterCodingException {
        return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
    }
}
