package io.edgedeck.client.http;

import io.edgedeck.client.model.CueFired;
import io.edgedeck.client.model.NewPlaybook;
import io.edgedeck.client.model.NewScheduledChange;
import io.edgedeck.client.model.OperatorAction;
import io.edgedeck.client.model.Playbook;
import io.edgedeck.client.model.PlaybookRun;
import io.edgedeck.client.model.ScheduledChange;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A node's playbooks, scheduled changes and named cues (docs/API.md, "Playbooks" and "Scheduled
 * changes"), through the connection's control calls: the same token, status, idempotency keys and
 * errors. A playbook the approval lanes hold back fails {@link #create} with
 * {@link io.edgedeck.client.EdgeException.Kind#HELD}, naming its change request.
 *
 * <p>Threads: futures complete on OkHttp's dispatcher threads; nothing here blocks the caller.
 */
public final class PlaybookClient {
    private final ControlClient control;

    PlaybookClient(ControlClient control) {
        this.control = control;
    }

    /** Every playbook, the show's declared ones first, with its state ({@code GET /api/v1/playbooks}). */
    public CompletableFuture<List<Playbook>> playbooks() {
        return control.get(control.list(Playbook.class), "playbooks");
    }

    /** Makes a playbook; HELD when an action is risky by the approval lanes. */
    public CompletableFuture<Playbook> create(NewPlaybook playbook) {
        return control.send("POST", new String[] {"playbooks"}, playbook, control.type(Playbook.class));
    }

    /** Runs a ready playbook: every action or none, audited as one entry. */
    public CompletableFuture<PlaybookRun> run(String id, String reason) {
        return control.send("POST", new String[] {"playbooks", id, "run"}, new OperatorAction(null, reason),
                control.type(PlaybookRun.class));
    }

    /**
     * Takes a playbook out of use: listed as retired, never run again. CONFLICT while it is held,
     * retired already, or a pending scheduled change waits to run it (named in the answer).
     */
    public CompletableFuture<Playbook> retire(String id, String reason) {
        return control.send("POST", new String[] {"playbooks", id, "retire"}, new OperatorAction(null, reason),
                control.type(Playbook.class));
    }

    /** Every scheduled change, oldest first: the pending ones are what the Timeline shows ahead. */
    public CompletableFuture<List<ScheduledChange>> schedule() {
        return control.get(control.list(ScheduledChange.class), "schedule");
    }

    /** Schedules a playbook or one change for a named cue or a wall-clock time. */
    public CompletableFuture<ScheduledChange> schedule(NewScheduledChange change) {
        return control.send("POST", new String[] {"schedule"}, change, control.type(ScheduledChange.class));
    }

    public CompletableFuture<ScheduledChange> cancel(long scheduledId, String reason) {
        return control.send("POST", new String[] {"schedule", Long.toString(scheduledId), "cancel"}, new OperatorAction(null, reason),
                control.type(ScheduledChange.class));
    }

    /**
     * Tries again a pending change whose control record the fleet's Kafka never confirmed (it carries
     * {@link ScheduledChange#unconfirmed()}), audited as {@code schedule.retry}. CONFLICT when it is not one (fired,
     * being tried already, on a node in no fleet), saying what it is doing.
     */
    public CompletableFuture<ScheduledChange> retry(long scheduledId, String reason) {
        return control.send("POST", new String[] {"schedule", Long.toString(scheduledId), "retry"}, new OperatorAction(null, reason),
                control.type(ScheduledChange.class));
    }

    /** Fires a named show cue ("drop"): every change scheduled for it fires. */
    public CompletableFuture<CueFired> fireCue(String name, String reason) {
        return control.send("POST", new String[] {"show", "cues", name}, new OperatorAction(null, reason), control.type(CueFired.class));
    }
}
