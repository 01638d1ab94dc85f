package io.edgedeck.simulator.cli;

import io.edgedeck.engine.journal.FileJournal;
import io.edgedeck.engine.journal.Journal;
import io.edgedeck.engine.journal.MemoryJournal;
import io.edgedeck.simulator.report.Reports;
import io.edgedeck.simulator.report.RunReport;
import io.edgedeck.simulator.scenario.Scenario;
import io.edgedeck.simulator.scenario.ScenarioCatalog;
import io.edgedeck.simulator.scenario.ScenarioError;
import io.edgedeck.simulator.scenario.ScenarioValidationException;
import io.edgedeck.simulator.show.Show;
import io.edgedeck.simulator.show.ShowDefinition;
import static io.edgedeck.simulator.show.ShowRunner.PARK_AT_LEAST_NANOS;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.locks.LockSupport;

/**
 * {@code run --scenario NAME|FILE [--seed N] [--speed max|N] [--report FILE] [--journal FILE]}:
 * plays a show headless, prints a summary, and writes the JSON report.
 */
final class RunCommand implements Command {

    @Override
    public String name() {
        return "run";
    }

    @Override
    public String arguments() {
        return "--scenario NAME|FILE [--seed N] [--speed max|N] [--report FILE] [--journal FILE]";
    }

    @Override
    public String summary() {
        return "play a show headless; prints a summary and writes a JSON report";
    }

    record Options(String scenario, Long seed, double speed, Path report, Path journal) {
    }

    static Options parse(List<String> args) throws UsageError {
        String scenario = null;
        Long seed = null;
        double speed = 0;
        Path report = null;
        Path journal = null;
        for (int i = 0; i < args.size(); i++) {
            String option = args.get(i);
            if (!List.of("--scenario", "--seed", "--speed", "--report", "--journal").contains(option)) {
                throw new UsageError("unknown option '" + option + "'");
            }
            if (i + 1 >= args.size()) {
                throw new UsageError(option + " needs a value");
            }
            String value = args.get(++i);
            switch (option) {
                case "--scenario" -> scenario = value;
                case "--seed" -> {
                    try {
                        seed = Long.parseLong(value);
                    } catch (NumberFormatException e) {
                        throw new UsageError("--seed takes a whole number, not '" + value + "'");
                    }
                }
                case "--speed" -> speed = parseSpeed(value);
                case "--report" -> report = Path.of(value);
                default -> journal = Path.of(value);
            }
        }
        if (scenario == null) {
            throw new UsageError("--scenario is required: a built-in name (see 'scenarios') or a file");
        }
        return new Options(scenario, seed, speed, report, journal);
    }

    static double parseSpeed(String value) throws UsageError {
        if (value.equalsIgnoreCase("max")) {
            return 0;
        }
        try {
            double s = Double.parseDouble(value.endsWith("x") ? value.substring(0, value.length() - 1) : value);
            if (s > 0 && s <= 10_000) {
                return s;
            }
        } catch (NumberFormatException e) {
            // falls through to the message below
        }
        throw new UsageError("--speed takes max or a number from 0 to 10000 (engine seconds per wall second), not '" + value + "'");
    }

    static final class UsageError extends Exception {
        UsageError(String message) {
            super(message);
        }
    }

    @Override
    public int run(List<String> args, PrintStream out, PrintStream err) throws IOException {
        Options options;
        try {
            options = parse(args);
        } catch (UsageError e) {
            err.println("run: " + e.getMessage());
            return ExitCode.BAD_INPUT;
        }
        Scenario scenario = resolve("run", options.scenario(), err);
        if (scenario == null) {
            return ExitCode.BAD_INPUT;
        }
        ShowDefinition definition = new ShowDefinition(scenario, options.seed() != null ? options.seed() : scenario.seed());
        if (options.journal() != null && Files.exists(options.journal())) {
            err.println("run: --journal " + options.journal() + " already exists; a run writes a new journal");
            return ExitCode.BAD_INPUT;
        }
        Journal journal = options.journal() != null ? FileJournal.open(options.journal()) : new MemoryJournal();
        try {
            Show show = new Show(definition, journal);
            long wall = play(show, options.speed(), err);
            RunReport report = Reports.of(show, wall);
            out.print(Reports.summary(report));
            if (options.report() != null) {
                Path parent = options.report().toAbsolutePath().getParent();
                if (parent != null) Files.createDirectories(parent);
                Files.writeString(options.report(), Reports.toJson(report) + "\n");
                out.println("report     " + options.report());
            }
            return ExitCode.OK;
        } finally {
            if (journal instanceof FileJournal f) f.close();
        }
    }

    /**
     * The scenario a command's {@code --scenario} names, or null after saying on {@code err} why
     * it cannot be used (unknown name, or every error of an invalid file).
     */
    static Scenario resolve(String command, String name, PrintStream err) throws IOException {
        try {
            return ScenarioCatalog.resolve(name);
        } catch (ScenarioCatalog.UnknownScenarioException e) {
            err.println(command + ": " + e.getMessage());
        } catch (ScenarioValidationException e) {
            for (ScenarioError error : e.errors()) err.println(error.toString(name));
        }
        return null;
    }

    /** Steps the show to its end at the given speed, with progress on stderr every 10% of it. */
    static long play(Show show, double speed, PrintStream progress) {
        long start = System.nanoTime();
        long total = show.durationMillis();
        long nextReport = total / 10;
        while (!show.finished()) {
            show.step();
            long now = show.core().nowMillis();
            if (now >= nextReport && now < total) {
                progress.printf(Locale.ROOT, "  %3d%%  %s simulated, %,d events%n", now * 100 / total,
                        seconds(now), show.core().events().counts().total());
                nextReport += total / 10;
            }
            if (speed > 0) {
                long due = start + (long) (now * 1_000_000L / speed);
                long wait = due - System.nanoTime();
                if (wait > PARK_AT_LEAST_NANOS) LockSupport.parkNanos(wait);
            }
        }
        return (System.nanoTime() - start) / 1_000_000;
    }

    private static String seconds(long millis) {
        return String.format(Locale.ROOT, "%d s", millis / 1000);
    }
}
