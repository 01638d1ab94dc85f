package io.edgedeck.simulator.server;

import io.edgedeck.engine.journal.FileJournal;
import io.edgedeck.engine.journal.Journal;
import io.edgedeck.engine.journal.SnapshotJournal;
import io.edgedeck.simulator.scenario.ScenarioCatalog;
import io.edgedeck.simulator.show.Show;
import io.edgedeck.simulator.show.ShowDefinition;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * What snapshots and compaction save on a long show: the show played twice into a data directory,
 * once with a journal alone (as a node kept it before snapshots) and once with snapshots as a node
 * writes them; then each directory restarted several times (the journal opened and the show rebuilt
 * from it, as a node starts). Prints on-disk size, records replayed and restart time for both. A
 * benchmark, not a test: it prints figures and leaves judging them to people.
 *
 * <p>{@code java -cp simulator/target/edgedeck-sim.jar io.edgedeck.simulator.server.SnapshotBenchmark
 * --scenario docs/scenarios/long-slowdown.json [--restarts N] [--every-records N]}
 */
public final class SnapshotBenchmark {
    private SnapshotBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        String scenario = "docs/scenarios/long-slowdown.json";
        int restarts = 7;
        long everyRecords = SnapshotJournal.Policy.DEFAULT.everyRecords();
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--scenario" -> scenario = args[i + 1];
                case "--restarts" -> restarts = Integer.parseInt(args[i + 1]);
                case "--every-records" -> everyRecords = Long.parseLong(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i] + "; use --scenario, --restarts, --every-records");
            }
        }
        ShowDefinition show = new ShowDefinition(ScenarioCatalog.resolve(scenario), ScenarioCatalog.resolve(scenario).seed(),
                ScenarioCatalog.document(scenario));
        SnapshotJournal.Policy policy = new SnapshotJournal.Policy(everyRecords, Duration.ofMinutes(5));
        Path before = Files.createTempDirectory("edgedeck-journal-only");
        Path after = Files.createTempDirectory("edgedeck-snapshots");
        long records;
        try (FileJournal journal = FileJournal.open(before.resolve(SnapshotJournal.FILE))) {
            play(new Show(show, journal), () -> { });
            records = journal.nextSeq() - 1;
        }
        try (SnapshotJournal journal = SnapshotJournal.open(after, policy)) {
            Show playing = new Show(show, journal);
            play(playing, () -> journal.snapshotIfDue(() -> playing.core().checkouts()
                    .state(journal.nextSeq() - 1, playing.core().nowMillis())));
        }
        System.out.printf(Locale.ROOT, "%s (seed %d): %,d journal records; snapshots every %,d records%n", show.name(), show.seed(),
                records, everyRecords);
        System.out.printf(Locale.ROOT, "%-22s %12s %10s %16s %16s%n", "", "on disk", "replayed", "restart median", "restart min");
        report("journal alone", before, restarts, () -> FileJournal.open(before.resolve(SnapshotJournal.FILE)), show);
        report("snapshot + tail", after, restarts, () -> SnapshotJournal.open(after, policy), show);
    }

    /** Plays the show to its end, calling {@code betweenTicks} after each step as a node's runner does. */
    private static void play(Show show, Runnable betweenTicks) {
        while (!show.finished()) {
            show.step();
            betweenTicks.run();
        }
    }

    private interface Opener {
        Journal open() throws IOException;
    }

    private static void report(String label, Path dir, int restarts, Opener opener, ShowDefinition definition) throws Exception {
        long[] nanos = new long[restarts];
        long replayed = 0;
        for (int i = 0; i < restarts; i++) {
            long t0 = System.nanoTime();
            Journal journal = opener.open();
            new Show(definition, journal);
            nanos[i] = System.nanoTime() - t0;
            replayed = journal instanceof SnapshotJournal s ? s.recovery().tailRecords() : journal.records().size();
            ((AutoCloseable) journal).close();
        }
        Arrays.sort(nanos);
        long bytes;
        try (Stream<Path> files = Files.list(dir)) {
            bytes = files.mapToLong(f -> f.toFile().length()).sum();
        }
        System.out.printf(Locale.ROOT, "%-22s %9.1f KB %,10d %13.1f ms %13.1f ms%n", label, bytes / 1024.0, replayed,
                nanos[restarts / 2] / 1e6, nanos[0] / 1e6);
    }
}
