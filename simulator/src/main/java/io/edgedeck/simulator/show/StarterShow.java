package io.edgedeck.simulator.show;

import io.edgedeck.engine.EngineConfig;
import io.edgedeck.engine.model.Fault;
import io.edgedeck.engine.model.LatencyDistribution;
import io.edgedeck.engine.model.LatencySpec;
import io.edgedeck.engine.model.PopSpec;
import io.edgedeck.engine.model.RegionSpec;
import io.edgedeck.simulator.traffic.TrafficProfile;

import java.util.List;

/** A small six-PoP show with one outage: the show the console opens when no scenario file is given. */
public final class StarterShow {
    private StarterShow() {
    }

    public static ShowDefinition steadyShow(long seed) {
        List<PopSpec> pops = List.of(
                pop("fra", "eu", 18, 3), pop("ams", "eu", 22, 4), pop("lhr", "eu", 25, 4),
                pop("iad", "na", 30, 5), pop("sfo", "na", 42, 6), pop("sin", "apac", 65, 9));
        List<RegionSpec> regions = List.of(
                new RegionSpec("eu", 0.45, List.of("fra", "ams", "lhr")),
                new RegionSpec("na", 0.40, List.of("iad", "sfo")),
                new RegionSpec("apac", 0.15, List.of("sin", "sfo")));
        TrafficProfile traffic = new TrafficProfile(20, List.of(new TrafficProfile.Stage(120, 60), new TrafficProfile.Stage(780, 60)),
                240, 6, 3, 1.2, 0.6, 0.12, 0.5, List.of(0.45, 0.40, 0.15), TrafficProfile.ChatMood.CALM);
        List<TimedCue> cues = List.of(
                new TimedCue(300_000, "outage ams for 60 s",
                        s -> s.engine().applyFault("ams", new Fault.Outage(), 60_000, "cue")));
        return new ShowDefinition("steady-show", "Six PoPs, a steady audience, one short outage", seed, 900,
                EngineConfig.of("steady-show", seed, EngineConfig.DEFAULT_FRAME_MILLIS, pops, regions), traffic, cues);
    }

    private static PopSpec pop(String id, String region, double baseMs, double jitterMs) {
        return new PopSpec(id, region, 400,
                new LatencySpec(baseMs, LatencyDistribution.PARETONORMAL, baseMs * 0.25, jitterMs, 0.25, 0.001), 120);
    }
}
