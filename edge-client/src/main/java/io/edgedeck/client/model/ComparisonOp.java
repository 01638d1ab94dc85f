package io.edgedeck.client.model;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * How a guardrail condition compares its metric with its threshold. The direction also says which
 * way is harm: a rule written {@code conversionLift < -0.1} fires on a lift that is too low.
 */
public enum ComparisonOp {
    @JsonProperty("<") LT("<"),
    @JsonProperty("<=") LE("<="),
    @JsonProperty(">") GT(">"),
    @JsonProperty(">=") GE(">=");

    private final String symbol;

    ComparisonOp(String symbol) {
        this.symbol = symbol;
    }

    public String symbol() {
        return symbol;
    }

    /** Whether {@code value} is past {@code threshold} in this direction. */
    public boolean holds(double value, double threshold) {
        return switch (this) {
            case LT -> value < threshold;
            case LE -> value <= threshold;
            case GT -> value > threshold;
            case GE -> value >= threshold;
        };
    }

    /** True when harm lies above the threshold ({@code >}, {@code >=}). */
    public boolean harmIsHigher() {
        return this == GT || this == GE;
    }
}
