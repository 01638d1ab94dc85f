package io.edgedeck.simulator.server;

import io.edgedeck.client.model.Caller;
import io.edgedeck.simulator.server.control.FleetControl;
import io.edgedeck.simulator.server.http.Access;
import io.edgedeck.simulator.server.operators.Operator;
import io.edgedeck.simulator.server.playbooks.Schedule;
import io.edgedeck.simulator.show.Show;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * Every name the node itself acts under in the audit (its owner's token, its configuration, its
 * schedule, the scenario, cues and expiries of faults, its lanes' keys, guardrails, other nodes of a
 * fleet) is one no person can be given, so no change of a person's reads as the node's own.
 */
class ActorNamesTest {
    @Test
    void noPersonCanBeNamedAsTheNodeActs() {
        List<String> actors = List.of(Caller.ADMIN, EdgeNode.CONFIG_ACTOR, Schedule.ACTOR, Show.SCENARIO_OPERATOR,
                Access.ANYONE.name(), Access.READ_KEY.name(), Access.INGEST_KEY.name(),
                // The origins of faults a cue applies and that end by themselves.
                "cue", "expired",
                "guardrail:sentiment-guard", FleetControl.FLEET_ACTOR + "node-a");
        for (String actor : actors) {
            assertNotNull(Operator.nameProblem(actor), actor + " could be a person's name");
        }
    }
}
