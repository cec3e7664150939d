package io.togetheragent.core.settings;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every setting the agent reads has a row of its own, with its default, in the README's settings table. */
class ReadmeSettingsTest {
    @Test
    void theSettingsTableListsEverySettingWithItsDefault() throws Exception {
        List<String> readme = Files.readAllLines(readme());
        for (Setting s : Setting.values()) {
            assertHasRow(readme, "| `" + s.key() + "` | `" + s.defaultText() + "` |");
        }
        assertHasRow(readme, "| `" + SettingsLoader.CONFIG_KEY + "` | none |");
    }

    private static void assertHasRow(List<String> readme, String row) {
        assertTrue(readme.stream().anyMatch(line -> line.startsWith(row)), "no README row starts " + row);
    }

    /** Maven runs the tests in the agent module's folder; the README is the project's, one up. */
    private static Path readme() {
        Path inModule = Paths.get("..", "README.md");
        return Files.exists(inModule) ? inModule : Paths.get("README.md");
    }
}
