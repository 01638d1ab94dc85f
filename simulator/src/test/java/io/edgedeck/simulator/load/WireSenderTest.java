package io.edgedeck.simulator.load;

import io.edgedeck.client.ingest.IngestEvent;
import io.edgedeck.simulator.report.RunReport;
import io.edgedeck.simulator.scenario.NodeConfigParser;
import io.edgedeck.simulator.server.EdgeNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link WireSender} against a real live node on loopback: a session the show moved while the node
 * had not rolled back yet is evaluated again until the node serves what the show did, however many
 * stretches of the show that takes, so the node counts it in the moved cohort and its later
 * conversion there; one the node never comes to agree on is counted as unsettled. What the node's
 * answers make it count otherwise than the show is followed per figure.
 */
class WireSenderTest {
    private static final Path SHOW = Path.of("src", "test", "resources", "io", "edgedeck", "simulator", "load", "load-conversion-drop.json");
    private static final String FLAG = "checkout-redesign";

    @TempDir
    Path dir;
    private EdgeNode node;

    @AfterEach
    void stop() {
        if (node != null) {
            node.close();
        }
    }

    /** A live node of the show at the wall clock's rate; its keys. */
    private NodeKeys startNode() throws Exception {
        node = EdgeNode.start(EdgeNode.Config.live(NodeConfigParser.resolve(SHOW.toString()), InetAddress.getLoopbackAddress(), 0,
                dir.resolve("node")));
        return NodeKeys.read(node.dataDir(), null, null, null);
    }

    @Test
    void aSessionMovedBeforeTheNodeRollsBackIsEvaluatedAgainUntilTheNodeAgrees() throws Exception {
        NodeKeys keys = startNode();
        NodeClient client = new NodeClient(node.baseUri(), keys);
        String moved = unitServed(client, "wst-u", "treatment");
        String late = unitServed(client, "wst-late", "treatment");
        String probe = unitServed(client, "wst-probe", "treatment");

        try (WireSender sender = new WireSender(client, LoadRun.BATCH)) {
            stretch(sender, List.of(evaluation(moved, "treatment")), List.of(), 5_000);
            // The show rolled back at 10 s and moved the session; the node goes on serving it the treatment.
            stretch(sender, List.of(evaluation(moved, "control")), List.of(), 10_000);
            stretch(sender, List.of(), List.of(), 11_000);
            // A session the show assigns after its rollback: control there, the treatment on the node.
            stretch(sender, List.of(evaluation(late, "control")), List.of(), 12_000);
            // 20 s of the show in stretches of 1 s before the node rolls back: more stretches than a fixed count of attempts covers.
            for (long show = 13_000; show <= 30_000; show += 1_000) {
                stretch(sender, List.of(), List.of(), show);
            }
            assertEquals("treatment", served(client, moved), "the node has not rolled back yet");

            rollBack(keys);
            awaitControl(client, probe);
            // The show goes on; the session converts 30 s of the show after the node rolled back.
            for (long show = 31_000; show <= 60_000; show += 1_000) {
                stretch(sender, List.of(), List.of(), show);
            }
            stretch(sender, List.of(), List.of(new IngestEvent.Conversion("wst-1", null, "checkout", moved, null),
                    new IngestEvent.Conversion("wst-2", null, "checkout", late, null)), 61_000);

            RunReport.Variant control = variant(client, "control");
            // The probe the test waited on, and both sessions: the node learned that they moved.
            assertEquals(3, control.movedIn(), control.toString());
            assertEquals(2, control.movedConversions(), "their conversions count in the moved cohort: " + control);
            assertEquals(0, variant(client, "treatment").conversions(), "and not for the variant they left");
            assertEquals(0, sender.unsettled(), "the node came to agree on both units");
            // Each at its next stretch, then 1, 2, 4, 8 and 8 s of the show apart (moved at 11, 12, 14, 18, 26, 34 s), not at every
            // stretch: the last after the node's rollback.
            assertEquals(12, sender.reevaluations());
            // The moved session counts alike on both sides in the end; the late one the show never served the treatment: on the
            // node it is an exposure of the treatment, then moved to control, and converts there.
            assertEquals(Map.of(FLAG + "/control exposures", -1L, FLAG + "/treatment exposures", 1L, FLAG + "/control moved in", 1L,
                    FLAG + "/control conversions", -1L, FLAG + "/control moved conversions", 1L), sender.servedOtherwise());
        }
    }

    @Test
    void aUnitTheNodeNeverAgreesOnIsGivenUpAfterTwoMinutesOfTheShowAndCounted() throws Exception {
        NodeKeys keys = startNode();
        NodeClient client = new NodeClient(node.baseUri(), keys);
        String unit = unitServed(client, "wst-u", "treatment");

        try (WireSender sender = new WireSender(client, LoadRun.BATCH)) {
            stretch(sender, List.of(evaluation(unit, "control")), List.of(), 1_000);
            for (long show = 2_000; show <= 100_000; show += 1_000) {
                stretch(sender, List.of(), List.of(), show);
            }
            assertEquals(1, sender.unsettled(), "still waiting for the node when the show stops here");
            // Past two minutes of the show and the least wall time, the lane stops asking and counts it.
            Thread.sleep(WireSender.REEVALUATE_MILLIS);
            stretch(sender, List.of(), List.of(), 1_000 + WireSender.REEVALUATE_SHOW_MILLIS + 1_000);
            long asked = sender.reevaluations();
            stretch(sender, List.of(), List.of(), 1_000 + WireSender.REEVALUATE_SHOW_MILLIS + 20_000);
            assertEquals(1, sender.unsettled());
            assertEquals(asked, sender.reevaluations(), "no longer evaluated again");
        }
    }

    /**
     * A unit the node goes on serving the treatment while the show has it in control is evaluated again; between two of
     * those evaluations the flag's weights change and its treatment grows, so the unit stays in it. The node counts an
     * exposure once per unit and flag version (docs/LIVE.md, "Exposures from OpenFeature"): the unit is an exposure of the
     * treatment at each version. The lane's account of what the node counted otherwise than the show says the same, so the
     * node is judged against what it did count.
     */
    @Test
    void aUnitEvaluatedAgainAtANewFlagVersionIsCountedOnceMoreAsTheNodeCountsIt() throws Exception {
        NodeKeys keys = startNode();
        NodeClient client = new NodeClient(node.baseUri(), keys);
        String unit = unitServed(client, "wsv-u", "treatment");
        String probe = unitServed(client, "wsv-probe", "control");

        try (WireSender sender = new WireSender(client, LoadRun.BATCH)) {
            // The show has the unit in control; the node serves it the treatment: held, and evaluated again at the next stretch.
            stretch(sender, List.of(evaluation(unit, "control")), List.of(), 1_000);
            stretch(sender, List.of(), List.of(), 2_000);
            long reevaluated = sender.reevaluations();
            assertEquals(1, reevaluated, "evaluated again once, at version 1");
            awaitExposures(client, "treatment", 1);

            // Version 2: the treatment grows from 50% to 60%, so a unit in it stays in it.
            growTreatment(keys);
            awaitVersion(keys, probe, 2);
            for (long show = 3_000; show <= 20_000; show += 1_000) {
                stretch(sender, List.of(), List.of(), show);
            }
            assertTrue(sender.reevaluations() > reevaluated, "evaluated again at version 2");

            // The node counted the unit's treatment once at each version, and never its control.
            awaitExposures(client, "treatment", 2);
            assertEquals(Map.of(FLAG + "/treatment exposures", 2L, FLAG + "/control exposures", -1L), sender.servedOtherwise());
        }
    }

    /**
     * A unit evaluated at a PoP outside the flag's scope is served the flag's control by default (reason DEFAULT), which
     * the node does not count as an exposure (docs/LIVE.md, "Exposures from OpenFeature"). The show has the unit in the
     * treatment, so it is evaluated again, and again once the flag moved to version 2: still no exposure on the node. The
     * lane's account says only that the show counted an exposure the node did not, so the judge allows the node no
     * control exposure it never counted.
     */
    @Test
    void aDefaultAnswerIsNoExposureTheNodeCountedAtAnyFlagVersion() throws Exception {
        Path scoped = dir.resolve("scoped.json");
        Files.writeString(scoped, Files.readString(SHOW).replace("\"scope\": \"global\"", "\"scope\": \"region:eu\""));
        node = EdgeNode.start(EdgeNode.Config.live(NodeConfigParser.resolve(scoped.toString()), InetAddress.getLoopbackAddress(), 0,
                dir.resolve("node")));
        NodeKeys keys = NodeKeys.read(node.dataDir(), null, null, null);
        NodeClient client = new NodeClient(node.baseUri(), keys);
        WireTap.Evaluation outside = new WireTap.Evaluation(FLAG, "wsd-u", "iad", "na", "main", "treatment");

        try (WireSender sender = new WireSender(client, LoadRun.BATCH)) {
            stretch(sender, List.of(outside), List.of(), 1_000);
            stretch(sender, List.of(), List.of(), 2_000);
            assertEquals(1, sender.reevaluations(), "evaluated again once, at version 1");
            assertEquals(Map.of(FLAG + "/treatment exposures", -1L), sender.servedOtherwise(), "the show's exposure, not the node's");

            growTreatment(keys);
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (client.evaluate(new WireTap.Evaluation(FLAG, "wsd-probe", "iad", "na", "main", "control")).join().version() != 2) {
                assertTrue(System.nanoTime() < deadline, "iad serves version 2");
                Thread.sleep(50);
            }
            long reevaluated = sender.reevaluations();
            for (long show = 3_000; show <= 20_000; show += 1_000) {
                stretch(sender, List.of(), List.of(), show);
            }
            assertTrue(sender.reevaluations() > reevaluated, "evaluated again at version 2");
            assertEquals(Map.of(FLAG + "/treatment exposures", -1L), sender.servedOtherwise(), "nor at version 2");
            awaitExposures(client, "control", 0);
        }
    }

    /** Version 2 of the flag: the treatment grows from 50% to 60%. */
    private void growTreatment(NodeKeys keys) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(node.baseUri().resolve("/api/v1/flags/" + FLAG))
                .header("Authorization", "Bearer " + keys.admin()).header("Content-Type", "application/json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"expectedVersion\":1,\"variants\":[{\"name\":\"control\","
                        + "\"weight\":4000},{\"name\":\"treatment\",\"weight\":6000}],\"reason\":\"more of the redesign\"}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
    }

    /** The first unit the node serves {@code variant}: its first exposure, as a session's before a rollback. */
    private static String unitServed(NodeClient client, String prefix, String variant) throws Exception {
        long deadline = System.nanoTime() + 10_000_000_000L;
        for (int i = 1; System.nanoTime() < deadline; i++) {
            String unit = prefix + i;
            if (variant.equals(served(client, unit))) {
                return unit;
            }
            if (i > 200) {
                Thread.sleep(100);
            }
        }
        throw new AssertionError("the node served no unit " + variant);
    }

    private static String served(NodeClient client, String unit) {
        return client.evaluate(evaluation(unit, "control")).join().variant();
    }

    /** One stretch of the show, sent alone (the lane groups stretches that wait for it) and answered. */
    private static void stretch(WireSender sender, List<WireTap.Evaluation> evaluations, List<IngestEvent> events, long showMillis)
            throws LoadException {
        sender.submit(work(evaluations, events), 0, showMillis);
        sender.awaitIdle();
    }

    private static WireTap.Evaluation evaluation(String unit, String variant) {
        return new WireTap.Evaluation(FLAG, unit, "fra", "eu", "main", variant);
    }

    private static List<WireTap.Work> work(List<WireTap.Evaluation> evaluations, List<IngestEvent> events) {
        List<WireTap.Work> lanes = new ArrayList<>();
        lanes.add(new WireTap.Work(new ArrayList<>(evaluations), new ArrayList<>(events)));
        for (int i = 1; i < WireSender.LANES; i++) {
            lanes.add(new WireTap.Work(new ArrayList<>(), new ArrayList<>()));
        }
        return lanes;
    }

    /** Waits until the node's frames count {@code count} exposures of {@code variant}, and says so if they never do. */
    private static void awaitExposures(NodeClient client, String variant, long count) throws Exception {
        long deadline = System.nanoTime() + 10_000_000_000L;
        long seen = -1;
        while (System.nanoTime() < deadline) {
            seen = client.report().variants().stream().filter(x -> x.flag().equals(FLAG) && x.variant().equals(variant))
                    .mapToLong(RunReport.Variant::exposures).findFirst().orElse(0);
            if (seen == count) {
                return;
            }
            Thread.sleep(100);
        }
        assertEquals(count, seen, variant + " exposures on the node");
    }

    /** Waits until fra serves the flag at {@code version}, asked with {@code probe}'s evaluation (control before and after). */
    private void awaitVersion(NodeKeys keys, String probe, long version) throws Exception {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (true) {
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(node.baseUri().resolve("/ofrep/v1/evaluate/flags/" + FLAG))
                    .header("Authorization", "Bearer " + keys.read()).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"context\":{\"targetingKey\":\"" + probe + "\",\"pop\":\"fra\"}}"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode(), r.body());
            com.fasterxml.jackson.databind.JsonNode answer = new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.body());
            assertEquals("control", answer.get("variant").asText(), "the probe stays in control: " + r.body());
            if (answer.get("metadata").get("version").asLong() == version) {
                return;
            }
            assertTrue(System.nanoTime() < deadline, "fra serves version " + version + ": " + r.body());
            Thread.sleep(50);
        }
    }

    private void rollBack(NodeKeys keys) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(node.baseUri().resolve("/api/v1/rollbacks"))
                .header("Authorization", "Bearer " + keys.admin()).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"flag\":\"" + FLAG + "\",\"variant\":\"treatment\",\"reason\":\"test\"}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
    }

    /** Waits for the rollback to reach the PoP the test's units are served at: {@code probe}, served the treatment before, is served control. */
    private static void awaitControl(NodeClient client, String probe) throws Exception {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!"control".equals(client.evaluate(evaluation(probe, "control")).join().variant())) {
            assertTrue(System.nanoTime() < deadline, "the rollback reached fra");
            Thread.sleep(50);
        }
    }

    /** The node's figures of a variant, once they count the conversion sent (the report is read from its frames). */
    private static RunReport.Variant variant(NodeClient client, String variant) throws Exception {
        long deadline = System.nanoTime() + 10_000_000_000L;
        RunReport.Variant v = null;
        while (System.nanoTime() < deadline) {
            v = client.report().variants().stream().filter(x -> x.flag().equals(FLAG) && x.variant().equals(variant)).findFirst()
                    .orElse(null);
            if (v != null && client.report().events().total() > 0 && (!variant.equals("control") || v.movedConversions() > 0)) {
                return v;
            }
            Thread.sleep(100);
        }
        assertNotNull(v, variant);
        return v;
    }
}
