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
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import static io.edgedeck.simulator.show.ShowRunner.PARK_AT_LEAST_NANOS;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.locks.LockSupport;

/**
 * {@code run --scenario NAME|FILE [--seed N] [--speed max|N] [--report FILE] [--journal FILE]}:
 * plays a show headless, prints a summary, and writes the JSON report.
 */
@Command(name = "run", description = "play a show headless; prints a summary and writes a JSON report",
        mixinStandardHelpOptions = true)
final class RunCommand implements Callable<Integer> {

    @Mixin
    ShowOptions.Scenario scenario;

    @Mixin
    ShowOptions.Seed seed;

    @Option(names = "--speed", paramLabel = "max|N", converter = OptionTypes.Speed.class, defaultValue = "max",
            description = "engine seconds per wall second, or max (default)")
    double speed;

    @Option(names = "--report", paramLabel = "FILE", description = "write the JSON report here")
    Path report;

    @Option(names = "--journal", paramLabel = "FILE", description = "record the show's journal here (a new file), for replay")
    Path journal;

    private final PrintStream out;
    private final PrintStream err;

    RunCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    @Override
    public Integer call() throws IOException {
        Scenario resolved = resolve("run", scenario.name, err);
        if (resolved == null) {
            return ExitCode.BAD_INPUT;
        }
        ShowDefinition definition = new ShowDefinition(resolved, seed.or(resolved.seed()), ScenarioCatalog.document(scenario.name));
        if (journal != null && Files.exists(journal)) {
            err.println("run: --journal " + journal + " already exists; a run writes a new journal");
            return ExitCode.BAD_INPUT;
        }
        // Said before the show is played, not after it.
        OutputPaths.Other scenarioFile = OutputPaths.Other.scenario(scenario.name);
        if (journal != null && !OutputPaths.fileWritable("run", "--journal", journal, err, scenarioFile)
                || report != null && !OutputPaths.fileWritable("run", "--report", report, err, scenarioFile,
                        OutputPaths.Other.written("--journal", journal))) {
            return ExitCode.BAD_INPUT;
        }
        Journal file = journal != null ? FileJournal.open(journal) : new MemoryJournal();
        try {
            Show show = new Show(definition, file);
            long wall = play(show, speed, err);
            RunReport result = Reports.of(show, wall);
            out.print(Reports.summary(result));
            if (report != null) {
                if (!OutputPaths.write("run", "--report", report, Reports.toJson(result) + "\n", err)) {
                    return ExitCode.INTERNAL_ERROR;
                }
                out.println("report     " + report);
            }
            return ExitCode.OK;
        } finally {
            if (file instanceof FileJournal f) f.close();
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

    /**
     * Steps the show to its end at the given speed, with progress on stderr every 10% of it: engine
     * time, events and wall time so far, so the rate between two lines shows the engine once compiled
     * apart from its first seconds, when the JIT compiles it on the same core.
     */
    static long play(Show show, double speed, PrintStream progress) {
        long start = System.nanoTime();
        long total = show.durationMillis();
        long nextReport = total / 10;
        while (!show.finished()) {
            show.step();
            long now = show.core().nowMillis();
            if (now >= nextReport && now < total) {
                progress.printf(Locale.ROOT, "  %3d%%  %s simulated, %,d events, %.2f s wall%n", now * 100 / total,
                        seconds(now), show.core().events().counts().total(), (System.nanoTime() - start) / 1e9);
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
