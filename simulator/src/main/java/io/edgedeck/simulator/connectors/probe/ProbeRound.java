package io.edgedeck.simulator.connectors.probe;

/**
 * One round of probes to one target and kind, as SmokePing draws it: how many were sent and lost,
 * the spread of the answered ones, and the RFC 3550 jitter after the round.
 *
 * @param pop         the node PoP
 * @param kind        {@code http} or {@code tcp}
 * @param startMillis when the round began, epoch ms
 * @param sent        probes sent (those skipped because every slot was busy are not sent)
 * @param lost        probes without an answer in time, or answered with an error (HTTP 4xx/5xx)
 * @param minMs       fastest answer; NaN when none
 * @param medianMs    median answer (the lower middle for an even count); NaN when none
 * @param maxMs       slowest answer; NaN when none
 * @param jitterMs    RFC 3550 jitter over this target and kind's answers so far
 */
public record ProbeRound(String pop, String kind, long startMillis, int sent, int lost, double minMs, double medianMs,
                         double maxMs, double jitterMs) {
    /** Lost over sent, 0 when nothing was sent. */
    public double lossRatio() {
        return sent == 0 ? 0 : (double) lost / sent;
    }
}
