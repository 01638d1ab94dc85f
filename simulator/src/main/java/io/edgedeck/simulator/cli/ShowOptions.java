package io.edgedeck.simulator.cli;

import picocli.CommandLine.Option;

/** The options that pick a show, declared once and mixed into the commands that play one. */
final class ShowOptions {
    private ShowOptions() {
    }

    /** {@code --scenario NAME|FILE}, required. */
    static final class Scenario {
        @Option(names = "--scenario", required = true, paramLabel = "NAME|FILE",
                description = "a built-in show (see 'scenarios') or a scenario file")
        String name;
    }

    /** {@code --seed N}: the show's seed instead of the scenario's own. */
    static final class Seed {
        @Option(names = "--seed", paramLabel = "N", description = "the show's seed (default: the scenario's own)")
        Long value;

        /** The seed given, or else the scenario's. */
        long or(long scenarioSeed) {
            return value != null ? value : scenarioSeed;
        }
    }
}
