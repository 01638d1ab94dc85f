package io.edgedeck.console.guardrails;

import io.edgedeck.client.guardrails.GuardrailExplanations;
import io.edgedeck.client.model.ConditionState;
import io.edgedeck.client.model.ConditionStatus;
import io.edgedeck.client.model.FlagView;
import io.edgedeck.client.model.GuardrailFiring;
import io.edgedeck.client.model.GuardrailState;
import io.edgedeck.client.model.GuardrailStatus;
import io.edgedeck.client.model.MetricsFrame;
import io.edgedeck.client.model.RuleMatch;
import io.edgedeck.console.common.FrameTicker;
import io.edgedeck.console.common.Prompter;
import io.edgedeck.console.common.Results;
import io.edgedeck.console.common.ShowChange;
import io.edgedeck.console.common.EngineTime;
import io.edgedeck.console.common.Status;
import io.edgedeck.console.connection.ConsoleSession;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyDoubleProperty;
import javafx.beans.property.ReadOnlyDoubleWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.beans.value.ObservableStringValue;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

/**
 * The guardrails tab's state: each rule with its conditions in words and their intervals, the
 * firings so far, the rollback target, an alert for every automatic rollback the console sees
 * happen, and the pre-flight: how each rule would do on this show before it is armed.
 *
 * <p>The pre-flight plays shows on background threads; they only write its progress and outcome
 * into atomics, which the next frame tick (FX thread, 10 Hz) applies, so however fast shows finish
 * the FX thread gets no more than ten updates a second and no {@code runLater} per show.
 */
public final class GuardrailsViewModel implements FrameTicker.Sink {
    /** Shows played each way (with the harm, and A/A) by a pre-flight. */
    public static final int PREFLIGHT_SEEDS = 20;

    /**
     * One rule as the table shows it.
     *
     * @param preflight the last pre-flight's estimate for it, or "" before one
     */
    public record RuleRow(String id, String target, boolean armed, String state, Status status, String conditions,
                          String exposures, String action, String preflight, GuardrailStatus guardrail) {
    }

    /** How a pre-flight ended, as a worker thread leaves it for the next tick. */
    private sealed interface PreflightOutcome {
        record Done(PreflightEffect effect, List<PreflightEstimator.Estimate> estimates) implements PreflightOutcome {
        }

        record Failed(String message) implements PreflightOutcome {
        }
    }

    /** What to roll back: a flag's variant. */
    public record Target(String flag, String variant, String control) {
        public String describe() {
            return flag + " / " + variant + " → " + control;
        }
    }

    /** An automatic rollback the console saw happen. */
    public record Alert(String title, String text, GuardrailFiring firing) {
    }

    private final ConsoleSession session;
    private final ObservableStringValue operator;
    private final Executor ui;
    private final ObservableList<RuleRow> rows = FXCollections.observableArrayList();
    private final ObservableList<GuardrailFiring> firings = FXCollections.observableArrayList();
    private final ObservableList<RuleRow> readOnlyRows = FXCollections.unmodifiableObservableList(rows);
    private final ObservableList<GuardrailFiring> readOnlyFirings = FXCollections.unmodifiableObservableList(firings);
    private final StringProperty selectedId = new SimpleStringProperty(this, "selectedId");
    private final ReadOnlyObjectWrapper<Target> target = new ReadOnlyObjectWrapper<>(this, "target");
    private final ReadOnlyObjectWrapper<Alert> latestAlert = new ReadOnlyObjectWrapper<>(this, "latestAlert");
    private final ReadOnlyStringWrapper message = new ReadOnlyStringWrapper(this, "message", "");
    private final ShowChange showChange = new ShowChange();
    private List<FlagView> flags = List.of();
    private int firingsSeen = -1;

    private final PreflightEstimator preflight;
    private final ObjectProperty<PreflightEffect> preflightEffect =
            new SimpleObjectProperty<>(this, "preflightEffect", PreflightEffect.CONVERSION_MINUS_20);
    private final ReadOnlyBooleanWrapper preflightAvailable = new ReadOnlyBooleanWrapper(this, "preflightAvailable");
    private final ReadOnlyBooleanWrapper preflightRunning = new ReadOnlyBooleanWrapper(this, "preflightRunning");
    private final ReadOnlyDoubleWrapper preflightProgress = new ReadOnlyDoubleWrapper(this, "preflightProgress", 0);
    private final ReadOnlyStringWrapper preflightMessage = new ReadOnlyStringWrapper(this, "preflightMessage", "");
    /** Written by worker threads, read by the tick. */
    private final AtomicReference<int[]> preflightPlayed = new AtomicReference<>();
    private final AtomicReference<PreflightOutcome> preflightOutcome = new AtomicReference<>();
    private CompletableFuture<List<PreflightEstimator.Estimate>> preflightRun;
    private Map<String, String> estimates = Map.of();
    private List<GuardrailStatus> lastStatuses = List.of();

    /**
     * @param preflight plays the show for a pre-flight; null where the console cannot (tests of the rest)
     */
    public GuardrailsViewModel(ConsoleSession session, ObservableStringValue operator, Executor ui, PreflightEstimator preflight) {
        this.session = session;
        this.operator = operator;
        this.ui = ui;
        this.preflight = preflight;
        selectedId.addListener((obs, old, now) -> updateTarget());
        preflightMessage.set(idleMessage());
    }

    @Override
    public void onTick(MetricsFrame frame, boolean fresh, long millisSinceFrame) {
        boolean newShow = showChange.isNewShow(frame);
        if (newShow) {
            // estimates were for the show that was playing; a pre-flight still running is for it too
            cancelPreflight();
            estimates = Map.of();
            preflightMessage.set(idleMessage());
        }
        boolean estimatesChanged = applyPreflight();
        preflightAvailable.set(preflight != null && preflight.available());
        if (!fresh && !rows.isEmpty() && !estimatesChanged) {
            return;
        }
        if (newShow) {
            firingsSeen = -1;
            firings.clear();
        }
        flags = frame.flags();
        lastStatuses = frame.guardrails();
        List<RuleRow> next = rows(lastStatuses);
        if (!next.equals(rows)) {
            if (next.size() == rows.size()) {
                for (int i = 0; i < next.size(); i++) {
                    if (!next.get(i).equals(rows.get(i))) rows.set(i, next.get(i));
                }
            } else {
                rows.setAll(next);
            }
        }
        List<GuardrailFiring> all = frame.firings();
        if (firingsSeen < 0) {
            // Firings from before the console was watching are history, not news.
            firingsSeen = all.size();
        } else {
            for (int i = firingsSeen; i < all.size(); i++) {
                GuardrailFiring f = all.get(i);
                if (f.automatic()) {
                    latestAlert.set(alert(f));
                }
            }
            firingsSeen = all.size();
        }
        if (firings.size() != all.size()) {
            List<GuardrailFiring> newestFirst = new ArrayList<>(all);
            Collections.reverse(newestFirst);
            firings.setAll(newestFirst);
        }
        updateTarget();
    }

    static Alert alert(GuardrailFiring f) {
        String did = switch (f.action()) {
            case ROLLBACK -> "rolled back ";
            case ROLLBACK_BREACHED_POPS -> "rolled back at " + String.join(", ", f.pops()) + ": ";
            case PAUSE -> "paused ";
            case ALERT -> "raised an alert on ";
        };
        String title = "Guardrail " + f.rule() + " " + did + f.flag() + " / " + f.variant();
        String text = String.format(Locale.ROOT, "at %s · %s · %s", EngineTime.format(f.atMillis()), values(f.values()), f.reason());
        return new Alert(title, text, f);
    }

    private List<RuleRow> rows(List<GuardrailStatus> statuses) {
        return statuses.stream().map(g -> row(g, estimates.getOrDefault(g.id(), ""))).toList();
    }

    static RuleRow row(GuardrailStatus g, String preflightEstimate) {
        Status status = switch (g.state()) {
            case FIRED, BREACHED -> Status.BAD;
            case DISARMED, WAITING -> Status.STALE;
            case WATCHING -> g.conditions().stream().anyMatch(c -> c.state() == ConditionState.HARM_ESTABLISHED
                    || c.state() == ConditionState.PAST_THRESHOLD) ? Status.WARN : Status.OK;
        };
        String conditions = g.conditions().stream().map(GuardrailExplanations::condition)
                .collect(Collectors.joining("\n" + (g.match() == RuleMatch.ANY ? "OR  " : "AND ")));
        String exposures = g.evidenceSinceMillis() == null
                ? "evidence not started: its flag version is still reaching every PoP"
                : String.format(Locale.ROOT, "exposures %,d variant / %,d control since %s (min %,d); judged since %s and every %d s after",
                g.variantExposures(), g.controlExposures(), EngineTime.format(g.evidenceSinceMillis()), g.minExposures(),
                EngineTime.format(g.evidenceSinceMillis()), g.windowSeconds());
        String period = g.periodSinceMillis() == null ? "" : "since " + EngineTime.format(g.periodSinceMillis()) + ":\n";
        return new RuleRow(g.id(), g.flag() + " / " + g.variant(), g.armed(), wireName(g.state())
                + (g.lastFiredAtMillis() == null ? "" : "\nlast fired " + EngineTime.format(g.lastFiredAtMillis())),
                status, period + conditions + "\n" + exposures, exposures, g.action().wireName(), preflightEstimate, g);
    }

    private static String wireName(GuardrailState state) {
        return state.name().toLowerCase(Locale.ROOT);
    }

    /** "conversion lift +26% (could be as low as -4%): not clearly above 3%". */
    static String condition(ConditionStatus c) {
        return GuardrailExplanations.condition(c);
    }

    static String values(Map<String, Double> values) {
        return GuardrailExplanations.values(values);
    }

    // ------------------------------------------------------------------ pre-flight

    /**
     * Starts a pre-flight of the current show for the chosen harm, or cancels the one running. FX
     * thread; the shows play on background threads.
     */
    public void togglePreflight() {
        if (preflightRun != null) {
            cancelPreflight();
            preflightMessage.set("Pre-flight cancelled");
            return;
        }
        if (preflight == null || !preflight.available()) {
            return;
        }
        PreflightEffect effect = preflightEffect.get();
        preflightPlayed.set(null);
        preflightOutcome.set(null);
        preflightProgress.set(0);
        preflightRunning.set(true);
        preflightMessage.set("Playing this show " + PREFLIGHT_SEEDS + " times with " + effect.label() + " and "
                + PREFLIGHT_SEEDS + " times A/A, in the background");
        CompletableFuture<List<PreflightEstimator.Estimate>> run = preflight.estimate(effect, PREFLIGHT_SEEDS,
                (done, total) -> preflightPlayed.set(new int[]{done, total}));
        preflightRun = run;
        run.whenComplete((result, error) -> {
            if (error == null) {
                preflightOutcome.compareAndSet(null, new PreflightOutcome.Done(effect, result));
            } else if (!(unwrap(error) instanceof CancellationException)) {
                preflightOutcome.compareAndSet(null, new PreflightOutcome.Failed(Results.describe(unwrap(error))));
            }
        });
    }

    private static Throwable unwrap(Throwable error) {
        return error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    }

    private void cancelPreflight() {
        if (preflightRun != null) {
            preflightRun.cancel(true);
            preflightRun = null;
        }
        preflightPlayed.set(null);
        preflightOutcome.set(null);
        preflightRunning.set(false);
        preflightProgress.set(0);
    }

    /** Takes what the workers left since the last tick; true when the estimates changed. FX thread. */
    private boolean applyPreflight() {
        if (preflightRun == null) {
            return false;
        }
        int[] played = preflightPlayed.getAndSet(null);
        if (played != null && played[1] > 0) {
            preflightProgress.set((double) played[0] / played[1]);
            preflightMessage.set(String.format(Locale.ROOT, "Playing shows in the background: %d of %d (%d with %s, %d A/A)",
                    played[0], played[1], PREFLIGHT_SEEDS, preflightEffect.get().label(), PREFLIGHT_SEEDS));
        }
        PreflightOutcome outcome = preflightOutcome.getAndSet(null);
        if (outcome == null) {
            return false;
        }
        preflightRun = null;
        preflightRunning.set(false);
        switch (outcome) {
            case PreflightOutcome.Done done -> {
                estimates = done.estimates().stream()
                        .collect(Collectors.toMap(PreflightEstimator.Estimate::rule, PreflightEstimator.Estimate::sentence, (a, b) -> a));
                preflightProgress.set(1);
                preflightMessage.set(String.format(Locale.ROOT, "Pre-flight for %s: %d shows with it and %d A/A, seeds 1 to %d, "
                        + "timed from when each rule starts watching", done.effect().label(), PREFLIGHT_SEEDS, PREFLIGHT_SEEDS, PREFLIGHT_SEEDS));
            }
            case PreflightOutcome.Failed failed -> {
                preflightProgress.set(0);
                preflightMessage.set("Pre-flight failed: " + failed.message());
            }
        }
        return true;
    }

    private String idleMessage() {
        return "Before arming a rule: play this show " + PREFLIGHT_SEEDS + " times with a harm and " + PREFLIGHT_SEEDS
                + " times A/A, in the background, to see how soon each rule would catch it and how often it would roll back for nothing.";
    }

    /** The selected rule's variant, else the first rule's, else the first flag's non-control variant. */
    private void updateTarget() {
        RuleRow selected = rows.stream().filter(r -> r.id().equals(selectedId.get())).findFirst()
                .orElse(rows.isEmpty() ? null : rows.getFirst());
        Target next = null;
        if (selected != null) {
            String control = flags.stream().filter(f -> f.key().equals(selected.guardrail().flag()))
                    .map(FlagView::controlVariant).findFirst().orElse("control");
            next = new Target(selected.guardrail().flag(), selected.guardrail().variant(), control);
        } else {
            for (FlagView f : flags) {
                var v = f.variants().stream().filter(x -> !x.name().equals(f.controlVariant())).findFirst();
                if (v.isPresent()) {
                    next = new Target(f.key(), v.get().name(), f.controlVariant());
                    break;
                }
            }
        }
        if (next != null && !next.equals(target.get())) {
            target.set(next);
        }
    }

    // ------------------------------------------------------------------ questions and commands

    public Prompter.Ask rollbackQuestion(Target t) {
        return new Prompter.Ask("Roll back " + t.flag() + " / " + t.variant() + "?",
                "Everyone on " + t.variant() + " goes back to " + t.control() + " at every PoP, now. "
                        + (session.mode() == io.edgedeck.client.ConnectionMode.LIVE ? "This is the LIVE show." : "Rehearsal."),
                "Hold to roll back", session.mode().name().toLowerCase(Locale.ROOT) + ": roll back " + t.flag()
                + "/" + t.variant() + " by hand", true);
    }

    public Prompter.Ask armQuestion(RuleRow row, boolean arm) {
        return new Prompter.Ask((arm ? "Arm " : "Disarm ") + row.id() + "?",
                arm ? "It will " + row.action() + " " + row.target() + " on its own when its conditions hold."
                        : "It will keep watching but never act on " + row.target() + " until armed again.",
                arm ? "Arm" : "Disarm", session.mode().name().toLowerCase(Locale.ROOT) + ": " + (arm ? "arm " : "disarm ")
                + row.id(), false);
    }

    public void rollback(Target t, String reason) {
        Results.deliver(session.connection().rollback(t.flag(), t.variant(), operator.get(), reason), ui,
                firing -> message.set("Rolled back " + t.flag() + " / " + t.variant() + " at " + EngineTime.format(firing.atMillis())
                        + " on " + firing.pops().size() + " PoPs"),
                error -> message.set("Rollback FAILED: " + error));
    }

    public void setArmed(RuleRow row, boolean arm, String reason) {
        Results.deliver(session.connection().setArmed(row.id(), arm, operator.get(), reason), ui,
                g -> message.set(g.id() + " is " + (g.armed() ? "armed" : "disarmed")),
                error -> message.set("Not changed: " + error));
    }

    public ObservableList<RuleRow> rows() {
        return readOnlyRows;
    }

    /** Newest first. */
    public ObservableList<GuardrailFiring> firings() {
        return readOnlyFirings;
    }

    public StringProperty selectedIdProperty() {
        return selectedId;
    }

    /** What the Roll back button rolls back; null until a frame named a flag. */
    public ReadOnlyObjectProperty<Target> targetProperty() {
        return target.getReadOnlyProperty();
    }

    /** Set for each automatic rollback seen while the console watched. */
    public ReadOnlyObjectProperty<Alert> latestAlertProperty() {
        return latestAlert.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty messageProperty() {
        return message.getReadOnlyProperty();
    }

    /** The harm the next pre-flight gives each watched variant. */
    public ObjectProperty<PreflightEffect> preflightEffectProperty() {
        return preflightEffect;
    }

    /** True where the console can play the show again: in rehearsal. */
    public ReadOnlyBooleanProperty preflightAvailableProperty() {
        return preflightAvailable.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty preflightRunningProperty() {
        return preflightRunning.getReadOnlyProperty();
    }

    /** Share of the pre-flight's shows played, 0 to 1. */
    public ReadOnlyDoubleProperty preflightProgressProperty() {
        return preflightProgress.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty preflightMessageProperty() {
        return preflightMessage.getReadOnlyProperty();
    }

    /** Stops a pre-flight still running. FX thread. */
    public void dispose() {
        cancelPreflight();
    }
}
