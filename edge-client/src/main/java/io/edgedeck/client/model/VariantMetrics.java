package io.edgedeck.client.model;

/** Exposures and conversions of one flag variant since the show started. */
public record VariantMetrics(String flag, String variant, long exposures, long conversions) {
    public double conversionRate() {
        return exposures == 0 ? 0 : (double) conversions / exposures;
    }
}
