package io.edgedeck.bench;

import io.edgedeck.client.model.LatencyWindow;
import io.edgedeck.engine.CoreConfig;
import io.edgedeck.engine.experiments.Arm;
import io.edgedeck.engine.experiments.Experiments;
import io.edgedeck.engine.flags.FlagDefinition;
import io.edgedeck.engine.journal.MemoryJournal;
import io.edgedeck.engine.metrics.LatencyWindows;
import io.edgedeck.engine.metrics.Rfc3550Jitter;
import java.util.function.Consumer;

/**
 * The engine's side: the classes the edge core measures with, fed as {@code Pops} and the
 * audience feed them. Per PoP a {@link LatencyWindows} (a ring of per-second HdrHistograms rolled
 * into a 10 s sum) and an {@link Rfc3550Jitter}; per flag variant the core's {@link Arm} counters,
 * through {@link Experiments} with the show's flags. At the end of each engine second it rolls them
 * as the core does and reads the 10 s windows.
 */
final class EngineStreamStats implements StreamStats {
    private final LatencyWindows[] windows;
    private final Rfc3550Jitter[] jitter;
    private final Experiments experiments;
    /** The {@link Experiments} arm id of each of the stream's arms. */
    private final int[] armIds;
    private final WindowReadout out;
    private final Consumer<WindowReadout> onSecond;
    private long second;

    EngineStreamStats(ShowEventStream stream, Consumer<WindowReadout> onSecond) {
        CoreConfig config = stream.config;
        int pops = stream.popCount();
        windows = new LatencyWindows[pops];
        jitter = new Rfc3550Jitter[pops];
        for (int p = 0; p < pops; p++) {
            windows[p] = new LatencyWindows();
            jitter[p] = new Rfc3550Jitter();
        }
        experiments = new Experiments(config.pops(), config.regions(), new MemoryJournal());
        for (FlagDefinition f : config.flags()) {
            experiments.create(f, "benchmark", "the show's flags", 0);
        }
        armIds = stream.arms.stream().mapToInt(a -> experiments.arm(a[0], a[1], true).id()).toArray();
        out = new WindowReadout(pops, armIds.length);
        this.onSecond = onSecond;
    }

    @Override
    public void play(ShowEventStream stream, int from, int to, long offsetMillis) {
        byte[] kind = stream.kind;
        long[] at = stream.atMillis;
        int[] pop = stream.pop;
        double[] ms = stream.ms;
        int[] arm = stream.arm;
        for (int i = from; i < to; i++) {
            advanceTo(at[i] + offsetMillis);
            int p = pop[i];
            switch (kind[i]) {
                case ShowEventStream.REQUEST -> {
                    windows[p].record(ms[i]);
                    jitter[p].record(ms[i]);
                }
                case ShowEventStream.EXPOSURE -> experiments.expose(armIds[arm[i]], p, at[i] + offsetMillis);
                default -> experiments.convert(armIds[arm[i]], p);
            }
        }
    }

    @Override
    public void advanceTo(long millis) {
        while (millis >= (second + 1) * 1000) {
            endSecond();
        }
    }

    /**
     * The variants' last 10 s are read before they roll (an arm's window counts the second in
     * progress), the PoPs' after (a PoP's window adds the second in progress, empty once rolled):
     * both are then engine seconds {@code second - 9} to {@code second}.
     */
    private void endSecond() {
        for (int a = 0; a < armIds.length; a++) {
            Arm.WindowStats w = experiments.arm(armIds[a]).window(WindowReadout.WINDOW_SECONDS, null);
            out.exposures[a] = w.exposures();
            out.conversions[a] = w.conversions();
        }
        experiments.rollSecond();
        for (int p = 0; p < windows.length; p++) {
            windows[p].rollSecond();
            LatencyWindow w = windows[p].shortWindow();
            out.requests[p] = w.count();
            boolean any = w.count() > 0;
            out.p50[p] = any ? w.p50Ms() : Double.NaN;
            out.p95[p] = any ? w.p95Ms() : Double.NaN;
            out.p99[p] = any ? w.p99Ms() : Double.NaN;
            out.jitter[p] = any ? jitter[p].value() : Double.NaN;
        }
        out.second = second++;
        onSecond.accept(out);
    }

    @Override
    public WindowReadout readout() {
        return out;
    }
}
