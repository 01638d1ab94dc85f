package io.edgedeck.simulator.server.privacy;

import io.edgedeck.client.model.CheckoutCounts;
import io.edgedeck.simulator.server.ingest.LiveIntake;

import static io.edgedeck.simulator.server.metrics.PrometheusExposition.family;

/**
 * A live node's privacy and checkout token figures on {@code /metrics}, in the Prometheus text
 * format. No family has a label that names a unit.
 */
public final class PrivacyExposition {
    private PrivacyExposition() {
    }

    /** @param checkouts the core's checkout counts (token outcomes among them); {@code issued} tokens issued */
    public static String render(CheckoutCounts checkouts, long issued, LiveIntake intake) {
        StringBuilder out = new StringBuilder(1024);
        family(out, "edgedeck_privacy_salt_generation", "gauge", "Generation of the salt pseudonyms are made with; it grows by one per rotation.");
        out.append("edgedeck_privacy_salt_generation ").append(intake.pseudonyms().state().generation()).append('\n');
        family(out, "edgedeck_privacy_raw_retention_seconds", "gauge", "How long an ingest log record keeps the ids it came with.");
        out.append("edgedeck_privacy_raw_retention_seconds ").append(intake.rawRetention().toSeconds()).append('\n');
        family(out, "edgedeck_privacy_raw_sample_rate", "gauge",
                "Share of units whose ingest records keep the ids they came with for the retention window; the others' are keyed before they are written.");
        out.append("edgedeck_privacy_raw_sample_rate ").append(intake.rawSampleRate()).append('\n');
        family(out, "edgedeck_ingest_log_scrubbed_records_total", "counter",
                "Ingest log records whose ids were replaced by keys once past the retention window, since the node started.");
        out.append("edgedeck_ingest_log_scrubbed_records_total ").append(intake.scrubbedRecords()).append('\n');
        var oldest = intake.log().oldestRawEpochMillis();
        if (oldest.isPresent()) {
            family(out, "edgedeck_ingest_log_oldest_raw_timestamp_seconds", "gauge",
                    "Arrival of the oldest ingest log record that still holds the ids it came with.");
            out.append("edgedeck_ingest_log_oldest_raw_timestamp_seconds ").append(oldest.getAsLong() / 1000.0).append('\n');
        }
        family(out, "edgedeck_checkout_tokens_issued_total", "counter", "One-click checkout tokens issued since the node started.");
        out.append("edgedeck_checkout_tokens_issued_total ").append(issued).append('\n');
        CheckoutCounts.TokenOutcomes t = checkouts.tokens() == null ? new CheckoutCounts.TokenOutcomes(0, 0, 0, 0) : checkouts.tokens();
        family(out, "edgedeck_checkout_tokens_total", "counter",
                "One-click checkout tokens presented since the node started, by outcome: accepted, or refused as expired, forged or replayed.");
        out.append("edgedeck_checkout_tokens_total{outcome=\"accepted\"} ").append(t.accepted()).append('\n');
        out.append("edgedeck_checkout_tokens_total{outcome=\"expired\"} ").append(t.expired()).append('\n');
        out.append("edgedeck_checkout_tokens_total{outcome=\"forged\"} ").append(t.forged()).append('\n');
        out.append("edgedeck_checkout_tokens_total{outcome=\"replayed\"} ").append(t.replayed()).append('\n');
        return out.toString();
    }
}
