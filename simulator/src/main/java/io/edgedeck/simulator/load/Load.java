package io.edgedeck.simulator.load;

import io.edgedeck.simulator.show.ShowDefinition;

import java.io.PrintStream;
import java.net.URI;

/** {@code load}'s entry point for the command line: drive a node with a show and compare. */
public final class Load {
    private Load() {
    }

    /**
     * Checks the node, sends it the whole show at {@code speed} (0: as fast as the node takes it),
     * plays the show alone in-process, and compares. Progress goes to {@code progress}.
     */
    public static LoadComparison run(ShowDefinition show, URI target, NodeKeys keys, double speed, PrintStream progress)
            throws LoadException {
        try (NodeClient node = new NodeClient(target, keys)) {
            LoadRun run = new LoadRun(show, node, speed, progress);
            LoadRun.Result result = run.run();
            return LoadComparison.of(result, run.inProcessAlone(), speed);
        }
    }
}
