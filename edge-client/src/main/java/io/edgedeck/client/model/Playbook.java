package io.edgedeck.client.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.List;

/**
 * A named set of changes applied as one ({@code GET /api/v1/playbooks}): declared in the show's
 * configuration, or made through the API before the show. Running it applies every action or none,
 * audited as one entry; a playbook whose actions the approval lanes find risky waits, as a change
 * request, for a second person's approval once, when it is made, and then runs without another.
 *
 * @param id          its name, e.g. {@code stop-the-bleed}
 * @param onGuardrail the guardrail whose automatic firing makes the node run it itself, or null
 * @param state       {@code ready} to run; {@code held} while its request waits; {@code rejected};
 *                    {@code retired} once a person took it out of use
 * @param createdBy   {@code config} for one the show declares, else the person who made it
 * @param requestId   the change request it waited on, or null
 * @param reason      why it was made (empty for a declared one)
 */
public record Playbook(String id, String description, List<PlaybookAction> actions, String onGuardrail, State state,
                       String createdBy, Long requestId, String reason) {
    /** Who a playbook the show's configuration declares is made by. */
    public static final String CONFIG = "config";

    public Playbook {
        description = description == null ? "" : description;
        actions = List.copyOf(actions);
    }

    public Playbook withState(State next, Long request) {
        return new Playbook(id, description, actions, onGuardrail, next, createdBy, request, reason);
    }

    /** Every action, for people and the audit: "kill offer-banner; arm strict-guard". */
    public String describe() {
        return String.join("; ", actions.stream().map(PlaybookAction::describe).toList());
    }

    public enum State {
        READY, HELD, REJECTED,
        /** Taken out of use by a person ({@code POST /playbooks/{id}/retire}): listed for the record, never run. */
        RETIRED;

        @JsonValue
        public String id() {
            return WireNames.id(this);
        }

        @JsonCreator
        public static State of(String id) {
            return WireNames.of(State.class, id, "playbook");
        }
    }
}
