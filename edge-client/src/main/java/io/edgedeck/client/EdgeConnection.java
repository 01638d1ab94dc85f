package io.edgedeck.client;

import io.edgedeck.client.model.AuditEntry;
import io.edgedeck.client.model.AuditFilter;
import io.edgedeck.client.model.ChangeRequest;
import io.edgedeck.client.model.Caller;
import io.edgedeck.client.model.CueFired;
import io.edgedeck.client.model.CueRequest;
import io.edgedeck.client.model.FlagChange;
import io.edgedeck.client.model.FlagRestore;
import io.edgedeck.client.model.FlagVersion;
import io.edgedeck.client.model.FlagView;
import io.edgedeck.client.model.FleetCueFired;
import io.edgedeck.client.model.GuardrailFiring;
import io.edgedeck.client.model.GuardrailStatus;
import io.edgedeck.client.model.MetricsFrame;
import io.edgedeck.client.model.Playbook;
import io.edgedeck.client.model.PlaybookRun;
import io.edgedeck.client.model.ScheduledChange;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * Everything the console knows of and does to an edge: in rehearsal the in-process engine, live
 * an edge node over HTTP. Implementations are thread-safe.
 *
 * <p>Actions return futures that complete on the connection's own threads, never on the FX
 * thread; a failure completes them with an {@link EdgeException}. While the connection is not
 * {@linkplain ConnectionStatus#online() online}, actions are refused at once with
 * {@link EdgeException.Kind#UNREACHABLE}, never queued: a producer must know a click did nothing.
 */
public interface EdgeConnection extends AutoCloseable {

    /** LIVE or REHEARSAL. */
    ConnectionMode mode();

    /** What this connection points at: a URL, or the scenario and seed. */
    String target();

    /**
     * Registers a listener for metrics frames. It is called on the connection's own thread, never
     * on the FX thread: keep it short, e.g. set an atomic reference.
     */
    Subscription subscribeFrames(Consumer<MetricsFrame> listener);

    /** The newest frame received, if any. Non-blocking. */
    Optional<MetricsFrame> latestFrame();

    /** Whether the edge is heard from now. */
    ConnectionStatus status();

    /** Registers a listener for status changes, called on the connection's own thread. */
    Subscription subscribeStatus(Consumer<ConnectionStatus> listener);

    /**
     * Who the edge acts for on this connection, as it knows it: live, the person the token belongs
     * to and their role ({@code GET /api/v1/me}). Empty where the edge has no people (a rehearsal
     * or a bundle: the console names its own operator there). Completes on the connection's own thread.
     */
    default CompletableFuture<Optional<Caller>> caller() {
        return CompletableFuture.completedFuture(Optional.empty());
    }

    // ------------------------------------------------------------------ flags

    CompletableFuture<List<FlagView>> flags();

    /** Changes weights or scope; fails with CONFLICT when the flag moved past {@code expectedVersion}. */
    CompletableFuture<FlagView> changeFlag(String key, FlagChange change);

    /** Kills a flag (control everywhere at once) or brings it back. */
    CompletableFuture<FlagView> setKilled(String key, boolean killed, String operator, String reason);

    // ------------------------------------------------------------------ guardrails

    CompletableFuture<List<GuardrailStatus>> guardrails();

    CompletableFuture<GuardrailStatus> setArmed(String guardrailId, boolean armed, String operator, String reason);

    /** A producer's rollback: the variant goes back to control everywhere, whatever any rule says. */
    CompletableFuture<GuardrailFiring> rollback(String flag, String variant, String operator, String reason);

    // ------------------------------------------------------------------ audit and show control

    /** The whole audit trail, oldest first. */
    CompletableFuture<List<AuditEntry>> audit();

    /**
     * The audit entries that pass {@code filter}, oldest first: live, the node filters
     * ({@code GET /api/v1/audit?person=&flag=&kind=}); elsewhere the whole trail, filtered here the same way.
     * Completes on the connection's own thread.
     */
    default CompletableFuture<List<AuditEntry>> audit(AuditFilter filter) {
        return audit().thenApply(all -> all.stream().filter(filter::matches).toList());
    }

    /**
     * True when {@link #audit()} can answer: every edge that makes changes keeps an audit trail. A fleet aggregator
     * does not: each node keeps its own.
     */
    default boolean hasAudit() {
        return true;
    }

    /** True when {@link #exportAudit} can answer: a node with its own export. */
    default boolean hasAuditExport() {
        return false;
    }

    /**
     * The node's own export of the entries that pass {@code filter}: JSON lines, one entry per line
     * ({@code GET /api/v1/audit/export}), as the node wrote them. Fails with {@link EdgeException.Kind#NOT_FOUND}
     * where {@link #hasAuditExport()} is false. Completes on the connection's own thread.
     */
    default CompletableFuture<String> exportAudit(AuditFilter filter) {
        return CompletableFuture.failedFuture(new EdgeException(EdgeException.Kind.NOT_FOUND,
                "this " + mode() + " connection to " + target() + " has no audit export"));
    }

    // ------------------------------------------------------------------ flag history

    /** True when {@link #flagHistory} and {@link #restoreFlag} can answer. */
    default boolean hasFlagHistory() {
        return false;
    }

    /** Every version of a flag, oldest first ({@code GET /api/v1/flags/{key}/history}). Completes on the connection's own thread. */
    default CompletableFuture<List<FlagVersion>> flagHistory(String key) {
        return CompletableFuture.failedFuture(new EdgeException(EdgeException.Kind.NOT_FOUND,
                "this " + mode() + " connection to " + target() + " keeps no flag history"));
    }

    /**
     * Brings back an earlier version's weights and scope ({@code POST /api/v1/flags/{key}/restore}): a flag
     * change like any other, so it fails with CONFLICT when the flag moved past {@code expectedVersion}, and
     * with {@link EdgeException.Kind#HELD} (its {@link EdgeException#heldRequest()} set) when the approval
     * lanes hold it back. {@code operator} names who restores it where the edge has no people (a rehearsal);
     * a node audits the token's person.
     */
    default CompletableFuture<FlagView> restoreFlag(String key, FlagRestore restore, String operator) {
        return CompletableFuture.failedFuture(new EdgeException(EdgeException.Kind.NOT_FOUND,
                "this " + mode() + " connection to " + target() + " cannot restore a flag's version"));
    }

    // ------------------------------------------------------------------ PoP-local rollbacks

    /** True when {@link #clearRollbackAt} can answer: a node, or a rehearsal. */
    default boolean hasRollbackClear() {
        return false;
    }

    /**
     * Serves {@code variant} of {@code flag} again at {@code pops} (every PoP where it is rolled back
     * when empty) after a PoP-local rollback ({@code POST /api/v1/flags/{key}/pop-rollbacks/clear}); the
     * answer is the flag with the PoPs where it is still rolled back. {@code operator} names who
     * clears it where the edge has no people (a rehearsal); a node audits the token's person.
     */
    default CompletableFuture<FlagView> clearRollbackAt(String flag, String variant, List<String> pops, String operator,
                                                        String reason) {
        return CompletableFuture.failedFuture(new EdgeException(EdgeException.Kind.NOT_FOUND,
                "this " + mode() + " connection to " + target() + " cannot clear a PoP-local rollback"));
    }

    // ------------------------------------------------------------------ paused variants

    /** True when {@link #resumeVariant} can answer: a node, or a rehearsal. */
    default boolean hasVariantResume() {
        return false;
    }

    /**
     * Lets a paused {@code variant} of {@code flag} (a guardrail's pause) take new exposures again
     * ({@code POST /api/v1/flags/{key}/variants/{variant}/resume}); the answer is the flag, its
     * {@code paused} without it. Fails with {@link EdgeException.Kind#HELD} when the approval lanes hold
     * it back. {@code operator} names who resumes it where the edge has no people (a rehearsal); a node
     * audits the token's person.
     */
    default CompletableFuture<FlagView> resumeVariant(String flag, String variant, String operator, String reason) {
        return CompletableFuture.failedFuture(new EdgeException(EdgeException.Kind.NOT_FOUND,
                "this " + mode() + " connection to " + target() + " cannot resume a paused variant"));
    }

    // ------------------------------------------------------------------ approval lanes

    /**
     * True when the edge has approval lanes with people to approve: a node, where a risky change waits
     * as a change request for a second person. A rehearsal acts as one person and has none.
     */
    default boolean hasApprovals() {
        return false;
    }

    /** Every change request, oldest first ({@code GET /api/v1/requests}). Completes on the connection's own thread. */
    default CompletableFuture<List<ChangeRequest>> requests() {
        return CompletableFuture.failedFuture(noApprovals());
    }

    /**
     * Approves revision {@code revision} of another person's pending request (the approver role): the
     * revision this person was shown. Fails with a conflict when the requester edited it since.
     */
    default CompletableFuture<ChangeRequest> approveRequest(long id, int revision, String reason) {
        return CompletableFuture.failedFuture(noApprovals());
    }

    /**
     * Rejects revision {@code revision} of a pending or approved request: an approver's verdict, or the
     * requester withdrawing it. Fails with a conflict when it was edited since.
     */
    default CompletableFuture<ChangeRequest> rejectRequest(long id, int revision, String reason) {
        return CompletableFuture.failedFuture(noApprovals());
    }

    /**
     * The requester's new revision of their open flag-change request: its weights or scope and reason
     * ({@code expectedVersion} the flag's version it is based on). Any approval of the earlier revision is void.
     */
    default CompletableFuture<ChangeRequest> editRequest(long id, FlagChange change) {
        return CompletableFuture.failedFuture(noApprovals());
    }

    /** The requester's new reason for their open unkill or disarm request; any approval is void. */
    default CompletableFuture<ChangeRequest> editRequest(long id, String reason) {
        return CompletableFuture.failedFuture(noApprovals());
    }

    /** Applies an approved request, as its requester asked, made by the caller. */
    default CompletableFuture<ChangeRequest> applyRequest(long id) {
        return CompletableFuture.failedFuture(noApprovals());
    }

    private EdgeException noApprovals() {
        return new EdgeException(EdgeException.Kind.NOT_FOUND, "this " + mode() + " connection to " + target()
                + " has no approval lanes: changes apply at once");
    }

    // ------------------------------------------------------------------ playbooks and scheduled changes

    /**
     * True when the edge keeps playbooks, scheduled changes and named cues (docs/API.md, "Playbooks" and
     * "Scheduled changes"): a node. The in-process rehearsal engine has none.
     */
    default boolean hasPlaybooks() {
        return false;
    }

    /** Every playbook, the show's declared ones first ({@code GET /api/v1/playbooks}). Completes on the connection's own thread. */
    default CompletableFuture<List<Playbook>> playbookList() {
        return CompletableFuture.failedFuture(noPlaybooks());
    }

    /**
     * Runs a ready playbook: every action or none, audited by the edge as one entry
     * ({@code POST /api/v1/playbooks/{id}/run}). Completes on the connection's own thread.
     */
    default CompletableFuture<PlaybookRun> runPlaybook(String id, String reason) {
        return CompletableFuture.failedFuture(noPlaybooks());
    }

    /**
     * Takes a playbook out of use, audited by the edge ({@code POST /api/v1/playbooks/{id}/retire}): it stays
     * listed as retired and is never run again. Completes on the connection's own thread.
     */
    default CompletableFuture<Playbook> retirePlaybook(String id, String reason) {
        return CompletableFuture.failedFuture(noPlaybooks());
    }

    /** Every scheduled change, oldest first ({@code GET /api/v1/schedule}). Completes on the connection's own thread. */
    default CompletableFuture<List<ScheduledChange>> scheduledChanges() {
        return CompletableFuture.failedFuture(noPlaybooks());
    }

    /** Cancels a pending scheduled change, audited ({@code POST /api/v1/schedule/{id}/cancel}); CONFLICT once it ended. */
    default CompletableFuture<ScheduledChange> cancelScheduled(long id, String reason) {
        return CompletableFuture.failedFuture(noPlaybooks());
    }

    /**
     * Tries again a pending change on a fleet node whose control record was never confirmed, audited
     * ({@code POST /api/v1/schedule/{id}/retry}); CONFLICT, in the node's words, for any other change.
     */
    default CompletableFuture<ScheduledChange> retryScheduled(long id, String reason) {
        return CompletableFuture.failedFuture(noPlaybooks());
    }

    /**
     * Fires a named show cue ("drop"): every change scheduled for it fires, in one audited write
     * ({@code POST /api/v1/show/cues/{name}}). Completes on the connection's own thread.
     */
    default CompletableFuture<CueFired> fireShowCue(String name, String reason) {
        return CompletableFuture.failedFuture(noPlaybooks());
    }

    private EdgeException noPlaybooks() {
        return new EdgeException(EdgeException.Kind.NOT_FOUND, "this " + mode() + " connection to " + target()
                + " keeps no playbooks or scheduled changes");
    }

    CompletableFuture<Void> pause();

    CompletableFuture<Void> resume();

    /** True when {@link #pauseAt} can answer: an in-process rehearsal, whose clock this console drives. */
    default boolean canPauseAt() {
        return false;
    }

    /**
     * Has the show pause by itself at the first tick at or after {@code engineMillis} of engine time, and
     * publish that paused frame; it does not resume a paused show. Only where {@link #canPauseAt}: a live
     * node's clock is the wall clock, and nothing can hold it.
     */
    default CompletableFuture<Void> pauseAt(long engineMillis) {
        return CompletableFuture.failedFuture(new EdgeException(EdgeException.Kind.NOT_FOUND,
                "this " + mode() + " connection to " + target() + " cannot pause at a set engine time"));
    }

    /** Engine seconds per wall second; 0 for as fast as possible. */
    CompletableFuture<Void> setSpeed(double speed);

    /** Fires a fault or shift now. */
    CompletableFuture<Void> fireCue(CueRequest cue);

    // ------------------------------------------------------------------ diagnostics

    /**
     * True when {@link #history} can answer: the in-process engine, a bundle, or a node. A fleet aggregator keeps
     * no per-PoP history (each node keeps its own), so the console offers no view built on it there.
     */
    default boolean hasHistory() {
        return false;
    }

    /**
     * A PoP's latency history over engine seconds {@code [fromSecond, toSecond)}: per-second rows
     * while the edge still holds them, coarser rows for older time. Fetched on demand rather than
     * carried in frames, so frames stay small. Completes on the connection's own thread.
     *
     * <p>Connections that cannot serve history yet fail with {@link EdgeException.Kind#NOT_FOUND}
     * and say so.
     */
    default CompletableFuture<io.edgedeck.client.model.PopHistory> history(String popId, long fromSecond, long toSecond) {
        return CompletableFuture.failedFuture(new EdgeException(EdgeException.Kind.NOT_FOUND,
                "this " + mode() + " connection to " + target() + " cannot serve latency history yet"));
    }

    /** True when {@link #sources()} can answer: a node that says what feeds it. */
    default boolean hasSources() {
        return false;
    }

    /**
     * What feeds the edge now: each source (a connector, the ingest API, a simulated audience) with its
     * events per second, last event and errors. Completes on the connection's own thread; fails with
     * {@link EdgeException.Kind#NOT_FOUND} where {@link #hasSources()} is false.
     */
    default CompletableFuture<List<io.edgedeck.client.model.SourceStatus>> sources() {
        return CompletableFuture.failedFuture(new EdgeException(EdgeException.Kind.NOT_FOUND,
                "this " + mode() + " connection to " + target() + " does not list its sources"));
    }

    /** True when {@link #health()} can answer: a node or an aggregator, which answer {@code GET /healthz}. */
    default boolean hasHealth() {
        return false;
    }

    /**
     * What the edge's {@code GET /healthz} answers now, whatever its HTTP status (a stalled node answers 503 and
     * says why). Asked even while the frame stream reconnects, so it tells a node that is down (the connection is
     * refused) from one that answers slowly (a timeout): both fail with {@link EdgeException.Kind#UNREACHABLE}, the
     * I/O error as the cause. Completes on the connection's own thread; fails with
     * {@link EdgeException.Kind#NOT_FOUND} where {@link #hasHealth()} is false.
     */
    default CompletableFuture<io.edgedeck.client.model.NodeHealth> health() {
        return CompletableFuture.failedFuture(new EdgeException(EdgeException.Kind.NOT_FOUND,
                "this " + mode() + " connection to " + target() + " has no health endpoint"));
    }

    /** True when {@link #nodeInfo()} can answer: a node or an aggregator, which say which build they run. */
    default boolean hasNodeInfo() {
        return false;
    }

    /**
     * What the edge says of itself ({@code GET /api/v1/node}): its version, its build's commit, when it started and
     * its mode. Completes on the connection's own thread; fails with {@link EdgeException.Kind#NOT_FOUND} where
     * {@link #hasNodeInfo()} is false, and from a node too old to answer it.
     */
    default CompletableFuture<io.edgedeck.client.model.NodeInfo> nodeInfo() {
        return CompletableFuture.failedFuture(new EdgeException(EdgeException.Kind.NOT_FOUND,
                "this " + mode() + " connection to " + target() + " has no node to ask which build it runs"));
    }

    /**
     * True once the node said this connection's key may not read the show but is known to it (a 403 on the frame
     * stream: the node's read key): the frames and every change are refused, and only the diagnostic reads
     * ({@link #sources()}, {@link #triggerAudit()}, {@link #nodeInfo()}) are still asked.
     */
    default boolean diagnosticReadsOnly() {
        return false;
    }

    /**
     * True once the node refused this connection's token outright (a 401): it does not know the token, or the token was
     * revoked. Nothing is read or changed with it, and asking again with the same token gets the same answer.
     */
    default boolean tokenRefused() {
        return false;
    }

    /**
     * True while the node refuses this connection's token (a 401, {@code operators-unreadable}) only because it cannot
     * read its operators file: the token may be good, and the connection asks again every 5 s and carries on by itself
     * once the node lets it in. The same as {@code status().waitingForOperators()}: false again as soon as the connection
     * waits for something else (the node cannot be reached, or is restoring its show).
     */
    default boolean operatorsUnreadable() {
        return false;
    }

    /**
     * True once the node said this connection's key is its ingest key: known to it (a 403, not a 401, on the frame
     * stream) but refused the diagnostic reads too (a 403 on {@code GET /api/v1/node}). It sends events to
     * {@code /ingest/v1} and reads nothing the console shows.
     */
    default boolean ingestKeyOnly() {
        return false;
    }

    /** True when {@link #triggerAudit()} can answer: the in-process engine, or a node. */
    default boolean hasTriggerAudit() {
        return false;
    }

    /**
     * The trigger audit as it stands (docs/TRIGGERS.md): per trigger its firing rate, conversion after
     * firing against where it never fired, overlaps and verdict. An audit with no rows when the show
     * has no triggers. Completes on the connection's own thread; fails with
     * {@link EdgeException.Kind#NOT_FOUND} where {@link #hasTriggerAudit()} is false.
     */
    default CompletableFuture<io.edgedeck.client.model.TriggerAudit> triggerAudit() {
        return CompletableFuture.failedFuture(new EdgeException(EdgeException.Kind.NOT_FOUND,
                "this " + mode() + " connection to " + target() + " has no trigger audit"));
    }

    // ------------------------------------------------------------------ fleet

    /**
     * True when the edge is a fleet aggregator ({@code serve --fleet}, docs/FLEET.md): {@link #fleet()}
     * answers with every node's health and which node serves which PoP. A single node, a rehearsal or a
     * bundle is no fleet. Known once the connection is open; never blocks.
     */
    default boolean hasFleet() {
        return false;
    }

    /**
     * The fleet as its aggregator knows it now ({@code GET /api/v1/fleet}). Completes on the connection's own
     * thread; fails with {@link EdgeException.Kind#NOT_FOUND} where {@link #hasFleet()} is false.
     */
    default CompletableFuture<io.edgedeck.client.model.FleetView> fleet() {
        return CompletableFuture.failedFuture(new EdgeException(EdgeException.Kind.NOT_FOUND,
                "this " + mode() + " connection to " + target() + " is no fleet aggregator"));
    }

    /**
     * Fires a named show cue on every node of the fleet, at its aggregator ({@code POST /api/v1/show/cues/{name}}, the
     * aggregator's admin token; docs/FLEET.md, "Cues for the whole fleet"): the aggregator writes it to the control topic
     * once and answers when every node it hears from took it, or after a few seconds naming each that had not
     * ({@link FleetCueFired#notTaken()}). Fails with {@link EdgeException.Kind#FORBIDDEN} for the read key,
     * {@link EdgeException.Kind#INVALID} naming the field for a name it refuses, and with
     * {@link EdgeException.Kind#NOT_FOUND} where {@link #hasFleet()} is false. Completes on the connection's own thread.
     */
    default CompletableFuture<FleetCueFired> fireFleetCue(String name, String reason) {
        return CompletableFuture.failedFuture(new EdgeException(EdgeException.Kind.NOT_FOUND,
                "this " + mode() + " connection to " + target() + " is no fleet aggregator: a cue fired here is this edge's own"));
    }

    /** Stops receiving frames and releases threads and sockets. Idempotent. */
    @Override
    void close();
}
