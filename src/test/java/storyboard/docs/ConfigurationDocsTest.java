package storyboard.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import storyboard.server.Config;

/** docs/configuration.md names every setting the server accepts (Config.SETTINGS, which serve --help lists too). */
class ConfigurationDocsTest {
    @Test
    void everySettingHasItsRowInTheConfigurationPage() throws Exception {
        String page = Files.readString(Path.of("docs/configuration.md"));
        for (Config.Setting s : Config.SETTINGS) {
            if (s.name().equals("STORYBOARD_CLASSPATH")) continue; // the launcher's, for developers: docs/command-line.md
            assertThat(page).as("docs/configuration.md lists " + s.name()).containsPattern("\\| `[^|]*" + s.name() + "`");
        }
    }
}
