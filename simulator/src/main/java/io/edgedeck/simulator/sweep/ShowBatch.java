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

    /** Told, from a worker thread, each time every job has played its first {@code seeds} seeds. */
    @FunctionalInterface
    interface Prefix {
        /** @param traces each job's traces of those seeds, in order */
        void played(int seeds, List<List<Map<String, RuleTrace>>> traces);
    }

    private ShowBatch() {
    }

    /** The traces of each job, seed by seed, in order. */
    static List<List<Map<String, RuleTrace>>> play(List<Job> jobs, int threads, SweepProgress progress, BooleanSupplier cancelled)
            throws InterruptedException {
        return play(jobs, threads, progress, (seeds, traces) -> {
        }, cancelled);
    }

    /**
     * The traces of each job, seed by seed, in order. The jobs' shows are started seed by seed
     * (every job's first seed, then every job's second...), so results over the first seeds come in
     * early and {@code prefix} hears each time they grow.
     */
    static List<List<Map<String, RuleTrace>>> play(List<Job> jobs, int threads, SweepProgress progress, Prefix prefix,
                                                   BooleanSupplier cancelled) throws InterruptedException {
        int total = jobs.stream().mapToInt(Job::seeds).sum();
        AtomicInteger done = new AtomicInteger();
        Prefixes prefixes = new Prefixes(jobs, prefix);
        progress.played(0, total);
        try (ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "sweep");
            t.setDaemon(true);
            t.setPriority(Thread.MIN_PRIORITY);
            return t;
        })) {
            List<List<Future<Map<String, RuleTrace>>>> futures = new ArrayList<>();
            jobs.forEach(j -> futures.add(new ArrayList<>()));
            int most = jobs.stream().mapToInt(Job::seeds).max().orElse(0);
            for (int k = 0; k < most; k++) {
                for (int j = 0; j < jobs.size(); j++) {
                    Job job = jobs.get(j);
                    if (k >= job.seeds()) {
                        continue;
                    }
                    int jobIndex = j;
                    int seedIndex = k;
                    futures.get(j).add(pool.submit(() -> {
                        Map<String, RuleTrace> trace = SeedRun.play(job.scenario(), job.fromSeed() + seedIndex, job.stopOnceFired(),
                                cancelled);
                        progress.played(done.incrementAndGet(), total);
                        prefixes.played(jobIndex, seedIndex, trace);
                        return trace;
                    }));
                }
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

    /** Which seeds each job has played, and how many first seeds all of them have. */
    private static final class Prefixes {
        private final List<Job> jobs;
        private final Prefix listener;
        private final List<List<Map<String, RuleTrace>>> traces = new ArrayList<>();
        private int complete;

        Prefixes(List<Job> jobs, Prefix listener) {
            this.jobs = jobs;
            this.listener = listener;
            for (Job job : jobs) {
                List<Map<String, RuleTrace>> perSeed = new ArrayList<>();
                for (int k = 0; k < job.seeds(); k++) {
                    perSeed.add(null);
                }
                traces.add(perSeed);
            }
        }

        synchronized void played(int job, int seed, Map<String, RuleTrace> trace) {
            traces.get(job).set(seed, trace);
            int before = complete;
            while (everyJobHas(complete)) {
                complete++;
            }
            // Seed by seed even when a later seed finished first: each prefix is told once, in order.
            for (int seeds = before + 1; seeds <= complete; seeds++) {
                int n = seeds;
                listener.played(n, traces.stream().map(t -> List.copyOf(t.subList(0, Math.min(n, t.size())))).toList());
            }
        }

        private boolean everyJobHas(int seed) {
            boolean any = false;
            for (int j = 0; j < jobs.size(); j++) {
                if (seed < jobs.get(j).seeds()) {
                    any = true;
                    if (traces.get(j).get(seed) == null) {
                        return false;
                    }
                }
            }
            return any;
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
