package io.edgedeck.console.flags;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The audit export names who changed what and why: it goes owner-only into a folder that exists, never a made-up one. */
class AuditExportFileTest {
    @TempDir
    Path dir;

    @Test
    void aMistypedFolderIsNamedNotCreated() {
        Path file = dir.resolve("nonexistent").resolve("dir").resolve("a.jsonl");
        IOException e = assertThrows(IOException.class, () -> FlagsViewModel.writeOwnerOnly(file, "{}\n"));
        assertEquals("there is no folder " + file.getParent() + "; pick one that exists", e.getMessage());
        assertFalse(Files.exists(dir.resolve("nonexistent")), "no folder was made");
    }

    @Test
    void theExportIsTheOwnersAlone() throws IOException {
        Path file = dir.resolve("a.jsonl");
        FlagsViewModel.writeOwnerOnly(file, "{\"seq\":1}\n");
        assertEquals("{\"seq\":1}\n", Files.readString(file));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        try (var left = Files.list(dir)) {
            assertEquals(1, left.count(), "no partial file left beside it");
        }
        FlagsViewModel.writeOwnerOnly(file, "{\"seq\":2}\n");
        assertTrue(Files.readString(file).contains("\"seq\":2"), "a second export replaces the first");
    }
    @Test
    void theFieldOffersTheHomeAsTildeAndTheExportGoesThere() {
        // the field shows ~/audit.jsonl, as a shell names it: the same words on every machine, no one's user name on screen
        assertEquals("~" + java.io.File.separator + "audit.jsonl", FlagsViewModel.DEFAULT_EXPORT);
        Path home = dir.resolve("home");
        assertEquals(home.resolve("audit.jsonl"), FlagsViewModel.exportFile(FlagsViewModel.DEFAULT_EXPORT, home));
        assertEquals(home.resolve("shows").resolve("a.jsonl"), FlagsViewModel.exportFile("~/shows/a.jsonl", home));
        assertEquals(home, FlagsViewModel.exportFile("~", home));
        // a path of its own is taken as typed: another person's ~name, a relative or an absolute one
        assertEquals(Path.of("~bob/a.jsonl"), FlagsViewModel.exportFile("~bob/a.jsonl", home));
        assertEquals(Path.of("out/a.jsonl"), FlagsViewModel.exportFile("out/a.jsonl", home));
        assertEquals(dir.resolve("a.jsonl"), FlagsViewModel.exportFile(dir.resolve("a.jsonl").toString(), home));
    }
}
