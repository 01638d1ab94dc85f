package io.edgedeck.console.connection;

import io.edgedeck.client.EdgeConnection;
import io.edgedeck.console.ConsoleOptions;
import io.edgedeck.engine.journal.MemoryJournal;
import io.edgedeck.simulator.show.RehearsalConnection;
import io.edgedeck.simulator.show.Show;
import io.edgedeck.simulator.show.ShowDefinition;
import io.edgedeck.simulator.show.ShowRunner;
import io.edgedeck.simulator.show.StarterShow;

/** Opens the connection the command line asks for. */
public final class Connections {
    private Connections() {
    }

    /** A rehearsal of the named show, already playing. */
    public static EdgeConnection open(ConsoleOptions options) {
        ShowDefinition definition = resolve(options.scenario(), options.seed());
        ShowRunner runner = new ShowRunner(new Show(definition, new MemoryJournal()), options.speed());
        return new RehearsalConnection(runner.start());
    }

    static ShowDefinition resolve(String scenario, long seed) {
        if (scenario.equals("steady-show")) {
            return StarterShow.steadyShow(seed);
        }
        throw new IllegalArgumentException("unknown scenario '" + scenario + "'; built in: steady-show");
    }
}
