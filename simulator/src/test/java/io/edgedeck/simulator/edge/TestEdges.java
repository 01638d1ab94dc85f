package io.edgedeck.simulator.edge;

import io.edgedeck.engine.EdgeCore;
import io.edgedeck.engine.TestShows;
import io.edgedeck.engine.journal.Journal;

import java.util.List;

/** A core and the simulated edge feeding it, for tests: {@link TestShows#threePops}'s PoPs with latency models. */
record TestEdges(EdgeCore core, SimulatedEdge edge) {

    static EdgeModel threePops(long seed, double capacityRps) {
        List<PopSpec> pops = List.of(
                new PopSpec("fra", "eu", capacityRps, new LatencySpec(20, LatencyDistribution.PARETONORMAL, 5, 3, 0.3, 0.001), 100),
                new PopSpec("ams", "eu", capacityRps, new LatencySpec(25, LatencyDistribution.NORMAL, 4, 2, 0.2, 0.0), 150),
                new PopSpec("iad", "na", capacityRps, new LatencySpec(35, LatencyDistribution.LOGNORMAL, 6, 4, 0.1, 0.002), 200));
        List<RegionSpec> regions = List.of(
                new RegionSpec("eu", 0.6, List.of("fra", "ams")),
                new RegionSpec("na", 0.4, List.of("iad", "ams")));
        return EdgeModel.of(seed, 10, pops, regions);
    }

    /** Opens a core on the journal (restoring what it records) and the simulated edge on it. */
    static TestEdges open(long seed, double capacityRps, Journal journal) {
        EdgeCore core = new EdgeCore(TestShows.threePops(seed), journal);
        return new TestEdges(core, new SimulatedEdge(threePops(seed, capacityRps), core));
    }

    /** Ends one tick the way a show does. */
    void advance() {
        edge.endTick();
        core.advance();
        edge.expireFaults();
    }
}
