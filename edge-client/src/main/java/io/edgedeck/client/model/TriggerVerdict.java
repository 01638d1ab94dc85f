package io.edgedeck.client.model;

import com.fasterxml.jackson.annotation.JsonProperty;

/** What the trigger audit makes of one trigger (docs/TRIGGERS.md states the rule). */
public enum TriggerVerdict {
    /** Fewer than the minimum of sessions on either side of the comparison: not judged yet. */
    @JsonProperty("too-few") TOO_FEW,
    /** Reaches sessions no other trigger reaches, or adds conversion where it overlaps. */
    @JsonProperty("keep") KEEP,
    /** Low lift and high overlap: a candidate to retire. */
    @JsonProperty("retire-candidate") RETIRE_CANDIDATE
}
