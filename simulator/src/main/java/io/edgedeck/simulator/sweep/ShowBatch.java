package io.edgedeck.simulator.sweep;

import io.edgedeck.simulator.scenario.Scenario;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * Plays shows in parallel on a pool of its own and counts them off as they finish. Progress is
 * reported from the pool's threads.
 */
final class ShowBatch {

    /**
     * One scenario over a range of seeds.
     *
     * @param stopOnceFired a show ends early once each of these rules has fired; empty plays it to its end
     */
    record Job(Scenario scenario, long fromSeed, int seeds, Set<String> stopOnceFired) {
        Job {
            stopOnceFired = Set.copyOf(stopOnceFired);
        }
    }

    private ShowBatch() {
    }

    /** The traces of each job, seed by seed, in order. */
    static List<List<Map<String, RuleTrace>>> play(List<Job> jobs, int threads, SweepProgress progress, BooleanSupplier cancelled)
            throws InterruptedException {
        int total = jobs.stream().mapToInt(Job::seeds).sum();
        AtomicInteger done = new AtomicInteger();
        progress.played(0, total);
        try (ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "sweep");
            t.setDaemon(true);
            t.setPriority(Thread.MIN_PRIORITY);
            return t;
        })) {
            List<List<Future<Map<String, RuleTrace>>>> futures = new ArrayList<>();
            for (Job job : jobs) {
                List<Future<Map<String, RuleTrace>>> perSeed = new ArrayList<>();
                for (long seed = job.fromSeed(); seed < job.fromSeed() + job.seeds(); seed++) {
                    long s = seed;
                    perSeed.add(pool.submit(() -> {
                        Map<String, RuleTrace> trace = SeedRun.play(job.scenario(), s, job.stopOnceFired(), cancelled);
                        progress.played(done.incrementAndGet(), total);
                        return trace;
                    }));
                }
                futures.add(perSeed);
            }
            List<List<Map<String, RuleTrace>>> out = new ArrayList<>();
            for (List<Future<Map<String, RuleTrace>>> perSeed : futures) {
                List<Map<String, RuleTrace>> traces = new ArrayList<>();
                for (Future<Map<String, RuleTrace>> f : perSeed) {
                    traces.add(get(f, pool));
                }
                out.add(traces);
            }
            return out;
        }
    }

    private static Map<String, RuleTrace> get(Future<Map<String, RuleTrace>> f, ExecutorService pool) throws InterruptedException {
        try {
            return f.get();
        } catch (ExecutionException e) {
            pool.shutdownNow();
            if (e.getCause() instanceof CancellationException c) {
                throw c;
            }
            throw new IllegalStateException("a show failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            pool.shutdownNow();
            throw e;
        }
    }
}
