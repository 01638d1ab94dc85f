package io.edgedeck.console;

import io.edgedeck.client.model.ChatMetrics;
import io.edgedeck.client.model.CheckoutCounts;
import io.edgedeck.client.model.EventCounts;
import io.edgedeck.client.model.FlagView;
import io.edgedeck.client.model.GuardrailFiring;
import io.edgedeck.client.model.GuardrailStatus;
import io.edgedeck.client.model.LatencyWindow;
import io.edgedeck.client.model.MetricsFrame;
import io.edgedeck.client.model.PopHealth;
import io.edgedeck.client.model.PopMetrics;
import io.edgedeck.client.model.ShowEvent;
import io.edgedeck.client.model.ShowState;
import io.edgedeck.client.model.VariantMetrics;
import io.edgedeck.client.model.VariantView;

import java.util.List;
import java.util.Map;

/** Hand-made frames for view-model tests: only what a test sets differs from a quiet show. */
public final class Frames {
    private Frames() {
    }

    public static PopMetrics pop(String id, double p95, PopHealth health) {
        return new PopMetrics(id, "eu", health, new LatencyWindow(10, 500, p95 / 2, p95, p95 * 1.3, p95 * 2),
                LatencyWindow.empty(60), 3.5, 0.01, 50, 1000, 10, 0, 0, 0, List.of());
    }

    public static FlagView flag(String key, long version, int treatmentWeight) {
        return new FlagView(key, "a test flag", "qa", List.of(new VariantView("control", 10_000 - treatmentWeight),
                new VariantView("treatment", treatmentWeight)), "control", "global", version, false, 6, 6, 200L);
    }

    public static GuardrailFiring firing(long atMillis, boolean automatic) {
        return new GuardrailFiring(atMillis, automatic ? "sentiment-guard" : "manual", "offer-banner", "treatment",
                io.edgedeck.client.model.GuardrailAction.ROLLBACK, List.of("fra"),
                "since 04:30: sentiment change -40% (at most -22%): clearly below control and below -15%", automatic,
                automatic ? "guardrail:sentiment-guard" : "ana", Map.of("sentimentChange", -0.4));
    }

    /** A frame at {@code engineMillis} of steady-show with these parts; nulls are empty. */
    public static MetricsFrame frame(long engineMillis, List<PopMetrics> pops, List<VariantMetrics> variants,
                                     ChatMetrics chat, List<FlagView> flags, List<GuardrailStatus> guardrails,
                                     List<GuardrailFiring> firings, List<ShowEvent> timeline) {
        return new MetricsFrame(engineMillis / 250, engineMillis, "steady-show", 7, ShowState.RUNNING, 1, 900,
                pops == null ? List.of(pop("fra", 40, PopHealth.UP)) : pops, variants == null ? List.of() : variants,
                new CheckoutCounts(10, 8, 2, 2, 0, 0), new EventCounts(1000, 990, 10), chat, flags, guardrails,
                firings, null, timeline);
    }
}
