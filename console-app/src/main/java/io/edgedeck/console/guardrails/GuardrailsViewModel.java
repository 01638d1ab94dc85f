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
import io.edgedeck.console.common.Background;
import io.edgedeck.console.common.ShowChange;
import io.edgedeck.console.common.ShowClock;
import io.edgedeck.console.common.Outcome;
import io.edgedeck.console.common.Status;
import io.edgedeck.console.connection.ConsoleSession;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
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
import java.util.stream.Collectors;

/**
 * The guardrails tab's state: each rule with its conditions in words and their intervals, the
 * firings so far, the rollback target, an alert for every automatic rollback the console sees
 * happen, and the pre-flight ({@link PreflightViewModel}).
 */
public final class GuardrailsViewModel implements FrameTicker.Sink {
    /**
     * One rule as the table shows it.
     *
     * @param preflight the last pre-flight's estimate for it, or "" before one
     */
    public record RuleRow(String id, String target, boolean armed, String state, Status status, String conditions,
                          String exposures, String action, String preflight, GuardrailStatus guardrail) {
    }


    /**
     * What to roll back: a flag's variant.
     *
     * @param serving   whether the variant has any weight: one at 0% (rolled back already) has nothing to roll back
     * @param showEnded whether the show has finished: its variants serve nobody any more, whatever their weight
     */
    public record Target(String flag, String variant, String control, boolean serving, boolean showEnded) {
        /** A target in a show still playing. */
        public Target(String flag, String variant, String control, boolean serving) {
            this(flag, variant, control, serving, false);
        }

        /** Whether a rollback is offered: the variant serves someone, in a show still playing. */
        public boolean offered() {
            return serving && !showEnded;
        }

        public String describe() {
            if (showEnded) {
                return flag + " / " + variant + " · the show has ended";
            }
            return flag + " / " + variant + (serving ? " → " + control : " serves nobody (0%)");
        }

        /** Why the Roll back button is not offered for it, or "" when it is. */
        public String notOffered() {
            if (showEnded) {
                return "Nothing to roll back: the show has ended, so " + flag + " / " + variant + " serves nobody";
            }
            return serving ? "" : "Nothing to roll back: " + flag + " / " + variant + " is at 0% already";
        }
    }

    /** An automatic rollback the console saw happen. */
    public record Alert(String title, String text, GuardrailFiring firing) {
    }

    private final ConsoleSession session;
    private final ObservableStringValue operator;
    private final Background background;
    private final ObservableList<RuleRow> rows = FXCollections.observableArrayList();
    private final ObservableList<GuardrailFiring> firings = FXCollections.observableArrayList();
    private final ObservableList<RuleRow> readOnlyRows = FXCollections.unmodifiableObservableList(rows);
    private final ObservableList<GuardrailFiring> readOnlyFirings = FXCollections.unmodifiableObservableList(firings);
    private final StringProperty selectedId = new SimpleStringProperty(this, "selectedId");
    private final ReadOnlyObjectWrapper<Target> target = new ReadOnlyObjectWrapper<>(this, "target");
    private final ReadOnlyObjectWrapper<Alert> latestAlert = new ReadOnlyObjectWrapper<>(this, "latestAlert");
    private final Outcome message = new Outcome();
    private final ShowChange showChange = new ShowChange();
    private List<FlagView> flags = List.of();
    private boolean showEnded;
    private int firingsSeen = -1;

    private final PreflightViewModel preflight;
    private List<GuardrailStatus> lastStatuses = List.of();
    /** How times are shown: the wall clock on a live node, the show's clock in a rehearsal. */
    private ShowClock times = new ShowClock();

    /** Without a pre-flight: where the console cannot play the show again. */
    public GuardrailsViewModel(ConsoleSession session, ObservableStringValue operator, Background background) {
        this(session, operator, background, null);
    }

    /**
     * @param preflight plays the show for a pre-flight; null where the console cannot
     */
    public GuardrailsViewModel(ConsoleSession session, ObservableStringValue operator, Background background,
                               PreflightEstimator preflight) {
        this.session = session;
        this.operator = operator;
        this.background = background;
        this.preflight = new PreflightViewModel(preflight);
        selectedId.addListener((obs, old, now) -> updateTarget());
    }

    /** Shows times by {@code clock}: the console's, which the frame ticker feeds before this. FX thread. */
    public void showTimesBy(ShowClock clock) {
        times = clock;
    }

    /** {@code engineMillis} as a person reads it here: the wall clock on a live node, the show's in a rehearsal. */
    public String time(long engineMillis) {
        return times.format(engineMillis);
    }

    @Override
    public void onTick(MetricsFrame frame, boolean fresh, long millisSinceFrame) {
        boolean newShow = showChange.isNewShow(frame);
        boolean estimatesChanged = preflight.onTick(newShow);
        if (!fresh && !rows.isEmpty() && !estimatesChanged) {
            return;
        }
        if (newShow) {
            firingsSeen = -1;
            firings.clear();
        }
        flags = frame.flags();
        showEnded = frame.state() == io.edgedeck.client.model.ShowState.FINISHED;
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
                    latestAlert.set(alert(f, times));
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

    static Alert alert(GuardrailFiring f, ShowClock times) {
        String did = switch (f.action()) {
            case ROLLBACK -> "rolled back ";
            case ROLLBACK_BREACHED_POPS -> "rolled back at " + String.join(", ", f.pops()) + ": ";
            case PAUSE -> "paused ";
            case ALERT -> "raised an alert on ";
        };
        String title = "Guardrail " + f.rule() + " " + did + f.flag() + " / " + f.variant();
        String text = String.format(Locale.ROOT, "at %s · %s · %s", times.format(f.atMillis()), values(f.values()), f.reason());
        return new Alert(title, text, f);
    }

    private List<RuleRow> rows(List<GuardrailStatus> statuses) {
        return statuses.stream().map(g -> row(g, preflight.estimate(g.id()), times)).toList();
    }

    static RuleRow row(GuardrailStatus g, String preflightEstimate, ShowClock times) {
        Status status = switch (g.state()) {
            case FIRED, BREACHED -> Status.BAD;
            case DISARMED, WAITING -> Status.STALE;
            case WATCHING -> g.conditions().stream().anyMatch(c -> c.state() == ConditionState.HARM_ESTABLISHED
                    || c.state() == ConditionState.PAST_THRESHOLD) ? Status.WARN : Status.OK;
        };
        String conditions = g.conditions().stream().map(GuardrailExplanations::condition)
                .collect(Collectors.joining("\n" + (g.match() == RuleMatch.ANY ? "OR  " : "AND ")));
        String exposures = g.evidenceSinceMillis() == null
                ? "evidence starts once its flag change has settled"
                : String.format(Locale.ROOT, "exposures %,d variant / %,d control since %s (min %,d); a period every %d s",
                g.variantExposures(), g.controlExposures(), times.format(g.evidenceSinceMillis()), g.minExposures(),
                g.windowSeconds());
        String period = g.periodSinceMillis() == null ? "" : "since " + times.format(g.periodSinceMillis()) + " · ";
        return new RuleRow(g.id(), g.flag() + " / " + g.variant(), g.armed(), wireName(g.state())
                + (GuardrailStatus.DECIDED_BY_FLEET.equals(g.decidedBy()) ? "\nthe fleet decides" : "")
                + (g.lastFiredAtMillis() == null ? "" : "\nlast fired " + times.format(g.lastFiredAtMillis())),
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

    /** The selected rule's variant, else the first rule's, else the first flag's non-control variant. */
    private void updateTarget() {
        RuleRow selected = rows.stream().filter(r -> r.id().equals(selectedId.get())).findFirst()
                .orElse(rows.isEmpty() ? null : rows.getFirst());
        Target next = null;
        if (selected != null) {
            String flag = selected.guardrail().flag();
            String variant = selected.guardrail().variant();
            FlagView view = flags.stream().filter(f -> f.key().equals(flag)).findFirst().orElse(null);
            // A flag no frame named yet: the node decides; the button is offered.
            boolean serving = view == null || view.variants().stream().anyMatch(v -> v.name().equals(variant) && v.weight() > 0);
            next = new Target(flag, variant, view == null ? "control" : view.controlVariant(), serving, showEnded);
        } else {
            for (FlagView f : flags) {
                var v = f.variants().stream().filter(x -> !x.name().equals(f.controlVariant())).findFirst();
                if (v.isPresent()) {
                    next = new Target(f.key(), v.get().name(), f.controlVariant(), v.get().weight() > 0, showEnded);
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

    /** False for a bundle opened offline: the tab then offers no rollback and no arming. */
    public boolean allowsChanges() {
        return session.mode().allowsChanges();
    }

    public Prompter.Ask armQuestion(RuleRow row, boolean arm) {
        return new Prompter.Ask((arm ? "Arm " : "Disarm ") + row.id() + "?",
                arm ? "It will " + row.action() + " " + row.target() + " on its own when its conditions hold."
                        : "It will keep watching but never act on " + row.target() + " until armed again.",
                arm ? "Arm" : "Disarm", session.mode().name().toLowerCase(Locale.ROOT) + ": " + (arm ? "arm " : "disarm ")
                + row.id(), false);
    }

    public void rollback(Target t, String reason) {
        background.follow(session.connection().rollback(t.flag(), t.variant(), operator.get(), reason))
                .onSuccess(firing -> message.done("Rolled back " + t.flag() + " / " + t.variant() + " at "
                        + times.format(firing.atMillis()) + " on " + firing.pops().size() + " PoPs"))
                .onFailure(failure -> message.failed("Rollback FAILED: " + failure.message())).start();
    }

    public void setArmed(RuleRow row, boolean arm, String reason) {
        background.follow(session.connection().setArmed(row.id(), arm, operator.get(), reason))
                .onSuccess(g -> message.done(g.id() + " is " + (g.armed() ? "armed" : "disarmed")))
                .onFailure(failure -> message.failed("Not changed: " + failure.message())).start();
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
        return message.textProperty();
    }

    /** Whether the last outcome worked, failed, or only explains: the message line's colour. */
    public ReadOnlyObjectProperty<Status> messageStatusProperty() {
        return message.statusProperty();
    }

    /**
     * Forgets the last outcome: called when the connection comes or goes, after which a "Not changed: not
     * connected" or an old success would describe a state of the connection that is over. FX thread.
     */
    public void connectionChanged() {
        message.say("");
    }

    /** Says why a change was not offered (a viewer's shortcut), in the outcome line. FX thread. */
    public void refuse(String why) {
        message.failed(why);
    }

    /** The pre-flight: how each rule would do on this show before it is armed. */
    public PreflightViewModel preflight() {
        return preflight;
    }

    /** Stops a pre-flight still running. FX thread. */
    public void dispose() {
        preflight.cancel();
    }
}
