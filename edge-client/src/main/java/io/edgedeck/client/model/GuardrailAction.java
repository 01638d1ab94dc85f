package io.edgedeck.client.model;

import com.fasterxml.jackson.annotation.JsonProperty;

/** What a guardrail does when it fires. */
public enum GuardrailAction {
    /** Return every PoP to the control variant. */
    @JsonProperty("rollback") ROLLBACK("rollback"),
    /** Return only the PoPs where the rule holds to control. */
    @JsonProperty("rollback-breached-pops") ROLLBACK_BREACHED_POPS("rollback-breached-pops"),
    /** Stop exposing new units to the variant until an operator resumes it. */
    @JsonProperty("pause") PAUSE("pause"),
    /** Tell the operator; change nothing. */
    @JsonProperty("alert") ALERT("alert");

    private final String wireName;

    GuardrailAction(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }
}
