package io.edgedeck.engine.pops;

/**
 * What a PoP costs the producer (docs/COST.md): a price per hour it runs and a price per million
 * requests it serves, in the producer's currency. Either may be 0; neither may be negative.
 *
 * @param perHour            the price of an hour of the PoP
 * @param perMillionRequests the price of a million requests it serves
 */
public record PopCost(double perHour, double perMillionRequests) {
    public PopCost {
        if (!(perHour >= 0) || Double.isInfinite(perHour)) {
            throw new IllegalArgumentException("perHour must be a finite amount of at least 0, was " + perHour);
        }
        if (!(perMillionRequests >= 0) || Double.isInfinite(perMillionRequests)) {
            throw new IllegalArgumentException("perMillionRequests must be a finite amount of at least 0, was " + perMillionRequests);
        }
    }

    /** What the PoP has cost after running {@code millis} of engine time and serving {@code requests}. */
    public double costOf(long millis, long requests) {
        return perHour * millis / 3_600_000.0 + perMillionRequests * requests / 1_000_000.0;
    }
}
