package io.edgedeck.console.connection;

import io.edgedeck.console.common.Background;
import io.edgedeck.console.guardrails.PreflightEffect;
import io.edgedeck.console.guardrails.PreflightEstimator;
import io.edgedeck.simulator.scenario.Scenario;
import io.edgedeck.simulator.show.RehearsalConnection;
import io.edgedeck.simulator.sweep.Effect;
import io.edgedeck.simulator.sweep.Preflight;

import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;

/**
 * The pre-flight where the console has the show's scenario: a rehearsal plays it again with the
 * simulator's {@link Preflight}, on low-priority threads of its own. A live node or an offline
 * bundle has no scenario to play, so there it is not available.
 */
public final class RehearsalPreflight implements PreflightEstimator {
    private final ConsoleSession session;
    private final Background background;

    /**
     * @param background where the pre-flight waits for its shows (they play on a pool of their own)
     */
    public RehearsalPreflight(ConsoleSession session, Background background) {
        this.session = session;
        this.background = background;
    }

    private Scenario scenario() {
        return session.connection() instanceof RehearsalConnection r ? r.runner().show().definition().scenario() : null;
    }

    @Override
    public boolean available() {
        Scenario s = scenario();
        return s != null && !s.guardrails().isEmpty();
    }

    @Override
    public CompletableFuture<List<Estimate>> estimate(PreflightEffect effect, int seeds, Progress progress) {
        Scenario scenario = scenario();
        CompletableFuture<List<Estimate>> result = new CompletableFuture<>();
        if (scenario == null) {
            result.completeExceptionally(new IllegalStateException("a pre-flight needs the show's scenario: start a rehearsal"));
            return result;
        }
        int threads = Math.max(1, Runtime.getRuntime().availableProcessors());
        background.execute("pre-flight", () -> {
            try {
                List<Preflight.RuleEstimate> estimates = Preflight.run(scenario, Effect.parse(effect.spec()), 1, seeds, threads,
                        progress::played, (k, first) -> progress.refined(k, words(first)), result::isCancelled);
                result.complete(words(estimates));
            } catch (CancellationException e) {
                result.cancel(false);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                result.cancel(false);
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
            }
        });
        return result;
    }

    private static List<Estimate> words(List<Preflight.RuleEstimate> estimates) {
        return estimates.stream().map(e -> new Estimate(e.rule(), e.sentence())).toList();
    }
}
