package io.edgedeck.console.fleet;

import io.edgedeck.client.EdgeException;
import io.edgedeck.client.model.Caller;
import io.edgedeck.client.model.FleetCueFired;
import io.edgedeck.console.common.Background;
import io.edgedeck.console.common.Outcome;
import io.edgedeck.console.common.Prompter;
import io.edgedeck.console.common.Status;
import io.edgedeck.console.connection.ConsoleSession;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.beans.value.ObservableValue;

import java.util.List;
import java.util.function.Function;

/**
 * A show cue fired on every node from the Fleet tab, at the aggregator ({@code POST /api/v1/show/cues/{name}};
 * docs/FLEET.md, "Cues for the whole fleet"): the cue's name as typed, whether it may be fired from here and why not,
 * and what the aggregator said of it, in words: every node that took it, and each that did not with why.
 *
 * <p>The aggregator takes a cue from its admin token only ({@link Caller#ADMIN}, as {@code GET /api/v1/me} names it); the
 * read key only reads, so a console connected with it offers the button disabled, saying so. Nothing is offered while
 * the aggregator cannot be reached, nor while a cue is on its way. FX thread; the call runs off it.
 */
public final class FleetCueViewModel {
    private final ConsoleSession session;
    private final ObservableValue<Caller> caller;
    private final Background background;
    private final StringProperty cue = new SimpleStringProperty(this, "cue", "");
    private final ReadOnlyBooleanWrapper mayFire = new ReadOnlyBooleanWrapper(this, "mayFire", false);
    private final ReadOnlyStringWrapper whyNot = new ReadOnlyStringWrapper(this, "whyNot", "");
    private final Outcome message = new Outcome();
    private boolean online = true;
    private boolean firing;

    /** @param caller who the aggregator says this console's token is; null until it has said */
    public FleetCueViewModel(ConsoleSession session, ObservableValue<Caller> caller, Background background) {
        this.session = session;
        this.caller = caller;
        this.background = background;
        // The model lives as long as its console: these need no removal.
        caller.subscribe(c -> update());
        cue.subscribe(c -> update());
    }

    /** Whether the console hears from the aggregator. FX thread. */
    public void connectionOnline(boolean online) {
        this.online = online;
        update();
    }

    private void update() {
        Caller who = caller.getValue();
        String why;
        if (who == null) {
            why = "Waiting for the aggregator to say whose token this is: a cue for every node takes its admin token";
        } else if (!Caller.ADMIN.equals(who.name())) {
            why = "Firing a cue on every node takes the aggregator's admin token (its DATA_DIR/token); this console's token"
                    + " is " + who.name() + ", which only reads";
        } else if (!online) {
            why = "The aggregator cannot be reached: no cue can be fired until it answers again";
        } else if (firing) {
            why = "A cue is on its way: the aggregator answers once the nodes took it, within seconds";
        } else {
            why = "";
        }
        whyNot.set(why);
        // With no name typed there is nothing to fire; the field's prompt says what to type, so no line says it again.
        mayFire.set(why.isEmpty() && !name().isEmpty());
    }

    private String name() {
        return cue.get() == null ? "" : cue.get().strip();
    }

    /** The hold-to-confirm question before the cue typed now is fired on every node. */
    public Prompter.Ask fireQuestion() {
        String name = name();
        return new Prompter.Ask("Fire cue " + name + " on every node?", "The aggregator writes cue " + name + " to the fleet's"
                + " control topic, once. Every node fires the changes scheduled on it there, as if it had been fired on that node,"
                + " and audits it (show.cue by fleet:aggregator); a node that is silent fires it when it reads the topic again."
                + "\nThis is the LIVE show, on every node.", "Hold to fire " + name + " on every node", "the " + name + " is live",
                true);
    }

    /** Says why no cue is fired now: none typed, or {@link #whyNotProperty()}. FX thread. */
    public void refuse() {
        message.failed("No cue fired on every node: " + (whyNot.get().isEmpty()
                ? "type the cue's name in the Fleet tab first (e.g. drop)" : whyNot.get()));
    }

    /** The Fleet tab's count of each silent node's seconds; null until {@link #countSilencesBy} gives it. */
    private FleetViewModel count;
    /** The answer the message tells while it names a node not taken, and the words it was last told in; else null. */
    private FleetCueFired answer;
    private String told;

    /**
     * Tells why a node did not take a cue by {@code count} ({@link FleetViewModel#notTaken}): a silent node's seconds as
     * the Fleet tab's headline counts them, not as the aggregator did when it answered. FX thread.
     */
    public void countSilencesBy(FleetViewModel count) {
        this.count = count;
    }

    /**
     * Tells the last answer again, its silent nodes' seconds aged by the count, while the message still tells it. Once
     * the count no longer knows a silent node's silence (the fleet heard from it since), the answer stays as last told.
     * FX thread, every tick.
     */
    public void retell() {
        if (answer == null) {
            return;
        }
        if (!told.equals(message.textProperty().get()) || answer.notTaken().stream()
                .anyMatch(n -> n.lastSeenMillis() != null && count.silentFor(n.node(), n.lastSeenMillis()) < 0)) {
            answer = null;
            return;
        }
        told = outcome(answer, count::notTaken);
        message.partly(told);
    }

    /** Fires {@code name} on every node; what the aggregator said becomes the message. FX thread. */
    public void fire(String name, String reason) {
        if (!mayFire.get()) {
            message.failed("Cue " + name + " not fired: " + (whyNot.get().isEmpty() ? "no cue name given" : whyNot.get()));
            return;
        }
        firing = true;
        update();
        message.say("Firing cue " + name + " on every node: the aggregator waits for the nodes to take it…");
        background.follow(session.connection().fireFleetCue(name, reason))
                .onSuccess(fired -> {
                    if (fired.everyNodeTook() && !fired.took().isEmpty()) {
                        message.done(outcome(fired, FleetCueFired.NotTaken::why));
                    } else {
                        told = outcome(fired, count == null ? FleetCueFired.NotTaken::why : count::notTaken);
                        answer = count == null ? null : fired;
                        message.partly(told);
                    }
                })
                .onFailure(failure -> message.failed("Cue " + name + " not fired: " + refusal(failure)))
                .andFinally(() -> {
                    firing = false;
                    update();
                }).start();
    }

    /**
     * The aggregator's words, after the field it names: its refusal of a cue's name says "a lowercase name", which reads as
     * if it named the field already; it is said to be the cue's name here.
     */
    private static String refusal(Background.Failure failure) {
        if (failure.cause() instanceof EdgeException e && "name".equals(e.field()) && e.detail() != null) {
            return "the cue's name: " + e.detail();
        }
        return failure.message();
    }

    /**
     * "every node took cue drop: node-a, node-b", or "cue drop: node-a took it · node-b did not take it: silent for 12 s:
     * it fires the cue when it reads the control topic again", or "cue drop: node-a took it · node-b took it, but its
     * change did not apply: scheduled change #2 (kill offer-banner): ...".
     */
    static String outcome(FleetCueFired fired, Function<FleetCueFired.NotTaken, String> why) {
        if (fired.took().isEmpty() && fired.notTaken().isEmpty()) {
            return "Cue " + fired.cue() + " written for every node, but " + fired.detail().replaceFirst("^written to the control topic; ", "")
                    + ": each node fires it when it reads the control topic";
        }
        if (fired.everyNodeTook()) {
            return "Every node took cue " + fired.cue() + ": " + String.join(", ", fired.took());
        }
        List<String> parts = new java.util.ArrayList<>();
        if (!fired.took().isEmpty()) {
            parts.add(String.join(", ", fired.took()) + " took it");
        }
        for (FleetCueFired.NotTaken n : fired.notTaken()) {
            parts.add(n.node() + (n.tookButNotApplied() ? " took it, but " : " did not take it: ") + why.apply(n));
        }
        return "Cue " + fired.cue() + ": " + String.join(" · ", parts);
    }

    // ------------------------------------------------------------------ properties

    /** The cue's name as typed. */
    public StringProperty cueProperty() {
        return cue;
    }

    /** True when the Fire button works now. */
    public ReadOnlyBooleanProperty mayFireProperty() {
        return mayFire.getReadOnlyProperty();
    }

    /** Why the Fire button does not work now; empty when it does, and when only the cue's name is missing. */
    public ReadOnlyStringProperty whyNotProperty() {
        return whyNot.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty messageProperty() {
        return message.textProperty();
    }

    /** Whether the last cue reached every node: the message's colour. */
    public ReadOnlyObjectProperty<Status> messageStatusProperty() {
        return message.statusProperty();
    }
}
