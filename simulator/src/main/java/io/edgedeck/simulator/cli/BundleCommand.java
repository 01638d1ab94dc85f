package io.edgedeck.simulator.cli;

import io.edgedeck.engine.journal.MemoryJournal;
import io.edgedeck.simulator.bundle.BundleWriter;
import io.edgedeck.simulator.bundle.ShowBundle;
import io.edgedeck.simulator.scenario.Scenario;
import io.edgedeck.simulator.show.Show;
import io.edgedeck.simulator.show.ShowDefinition;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * {@code bundle --scenario NAME|FILE [--seed N] [--until SECONDS] --out FILE.zip}: plays a show
 * headless to a moment and writes the diagnostic bundle support would attach to a ticket.
 */
final class BundleCommand implements Command {

    @Override
    public String name() {
        return "bundle";
    }

    @Override
    public String arguments() {
        return "--scenario NAME|FILE [--seed N] [--until SECONDS] --out FILE.zip";
    }

    @Override
    public String summary() {
        return "play a show headless to a time and write a diagnostic bundle (zip)";
    }

    record Options(String scenario, Long seed, Long untilSeconds, Path out) {
    }

    static Options parse(List<String> args) throws RunCommand.UsageError {
        String scenario = null;
        Long seed = null;
        Long until = null;
        Path out = null;
        for (int i = 0; i < args.size(); i++) {
            String option = args.get(i);
            if (!List.of("--scenario", "--seed", "--until", "--out").contains(option)) {
                throw new RunCommand.UsageError("unknown option '" + option + "'");
            }
            if (i + 1 >= args.size()) {
                throw new RunCommand.UsageError(option + " needs a value");
            }
            String value = args.get(++i);
            switch (option) {
                case "--scenario" -> scenario = value;
                case "--seed" -> seed = wholeNumber(option, value);
                case "--until" -> {
                    until = wholeNumber(option, value);
                    if (until < 1 || until > 86_400) {
                        throw new RunCommand.UsageError("--until takes engine seconds from 1 to 86400, not " + value);
                    }
                }
                default -> out = Path.of(value);
            }
        }
        if (scenario == null) {
            throw new RunCommand.UsageError("--scenario is required: a built-in name (see 'scenarios') or a file");
        }
        if (out == null) {
            throw new RunCommand.UsageError("--out FILE.zip is required: where to write the bundle");
        }
        return new Options(scenario, seed, until, out);
    }

    private static long wholeNumber(String option, String value) throws RunCommand.UsageError {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new RunCommand.UsageError(option + " takes a whole number, not '" + value + "'");
        }
    }

    @Override
    public int run(List<String> args, PrintStream out, PrintStream err) throws IOException {
        Options options;
        try {
            options = parse(args);
        } catch (RunCommand.UsageError e) {
            err.println("bundle: " + e.getMessage());
            return ExitCode.BAD_INPUT;
        }
        Scenario scenario = RunCommand.resolve("bundle", options.scenario(), err);
        if (scenario == null) {
            return ExitCode.BAD_INPUT;
        }
        Show show = new Show(new ShowDefinition(scenario, options.seed() != null ? options.seed() : scenario.seed()),
                new MemoryJournal());
        long untilMillis = options.untilSeconds() == null ? show.durationMillis()
                : Math.min(show.durationMillis(), options.untilSeconds() * 1000);
        while (show.core().nowMillis() < untilMillis) {
            show.step();
        }
        var bundle = ShowBundle.capture(show, "edgedeck-sim " + version());
        BundleWriter.write(bundle, options.out(), BundleWriter.Progress.NONE);
        out.printf(Locale.ROOT, "bundle     %s%nshow       %s, seed %d, at %d s of %d s, %d PoPs%n", options.out(),
                scenario.name(), bundle.manifest().seed(), show.core().nowMillis() / 1000, show.durationMillis() / 1000,
                bundle.history().size());
        return ExitCode.OK;
    }

    static String version() {
        String v = BundleCommand.class.getPackage().getImplementationVersion();
        return v == null ? "(unpackaged build)" : v;
    }
}
