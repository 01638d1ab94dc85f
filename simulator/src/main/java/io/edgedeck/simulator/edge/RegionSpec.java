package io.edgedeck.simulator.edge;

import java.util.List;

/**
 * An audience region and the PoPs that serve it, nearest first. Routing walks this list:
 * the first healthy PoP with headroom takes the request.
 *
 * @param id    region id, e.g. {@code eu}
 * @param share fraction of the audience that arrives from this region, in (0, 1]
 * @param pops  PoP ids, nearest first
 */
public record RegionSpec(String id, double share, List<String> pops) {
    public RegionSpec {
        if (id == null || id.isBlank()) throw new IllegalArgumentException("region id is required");
        if (!(share > 0 && share <= 1)) throw new IllegalArgumentException("region " + id + ": share must be in (0, 1], was " + share);
        if (pops == null || pops.isEmpty()) throw new IllegalArgumentException("region " + id + ": pops must name at least one PoP");
        pops = List.copyOf(pops);
    }
}
