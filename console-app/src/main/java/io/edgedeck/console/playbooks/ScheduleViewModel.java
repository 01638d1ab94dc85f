package io.edgedeck.console.playbooks;

import io.edgedeck.console.common.Outcome;
import javafx.beans.property.ReadOnlyObjectProperty;
import io.edgedeck.client.model.CueFired;
import io.edgedeck.client.model.ScheduledChange;
import io.edgedeck.console.common.Background;
import io.edgedeck.console.common.Heard;
import io.edgedeck.console.common.Prompter;
import io.edgedeck.console.common.Status;
import io.edgedeck.console.connection.ConsoleSession;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.value.ObservableBooleanValue;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * A node's scheduled changes ahead of their moment: each pending one with what it will change and
 * when (a named show cue, or a time on the wall clock), cancellable; the named cues they wait for,
 * each fired from here with a hold to confirm; and the changes that ended lately, greyed. Fed on the FX
 * thread with the newest answer of {@code GET /api/v1/schedule}; a cancel or a cue goes to the node off
 * the FX thread, and the node audits it.
 *
 * <p>On a fleet node, a pending change whose control record the fleet's Kafka never confirmed (the node's
 * {@code unconfirmed}, docs/FLEET.md) is red and said in a line of its own: for how long, Kafka's last words, and
 * what to do; Retry… asks for a reason and tries it again on the node, audited as {@code schedule.retry}. Only such a
 * change is offered a retry: the node answers every other one, and any change on a node in no fleet, 409. While it is
 * not offered (this console's retry is out, the node has not answered lately, a viewer), Retry… is disabled, saying why.
 *
 * <p>When the node has not answered for {@link #STALE_AFTER_MILLIS}, every row is grey and nothing is
 * offered: a change that may already have fired is not cancelled from here, nor a cue fired for it.
 */
public final class ScheduleViewModel {
    /** With no answer from the node this long, the list is stale. */
    public static final long STALE_AFTER_MILLIS = 10_000;
    /** How many ended (fired, failed, cancelled) changes stay listed under the pending ones. */
    static final int ENDED_SHOWN = 5;
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss z", Locale.ROOT);

    /**
     * One scheduled change as a row: immutable, replaced on every answer.
     *
     * @param cancellable whether this console offers to cancel it now
     */
    public record Row(long id, String when, String what, String who, String state, boolean cancellable, Status status,
                      ScheduledChange change) {
    }

    /**
     * A pending change not confirmed, as its own line: "#2 kill offer-banner (cue drop): not confirmed for 4 min 10 s ...".
     *
     * @param retryable whether this console offers to retry it now
     * @param sending   whether this console's retry of it is out, unanswered: Retry… waits for its answer
     * @param held      why Retry… is not offered now (this console's retry is out; the node has not answered lately; the
     *                  person behind the console may not change the show), said where the disabled button is; null while it
     *                  is offered
     */
    public record Unconfirmed(long id, String text, boolean retryable, boolean sending, Status status, ScheduledChange change,
                              String held) {
    }

    /**
     * A pending change as the Timeline shows it ahead of time.
     *
     * @param inSeconds how far ahead its time is by this machine's clock, or -1 when it waits for a cue
     * @param label     what it will do: "21:20:00 UTC kill offer-banner", "on cue drop: playbook ramp-at-drop"
     */
    public record Upcoming(long inSeconds, String label) {
    }

    private final ConsoleSession session;
    private final ObservableBooleanValue mayChange;
    private final Background background;
    private final Runnable askAgain;
    private final ZoneId zone;
    private final Heard heard = new Heard(STALE_AFTER_MILLIS);
    private final ObservableList<Row> rows = FXCollections.observableArrayList();
    // One wrapper, kept: a listener on a wrapper made per call would be dropped with the wrapper.
    private final ObservableList<Row> rowsShown = FXCollections.unmodifiableObservableList(rows);
    private final ObservableList<String> cues = FXCollections.observableArrayList();
    // One wrapper, kept: a listener on a wrapper made per call would be dropped with the wrapper.
    private final ObservableList<String> cuesShown = FXCollections.unmodifiableObservableList(cues);
    private final ObservableList<Unconfirmed> unconfirmed = FXCollections.observableArrayList();
    // One wrapper, kept: a listener on a wrapper made per call would be dropped with the wrapper.
    private final ObservableList<Unconfirmed> unconfirmedShown = FXCollections.unmodifiableObservableList(unconfirmed);
    private final ObservableList<Upcoming> upcoming = FXCollections.observableArrayList();
    // One wrapper, kept: a listener on a wrapper made per call would be dropped with the wrapper.
    private final ObservableList<Upcoming> upcomingShown = FXCollections.unmodifiableObservableList(upcoming);
    private final ReadOnlyStringWrapper summary = new ReadOnlyStringWrapper(this, "summary", "scheduled changes: asking the node…");
    private final ReadOnlyStringWrapper problem = new ReadOnlyStringWrapper(this, "problem", "");
    private final Outcome message = new Outcome();
    private List<ScheduledChange> listed = List.of();
    private long nowEpochMillis;
    /** When the node last answered (this machine's clock). */
    private long answeredEpochMillis;
    /** The changes whose retry this console sent and has no answer for yet. */
    private final Set<Long> retrying = new HashSet<>();

    /**
     * @param mayChange whether the person behind the console may change the show (an operator or above)
     * @param askAgain  asks the node for the list again now (after a step this console took)
     * @param zone      the zone the wall-clock times are shown in
     */
    public ScheduleViewModel(ConsoleSession session, ObservableBooleanValue mayChange, Background background, Runnable askAgain,
                             ZoneId zone) {
        this.session = session;
        this.mayChange = mayChange;
        this.background = background;
        this.askAgain = askAgain;
        this.zone = zone;
    }

    /** The node listed these at {@code nowEpochMillis} (this machine's clock). FX thread. */
    public void answered(List<ScheduledChange> changes, long nowEpochMillis) {
        heard.answered(nowEpochMillis);
        answeredEpochMillis = nowEpochMillis;
        problem.set("");
        listed = List.copyOf(changes);
        refresh(nowEpochMillis);
    }

    /** The node could not be asked ({@code why}). FX thread. */
    public void failed(String why, long nowEpochMillis) {
        problem.set("Could not read the scheduled changes: " + why);
        refresh(nowEpochMillis);
    }

    /** A tick: times to go move on, and the rows go grey once the last answer is too old. FX thread. */
    public void refresh(long nowEpochMillis) {
        this.nowEpochMillis = nowEpochMillis;
        heard.at(nowEpochMillis);
        boolean stale = heard.stale();
        boolean offer = !stale && mayChange.get();
        List<ScheduledChange> pending = listed.stream().filter(c -> c.state() == ScheduledChange.State.PENDING)
                .sorted(Comparator.comparing((ScheduledChange c) -> c.cue() != null)
                        // By when it fires: the node keeps a time as it was given, with any offset, so its text is no order.
                        .thenComparing(c -> instant(c).orElse(Instant.MIN))
                        .thenComparingLong(ScheduledChange::id)).toList();
        List<ScheduledChange> ended = listed.stream().filter(c -> c.state() != ScheduledChange.State.PENDING)
                .sorted(Comparator.comparingLong(ScheduledChange::id).reversed()).limit(ENDED_SHOWN).toList();
        List<Row> next = new ArrayList<>();
        List<Unconfirmed> notConfirmed = new ArrayList<>();
        for (ScheduledChange c : pending) {
            if (c.unconfirmed() != null) {
                // The column is narrow: its line above says since when, and why.
                next.add(new Row(c.id(), when(c), what(c), who(c), "not confirmed", offer, stale ? Status.STALE : Status.BAD, c));
                boolean sending = retrying.contains(c.id());
                notConfirmed.add(new Unconfirmed(c.id(), unconfirmedLine(c, stale), offer, sending,
                        stale ? Status.STALE : Status.BAD, c, held(c, sending, stale)));
            } else {
                next.add(new Row(c.id(), when(c), what(c), who(c), "pending", offer, stale ? Status.STALE : Status.WARN, c));
            }
        }
        setIfChanged(unconfirmed, notConfirmed);
        for (ScheduledChange c : ended) {
            next.add(new Row(c.id(), when(c), what(c), who(c), ended(c), false,
                    stale || c.state() != ScheduledChange.State.FAILED ? Status.STALE : Status.BAD, c));
        }
        setIfChanged(rows, next);
        LinkedHashSet<String> waiting = new LinkedHashSet<>();
        listed.stream().filter(c -> c.state() == ScheduledChange.State.PENDING && c.cue() != null)
                .sorted(Comparator.comparingLong(ScheduledChange::id)).forEach(c -> waiting.add(c.cue()));
        setIfChanged(cues, offer ? List.copyOf(waiting) : List.of());
        setIfChanged(upcoming, stale ? List.of() : pending.stream().map(this::upcoming).toList());
        if (stale) {
            summary.set("scheduled changes: " + heard.silence() + (listed.isEmpty() ? "" : "; nothing offered"));
        } else if (pending.isEmpty()) {
            summary.set("scheduled changes: none pending");
        } else {
            summary.set("scheduled changes: " + pending.size() + " pending · next: " + when(pending.getFirst()));
        }
    }

    private static <T> void setIfChanged(ObservableList<T> list, List<T> next) {
        if (!list.equals(next)) {
            list.setAll(next);
        }
    }

    /** "cue drop", or "21:20:00 UTC · in 4 min 10 s" by this machine's clock. */
    String when(ScheduledChange c) {
        if (c.cue() != null) {
            return "cue " + c.cue();
        }
        Optional<Instant> at = instant(c);
        if (at.isEmpty()) {
            return c.at();
        }
        String clock = CLOCK.format(at.get().atZone(zone));
        if (c.state() != ScheduledChange.State.PENDING) {
            return clock;
        }
        long in = at.get().toEpochMilli() - nowEpochMillis;
        return clock + " · " + (in <= 0 ? "due now" : "in " + duration(in));
    }

    private static Optional<Instant> instant(ScheduledChange c) {
        try {
            return c.at() == null ? Optional.empty() : Optional.of(Instant.parse(c.at()));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    /**
     * The line of a change not confirmed: since when (counted on while the node answers; while it does not, the time and
     * when the node said it, which do not move), the node's words, and, fresh, what the node says of it (the node's
     * {@code detail}) and who can act on it here.
     */
    private String unconfirmedLine(ScheduledChange c, boolean stale) {
        ScheduledChange.Unconfirmed u = c.unconfirmed();
        String since = CLOCK.format(Instant.ofEpochMilli(u.sinceEpochMillis()).atZone(zone));
        String head = "#" + c.id() + " " + what(c) + " (" + when(c) + "): ";
        if (stale) {
            return head + "not confirmed since " + since + ", as the node said at "
                    + CLOCK.format(Instant.ofEpochMilli(answeredEpochMillis).atZone(zone)) + ". The node said: " + u.last();
        }
        String detail = u.detail() == null || u.detail().isBlank() ? ""
                : ". " + Character.toUpperCase(u.detail().charAt(0)) + u.detail().substring(1);
        return head + "not confirmed for " + duration(Math.max(0, nowEpochMillis - u.sinceEpochMillis())) + " (since " + since
                + "). The node says: " + u.last() + detail + (mayChange.get() ? "" : " (an operator can retry or cancel it)");
    }

    /** Why Retry… of {@code c} is not offered now, or null while it is. */
    private String held(ScheduledChange c, boolean sending, boolean stale) {
        if (sending) {
            return "The retry of #" + c.id() + " is out: Retry… waits for the node's answer";
        }
        if (stale) {
            return "The node has not answered since " + CLOCK.format(Instant.ofEpochMilli(answeredEpochMillis).atZone(zone))
                    + ": Retry… waits until it answers and this line is current again";
        }
        if (!mayChange.get()) {
            return "Retrying is for an operator or above: this console may view the show, not change it";
        }
        return null;
    }

    /** "45 s", "4 min 10 s", "2 h 05 min". */
    static String duration(long millis) {
        long s = (millis + 999) / 1000;
        if (s < 60) {
            return s + " s";
        }
        if (s < 3600) {
            return s / 60 + " min " + String.format(Locale.ROOT, "%02d s", s % 60);
        }
        return s / 3600 + " h " + String.format(Locale.ROOT, "%02d min", s % 3600 / 60);
    }

    private static String who(ScheduledChange c) {
        return c.createdBy() + (c.reason() == null || c.reason().isBlank() ? "" : ": " + c.reason());
    }

    /** "fired: kill offer-banner", "failed: ...", "cancelled by bob: not tonight". */
    private static String ended(ScheduledChange c) {
        String outcome = c.outcome() == null || c.outcome().isBlank() ? "" : ": " + io.edgedeck.console.common.PopIds.inText(c.outcome(), pops(c));
        return switch (c.state()) {
            case FIRED -> "fired" + outcome;
            case FAILED -> "failed" + outcome;
            case CANCELLED -> "cancelled by " + c.endedBy() + outcome;
            case PENDING -> "pending";
        };
    }

    /** What a change will do, its PoPs in capitals as every tab writes them: "roll back checkout-button/treatment at IAD". */
    static String what(ScheduledChange c) {
        return io.edgedeck.console.common.PopIds.inText(c.describe(), pops(c));
    }

    /** The PoPs a change's action names, where it rolls back or the PoP it is scoped to; none for a playbook's. */
    private static List<String> pops(ScheduledChange c) {
        return c.action() == null ? List.of() : io.edgedeck.console.common.PopIds.named(c.action().pops(), c.action().scope());
    }

    private Upcoming upcoming(ScheduledChange c) {
        if (c.cue() != null) {
            return new Upcoming(-1, "on cue " + c.cue() + ": " + what(c));
        }
        long in = instant(c).map(i -> Math.max(0, (i.toEpochMilli() - nowEpochMillis + 999) / 1000)).orElse(0L);
        return new Upcoming(in, instant(c).map(i -> CLOCK.format(i.atZone(zone)) + " ").orElse("") + what(c));
    }

    // ------------------------------------------------------------------ questions and commands

    public Prompter.Ask cancelQuestion(Row row) {
        return new Prompter.Ask("Cancel scheduled change #" + row.id() + "?", "It would " + row.what() + " at " + row.when()
                + " (" + row.who() + "). Cancelled, it never fires; the node audits the cancel.", "Cancel #" + row.id(),
                "no longer needed", false);
    }

    /** Cancels the pending change on the node. FX thread. */
    public void cancel(Row row, String reason) {
        background.follow(session.connection().cancelScheduled(row.id(), reason))
                .onSuccess(c -> message.done("Cancelled #" + c.id() + ": " + what(c) + " will not happen"))
                .onFailure(failure -> message.failed("Not cancelled: " + failure.message()))
                .andFinally(askAgain).start();
    }

    public Prompter.Ask retryQuestion(Unconfirmed u) {
        ScheduledChange c = u.change();
        return new Prompter.Ask("Retry scheduled change #" + u.id() + "?", "It would " + what(c) + " (" + when(c) + "), on every"
                + " node of the fleet. Its control record was not confirmed: " + c.unconfirmed().last() + ".\nThe node tries it"
                + " again for its cue window from now, and audits the retry; the schedule then says whether it fired.\nIt may have"
                + " fired already though it is listed (its record written before the node's upgrade, or by another node for a cue"
                + " fired on that node alone): if what"
                + " it changes was changed since, a retry changes it again.",
                "Retry #" + u.id(), "checked the fleet's nodes: not applied", false);
    }

    /**
     * Tries the change not confirmed again on the node, unless the line no longer offers it (the list went stale, or a
     * retry of it is out, while the question was open); what the node said becomes the message. FX thread.
     */
    public void retry(Unconfirmed u, String reason) {
        long id = u.id();
        boolean offered = unconfirmed.stream().anyMatch(now -> now.id() == id && now.retryable() && !now.sending());
        if (!offered) {
            message.failed("Retry of #" + id + " not sent: " + (heard.stale() ? "the node has not answered lately, and it may have"
                    + " changed since; try again once the list is current" : "it is not offered now"));
            return;
        }
        retrying.add(id);
        refresh(nowEpochMillis);
        background.follow(session.connection().retryScheduled(id, reason))
                .onSuccess(c -> message.done("Retry of #" + id + " taken: the node tries " + what(c) + " again; the schedule"
                        + " says when it fires"))
                .onFailure(failure -> {
                    if (mayHaveBeenTaken(failure.cause())) {
                        message.partly("Retry of #" + id + " may or may not have been taken: " + failure.message());
                    } else {
                        message.failed("Retry of #" + id + " not taken: " + failure.message());
                    }
                })
                .andFinally(() -> {
                    retrying.remove(id);
                    refresh(nowEpochMillis);
                    askAgain.run();
                }).start();
    }

    /**
     * Whether a call that failed may still have been taken by the node: it was sent and no answer came (a timeout, an
     * answer cut off), or the node answered with a server error (5xx: it may have made the change before failing). Not
     * taken: never sent (not connected, the connection refused), or turned away with a 4xx in the node's words.
     */
    static boolean mayHaveBeenTaken(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof io.edgedeck.client.EdgeException e) {
                if (e.status() >= 500) {
                    return true;
                }
                if (e.status() != 0 || !e.sent()) {
                    return false;
                }
                return e.kind() == io.edgedeck.client.EdgeException.Kind.UNREACHABLE
                        || e.kind() == io.edgedeck.client.EdgeException.Kind.BAD_DATA;
            }
        }
        return true;
    }

    /** The hold-to-confirm question before a named cue fires: every change waiting for it. */
    public Prompter.Ask fireCueQuestion(String cue) {
        List<String> waiting = listed.stream().filter(c -> c.state() == ScheduledChange.State.PENDING && cue.equals(c.cue()))
                .map(c -> "#" + c.id() + " " + what(c) + " (" + who(c) + ")").toList();
        return new Prompter.Ask("Fire cue " + cue + "?", "Every change waiting for it fires now, in one write the node audits:\n  · "
                + String.join("\n  · ", waiting) + "\nThis is the LIVE show.", "Hold to fire " + cue, "the " + cue + " is live", true);
    }

    /** Fires the named cue on the node; what it fired becomes the message. FX thread. */
    public void fireCue(String cue, String reason) {
        background.follow(session.connection().fireShowCue(cue, reason))
                .onSuccess(fired -> {
                    // a change the cue fired may have failed on the node: the cue worked, that change did not
                    if (fired.fired().stream().anyMatch(c -> c.state() == ScheduledChange.State.FAILED)) {
                        message.partly(outcome(fired));
                    } else {
                        message.done(outcome(fired));
                    }
                })
                .onFailure(failure -> message.failed("Cue " + cue + " not fired: " + failure.message()))
                .andFinally(askAgain).start();
    }

    /** "Cue drop fired: #1 fired: kill offer-banner; #2 failed: ...". */
    static String outcome(CueFired fired) {
        if (fired.fired().isEmpty()) {
            return "Cue " + fired.cue() + " fired: nothing waited for it";
        }
        return "Cue " + fired.cue() + " fired: " + String.join("; ", fired.fired().stream()
                .map(c -> "#" + c.id() + " " + c.state().id() + (c.outcome() == null ? ""
                        : ": " + io.edgedeck.console.common.PopIds.inText(c.outcome(), pops(c)))).toList());
    }

    /** The cue the oldest pending change waits for, when one may be fired from here now. */
    public Optional<String> nextCue() {
        return cues.stream().findFirst();
    }

    /** Shows a sentence as the message (a shortcut that found no cue to fire says why). FX thread. */
    public void say(String text) {
        message.say(text);
    }

    // ------------------------------------------------------------------ properties

    /** Pending changes first (wall-clock ones soonest first, then those on a cue), then the newest ended ones. */
    public ObservableList<Row> rows() {
        return rowsShown;
    }

    /** The named cues pending changes wait for, oldest first; empty when nothing may be fired from here. */
    public ObservableList<String> cues() {
        return cuesShown;
    }

    /** The pending changes whose control record was not confirmed, each as its own line; listed while stale, greyed. */
    public ObservableList<Unconfirmed> unconfirmed() {
        return unconfirmedShown;
    }

    /** The pending changes for the Timeline; empty while the list is stale. */
    public ObservableList<Upcoming> upcoming() {
        return upcomingShown;
    }

    public ReadOnlyStringProperty summaryProperty() {
        return summary.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty problemProperty() {
        return problem.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty messageProperty() {
        return message.textProperty();
    }

    /** Whether the last step worked: the message's colour. */
    public ReadOnlyObjectProperty<Status> messageStatusProperty() {
        return message.statusProperty();
    }
}
