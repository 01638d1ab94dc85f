package io.edgedeck.console.connection;

import io.edgedeck.client.EdgeConnection;
import io.edgedeck.client.http.HttpEdgeConnection;
import io.edgedeck.console.ConsoleOptions;
import io.edgedeck.engine.journal.MemoryJournal;
import io.edgedeck.simulator.scenario.Scenario;
import io.edgedeck.simulator.scenario.ScenarioCatalog;
import io.edgedeck.simulator.show.RehearsalConnection;
import io.edgedeck.simulator.show.Show;
import io.edgedeck.simulator.show.ShowDefinition;
import io.edgedeck.simulator.show.ShowRunner;

import java.io.IOException;

/** Opens the connection the command line asks for. */
public final class Connections {
    /** How long opening a live connection waits for the server to say what it is; one that has not said is taken for a node. */
    static final java.time.Duration FIRST_ANSWER_WAIT = java.time.Duration.ofSeconds(2);

    private Connections() {
    }

    /**
     * The show the options name: a built-in scenario or a file, with the seed given or the
     * scenario's own.
     *
     * @throws ScenarioCatalog.UnknownScenarioException when the name is neither a built-in nor a file
     * @throws io.edgedeck.simulator.scenario.ScenarioValidationException when the file is not a valid scenario
     * @throws IOException when the file cannot be read
     */
    public static ShowDefinition rehearsal(ConsoleOptions options) throws IOException {
        Scenario scenario = ScenarioCatalog.resolve(options.scenario());
        return new ShowDefinition(scenario, options.seed() != null ? options.seed() : scenario.seed());
    }

    /** A rehearsal of a scenario (a built-in's name or a file's path), already playing. Blocking. */
    public static EdgeConnection rehearse(String scenario, Long seed, double speed) throws IOException {
        return open(new ConsoleOptions(scenario, seed, speed, io.edgedeck.themes.Theme.DARK, null, 0));
    }

    /**
     * A rehearsal of a scenario held at 00:00 until it is resumed: what the Rehearsal tab's Start builds,
     * so the console sees the new show from its first second however long handing it over takes. Blocking.
     */
    public static EdgeConnection rehearseHeld(String scenario, Long seed, double speed) throws IOException {
        return openHeld(new ConsoleOptions(scenario, seed, speed, io.edgedeck.themes.Theme.DARK, null, 0));
    }

    /**
     * A live connection to the node the options name; or the bundle they name, opened offline; or
     * else a rehearsal of the show, already playing.
     */
    public static EdgeConnection open(ConsoleOptions options) throws IOException {
        return open(options, false);
    }

    /**
     * As {@link #open}, but a rehearsal is held at 00:00 until it is resumed: the console resumes it once
     * its window shows, so a slow start costs the Timeline none of the show.
     */
    public static EdgeConnection openHeld(ConsoleOptions options) throws IOException {
        return open(options, true);
    }

    private static EdgeConnection open(ConsoleOptions options, boolean held) throws IOException {
        if (options.connect() != null) {
            NodeTokens tokens = NodeTokens.inUserConfig();
            String token = tokens.token(options.connect(), options.tokenFile(), options.insecure());
            // Named when the node refuses the token, so the person knows which file to change.
            String source = options.tokenFile() != null ? "the token file " + options.tokenFile()
                    : "the token remembered for this node in " + tokens.file();
            HttpEdgeConnection live = HttpEdgeConnection.open(options.connect(), token, source,
                    HttpEdgeConnection.Settings.defaults());
            try {
                // Whether it is a node or a fleet aggregator decides which views the console offers: ask before it builds them.
                live.awaitFirstAnswer(FIRST_ANSWER_WAIT);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return live;
        }
        if (options.bundle() != null) {
            return new io.edgedeck.simulator.bundle.BundleConnection(io.edgedeck.simulator.bundle.BundleReader.read(options.bundle()),
                    String.valueOf(options.bundle().getFileName()));
        }
        ShowRunner runner = new ShowRunner(new Show(rehearsal(options), new MemoryJournal()), options.speed());
        return new RehearsalConnection(held ? runner.startHeld() : runner.start(), options.scenario());
    }
}
