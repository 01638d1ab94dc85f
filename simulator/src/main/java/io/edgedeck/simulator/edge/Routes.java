package io.edgedeck.simulator.edge;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * How the simulated audience reaches the PoPs. A region's audience is spread over its PoPs in
 * proportion to their capacity, as geo-DNS and anycast spread it; each home PoP falls back to the
 * rest of the region's list in order. A route is a home PoP followed by its fallbacks.
 */
final class Routes {
    private final int[][] routes;
    private final int[] regionFirstRoute;
    private final double[][] regionRouteCumulative;
    private final String[] regionIds;

    Routes(List<PopSpec> pops, List<RegionSpec> regions) {
        Map<String, Integer> popIndex = new HashMap<>();
        for (int i = 0; i < pops.size(); i++) {
            popIndex.put(pops.get(i).id(), i);
        }
        List<int[]> all = new ArrayList<>();
        regionFirstRoute = new int[regions.size()];
        regionRouteCumulative = new double[regions.size()][];
        regionIds = new String[regions.size()];
        for (int r = 0; r < regions.size(); r++) {
            RegionSpec region = regions.get(r);
            regionIds[r] = region.id();
            int[] order = region.pops().stream().mapToInt(popIndex::get).toArray();
            regionFirstRoute[r] = all.size();
            double[] cumulative = new double[order.length];
            double total = 0;
            for (int home = 0; home < order.length; home++) {
                int[] route = new int[order.length];
                route[0] = order[home];
                for (int i = 0, j = 1; i < order.length; i++) {
                    if (i != home) {
                        route[j++] = order[i];
                    }
                }
                all.add(route);
                total += pops.get(order[home]).capacityRps();
                cumulative[home] = total;
            }
            for (int i = 0; i < cumulative.length; i++) {
                cumulative[i] /= total;
            }
            cumulative[cumulative.length - 1] = 1.0;
            regionRouteCumulative[r] = cumulative;
        }
        this.routes = all.toArray(int[][]::new);
    }

    /** A new session's route from a region: its home PoP drawn in proportion to capacity with {@code u} in [0, 1). */
    int pick(int region, double u) {
        double[] c = regionRouteCumulative[region];
        for (int i = 0; i < c.length - 1; i++) {
            if (u < c[i]) {
                return regionFirstRoute[region] + i;
            }
        }
        return regionFirstRoute[region] + c.length - 1;
    }

    /** The PoPs of a route, home first. */
    int[] route(int routeIndex) {
        return routes[routeIndex];
    }

    int home(int routeIndex) {
        return routes[routeIndex][0];
    }

    int regionOf(int routeIndex) {
        for (int r = regionFirstRoute.length - 1; r >= 0; r--) {
            if (routeIndex >= regionFirstRoute[r]) {
                return r;
            }
        }
        throw new IllegalArgumentException("no route " + routeIndex);
    }

    String regionId(int region) {
        return regionIds[region];
    }
}
