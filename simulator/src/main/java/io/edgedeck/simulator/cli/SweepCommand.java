package io.edgedeck.simulator.cli;

import io.edgedeck.simulator.scenario.Scenario;
import io.edgedeck.simulator.scenario.ScenarioCatalog;
import io.edgedeck.simulator.scenario.ScenarioValidationException;
import io.edgedeck.simulator.sweep.AaSweep;
import io.edgedeck.simulator.sweep.Effect;
import io.edgedeck.simulator.sweep.Preflight;
import io.edgedeck.simulator.sweep.Sweep;
import io.edgedeck.simulator.sweep.SweepProgress;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code sweep --scenario NAME|FILE --seeds N [--from S] [--threads T] [--effect EFFECT | --aa]}:
 * plays a show once per seed at full speed, and its A/A twin, and reports per guardrail how often it
 * fired, how soon after it could first decide, and its false rollbacks ({@link Sweep}). With
 * {@code --effect}, the pre-flight instead ({@link Preflight}); with {@code --aa}, only the A/A
 * twins of one or more shows, with the false-rollback rate's exact interval ({@link AaSweep}). Ends
 * with how many shows it played and how long that took.
 */
@Command(name = "sweep", description = "play a show once per seed: each guardrail's firings, time to detect and false "
        + "rollbacks; with --effect, a pre-flight", mixinStandardHelpOptions = true)
final class SweepCommand implements Callable<Integer> {

    @Option(names = "--scenario", required = true, paramLabel = "NAME|FILE",
            description = "a built-in show (see 'scenarios') or a scenario file; with --aa, may be given more than once")
    List<String> scenarioNames = new ArrayList<>();

    @Option(names = "--seeds", required = true, paramLabel = "N", converter = OptionTypes.Seeds.class,
            description = "how many seeds, 1 to 100000")
    int seeds;

    @Option(names = "--from", paramLabel = "S", defaultValue = "1", description = "the first seed (default 1)")
    long from;

    @Option(names = "--threads", paramLabel = "T", converter = OptionTypes.Threads.class,
            description = "shows played at once, 1 to 64 (default: one per core, at most 64)")
    int threads = Math.clamp(Runtime.getRuntime().availableProcessors(), 1, 64);

    @Option(names = "--effect", paramLabel = "EFFECT",
            description = "pre-flight: give every watched variant this harm, conversion:-20%% or chat:sour, and time each rule")
    String effect;

    @Option(names = "--aa", description = "play only the shows' A/A twins: each rule's false rollbacks with a 95%% interval")
    boolean aaOnly;

    private final PrintStream out;
    private final PrintStream err;

    SweepCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    @Override
    public Integer call() throws Exception {
        if (aaOnly && effect != null) {
            err.println("sweep: --aa and --effect are two different runs: give one of them");
            return ExitCode.BAD_INPUT;
        }
        if (!aaOnly && scenarioNames.size() > 1) {
            err.println("sweep: more than one --scenario needs --aa");
            return ExitCode.BAD_INPUT;
        }
        Effect harm = null;
        if (effect != null) {
            try {
                harm = Effect.parse(effect);
            } catch (IllegalArgumentException e) {
                err.println("sweep: --effect: " + e.getMessage());
                return ExitCode.BAD_INPUT;
            }
        }
        List<Scenario> scenarios = new ArrayList<>();
        for (String name : scenarioNames) {
            try {
                scenarios.add(ScenarioCatalog.resolve(name));
            } catch (ScenarioCatalog.UnknownScenarioException e) {
                err.println("sweep: " + e.getMessage());
                return ExitCode.BAD_INPUT;
            } catch (ScenarioValidationException e) {
                e.errors().forEach(x -> err.println(x.toString(name)));
                return ExitCode.BAD_INPUT;
            }
        }
        AtomicInteger played = new AtomicInteger();
        SweepProgress progress = (done, total) -> {
            played.set(done);
            if (done == total || done * 20L / total != (done - 1) * 20L / total) {
                err.printf("sweep: %d of %d shows played%n", done, total);
            }
        };
        long started = System.nanoTime();
        Scenario scenario = scenarios.getFirst();
        if (aaOnly) {
            AaSweep.run(scenarios, from, seeds, threads, progress).print(out);
        } else if (harm != null) {
            out.printf("pre-flight of %s, seeds %d to %d: %s on every watched variant, and A/A%n", scenario.name(), from,
                    from + seeds - 1, harm.describe());
            // the estimate as it refines, seed by seed, with the time it took to get there
            Preflight.Refinement refined = (k, estimates) -> {
                if (k < seeds) {
                    double at = (System.nanoTime() - started) / 1e9;
                    estimates.forEach(e -> err.printf(Locale.ROOT, "pre-flight after seeds %d to %d (%.1f s): %s: %s%n", from,
                            from + k - 1, at, e.rule(), e.sentence()));
                }
            };
            for (Preflight.RuleEstimate e : Preflight.run(scenario, harm, from, seeds, threads, progress, refined, () -> false)) {
                out.println(e.rule() + ": " + e.sentence());
            }
        } else {
            Sweep.run(scenario, from, seeds, threads, progress).print(out);
        }
        out.println(playedLine(played.get(), (System.nanoTime() - started) / 1e9, threads));
        return ExitCode.OK;
    }

    /** "played 4 shows in 12.3 s on 1 thread": the sweep's last line. */
    static String playedLine(int shows, double seconds, int threads) {
        return String.format(Locale.ROOT, "played %d show%s in %.1f s on %d thread%s", shows, shows == 1 ? "" : "s", seconds,
                threads, threads == 1 ? "" : "s");
    }
}
