package io.edgedeck.simulator.server.metrics;

import io.edgedeck.simulator.fleet.ControlApplier;
import io.edgedeck.simulator.fleet.FleetPublisher;
import io.edgedeck.simulator.fleet.FleetSnapshot;

import java.util.List;
import java.util.Map;

import static io.edgedeck.simulator.server.metrics.PrometheusExposition.family;
import static io.edgedeck.simulator.server.metrics.PrometheusExposition.labels;
import static io.edgedeck.simulator.server.metrics.PrometheusExposition.sample;

/**
 * The fleet in Prometheus' text format: the aggregator's fleet-wide figures per PoP, variant and
 * node, and a fleet node's publishing. Names follow the node's own exposition, with {@code fleet}
 * in them: a fleet-wide figure is never mistaken for one node's.
 */
public final class FleetExposition {

    private FleetExposition() {
    }

    /**
     * The aggregator's {@code /metrics}.
     *
     * @param lag fleet records not yet read by the aggregator, -1 before it positioned itself
     */
    public static String render(FleetSnapshot s, long lag) {
        StringBuilder out = new StringBuilder(4096);
        single(out, "edgedeck_fleet_records_total", "counter", "fleet records applied (copies and malformed records not counted)", s.records());
        single(out, "edgedeck_fleet_duplicate_records_total", "counter", "records dropped as copies of ones already applied", s.duplicates());
        single(out, "edgedeck_fleet_malformed_records_total", "counter", "records that were not fleet records (logged, skipped)", s.malformed());
        single(out, "edgedeck_fleet_consumer_lag_records", "gauge", "records on the fleet's topics the aggregator has not read; -1 before it started reading", lag);

        family(out, "edgedeck_fleet_pop_requests_total", "counter", "requests at a PoP, every node that serves it");
        s.pops().forEach(p -> sample(out, "edgedeck_fleet_pop_requests_total", labels("pop", p.pop()), p.total().requests()));
        family(out, "edgedeck_fleet_pop_lost_requests_total", "counter", "requests lost at a PoP, every node that serves it");
        s.pops().forEach(p -> sample(out, "edgedeck_fleet_pop_lost_requests_total", labels("pop", p.pop()), p.total().lost()));
        family(out, "edgedeck_fleet_pop_latency_seconds", "gauge", "latency percentiles at a PoP over the last window of event time, exact to HdrHistogram's two digits");
        s.pops().forEach(p -> {
            sample(out, "edgedeck_fleet_pop_latency_seconds", labels("pop", p.pop(), "percentile", "50"), p.recent().p50Ms() / 1000);
            sample(out, "edgedeck_fleet_pop_latency_seconds", labels("pop", p.pop(), "percentile", "95"), p.recent().p95Ms() / 1000);
            sample(out, "edgedeck_fleet_pop_latency_seconds", labels("pop", p.pop(), "percentile", "99"), p.recent().p99Ms() / 1000);
        });

        family(out, "edgedeck_fleet_variant_exposures_total", "counter", "units exposed to a variant, once per node");
        s.variants().forEach(v -> sample(out, "edgedeck_fleet_variant_exposures_total",
                labels("flag", v.flag(), "variant", v.variant()), v.exposures()));
        family(out, "edgedeck_fleet_variant_conversions_total", "counter", "conversions attributed to a variant");
        s.variants().forEach(v -> sample(out, "edgedeck_fleet_variant_conversions_total",
                labels("flag", v.flag(), "variant", v.variant()), v.conversions()));

        family(out, "edgedeck_fleet_node_last_seen_age_seconds", "gauge", "how long ago the aggregator last heard from a node, by its clock: from the node's newest frame (its newest record before its first frame); -1 before any record");
        s.nodes().forEach(n -> sample(out, "edgedeck_fleet_node_last_seen_age_seconds", labels("node", n.node()),
                n.ageMillis() < 0 ? -1 : n.ageMillis() / 1000.0));
        family(out, "edgedeck_fleet_node_spool_pending_records", "gauge", "records a node has not yet got into Kafka, from its newest frame; -1 before one");
        s.nodes().forEach(n -> sample(out, "edgedeck_fleet_node_spool_pending_records", labels("node", n.node()), n.spoolPending()));
        family(out, "edgedeck_fleet_node_spool_refused_records_total", "counter", "records a node's full spool refused, from its newest frame; -1 before one");
        s.nodes().forEach(n -> sample(out, "edgedeck_fleet_node_spool_refused_records_total", labels("node", n.node()), n.spoolRefused()));
        family(out, "edgedeck_fleet_node_pops", "gauge", "1 for each PoP a node serves");
        s.nodes().forEach(n -> n.pops().forEach(p -> sample(out, "edgedeck_fleet_node_pops", labels("node", n.node(), "pop", p), 1)));
        return out.toString();
    }

    /**
     * How the aggregator's OFREP reached one node: connections it could not open, by reason ({@code refused},
     * {@code unreachable}, {@code unresolved}, {@code timeout}), evaluations sent past it without calling it while the
     * aggregator remembered that, and whether it is passed over now.
     */
    public record OfrepNode(String node, Map<String, Long> failed, long passedOver, boolean passingOver) {
    }

    /** The aggregator's OFREP routing, appended to its {@code /metrics}: one sample per node that failed a connection. */
    public static String renderOfrep(List<OfrepNode> nodes, long connectTimeoutMillis, long passedOverMillis) {
        StringBuilder out = new StringBuilder(512);
        family(out, "edgedeck_fleet_ofrep_node_connections_failed_total", "counter", "connections the aggregator opened to a node"
                + " to send it an OFREP evaluation that failed: the node refused it (reason refused), there was no route to"
                + " its host (reason unreachable), its URL's host name did not resolve (reason unresolved), or it did not take"
                + " it within " + connectTimeoutMillis + " ms (reason timeout), since the aggregator started");
        nodes.forEach(n -> n.failed().forEach((reason, count) ->
                sample(out, "edgedeck_fleet_ofrep_node_connections_failed_total", labels("node", n.node(), "reason", reason), count)));
        family(out, "edgedeck_fleet_ofrep_node_passed_over_total", "counter", "OFREP evaluations the aggregator sent on to"
                + " another node, or answered 503 itself, without calling a node whose connection failed in the "
                + passedOverMillis / 1000 + " s before, since the aggregator started");
        nodes.forEach(n -> sample(out, "edgedeck_fleet_ofrep_node_passed_over_total", labels("node", n.node()), n.passedOver()));
        family(out, "edgedeck_fleet_ofrep_node_passing_over", "gauge", "1 while the aggregator's OFREP passes a node over after"
                + " its connection failed; the first evaluation after that, or after a frame of the node reached the aggregator,"
                + " calls it again");
        nodes.forEach(n -> sample(out, "edgedeck_fleet_ofrep_node_passing_over", labels("node", n.node()), n.passingOver() ? 1 : 0));
        return out.toString();
    }

    /** A fleet node's publishing, appended to the node's own {@code /metrics}: seen even while Kafka is not. */
    public static String renderNode(FleetPublisher.Status s) {
        StringBuilder out = new StringBuilder(1024);
        single(out, "edgedeck_fleet_publisher_connected", "gauge", "1 while Kafka acknowledges this node's records", s.connected() ? 1 : 0);
        single(out, "edgedeck_fleet_spool_pending_records", "gauge", "records spooled on disk and not yet acknowledged by Kafka", s.spoolPending());
        single(out, "edgedeck_fleet_spool_bytes", "gauge", "the spool's size on disk", s.spoolBytes());
        single(out, "edgedeck_fleet_spool_max_bytes", "gauge", "the spool's bound", s.spoolMaxBytes());
        single(out, "edgedeck_fleet_spool_refused_records_total", "counter", "records refused because the spool was full, since the node started", s.refused());
        single(out, "edgedeck_fleet_spool_oldest_pending_timestamp_seconds", "gauge", "when the oldest record waiting for Kafka was spooled; -1 when none waits", s.oldestPendingMillis() < 0 ? -1 : s.oldestPendingMillis() / 1000.0);
        single(out, "edgedeck_fleet_producer_restarts_total", "counter", "producers made again after a failed delivery, since the node started", s.producerRestarts());
        return out.toString();
    }

    /** A fleet node's reading of the control topic: where it is and what it made of the records. */
    public static String renderControl(ControlApplier.Status s, java.util.Map<String, Long> ownWritesRefused) {
        StringBuilder out = new StringBuilder(1024);
        single(out, "edgedeck_fleet_control_offset", "gauge", "the last control topic record this node read; -1 before the first", s.offset());
        single(out, "edgedeck_fleet_control_lag_records", "gauge", "control records committed and not yet read by this node; -1 while unknown (before it read, and while Kafka does not answer)", s.lag());
        single(out, "edgedeck_fleet_control_applied_records_total", "counter", "control records this node applied, since it started", s.applied());
        single(out, "edgedeck_fleet_control_skipped_records_total", "counter", "control records with nothing newer than this node had (read again after a restart), since it started", s.skipped());
        single(out, "edgedeck_fleet_control_refused_records_total", "counter", "control records this node refused (logged), since it started", s.refused());
        single(out, "edgedeck_fleet_control_malformed_records_total", "counter", "records on the control topic that were not control records, since it started", s.malformed());
        family(out, "edgedeck_fleet_control_own_writes_refused_total", "counter", "writes of changes this node decided on itself (a scheduled change firing, a guardrail's rollback) that were not made, each try (logged), since it started, by cause: kafka (the fleet's Kafka refused it, did not confirm it or could not be reached), conflict (another node's change won three times), journal (this node's journal could not be written), engine (this node's engine did not take it in time), applying (on the control topic, not applied here in time), refused (this node's checks refused it), stopping (the node was stopping)");
        ownWritesRefused.forEach((cause, n) -> sample(out, "edgedeck_fleet_control_own_writes_refused_total", labels("cause", cause), n));
        return out.toString();
    }

    /** A family of one sample without labels. */
    private static void single(StringBuilder out, String name, String type, String help, double value) {
        family(out, name, type, help);
        sample(out, name, "", value);
    }
}
