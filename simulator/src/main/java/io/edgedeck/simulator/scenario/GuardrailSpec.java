package io.edgedeck.simulator.scenario;

import com.fasterxml.jackson.annotation.JsonValue;

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
        ALL("all"), ANY("any");

        private final String wireName;

        Match(String wireName) {
            this.wireName = wireName;
        }

        @JsonValue
        public String wireName() {
            return wireName;
        }
    }

    /** Metrics a guardrail can watch, all over the window and for the watched variant. */
    public enum Metric {
        /** Relative change of mean chat sentiment versus control: (variant - control) / |control|. */
        SENTIMENT_CHANGE("sentimentChange"),
        /** Relative change of conversion rate versus control: (variant - control) / control. */
        CONVERSION_LIFT("conversionLift"),
        /** 95th percentile request latency of the variant's requests, in ms. */
        P95_LATENCY_MS("p95LatencyMs"),
        /** 99th percentile request latency of the variant's requests, in ms. */
        P99_LATENCY_MS("p99LatencyMs"),
        /** Fraction of the variant's requests that failed, in [0, 1]. */
        ERROR_RATE("errorRate");

        private final String wireName;

        Metric(String wireName) {
            this.wireName = wireName;
        }

        @JsonValue
        public String wireName() {
            return wireName;
        }
    }

    public enum Op {
        LT("<"), LE("<="), GT(">"), GE(">=");

        private final String wireName;

        Op(String wireName) {
            this.wireName = wireName;
        }

        @JsonValue
        public String wireName() {
            return wireName;
        }
    }

    public enum Action {
        /** Return every PoP to the control variant. */
        ROLLBACK("rollback"),
        /** Return only the PoPs where the rule holds to control. */
        ROLLBACK_BREACHED_POPS("rollback-breached-pops"),
        /** Stop exposing new units to the variant until an operator resumes it. */
        PAUSE("pause"),
        /** Tell the operator; change nothing. */
        ALERT("alert");

        private final String wireName;

        Action(String wireName) {
            this.wireName = wireName;
        }

        @JsonValue
        public String wireName() {
            return wireName;
        }
    }
}
