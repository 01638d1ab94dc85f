package io.edgedeck.client.model;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.Locale;

/** What a guardrail condition measures, for the watched variant since the rule's evidence started. */
public enum GuardrailMetric {
    /** Relative change of mean chat sentiment versus control: (variant - control) / max(|control|, 0.1). */
    @JsonProperty("sentimentChange") SENTIMENT_CHANGE("sentimentChange", "sentiment change", Kind.RELATIVE_CHANGE, Double.NaN),
    /** Relative change of conversions per exposure versus control: variant / control - 1. */
    @JsonProperty("conversionLift") CONVERSION_LIFT("conversionLift", "conversion lift", Kind.RELATIVE_CHANGE, Double.NaN),
    /** 95th percentile latency of the variant's requests, in ms. */
    @JsonProperty("p95LatencyMs") P95_LATENCY_MS("p95LatencyMs", "p95 latency", Kind.ABSOLUTE_MS, 0.95),
    /** 99th percentile latency of the variant's requests, in ms. */
    @JsonProperty("p99LatencyMs") P99_LATENCY_MS("p99LatencyMs", "p99 latency", Kind.ABSOLUTE_MS, 0.99),
    /** The variant's 95th percentile latency over control's: 1.2 means 20% slower. */
    @JsonProperty("p95LatencyRatio") P95_LATENCY_RATIO("p95LatencyRatio", "p95 latency vs control", Kind.RATIO, 0.95),
    /** The variant's 99th percentile latency over control's. */
    @JsonProperty("p99LatencyRatio") P99_LATENCY_RATIO("p99LatencyRatio", "p99 latency vs control", Kind.RATIO, 0.99),
    /**
     * The variant's 95th percentile latency over the fleet's learned normal p95 (docs/BASELINES.md):
     * 1.5 means half as slow again as the PoPs usually are.
     */
    @JsonProperty("p95VsBaseline") P95_VS_BASELINE("p95VsBaseline", "p95 latency vs normal", Kind.BASELINE_RATIO, 0.95),
    /** Share of the variant's requests that failed, in [0, 1]. */
    @JsonProperty("errorRate") ERROR_RATE("errorRate", "error rate", Kind.ABSOLUTE_SHARE, Double.NaN);

    /** How a metric relates to control, which fixes what "no harm" means for it. */
    public enum Kind {
        /** (variant - control) / control: no effect is 0. */
        RELATIVE_CHANGE,
        /** variant / control: no effect is 1. */
        RATIO,
        /** The variant alone, in ms: harm is being past the threshold. */
        ABSOLUTE_MS,
        /** The variant alone, a share in [0, 1]: harm is being past the threshold. */
        ABSOLUTE_SHARE,
        /** The variant alone over the PoPs' learned normal: harm is being past the threshold. */
        BASELINE_RATIO
    }

    private final String wireName;
    private final String label;
    private final Kind kind;
    private final double quantile;

    GuardrailMetric(String wireName, String label, Kind kind, double quantile) {
        this.wireName = wireName;
        this.label = label;
        this.kind = kind;
        this.quantile = quantile;
    }

    /** The name in scenario files and on the wire, e.g. {@code conversionLift}. */
    public String wireName() {
        return wireName;
    }

    /** In words, e.g. "conversion lift". */
    public String label() {
        return label;
    }

    public Kind kind() {
        return kind;
    }

    /** True when the metric compares the variant with control. */
    public boolean againstControl() {
        return kind == Kind.RELATIVE_CHANGE || kind == Kind.RATIO;
    }

    /** The value meaning "no different from control": 0 for a change, 1 for a ratio; NaN for an absolute metric. */
    public double noEffect() {
        return switch (kind) {
            case RELATIVE_CHANGE -> 0;
            case RATIO -> 1;
            case ABSOLUTE_MS, ABSOLUTE_SHARE, BASELINE_RATIO -> Double.NaN;
        };
    }

    /** True for the latency metrics, which need per-variant latency recorded. */
    public boolean isLatency() {
        return !Double.isNaN(quantile);
    }

    /** The quantile a latency metric reads, e.g. 0.95; NaN for the others. */
    public double quantile() {
        return quantile;
    }

    /** A value of this metric as a producer reads it: "-12%", "412 ms", "x1.25", "0.8%". */
    public String format(double value) {
        if (Double.isNaN(value)) {
            return "n/a";
        }
        if (Double.isInfinite(value)) {
            return value > 0 ? "unbounded" : "-unbounded";
        }
        return switch (kind) {
            case RELATIVE_CHANGE -> percent(value, true);
            case RATIO, BASELINE_RATIO -> String.format(Locale.ROOT, "x%.2f", value);
            case ABSOLUTE_MS -> String.format(Locale.ROOT, "%.0f ms", value);
            case ABSOLUTE_SHARE -> percent(value, false);
        };
    }

    /** A threshold as written in a rule: like {@link #format} but without a sign on positive changes. */
    public String formatThreshold(double value) {
        return kind == Kind.RELATIVE_CHANGE ? percent(value, false) : format(value);
    }

    private static String percent(double share, boolean signed) {
        double pct = share * 100;
        if (Math.abs(pct) >= 1000) {
            // an interval end that far out says only that the data cannot bound it yet
            return (pct > 0 ? (signed ? "over +" : "over ") : "under -") + "1000%";
        }
        String digits = Math.abs(pct) >= 10 || pct == Math.rint(pct) ? "%.0f%%" : "%.1f%%";
        String text = String.format(Locale.ROOT, digits, pct);
        return signed && pct > 0 ? "+" + text : text;
    }

    /** The metric with this wire name, if this version knows it. */
    public static java.util.Optional<GuardrailMetric> fromWireName(String name) {
        for (GuardrailMetric m : values()) {
            if (m.wireName.equals(name)) {
                return java.util.Optional.of(m);
            }
        }
        return java.util.Optional.empty();
    }
}
