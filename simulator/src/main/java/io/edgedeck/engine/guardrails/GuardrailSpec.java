package io.edgedeck.engine.guardrails;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;

/**
 * A rule over windowed metrics comparing one variant of a flag against the flag's control.
 * It is evaluated only once the variant has {@code minExposures} exposures in the window, and after
 * firing it stays quiet for {@code cooldownSeconds}.
 *
 * @param id              unique id, shown in audit and reports
 * @param flag            the flag's key
 * @param variant         the variant watched (not the control)
 * @param match           whether all or any of the conditions must hold
 * @param conditions      the thresholds
 * @param windowSeconds   length of the sliding window the metrics are computed over
 * @param minExposures    exposures of the variant in the window before the rule may fire
 * @param cooldownSeconds quiet time after firing
 * @param action          what firing does
 * @param armed           whether it fires on its own; a disarmed guardrail only reports
 */
public record GuardrailSpec(String id, String flag, String variant, Match match, List<Condition> conditions,
                            int windowSeconds, long minExposures, int cooldownSeconds, Action action, boolean armed) {

    public GuardrailSpec {
        conditions = List.copyOf(conditions);
    }

    /** Whether the rule holds given each condition's observed value, in condition order. */
    public boolean holds(double[] observed) {
        boolean any = false;
        boolean all = true;
        for (int i = 0; i < conditions.size(); i++) {
            boolean h = conditions.get(i).holds(observed[i]);
            any |= h;
            all &= h;
        }
        return switch (match) {
            case ALL -> all;
            case ANY -> any;
        };
    }

    /**
     * One threshold.
     *
     * @param metric what is measured
     * @param op     comparison
     * @param value  threshold, in the metric's unit
     */
    public record Condition(Metric metric, Op op, double value) {
        public boolean holds(double observed) {
            return switch (op) {
                case LT -> observed < value;
                case LE -> observed <= value;
                case GT -> observed > value;
                case GE -> observed >= value;
            };
        }
    }

    public enum Match {
        @JsonProperty("all") ALL,
        @JsonProperty("any") ANY
    }

    /** Metrics a guardrail can watch, all over the window and for the watched variant. */
    public enum Metric {
        /** Relative change of mean chat sentiment versus control: (variant - control) / |control|. */
        @JsonProperty("sentimentChange") SENTIMENT_CHANGE,
        /** Relative change of conversion rate versus control: (variant - control) / control. */
        @JsonProperty("conversionLift") CONVERSION_LIFT,
        /** 95th percentile request latency of the variant's requests, in ms. */
        @JsonProperty("p95LatencyMs") P95_LATENCY_MS,
        /** 99th percentile request latency of the variant's requests, in ms. */
        @JsonProperty("p99LatencyMs") P99_LATENCY_MS,
        /** Fraction of the variant's requests that failed, in [0, 1]. */
        @JsonProperty("errorRate") ERROR_RATE
    }

    public enum Op {
        @JsonProperty("<") LT,
        @JsonProperty("<=") LE,
        @JsonProperty(">") GT,
        @JsonProperty(">=") GE
    }

    public enum Action {
        /** Return every PoP to the control variant. */
        @JsonProperty("rollback") ROLLBACK,
        /** Return only the PoPs where the rule holds to control. */
        @JsonProperty("rollback-breached-pops") ROLLBACK_BREACHED_POPS,
        /** Stop exposing new units to the variant until an operator resumes it. */
        @JsonProperty("pause") PAUSE,
        /** Tell the operator; change nothing. */
        @JsonProperty("alert") ALERT
    }
}
