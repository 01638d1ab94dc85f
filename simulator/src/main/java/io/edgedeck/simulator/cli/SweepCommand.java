package io.edgedeck.simulator.cli;

import io.edgedeck.simulator.scenario.Scenario;
import io.edgedeck.simulator.scenario.ScenarioCatalog;
import io.edgedeck.simulator.scenario.ScenarioValidationException;
import io.edgedeck.simulator.sweep.Effect;
import io.edgedeck.simulator.sweep.Preflight;
import io.edgedeck.simulator.sweep.Sweep;
import io.edgedeck.simulator.sweep.SweepProgress;

import java.io.PrintStream;
import java.util.List;

/**
 * {@code sweep --scenario NAME|FILE --seeds N [--from S] [--threads T] [--effect EFFECT]}: plays a
 * show once per seed at full speed, and its A/A twin, and reports per guardrail how often it fired,
 * how soon after it could first decide, and its false rollbacks ({@link Sweep}). With
 * {@code --effect}, the pre-flight instead ({@link Preflight}).
 */
final class SweepCommand implements Command {

    @Override
    public String name() {
        return "sweep";
    }

    @Override
    public String arguments() {
        return "--scenario NAME|FILE --seeds N [--from S] [--threads T] [--effect conversion:-20%|chat:sour]";
    }

    @Override
    public String summary() {
        return "play a show once per seed: each guardrail's firings, time to detect and false rollbacks; --effect: pre-flight";
    }

    @Override
    public int run(List<String> args, PrintStream out, PrintStream err) throws Exception {
        String scenarioName = null;
        int seeds = 0;
        long from = 1;
        int threads = Math.max(1, Runtime.getRuntime().availableProcessors());
        Effect effect = null;
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
                    case "--effect" -> {
                        try {
                            effect = Effect.parse(value);
                        } catch (IllegalArgumentException e) {
                            err.println("sweep: --effect: " + e.getMessage());
                            return ExitCode.BAD_INPUT;
                        }
                    }
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
        SweepProgress progress = (done, total) -> {
            if (done == total || done * 20L / total != (done - 1) * 20L / total) {
                err.printf("sweep: %d of %d shows played%n", done, total);
            }
        };
        if (effect != null) {
            out.printf("pre-flight of %s, seeds %d to %d: %s on every watched variant, and A/A%n", scenario.name(), from,
                    from + seeds - 1, effect.describe());
            for (Preflight.RuleEstimate e : Preflight.run(scenario, effect, from, seeds, threads, progress, () -> false)) {
                out.println(e.rule() + ": " + e.sentence());
            }
        } else {
            Sweep.run(scenario, from, seeds, threads, progress).print(out);
        }
        return ExitCode.OK;
    }
}
