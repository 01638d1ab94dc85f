package io.edgedeck.simulator.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgedeck.simulator.fleet.FleetOptions;
import io.edgedeck.simulator.fleet.FleetTopics;
import io.edgedeck.simulator.scenario.NodeConfigParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A live node started into a fleet whose Kafka client configuration is refused: the start is refused in one
 * sentence after the journal was restored and the changed node configuration judged, and it changes no byte
 * of the data directory: the audit of the changed guardrail is not appended, a torn last record is not cut,
 * what a crash left unfinished stays (a torn last record of the ingest log and of the fleet's spool too), and
 * nothing goes to the fleet's spool.
 */
class FleetNodeRefusedStartTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aFleetNodeRefusedForItsKafkaConfigChangesNoByteOfItsDirectory(@TempDir Path root) throws Exception {
        Path dir = root.resolve("node");
        String example = Files.readString(Path.of("..", "docs", "examples", "node-config.json"));
        // It ran in the fleet before, Kafka out of reach: its journal records wait in its spool.
        FleetOptions before = new FleetOptions("127.0.0.1:9", null, new FleetTopics("refused.", 1, (short) 1), "node-a");
        try (EdgeNode first = EdgeNode.start(config(example, dir).withFleet(before))) {
            assertTrue(first.journal().nextSeq() > 1);
            long until = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
            while (first.fleet().orElseThrow().status().spoolPending() == 0 && System.nanoTime() < until) {
                Thread.sleep(50);
            }
        }
        EveryFile.asACrashLeftIt(dir);
        Map<String, String> hashes = EveryFile.hashes(dir);
        // The guardrail edited: a start that went on would audit the change.
        ObjectNode edited = (ObjectNode) JSON.readTree(example);
        ((ObjectNode) edited.withArray("guardrails").get(0)).put("minExposures", 400);
        Path kafkaConfig = Files.writeString(root.resolve("kafka.properties"), "security.protocol=NOPE\n");
        EdgeNode.Config fleet = config(edited.toString(), dir).withFleet(new FleetOptions("127.0.0.1:9", kafkaConfig,
                new FleetTopics("refused.", 1, (short) 1), "node-a"));

        EdgeNode.StartException refused = assertThrows(EdgeNode.StartException.class, () -> EdgeNode.start(fleet).close());
        assertTrue(refused.getMessage().startsWith("cannot join the fleet through --kafka 127.0.0.1:9: Invalid value NOPE for"
                + " configuration security.protocol"), refused.getMessage());
        assertEquals(hashes, EveryFile.hashes(dir), refused.getMessage());
    }

    private static EdgeNode.Config config(String json, Path dir) throws Exception {
        return EdgeNode.Config.live(NodeConfigParser.parse(json.getBytes(StandardCharsets.UTF_8)), InetAddress.getLoopbackAddress(), 0, dir);
    }
}
