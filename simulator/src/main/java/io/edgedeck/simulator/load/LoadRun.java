package io.edgedeck.simulator.load;

import io.edgedeck.client.model.GuardrailStatus;
import io.edgedeck.engine.guardrails.GuardrailSpec;
import io.edgedeck.engine.journal.MemoryJournal;
import io.edgedeck.simulator.report.Reports;
import io.edgedeck.simulator.report.RunReport;
import io.edgedeck.simulator.show.Show;
import io.edgedeck.simulator.show.ShowDefinition;
import io.edgedeck.simulator.show.ShowRunner;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;

/**
 * One {@code load} run: a simulated show played in-process with a {@link WireTap} on its audience
 * and edge, every observation sent to a live node over the wire as it happens, paced at the show's
 * speed; then the node's report and the in-process one side by side ({@link LoadComparison}).
 *
 * <p>Order on the wire: a unit's observations all go on one lane of the {@link WireSender}, and a
 * lane's exposures of a stretch of the show are evaluated over OFREP, and answered, before its
 * ingest batch is sent, so a unit's conversion never reaches the node before the node knows which
 * variant the unit was served; the lanes go in parallel, so the stream keeps the show's pace.
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
    /** The least wall time from reading the node's clock to the show's start. */
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

    /**
     * What went over the wire, and whether it kept pace with the show.
     *
     * @param evaluations        OFREP evaluations, one per exposure of the show
     * @param reevaluations      evaluations made again because the node served another variant than the show (a unit
     *                           moved by a rollback one side had made and the other not yet)
     * @param servedOtherwise    per variant figure, the node's count less the show's that the node's own answers explain
     *                           (see {@link WireSender#servedOtherwise}); figures with none are absent
     * @param unsettled          units the node still served another variant than the show when load stopped evaluating
     *                           them again (see {@link WireSender#unsettled}): 0 when the node came to agree on every unit
     * @param events             ingest events
     * @param batches            ingest batches
     * @param refused            events the node refused
     * @param rateLimited        batches answered 429 and sent again after the node's {@code Retry-After}
     * @param resent             batches answered 503 and sent again
     * @param wallMillis         from the show's start to its last batch answered
     * @param demandPerSecond    what the show asks for at its speed: evaluations and events over the show's duration
     *                           divided by the speed (0 at full speed, which asks for as much as the node takes)
     * @param maxLagMillis       the most a stretch of the show was answered after the show reached its end at its speed
     *                           (0 at full speed; a firing's barrier is not lag)
     */
    public record Wire(long evaluations, long reevaluations, Map<String, Long> servedOtherwise, long unsettled, long events, long batches, long refused, long rateLimited,
                       long resent, long wallMillis, double demandPerSecond, long maxLagMillis) {
        public double eventsPerSecond() {
            return wallMillis <= 0 ? 0 : (evaluations + reevaluations + events) * 1000.0 / wallMillis;
        }
    }

    /**
     * @param nodeFiringShowSeconds per firing in the node's report, in its order: the second of the show the
     *                              stream had reached when the node fired
     * @param triggers              per trigger: firings on the node (its newest frame) and in-process
     * @param ruleWindowSeconds     per guardrail of the show: its evidence period ({@code windowSeconds})
     */
    record Result(RunReport inProcess, RunReport node, Wire wire, List<Double> nodeFiringShowSeconds,
                  Map<String, long[]> triggers, Map<String, Integer> ruleWindowSeconds) {
    }

    /** Checks the node, drives it with the whole show and reads both reports. */
    Result run() throws LoadException {
        RunReport before = node.report();
        checkNode(before);
        armAsTheScenario();
        if (speed > 0) {
            alignToEvidencePeriods();
        }
        Show show = new Show(definition, new MemoryJournal());
        WireTap tap = new WireTap(show.core().config().popIds(),
                "load-" + definition.seed() + "-" + Long.toString(System.currentTimeMillis(), 36) + "-", WireSender.LANES,
                show.core().config().triggers().stream().flatMap(t -> t.kinds().stream()).collect(Collectors.toSet()));
        show.tap(tap);
        long flushEvery = speed > 0 ? Math.max(show.core().tickMillis(), Math.round(FLUSH_WALL_MILLIS * speed)) : Long.MAX_VALUE;
        long total = show.durationMillis();
        long nextReport = total / 10;
        long nodeStartMillis = node.engineMillis();
        try (WireSender sender = new WireSender(node, BATCH)) {
            long start = System.nanoTime();
            int firings = 0;
            while (!show.finished()) {
                show.step();
                long now = show.core().nowMillis();
                long due = speed > 0 ? start + (long) (now * 1_000_000L / speed) : 0;
                int fired = show.core().guardrails().firings().size();
                if (fired > firings) {
                    // A barrier: the node gets everything the in-process rule judged, and the time to judge it too.
                    sender.submit(tap.drain(), due, now);
                    sender.awaitIdle();
                    long hold = awaitNodeFirings(fired, before.guardrailFirings().size(), show) * 1_000_000L;
                    start += hold;
                    firings = fired;
                }
                if (tap.pendingEvents() >= BATCH * WireSender.LANES || now % flushEvery == 0) {
                    sender.submit(tap.drain(), due, now);
                }
                if (now >= nextReport && now < total) {
                    progress.printf(Locale.ROOT, "  %3d%%  %d s of the show, %,d evaluations and %,d events sent%s%n", now * 100 / total,
                            now / 1000, sender.evaluations(), sender.events(), speed > 0
                                    ? String.format(Locale.ROOT, ", at most %.1f s behind the show so far", sender.maxLagMillis() / 1000.0)
                                    : "");
                    nextReport += total / 10;
                }
                if (speed > 0) {
                    long wait = start + (long) (now * 1_000_000L / speed) - System.nanoTime();
                    if (wait > 1_000_000) {
                        LockSupport.parkNanos(wait);
                    }
                }
            }
            long now = show.core().nowMillis();
            sender.submit(tap.drain(), speed > 0 ? start + (long) (now * 1_000_000L / speed) : 0, now);
            sender.awaitIdle();
            long wall = (System.nanoTime() - sender.began()) / 1_000_000;
            RunReport inProcess = Reports.of(show, wall);
            pause(SETTLE_MILLIS);
            RunReport after = node.report();
            TreeMap<Long, Long> reached = new TreeMap<>(sender.reached());
            List<Double> showSeconds = after.guardrailFirings().stream()
                    .map(f -> reached.floorEntry(Math.max(0, wallSinceStart(f.atSeconds(), nodeStartMillis)))
                            .getValue() / 1000.0)
                    .toList();
            long sentTotal = sender.evaluations() + sender.events();
            double demand = speed > 0 ? sentTotal * speed * 1000.0 / total : 0;
            Wire wire = new Wire(sender.evaluations(), sender.reevaluations(), sender.servedOtherwise(), sender.unsettled(), sender.events(), sender.batches(),
                    sender.refused(), node.rateLimited(), node.resent(), wall, demand, speed > 0 ? sender.maxLagMillis() : 0);
            Map<String, Integer> windows = new LinkedHashMap<>();
            definition.scenario().guardrails().forEach(g -> windows.put(g.id(), g.windowSeconds()));
            return new Result(inProcess, after, wire, showSeconds, triggers(show), windows);
        }
    }

    /** Wall ms from the stream's start to a node firing at {@code atSeconds} of node time, the node's clock at {@code speed}. */
    private long wallSinceStart(double atSeconds, long nodeStartMillis) {
        return Math.round((atSeconds * 1000 - nodeStartMillis) / (speed > 0 ? speed : 1));
    }

    /** Per trigger: its firings on the node (its newest frame) and in-process. */
    private Map<String, long[]> triggers(Show show) throws LoadException {
        Map<String, long[]> out = new LinkedHashMap<>();
        show.core().triggers().ifPresent(t -> t.stats().firingsByRule().forEach((rule, n) -> out.put(rule, new long[] {0, n})));
        node.frame().path("triggers").path("firingsByRule").properties().forEach(e -> {
            out.computeIfAbsent(e.getKey(), k -> new long[2])[0] = e.getValue().asLong();
        });
        return out;
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
        long propagation = definition.scenario().pops().stream().mapToLong(p -> p.propagationDelayMillis()).max().orElse(0) + 100;
        pause(speed > 0 ? Math.round(propagation / speed) : propagation);
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
        double rate = node.frame().path("speed").asDouble();
        if (speed > 0 && rate != speed) {
            throw new LoadException("the node at " + node.base() + " runs its clock at " + ShowRunner.speedLabel(rate) + " and load would send"
                    + " the show at " + ShowRunner.speedLabel(speed) + ": the node's windows, evidence periods and triggers would each span"
                    + " a different stretch of the show than in-process; start the node with 'serve --live --speed "
                    + ShowRunner.speedLabel(speed).replace("x", "") + "' on a new --data-dir, or send at --speed "
                    + ShowRunner.speedLabel(rate).replace("x", ""));
        }
        if (before.events().total() > 0) {
            throw new LoadException("the node at " + node.base() + " has counted " + before.events().total() + " events already;"
                    + " load compares a node's counts with the show's own, so it needs a node that has counted none:"
                    + " start 'serve --live' on a new --data-dir");
        }
    }

    /**
     * On a node whose clock runs at the show's speed, its evidence periods can be the show's: a rule
     * judges the evidence since it started and since every {@code windowSeconds} after, and in-process
     * its evidence starts 1 s into the show. So the show starts when a period of the node's first
     * armed rule begins, less that second (at most one window of node time of waiting); then both
     * sides judge the same stretches of the show.
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
        long margin = Math.round(ALIGN_MARGIN_MILLIS * speed);
        if (start < now + margin) {
            start += ((now + margin - start + period - 1) / period) * period;
        }
        long wait = Math.round((start - now) / speed);
        progress.printf(Locale.ROOT, "  starting in %.1f s, when an evidence period of %s begins on the node as it does in the show%n",
                wait / 1000.0, rule.id());
        pause(wait);
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

    private static void pause(long millis) throws LoadException {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LoadException("interrupted");
        }
    }
}
