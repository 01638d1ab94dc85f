package io.edgedeck.simulator.server.ingest;

import io.edgedeck.client.ingest.IngestStats;

import static io.edgedeck.simulator.server.metrics.PrometheusExposition.family;

/**
 * The live node's part of {@code /metrics}: ingested events per kind (accepted, refused, rate, last
 * seen), duplicates and unreadable events, whether the ingest lane can write its log, the batches held
 * and not yet applied against their bound, the ingest log's group commits, and trigger latency per trigger, in the Prometheus text format.
 */
public final class IngestExposition {
    private IngestExposition() {
    }

    public static String render(LiveIntake intake) {
        IngestStats stats = intake.stats();
        StringBuilder out = new StringBuilder(2048);
        family(out, "edgedeck_ingest_events_total", "counter", "Events ingested, by kind and outcome.");
        for (IngestStats.Kind k : stats.kinds()) {
            out.append("edgedeck_ingest_events_total{kind=\"").append(k.kind()).append("\",outcome=\"accepted\"} ")
                    .append(k.accepted()).append('\n');
            out.append("edgedeck_ingest_events_total{kind=\"").append(k.kind()).append("\",outcome=\"refused\"} ")
                    .append(k.refused()).append('\n');
        }
        single(out, "edgedeck_ingest_duplicate_events_total", "counter", "Events that arrived again within the dedupe window.",
                stats.duplicates());
        single(out, "edgedeck_ingest_unreadable_events_total", "counter",
                "Events refused as they were read: not JSON, no or an unknown type, a field of the wrong type or sent twice,"
                        + " a string of more than 65536 characters (a number out of range counts as a refusal of its kind).",
                stats.unreadable());
        single(out, "edgedeck_ingest_exposures_not_durable_total", "counter",
                "OFREP exposures whose ingest log record could not be written: not counted, live or after a restart.",
                intake.exposuresNotDurable());
        family(out, "edgedeck_ingest_events_per_second", "gauge", "Events accepted in the last whole second, by kind.");
        for (IngestStats.Kind k : stats.kinds()) {
            out.append("edgedeck_ingest_events_per_second{kind=\"").append(k.kind()).append("\"} ").append(k.eventsPerSecond()).append('\n');
        }
        family(out, "edgedeck_ingest_last_seen_timestamp_seconds", "gauge",
                "When an event of each kind was last accepted (0: never).");
        for (IngestStats.Kind k : stats.kinds()) {
            out.append("edgedeck_ingest_last_seen_timestamp_seconds{kind=\"").append(k.kind()).append("\"} ")
                    .append(k.lastSeenEpochMillis() / 1000.0).append('\n');
        }
        family(out, "edgedeck_ingest_state", "gauge",
                "The ingest lane's state: ok, or failing while its log cannot be written (batches refused with 503).");
        boolean failing = intake.writes().failure() != null;
        out.append("edgedeck_ingest_state{state=\"ok\"} ").append(failing ? 0 : 1).append('\n');
        out.append("edgedeck_ingest_state{state=\"failing\"} ").append(failing ? 1 : 0).append('\n');
        HeldBatches held = intake.held();
        single(out, "edgedeck_ingest_held_bytes", "gauge",
                "Bytes of the ingest batches taken and not yet applied (waiting for the log, the engine, or their arrival tick).",
                held.bytes());
        single(out, "edgedeck_ingest_held_batches", "gauge", "Ingest batches taken and not yet applied.", held.batches());
        single(out, "edgedeck_ingest_held_max_bytes", "gauge", "The bound on held batches (ingest.maxHeldBytes).",
                held.maxBytes());
        single(out, "edgedeck_ingest_held_refused_batches_total", "counter",
                "Ingest batches refused because the held batches would pass ingest.maxHeldBytes, nothing of them taken: with"
                        + " 503, or with 400 for a batch no event of which can be read (whose events count nowhere else).",
                held.refused());
        single(out, "edgedeck_ingest_not_applied_in_time_batches_total", "counter",
                "Ingest batches answered 503 because they were not applied within the node's action timeout (the engine or"
                        + " the ingest log behind): each still counts once applied; sent again with the same ids, its events are"
                        + " duplicates.", intake.notAppliedInTime());
        single(out, "edgedeck_ingest_not_taken_batches_total", "counter",
                "Ingest batches answered 503 because the ingest log or the journal could not be written (a full disk, say):"
                        + " sent again with the same ids once it can, each counts once.", intake.notTaken());
        single(out, "edgedeck_ingest_checkouts_not_applied_in_time_total", "counter",
                "One-click checkouts answered 503 because they were not applied within the node's action timeout: each"
                        + " still counts once applied; sent again with the same token, one that counted is answered 409.",
                intake.checkoutsNotAppliedInTime());
        single(out, "edgedeck_ingest_checkouts_not_taken_total", "counter",
                "One-click checkouts answered 503 because the ingest log or the journal could not be written: the token is"
                        + " given back, so it may be sent again.", intake.checkoutsNotTaken());
        single(out, "edgedeck_ingest_log_fsyncs_total", "counter", "Group commits of the ingest log (one fsync each).",
                intake.log().groups());
        java.util.List<IngestLog.Damage> damage = intake.log().damage();
        single(out, "edgedeck_ingest_log_damaged_records", "gauge",
                "Records of the ingest log found damaged when the node started: unreadable and not counted (0: none).",
                damage.size());
        single(out, "edgedeck_ingest_log_damaged_bytes", "gauge", "The bytes of those damaged records.",
                damage.stream().mapToLong(IngestLog.Damage::bytes).sum());
        family(out, "edgedeck_trigger_latency_seconds", "gauge",
                "From the arrival of the request whose event fired a trigger to its action being available, per trigger.");
        for (TriggerLatency.Percentiles p : intake.triggerLatency().percentiles()) {
            out.append("edgedeck_trigger_latency_seconds{trigger=\"").append(p.trigger()).append("\",quantile=\"0.5\"} ")
                    .append(p.p50Millis() / 1000).append('\n');
            out.append("edgedeck_trigger_latency_seconds{trigger=\"").append(p.trigger()).append("\",quantile=\"0.99\"} ")
                    .append(p.p99Millis() / 1000).append('\n');
        }
        family(out, "edgedeck_trigger_firings_total", "counter", "Triggers fired on ingested events, per trigger.");
        for (TriggerLatency.Percentiles p : intake.triggerLatency().percentiles()) {
            out.append("edgedeck_trigger_firings_total{trigger=\"").append(p.trigger()).append("\"} ").append(p.count()).append('\n');
        }
        return out.toString();
    }

    /** A family of one sample without labels: its HELP and TYPE, then {@code name value}. */
    private static void single(StringBuilder out, String name, String type, String help, long value) {
        family(out, name, type, help);
        out.append(name).append(' ').append(value).append('\n');
    }
}
