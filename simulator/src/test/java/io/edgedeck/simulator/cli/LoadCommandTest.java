package io.edgedeck.simulator.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgedeck.client.model.GuardrailFiring;
import io.edgedeck.client.model.SourceStatus;
import io.edgedeck.simulator.scenario.NodeConfigParser;
import io.edgedeck.simulator.server.EdgeNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code load} against a real live node on loopback ({@code serve --live}'s node in this JVM), fed
 * over HTTP by a show's simulated audience: a guardrail show rolls the variant back on the node as it
 * does in-process, and the counts agree within the documented tolerances.
 */
class LoadCommandTest {
    /** A short conversion drop whose guard fires in-process within its 120 s. */
    private static final Path SHOW = Path.of("src", "test", "resources", "io", "edgedeck", "simulator", "load", "load-conversion-drop.json");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    private EdgeNode node;

    private EdgeNode startNode() throws Exception {
        return startNode(1);
    }

    /** A live node whose clock runs {@code rate} times the wall clock's, as {@code serve --live --speed N} starts it. */
    private EdgeNode startNode(double rate) throws Exception {
        node = EdgeNode.start(EdgeNode.Config.live(NodeConfigParser.resolve(SHOW.toString()), InetAddress.getLoopbackAddress(), 0,
                dir.resolve("node"), rate));
        return node;
    }

    @AfterEach
    void stop() {
        if (node != null) {
            node.close();
        }
    }

    @Test
    void aGuardrailShowRollsTheVariantBackOnTheLiveNodeAsItDoesInProcess() throws Exception {
        startNode(10);
        Path report = dir.resolve("comparison.json");
        CliRun run = CliRun.of("load", "--target", node.baseUri().toString(), "--scenario", SHOW.toString(),
                "--key-dir", node.dataDir().toString(), "--speed", "10", "--report", report.toString());

        assertEquals(ExitCode.OK, run.code(), run.out() + run.err());
        // The node itself rolled the treatment back: its own guardrail, on what arrived over the wire.
        List<GuardrailFiring> firings = node.latestFrame().firings();
        assertEquals(1, firings.size(), firings.toString());
        assertEquals("conversion-guard", firings.getFirst().rule());
        assertEquals("treatment", firings.getFirst().variant());
        assertTrue(firings.getFirst().automatic(), "the node's own rule fired it");

        JsonNode comparison = JSON.readTree(Files.readString(report));
        assertTrue(comparison.get("holds").asBoolean(), run.out());
        assertTrue(comparison.get("sameStream").asBoolean(), "the tap changed nothing in the show");
        JsonNode verdict = comparison.get("verdicts").get(0);
        assertEquals(1, comparison.get("verdicts").size(), run.out());
        assertEquals("conversion-guard", verdict.get("rule").asText());
        Path runReport = dir.resolve("run.json");
        CliRun alone = CliRun.of("run", "--scenario", SHOW.toString(), "--speed", "max", "--report", runReport.toString());
        assertEquals(ExitCode.OK, alone.code(), alone.out() + alone.err());
        JsonNode runFirings = JSON.readTree(Files.readString(runReport)).get("guardrailFirings");
        assertEquals(1, runFirings.size(), runFirings.toString());
        assertEquals(runFirings.get(0).get("atSeconds").asDouble(), verdict.get("inProcessAtSeconds").asDouble(),
                "the in-process show fires where 'run' does");
        assertFalse(verdict.get("nodeAtSeconds").isNull(), run.out());
        for (JsonNode figure : comparison.get("figures")) {
            assertTrue(figure.get("within").asBoolean(), figure.toString());
        }
        Map<String, JsonNode> byName = new java.util.HashMap<>();
        comparison.get("figures").forEach(f -> byName.put(f.get("name").asText(), f));
        assertTrue(byName.get("checkout-redesign/treatment exposures").get("node").asLong() > 100, run.out());
        assertEquals(byName.get("chat messages").get("inProcess").asLong(), byName.get("chat messages").get("node").asLong(),
                "every chat line arrived and was counted once");
        assertTrue(comparison.get("wire").get("evaluations").asLong() > 1000, run.out());
        assertEquals(0, comparison.get("wire").get("refused").asLong(), run.out());
        assertTrue(comparison.get("wire").get("demandPerSecond").asDouble() > 0, "at 10x the show asks for a rate: " + run.out());
        assertTrue(comparison.get("wire").has("maxLagMillis"), run.out());
        // The triggers ran on the node on the steps, chat and checkouts it was sent, as they ran in-process.
        List<JsonNode> triggers = new java.util.ArrayList<>();
        comparison.get("figures").forEach(f -> {
            if (f.get("name").asText().startsWith("trigger ")) {
                triggers.add(f);
            }
        });
        assertFalse(triggers.isEmpty(), run.out());
        assertTrue(triggers.stream().anyMatch(f -> f.get("node").asLong() > 0), "the node's triggers fired: " + triggers);

        // The node's sources show the ingest lane, per kind of event.
        Map<String, SourceStatus> ingest = node.sources().stream().filter(s -> s.kind().equals("ingest"))
                .collect(Collectors.toMap(SourceStatus::name, s -> s));
        assertEquals(List.of("chat", "checkout", "conversion", "exposure", "latency", "step"), ingest.keySet().stream().sorted().toList());
        assertEquals(byName.get("chat messages").get("node").asLong(), ingest.get("chat").events());
        assertTrue(ingest.get("exposure").events() > 1000 && ingest.get("latency").lastEventMillis() > 0, ingest.toString());
        assertTrue(node.sources().stream().noneMatch(s -> s.kind().equals("simulator")), "a live node has no simulated audience");
    }

    @Test
    void badArgumentsNameTheOptionAndExitTwo() throws Exception {
        CliRun noTarget = CliRun.of("load", "--scenario", "conversion-drop", "--key-dir", dir.toString());
        assertEquals(ExitCode.BAD_INPUT, noTarget.code());
        assertTrue(noTarget.err().contains("--target"), noTarget.err());

        CliRun badTarget = CliRun.of("load", "--target", "ftp://node", "--scenario", "conversion-drop", "--key-dir", dir.toString());
        assertEquals(ExitCode.BAD_INPUT, badTarget.code());
        assertTrue(badTarget.err().contains("--target must be the node's http:// or https:// URL"), badTarget.err());

        CliRun badSpeed = CliRun.of("load", "--target", "http://127.0.0.1:1", "--scenario", "conversion-drop", "--key-dir",
                dir.toString(), "--speed", "fast");
        assertEquals(ExitCode.BAD_INPUT, badSpeed.code());
        assertTrue(badSpeed.err().contains("--speed"), badSpeed.err());

        CliRun noKeys = CliRun.of("load", "--target", "http://127.0.0.1:1", "--scenario", "conversion-drop");
        assertEquals(ExitCode.BAD_INPUT, noKeys.code());
        assertTrue(noKeys.err().contains("--key-dir"), noKeys.err());

        CliRun emptyDir = CliRun.of("load", "--target", "http://127.0.0.1:1", "--scenario", "conversion-drop", "--key-dir", dir.toString());
        assertEquals(ExitCode.BAD_INPUT, emptyDir.code());
        assertTrue(emptyDir.err().contains("--key-dir: no key file " + dir.resolve("token")), emptyDir.err());

        CliRun maxNode = CliRun.of("serve", "--live", "--node-config", SHOW.toString(), "--speed", "max", "--port", "0",
                "--data-dir", dir.resolve("max-node").toString());
        assertEquals(ExitCode.BAD_INPUT, maxNode.code());
        assertTrue(maxNode.err().contains("--speed max is for a rehearsal"), maxNode.err());

        CliRun unknownShow = CliRun.of("load", "--target", "http://127.0.0.1:1", "--scenario", "no-such-show", "--key-dir", dir.toString());
        assertEquals(ExitCode.BAD_INPUT, unknownShow.code());
        assertTrue(unknownShow.err().contains("no-such-show"), unknownShow.err());
    }

    @Test
    void aNodeWhoseClockRunsAtAnotherSpeedIsRefusedBeforeAnythingIsSent() throws Exception {
        startNode(1);
        CliRun faster = CliRun.of("load", "--target", node.baseUri().toString(), "--scenario", SHOW.toString(),
                "--key-dir", node.dataDir().toString(), "--speed", "10");
        assertEquals(ExitCode.INTERNAL_ERROR, faster.code());
        assertTrue(faster.err().contains("runs its clock at 1x and load would send the show at 10x"), faster.err());
        assertTrue(faster.err().contains("serve --live --speed 10"), faster.err());
        assertEquals(0, node.latestFrame().events().total(), "nothing was sent");
    }

    @Test
    void anUnreachableNodeOrAWrongKeyIsAClearErrorAndNoSuccess() throws Exception {
        Path keys = Files.createDirectories(dir.resolve("keys"));
        for (String name : List.of("token", "read-key", "ingest-key")) {
            Files.writeString(keys.resolve(name), "not-this-nodes-key\n");
        }
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        CliRun unreachable = CliRun.of("load", "--target", "http://127.0.0.1:" + closedPort, "--scenario", SHOW.toString(),
                "--key-dir", keys.toString());
        assertEquals(ExitCode.INTERNAL_ERROR, unreachable.code());
        assertTrue(unreachable.err().contains("cannot reach the node at http://127.0.0.1:" + closedPort), unreachable.err());

        startNode();
        CliRun wrongKey = CliRun.of("load", "--target", node.baseUri().toString(), "--scenario", SHOW.toString(),
                "--key-dir", keys.toString());
        assertEquals(ExitCode.INTERNAL_ERROR, wrongKey.code());
        assertTrue(wrongKey.err().contains("refused the admin token from " + keys.resolve("token")), wrongKey.err());
        assertFalse(wrongKey.err().contains("not-this-nodes-key"), "a key is never printed");

        // The right admin token with a wrong ingest key: refused at the first batch, named.
        CliRun wrongIngestKey = CliRun.of("load", "--target", node.baseUri().toString(), "--scenario", SHOW.toString(),
                "--key-dir", node.dataDir().toString(), "--ingest-key-file", keys.resolve("ingest-key").toString(), "--speed", "max");
        assertEquals(ExitCode.INTERNAL_ERROR, wrongIngestKey.code());
        assertTrue(wrongIngestKey.err().contains("refused the ingest key from " + keys.resolve("ingest-key")), wrongIngestKey.err());
    }
}
