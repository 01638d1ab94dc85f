package io.edgedeck.client.files;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.CompletionException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The one wording of why a file could not be written, and new files' permissions by what they hold. */
class OutputFileTest {
    @Test
    void aFailureIsSaidInWordsWithoutItsPathWhateverWrapsIt(@TempDir Path dir) {
        assertEquals("permission denied", OutputFile.reason(new AccessDeniedException("/x/.r.json.1a2b.partial")));
        assertEquals("no such file or directory", OutputFile.reason(new CompletionException(new NoSuchFileException("/x"))));
        IOException underAFile = assertThrows(IOException.class, () -> {
            Path file = Files.writeString(dir.resolve("plain"), "x");
            OutputFile.write(file.resolve("r.json"), OutputFile.Access.USUAL, "{}");
        });
        String said = OutputFile.reason(underAFile);
        assertEquals(false, said.contains(dir.toString()), said);
    }

    @Test
    void aNewFileIsOwnerOnlyWhenItHoldsWhatOthersShouldNotRead(@TempDir Path dir) throws IOException {
        Path secret = dir.resolve("bundle.zip");
        OutputFile.write(secret, OutputFile.Access.OWNER_ONLY, "zip");
        assertEquals(PosixFilePermissions.fromString("rw-------"), Files.getPosixFilePermissions(secret));
        try (var left = Files.list(dir)) {
            assertEquals(1, left.count(), "no temporary file is left beside it");
        }
    }

    @Test
    void anOwnerOnlyFileWrittenOverAFileOthersCouldReadIsOwnerOnlyAfter(@TempDir Path dir) throws IOException {
        Path bundle = Files.writeString(dir.resolve("bundle.zip"), "old");
        Files.setPosixFilePermissions(bundle, PosixFilePermissions.fromString("rw-r--r--"));
        OutputFile.write(bundle, OutputFile.Access.OWNER_ONLY, "zip");
        assertEquals(PosixFilePermissions.fromString("rw-------"), Files.getPosixFilePermissions(bundle));

        Path report = Files.writeString(dir.resolve("report.json"), "old");
        Files.setPosixFilePermissions(report, PosixFilePermissions.fromString("rw-rw-r--"));
        OutputFile.write(report, OutputFile.Access.USUAL, "{}");
        assertEquals(PosixFilePermissions.fromString("rw-rw-r--"), Files.getPosixFilePermissions(report),
                "a file that holds nothing secret keeps the permissions it had");
    }
}
