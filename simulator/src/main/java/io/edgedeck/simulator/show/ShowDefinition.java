package io.edgedeck.simulator.show;

import io.edgedeck.simulator.scenario.Scenario;

/**
 * A show ready to play: a scenario and the seed it runs with (the scenario's own, or one given on
 * the command line).
 */
public record ShowDefinition(Scenario scenario, long seed) {

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
