package io.edgedeck.engine.journal;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.databind.JsonNode;
import io.edgedeck.client.model.ChangeRequest;
import io.edgedeck.client.model.CueRequest;
import io.edgedeck.client.model.GuardrailFiring;
import io.edgedeck.client.model.Playbook;
import io.edgedeck.client.model.ScheduledChange;
import io.edgedeck.engine.flags.FlagCommand;

import java.util.List;

/**
 * One state change in the journal. Each record is one JSON object on one line (see
 * docs/JOURNAL.md); the {@code type} property names the kind.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = JournalRecord.ShowStarted.class, name = "show.started"),
        @JsonSubTypes.Type(value = JournalRecord.FaultApplied.class, name = "fault.applied"),
        @JsonSubTypes.Type(value = JournalRecord.FaultLifted.class, name = "fault.lifted"),
        @JsonSubTypes.Type(value = JournalRecord.EncoderFaulted.class, name = "encoder.fault"),
        @JsonSubTypes.Type(value = JournalRecord.CueFired.class, name = "cue.fired"),
        @JsonSubTypes.Type(value = JournalRecord.CheckoutQueued.class, name = "checkout.queued"),
        @JsonSubTypes.Type(value = JournalRecord.CheckoutsReconciled.class, name = "checkout.reconciled"),
        @JsonSubTypes.Type(value = JournalRecord.FlagChanged.class, name = "flag"),
        @JsonSubTypes.Type(value = JournalRecord.GuardrailArmed.class, name = "guardrail.armed"),
        @JsonSubTypes.Type(value = JournalRecord.GuardrailFired.class, name = "guardrail.fired"),
        @JsonSubTypes.Type(value = JournalRecord.VariantPaused.class, name = "variant.paused"),
        @JsonSubTypes.Type(value = JournalRecord.VariantRolledBackAt.class, name = "variant.rolled-back-at"),
        @JsonSubTypes.Type(value = JournalRecord.VariantRollbackCleared.class, name = "variant.rollback-cleared"),
        @JsonSubTypes.Type(value = JournalRecord.Audited.class, name = "audit"),
        @JsonSubTypes.Type(value = JournalRecord.EmoteValencesLearned.class, name = "emote.valences"),
        @JsonSubTypes.Type(value = JournalRecord.ShowClock.class, name = "show.clock"),
        @JsonSubTypes.Type(value = JournalRecord.CheckoutsState.class, name = "checkouts.state"),
        @JsonSubTypes.Type(value = JournalRecord.RequestChanged.class, name = "request"),
        @JsonSubTypes.Type(value = JournalRecord.ActionsApplied.class, name = "actions"),
        @JsonSubTypes.Type(value = JournalRecord.PlaybookSaved.class, name = "playbook"),
        @JsonSubTypes.Type(value = JournalRecord.ScheduleChanged.class, name = "schedule"),
        @JsonSubTypes.Type(value = JournalRecord.ControlApplied.class, name = "control.applied"),
        @JsonSubTypes.Type(value = JournalRecord.IdempotencyKey.class, name = "idempotency.key"),
        @JsonSubTypes.Type(value = JournalRecord.IdempotencyAnswer.class, name = "idempotency.answer"),
})
public sealed interface JournalRecord {
    /** Position in the journal, from 1. */
    long seq();

    /** Engine time of the change, ms since the show started. */
    long atMillis();

    /**
     * On a live node, for a record that says how an event is counted (a flag change, a pause, a
     * PoP-local rollback, a guardrail's arming or firing, an audited action): how many records of the
     * ingest log the core had applied when it made the change, so a restart reading the log back
     * makes it right after that many, where it was live. Null for other records, for a rehearsal's,
     * and for records written before the field existed (a restart places those by engine time).
     */
    default Long ingestApplied() {
        return null;
    }

    /** This record with {@link #ingestApplied} {@code applied}; a record of a kind that does not carry it, as it is. */
    default JournalRecord atIngest(long applied) {
        return this;
    }

    /**
     * A kind of record that says how an event is counted, and so carries {@link #ingestApplied}: as its
     * last component, which {@link #atIngest} sets and leaves every other component as it is.
     */
    sealed interface PlacedOnIngest extends JournalRecord {
        @Override
        default JournalRecord atIngest(long applied) {
            return IngestPlacing.with(this, applied);
        }
    }

    /**
     * The show's identity, first in every journal.
     *
     * @param document the producer's whole description of the show when its name is not enough to
     *                 find it again (a rehearsal's scenario file), so the journal alone can replay it; else absent
     */
    record ShowStarted(long seq, long atMillis, String scenario, long seed,
                       @JsonInclude(JsonInclude.Include.NON_NULL) JsonNode document) implements JournalRecord {
        public ShowStarted(long seq, long atMillis, String scenario, long seed) {
            this(seq, atMillis, scenario, seed, null);
        }
    }

    /**
     * A fault a producer put on a PoP (the simulated edge in a rehearsal). The core keeps it for the
     * producer, which rebuilds its faults from these records on a restart, and does not read it.
     *
     * @param fault      the fault's kind ({@code outage}, {@code partition}, {@code latency}, {@code jitter}, {@code loss}, {@code acquirer})
     * @param magnitude  its size: ms for latency, jitter and acquirer; a probability for loss; 0 otherwise
     * @param untilMillis when it lifts by itself, or -1 when it stays until lifted
     * @param origin     who or what applied it ({@code cue}, an operator's name)
     */
    record FaultApplied(long seq, long atMillis, String pop, String fault, double magnitude, long untilMillis,
                        String origin) implements JournalRecord {
    }

    /**
     * A fault of a rehearsal's encoder fired by hand, as journals before {@link CueFired} recorded it:
     * read, replayed and resumed as the {@code cue.fired} record of the same cue; no longer written.
     *
     * @param fault       the cue type ({@code encoder-drop}, {@code encoder-bitrate}, {@code encoder-frame-drop},
     *                    {@code encoder-encoding-lag}, {@code encoder-rendering-lag})
     * @param magnitude   its size: kb/s for a bitrate, a percentage of frames for dropped and skipped frames,
     *                    ms for a render time; 0 for a drop
     * @param untilMillis when it ends
     * @param origin      the person who fired it
     */
    record EncoderFaulted(long seq, long atMillis, String fault, double magnitude, long untilMillis, String origin)
            implements JournalRecord {
    }

    /**
     * A cue of a rehearsal fired by hand whose effect no other record keeps (a traffic surge, a mood
     * shift, an encoder fault), journaled before it starts: a replay of the recording fires it again
     * at the same engine time, and a rehearsal restarted from its journal puts it back in force until
     * {@code untilMillis}. A PoP fault fired by hand has its {@link FaultApplied} records instead; a
     * scenario's own cues are not journaled, as the show plays them again by itself.
     *
     * @param cue         the cue as it was fired, with the person who fired it as its operator
     * @param untilMillis when it ends
     */
    record CueFired(long seq, long atMillis, CueRequest cue, long untilMillis)
            implements JournalRecord {
    }

    record FaultLifted(long seq, long atMillis, String pop, String fault, String origin) implements JournalRecord {
    }

    /**
     * A checkout accepted at a PoP that could not authorise it; it waits to be reconciled.
     *
     * @param checkoutId the core's number for it, increasing
     * @param ref        the id its source gave it (an ingested {@code checkoutId}), or null
     */
    record CheckoutQueued(long seq, long atMillis, String pop, long checkoutId,
                          @JsonInclude(JsonInclude.Include.NON_NULL) String ref) implements JournalRecord {
    }

    /**
     * Checkouts queued at the PoP were authorised: without {@code ref}, all of them up to and
     * including {@code upToCheckoutId}; with it, that one checkout ({@code count} 1).
     */
    record CheckoutsReconciled(long seq, long atMillis, String pop, long count, long upToCheckoutId,
                               @JsonInclude(JsonInclude.Include.NON_NULL) String ref) implements JournalRecord {
    }

    /** A flag command that took effect, exactly as the registry applied it; replay applies it again. */
    record FlagChanged(long seq, long atMillis, FlagCommand command,
            @JsonInclude(JsonInclude.Include.NON_NULL) Long ingestApplied) implements PlacedOnIngest {
        public FlagChanged(long seq, long atMillis, FlagCommand command) {
            this(seq, atMillis, command, null);
        }
    }

    /** A guardrail armed or disarmed by an operator. */
    record GuardrailArmed(long seq, long atMillis, String rule, boolean armed, String operator, String reason,
            @JsonInclude(JsonInclude.Include.NON_NULL) Long ingestApplied)
            implements PlacedOnIngest {
        public GuardrailArmed(long seq, long atMillis, String rule, boolean armed, String operator, String reason) {
            this(seq, atMillis, rule, armed, operator, reason, null);
        }
    }

    /**
     * A guardrail firing, automatic or by hand. A rollback it caused is journaled as its own
     * {@link FlagChanged} record right after.
     */
    record GuardrailFired(long seq, long atMillis, GuardrailFiring firing,
            @JsonInclude(JsonInclude.Include.NON_NULL) Long ingestApplied) implements PlacedOnIngest {
        public GuardrailFired(long seq, long atMillis, GuardrailFiring firing) {
            this(seq, atMillis, firing, null);
        }
    }

    /** New exposures to a variant stopped (a guardrail's pause) or resumed. */
    record VariantPaused(long seq, long atMillis, String flag, String variant, boolean paused, String operator,
                         String reason,
            @JsonInclude(JsonInclude.Include.NON_NULL) Long ingestApplied) implements PlacedOnIngest {
        public VariantPaused(long seq, long atMillis, String flag, String variant, boolean paused, String operator, String reason) {
            this(seq, atMillis, flag, variant, paused, operator, reason, null);
        }
    }

    /** A variant rolled back to control at some PoPs only, where a guardrail found it breaching. */
    record VariantRolledBackAt(long seq, long atMillis, String flag, String variant, List<String> pops, String operator,
                               String reason,
            @JsonInclude(JsonInclude.Include.NON_NULL) Long ingestApplied) implements PlacedOnIngest {
        public VariantRolledBackAt(long seq, long atMillis, String flag, String variant, List<String> pops, String operator, String reason) {
            this(seq, atMillis, flag, variant, pops, operator, reason, null);
        }

        public VariantRolledBackAt {
            pops = List.copyOf(pops);
        }
    }

    /** A variant's PoP-local rollback lifted at some PoPs by an operator: the variant is served there again. */
    record VariantRollbackCleared(long seq, long atMillis, String flag, String variant, List<String> pops, String operator,
                                  String reason,
            @JsonInclude(JsonInclude.Include.NON_NULL) Long ingestApplied) implements PlacedOnIngest {
        public VariantRollbackCleared(long seq, long atMillis, String flag, String variant, List<String> pops, String operator, String reason) {
            this(seq, atMillis, flag, variant, pops, operator, reason, null);
        }

        public VariantRollbackCleared {
            pops = List.copyOf(pops);
        }
    }

    /**
     * An operator's action whose effect no other record keeps (pausing, resuming or changing the
     * speed of the show, firing a cue by hand), recorded for the audit trail alone: replay adds the
     * audit entry again and changes nothing else.
     *
     * @param wallMillis on a fleet node's cue that fired changes through the fleet, when it was fired on the wall clock (ms
     *                   since the epoch): a node started again says since when such a change, still pending, is not
     *                   confirmed; absent otherwise
     */
    record Audited(long seq, long atMillis, String actor, String action, String target, String before, String after,
                   String reason, @JsonInclude(JsonInclude.Include.NON_NULL) Long wallMillis,
            @JsonInclude(JsonInclude.Include.NON_NULL) Long ingestApplied) implements PlacedOnIngest {
        public Audited(long seq, long atMillis, String actor, String action, String target, String before, String after, String reason) {
            this(seq, atMillis, actor, action, target, before, after, reason, null, null);
        }

        public Audited(long seq, long atMillis, String actor, String action, String target, String before, String after, String reason,
                       Long ingestApplied) {
            this(seq, atMillis, actor, action, target, before, after, reason, null, ingestApplied);
        }
    }

    /**
     * A change request of the node's approval lanes as it stands after an event (opened, edited,
     * approved, rejected, applied): replay keeps the last record of each id. Written in one journal
     * write with the audit entry of the event, or with the change an apply makes. The engine does not
     * read it; the node does, on start.
     */
    record RequestChanged(long seq, long atMillis, ChangeRequest request) implements JournalRecord {
    }

    /**
     * Several changes made as one (a playbook's run, a scheduled change firing), audited as one
     * entry that lists them all: the record is the change, so either all of it is on the device or
     * none. Restart and replay apply its steps in order without an audit entry each, then the one entry.
     *
     * @param actor  who made it: a person, {@code schedule}, or {@code guardrail:RULE} for a playbook the node ran itself
     * @param action the audit's action, e.g. {@code playbook.run}
     * @param target the audit's target: the playbook's id, or the flag or guardrail of a single scheduled change
     * @param before the audit's before, e.g. the playbook's id and how it was started
     * @param after  every change, for people: "kill offer-banner; arm strict-guard"
     */
    record ActionsApplied(long seq, long atMillis, String actor, String action, String target, String before, String after,
                          String reason, List<Step> steps,
            @JsonInclude(JsonInclude.Include.NON_NULL) Long ingestApplied) implements PlacedOnIngest {
        public ActionsApplied(long seq, long atMillis, String actor, String action, String target, String before, String after, String reason, List<Step> steps) {
            this(seq, atMillis, actor, action, target, before, after, reason, steps, null);
        }

        public ActionsApplied {
            steps = List.copyOf(steps);
        }
    }

    /**
     * One change of an {@link ActionsApplied}: exactly one of a flag command, a guardrail armed or
     * disarmed, a variant rolled back to control at some PoPs, a variant paused or resumed, or a
     * variant's PoP-local rollback cleared at some PoPs (a journal written before pauses or clears
     * were steps reads with {@code pause} or {@code rollbackCleared} null).
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Step(FlagCommand flag, ArmStep guardrail, RollbackAtStep rollbackAt, PauseStep pause, RollbackAtStep rollbackCleared) {
        public Step(FlagCommand flag, ArmStep guardrail, RollbackAtStep rollbackAt) {
            this(flag, guardrail, rollbackAt, null, null);
        }

        /** A variant paused or resumed. */
        public static Step pausing(PauseStep pause) {
            return new Step(null, null, null, pause, null);
        }

        /** A variant served again at PoPs where a PoP-local rollback sent it to control. */
        public static Step clearing(RollbackAtStep cleared) {
            return new Step(null, null, null, null, cleared);
        }
    }

    /** A variant paused (its units sent to control everywhere) or resumed within an {@link ActionsApplied}. */
    record PauseStep(String flag, String variant, boolean paused) {
    }

    /** A guardrail armed or disarmed within an {@link ActionsApplied}. */
    record ArmStep(String rule, boolean armed) {
    }

    /** A variant rolled back to control at some PoPs (or, as {@link Step#rollbackCleared}, served again there). */
    record RollbackAtStep(String flag, String variant, List<String> pops) {
        public RollbackAtStep {
            pops = List.copyOf(pops);
        }
    }

    /**
     * A playbook made through a node's API as it now stands (ready, or held for approval): the node
     * keeps the last record of each id on start. The engine does not read it.
     */
    record PlaybookSaved(long seq, long atMillis, Playbook playbook) implements JournalRecord {
    }

    /**
     * A scheduled change of a node as it now stands (pending, fired, cancelled, failed): the node keeps
     * the last record of each id on start; a firing is written in one write with the change it makes.
     * The engine does not read it.
     */
    record ScheduleChanged(long seq, long atMillis, ScheduledChange change) implements JournalRecord {
    }

    /**
     * A record of the fleet's control topic as this node applied it (docs/FLEET.md): the control
     * versions it brings the node's keys to, and the changes it made to bring the node's state to
     * the record's, in one write. Restart applies its steps again without an audit entry each, then
     * its one entry (none when it changed nothing here), and knows the versions, so the node skips
     * that record when it reads the topic again.
     *
     * @param id       the control record's id
     * @param offset   where the record is on the control topic
     * @param issuer   the node (or aggregator) that wrote it
     * @param versions each key the record set here, with its new control version
     * @param actor    the audit's actor: the operator on the node that took the request, {@code fleet:ISSUER} on the others
     * @param action   the audit's action: the flag's own ({@code flag.kill}, ...) where the request was taken, {@code fleet.apply} elsewhere
     * @param steps    the flag commands applied here, in order; empty when the node already was in that state
     */
    record ControlApplied(long seq, long atMillis, String id, long offset, String issuer, java.util.Map<String, Long> versions,
                          String actor, String action, String target, String before, String after, String reason,
                          List<Step> steps,
            @JsonInclude(JsonInclude.Include.NON_NULL) Long ingestApplied) implements PlacedOnIngest {
        public ControlApplied(long seq, long atMillis, String id, long offset, String issuer, java.util.Map<String, Long> versions, String actor, String action, String target, String before, String after, String reason, List<Step> steps) {
            this(seq, atMillis, id, offset, issuer, versions, actor, action, target, before, after, reason, steps, null);
        }

        public ControlApplied {
            versions = java.util.Map.copyOf(versions);
            steps = List.copyOf(steps);
        }
    }

    /**
     * The {@code Idempotency-Key} of the request whose change the records before it in the same write
     * are: written in that write, so after a crash the change and its key are on the device together
     * or neither is. The node does not apply a second request with this caller and key while it is
     * remembered; the engine does not read it.
     *
     * @param caller      the name of the person (or {@code admin}) who sent it, never a token
     * @param key         the caller's {@code Idempotency-Key}
     * @param fingerprint the request's method, path and the SHA-256 of its body, to tell a retry from another request
     * @param wallMillis  when the node took the request, on the wall clock (ms since the epoch): its key is remembered from then
     */
    record IdempotencyKey(long seq, long atMillis, String caller, String key, String fingerprint, long wallMillis)
            implements JournalRecord {
    }

    /**
     * The answer the node gave the request of the {@link IdempotencyKey} record {@code keySeq}, written
     * before the answer was sent, so a retry after a restart gets it again.
     *
     * @param contentType null when the answer had no body
     * @param headers     the answer's own headers (e.g. {@code Location})
     * @param body        the answer's body, UTF-8 text (JSON or a problem document); empty when it had none
     */
    record IdempotencyAnswer(long seq, long atMillis, long keySeq, int status,
                             @JsonInclude(JsonInclude.Include.NON_NULL) String contentType,
                             java.util.Map<String, String> headers, String body) implements JournalRecord {
        public IdempotencyAnswer {
            headers = java.util.Map.copyOf(headers);
        }
    }

    /**
     * Emote valences a chat channel has learned, as scoring uses them from this record on: each
     * emote's evidence so far. Scores depend only on the chat text and these records, so a replay
     * scores every message as the show did.
     */
    record EmoteValencesLearned(long seq, long atMillis, String channel, List<EmoteEvidence> emotes)
            implements JournalRecord {
        public EmoteValencesLearned {
            emotes = List.copyOf(emotes);
        }
    }

    /**
     * Where the show was: a node journals its position at least once a second while the show runs,
     * so a restart resumes the show clock there (and cues due later fire on time), not at the last
     * change. Changes nothing else.
     *
     * @param ingestApplied on a live node, written when the core applied ingest log record
     *                      {@code ingestApplied} (counting from 0) in this tick, later than a restart
     *                      reading the log back would place it without being told (its arrival's tick,
     *                      or the tick the record before it was placed in): the read-back places that
     *                      record, and those after it, no earlier than this tick. Null on the clock's own records
     */
    record ShowClock(long seq, long atMillis,
                     @JsonInclude(JsonInclude.Include.NON_NULL) Long ingestApplied) implements JournalRecord {
        public ShowClock(long seq, long atMillis) {
            this(seq, atMillis, null);
        }
    }

    /**
     * @param emote       the emote's name
     * @param uses        messages with sentiment-bearing words it appeared in
     * @param evidenceSum the sum, over those messages, of what their words said on VADER's -4..4 scale
     */
    record EmoteEvidence(String emote, long uses, double evidenceSum) {
    }

    /**
     * Where the checkouts stood at a snapshot, in place of the {@code checkout.queued} and
     * {@code checkout.reconciled} records it covers (docs/JOURNAL.md, "Snapshots and compaction").
     * Only in snapshots, never appended to a journal.
     *
     * @param nextCheckoutId the number the next queued checkout gets
     * @param pending        per PoP with checkouts waiting: how many, and the newest one's number
     * @param refs           queued checkouts a source gave an id to, with the PoP and number of each
     */
    record CheckoutsState(long seq, long atMillis, long queued, long reconciled, long nextCheckoutId,
                          List<PendingAt> pending, List<QueuedRef> refs) implements JournalRecord {
        public CheckoutsState {
            pending = List.copyOf(pending);
            refs = List.copyOf(refs);
        }
    }

    /** Checkouts waiting at a PoP: how many, and the newest one's number. */
    record PendingAt(String pop, long count, long lastCheckoutId) {
    }

    /** A queued checkout its source named: its id there, the PoP it waits at and the core's number for it. */
    record QueuedRef(String ref, String pop, long checkoutId) {
    }
}
