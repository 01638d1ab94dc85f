package io.edgedeck.console.timeline;

import io.edgedeck.client.guardrails.GuardrailExplanations;
import io.edgedeck.client.model.GuardrailFiring;
import io.edgedeck.client.model.MetricsFrame;
import io.edgedeck.client.model.PopHistory;
import io.edgedeck.client.model.PopMetrics;
import io.edgedeck.client.model.ShowEvent;
import io.edgedeck.client.model.VariantMetrics;
import io.edgedeck.console.common.FrameTicker;
import io.edgedeck.console.common.PopIds;
import io.edgedeck.console.common.ShowChange;
import javafx.beans.property.ReadOnlyLongProperty;
import javafx.beans.property.ReadOnlyLongWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The show on one time axis: what changed it (faults, surges and mood shifts, flag changes,
 * guardrail firings) as marks, above latency, conversion and sentiment lines. One sample per
 * engine second, from the first frame of that second the engine published (every frame reaches it,
 * {@link FrameTicker.Sink#onPassed}), so the same show draws the same lines however the console's
 * ticks fell; a second whose frames never arrived is a gap ({@link Sample#afterGap}); once the history
 * passes {@value #MAX_SAMPLES} samples (two hours), the older half is merged pairwise, so memory
 * stays bounded however long the show runs and old stretches get coarser, not lost.
 *
 * <p>A console that joins a show already running sees frames from then on only. The latency lines
 * before that are drawn from each PoP's history rows ({@link #backfill}), which a node keeps; the
 * conversion and sentiment lines start at the first frame this console saw ({@link #liveFromMillis}),
 * since no connection keeps a history of them.
 */
public final class TimelineViewModel implements FrameTicker.Sink {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(TimelineViewModel.class);
    public static final int MAX_SAMPLES = 7200;
    static final int MAX_MARKS = 2000;
    /** Conversion is shown over the last minute, so a rollback shows as a change, not a dent in a total. */
    static final long CONVERSION_WINDOW_MILLIS = 60_000;
    static final long MIN_EXPOSURES = 200;

    /** What kind of change a mark is; the view colours by it. */
    public enum MarkKind { FAULT, AUDIENCE, FLAG, OPERATOR, ROLLBACK, GUARDRAIL, CONFIG }

    public record Mark(long atMillis, MarkKind kind, String label, boolean automatic) {
    }

    /**
     * A change that has not happened yet, shown ahead of time (a node's scheduled change).
     *
     * @param inSeconds how far ahead of the newest frame it is due, or -1 when it waits for a named cue
     * @param label     what it will do, e.g. "21:20:00 UTC kill offer-banner" or "on cue drop: playbook ramp-at-drop"
     */
    public record Ahead(long inSeconds, String label) {
    }

    /**
     * One point of the lines.
     *
     * @param worstP95Ms     the highest p95 of any PoP, in ms; NaN for a second no PoP served a request
     * @param meanP95Ms      the mean of the PoPs' p95s, in ms; NaN likewise
     * @param conversion     conversions per 100 exposures per variant ("flag/variant") over the last minute
     * @param chatMean       mean chat sentiment, in [-1, 1]
     * @param afterGap       frames were missed between the previous sample and this one, so no line joins them
     */
    public record Sample(long atMillis, double worstP95Ms, String worstPop, double meanP95Ms,
                         Map<String, Double> conversion, double chatMean, boolean afterGap) {
        public Sample(long atMillis, double worstP95Ms, String worstPop, double meanP95Ms,
                      Map<String, Double> conversion, double chatMean) {
            this(atMillis, worstP95Ms, worstPop, meanP95Ms, conversion, chatMean, false);
        }
    }

    private final List<Sample> samples = new ArrayList<>();
    private final List<Sample> readOnlySamples = java.util.Collections.unmodifiableList(samples);
    private final LinkedHashMap<String, Mark> marksByKey = new LinkedHashMap<>();
    private final ObservableList<Mark> marks = FXCollections.observableArrayList();
    private final ObservableList<Mark> readOnlyMarks = FXCollections.unmodifiableObservableList(marks);
    private final Set<String> variantKeys = new LinkedHashSet<>();
    private final Map<String, ArrayDeque<long[]>> variantTotals = new HashMap<>();
    private final ReadOnlyLongWrapper revision = new ReadOnlyLongWrapper(this, "revision");
    private List<Ahead> ahead = List.of();
    private final ShowChange showChange = new ShowChange();
    private long lastSecond = -1;
    /** The highest frame sequence seen this show, -1 before one. */
    private long lastSequence = -1;
    /** A frame was missed since the last sample. */
    private boolean missedSinceSample;
    /** A frame passed since the last tick changed the samples or marks. */
    private boolean changedSinceTick;
    private long engineMillis;
    private int durationSeconds;
    private String marksSignature = "";
    /** Every PoP the show's frames have named: the marks write them in capitals, as every tab does. */
    private final Set<String> popIds = new LinkedHashSet<>();
    /** The engine time of the first frame of this show the console saw; -1 before one. */
    private long liveFromMillis = -1;
    /** Latency lines were drawn from history rows before {@link #liveFromMillis}. */
    private boolean latencyBackfilled;

    private java.util.function.Supplier<io.edgedeck.client.EdgeConnection> historySource;
    private io.edgedeck.console.common.Background background;
    /** Increases with each show, so history fetched for an earlier one is never drawn on this one. */
    private long showGeneration;

    /**
     * Reads the PoPs' history from {@code connection} when a show's first frame arrives, to draw the
     * latency before it ({@link #backfill}); a connection without history is not asked. FX thread.
     */
    public void fillFrom(java.util.function.Supplier<io.edgedeck.client.EdgeConnection> connection,
                         io.edgedeck.console.common.Background work) {
        historySource = connection;
        background = work;
    }

    @Override
    public void onPassed(MetricsFrame frame) {
        long before = liveFromMillis;
        long generation = showGeneration;
        changedSinceTick |= record(frame);
        fetchHistoryIfFirst(frame, before, generation);
    }

    @Override
    public void onTick(MetricsFrame frame, boolean fresh, long millisSinceFrame) {
        if (fresh) {
            long before = liveFromMillis;
            long generation = showGeneration;
            apply(frame);
            fetchHistoryIfFirst(frame, before, generation);
        } else if (changedSinceTick) {
            changedSinceTick = false;
            revision.set(revision.get() + 1);
        }
    }

    /** The first frame of a show (a new console, or a show started again): what came before it is history. */
    private void fetchHistoryIfFirst(MetricsFrame frame, long liveFromBefore, long generationBefore) {
        if (liveFromMillis >= 0 && (liveFromBefore < 0 || generationBefore != showGeneration)) {
            fetchHistory(frame);
        }
    }

    private void fetchHistory(MetricsFrame frame) {
        if (historySource == null || frame.pops().isEmpty()) {
            return;
        }
        io.edgedeck.client.EdgeConnection connection = historySource.get();
        long toSecond = liveFromMillis / 1000;
        if (connection == null || !connection.hasHistory() || toSecond == 0) {
            return;
        }
        long generation = showGeneration;
        Map<String, java.util.concurrent.CompletableFuture<PopHistory>> calls = new LinkedHashMap<>();
        for (PopMetrics p : frame.pops()) {
            calls.put(p.id(), connection.history(p.id(), 0, toSecond));
        }
        background.run(() -> {
            List<PopHistory> histories = new ArrayList<>();
            for (var call : calls.values()) {
                histories.add(call.join());
            }
            return histories;
        }).onSuccess(histories -> {
            if (generation == showGeneration) {
                backfill(histories);
            }
        }).onFailure(failure -> LOG.info("The Timeline draws latency from the first frame on: could not read the PoPs' history: {}",
                failure.message())).start();
    }

    /** Applies one frame and tells the view. FX thread. */
    public void apply(MetricsFrame frame) {
        boolean changed = record(frame) | changedSinceTick;
        changedSinceTick = false;
        if (changed) {
            revision.set(revision.get() + 1);
        }
    }

    /**
     * Takes one frame into the marks and lines without telling the view: the first frame of each engine second
     * is its sample. A second is a gap when frames before it were missed (their sequence numbers skipped) and
     * no frame of the second before it arrived; an engine that publishes less often than once a second leaves
     * seconds out without a gap, as its sequence numbers run on.
     *
     * @return whether the marks or lines changed
     */
    private boolean record(MetricsFrame frame) {
        if (showChange.isNewShow(frame)) {
            reset();
        }
        if (lastSequence >= 0 && frame.sequence() > lastSequence + 1) {
            missedSinceSample = true;
        }
        lastSequence = Math.max(lastSequence, frame.sequence());
        engineMillis = frame.engineMillis();
        durationSeconds = frame.durationSeconds();
        boolean changed = updateMarks(frame);
        long second = frame.engineMillis() / 1000;
        if (second > lastSecond) {
            boolean gap = missedSinceSample && lastSecond >= 0 && second > lastSecond + 1;
            lastSecond = second;
            missedSinceSample = false;
            if (liveFromMillis < 0) {
                liveFromMillis = frame.engineMillis();
            }
            add(sample(frame, gap));
            changed = true;
        }
        return changed;
    }

    private void reset() {
        showGeneration++;
        samples.clear();
        marksByKey.clear();
        popIds.clear();
        marks.clear();
        variantKeys.clear();
        variantTotals.clear();
        lastSecond = -1;
        lastSequence = -1;
        missedSinceSample = false;
        marksSignature = "";
        liveFromMillis = -1;
        latencyBackfilled = false;
    }

    /**
     * Draws the latency lines for the seconds before the first frame this console saw from the PoPs'
     * history rows: each row's own p95 (a second's, or a minute's for older rows), where the live line
     * reads each PoP's last 10 s. Rows at or after the first frame are left to the frames. FX thread.
     *
     * @return whether any second was drawn from them
     */
    public boolean backfill(java.util.Collection<PopHistory> histories) {
        if (liveFromMillis < 0) {
            return false;
        }
        long firstLiveSecond = liveFromMillis / 1000;
        java.util.TreeMap<Long, double[]> bySecond = new java.util.TreeMap<>();
        java.util.Map<Long, String> worstPop = new HashMap<>();
        for (PopHistory h : histories) {
            for (int i = 0; i < h.rows(); i++) {
                long start = h.startSecond()[i];
                if (start >= firstLiveSecond) {
                    continue;
                }
                // A second no PoP served anything has no latency: a gap, as the live line draws it.
                double[] acc = bySecond.computeIfAbsent(start, k -> new double[3]);
                if (h.requests()[i] == 0) {
                    continue;
                }
                double p95 = h.p95Ms()[i];
                if (p95 >= acc[0]) {
                    acc[0] = p95;
                    worstPop.put(start, h.pop());
                }
                acc[1] += p95;
                acc[2]++;
            }
        }
        if (bySecond.isEmpty()) {
            return false;
        }
        List<Sample> before = new ArrayList<>(bySecond.size());
        bySecond.forEach((second, acc) -> before.add(new Sample(second * 1000, acc[2] == 0 ? Double.NaN : acc[0],
                worstPop.getOrDefault(second, ""), acc[2] == 0 ? Double.NaN : acc[1] / acc[2],
                Map.of(), Double.NaN)));
        // Samples a backfill drew before are replaced, so a second fetch after a reconnect never draws a second twice.
        samples.removeIf(s -> s.atMillis() < liveFromMillis);
        samples.addAll(0, before);
        while (samples.size() > MAX_SAMPLES) {
            downsampleOlderHalf();
        }
        latencyBackfilled = true;
        revision.set(revision.get() + 1);
        return true;
    }

    /** The engine time of the first frame of this show the console saw, -1 before one: conversion and sentiment start there. */
    public long liveFromMillis() {
        return liveFromMillis;
    }

    /** True once the latency lines before {@link #liveFromMillis} were drawn from the PoPs' history. */
    public boolean latencyBackfilled() {
        return latencyBackfilled;
    }

    private Sample sample(MetricsFrame frame, boolean afterGap) {
        double worst = 0;
        double sum = 0;
        String worstPop = "";
        int n = 0;
        for (PopMetrics p : frame.pops()) {
            if (p.last10s().count() == 0) {
                continue;
            }
            double p95 = p.last10s().p95Ms();
            if (p95 >= worst) {
                worst = p95;
                worstPop = p.id();
            }
            sum += p95;
            n++;
        }
        Map<String, Double> conversion = new LinkedHashMap<>();
        for (VariantMetrics v : frame.variants()) {
            String key = v.flag() + "/" + v.variant();
            variantKeys.add(key);
            ArrayDeque<long[]> totals = variantTotals.computeIfAbsent(key, k -> new ArrayDeque<>());
            totals.addLast(new long[]{frame.engineMillis(), v.exposures(), v.conversions()});
            while (totals.size() > 1 && totals.peekFirst()[0] < frame.engineMillis() - CONVERSION_WINDOW_MILLIS) {
                totals.removeFirst();
            }
            long[] first = totals.peekFirst();
            long exposures = v.exposures() - first[1];
            long conversions = v.conversions() - first[2];
            if (totals.size() == 1) {
                exposures = v.exposures();
                conversions = v.conversions();
            }
            // A rate over a handful of exposures is noise (a rolled-back variant), not a trend.
            if (exposures >= MIN_EXPOSURES) {
                conversion.put(key, 100.0 * conversions / exposures);
            }
        }
        // A second no PoP served a request has no latency: NaN, drawn as a gap, never as 0 ms (perfect latency).
        return new Sample(frame.engineMillis(), n == 0 ? Double.NaN : worst, worstPop, n == 0 ? Double.NaN : sum / n, conversion,
                frame.chat().meanScore(), afterGap);
    }

    private void add(Sample s) {
        samples.add(s);
        if (samples.size() > MAX_SAMPLES) {
            downsampleOlderHalf();
        }
    }

    private void downsampleOlderHalf() {
        int half = samples.size() / 2;
        List<Sample> merged = new ArrayList<>(half / 2 + 1);
        for (int i = 0; i + 1 < half; i += 2) {
            merged.add(merge(samples.get(i), samples.get(i + 1)));
        }
        if (half % 2 == 1) {
            merged.add(samples.get(half - 1));
        }
        List<Sample> newer = new ArrayList<>(samples.subList(half, samples.size()));
        samples.clear();
        samples.addAll(merged);
        samples.addAll(newer);
    }

    static Sample merge(Sample a, Sample b) {
        Map<String, Double> conversion = new LinkedHashMap<>(a.conversion());
        b.conversion().forEach((k, v) -> conversion.merge(k, v, (x, y) -> (x + y) / 2));
        boolean bWorse = Double.isNaN(a.worstP95Ms()) || b.worstP95Ms() >= a.worstP95Ms();
        // The worst latency of a merged stretch is the worse of the two, so a spike never averages away; a second
        // without requests (NaN) takes nothing from its neighbour.
        return new Sample(a.atMillis(), maxOf(a.worstP95Ms(), b.worstP95Ms()), bWorse ? b.worstPop() : a.worstPop(),
                meanOf(a.meanP95Ms(), b.meanP95Ms()), conversion, meanOf(a.chatMean(), b.chatMean()),
                // A hole inside the merged stretch stays a hole, drawn at its start.
                a.afterGap() || b.afterGap());
    }

    /** The larger of two values, or the one known. */
    private static double maxOf(double a, double b) {
        return Double.isNaN(a) ? b : Double.isNaN(b) ? a : Math.max(a, b);
    }

    /** The mean of two values, or the one known: a second with no sentiment line does not erase its neighbour's. */
    private static double meanOf(double a, double b) {
        return Double.isNaN(a) ? b : Double.isNaN(b) ? a : (a + b) / 2;
    }

    private boolean updateMarks(MetricsFrame frame) {
        List<ShowEvent> events = frame.timeline();
        boolean newPops = false;
        for (PopMetrics p : frame.pops()) {
            newPops |= popIds.add(p.id());
        }
        if (newPops) {
            // A PoP first named now: the marks that name it take its capitals too.
            List<Mark> kept = List.copyOf(marksByKey.values());
            marksByKey.clear();
            kept.forEach(m -> put(new Mark(m.atMillis(), m.kind(), PopIds.inText(m.label(), popIds), m.automatic())));
        }
        String signature = events.size() + ":" + (events.isEmpty() ? 0 : events.getLast().atMillis())
                + ":" + frame.firings().size() + ":" + popIds.size();
        if (signature.equals(marksSignature)) {
            return false;
        }
        marksSignature = signature;
        for (ShowEvent e : events) {
            // Rollbacks come from the firings below, with the values that tripped them.
            if (e.label().startsWith("flag.rollback") || e.label().startsWith("guardrail.rollback")) {
                continue;
            }
            // What a live node's configuration set up as it started is its own kind, not an operator's action.
            MarkKind kind = e.byNodeConfig() ? MarkKind.CONFIG : switch (e.kind()) {
                case "fault" -> MarkKind.FAULT;
                case "audience" -> MarkKind.AUDIENCE;
                case "guardrail" -> MarkKind.GUARDRAIL;
                // the audit's other entries (approvals, playbook runs, schedules, salts, keys): an operator's actions, a playbook's changes listed in its entry
                default -> e.label().startsWith("flag.") || e.label().startsWith("variant.") ? MarkKind.FLAG : MarkKind.OPERATOR;
            };
            String who = e.actor() == null ? "" : " (" + e.actor() + ")";
            put(new Mark(e.atMillis(), kind, PopIds.inText(e.label(), popIds) + who, false));
        }
        for (GuardrailFiring f : frame.firings()) {
            put(firingMark(f));
        }
        List<Mark> sorted = new ArrayList<>(marksByKey.values());
        sorted.sort(Comparator.comparingLong(Mark::atMillis));
        while (sorted.size() > MAX_MARKS) {
            Mark oldest = sorted.removeFirst();
            marksByKey.remove(key(oldest));
        }
        marks.setAll(sorted);
        return true;
    }

    static Mark firingMark(GuardrailFiring f) {
        String values = f.values().isEmpty() ? "" : GuardrailExplanations.values(f.values());
        String label = f.automatic()
                ? String.format(Locale.ROOT, "%s by guardrail %s: %s / %s%s", f.action().wireName().toUpperCase(Locale.ROOT),
                f.rule(), f.flag(), f.variant(), values.isEmpty() ? "" : " (" + values + ")")
                : String.format(Locale.ROOT, "ROLLBACK by %s: %s / %s (%s)", f.actor(), f.flag(), f.variant(), f.reason());
        return new Mark(f.atMillis(), MarkKind.ROLLBACK, label, f.automatic());
    }

    private void put(Mark m) {
        marksByKey.putIfAbsent(key(m), m);
    }

    private static String key(Mark m) {
        return m.atMillis() + "|" + m.label();
    }

    /** Oldest first; a view only reads it. */
    public List<Sample> samples() {
        return readOnlySamples;
    }

    /** Oldest first. */
    public ObservableList<Mark> marks() {
        return readOnlyMarks;
    }

    /** Every variant seen, "flag/variant", in order of first appearance. */
    public List<String> variantKeys() {
        return List.copyOf(variantKeys);
    }

    public long engineMillis() {
        return engineMillis;
    }

    public int durationSeconds() {
        return durationSeconds;
    }

    /** Increases when samples or marks changed, so the chart redraws once. */
    /** What is scheduled ahead of now, replacing what was. FX thread. */
    public void setAhead(List<Ahead> next) {
        if (!next.equals(ahead)) {
            ahead = List.copyOf(next);
            revision.set(revision.get() + 1);
        }
    }

    /** What is scheduled ahead of now: wall-clock changes soonest first, then those waiting for a cue. */
    public List<Ahead> ahead() {
        return ahead;
    }

    public ReadOnlyLongProperty revisionProperty() {
        return revision.getReadOnlyProperty();
    }
}
