package io.edgedeck.simulator.server.metrics;

import io.edgedeck.client.model.MetricsFrame;
import io.edgedeck.client.model.PopMetrics;
import io.edgedeck.client.model.ShowState;
import io.edgedeck.client.model.VariantMetrics;
import io.edgedeck.engine.journal.MemoryJournal;
import io.edgedeck.simulator.scenario.ScenarioCatalog;
import io.edgedeck.simulator.show.Show;
import io.edgedeck.simulator.show.ShowDefinition;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

class PrometheusExpositionTest {
    private static MetricsFrame frame;
    private static String text;
    private static final Map<String, Double> samples = new HashMap<>();

    @BeforeAll
    static void playPastTheRollback() {
        var scenario = ScenarioCatalog.load("sentiment-crash");
        Show show = new Show(new ShowDefinition(scenario, scenario.seed()), new MemoryJournal());
        while (show.core().nowMillis() < 400_000) {
            show.step();
        }
        frame = show.frame(ShowState.RUNNING, 1);
        text = PrometheusExposition.render(show, frame);
        for (String line : text.split("\n")) {
            if (!line.startsWith("#") && !line.isBlank()) {
                int space = line.lastIndexOf(' ');
                samples.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1).replace("+Inf", "Infinity")));
            }
        }
    }

    private static double sample(String name, String labels) {
        Double v = samples.get(labels.isEmpty() ? name : name + "{" + labels + "}");
        if (v == null) fail("no sample " + name + "{" + labels + "} in:\n" + text);
        return v;
    }

    @Test
    void theDecisionBudgetIsAHistogramPerStageThatAgreesWithTheFrame() {
        var d = frame.decisions();
        assertTrue(d.decisions() > 0, "sentiment-crash has checkouts and triggers: " + d);
        for (var stage : io.edgedeck.client.model.DecisionStage.values()) {
            String l = "stage=\"" + stage.wireName() + "\"";
            assertEquals(d.decisions(), sample("edgedeck_decision_stage_duration_seconds_count", l));
            assertEquals(d.decisions(), sample("edgedeck_decision_stage_duration_seconds_bucket", l + ",le=\"+Inf\""));
            double previous = 0;
            for (double le : PrometheusExposition.DECISION_BUCKETS) {
                double count = sample("edgedeck_decision_stage_duration_seconds_bucket", l + ",le=\"" + PrometheusExposition.format(le) + "\"");
                assertTrue(count >= previous, "buckets are cumulative");
                previous = count;
            }
            assertEquals(stage.budgetMs() / 1000, sample("edgedeck_decision_stage_budget_seconds", l), 1e-12);
        }
        assertEquals(d.decisions(), sample("edgedeck_decisions_total", ""));
        assertEquals(d.overSlo(), sample("edgedeck_decisions_over_slo_total", ""));
        assertEquals(d.windowOverSloShare(), sample("edgedeck_decision_over_slo_ratio", ""), 1e-12);
    }

    @Test
    void valuesReadBackMatchTheFrame() {
        for (PopMetrics p : frame.pops()) {
            String l = "pop=\"" + p.id() + "\",region=\"" + p.region() + "\"";
            assertEquals(p.requests(), sample("edgedeck_pop_requests_total", l));
            assertEquals(p.errors(), sample("edgedeck_pop_errors_total", l));
            assertEquals(p.jitterMs() / 1000, sample("edgedeck_pop_jitter_seconds", l), 1e-12);
            assertEquals(p.last10s().p95Ms() / 1000, sample("edgedeck_pop_latency_seconds", l + ",percentile=\"95\""), 1e-12);
            double count = sample("edgedeck_pop_request_duration_seconds_count", l);
            assertEquals(count, sample("edgedeck_pop_request_duration_seconds_bucket", l + ",le=\"+Inf\""));
            assertTrue(count > 0 && count <= p.requests(), "the histogram covers completed seconds");
            double previous = 0;
            for (double le : PrometheusExposition.BUCKETS) {
                double cumulative = sample("edgedeck_pop_request_duration_seconds_bucket", l + ",le=\"" + PrometheusExposition.format(le) + "\"");
                assertTrue(cumulative >= previous, "buckets are cumulative");
                previous = cumulative;
            }
        }
        for (VariantMetrics v : frame.variants()) {
            String l = "flag=\"" + v.flag() + "\",variant=\"" + v.variant() + "\",control=\"" + v.control() + "\"";
            assertEquals(v.exposures(), sample("edgedeck_variant_exposures_total", l));
            assertEquals(v.conversions(), sample("edgedeck_variant_conversions_total", l));
        }
        var f = frame.firings().getFirst();
        assertEquals(1, sample("edgedeck_guardrail_firings_total", "rule=\"" + f.rule() + "\",flag=\"" + f.flag()
                + "\",variant=\"" + f.variant() + "\",action=\"rollback\",automatic=\"true\""));
        assertEquals(frame.flags().getFirst().version(), sample("edgedeck_flag_version", "flag=\"" + frame.flags().getFirst().key() + "\""));
    }

    @Test
    void labelValuesAreEscaped() {
        assertEquals("a=\"x\\\"y\\\\z\\nw\"", PrometheusExposition.labels("a", "x\"y\\z\nw"));
    }

    /** Prometheus's own linter (skipped where it is absent outside CI). */
    @Test
    void promtoolFindsNothingToComplainAbout() throws IOException, InterruptedException {
        Promtool.assertClean(text);
    }
}
