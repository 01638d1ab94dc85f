import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgedeck.engine.CoreConfig;
import io.edgedeck.engine.EdgeCore;
import io.edgedeck.engine.journal.JournalRecord;
import io.edgedeck.engine.journal.MemoryJournal;
import io.edgedeck.engine.pops.PopSite;
import io.edgedeck.simulator.server.ingest.IngestLog;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * bench/restart-readback.sh's second figure: the PoPs' part of reading an ingest log back, alone.
 * Reads the log of a data directory built by RestartLog.java, then, REPEAT times, opens a core that
 * resumes at the log's end and feeds it each record's latencies at their arrival
 * (startReadBack, readBackAt, endReadBack), timing the read-back calls on the thread's CPU clock
 * (so other processes on the machine do not count). args: dir pop,pop,... repeat
 */
public class ReadBackTiming {
    public static void main(String[] a) throws Exception {
        Path dir = Path.of(a[0]);
        List<String> ids = Arrays.asList(a[1].split(","));
        int repeat = Integer.parseInt(a[2]);
        long epoch = Long.parseLong(Files.readString(dir.resolve("live-epoch")).trim().split("\\s+")[0]);
        ObjectMapper json = new ObjectMapper();
        List<long[]> records = new ArrayList<>();
        List<int[]> pops = new ArrayList<>();
        List<double[]> latencies = new ArrayList<>();
        try (IngestLog log = IngestLog.open(dir.resolve("ingest.log"), new IngestLog.Replay() {
            public void record(long o, long at, byte[] p, boolean s) {
                try {
                    List<Integer> ps = new ArrayList<>();
                    List<Double> ms = new ArrayList<>();
                    for (JsonNode e : json.readTree(p)) {
                        if (e.path("type").asText().equals("latency")) {
                            ps.add(ids.indexOf(e.get("pop").asText()));
                            ms.add(e.get("ms").asDouble());
                        }
                    }
                    records.add(new long[] {at - epoch});
                    pops.add(ps.stream().mapToInt(Integer::intValue).toArray());
                    latencies.add(ms.stream().mapToDouble(Double::doubleValue).toArray());
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
            public void damaged(long o, long at) { }
        })) {
        }
        long end = records.getLast()[0] + 2_000;
        var bean = ManagementFactory.getThreadMXBean();
        long[] cpu = new long[repeat];
        for (int r = 0; r < repeat; r++) {
            MemoryJournal journal = new MemoryJournal();
            journal.append(new JournalRecord.ShowStarted(1, 0, "restart-bench", 0));
            journal.append(new JournalRecord.ShowClock(2, end));
            EdgeCore core = new EdgeCore(CoreConfig.of("restart-bench", 0, 250,
                    ids.stream().map(id -> PopSite.of(id, "eu", 0)).toList(), List.of()), journal);
            long spent = 0;
            long t = bean.getCurrentThreadCpuTime();
            core.startReadBack();
            spent += bean.getCurrentThreadCpuTime() - t;
            for (int i = 0; i < records.size(); i++) {
                t = bean.getCurrentThreadCpuTime();
                core.readBackAt(records.get(i)[0]);
                spent += bean.getCurrentThreadCpuTime() - t;
                int[] ps = pops.get(i);
                double[] ms = latencies.get(i);
                for (int k = 0; k < ps.length; k++) {
                    core.pops().served(ps[k], ms[k]);
                }
            }
            t = bean.getCurrentThreadCpuTime();
            core.endReadBack();
            spent += bean.getCurrentThreadCpuTime() - t;
            cpu[r] = spent;
        }
        long[] sorted = cpu.clone();
        Arrays.sort(sorted);
        System.out.printf("%d records, %.1f h: PoPs' read-back CPU ms per run %s, median %.1f%n", records.size(),
                end / 3_600_000.0, Arrays.toString(Arrays.stream(cpu).mapToObj(c -> String.format("%.1f", c / 1e6)).toArray()),
                sorted[repeat / 2] / 1e6);
    }
}
