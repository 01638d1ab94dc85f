package io.edgedeck.client.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.List;
import java.util.Locale;

/**
 * A risky change waiting for a second person ({@code GET /api/v1/requests}): the node's approval
 * lanes held it back instead of applying it. A person with the approver role other than the
 * requester approves or rejects it; an approved request is applied by {@code POST .../apply}.
 * The requester may edit it while it is not yet applied or rejected, which voids an approval.
 *
 * @param id             1 for a node's first request, +1 for each after it
 * @param operation      what it does: {@code flag.change}, {@code flag.unkill}, {@code guardrail.disarm},
 *                       {@code variant.rollback-clear} (a variant served again where a PoP-local rollback sent it to
 *                       control), {@code variant.resume} (a paused variant taking new exposures again) or
 *                       {@code playbook.create} (a playbook with risky actions, {@code GET /api/v1/playbooks/{target}})
 * @param target         the flag key, guardrail id or playbook id; {@code FLAG/VARIANT} for a variant's operation
 * @param change         the new weights or scope, for {@code flag.change}; else null
 * @param reason         the requester's reason, which the change is applied with
 * @param risks          why the lanes held its current revision back, one sentence each (found again on every edit)
 * @param revision       1 when opened, +1 per edit; an approval is of one revision
 * @param decidedBy      who approved or rejected the current revision, or null
 * @param decisionReason why they did, or null
 * @param appliedBy      who applied it, or null
 * @param openedAtMillis engine time it was opened
 * @param pops           for {@code variant.rollback-clear}, the PoPs it serves the variant again at, as they stood when
 *                       the request was opened or last edited; else null
 * @param lifts          what the request lifts, numbered by the node when it was opened or last edited: for
 *                       {@code variant.resume} the variant's pause (1 for its first), for {@code variant.rollback-clear} its
 *                       newest PoP-local rollback, for {@code flag.unkill} the flag version its kill made, for
 *                       {@code guardrail.disarm} the guardrail's newest arming (0 while only the show's configuration armed
 *                       it); an apply finding a newer one is refused. Null for other operations
 * @param ownLifts       for {@code variant.rollback-clear} on a node in a fleet, where {@code lifts} numbers the fleet's
 *                       list: the newest PoP-local rollback on this node (1 for its first), as its engine numbers them
 *                       (those it applied from the fleet's list included), when the request was opened or last edited; an apply finding a PoP outside the fleet's
 *                       list rolled back by a newer one (a guardrail's rollback the fleet did not take) is refused.
 *                       Left out elsewhere, and null in a request journaled before nodes recorded it (then a rollback
 *                       made at or after {@code openedAtMillis} counts as newer)
 * @param stale          for an open (pending or approved) request, why its apply can only be refused now, as the node
 *                       reads it when it lists the request (what it lifts was taken again or is gone, its flag moved past
 *                       its {@code expectedVersion}, a change made through the fleet's control topic included): it is not
 *                       to be approved or applied, only edited, rejected or withdrawn. Null while it may apply, and for a
 *                       decided request; never journaled (the node finds it again on each read)
 */
public record ChangeRequest(long id, State state, String requester, String operation, String target, FlagChange change,
                            String reason, List<String> risks, int revision, long openedAtMillis,
                            String decidedBy, Long decidedAtMillis, String decisionReason,
                            String appliedBy, Long appliedAtMillis, List<String> pops, Long lifts,
                            @JsonInclude(JsonInclude.Include.NON_NULL) Long ownLifts,
                            @JsonInclude(JsonInclude.Include.NON_NULL) String stale) {
    public static final String FLAG_CHANGE = "flag.change";
    public static final String FLAG_UNKILL = "flag.unkill";
    public static final String GUARDRAIL_DISARM = "guardrail.disarm";
    public static final String PLAYBOOK_CREATE = "playbook.create";
    public static final String ROLLBACK_CLEAR = "variant.rollback-clear";
    public static final String VARIANT_RESUME = "variant.resume";

    public ChangeRequest {
        risks = List.copyOf(risks);
        pops = pops == null ? null : List.copyOf(pops);
    }

    /** A request as the node keeps it: whether it went stale is found when it is read. */
    public ChangeRequest(long id, State state, String requester, String operation, String target, FlagChange change,
                         String reason, List<String> risks, int revision, long openedAtMillis,
                         String decidedBy, Long decidedAtMillis, String decisionReason,
                         String appliedBy, Long appliedAtMillis, List<String> pops, Long lifts, Long ownLifts) {
        this(id, state, requester, operation, target, change, reason, risks, revision, openedAtMillis, decidedBy, decidedAtMillis,
                decisionReason, appliedBy, appliedAtMillis, pops, lifts, ownLifts, null);
    }

    /** A request that numbers what it lifts one way only (on a node in no fleet, or of an operation other than a clear). */
    public ChangeRequest(long id, State state, String requester, String operation, String target, FlagChange change,
                         String reason, List<String> risks, int revision, long openedAtMillis,
                         String decidedBy, Long decidedAtMillis, String decisionReason,
                         String appliedBy, Long appliedAtMillis, List<String> pops, Long lifts) {
        this(id, state, requester, operation, target, change, reason, risks, revision, openedAtMillis, decidedBy, decidedAtMillis,
                decisionReason, appliedBy, appliedAtMillis, pops, lifts, null, null);
    }

    /** A request that freezes nothing it lifts. */
    public ChangeRequest(long id, State state, String requester, String operation, String target, FlagChange change,
                         String reason, List<String> risks, int revision, long openedAtMillis,
                         String decidedBy, Long decidedAtMillis, String decisionReason,
                         String appliedBy, Long appliedAtMillis, List<String> pops) {
        this(id, state, requester, operation, target, change, reason, risks, revision, openedAtMillis, decidedBy, decidedAtMillis,
                decisionReason, appliedBy, appliedAtMillis, pops, null);
    }

    /** A request of an operation that names no PoPs. */
    public ChangeRequest(long id, State state, String requester, String operation, String target, FlagChange change,
                         String reason, List<String> risks, int revision, long openedAtMillis,
                         String decidedBy, Long decidedAtMillis, String decisionReason,
                         String appliedBy, Long appliedAtMillis) {
        this(id, state, requester, operation, target, change, reason, risks, revision, openedAtMillis, decidedBy, decidedAtMillis,
                decisionReason, appliedBy, appliedAtMillis, null);
    }

    /** Where a request stands. Rejected and applied are final. */
    public enum State {
        PENDING, APPROVED, REJECTED, APPLIED;

        @JsonValue
        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }

        @JsonCreator
        public static State of(String id) {
            for (State s : values()) {
                if (s.id().equals(id)) {
                    return s;
                }
            }
            throw new IllegalArgumentException("no request state '" + id + "'; states are pending, approved, rejected and applied");
        }

        public boolean open() {
            return this == PENDING || this == APPROVED;
        }
    }

    /** The request once another person decided on it. */
    public ChangeRequest decided(State verdict, String person, long atMillis, String why) {
        return new ChangeRequest(id, verdict, requester, operation, target, change, reason, risks, revision, openedAtMillis,
                person, atMillis, why, null, null, pops, lifts, ownLifts);
    }

    /**
     * The request as its requester edited it: a new revision, pending again, any approval void, with
     * the risks found for the change it now asks.
     */
    public ChangeRequest edited(FlagChange newChange, String newReason, List<String> newRisks) {
        return edited(newChange, newReason, newRisks, pops, lifts, ownLifts);
    }

    /** The same, with what the new revision lifts as it stands now. */
    public ChangeRequest edited(FlagChange newChange, String newReason, List<String> newRisks, List<String> newPops, Long newLifts,
                                Long newOwnLifts) {
        return new ChangeRequest(id, State.PENDING, requester, operation, target, newChange, newReason, newRisks, revision + 1,
                openedAtMillis, null, null, null, null, null, newPops, newLifts, newOwnLifts);
    }

    public ChangeRequest applied(String person, long atMillis) {
        return new ChangeRequest(id, State.APPLIED, requester, operation, target, change, reason, risks, revision, openedAtMillis,
                decidedBy, decidedAtMillis, decisionReason, person, atMillis, pops, lifts, ownLifts);
    }

    /** The request as a reader sees it: {@code why} its apply can only be refused now, or null. */
    public ChangeRequest withStale(String why) {
        return new ChangeRequest(id, state, requester, operation, target, change, reason, risks, revision, openedAtMillis,
                decidedBy, decidedAtMillis, decisionReason, appliedBy, appliedAtMillis, pops, lifts, ownLifts, why);
    }

    /** Approved and not stale: an operator may apply it. */
    public boolean toApply() {
        return state == State.APPROVED && stale == null;
    }

    /** "change checkout-button to control=50.00% treatment=50.00%", for people and the audit. */
    public String describe() {
        return switch (operation) {
            case FLAG_CHANGE -> "change " + target + (change.variants() == null ? "" : " to " + String.join(" ",
                    change.variants().stream().map(v -> v.name() + "=" + String.format(Locale.ROOT, "%.2f%%", v.weight() / 100.0)).toList()))
                    + (change.scope() == null ? "" : " scope=" + change.scope());
            case FLAG_UNKILL -> "unkill " + target;
            case GUARDRAIL_DISARM -> "disarm " + target;
            case PLAYBOOK_CREATE -> "make playbook " + target;
            case ROLLBACK_CLEAR -> "serve " + target + " again at " + (pops == null || pops.isEmpty()
                    ? "every PoP where it is rolled back" : String.join(", ", pops));
            case VARIANT_RESUME -> "resume " + target;
            default -> operation + " " + target;
        };
    }
}
