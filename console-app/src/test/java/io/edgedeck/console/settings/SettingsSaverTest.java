package io.edgedeck.console.settings;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SettingsSaverTest {

    @Test
    void aFolderThatCannotBeWrittenIsNamedOnceInOneLineWithTheCause(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("in-the-way"), "a file where the folder's parent should be");
        Path folder = dir.resolve("in-the-way").resolve("edgedeck");
        Settings settings = new Settings(SettingsData.defaults());
        SettingsSaver saver = new SettingsSaver(settings, new SettingsStore(folder));
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream err = System.err;
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            settings.operatorProperty().set("ana");
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (captured.size() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            saver.closeAndWrite().join();
        } finally {
            System.setErr(err);
        }
        List<String> lines = captured.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals(1, lines.size(), "the change's save and the exit's save fail alike: told once\n" + lines);
        assertTrue(lines.getFirst().contains("Could not save the settings in " + folder + " (" + folder + ": "), lines.getFirst());
        assertTrue(lines.getFirst().endsWith("); this run's changes will not be kept"), lines.getFirst());
    }

    @Test
    void aMissingFolderThatCannotBeMadeSaysSo() {
        Path folder = Path.of("nope", "edgedeck");
        assertEquals("Could not save the settings in " + folder + " (nope: no such file or directory);"
                        + " this run's changes will not be kept",
                SettingsSaver.problem(folder, new NoSuchFileException("nope")));
    }
}
