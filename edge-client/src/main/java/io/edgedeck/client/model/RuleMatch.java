package io.edgedeck.client.model;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Whether a guardrail needs all of its conditions or any one. */
public enum RuleMatch {
    @JsonProperty("all") ALL,
    @JsonProperty("any") ANY
}
