package io.edgedeck.console.approvals;

import io.edgedeck.console.common.Outcome;
import io.edgedeck.client.model.Caller;
import io.edgedeck.client.model.ChangeRequest;
import io.edgedeck.client.model.FlagChange;
import io.edgedeck.client.model.Role;
import io.edgedeck.client.model.VariantView;
import io.edgedeck.console.common.Background;
import io.edgedeck.console.common.Heard;
import io.edgedeck.console.common.Prompter;
import io.edgedeck.console.common.ShowClock;
import io.edgedeck.console.common.Status;
import io.edgedeck.console.connection.ConsoleSession;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.value.ObservableValue;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.util.Subscription;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The approval lanes as one person sees them: the node's change requests, open ones first, each with
 * who asked, what, when and why, and the steps this person's role allows on it (an approver approves or
 * rejects another's; the requester edits or withdraws their own; an operator applies an approved one).
 * Fed on the FX thread with the newest answer of {@code GET /api/v1/requests}; commands go to the edge
 * off the FX thread and ask for a fresh list once answered.
 *
 * <p>When the node has not answered for {@link #STALE_AFTER_MILLIS}, every row is grey and offers nothing:
 * a decision on a list that may be old is not offered.
 */
public final class RequestsViewModel {
    /** With no answer from the node this long, the list is stale. */
    public static final long STALE_AFTER_MILLIS = 10_000;
    /** How many decided (applied, rejected) requests stay listed under the open ones. */
    static final int DECIDED_SHOWN = 8;

    /** What a person may do to a request. */
    public enum Step {
        APPROVE, REJECT, EDIT, WITHDRAW, APPLY
    }

    /** One request as a row: immutable, replaced on every answer. */
    public record Row(long id, String state, String requester, String what, String when, String why, String risks,
                      List<Step> offers, Status status, ChangeRequest request) {
    }

    private final ConsoleSession session;
    private final ObservableValue<Caller> caller;
    private final Background background;
    private final Runnable askAgain;
    private final ObservableList<Row> rows = FXCollections.observableArrayList();
    private final ObservableList<ChangeRequest> requests = FXCollections.observableArrayList();
    private final ReadOnlyStringWrapper summary = new ReadOnlyStringWrapper(this, "summary", "requests: asking the node…");
    private final ReadOnlyObjectWrapper<Status> status = new ReadOnlyObjectWrapper<>(this, "status", Status.STALE);
    private final ReadOnlyStringWrapper problem = new ReadOnlyStringWrapper(this, "problem", "");
    private final Outcome message = new Outcome();
    private final Subscription onCaller;
    private final Heard heard = new Heard(STALE_AFTER_MILLIS);
    private boolean stale = true;
    /** How times are shown: the wall clock on a live node, the show's clock in a rehearsal. */
    private ShowClock times = new ShowClock();

    /**
     * @param caller   who the console acts as (the node's answer to {@code /me}); null until it has said
     * @param askAgain asks the node for the list again now (after a step this console took)
     */
    public RequestsViewModel(ConsoleSession session, ObservableValue<Caller> caller, Background background, Runnable askAgain) {
        this.session = session;
        this.caller = caller;
        this.background = background;
        this.askAgain = askAgain;
        this.onCaller = caller.subscribe(who -> show());
    }

    /** Shows times by {@code clock}: the console's, which the frame ticker feeds. FX thread. */
    public void showTimesBy(ShowClock clock) {
        times = clock;
        show();
    }

    /** The node listed these requests at {@code nowMillis}. FX thread. */
    public void answered(List<ChangeRequest> listed, long now) {
        heard.answered(now);
        stale = false;
        problem.set("");
        if (!listed.equals(requests)) {
            requests.setAll(listed);
        }
        show();
    }

    /** The node could not be asked ({@code why}). FX thread. */
    public void failed(String why, long now) {
        problem.set("Could not read the change requests: " + why);
        refresh(now);
    }

    /** A tick without an answer: the rows go grey once the last answer is too old. FX thread. */
    public void refresh(long now) {
        heard.at(now);
        boolean old = heard.stale();
        // While stale, every tick: the line says for how long, and must not stop at the second it went stale.
        if (old != stale || old) {
            stale = old;
            show();
        }
    }

    private void show() {
        Caller who = caller.getValue();
        List<ChangeRequest> open = requests.stream().filter(r -> r.state().open())
                .sorted(Comparator.comparingLong(ChangeRequest::id)).toList();
        List<ChangeRequest> decided = requests.stream().filter(r -> !r.state().open())
                .sorted(Comparator.comparingLong(ChangeRequest::id).reversed()).limit(DECIDED_SHOWN).toList();
        List<Row> next = new ArrayList<>();
        for (ChangeRequest r : open) {
            next.add(row(r, stale ? List.of() : offers(r, who), stale || r.stale() != null ? Status.STALE
                    : r.state() == ChangeRequest.State.PENDING ? Status.WARN : Status.OK));
        }
        for (ChangeRequest r : decided) {
            next.add(row(r, List.of(), Status.STALE));
        }
        if (!next.equals(rows)) {
            rows.setAll(next);
        }
        long waitingForMe = open.stream().filter(r -> offers(r, who).contains(Step.APPROVE)).count();
        long mineToApply = open.stream().filter(r -> offers(r, who).contains(Step.APPLY)).count();
        long superseded = open.stream().filter(r -> r.stale() != null).count();
        if (stale) {
            // Never answered, and the asking failed: the list could not be read, which is not "asking" and not "none".
            summary.set("requests: " + (heard.everAnswered() || problem.get().isEmpty() ? heard.silence() : "could not be read"));
            status.set(Status.STALE);
        } else if (open.isEmpty()) {
            summary.set("requests: none open");
            status.set(Status.OK);
        } else {
            summary.set("requests: " + open.size() + " open" + (waitingForMe > 0 ? " · " + waitingForMe + " waiting for your approval" : "")
                    + (mineToApply > 0 ? " · " + mineToApply + " approved, to apply" : "")
                    + (superseded > 0 ? " · " + superseded + " stale, to reject or withdraw" : ""));
            status.set(Status.WARN);
        }
    }

    private Row row(ChangeRequest r, List<Step> offers, Status status) {
        // The PoPs it names in capitals, as every tab writes them: "... scope=pop:FRA", "serve ... again at IAD".
        return new Row(r.id(), state(r), r.requester(), io.edgedeck.console.common.PopIds.inText(r.describe(),
                io.edgedeck.console.common.PopIds.named(r.pops(), r.change() == null ? null : r.change().scope())),
                times.format(r.openedAtMillis()),
                r.reason(), String.join("\n", r.risks()), List.copyOf(offers), status, r);
    }

    /**
     * "pending (revision 2)", "approved by bob: checked", "rejected by bob: not now", "applied by alice"; an open
     * request that can no longer apply, "stale (waiting for an approver): WHY" or "stale (approved by bob): WHY".
     */
    static String state(ChangeRequest r) {
        String revision = r.revision() > 1 ? " (revision " + r.revision() + ")" : "";
        String why = r.decisionReason() == null || r.decisionReason().isBlank() ? "" : ": " + r.decisionReason();
        return switch (r.state()) {
            case PENDING -> r.stale() != null ? "stale (waiting for an approver" + revision + "): " + r.stale()
                    : "waiting for an approver" + revision;
            case APPROVED -> r.stale() != null ? "stale (approved by " + r.decidedBy() + revision + "): " + r.stale()
                    : "approved by " + r.decidedBy() + why + revision;
            case REJECTED -> (r.requester().equals(r.decidedBy()) ? "withdrawn by " : "rejected by ") + r.decidedBy() + why;
            case APPLIED -> "applied by " + r.appliedBy();
        };
    }

    /**
     * The steps {@code who} may take on {@code r}, as the node allows them: an approver approves or
     * rejects another person's open request; the requester edits or withdraws their own; an operator
     * or above applies an approved one. A request the node says is stale (its apply could only be refused) is
     * neither approved nor applied: the node would refuse both.
     * Nothing for a viewer, for a decided request, or before the node has said who the token is.
     */
    public static List<Step> offers(ChangeRequest r, Caller who) {
        if (who == null || !who.role().mayChange() || !r.state().open()) {
            return List.of();
        }
        boolean mine = r.requester().equals(who.name());
        boolean approver = who.role().covers(Role.APPROVER);
        List<Step> steps = new ArrayList<>();
        if (r.state() == ChangeRequest.State.PENDING && r.stale() == null && !mine && approver) {
            steps.add(Step.APPROVE);
        }
        if (r.toApply()) {
            steps.add(Step.APPLY);
        }
        if (mine) {
            steps.add(Step.EDIT);
            steps.add(Step.WITHDRAW);
        } else if (approver) {
            steps.add(Step.REJECT);
        }
        return steps;
    }

    // ------------------------------------------------------------------ questions

    public Prompter.Ask approveQuestion(Row row) {
        return new Prompter.Ask("Approve request #" + row.id() + "?", row.requester() + " asks to " + row.what() + ": "
                + row.why() + ". Held because " + String.join("; ", row.request().risks()) + ". Once approved, "
                + row.requester() + " or another operator applies it. This is the LIVE show.", "Approve #" + row.id(),
                "approved for the show", false);
    }

    public Prompter.Ask rejectQuestion(Row row) {
        return new Prompter.Ask("Reject request #" + row.id() + "?", row.requester() + " asked to " + row.what() + ": "
                + row.why() + ". A rejected request is final: nothing changes, and " + row.requester()
                + " would ask again.", "Reject #" + row.id(), "", false);
    }

    public Prompter.Ask withdrawQuestion(Row row) {
        return new Prompter.Ask("Withdraw request #" + row.id() + "?", "Your request to " + row.what()
                + " is closed and nothing changes.", "Withdraw #" + row.id(), "no longer needed", false);
    }

    /** The reason-only edit of an unkill or disarm (a flag change's edit goes through the weights form first). */
    public Prompter.Ask editReasonQuestion(Row row) {
        return new Prompter.Ask("Edit request #" + row.id() + "?", "A new revision of your request to " + row.what()
                + (row.request().decidedBy() != null ? "; " + row.request().decidedBy() + "'s approval becomes void" : "")
                + ". It waits for an approver again.", "Save revision", row.why(), false);
    }

    public Prompter.Ask editWeightsQuestion(Row row, List<VariantView> weights) {
        return new Prompter.Ask("Edit request #" + row.id() + "?", "From " + row.what() + " to " + describe(weights)
                + (row.request().decidedBy() != null ? "; " + row.request().decidedBy() + "'s approval becomes void" : "")
                + ". It waits for an approver again.", "Save revision", row.why(), false);
    }

    /**
     * What the row's request does, its numbers first: "control=30.0% treatment=70.0% for checkout-button", so the
     * weights an approver approves are read before anything else; other requests as they describe themselves.
     */
    public static String numbersFirst(Row row) {
        ChangeRequest r = row.request();
        if (r == null || !ChangeRequest.FLAG_CHANGE.equals(r.operation()) || r.change() == null || r.change().variants() == null) {
            return row.what();
        }
        return describe(r.change().variants()) + " for " + r.target() + (r.change().scope() == null ? "" : " scope=" + r.change().scope());
    }

    private static String describe(List<VariantView> weights) {
        return String.join(" ", weights.stream().map(v -> v.name() + "=" + v.weight() / 100.0 + "%").toList());
    }

    // ------------------------------------------------------------------ commands

    /** Approves the revision this row shows, and no other: an edit since makes the node refuse it. */
    public void approve(Row row, String reason) {
        follow(session.connection().approveRequest(row.id(), row.request().revision(), reason), "Approved request #" + row.id() + ": " + row.requester()
                + " or another operator may apply it now");
    }

    public void reject(Row row, String reason) {
        follow(session.connection().rejectRequest(row.id(), row.request().revision(), reason), "Rejected request #" + row.id() + ": nothing changed");
    }

    public void withdraw(Row row, String reason) {
        follow(session.connection().rejectRequest(row.id(), row.request().revision(), reason), "Withdrew request #" + row.id() + ": nothing changed");
    }

    /** Applies the approved request; the apply carries no reason of its own, the request's goes into the audit. */
    public void apply(Row row) {
        follow(session.connection().applyRequest(row.id()), "Applied request #" + row.id() + ": " + row.what());
    }

    public void editWeights(Row row, List<VariantView> weights, String reason) {
        FlagChange was = row.request().change();
        FlagChange next = new FlagChange(was.expectedVersion(), weights, was.scope(), null, reason);
        follow(session.connection().editRequest(row.id(), next), "Request #" + row.id() + " edited: it waits for an approver again");
    }

    public void editReason(Row row, String reason) {
        follow(session.connection().editRequest(row.id(), reason), "Request #" + row.id() + " edited: it waits for an approver again");
    }

    private void follow(java.util.concurrent.CompletableFuture<ChangeRequest> call, String done) {
        background.follow(call).onSuccess(r -> message.done(done))
                .onFailure(failure -> message.failed("Not done: " + failure.message()))
                .andFinally(askAgain).start();
    }

    // ------------------------------------------------------------------ properties

    /** Open requests first (oldest first), then the newest decided ones. */
    public ObservableList<Row> rows() {
        return FXCollections.unmodifiableObservableList(rows);
    }

    /** Every request the node listed, as it listed them: the flags tab shows a held change from these. */
    public ObservableList<ChangeRequest> requests() {
        return FXCollections.unmodifiableObservableList(requests);
    }

    /** One line for the status bar: "requests: 2 open · 1 waiting for your approval". */
    public ReadOnlyStringProperty summaryProperty() {
        return summary.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<Status> statusProperty() {
        return status.getReadOnlyProperty();
    }

    /** Why the list could not be read, or empty. */
    public ReadOnlyStringProperty problemProperty() {
        return problem.getReadOnlyProperty();
    }

    /** The outcome of the last step this console took. */
    public ReadOnlyStringProperty messageProperty() {
        return message.textProperty();
    }

    /** Whether the last step worked: the message's colour. */
    public ReadOnlyObjectProperty<Status> messageStatusProperty() {
        return message.statusProperty();
    }

    /** Stops following who the console acts as. FX thread. */
    public void dispose() {
        onCaller.unsubscribe();
    }
}
