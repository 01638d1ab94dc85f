package io.edgedeck.simulator.cli;

import io.edgedeck.client.files.OutputFile;
import io.edgedeck.engine.journal.MemoryJournal;
import io.edgedeck.simulator.bundle.BundleWriter;
import io.edgedeck.simulator.bundle.ShowBundle;
import io.edgedeck.simulator.scenario.Scenario;
import io.edgedeck.simulator.show.Show;
import io.edgedeck.simulator.show.ShowDefinition;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code bundle --scenario NAME|FILE [--seed N] [--until SECONDS] --out FILE.zip}: plays a show
 * headless to a moment and writes the diagnostic bundle support would attach to a ticket.
 */
@Command(name = "bundle", description = "play a show headless to a time and write a diagnostic bundle (zip)",
        mixinStandardHelpOptions = true)
final class BundleCommand implements Callable<Integer> {

    @Mixin
    ShowOptions.Scenario show;

    @Mixin
    ShowOptions.Seed seed;

    @Option(names = "--until", paramLabel = "SECONDS", converter = OptionTypes.ShowSeconds.class,
            description = "engine seconds to play, 1 to 86400 (default: the whole show)")
    Long untilSeconds;

    @Option(names = "--out", required = true, paramLabel = "FILE.zip", description = "where to write the bundle")
    Path outFile;

    private final PrintStream out;
    private final PrintStream err;

    BundleCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    @Override
    public Integer call() throws IOException {
        Scenario scenario = RunCommand.resolve("bundle", show.name, err);
        if (scenario == null) {
            return ExitCode.BAD_INPUT;
        }
        // Said before the show is played (the directories on the way are made as the bundle is written).
        if (Files.isDirectory(outFile)) {
            err.println("bundle: --out " + outFile + " is a directory; give the bundle's file name, such as "
                    + outFile.resolve("edgedeck-bundle.zip"));
            return ExitCode.BAD_INPUT;
        }
        if (!OutputPaths.fileWritable("bundle", "--out", outFile, err, OutputPaths.Other.scenario(show.name))) {
            return ExitCode.BAD_INPUT;
        }
        Show show = new Show(new ShowDefinition(scenario, seed.or(scenario.seed())),
                new MemoryJournal());
        long untilMillis = untilSeconds == null ? show.durationMillis()
                : Math.min(show.durationMillis(), untilSeconds * 1000);
        while (show.core().nowMillis() < untilMillis) {
            show.step();
        }
        var bundle = ShowBundle.capture(show, "edgedeck-sim " + Main.version());
        try {
            BundleWriter.write(bundle, outFile, BundleWriter.Progress.NONE);
        } catch (IOException e) {
            // the writer removes its temporary file; the message names the bundle, not that file
            err.println("bundle: cannot write --out " + outFile + ": " + OutputFile.reason(e));
            return ExitCode.INTERNAL_ERROR;
        }
        out.printf(Locale.ROOT, "bundle     %s%nshow       %s, seed %d, at %d s of %d s, %d PoPs%n", outFile,
                scenario.name(), bundle.manifest().seed(), show.core().nowMillis() / 1000, show.durationMillis() / 1000,
                bundle.history().size());
        return ExitCode.OK;
    }
}
