package io.edgedeck.simulator.server.metrics;

import io.edgedeck.client.model.DecisionStage;
import io.edgedeck.client.model.FlagView;
import io.edgedeck.client.model.GuardrailFiring;
import io.edgedeck.client.model.MetricsFrame;
import io.edgedeck.client.model.NodeCondition;
import io.edgedeck.client.model.PopHealth;
import io.edgedeck.client.model.PopMetrics;
import io.edgedeck.client.model.VariantMetrics;
import io.edgedeck.engine.decisions.DecisionBudget;
import io.edgedeck.simulator.show.Show;
import org.HdrHistogram.Histogram;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A node's metrics in the Prometheus text exposition format (version 0.0.4): per-PoP latency as a
 * histogram, jitter, loss, requests, queue depth and health; per-variant exposures, conversions and
 * chat sentiment; chat; guardrail firings; flag versions and propagation; checkouts. Base units in
 * names (seconds, ratios), {@code _total} on counters, labels for PoP, region, flag and variant.
 * Throughput is {@code rate(edgedeck_pop_requests_total[1m])}.
 */
public final class PrometheusExposition {
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
    /** Histogram bucket bounds, in seconds: 1 ms to 10 s, as latency SLOs are set. */
    static final double[] BUCKETS = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.15, 0.25, 0.5, 1, 2.5, 5, 10};
    /** Decision stage bucket bounds, in seconds: the stages' budgets (50, 150, 200, 300, 500 ms) among them. */
    static final double[] DECISION_BUCKETS = {0.01, 0.025, 0.05, 0.1, 0.15, 0.2, 0.3, 0.5, 0.75, 1, 2, 5, 10};

    private PrometheusExposition() {
    }

    /**
     * What the node can do: 1 for the state it is in ({@code ok}, {@code read_only} while its journal
     * cannot be written, {@code failed} once its engine stopped), 0 for the others. All a failed
     * node can still say. Any thread.
     */
    public static String renderNode(MetricsFrame frame) {
        StringBuilder out = new StringBuilder(512);
        node(out, frame);
        return out.toString();
    }

    private static void node(StringBuilder out, MetricsFrame frame) {
        family(out, "edgedeck_node_state", "gauge",
                "1 for what the node can do: ok, read_only (its journal cannot be written: changes are refused), failed.");
        NodeCondition.Status now = frame == null ? NodeCondition.Status.OK : frame.node().status();
        for (NodeCondition.Status s : NodeCondition.Status.values()) {
            sample(out, "edgedeck_node_state", labels("state", s.name().toLowerCase(Locale.ROOT)), s == now ? 1 : 0);
        }
    }

    /** Renders the show as it is now. Engine thread: reads the engine's histograms. */
    public static String render(Show show, MetricsFrame frame) {
        StringBuilder out = new StringBuilder(16_384);
        node(out, frame);
        family(out, "edgedeck_pop_request_duration_seconds", "histogram",
                "Latency of the requests each PoP served, over the completed seconds of the show.");
        for (int i = 0; i < frame.pops().size(); i++) {
            PopMetrics p = frame.pops().get(i);
            Histogram h = show.core().pops().wholeShowHistogram(show.core().pops().index(p.id()));
            histogram(out, "edgedeck_pop_request_duration_seconds", labels("pop", p.id(), "region", p.region()), h, BUCKETS);
        }
        family(out, "edgedeck_pop_latency_seconds", "gauge",
                "Latency percentiles of each PoP over the last 10 s of engine time.");
        for (PopMetrics p : frame.pops()) {
            String labels = labels("pop", p.id(), "region", p.region());
            sample(out, "edgedeck_pop_latency_seconds", labels(labels, "percentile", "50"), p.last10s().p50Ms() / 1000);
            sample(out, "edgedeck_pop_latency_seconds", labels(labels, "percentile", "95"), p.last10s().p95Ms() / 1000);
            sample(out, "edgedeck_pop_latency_seconds", labels(labels, "percentile", "99"), p.last10s().p99Ms() / 1000);
        }
        popGauge(out, frame, "edgedeck_pop_jitter_seconds", "RFC 3550 interarrival jitter of each PoP.", p -> p.jitterMs() / 1000);
        popGauge(out, frame, "edgedeck_pop_loss_ratio", "Share of each PoP's requests lost over the last 10 s.", PopMetrics::lossRatio);
        popGauge(out, frame, "edgedeck_pop_queued_requests", "Requests waiting for capacity at each PoP.", p -> p.queueDepth());
        popGauge(out, frame, "edgedeck_pop_pending_checkouts", "Checkouts queued at each PoP awaiting authorisation.",
                p -> p.pendingCheckouts());
        popGauge(out, frame, "edgedeck_pop_degraded_seconds_total", "Engine seconds each PoP spent other than up.", PopMetrics::degradedSeconds);
        family(out, "edgedeck_pop_requests_total", "counter", "Requests each PoP served.");
        frame.pops().forEach(p -> sample(out, "edgedeck_pop_requests_total", labels("pop", p.id(), "region", p.region()), p.requests()));
        family(out, "edgedeck_pop_errors_total", "counter", "Requests each PoP lost or failed.");
        frame.pops().forEach(p -> sample(out, "edgedeck_pop_errors_total", labels("pop", p.id(), "region", p.region()), p.errors()));
        family(out, "edgedeck_pop_health", "gauge", "1 for the health state each PoP is in, 0 for the others.");
        for (PopMetrics p : frame.pops()) {
            for (PopHealth h : PopHealth.values()) {
                sample(out, "edgedeck_pop_health", labels("pop", p.id(), "region", p.region(), "state",
                        h.name().toLowerCase(Locale.ROOT)), p.health() == h ? 1 : 0);
            }
        }

        family(out, "edgedeck_variant_exposures_total", "counter", "Sessions that entered each flag variant.");
        frame.variants().forEach(v -> sample(out, "edgedeck_variant_exposures_total", variantLabels(v), v.exposures()));
        family(out, "edgedeck_variant_conversions_total", "counter", "Checkouts by sessions in each flag variant.");
        frame.variants().forEach(v -> sample(out, "edgedeck_variant_conversions_total", variantLabels(v), v.conversions()));
        family(out, "edgedeck_variant_chat_sentiment_ratio", "gauge",
                "Mean compound chat sentiment, -1 to 1, of sessions in each flag variant.");
        frame.variants().forEach(v -> sample(out, "edgedeck_variant_chat_sentiment_ratio", variantLabels(v), v.chatMeanScore()));

        family(out, "edgedeck_chat_messages_total", "counter", "Chat messages since the show started.");
        sample(out, "edgedeck_chat_messages_total", "", frame.chat().messages());
        family(out, "edgedeck_chat_sentiment_ratio", "gauge", "Mean compound chat sentiment, -1 to 1, over the last minute.");
        sample(out, "edgedeck_chat_sentiment_ratio", "", frame.chat().meanScore());
        family(out, "edgedeck_chat_spike_ratio", "gauge", "Chat messages per minute over their rolling baseline.");
        sample(out, "edgedeck_chat_spike_ratio", "", frame.chat().spikeRatio());

        family(out, "edgedeck_guardrail_firings_total", "counter", "Guardrail firings, automatic or by hand.");
        Map<String, Long> firings = new LinkedHashMap<>();
        for (GuardrailFiring f : frame.firings()) {
            firings.merge(labels("rule", f.rule(), "flag", f.flag(), "variant", f.variant(), "action", f.action().wireName(),
                    "automatic", Boolean.toString(f.automatic())), 1L, Long::sum);
        }
        firings.forEach((labels, n) -> sample(out, "edgedeck_guardrail_firings_total", labels, n));

        family(out, "edgedeck_flag_version", "gauge", "Latest version of each flag.");
        frame.flags().forEach(f -> sample(out, "edgedeck_flag_version", labels("flag", f.key()), f.version()));
        family(out, "edgedeck_flag_pops_acknowledged", "gauge", "PoPs running the latest version of each flag.");
        frame.flags().forEach(f -> sample(out, "edgedeck_flag_pops_acknowledged", labels("flag", f.key()), f.popsAcknowledged()));
        family(out, "edgedeck_flag_killed", "gauge", "1 while a flag is killed.");
        frame.flags().forEach(f -> sample(out, "edgedeck_flag_killed", labels("flag", f.key()), f.killed() ? 1 : 0));

        family(out, "edgedeck_checkouts_total", "counter", "Checkouts by how they ended so far.");
        var c = frame.checkouts();
        sample(out, "edgedeck_checkouts_total", labels("outcome", "completed"), c.completed());
        sample(out, "edgedeck_checkouts_total", labels("outcome", "queued"), c.queued());
        sample(out, "edgedeck_checkouts_total", labels("outcome", "reconciled"), c.reconciled());
        decisions(out, show.core().decisions(), frame);
        family(out, "edgedeck_engine_time_seconds", "gauge", "Engine time since the show started.");
        sample(out, "edgedeck_engine_time_seconds", "", frame.engineMillis() / 1000.0);
        return out.toString();
    }

    /**
     * The decision budget: each stage's times since the show started as a histogram (bucket bounds
     * at the stages' budgets), decisions and those over the 500 ms objective, and the share over it
     * in the recent window.
     */
    private static void decisions(StringBuilder out, DecisionBudget budget, MetricsFrame frame) {
        family(out, "edgedeck_decision_stage_duration_seconds", "histogram",
                "Time each stage of a checkout or triggered action took (validate, enrich, act, and total), since the show started.");
        for (DecisionStage stage : DecisionStage.values()) {
            histogram(out, "edgedeck_decision_stage_duration_seconds", labels("stage", stage.wireName()), budget.wholeShow(stage),
                    DECISION_BUCKETS);
        }
        family(out, "edgedeck_decisions_total", "counter", "Checkouts and triggered actions timed per stage.");
        sample(out, "edgedeck_decisions_total", "", budget.decisions());
        family(out, "edgedeck_decisions_over_slo_total", "counter", "Decisions that took longer than the 500 ms confirmation objective.");
        sample(out, "edgedeck_decisions_over_slo_total", "", budget.overSlo());
        family(out, "edgedeck_decision_over_slo_ratio", "gauge",
                "Share of the decisions of the last 60 s of engine time that took longer than 500 ms.");
        sample(out, "edgedeck_decision_over_slo_ratio", "", frame.decisions().windowOverSloShare());
        family(out, "edgedeck_decision_stage_budget_seconds", "gauge", "Each stage's budget: its p95 should stay within it.");
        for (DecisionStage stage : DecisionStage.values()) {
            sample(out, "edgedeck_decision_stage_budget_seconds", labels("stage", stage.wireName()), stage.budgetMs() / 1000);
        }
    }

    /** One histogram's samples from an HdrHistogram of microseconds: cumulative buckets in seconds, sum and count. */
    private static void histogram(StringBuilder out, String name, String labels, Histogram h, double[] bounds) {
        for (double le : bounds) {
            long count = h.getTotalCount() == 0 ? 0 : h.getCountBetweenValues(0, (long) (le * 1_000_000));
            sample(out, name + "_bucket", labels(labels, "le", format(le)), count);
        }
        sample(out, name + "_bucket", labels(labels, "le", "+Inf"), h.getTotalCount());
        sample(out, name + "_sum", labels, h.getMean() * h.getTotalCount() / 1_000_000.0);
        sample(out, name + "_count", labels, h.getTotalCount());
    }

    private interface PopValue {
        double of(PopMetrics p);
    }

    private static void popGauge(StringBuilder out, MetricsFrame frame, String name, String help, PopValue value) {
        family(out, name, name.endsWith("_total") ? "counter" : "gauge", help);
        frame.pops().forEach(p -> sample(out, name, labels("pop", p.id(), "region", p.region()), value.of(p)));
    }

    private static String variantLabels(VariantMetrics v) {
        return labels("flag", v.flag(), "variant", v.variant(), "control", Boolean.toString(v.control()));
    }

    /** A family's HELP and TYPE lines. */
    public static void family(StringBuilder out, String name, String type, String help) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n');
        out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    }

    /** One sample, its value exact ({@link #format}). */
    public static void sample(StringBuilder out, String name, String labels, double value) {
        out.append(name);
        if (!labels.isEmpty()) {
            out.append('{').append(labels).append('}');
        }
        out.append(' ').append(format(value)).append('\n');
    }

    static String labels(String... pairs) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < pairs.length; i += 2) {
            if (!b.isEmpty()) b.append(',');
            b.append(pairs[i]).append("=\"").append(escape(pairs[i + 1])).append('"');
        }
        return b.toString();
    }

    private static String labels(String existing, String name, String value) {
        return existing.isEmpty() ? labels(name, value) : existing + "," + labels(name, value);
    }

    /** A label value escaped as the text format asks. */
    public static String escape(String v) {
        return v.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }

    /**
     * A value as the text format reads it, exactly: a whole number as digits, any other as the shortest
     * decimal that reads back as the same double (an epoch time in seconds keeps its milliseconds).
     */
    public static String format(double v) {
        if (Double.isNaN(v)) return "NaN";
        if (Double.isInfinite(v)) return v > 0 ? "+Inf" : "-Inf";
        if (v == Math.rint(v) && Math.abs(v) < 1e15) return Long.toString((long) v);
        return Double.toString(v);
    }

    /** A flag view as Prometheus labels it; public for tests that read the exposition back. */
    public static String flagLabels(FlagView f) {
        return labels("flag", f.key());
    }
}
