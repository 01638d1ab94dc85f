package io.edgedeck.console.settings;

import io.edgedeck.themes.Theme;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SettingsStoreTest {
    @TempDir
    Path dir;

    @Test
    void savedSettingsComeBack() throws Exception {
        SettingsStore store = new SettingsStore(dir);
        SettingsData data = new SettingsData("ana", 120.0, "light", 10.0, 20.0, 1400.0, 900.0, "pop-outage", true,
                "adaptive");
        store.save(data);
        SettingsStore.Loaded loaded = store.load();
        assertNull(loaded.problem());
        assertEquals(data, loaded.data());
    }

    @Test
    void noFileMeansDefaults() {
        SettingsStore.Loaded loaded = new SettingsStore(dir).load();
        assertNull(loaded.problem());
        assertEquals(SettingsData.defaults(), loaded.data());
    }

    @Test
    void missingFieldsTakeDefaults() throws Exception {
        Files.writeString(dir.resolve("settings.json"), "{\"operator\":\"ana\",\"unknown\":1}");
        SettingsData d = new SettingsStore(dir).load().data();
        assertEquals("ana", d.operator());
        assertEquals(150.0, d.p95TargetMs());
        assertEquals("dark", d.theme());
        assertEquals("fixed", d.tileColouring(), "a file from before adaptive colouring colours against the objective");
    }

    @Test
    void aCorruptFileIsKeptAsideAndReported() throws Exception {
        Files.writeString(dir.resolve("settings.json"), "{\"operator\": \"ana\", oops");
        SettingsStore.Loaded loaded = new SettingsStore(dir).load();
        assertEquals(SettingsData.defaults(), loaded.data());
        assertEquals("settings.json was unreadable; kept a copy as settings.json.corrupt and started with defaults",
                loaded.problem());
        assertEquals("{\"operator\": \"ana\", oops", Files.readString(dir.resolve("settings.json.corrupt")));
        assertFalse(Files.exists(dir.resolve("settings.json")));
    }

    @Test
    void theConfigDirectoryCanBeOverridden() {
        String before = System.getProperty("edgedeck.config.dir");
        try {
            System.setProperty("edgedeck.config.dir", dir.toString());
            assertEquals(dir, SettingsStore.defaultDirectory());
        } finally {
            if (before == null) System.clearProperty("edgedeck.config.dir");
            else System.setProperty("edgedeck.config.dir", before);
        }
    }

    @Test
    void changesAreSavedOnceAfterTheyStop() throws Exception {
        SettingsStore store = new SettingsStore(dir);
        Settings settings = new Settings(SettingsData.defaults());
        try (SettingsSaver saver = new SettingsSaver(settings, store)) {
            for (int i = 0; i < 20; i++) {
                settings.windowWidthProperty().set(1000 + i);
            }
            settings.themeProperty().set(Theme.LIGHT);
            assertFalse(Files.exists(store.file()), "nothing is written before the debounce has passed");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (!Files.exists(store.file()) && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertTrue(Files.exists(store.file()));
            SettingsData saved = store.load().data();
            assertEquals(1019.0, saved.windowWidth());
            assertEquals("light", saved.theme());
            // close() writes the last settings on the saver's thread without waiting; wait here, so the
            // temporary directory is not removed under that write.
            saver.closeAndWrite().get(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void theFormValidatesBeforeApplying() {
        Settings settings = new Settings(SettingsData.defaults());
        SettingsViewModel vm = new SettingsViewModel(settings, "x", null);
        vm.p95TargetProperty().set("fast");
        assertFalse(vm.apply());
        assertTrue(vm.messageProperty().get().contains("number of milliseconds"), vm.messageProperty().get());
        assertEquals(150.0, settings.p95TargetMsProperty().get());
        vm.p95TargetProperty().set("200 ms");
        vm.operatorProperty().set("  ana ");
        assertTrue(vm.apply());
        assertEquals(200.0, settings.p95TargetMsProperty().get());
        assertEquals("ana", settings.operatorProperty().get());
        vm.operatorProperty().set(" ");
        assertFalse(vm.apply());
        assertEquals("ana", settings.operatorProperty().get());
    }
}
