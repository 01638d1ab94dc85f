package io.edgedeck.client.model;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Where a guardrail stands at its last evaluation. */
public enum GuardrailState {
    /** Not armed and not breached: it watches but would not act. */
    @JsonProperty("disarmed") DISARMED,
    /** Not enough evidence yet: too few exposures since its evidence started, or a flag change still settling. */
    @JsonProperty("waiting") WAITING,
    /** Deciding: it has the evidence it needs and harm is not established. */
    @JsonProperty("watching") WATCHING,
    /** Its conditions hold, but it is disarmed or cooling down after firing. */
    @JsonProperty("breached") BREACHED,
    /** It fired at this evaluation. */
    @JsonProperty("fired") FIRED
}
