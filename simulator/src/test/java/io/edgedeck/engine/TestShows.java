package io.edgedeck.engine;

import io.edgedeck.engine.model.LatencyDistribution;
import io.edgedeck.engine.model.LatencySpec;
import io.edgedeck.engine.model.PopSpec;
import io.edgedeck.engine.model.RegionSpec;

import java.util.List;

/** Small engine setups for tests. */
public final class TestShows {
    private TestShows() {
    }

    public static EngineConfig threePops(long seed, double capacityRps) {
        List<PopSpec> pops = List.of(
                new PopSpec("fra", "eu", capacityRps, new LatencySpec(20, LatencyDistribution.PARETONORMAL, 5, 3, 0.3, 0.001), 100),
                new PopSpec("ams", "eu", capacityRps, new LatencySpec(25, LatencyDistribution.NORMAL, 4, 2, 0.2, 0.0), 150),
                new PopSpec("iad", "na", capacityRps, new LatencySpec(35, LatencyDistribution.LOGNORMAL, 6, 4, 0.1, 0.002), 200));
        List<RegionSpec> regions = List.of(
                new RegionSpec("eu", 0.6, List.of("fra", "ams")),
                new RegionSpec("na", 0.4, List.of("iad", "ams")));
        return EngineConfig.of("test", seed, 250, pops, regions, List.of());
    }
}
