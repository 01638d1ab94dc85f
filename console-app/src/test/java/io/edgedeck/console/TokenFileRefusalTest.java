package io.edgedeck.console;

import io.edgedeck.console.settings.SettingsStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** A --token-file the console cannot use is named once, as that option, before a window opens or anything is sent. */
class TokenFileRefusalTest {

    /** The refusal, with the console's config directory (where tokens are remembered) in {@code dir}, not the user's. */
    private static String refusal(Path tokenFile, Path dir) {
        String before = System.getProperty("edgedeck.config.dir");
        System.setProperty("edgedeck.config.dir", dir.toString());
        try {
            String said = assertThrows(EdgeDeckApp.StartupException.class, () -> EdgeDeckApp.prepare(ConsoleOptions.parse(List.of(
                    "--connect", "http://127.0.0.1:1", "--token-file", tokenFile.toString())), new SettingsStore(dir))).getMessage();
            assertFalse(Files.exists(dir.resolve("tokens.json")), "nothing remembered for a refused token file");
            return said;
        } finally {
            if (before == null) {
                System.clearProperty("edgedeck.config.dir");
            } else {
                System.setProperty("edgedeck.config.dir", before);
            }
        }
    }

    @Test
    void anEmptyTokenFileIsNamedOnce(@TempDir Path dir) throws Exception {
        Path empty = Files.writeString(dir.resolve("empty.token"), " \n");
        assertEquals("--token-file " + empty + " is empty", refusal(empty, dir));
    }

    @Test
    void aTokenFileWithASecondLineIsRefusedNotACrash(@TempDir Path dir) throws Exception {
        Path twoLines = Files.writeString(dir.resolve("two.token"), "abc_DEF-123\nsecond line\n");
        assertEquals("--token-file " + twoLines + " does not hold a token (one line of printable characters)", refusal(twoLines, dir));
    }
}
