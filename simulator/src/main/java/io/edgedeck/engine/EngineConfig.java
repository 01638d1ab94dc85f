package io.edgedeck.engine;

import io.edgedeck.engine.guardrails.GuardrailSpec;
import io.edgedeck.engine.model.PopSpec;
import io.edgedeck.engine.model.RegionSpec;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What an engine needs to run a show.
 *
 * @param scenario        the show's name, carried into frames and the journal
 * @param seed            the one seed every random stream derives from
 * @param tickMillis      engine time per step; commands from outside apply between steps
 * @param frameMillis     engine time between metrics frames (a multiple of tickMillis)
 * @param hopPenaltyMs    extra latency per step down a region's PoP list when routing falls back
 * @param authTimeoutMs   an acquirer slower than this makes a PoP queue checkouts instead (2 s: a
 *                        one-click buyer does not wait longer)
 * @param acquirerBaseMs  how long the acquirer normally takes to authorise a checkout
 * @param guardrails      the show's guardrail rules; their flags are created by commands
 */
public record EngineConfig(String scenario, long seed, int tickMillis, int frameMillis,
                           List<PopSpec> pops, List<RegionSpec> regions, List<GuardrailSpec> guardrails,
                           double hopPenaltyMs, double authTimeoutMs, double acquirerBaseMs) {

    public static final int DEFAULT_TICK_MILLIS = 10;
    public static final int DEFAULT_FRAME_MILLIS = 250;

    public EngineConfig {
        pops = List.copyOf(pops);
        regions = List.copyOf(regions);
        guardrails = guardrails == null ? List.of() : List.copyOf(guardrails);
        if (pops.isEmpty()) throw new IllegalArgumentException("a show needs at least one PoP");
        if (regions.isEmpty()) throw new IllegalArgumentException("a show needs at least one region");
        if (tickMillis <= 0 || 1000 % tickMillis != 0) throw new IllegalArgumentException("tickMillis must divide 1000, was " + tickMillis);
        if (frameMillis <= 0 || frameMillis % tickMillis != 0) throw new IllegalArgumentException("frameMillis must be a multiple of tickMillis (" + tickMillis + "), was " + frameMillis);
        Set<String> ids = new HashSet<>();
        for (PopSpec p : pops) {
            if (!ids.add(p.id())) throw new IllegalArgumentException("duplicate PoP id " + p.id());
        }
        for (RegionSpec r : regions) {
            for (String p : r.pops()) {
                if (!ids.contains(p)) throw new IllegalArgumentException("region " + r.id() + " names unknown PoP " + p);
            }
        }
    }

    /** The defaults the built-in shows use for everything but PoPs and regions. */
    public static EngineConfig of(String scenario, long seed, int frameMillis, List<PopSpec> pops, List<RegionSpec> regions,
                                  List<GuardrailSpec> guardrails) {
        return new EngineConfig(scenario, seed, DEFAULT_TICK_MILLIS, frameMillis, pops, regions, guardrails, 15, 2000, 180);
    }
}
