package io.edgedeck.client.model;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One condition of a guardrail as its anytime-valid interval reads it. "No harm" is "no worse
 * than control" for a metric against control, and "not past the threshold" for an absolute one.
 */
public enum ConditionState {
    /** Too little data for an estimate. */
    @JsonProperty("no-data") NO_DATA,
    /** The estimate is past the threshold and the whole interval is clear of no harm. */
    @JsonProperty("harm-established") HARM_ESTABLISHED,
    /** The estimate is past the threshold but the interval still includes no harm: it could be noise. */
    @JsonProperty("past-threshold") PAST_THRESHOLD,
    /** The estimate is not past the threshold, but the interval reaches past it. */
    @JsonProperty("not-ruled-out") NOT_RULED_OUT,
    /** The whole interval is on the safe side of the threshold. */
    @JsonProperty("ruled-out") RULED_OUT;

    /** Whether the data leave the condition possible: past the threshold, or not clearly short of it. */
    public boolean possible() {
        return this == HARM_ESTABLISHED || this == PAST_THRESHOLD || this == NOT_RULED_OUT;
    }
}
