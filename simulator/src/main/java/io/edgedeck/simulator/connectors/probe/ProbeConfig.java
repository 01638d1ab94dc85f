package io.edgedeck.simulator.connectors.probe;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * SmokePing-style active probes in the node config: every {@code intervalMillis}, {@code count}
 * probes to each target (HTTP and TCP separately), spread evenly over the interval, each given up
 * after {@code timeoutMillis}, with at most {@code maxConcurrent} in flight across all targets.
 *
 * <p>JSON: {@code {"count": 20, "intervalMillis": 5000, "timeoutMillis": 2000, "maxConcurrent": 4,
 * "targets": [{"pop": "fra", "url": "https://fra.edge.example.com/healthz"}]}}.
 *
 * <p>Never a flood: at most {@value #MAX_PROBES_PER_SECOND} probes per second in all are accepted
 * (the defaults give 4 per second per target and kind), a probe never waits for a free slot (when all
 * are taken it is skipped and counted as {@code skipped-busy}, not as loss), and an HTTP probe never
 * retries.
 *
 * @param targets        one or more PoPs to probe, each PoP at most once
 * @param count          probes per round per target and kind, 1 to 100 (default 20)
 * @param intervalMillis length of a round, at least 1000 (default 5000)
 * @param timeoutMillis  a probe without an answer by then is lost; 50 up to {@code intervalMillis} (default 2000)
 * @param maxConcurrent  probes in flight at once, 1 to 64 (default 4)
 */
public record ProbeConfig(List<ProbeTarget> targets, Integer count, Long intervalMillis, Long timeoutMillis,
                          Integer maxConcurrent) {
    public static final int MAX_PROBES_PER_SECOND = 200;

    public ProbeConfig {
        if (targets == null || targets.isEmpty()) {
            throw new IllegalArgumentException("targets must name at least one PoP to probe");
        }
        targets = List.copyOf(targets);
        Set<String> pops = new HashSet<>();
        for (ProbeTarget t : targets) {
            if (!pops.add(t.pop())) {
                throw new IllegalArgumentException("targets: the PoP " + t.pop() + " appears twice");
            }
        }
        count = count == null ? 20 : count;
        intervalMillis = intervalMillis == null ? 5000L : intervalMillis;
        timeoutMillis = timeoutMillis == null ? Math.min(2000L, intervalMillis) : timeoutMillis;
        maxConcurrent = maxConcurrent == null ? 4 : maxConcurrent;
        if (count < 1 || count > 100) {
            throw new IllegalArgumentException("count must be 1 to 100, not " + count);
        }
        if (intervalMillis < 1000) {
            throw new IllegalArgumentException("intervalMillis must be at least 1000, not " + intervalMillis);
        }
        if (timeoutMillis < 50 || timeoutMillis > intervalMillis) {
            throw new IllegalArgumentException("timeoutMillis must be 50 to intervalMillis (" + intervalMillis + "), not " + timeoutMillis);
        }
        if (maxConcurrent < 1 || maxConcurrent > 64) {
            throw new IllegalArgumentException("maxConcurrent must be 1 to 64, not " + maxConcurrent);
        }
        long streams = targets.stream().mapToLong(t -> (t.url() != null ? 1 : 0) + (t.tcp() != null ? 1 : 0)).sum();
        double perSecond = streams * count * 1000.0 / intervalMillis;
        if (perSecond > MAX_PROBES_PER_SECOND) {
            throw new IllegalArgumentException(String.format(java.util.Locale.ROOT,
                    "%d targets x %d probes every %d ms is %.0f probes/s, over the limit of %d: probe less often or fewer times",
                    streams, count, intervalMillis, perSecond, MAX_PROBES_PER_SECOND));
        }
    }
}
