package io.edgedeck.simulator.cli;

import io.edgedeck.engine.journal.MemoryJournal;
import io.edgedeck.simulator.scenario.Scenario;
import io.edgedeck.simulator.scenario.ScenarioCatalog;
import io.edgedeck.simulator.scenario.ScenarioValidationException;
import io.edgedeck.simulator.show.Show;
import io.edgedeck.simulator.show.ShowDefinition;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * {@code sweep --scenario NAME|FILE --seeds N [--from S] [--threads T]}: plays a show once per
 * seed at full speed and counts the seeds in which a guardrail fired. On a show whose variants are
 * identical, that count is the false-rollback rate.
 */
final class SweepCommand implements Command {

    @Override
    public String name() {
        return "sweep";
    }

    @Override
    public String arguments() {
        return "--scenario NAME|FILE --seeds N [--from S] [--threads T]";
    }

    @Override
    public String summary() {
        return "play a show once per seed; count the seeds in which a guardrail fired";
    }

    record Result(long seed, int firings, String first) {
    }

    @Override
    public int run(List<String> args, PrintStream out, PrintStream err) throws Exception {
        String scenarioName = null;
        int seeds = 0;
        long from = 1;
        int threads = Math.max(1, Runtime.getRuntime().availableProcessors());
        for (int i = 0; i < args.size(); i += 2) {
            String option = args.get(i);
            if (i + 1 >= args.size()) {
                err.println("sweep: " + option + " needs a value");
                return ExitCode.BAD_INPUT;
            }
            String value = args.get(i + 1);
            try {
                switch (option) {
                    case "--scenario" -> scenarioName = value;
                    case "--seeds" -> seeds = Integer.parseInt(value);
                    case "--from" -> from = Long.parseLong(value);
                    case "--threads" -> threads = Integer.parseInt(value);
                    default -> {
                        err.println("sweep: unknown option '" + option + "'");
                        return ExitCode.BAD_INPUT;
                    }
                }
            } catch (NumberFormatException e) {
                err.println("sweep: " + option + " takes a whole number, not '" + value + "'");
                return ExitCode.BAD_INPUT;
            }
        }
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
