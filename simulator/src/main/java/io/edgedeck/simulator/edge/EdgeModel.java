package io.edgedeck.simulator.edge;

import io.edgedeck.engine.pops.PopSite;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * How the simulated edge behaves: each PoP's capacity and latency model, how regions route to
 * PoPs, and the payment acquirer.
 *
 * @param seed           the one seed every random stream of the simulated edge derives from
 * @param tickMillis     engine time per step, the same as the core's
 * @param hopPenaltyMs   extra latency per step down a region's PoP list when routing falls back
 * @param authTimeoutMs  an acquirer slower than this makes a PoP queue checkouts instead (2 s: a
 *                       one-click buyer does not wait longer)
 * @param acquirerBaseMs how long the acquirer normally takes to authorise a checkout
 */
public record EdgeModel(long seed, int tickMillis, List<PopSpec> pops, List<RegionSpec> regions,
                        double hopPenaltyMs, double authTimeoutMs, double acquirerBaseMs) {

    public EdgeModel {
        pops = List.copyOf(pops);
        regions = List.copyOf(regions);
        if (pops.isEmpty()) throw new IllegalArgumentException("a show needs at least one PoP");
        if (regions.isEmpty()) throw new IllegalArgumentException("a show needs at least one region");
        if (tickMillis <= 0 || 1000 % tickMillis != 0) throw new IllegalArgumentException("tickMillis must divide 1000, was " + tickMillis);
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
    public static EdgeModel of(long seed, int tickMillis, List<PopSpec> pops, List<RegionSpec> regions) {
        return new EdgeModel(seed, tickMillis, pops, regions, 15, 2000, 180);
    }

    /** The PoPs as the edge core knows them: where they are and how fast flag changes reach them. */
    public static List<PopSite> sites(List<PopSpec> pops) {
        return pops.stream().map(p -> new PopSite(p.id(), p.region(), p.propagationDelayMillis(), io.edgedeck.engine.pops.Slo.DEFAULT,
                p.cost())).toList();
    }
}
