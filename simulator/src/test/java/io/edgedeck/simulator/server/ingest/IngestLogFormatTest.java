package io.edgedeck.simulator.server.ingest;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The file beside the ingest log that names its format: written by this build, read past when absent, a newer one refused. */
class IngestLogFormatTest {
    private static List<String> records(Path file) throws Exception {
        List<String> out = new ArrayList<>();
        try (IngestLog log = IngestLog.open(file, (o, at, p, s) -> out.add(o + ":" + new String(p, StandardCharsets.UTF_8)))) {
            return out;
        }
    }

    private static void write(Path file, String... payloads) throws Exception {
        try (IngestLog log = IngestLog.open(file, (o, at, p, s) -> { })) {
            for (String p : payloads) {
                log.append(1_000, p.getBytes(StandardCharsets.UTF_8), false).get(5, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void aLogIsMarkedWithItsFormatAndALogWithoutTheMarkIsReadAsItIs(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("ingest.log");
        write(file, "[1]", "[2]");
        Path marker = IngestLog.formatFile(file);
        assertEquals(dir.resolve("ingest.log.format"), marker);
        assertEquals("1\n", Files.readString(marker));
        // A log an earlier build wrote has no such file: it is format 1, read whole, and marked from now on.
        Files.delete(marker);
        assertEquals(List.of("0:[1]", "1:[2]"), records(file));
        assertEquals("1\n", Files.readString(marker));
    }

    @Test
    void aLogOfAnotherFormatIsRefusedNamingItsFilesAndLeftAsItIs(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("ingest.log");
        write(file, "[1]");
        byte[] before = Files.readAllBytes(file);
        Path marker = IngestLog.formatFile(file);
        for (String newer : new String[]{"2\n", "ingest-log/v7", "\u0000\u0001"}) {
            Files.writeString(marker, newer);
            IngestLog.UnknownFormat refused = assertThrows(IngestLog.UnknownFormat.class,
                    () -> IngestLog.read(file, (o, at, p, s) -> { throw new AssertionError("no record is read"); }));
            assertTrue(refused.getMessage().startsWith("the ingest log " + file + " is in "), refused.getMessage());
            assertTrue(refused.getMessage().contains("as " + marker + " says, and this build reads format 1"), refused.getMessage());
            assertArrayEquals(before, Files.readAllBytes(file), "nothing of the log is changed");
            assertEquals(newer, Files.readString(marker), "nor its mark");
        }
        assertTrue(assertThrows(IngestLog.UnknownFormat.class, () -> {
            Files.writeString(marker, "2");
            IngestLog.read(file, (o, at, p, s) -> { });
        }).getMessage().contains(" is in format 2, as "));
        assertFalse(Files.exists(dir.resolve("ingest.log.format.tmp")));
    }
}
