package storyboard.reliability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/** What a reliability test measured, one Markdown file per test under target/reliability (summed up by .ci/run). */
final class Figures {
    private Figures() {}

    static void write(String name, String title, List<String> lines) {
        try {
            Path dir = Path.of("target/reliability");
            Files.createDirectories(dir);
            StringBuilder b = new StringBuilder("## ").append(title).append("\n\n");
            for (String l : lines) b.append("- ").append(l).append('\n');
            b.append("\n(").append(Instant.now()).append(", java ").append(Runtime.version()).append(")\n");
            Files.writeString(dir.resolve(name + ".md"), b.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
