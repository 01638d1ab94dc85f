package io.edgedeck.console.dashboard;

import io.edgedeck.client.model.PopBaseline;
import io.edgedeck.client.model.PopHealth;
import io.edgedeck.client.model.PopMetrics;
import io.edgedeck.console.common.Status;
import io.edgedeck.console.common.TileColouring;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * How a PoP's numbers map to a colour. Grey when the PoP has had no observations lately ("no data":
 * unknown, not up), red when it is down or its node calls it degraded (over the node's objectives:
 * never merely amber); otherwise
 * <ul>
 *   <li>{@link TileColouring#FIXED}: red when p95 is over the objective, amber when it is within 20%
 *       of it or the PoP is partitioned, green otherwise;</li>
 *   <li>{@link TileColouring#ADAPTIVE}: against the normal its node learned for the PoP
 *       ({@link PopBaseline}, docs/BASELINES.md): red when p95 is above the normal band and at least
 *       {@value #ADAPTIVE_BAD_RATIO} times normal, amber when it is above the band or the PoP is
 *       partitioned, green otherwise. Until the node has learned a normal (its first minute, or
 *       from a node that learns none) the fixed objective judges, and the tile says so.</li>
 * </ul>
 * The objective is the PoP's own when its node sends one ({@link PopMetrics#slo()}, from the node
 * configuration's {@code pops[].slo}), and {@code p95TargetMs}, the console's Settings, otherwise.
 *
 * @param p95TargetMs the objective for p95 latency, in ms, for a PoP whose node sends none of its own
 * @param colouring   what the colour is judged against
 */
public record Slo(double p95TargetMs, TileColouring colouring) {
    public static final Slo DEFAULT = new Slo(150);
    private static final double WARN_SHARE = 0.8;
    /** Adaptive: how many times its normal p95 a PoP must be, besides outside its band, to be red. */
    static final double ADAPTIVE_BAD_RATIO = 1.5;

    public Slo {
        if (!(p95TargetMs > 0)) throw new IllegalArgumentException("the p95 objective must be > 0 ms, was " + p95TargetMs);
        colouring = colouring == null ? TileColouring.FIXED : colouring;
    }

    /** Coloured against the fixed objective. */
    public Slo(double p95TargetMs) {
        this(p95TargetMs, TileColouring.FIXED);
    }

    /**
     * A PoP's colour and what it was judged against.
     *
     * @param lineMs the p95 the colour turns at: the objective, or the top of the PoP's normal band
     * @param basis  in words, e.g. "objective 120 ms (node config)", "objective 150 ms (Settings)" or
     *               "normal 48 ms, band to 61 ms"
     */
    public record Verdict(Status status, double lineMs, String basis) {
    }

    /** Where a PoP's p95 objective comes from, in words after it: its node's configuration or this console's Settings. */
    public static final String FROM_NODE = "node config";
    public static final String FROM_SETTINGS = "Settings";

    /**
     * A PoP's p95 objective, in ms: its node's when the node sends one, the Settings' otherwise (a PoP whose node
     * config declares only a loss objective has no p95 objective of its own).
     */
    public double objectiveMs(PopMetrics m) {
        return fromNode(m) ? m.slo().p95Ms() : p95TargetMs;
    }

    /** Where {@link #objectiveMs} came from: {@link #FROM_NODE} or {@link #FROM_SETTINGS}. */
    public static String objectiveSource(PopMetrics m) {
        return fromNode(m) ? FROM_NODE : FROM_SETTINGS;
    }

    private static boolean fromNode(PopMetrics m) {
        return m.slo() != null && m.slo().declaresP95();
    }

    /**
     * PoPs judged against one p95 objective from one source.
     *
     * @param ms     the objective, in ms
     * @param source {@link #FROM_NODE} or {@link #FROM_SETTINGS}
     * @param pops   the PoPs' ids, in the edge's order; empty before the first frame
     */
    public record Objective(double ms, String source, List<String> pops) {
        public Objective {
            pops = List.copyOf(pops);
        }

        /** "objective 120 ms (node config)", or with the PoPs named, in capitals as every tab writes them, "objective 120 ms (node config: FRA)". */
        public String label(boolean namePops) {
            return String.format(Locale.ROOT, "objective %.0f ms (%s%s)", ms, source,
                    namePops && !pops.isEmpty() ? ": " + shown(pops) : "");
        }

        /** "AMS, IAD" for {@code ams} and {@code iad}. */
        static String shown(List<String> pops) {
            return String.join(", ", pops.stream().map(io.edgedeck.console.common.PopIds::shown).toList());
        }
    }

    /**
     * The objectives the PoPs of a frame are judged against, one per value and source, in the edge's
     * order of their first PoP: one (the Settings', naming no PoP) before the first frame.
     */
    public List<Objective> objectives(List<PopMetrics> pops) {
        Map<Map.Entry<String, Double>, List<String>> groups = new LinkedHashMap<>();
        for (PopMetrics m : pops) {
            groups.computeIfAbsent(Map.entry(objectiveSource(m), objectiveMs(m)), k -> new ArrayList<>()).add(m.id());
        }
        if (groups.isEmpty()) {
            return List.of(new Objective(p95TargetMs, FROM_SETTINGS, List.of()));
        }
        List<Objective> out = new ArrayList<>();
        groups.forEach((key, ids) -> out.add(new Objective(key.getValue(), key.getKey(), ids)));
        return List.copyOf(out);
    }

    /**
     * The objectives in words: "objective 150 ms (Settings)" when every PoP has the one, otherwise each
     * after its PoPs, "objectives FRA 120 ms (node config) · AMS, IAD 150 ms (Settings)".
     */
    public static String describe(List<Objective> objectives) {
        if (objectives.size() == 1) {
            return objectives.getFirst().label(false);
        }
        return "objectives " + String.join(" · ", objectives.stream().map(o -> String.format(Locale.ROOT, "%s %.0f ms (%s)",
                Objective.shown(o.pops()), o.ms(), o.source())).toList());
    }

    /** The colour of a PoP's tile. */
    public Verdict judge(PopMetrics m) {
        double p95 = m.last10s().p95Ms();
        PopBaseline b = m.baseline();
        if (colouring == TileColouring.ADAPTIVE && b.learned()) {
            String basis = String.format(Locale.ROOT, "normal %.0f ms, band to %.0f ms", b.p95Ms(), b.p95HighMs())
                    + (b.frozen() ? ", frozen: " + b.frozenBy() : "");
            return new Verdict(classifyAdaptive(p95, m.health(), b), b.p95HighMs(), basis);
        }
        double objective = objectiveMs(m);
        String basis = String.format(Locale.ROOT, "objective %.0f ms (%s)", objective, objectiveSource(m));
        if (colouring == TileColouring.ADAPTIVE) {
            basis += b.samples() == 0 && b.windowSeconds() == 0 ? ", the node learns no normal"
                    : String.format(Locale.ROOT, ", learning normal: %d of %d s", b.samples(), PopBaseline.MIN_SAMPLES);
        }
        return new Verdict(classify(p95, m.health(), objective), objective, basis);
    }

    private static Status classifyAdaptive(double p95Ms, PopHealth health, PopBaseline b) {
        if (health == PopHealth.NO_DATA) {
            return Status.STALE;
        }
        boolean outside = p95Ms > b.p95HighMs();
        if (health == PopHealth.DOWN || health == PopHealth.DEGRADED || (outside && p95Ms >= ADAPTIVE_BAD_RATIO * b.p95Ms())) {
            return Status.BAD;
        }
        if (health != PopHealth.UP || outside) {
            return Status.WARN;
        }
        return Status.OK;
    }

    /** Against the Settings' objective. */
    public Status classify(double p95Ms, PopHealth health) {
        return classify(p95Ms, health, p95TargetMs);
    }

    /** Against a fixed objective; degraded is the node's word that the PoP is over its own objectives: red. */
    private static Status classify(double p95Ms, PopHealth health, double objectiveMs) {
        if (health == PopHealth.NO_DATA) {
            // Nothing observed lately: unknown, grey, never green.
            return Status.STALE;
        }
        if (health == PopHealth.DOWN || health == PopHealth.DEGRADED || p95Ms > objectiveMs) {
            return Status.BAD;
        }
        if (health != PopHealth.UP || p95Ms > objectiveMs * WARN_SHARE) {
            return Status.WARN;
        }
        return Status.OK;
    }
}
