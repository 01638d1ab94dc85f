package io.edgedeck.console.playbooks;

import io.edgedeck.console.common.Outcome;
import javafx.beans.property.ReadOnlyObjectProperty;
import io.edgedeck.client.model.Playbook;
import io.edgedeck.client.model.PlaybookAction;
import io.edgedeck.client.model.PlaybookRun;
import io.edgedeck.console.common.Background;
import io.edgedeck.console.common.Heard;
import io.edgedeck.console.common.Prompter;
import io.edgedeck.console.common.ShowClock;
import io.edgedeck.console.common.Status;
import io.edgedeck.console.connection.ConsoleSession;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.value.ObservableBooleanValue;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * A node's playbooks as the console lists them: each with its actions, who made it, whether the node
 * runs it itself when a guardrail fires, and whether it may be run now. Fed on the FX thread with the
 * newest answer of {@code GET /api/v1/playbooks}; a run goes to the node off the FX thread, and its
 * outcome (every change, audited by the node as one entry, or why nothing changed) is the message.
 *
 * <p>When the node has not answered for {@link #STALE_AFTER_MILLIS}, every row is grey and none may be
 * run: a playbook is not fired from a list that may be old.
 */
public final class PlaybooksViewModel {
    /** With no answer from the node this long, the list is stale. */
    public static final long STALE_AFTER_MILLIS = 10_000;

    /**
     * One playbook as a row: immutable, replaced on every answer.
     *
     * @param number   its place in the list, 1 for the first: Ctrl+Shift+number runs it
     * @param runnable whether this console offers to run it now
     * @param retirable whether this console offers to retire it now (ready or rejected; a held one's request is rejected instead)
     */
    public record Row(int number, String id, String description, String actions, String state, String madeBy,
                      boolean runnable, boolean retirable, Status status, Playbook playbook) {
    }

    private final ConsoleSession session;
    private final ObservableBooleanValue mayChange;
    private final Background background;
    private final Runnable askAgain;
    private final ObservableList<Row> rows = FXCollections.observableArrayList();
    private final ObservableList<Row> rowsShown = FXCollections.unmodifiableObservableList(rows);
    private final ReadOnlyStringWrapper summary = new ReadOnlyStringWrapper(this, "summary", "playbooks: asking the node…");
    private final ReadOnlyStringWrapper problem = new ReadOnlyStringWrapper(this, "problem", "");
    private final Outcome message = new Outcome();
    private final ReadOnlyBooleanWrapper running = new ReadOnlyBooleanWrapper(this, "running", false);
    private final ReadOnlyBooleanWrapper answered = new ReadOnlyBooleanWrapper(this, "answered", false);
    private List<Playbook> listed = List.of();
    private final Heard heard = new Heard(STALE_AFTER_MILLIS);
    /** How times are shown: the wall clock on a live node, the show's clock in a rehearsal. */
    private ShowClock times = new ShowClock();

    /**
     * @param mayChange whether the person behind the console may change the show (an operator or above)
     * @param askAgain  asks the node for the list again now (after a run from this console)
     */
    public PlaybooksViewModel(ConsoleSession session, ObservableBooleanValue mayChange, Background background, Runnable askAgain) {
        this.session = session;
        this.mayChange = mayChange;
        this.background = background;
        this.askAgain = askAgain;
    }

    /** Shows times by {@code clock}: the console's, which the frame ticker feeds. FX thread. */
    public void showTimesBy(ShowClock clock) {
        times = clock;
    }

    /** The node listed these playbooks at {@code now}. FX thread. */
    public void answered(List<Playbook> playbooks, long now) {
        heard.answered(now);
        answered.set(true);
        problem.set("");
        listed = List.copyOf(playbooks);
        show();
    }

    /** The node could not be asked ({@code why}). FX thread. */
    public void failed(String why, long now) {
        problem.set("Could not read the playbooks: " + why);
        refresh(now);
    }

    /** A tick without an answer: the rows go grey once the last answer is too old. FX thread. */
    public void refresh(long now) {
        heard.at(now);
        show();
    }

    private void show() {
        boolean stale = heard.stale();
        boolean offer = !stale && mayChange.get() && !running.get();
        List<Row> next = new ArrayList<>();
        for (int i = 0; i < listed.size(); i++) {
            Playbook p = listed.get(i);
            boolean ready = p.state() == Playbook.State.READY;
            Status status = stale ? Status.STALE : switch (p.state()) {
                case READY -> Status.OK;
                case HELD -> Status.WARN;
                case REJECTED, RETIRED -> Status.STALE;
            };
            boolean retirable = p.state() == Playbook.State.READY || p.state() == Playbook.State.REJECTED;
            next.add(new Row(i + 1, p.id(), p.description(), actions(p), state(p), madeBy(p), offer && ready, offer && retirable, status, p));
        }
        if (!next.equals(rows)) {
            rows.setAll(next);
        }
        long ready = listed.stream().filter(p -> p.state() == Playbook.State.READY).count();
        if (stale) {
            summary.set("playbooks: " + heard.silence() + (listed.isEmpty() ? "" : "; none offered"));
        } else if (listed.isEmpty()) {
            summary.set("playbooks: the node has none");
        } else {
            summary.set("playbooks: " + ready + " ready of " + listed.size());
        }
    }

    /** Every action on its own line, as the node's audit entry will list the changes. */
    static String actions(Playbook p) {
        return String.join("\n", p.actions().stream().map(a -> io.edgedeck.console.common.PopIds.inText(a.describe(),
                io.edgedeck.console.common.PopIds.named(a.pops(), a.scope()))).toList());
    }

    /** "ready", "ready · runs itself when sentiment-guard fires", "held: request #3 waits for an approver". */
    static String state(Playbook p) {
        String auto = p.onGuardrail() == null ? "" : " · the node runs it when " + p.onGuardrail() + " fires";
        return switch (p.state()) {
            case READY -> "ready" + auto;
            case HELD -> "held: request #" + p.requestId() + " waits for an approver" + auto;
            case REJECTED -> "rejected: request #" + p.requestId() + "; not runnable";
            case RETIRED -> "retired; not runnable";
        };
    }

    static String madeBy(Playbook p) {
        return Playbook.CONFIG.equals(p.createdBy()) ? "the show's own" : p.createdBy() + (p.reason() == null || p.reason().isBlank()
                ? "" : ": " + p.reason());
    }

    /** The row numbered {@code number} (1 for the first), if it may be run now. */
    public Optional<Row> runnable(int number) {
        return rows.stream().filter(r -> r.number() == number && r.runnable()).findFirst();
    }

    /** Why the row numbered {@code number} is not offered: for the message when a shortcut asks for it. */
    public String whyNot(int number) {
        if (heard.stale()) {
            return "Not offered: " + summary.get();
        }
        if (!mayChange.get()) {
            return "Not offered: this token may not change the show";
        }
        if (running.get()) {
            return "Not offered: a change to the playbooks is on its way to the node; wait for its outcome";
        }
        return rows.stream().filter(r -> r.number() == number).findFirst()
                .map(r -> "Not offered: playbook " + r.id() + " is " + r.state())
                .orElse("Not offered: the node lists no playbook " + number);
    }

    /** The hold-to-confirm question before a run: every change it makes, spelled out. */
    public Prompter.Ask runQuestion(Row row) {
        return new Prompter.Ask("Run playbook " + row.id() + "?",
                (row.description().isBlank() ? "" : row.description() + ".\n") + "It makes every change below at once, or none:\n  · "
                        + row.actions().replace("\n", "\n  · ") + "\nThe node audits the run as one entry. This is the LIVE show.",
                "Hold to run " + row.id(), "playbook " + row.id() + " run by hand", true);
    }

    /** Runs {@code row}'s playbook on the node; the outcome becomes the message. FX thread. */
    public void run(Row row, String reason) {
        // The node says what it changed in its words; the PoPs its actions name are written in capitals, as in the row.
        List<String> pops = row.playbook().actions().stream()
                .flatMap(a -> io.edgedeck.console.common.PopIds.named(a.pops(), a.scope()).stream()).toList();
        send("Running " + row.id() + "…", session.connection().runPlaybook(row.id(), reason),
                run -> io.edgedeck.console.common.PopIds.inText(outcome(run, times), pops),
                why -> "Not run: " + why + (why.endsWith("nothing changed") ? "" : "; nothing changed"));
    }

    /**
     * Sends one change to the node, offering nothing else until it answered; the answer (or why it
     * failed) becomes the message, and the list is asked for again. FX thread.
     */
    private <T> void send(String underWay, CompletableFuture<T> call, Function<T, String> done, UnaryOperator<String> failed) {
        running.set(true);
        message.say(underWay);
        show();
        background.follow(call)
                .onSuccess(answer -> message.done(done.apply(answer)))
                .onFailure(failure -> message.failed(failed.apply(failure.message())))
                .andFinally(() -> {
                    running.set(false);
                    show();
                    askAgain.run();
                }).start();
    }

    /** The question before a playbook is retired: for good, and what becomes of it. */
    public Prompter.Ask retireQuestion(Row row) {
        return new Prompter.Ask("Retire playbook " + row.id() + "?", "It stays listed, retired, and is never run again: not by a"
                + " person, a schedule" + (row.playbook().onGuardrail() == null ? "" : " or guardrail " + row.playbook().onGuardrail())
                + ". Its id stays taken; make a new playbook to replace it. The node audits the retirement.",
                "Retire " + row.id(), "no longer wanted for this show", false);
    }

    /** Retires {@code row}'s playbook on the node; the outcome becomes the message. FX thread. */
    public void retire(Row row, String reason) {
        send("Retiring " + row.id() + "…", session.connection().retirePlaybook(row.id(), reason),
                p -> "Retired " + p.id() + ": it stays listed and never runs again", why -> "Not retired: " + why);
    }

    /** "Ran stop-the-bleed at 05:12 as alice, audited as one entry: roll back …; arm …", or that nothing needed changing. */
    static String outcome(PlaybookRun run, ShowClock times) {
        if (run.changes().isEmpty()) {
            return "Ran " + run.playbook() + " at " + times.format(run.atMillis()) + " as " + run.actor()
                    + ": everything was already so; nothing changed (the run is audited)";
        }
        return "Ran " + run.playbook() + " at " + times.format(run.atMillis()) + " as " + run.actor() + ", audited as one entry: "
                + String.join("; ", run.changes());
    }

    // ------------------------------------------------------------------ properties

    public ObservableList<Row> rows() {
        return rowsShown;
    }

    /** One line: "playbooks: 2 ready of 3". */
    public ReadOnlyStringProperty summaryProperty() {
        return summary.getReadOnlyProperty();
    }

    /** Why the list could not be read, or empty. */
    public ReadOnlyStringProperty problemProperty() {
        return problem.getReadOnlyProperty();
    }

    /** The outcome of the last run from this console. */
    public ReadOnlyStringProperty messageProperty() {
        return message.textProperty();
    }

    /** Whether the last run worked: the message's colour. */
    public ReadOnlyObjectProperty<Status> messageStatusProperty() {
        return message.statusProperty();
    }

    /** True once the node has listed its playbooks: until then an empty list says nothing of what it keeps. */
    public ReadOnlyBooleanProperty answeredProperty() {
        return answered.getReadOnlyProperty();
    }

    /** True while a run from this console waits for the node's answer. */
    public ReadOnlyBooleanProperty runningProperty() {
        return running.getReadOnlyProperty();
    }

    /** Shows a sentence as the message (a shortcut that found nothing to run says why). FX thread. */
    public void say(String text) {
        message.say(text);
    }
}
