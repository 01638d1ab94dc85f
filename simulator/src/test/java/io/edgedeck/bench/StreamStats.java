package io.edgedeck.bench;

/**
 * One side of {@link EsperComparisonBenchmark}: takes a {@link ShowEventStream}'s events in order
 * and, at the end of every engine second, reports its {@link WindowReadout}.
 */
interface StreamStats {
    /**
     * Takes events {@code [from, to)} of {@code stream}, each at its time plus {@code offsetMillis}
     * (the stream is replayed end to end, its times shifted by its length each time round).
     */
    void play(ShowEventStream stream, int from, int to, long offsetMillis);

    /** Ends every engine second that ends at or before {@code millis}, reporting each. */
    void advanceTo(long millis);

    /** The report of the last second ended. */
    WindowReadout readout();
}
