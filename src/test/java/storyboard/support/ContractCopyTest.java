package storyboard.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The repository's copy of the client's contract is the shared one, byte for byte, wherever both exist. */
class ContractCopyTest {
    /** The shared contract as the workplace lays it beside the clone (optional: a clone alone has none). */
    private static final Path SHARED = Path.of("..", "shared", "contract");

    @Test
    void theCopyHoldsTheFilesTheTestsRead() throws IOException {
        Map<String, byte[]> copy = files(Contract.root());
        assertThat(copy).containsKeys("README.md", "b-line/prompt-logs/v3_shots.json",
                "b-line/project-sample/project.json", "b-line/project-sample/logs");
        assertThat(Contract.promptLogs()).hasSizeGreaterThanOrEqualTo(5);
    }

    @Test
    void theCopyIsByteIdenticalToTheSharedContractWhereItExists() throws IOException {
        if (!Files.isDirectory(SHARED)) return; // a clone alone: nothing to compare against
        Map<String, byte[]> shared = files(SHARED);
        Map<String, byte[]> copy = files(Contract.root());
        assertThat(copy.keySet()).as("files and folders").isEqualTo(shared.keySet());
        shared.forEach((path, bytes) -> assertThat(copy.get(path)).as(path).isEqualTo(bytes));
    }

    /** Every file's bytes and every folder (as an empty array), by path relative to root. */
    private static Map<String, byte[]> files(Path root) throws IOException {
        Map<String, byte[]> out = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : (Iterable<Path>) walk.filter(p -> !p.equals(root))::iterator) {
                String rel = root.relativize(p).toString().replace('\\', '/');
                out.put(rel, Files.isDirectory(p) ? new byte[0] : Files.readAllBytes(p));
            }
        }
        return out;
    }
}
