package io.edgedeck.simulator.cli;

import io.edgedeck.engine.journal.MemoryJournal;
import io.edgedeck.simulator.scenario.Scenario;
import io.edgedeck.simulator.scenario.ScenarioCatalog;
import io.edgedeck.simulator.scenario.ScenarioValidationException;
import io.edgedeck.simulator.show.Show;
import io.edgedeck.simulator.show.ShowDefinition;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * {@code sweep --scenario NAME|FILE --seeds N [--from S] [--threads T]}: plays a show once per
 * seed at full speed and counts the seeds in which a guardrail fired. On a show whose variants are
 * identical, that count is the false-rollback rate.
 */
@Command(name = "sweep", description = "play a show once per seed; count the seeds in which a guardrail fired",
        mixinStandardHelpOptions = true)
final class SweepCommand implements Callable<Integer> {

    @Option(names = "--scenario", required = true, paramLabel = "NAME|FILE",
            description = "a built-in show (see 'scenarios') or a scenario file")
    String scenarioName;

    @Option(names = "--seeds", required = true, paramLabel = "N", description = "how many seeds, 1 to 100000")
    int seeds;

    @Option(names = "--from", paramLabel = "S", defaultValue = "1", description = "the first seed (default 1)")
    long from;

    @Option(names = "--threads", paramLabel = "T", description = "shows played at once, 1 to 64 (default: one per core)")
    int threads = Math.max(1, Runtime.getRuntime().availableProcessors());

    private final PrintStream out;
    private final PrintStream err;

    SweepCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    record Result(long seed, int firings, String first) {
    }

    @Override
    public Integer call() throws Exception {
        if (scenarioName == null || seeds < 1 || seeds > 100_000 || threads < 1 || threads > 64) {
            err.println("sweep: needs --scenario and --seeds from 1 to 100000 (threads 1 to 64)");
            return ExitCode.BAD_INPUT;
        }
        Scenario scenario;
        try {
            scenario = ScenarioCatalog.resolve(scenarioName);
        } catch (ScenarioCatalog.UnknownScenarioException e) {
            err.println("sweep: " + e.getMessage());
            return ExitCode.BAD_INPUT;
        } catch (ScenarioValidationException e) {
            String file = scenarioName;
            e.errors().forEach(x -> err.println(x.toString(file)));
            return ExitCode.BAD_INPUT;
        }
        List<Result> results = sweep(scenario, from, seeds, threads);
        int fired = 0;
        for (Result r : results) {
            if (r.firings() > 0) {
                fired++;
                out.printf(Locale.ROOT, "seed %d: %d firing(s), first: %s%n", r.seed(), r.firings(), r.first());
            }
        }
        out.printf(Locale.ROOT, "%s: a guardrail fired in %d of %d seeds (%d to %d)%n", scenario.name(), fired, seeds,
                from, from + seeds - 1);
        return ExitCode.OK;
    }

    static List<Result> sweep(Scenario scenario, long from, int seeds, int threads) throws Exception {
        try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            List<Future<Result>> futures = new ArrayList<>();
            for (long seed = from; seed < from + seeds; seed++) {
                long s = seed;
                futures.add(pool.submit(() -> {
                    Show show = new Show(new ShowDefinition(scenario, s), new MemoryJournal());
                    while (!show.finished()) {
                        show.step();
                    }
                    var firings = show.guardrailFirings();
                    return new Result(s, firings.size(), firings.isEmpty() ? ""
                            : String.format(Locale.ROOT, "%s at %.0f s (%s)", firings.getFirst().rule(),
                            firings.getFirst().atSeconds(), firings.getFirst().reason()));
                }));
            }
            List<Result> out = new ArrayList<>();
            for (Future<Result> f : futures) {
                out.add(f.get());
            }
            return out;
        }
    }
}
