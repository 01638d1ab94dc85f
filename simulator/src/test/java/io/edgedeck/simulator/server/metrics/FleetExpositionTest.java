package io.edgedeck.simulator.server.metrics;

import io.edgedeck.simulator.fleet.FleetPublisher;
import io.edgedeck.simulator.fleet.FleetSnapshot;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** The fleet's expositions: what the aggregator and a fleet node add, linted by promtool. */
class FleetExpositionTest {

    private static final FleetSnapshot.Latency LATENCY = new FleetSnapshot.Latency(1200, 3, 21.0, 48.5, 97.0, 180.0);

    private static FleetSnapshot fleet() {
        return new FleetSnapshot(1_764_633_661_000L, 240, 2, 0, 1_764_633_660L, 60,
                List.of(new FleetSnapshot.PopView("fra", LATENCY, LATENCY, 4, List.of("node-a")),
                        new FleetSnapshot.PopView("iad", LATENCY, LATENCY, 1, List.of("node-b"))),
                List.of(new FleetSnapshot.VariantView("offer-banner", "control", 90, 3, 59.97, 10, 2.5, 1.1, 9, 0, 1, 0.2, 0.04, 0, 0)),
                List.of(new FleetSnapshot.NodeView("node-a", List.of("ams", "fra"), 120, 1, 1_764_633_661_000L, 900,
                                1_764_633_660L, 0, 0, -1, -1, "http://127.0.0.1:8787"),
                        new FleetSnapshot.NodeView("node \"b\"", List.of("iad"), 120, 1, 0, -1, 0, -1, -1, -1, -1, null)),
                new FleetSnapshot.ChatView(10, 2.5, 1.1), new FleetSnapshot.CheckoutView(3, 2, 1, 0));
    }

    @Test
    void theAggregatorSaysWhichNodeServesWhichPopAndHowStaleEachIs() throws IOException, InterruptedException {
        String text = FleetExposition.render(fleet(), 17);
        assertTrue(text.contains("edgedeck_fleet_pop_requests_total{pop=\"fra\"} 1200\n"), text);
        assertTrue(text.contains("edgedeck_fleet_pop_latency_seconds{pop=\"fra\",percentile=\"95\"} 0.0485\n"), text);
        assertTrue(text.contains("edgedeck_fleet_node_pops{node=\"node-a\",pop=\"ams\"} 1\n"), text);
        assertTrue(text.contains("edgedeck_fleet_node_last_seen_age_seconds{node=\"node-a\"} 0.9\n"), text);
        // Its age is from the node's newest frame, as /api/v1/fleet's ageMillis and the fleet's silence count it.
        assertTrue(text.contains("# HELP edgedeck_fleet_node_last_seen_age_seconds how long ago the aggregator last heard from"
                + " a node, by its clock: from the node's newest frame (its newest record before its first frame); -1 before"
                + " any record\n"), text);
        assertTrue(text.contains("edgedeck_fleet_node_last_seen_age_seconds{node=\"node \\\"b\\\"\"} -1\n"), text);
        assertTrue(text.contains("edgedeck_fleet_consumer_lag_records 17\n"), text);
        assertTrue(text.contains("edgedeck_fleet_variant_conversions_total{flag=\"offer-banner\",variant=\"control\"} 3\n"), text);
        Promtool.assertClean(text);
    }

    @Test
    void aNodeSaysWhatWaitsForKafka() throws IOException, InterruptedException {
        String text = FleetExposition.renderNode(new FleetPublisher.Status(false, 42, 52_000, 256L << 20, 0, 100, 142, 3, 2,
                60, 1, 1_764_633_600_500L, "TimeoutException"));
        assertTrue(text.contains("edgedeck_fleet_publisher_connected 0\n"), text);
        assertTrue(text.contains("edgedeck_fleet_spool_pending_records 42\n"), text);
        assertTrue(text.contains("edgedeck_fleet_spool_oldest_pending_timestamp_seconds 1.7646336005E9\n"), text);
        Promtool.assertClean(text);
    }
}
