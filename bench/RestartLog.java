import io.edgedeck.engine.journal.JournalRecord;
import io.edgedeck.engine.journal.SnapshotJournal;
import io.edgedeck.simulator.server.ingest.IngestLog;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/**
 * bench/restart-readback.sh: turns a freshly started (and stopped) live node's data directory into one that has run HOURS:
 * live-epoch moved back, a clock record near now, and an ingest log with quiet hours, sparse
 * stretches (a small batch every 30-120 s) and three dense 45-minute shows (a batch a second).
 * args: dir hours pop,pop,... [quiet]: with "quiet", no shows, only the sparse stretches.
 */
public class RestartLog {
    public static void main(String[] a) throws Exception {
        Path dir = Path.of(a[0]);
        long hours = Long.parseLong(a[1]);
        String[] pops = a[2].split(",");
        boolean shows = a.length < 4 || !a[3].equals("quiet");
        long now = System.currentTimeMillis();
        long span = hours * 3_600_000L;
        long epoch = now - span;
        Files.writeString(dir.resolve("live-epoch"), epoch + "\n");
        long end = span - 3_000;
        Random r = new Random(42);
        long events = 0, batches = 0;
        try (IngestLog log = IngestLog.open(dir.resolve("ingest.log"), new IngestLog.Replay() {
            public void record(long o, long at, byte[] p, boolean s) { }
            public void damaged(long o, long at) { }
        })) {
            long t = 60_000; java.util.concurrent.CompletableFuture<Long> last = null;
            while (t < end) {
                double h = t / 3_600_000.0 / hours * 24; // the day's hour, scaled
                boolean show = shows && ((h >= 2 && h < 2.75) || (h >= 10 && h < 10.75) || (h >= 20 && h < 20.75));
                boolean night = h >= 4 && h < 8;
                if (night) { t += 1000; continue; }
                StringBuilder b = new StringBuilder("[");
                int n = show ? 6 * pops.length : 1 + r.nextInt(3);
                for (int i = 0; i < n; i++) {
                    String pop = pops[show ? i % pops.length : r.nextInt(pops.length)];
                    if (i > 0) b.append(',');
                    b.append("{\"id\":\"e").append(events++).append("\",\"type\":\"latency\",\"pop\":\"").append(pop)
                            .append("\",\"ms\":").append(String.format("%.1f", 20 + r.nextGaussian() * 4 + (r.nextInt(50) == 0 ? 300 : 0)))
                            .append('}');
                }
                if (show && r.nextInt(4) == 0) {
                    b.append(",{\"id\":\"e").append(events++).append("\",\"type\":\"conversion\",\"name\":\"purchase\",\"targetingKey\":\"u")
                            .append(r.nextInt(500)).append("\",\"value\":25.0}");
                }
                b.append(']');
                last = log.append(epoch + t + r.nextInt(1000), b.toString().getBytes(StandardCharsets.UTF_8));
                batches++;
                t += show ? 1000 : 30_000 + r.nextInt(90_000);
            }
            last.join();
        }
        try (SnapshotJournal j = SnapshotJournal.open(dir, SnapshotJournal.Policy.DEFAULT)) {
            j.append(new JournalRecord.ShowClock(j.nextSeq(), end + 2_000));
        }
        System.out.println(batches + " batches, " + events + " events over " + hours + " h");
    }
}
