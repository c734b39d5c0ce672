package storyboard.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The real client's files, read unchanged from the repository's own copy (src/test/resources/contract), so a
 * clone passes alone; ContractCopyTest keeps the copy byte-identical to the workplace's shared contract where one
 * lies beside the clone.
 */
public final class Contract {
    private Contract() {}

    /** The repository's copy; Maven runs the tests in the project's folder. */
    public static Path root() {
        Path copy = Path.of("src/test/resources/contract");
        if (!Files.isDirectory(copy)) {
            throw new IllegalStateException(copy.toAbsolutePath() + " is missing: run the tests from the project's folder");
        }
        return copy.toAbsolutePath().normalize();
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
