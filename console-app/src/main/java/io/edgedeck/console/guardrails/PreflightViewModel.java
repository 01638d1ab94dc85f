package io.edgedeck.console.guardrails;

import io.edgedeck.console.common.Background;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyDoubleProperty;
import javafx.beans.property.ReadOnlyDoubleWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleObjectProperty;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

/**
 * The Guardrails tab's pre-flight: which harm to try, start or cancel, progress, and each rule's
 * estimate once it is done.
 *
 * <p>The shows play on background threads; they only write their progress and outcome into
 * atomics, which {@link #onTick} (the frame tick, FX thread, 10 Hz) applies, so however fast shows
 * finish the FX thread gets at most ten updates a second and no {@code runLater} per show.
 */
public final class PreflightViewModel {
    /** Shows played each way (with the harm, and A/A). */
    public static final int SEEDS = 20;

    /** How a pre-flight ended, as a worker thread leaves it for the next tick. */
    private sealed interface Outcome {
        record Done(PreflightEffect effect, List<PreflightEstimator.Estimate> estimates) implements Outcome {
        }

        record Failed(String message) implements Outcome {
        }
    }

    /** The estimate over the first seeds, before the rest are in. */
    private record Refined(int seeds, List<PreflightEstimator.Estimate> estimates) {
    }

    private final PreflightEstimator estimator;
    private final ObjectProperty<PreflightEffect> effect = new SimpleObjectProperty<>(this, "effect", PreflightEffect.CONVERSION_MINUS_20);
    private final ReadOnlyBooleanWrapper available = new ReadOnlyBooleanWrapper(this, "available");
    private final ReadOnlyBooleanWrapper running = new ReadOnlyBooleanWrapper(this, "running");
    private final ReadOnlyDoubleWrapper progress = new ReadOnlyDoubleWrapper(this, "progress", 0);
    private final ReadOnlyStringWrapper message = new ReadOnlyStringWrapper(this, "message", "");
    /** Written by worker threads, read by the tick. */
    private final AtomicReference<int[]> played = new AtomicReference<>();
    private final AtomicReference<Refined> refined = new AtomicReference<>();
    /** Pre-flights started (and cancelled) so far: a worker reports only while its run is the latest. */
    private final AtomicInteger runs = new AtomicInteger();
    private final AtomicReference<Outcome> outcome = new AtomicReference<>();
    private CompletableFuture<List<PreflightEstimator.Estimate>> run;
    private Map<String, String> estimates = Map.of();
    /** Shows played and in all, as last shown; seeds the estimate so far covers, 0 before the first. FX thread. */
    private int[] shown = {0, 0};
    private int refinedSeeds;
    /** The estimates were dropped when a new pre-flight started; the rows still show them. */
    private boolean rowsStale;

    /** @param estimator plays the show; null where the console cannot (then it is never available) */
    public PreflightViewModel(PreflightEstimator estimator) {
        this.estimator = estimator;
        message.set(idleMessage());
    }

    /**
     * Applies what the workers left since the last tick. A new show drops the estimates made for
     * the old one and stops a pre-flight still playing it. FX thread.
     *
     * @return true when the estimates changed
     */
    boolean onTick(boolean newShow) {
        boolean changed = false;
        if (newShow) {
            cancel();
            changed = !estimates.isEmpty();
            estimates = Map.of();
            message.set(idleMessage());
        }
        available.set(estimator != null && estimator.available());
        changed |= rowsStale;
        rowsStale = false;
        return apply() || changed;
    }

    /** The last estimate for a rule, or "" before one. */
    String estimate(String rule) {
        return estimates.getOrDefault(rule, "");
    }

    /** Starts a pre-flight of the current show for the chosen harm, or cancels the one running. FX thread. */
    public void toggle() {
        if (run != null) {
            int seeds = refinedSeeds;
            cancel();
            message.set(seeds == 0 ? "Pre-flight cancelled" : String.format(Locale.ROOT,
                    "Pre-flight cancelled: the estimates shown are from seeds 1 to %d only", seeds));
            return;
        }
        if (estimator == null || !estimator.available()) {
            return;
        }
        PreflightEffect chosen = effect.get();
        played.set(null);
        outcome.set(null);
        progress.set(0);
        running.set(true);
        message.set("Playing this show " + SEEDS + " times with " + chosen.label() + " and " + SEEDS + " times A/A, in the background");
        refined.set(null);
        refinedSeeds = 0;
        shown = new int[]{0, 2 * SEEDS};
        rowsStale = !estimates.isEmpty();
        estimates = Map.of();
        CompletableFuture<List<PreflightEstimator.Estimate>> started = estimator.estimate(chosen, SEEDS,
                new PreflightEstimator.Progress() {
                    // a cancelled run's shows may still report for a moment: only this run's count
                    private final int runNumber = runs.incrementAndGet();

                    @Override
                    public void played(int done, int total) {
                        if (runs.get() == runNumber) {
                            played.set(new int[]{done, total});
                        }
                    }

                    @Override
                    public void refined(int seeds, List<PreflightEstimator.Estimate> first) {
                        if (runs.get() == runNumber) {
                            refined.set(new Refined(seeds, first));
                        }
                    }
                });
        run = started;
        started.whenComplete((result, error) -> {
            if (error == null) {
                outcome.compareAndSet(null, new Outcome.Done(chosen, result));
            } else if (!(unwrap(error) instanceof CancellationException)) {
                outcome.compareAndSet(null, new Outcome.Failed(Background.describe(unwrap(error))));
            }
        });
    }

    /** Stops a pre-flight still running. FX thread. */
    public void cancel() {
        if (run != null) {
            run.cancel(true);
            run = null;
            runs.incrementAndGet();
        }
        played.set(null);
        refined.set(null);
        outcome.set(null);
        running.set(false);
        progress.set(0);
        refinedSeeds = 0;
    }

    private static Throwable unwrap(Throwable error) {
        return error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    }

    private boolean apply() {
        if (run == null) {
            return false;
        }
        int[] shows = played.getAndSet(null);
        if (shows != null && shows[1] > 0) {
            progress.set((double) shows[0] / shows[1]);
            shown = shows;
        }
        Refined first = refined.getAndSet(null);
        boolean changed = false;
        if (first != null) {
            estimates = byRule(first.estimates());
            refinedSeeds = first.seeds();
            changed = true;
        }
        if (shows != null || first != null) {
            message.set(String.format(Locale.ROOT, "Playing shows in the background: %d of %d (%d with %s, %d A/A)%s",
                    shown[0], shown[1], SEEDS, effect.get().label(), SEEDS, refinedSeeds == 0 ? ""
                            : String.format(Locale.ROOT, "; estimate so far from seeds 1 to %d, refining", refinedSeeds)));
        }
        Outcome ended = outcome.getAndSet(null);
        if (ended == null) {
            return changed;
        }
        refinedSeeds = 0;
        run = null;
        running.set(false);
        switch (ended) {
            case Outcome.Done done -> {
                estimates = byRule(done.estimates());
                progress.set(1);
                message.set(String.format(Locale.ROOT, "Pre-flight for %s: %d shows with it and %d A/A, seeds 1 to %d, "
                        + "timed from when each rule starts watching", done.effect().label(), SEEDS, SEEDS, SEEDS));
            }
            case Outcome.Failed failed -> {
                progress.set(0);
                estimates = Map.of();
                message.set("Pre-flight failed: " + failed.message());
            }
        }
        return true;
    }

    private static Map<String, String> byRule(List<PreflightEstimator.Estimate> list) {
        return list.stream().collect(Collectors.toMap(PreflightEstimator.Estimate::rule, PreflightEstimator.Estimate::sentence,
                (a, b) -> a));
    }

    private static String idleMessage() {
        return "Before arming a rule: play this show " + SEEDS + " times with a harm and " + SEEDS
                + " times A/A, in the background, to see how soon each rule would catch it and how often it would roll back for nothing.";
    }

    /** The harm the next pre-flight gives each watched variant. */
    public ObjectProperty<PreflightEffect> effectProperty() {
        return effect;
    }

    /** True where the console can play the show again: in rehearsal. */
    public ReadOnlyBooleanProperty availableProperty() {
        return available.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty runningProperty() {
        return running.getReadOnlyProperty();
    }

    /** Share of the pre-flight's shows played, 0 to 1. */
    public ReadOnlyDoubleProperty progressProperty() {
        return progress.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty messageProperty() {
        return message.getReadOnlyProperty();
    }
}
