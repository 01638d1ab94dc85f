package io.edgedeck.client.model;

import com.fasterxml.jackson.annotation.JsonCreator;
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
 * @param operation      what it does: {@code flag.change}, {@code flag.unkill}, {@code guardrail.disarm} or
 *                       {@code playbook.create} (a playbook with risky actions, {@code GET /api/v1/playbooks/{target}})
 * @param target         the flag key, guardrail id or playbook id
 * @param change         the new weights or scope, for {@code flag.change}; else null
 * @param reason         the requester's reason, which the change is applied with
 * @param risks          why the lanes held its current revision back, one sentence each (found again on every edit)
 * @param revision       1 when opened, +1 per edit; an approval is of one revision
 * @param decidedBy      who approved or rejected the current revision, or null
 * @param decisionReason why they did, or null
 * @param appliedBy      who applied it, or null
 * @param openedAtMillis engine time it was opened
 */
public record ChangeRequest(long id, State state, String requester, String operation, String target, FlagChange change,
                            String reason, List<String> risks, int revision, long openedAtMillis,
                            String decidedBy, Long decidedAtMillis, String decisionReason,
                            String appliedBy, Long appliedAtMillis) {
    public static final String FLAG_CHANGE = "flag.change";
    public static final String FLAG_UNKILL = "flag.unkill";
    public static final String GUARDRAIL_DISARM = "guardrail.disarm";
    public static final String PLAYBOOK_CREATE = "playbook.create";

    public ChangeRequest {
        risks = List.copyOf(risks);
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
                person, atMillis, why, null, null);
    }

    /**
     * The request as its requester edited it: a new revision, pending again, any approval void, with
     * the risks found for the change it now asks.
     */
    public ChangeRequest edited(FlagChange newChange, String newReason, List<String> newRisks) {
        return new ChangeRequest(id, State.PENDING, requester, operation, target, newChange, newReason, newRisks, revision + 1,
                openedAtMillis, null, null, null, null, null);
    }

    public ChangeRequest applied(String person, long atMillis) {
        return new ChangeRequest(id, State.APPLIED, requester, operation, target, change, reason, risks, revision, openedAtMillis,
                decidedBy, decidedAtMillis, decisionReason, person, atMillis);
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
            default -> operation + " " + target;
        };
    }
}
