package io.edgedeck.simulator.show;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgedeck.simulator.scenario.Scenario;

/**
 * A show ready to play: a scenario and the seed it runs with (the scenario's own, or one given on
 * the command line).
 *
 * @param document the scenario file's document when the scenario is not built in, journaled so the
 *                 journal alone can replay the show; null for a built-in scenario
 */
public record ShowDefinition(Scenario scenario, long seed, JsonNode document) {

    public ShowDefinition(Scenario scenario, long seed) {
        this(scenario, seed, null);
    }

    public static ShowDefinition of(Scenario scenario) {
        return new ShowDefinition(scenario, scenario.seed());
    }

    public String name() {
        return scenario.name();
    }

    public int durationSeconds() {
        return scenario.durationSeconds();
    }
}
