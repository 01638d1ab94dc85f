package io.edgedeck.console;

import io.edgedeck.simulator.scenario.Approvals;
import io.edgedeck.simulator.scenario.Scenario;
import io.edgedeck.simulator.scenario.ScenarioCatalog;
import io.edgedeck.simulator.server.EdgeNode;
import io.edgedeck.simulator.show.ShowDefinition;

import java.net.InetAddress;
import java.nio.file.Path;

/** A node on loopback for the console's approval tests: the steady show with lanes (a treatment above 60%, unkill, disarm). */
public final class LanedNodes {
    private LanedNodes() {
    }

    /** Starts it at 1x on {@code data}, on a free port. */
    public static EdgeNode start(Path data) throws Exception {
        return start(data, ScenarioCatalog.resolve("steady-show").flags());
    }

    /** Starts it at 1x on {@code data}, on a free port, with {@code flags} for the show's. */
    public static EdgeNode start(Path data, java.util.List<io.edgedeck.simulator.scenario.FlagSpec> flags) throws Exception {
        Scenario s = ScenarioCatalog.resolve("steady-show");
        Scenario laned = new Scenario(s.name(), s.description(), s.seed(), s.durationSeconds(), s.frameMillis(), s.pops(),
                s.regions(), s.audience(), flags, s.triggers(), s.guardrails(), s.cues(), new Approvals(60.0, true, true, null));
        return EdgeNode.start(new EdgeNode.Config(ShowDefinition.of(laned), 1, InetAddress.getLoopbackAddress(), 0, data));
    }
}
