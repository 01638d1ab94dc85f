package io.edgedeck.engine.pops;

import io.edgedeck.engine.history.EngineHistory;
import io.edgedeck.engine.metrics.LatencyWindows;
import io.edgedeck.engine.metrics.Rfc3550Jitter;

/**
 * One PoP as the node's active probes see it, apart from its audience: latency windows, RFC 3550
 * jitter over consecutive answered probes, and second-by-second history with the same rows and
 * bounds as the audience's ({@link EngineHistory}). Made at a PoP's first probe observation, so a
 * PoP nobody probes carries no probe series at all. Engine thread only.
 */
final class ProbeSeries {
    final LatencyWindows windows = new LatencyWindows();
    final Rfc3550Jitter jitter = new Rfc3550Jitter();
    final EngineHistory history = new EngineHistory(1);

    void served(double latencyMs) {
        windows.record(latencyMs);
        jitter.record(latencyMs);
    }

    void lost() {
        windows.recordLoss();
    }

    /** Closes an engine second: its history row, then its windows. */
    void rollSecond(long second) {
        history.recordSecond(0, second, windows.currentSecond(), windows.requestsThisSecond(), windows.lostThisSecond(),
                jitter.value());
        windows.rollSecond();
    }

    /** Closes {@code seconds} engine seconds from {@code fromSecond} in which no probe was answered or lost. */
    void rollEmptySeconds(long fromSecond, long seconds) {
        history.recordEmptySeconds(0, fromSecond, seconds);
        windows.rollEmptySeconds(seconds);
    }
}
