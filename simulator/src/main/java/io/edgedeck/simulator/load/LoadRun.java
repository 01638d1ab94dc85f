package io.edgedeck.simulator.load;

import io.edgedeck.client.ingest.IngestEvent;
import io.edgedeck.client.model.GuardrailStatus;
import io.edgedeck.engine.guardrails.GuardrailSpec;
import io.edgedeck.engine.journal.MemoryJournal;
import io.edgedeck.simulator.report.Reports;
import io.edgedeck.simulator.report.RunReport;
import io.edgedeck.simulator.show.Show;
import io.edgedeck.simulator.show.ShowDefinition;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.locks.LockSupport;

/**
 * One {@code load} run: a simulated show played in-process with a {@link WireTap} on its audience
 * and edge, every observation sent to a live node over the wire as it happens, paced at the show's
 * speed; then the node's report and the in-process one side by side ({@link LoadComparison}).
 *
 * <p>Order on the wire: the exposures of a stretch of the show are evaluated over OFREP, and
 * answered, before its ingest batch is sent, so a unit's conversion never reaches the node before
 * the node knows which variant the unit was served.
 */
public final class LoadRun {
    /** Events per ingest batch. */
    static final int BATCH = 5000;
    /** At a speed, the show's observations are sent at least this often, in ms of wall time. */
    static final long FLUSH_WALL_MILLIS = 100;
    /** After the show, how long the node is given to close its last second (guardrails, whole-show latency). */
    static final long SETTLE_MILLIS = 2_500;
    /** A show's rules start their evidence this far into it (its flags live everywhere, at the next second). */
    static final long IN_PROCESS_EVIDENCE_MILLIS = 1_000;
    /** The least time from reading the node's clock to the show's start. */
    static final long ALIGN_MARGIN_MILLIS = 500;
    /** How long the stream is held at an in-process firing for the node to judge the same data. */
    static final long BARRIER_MILLIS = 5_000;

    private final ShowDefinition definition;
    private final NodeClient node;
    private final double speed;
    private final PrintStream progress;

    /**
     * @param speed engine seconds per wall second, 0 for as fast as the node takes it
     */
    LoadRun(ShowDefinition definition, NodeClient node, double speed, PrintStream progress) {
        this.definition = definition;
        this.node = node;
        this.speed = speed;
        this.progress = progress;
    }

    /** What went over the wire. */
    public record Wire(long evaluations, long events, long batches, long refused, long wallMillis) {
        public double eventsPerSecond() {
            return wallMillis <= 0 ? 0 : (evaluations + events) * 1000.0 / wallMillis;
        }
    }

    /**
     * @param nodeFiringShowSeconds per firing in the node's report, in its order: the second of the show the
     *                              stream had reached when the node fired
     */
    record Result(RunReport inProcess, RunReport node, Wire wire, List<Double> nodeFiringShowSeconds) {
    }

    /** Checks the node, drives it with the whole show and reads both reports. */
    Result run() throws LoadException {
        RunReport before = node.report();
        checkNode(before);
        armAsTheScenario();
        if (speed == 1) {
            alignToEvidencePeriods();
        }
        Show show = new Show(definition, new MemoryJournal());
        WireTap tap = new WireTap(show.core().config().popIds(),
                "load-" + definition.seed() + "-" + Long.toString(System.currentTimeMillis(), 36) + "-");
        show.tap(tap);
        long flushEvery = speed > 0 ? Math.max(show.core().tickMillis(), Math.round(FLUSH_WALL_MILLIS * speed)) : Long.MAX_VALUE;
        long total = show.durationMillis();
        long nextReport = total / 10;
        long[] sent = new long[4];
        long nodeStartMillis = node.engineMillis();
        long start = System.nanoTime();
        long began = start;
        // Wall ms since the show began -> the show's ms sent by then: where a node's firing falls in the show.
        TreeMap<Long, Long> reached = new TreeMap<>();
        reached.put(0L, 0L);
        int firings = 0;
        while (!show.finished()) {
            show.step();
            long now = show.core().nowMillis();
            int fired = show.core().guardrails().firings().size();
            if (fired > firings) {
                // A barrier: the node gets everything the in-process rule judged, and the time to judge it too.
                send(tap.drain(), sent);
                reached.put((System.nanoTime() - began) / 1_000_000, now);
                start += awaitNodeFirings(fired, before.guardrailFirings().size(), show) * 1_000_000L;
                firings = fired;
            }
            if (tap.pendingEvents() >= BATCH || now % flushEvery == 0) {
                send(tap.drain(), sent);
                reached.put((System.nanoTime() - began) / 1_000_000, now);
            }
            if (now >= nextReport && now < total) {
                progress.printf(Locale.ROOT, "  %3d%%  %d s of the show, %,d evaluations and %,d events sent%n", now * 100 / total,
                        now / 1000, sent[0], sent[1]);
                nextReport += total / 10;
            }
            if (speed > 0) {
                long wait = start + (long) (now * 1_000_000L / speed) - System.nanoTime();
                if (wait > 1_000_000) {
                    LockSupport.parkNanos(wait);
                }
            }
        }
        send(tap.drain(), sent);
        reached.put((System.nanoTime() - began) / 1_000_000, show.core().nowMillis());
        long wall = (System.nanoTime() - began) / 1_000_000;
        RunReport inProcess = Reports.of(show, wall);
        pause(SETTLE_MILLIS);
        RunReport after = node.report();
        List<Double> showSeconds = after.guardrailFirings().stream()
                .map(f -> reached.floorEntry(Math.max(0, Math.round(f.atSeconds() * 1000) - nodeStartMillis)).getValue() / 1000.0)
                .toList();
        return new Result(inProcess, after, new Wire(sent[0], sent[1], sent[2], sent[3], wall), showSeconds);
    }

    /**
     * Holds the stream until the node has fired as often as the in-process show has ({@code fired}),
     * then until its rollback has reached every PoP, as it has in-process; at most
     * {@link #BARRIER_MILLIS}. Returns the wall ms it held, by which the pacing moves on.
     */
    private long awaitNodeFirings(int fired, int nodeBefore, Show show) throws LoadException {
        long began = System.nanoTime();
        long deadline = began + BARRIER_MILLIS * 1_000_000L;
        String rule = show.core().guardrails().firings().getLast().rule();
        while (node.report().guardrailFirings().size() - nodeBefore < fired) {
            if (System.nanoTime() > deadline) {
                progress.printf(Locale.ROOT, "  %s fired in-process at %d s; the node has not fired it within %d s of the same data:"
                        + " going on%n", rule, show.core().nowMillis() / 1000, BARRIER_MILLIS / 1000);
                return (System.nanoTime() - began) / 1_000_000;
            }
            pause(50);
        }
        pause(definition.scenario().pops().stream().mapToLong(p -> p.propagationDelayMillis()).max().orElse(0) + 100);
        progress.printf(Locale.ROOT, "  %s fired in-process at %d s and on the node%n", rule, show.core().nowMillis() / 1000);
        return (System.nanoTime() - began) / 1_000_000;
    }

    /** The same show in-process with no tap and nothing sent, as fast as it goes: the in-process figures. */
    RunReport inProcessAlone() {
        Show show = new Show(definition, new MemoryJournal());
        long start = System.nanoTime();
        while (!show.finished()) {
            show.step();
        }
        return Reports.of(show, (System.nanoTime() - start) / 1_000_000);
    }

    private void checkNode(RunReport before) throws LoadException {
        if (!before.scenario().equals(definition.name())) {
            throw new LoadException("the node at " + node.base() + " runs the show '" + before.scenario() + "', not '" + definition.name()
                    + "': start it with 'serve --live --node-config " + definition.name() + "' (or that scenario's file)");
        }
        List<String> pops = definition.scenario().pops().stream().map(p -> p.id()).toList();
        List<String> nodePops = before.pops().stream().map(RunReport.Pop::id).toList();
        if (!nodePops.equals(pops)) {
            throw new LoadException("the node at " + node.base() + " has the PoPs " + nodePops + ", the scenario " + pops);
        }
        if (before.events().total() > 0) {
            throw new LoadException("the node at " + node.base() + " has counted " + before.events().total() + " events already;"
                    + " load compares a node's counts with the show's own, so it needs a node that has counted none:"
                    + " start 'serve --live' on a new --data-dir");
        }
    }

    /**
     * At 1x a node's evidence periods can be the show's: a rule judges the evidence since it started
     * and since every {@code windowSeconds} after, and in-process its evidence starts 1 s into the
     * show. So the show starts when a period of the node's first armed rule begins, less that
     * second (at most one window of waiting); then both sides judge the same stretches of the show.
     */
    private void alignToEvidencePeriods() throws LoadException {
        GuardrailStatus rule = node.guardrails().stream().filter(g -> g.armed() && g.evidenceSinceMillis() != null)
                .findFirst().orElse(null);
        if (rule == null) {
            return;
        }
        long period = rule.windowSeconds() * 1000L;
        long now = node.engineMillis();
        long start = rule.evidenceSinceMillis() - IN_PROCESS_EVIDENCE_MILLIS;
        if (start < now + ALIGN_MARGIN_MILLIS) {
            start += ((now + ALIGN_MARGIN_MILLIS - start + period - 1) / period) * period;
        }
        progress.printf(Locale.ROOT, "  starting in %.1f s, when an evidence period of %s begins on the node as it does in the show%n",
                (start - now) / 1000.0, rule.id());
        pause(start - now);
    }

    /** A producer's part of the show: the node's guardrails armed as the scenario arms them, through the control API. */
    private void armAsTheScenario() throws LoadException {
        List<GuardrailStatus> onNode = node.guardrails();
        for (GuardrailSpec g : definition.scenario().guardrails()) {
            GuardrailStatus status = onNode.stream().filter(s -> s.id().equals(g.id())).findFirst()
                    .orElseThrow(() -> new LoadException("the node at " + node.base() + " has no guardrail '" + g.id() + "' of "
                            + definition.name()));
            if (status.armed() != g.armed()) {
                node.setArmed(g.id(), g.armed(), "load: the scenario " + definition.name() + (g.armed() ? " arms it" : " disarms it"));
                progress.println("  guardrail " + g.id() + (g.armed() ? " armed" : " disarmed") + " on the node, as the scenario has it");
            }
        }
    }

    /** Evaluations first, all answered; then the events, batch by batch, in order. */
    private void send(WireTap.Work work, long[] sent) throws LoadException {
        if (work.isEmpty()) {
            return;
        }
        List<CompletableFuture<Void>> answers = new ArrayList<>(work.evaluations().size());
        for (WireTap.Evaluation e : work.evaluations()) {
            answers.add(node.evaluate(e));
        }
        try {
            CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)).join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof LoadException l) {
                throw l;
            }
            throw new LoadException("an OFREP evaluation failed: " + e.getCause(), e.getCause());
        }
        sent[0] += answers.size();
        List<IngestEvent> events = work.events();
        for (int from = 0; from < events.size(); from += BATCH) {
            sent[3] += node.ingest(events.subList(from, Math.min(events.size(), from + BATCH)));
            sent[2]++;
        }
        sent[1] += events.size();
    }

    private static void pause(long millis) throws LoadException {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LoadException("interrupted");
        }
    }
}
