package io.edgedeck.simulator.server.ingest;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A torn tail (bad bytes running to the end of the file) is cut; bad bytes with whole records after
 * them are damage: the records after them are kept, the file is left as it is, and the damage is said.
 */
class IngestLogDamageTest {
    /** Each record here: a 16-byte header and an 11-byte payload, {@code raw-alice-I}. */
    private static final int RECORD = 16 + 11;

    /** What a reopen read: records by ordinal, and ordinals in damaged places. */
    private record Read(List<String> records, List<Long> damaged, IngestLog log) {
    }

    private static Read open(Path file) throws Exception {
        List<String> records = new ArrayList<>();
        List<Long> damaged = new ArrayList<>();
        IngestLog log = IngestLog.open(file, new IngestLog.Replay() {
            @Override
            public void record(long ordinal, long at, byte[] payload, boolean scrubbed) {
                records.add(ordinal + ":" + at + ":" + new String(payload, StandardCharsets.UTF_8));
            }

            @Override
            public void damaged(long ordinal, long at) {
                damaged.add(ordinal);
            }
        });
        return new Read(records, damaged, log);
    }

    private static void write(Path file, int n) throws Exception {
        try (IngestLog log = IngestLog.open(file, (o, at, p, s) -> { })) {
            for (int i = 0; i < n; i++) {
                log.append(1_000 + i, ("raw-alice-" + i).getBytes(StandardCharsets.UTF_8)).get(5, TimeUnit.SECONDS);
            }
        }
        assertEquals((long) n * RECORD, Files.size(file));
    }

    private static void flip(Path file, long offset) throws Exception {
        byte[] bytes = Files.readAllBytes(file);
        bytes[(int) offset] ^= 0x10;
        Files.write(file, bytes);
    }

    @Test
    void anIncompleteLastRecordIsCutAndEverythingBeforeItKept(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("ingest.log");
        write(file, 3);
        byte[] whole = Files.readAllBytes(file);
        // A crash in the middle of a write: the header of a fourth record and part of its payload.
        Files.write(file, Arrays.copyOfRange(whole, RECORD, RECORD + 20), StandardOpenOption.APPEND);
        Read read = open(file);
        try (IngestLog log = read.log()) {
            assertEquals(List.of("0:1000:raw-alice-0", "1:1001:raw-alice-1", "2:1002:raw-alice-2"), read.records());
            assertEquals(List.of(), read.damaged());
            assertEquals(List.of(), log.damage(), "a torn tail is not damage");
            assertArrayEquals(whole, Files.readAllBytes(file), "the torn record is cut off");
            assertEquals(3L, log.append(2_000, "next".getBytes(StandardCharsets.UTF_8)).get(5, TimeUnit.SECONDS));
        }
    }

    @Test
    void aLastRecordWhoseChecksumFailsIsCut(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("ingest.log");
        write(file, 3);
        byte[] whole = Files.readAllBytes(file);
        flip(file, 2L * RECORD + 16 + 4);
        Read read = open(file);
        try (IngestLog log = read.log()) {
            assertEquals(List.of("0:1000:raw-alice-0", "1:1001:raw-alice-1"), read.records());
            assertEquals(List.of(), log.damage());
            assertArrayEquals(Arrays.copyOf(whole, 2 * RECORD), Files.readAllBytes(file));
            assertEquals(null, log.damageSummary());
        }
    }

    @Test
    void aFlippedByteInAnOldRecordLosesThatRecordOnlyAndTheFileIsLeftAsItIs(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("ingest.log");
        write(file, 5);
        flip(file, RECORD + 16 + 4);
        byte[] damaged = Files.readAllBytes(file);
        Read read = open(file);
        try (IngestLog log = read.log()) {
            assertEquals(List.of("0:1000:raw-alice-0", "2:1002:raw-alice-2", "3:1003:raw-alice-3", "4:1004:raw-alice-4"),
                    read.records(), "every whole record after the damage is kept, in its place");
            assertEquals(List.of(1L), read.damaged());
            assertEquals(List.of(new IngestLog.Damage(1, RECORD, RECORD, 3, false)), log.damage());
            assertTrue(log.damageSummary().contains("1 record cannot be read (27 bytes, the first at byte 27, with 3 whole"
                    + " records after it)"), log.damageSummary());
            assertArrayEquals(damaged, Files.readAllBytes(file), "nothing is cut or rewritten");
            assertEquals(5L, log.append(2_000, "raw-alice-5".getBytes(StandardCharsets.UTF_8)).get(5, TimeUnit.SECONDS),
                    "the damaged record keeps its ordinal, so the next follows on");
        }
        Read again = open(file);
        try (IngestLog log = again.log()) {
            assertEquals(5, again.records().size());
            assertEquals("5:2000:raw-alice-5", again.records().getLast());
            assertEquals(List.of(new IngestLog.Damage(1, RECORD, RECORD, 4, false)), log.damage());
        }
    }

    @Test
    void aDamagedLengthIsFoundAsDamageToo(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("ingest.log");
        write(file, 4);
        // The length's highest byte: the record claims far more than the file holds.
        flip(file, 2L * RECORD);
        Read read = open(file);
        try (IngestLog log = read.log()) {
            assertEquals(List.of("0:1000:raw-alice-0", "1:1001:raw-alice-1", "3:1003:raw-alice-3"), read.records());
            assertEquals(List.of(new IngestLog.Damage(2, 2L * RECORD, RECORD, 1, false)), log.damage());
            assertEquals(4L * RECORD, Files.size(file));
        }
    }

    @Test
    void damageAndATornTailBothFound(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("ingest.log");
        write(file, 4);
        flip(file, 16 + 2);
        Files.write(file, new byte[9], StandardOpenOption.APPEND);
        Read read = open(file);
        try (IngestLog log = read.log()) {
            assertEquals(List.of(0L), read.damaged());
            assertEquals(3, read.records().size());
            assertEquals(4L * RECORD, Files.size(file), "the torn tail is cut, the damage is not");
            assertEquals(List.of(new IngestLog.Damage(0, 0, RECORD, 3, false)), log.damage());
        }
    }

    /** A damaged record may hold raw ids no one can key: the retention window's scrub replaces it with a marker. */
    @Test
    void theRetentionScrubReplacesADamagedRecordWithAMarkerThatKeepsItCounted(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("ingest.log");
        write(file, 4);
        flip(file, RECORD + 16);
        Read read = open(file);
        try (IngestLog log = read.log()) {
            assertEquals(1_000, log.oldestRawEpochMillis().orElseThrow());
            IngestLog.Scrubbed done = log.scrub(5_000, p -> new String(p, StandardCharsets.UTF_8).replace("alice", "k.x")
                    .getBytes(StandardCharsets.UTF_8)).get(5, TimeUnit.SECONDS);
            assertEquals(4, done.records(), "three records and the damaged one");
            assertTrue(log.oldestRawEpochMillis().isEmpty());
        }
        assertFalse(Files.readString(file, StandardCharsets.ISO_8859_1).contains("alice"));
        Read again = open(file);
        try (IngestLog log = again.log()) {
            assertEquals(List.of("0:1000:raw-k.x-0", "2:1002:raw-k.x-2", "3:1003:raw-k.x-3"), again.records());
            assertEquals(List.of(1L), again.damaged());
            assertEquals(1, log.damage().size());
            IngestLog.Damage d = log.damage().getFirst();
            assertEquals(1, d.ordinal());
            assertEquals(RECORD, d.bytes());
            assertEquals(2, d.recordsAfter());
            assertTrue(d.scrubbed());
        }
    }

    /** Records a build of 5 December 2026 wrote, bit 29 of their length set, are read whole, not cut off as a torn tail. */
    @Test
    void recordsMarkedByTheBuildsOfFiveDecemberAreReadWhole(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("ingest.log");
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        for (int i = 0; i < 3; i++) {
            byte[] payload = ("raw-alice-" + i).getBytes(StandardCharsets.UTF_8);
            java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
            crc.update(java.nio.ByteBuffer.allocate(8).putLong(0, 1_000 + i));
            crc.update(payload);
            bytes.write(java.nio.ByteBuffer.allocate(16 + payload.length).putInt(payload.length | 1 << 29)
                    .putInt((int) crc.getValue()).putLong(1_000 + i).put(payload).array());
        }
        Files.write(file, bytes.toByteArray());
        Read read = open(file);
        assertEquals(List.of("0:1000:raw-alice-0", "1:1001:raw-alice-1", "2:1002:raw-alice-2"), read.records());
        assertEquals(3L, read.log().append(1_003, "raw-alice-3".getBytes(StandardCharsets.UTF_8)).get(5, TimeUnit.SECONDS));
        read.log().close();
        assertEquals(bytes.size() + RECORD, Files.size(file), "nothing was cut off");
    }
}
