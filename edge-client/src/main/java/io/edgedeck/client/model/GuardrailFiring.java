package io.edgedeck.client.model;

import java.util.List;
import java.util.Map;

/**
 * One firing of a guardrail, automatic or by hand: which rule, what it did, where, and the values
 * that tripped it.
 *
 * @param automatic true when the rule fired on its own; false for a producer's manual rollback
 * @param actor     {@code guardrail:RULE} for automatic firings, the operator's name otherwise
 * @param reason    for an automatic firing, the rule's conditions in words with their intervals
 * @param values    the metric estimates at the moment it fired, by metric wire name; metrics that had
 *                  no estimate yet are left out
 */
public record GuardrailFiring(long atMillis, String rule, String flag, String variant, GuardrailAction action,
                              List<String> pops, String reason, boolean automatic, String actor,
                              Map<String, Double> values) {
    public GuardrailFiring {
        pops = List.copyOf(pops);
        java.util.Map<String, Double> known = new java.util.LinkedHashMap<>();
        if (values != null) {
            values.forEach((k, v) -> {
                if (k != null && v != null) known.put(k, v);
            });
        }
        values = java.util.Collections.unmodifiableMap(known);
    }
}
