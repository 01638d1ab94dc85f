package io.edgedeck.simulator.fleet;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SpoolTest {

    @TempDir
    Path dir;

    private static Spool.Pending rec(String key, String value) {
        return new Spool.Pending("t", key, "s/1", value.getBytes(StandardCharsets.UTF_8));
    }

    private static List<String> values(List<Spool.Entry> entries) {
        return entries.stream().map(e -> new String(e.value(), StandardCharsets.UTF_8)).toList();
    }

    @Test
    void numbersRecordsInOrderAndReadsThemBackAcrossSegments() throws IOException {
        try (Spool s = Spool.open(dir, 1 << 20, 1024)) {
            for (int i = 0; i < 100; i++) {
                assertEquals(i + 1, s.append(List.of(rec("k" + (i % 3), "value-" + i)), 1_000 + i));
            }
            assertTrue(segments().size() > 1, "100 records of about 40 bytes fill several 1 KB segments");
            List<Spool.Entry> all = new ArrayList<>();
            long after = 0;
            while (true) {
                List<Spool.Entry> some = s.read(after, 7);
                if (some.isEmpty()) {
                    break;
                }
                all.addAll(some);
                after = some.getLast().seq();
            }
            assertEquals(100, all.size());
            for (int i = 0; i < 100; i++) {
                assertEquals(i + 1, all.get(i).seq());
                assertEquals("value-" + i, new String(all.get(i).value(), StandardCharsets.UTF_8));
                assertEquals("k" + (i % 3), all.get(i).key());
                assertEquals(1_000 + i, all.get(i).appendedAtMillis());
            }
            // Reading again from anywhere, not only where the last read stopped.
            assertEquals(List.of("value-50", "value-51"), values(s.read(50, 2)));
            assertEquals(List.of("value-0"), values(s.read(0, 1)));
        }
    }

    @Test
    void releaseDeletesAcknowledgedSegmentsAndTheSequenceNeverGoesBackAfterReopening() throws IOException {
        try (Spool s = Spool.open(dir, 1 << 20, 1024)) {
            for (int i = 0; i < 100; i++) {
                s.append(List.of(rec("k", "value-" + i)), i);
            }
            long before = s.bytes();
            s.release(60);
            assertTrue(s.bytes() < before, "segments wholly at or below 60 are gone");
            assertEquals(40, s.pending());
            assertEquals(List.of("value-60"), values(s.read(60, 1)));
            assertEquals(60, s.oldestPendingAppendedAt());
        }
        try (Spool s = Spool.open(dir, 1 << 20, 1024)) {
            assertEquals(60, s.acked());
            assertEquals(100, s.lastSeq());
            assertEquals(40, s.pending());
            assertEquals(List.of("value-60", "value-61"), values(s.read(60, 2)));
            s.release(100);
            assertEquals(0, s.pending());
            assertEquals(-1, s.oldestPendingAppendedAt());
            assertTrue(segments().isEmpty(), "everything acknowledged: no segment left");
        }
        try (Spool s = Spool.open(dir, 1 << 20, 1024)) {
            assertEquals(101, s.append(List.of(rec("k", "after")), 5), "numbers continue after an empty spool");
        }
    }

    @Test
    void atItsBoundItRefusesTheWholeBatchAndKeepsWhatItHas() throws IOException {
        try (Spool s = Spool.open(dir, 4096, 1024)) {
            int accepted = 0;
            Spool.FullException full = null;
            for (int i = 0; i < 1000 && full == null; i++) {
                try {
                    s.append(List.of(rec("k", "x".repeat(100))), i);
                    accepted++;
                } catch (Spool.FullException e) {
                    full = e;
                }
            }
            assertTrue(full != null, "a 4 KB spool fills up");
            assertTrue(s.bytes() <= 4096, "never past its bound: " + s.bytes());
            assertEquals(accepted, s.pending());
            assertEquals(1, s.refused());
            long last = s.lastSeq();
            assertThrows(Spool.FullException.class, () -> s.append(List.of(rec("k", "a"), rec("k", "b")), 0));
            assertEquals(3, s.refused());
            assertEquals(last, s.lastSeq(), "a refused batch takes no numbers");
            s.release(last);
            s.append(List.of(rec("k", "room again")), 0);
            assertEquals(last + 1, s.lastSeq());
        }
    }

    @Test
    void aTornLastRecordIsCutOffAndEverythingBeforeItKept() throws IOException {
        try (Spool s = Spool.open(dir, 1 << 20, 1 << 16)) {
            for (int i = 0; i < 10; i++) {
                s.append(List.of(rec("k", "value-" + i)), i);
            }
        }
        Path seg = segments().getFirst();
        long size = Files.size(seg);
        try (FileChannel ch = FileChannel.open(seg, StandardOpenOption.WRITE)) {
            ch.truncate(size - 5);
        }
        try (Spool s = Spool.open(dir, 1 << 20, 1 << 16)) {
            assertEquals(9, s.lastSeq());
            assertTrue(s.damagedBytes() > 0);
            assertEquals(9, s.read(0, 100).size());
            assertEquals(10, s.append(List.of(rec("k", "again")), 0), "the cut record's number is given again: it was never acknowledged to anyone");
        }
    }

    @Test
    void aDamagedRecordEndsItsSegmentAndLaterSegmentsAreStillRead() throws IOException {
        try (Spool s = Spool.open(dir, 1 << 20, 1024)) {
            for (int i = 0; i < 60; i++) {
                s.append(List.of(rec("k", "value-" + i)), i);
            }
        }
        List<Path> segs = segments();
        assertTrue(segs.size() >= 2);
        try (FileChannel ch = FileChannel.open(segs.getFirst(), StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(new byte[] {1, 2, 3}), 30);
        }
        try (Spool s = Spool.open(dir, 1 << 20, 1024)) {
            assertTrue(s.damagedBytes() > 0);
            List<Spool.Entry> all = s.read(0, 1000);
            assertEquals(60, all.getLast().seq(), "the second segment onwards is intact");
            assertTrue(all.size() < 60);
        }
    }

    @Test
    void aDamagedCheckpointMeansEverythingSpooledIsSentAgainNotLost() throws IOException {
        try (Spool s = Spool.open(dir, 1 << 20, 1024)) {
            for (int i = 0; i < 5; i++) {
                s.append(List.of(rec("k", "v" + i)), i);
            }
            s.release(3);
        }
        Files.write(dir.resolve("acked"), new byte[] {9, 9, 9});
        try (Spool s = Spool.open(dir, 1 << 20, 1024)) {
            assertEquals(0, s.acked());
            assertEquals(5, s.lastSeq());
            assertEquals(List.of("v0", "v1", "v2", "v3", "v4"), values(s.read(0, 10)));
        }
    }

    @Test
    void refusesAValueLargerThanKafkaTakes() {
        assertThrows(IllegalArgumentException.class,
                () -> new Spool.Pending("t", "k", "s", new byte[Spool.MAX_VALUE_BYTES + 1]));
    }

    @Test
    void aBoundSmallerThanASegmentIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> Spool.open(dir, 1000, 1024));
    }

    private List<Path> segments() throws IOException {
        try (Stream<Path> l = Files.list(dir)) {
            return l.filter(p -> p.getFileName().toString().startsWith("seg-")).sorted().toList();
        }
    }

    @Test
    void valuesComeBackByteForByte() throws IOException {
        byte[] value = new byte[5000];
        for (int i = 0; i < value.length; i++) {
            value[i] = (byte) (i * 31);
        }
        try (Spool s = Spool.open(dir, 1 << 20, 1024)) {
            s.append(List.of(new Spool.Pending("topic-ü", "kéy", "schema/1", value)), 7);
        }
        try (Spool s = Spool.open(dir, 1 << 20, 1024)) {
            Spool.Entry e = s.read(0, 1).getFirst();
            assertEquals("topic-ü", e.topic());
            assertEquals("kéy", e.key());
            assertArrayEquals(value, e.value());
        }
    }
}
