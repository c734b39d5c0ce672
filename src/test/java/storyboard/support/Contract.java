package storyboard.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** The real client's files in ../shared/contract, read unchanged. */
public final class Contract {
    private Contract() {}

    public static Path root() {
        for (Path p : List.of(Path.of("../shared/contract"), Path.of("shared/contract"), Path.of("../../shared/contract"))) {
            if (Files.isDirectory(p)) return p.toAbsolutePath().normalize();
        }
        throw new IllegalStateException("../shared/contract is missing: the contract files are needed by the tests");
    }

    public static List<Path> promptLogs() {
        try (Stream<Path> s = Files.list(root().resolve("b-line/prompt-logs"))) {
            List<Path> files = s.filter(p -> p.toString().endsWith(".json")).sorted().toList();
            if (files.isEmpty()) throw new IllegalStateException("no contract prompt logs found");
            return files;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One of the app's prompt-log payloads, by file name (e.g. v3_shots.json), byte for byte. */
    public static byte[] promptLog(String fileName) {
        return bytes(root().resolve("b-line/prompt-logs").resolve(fileName));
    }

    public static Path projectLogs() {
        return root().resolve("b-line/project-sample/logs");
    }

    public static byte[] bytes(Path p) {
        try {
            return Files.readAllBytes(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
