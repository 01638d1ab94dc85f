package io.edgedeck.simulator.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgedeck.simulator.fleet.EmbeddedKafka;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;

/**
 * A fleet node started again with a change not confirmed, running until killed: an in-process Kafka broker and a
 * {@code serve --live --kafka} node in a process of its own. The node schedules kill offer-banner on cue drop; Kafka is
 * stopped, the cue fired on the node, and the node killed with SIGKILL while it tries the change; Kafka back, the node is
 * started again on its data directory, and lists the change not confirmed since the cue was fired. What the console's
 * schedule (Timeline tab) is photographed on.
 *
 * <p>Arguments: a data directory. Prints the console's {@code --connect} line once the node lists the change so.
 */
public final class ScheduleRestartShowcase {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CONFIG = """
            {"$schema": "https://edgedeck.io/schema/node-config-v1.json", "name": "drop-night",
             "pops": [{"id": "fra", "region": "eu"}, {"id": "ams", "region": "eu"}],
             "flags": [{"key": "offer-banner", "owner": "growth",
                        "variants": [{"name": "control", "weight": 50}, {"name": "treatment", "weight": 50}],
                        "control": "control"}]}""";

    private ScheduleRestartShowcase() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        Files.createDirectories(dir);
        NodeHttp nodes = new NodeHttp();
        EmbeddedKafka kafka = EmbeddedKafka.start("schedule-showcase");
        Path data = dir.resolve("node-a");
        String[] serve = NodeHttp.fleetNode(kafka, dir, CONFIG, "node-a", "node-a", "--cue-window", "60");
        try (NodeProcess node = NodeProcess.start(NodeHttp.JVM, serve)) {
            NodeHttp.await("the node read the control topic",
                    () -> nodes.metric(node.base(), data, "edgedeck_fleet_control_lag_records") == 0);
            HttpResponse<String> made = nodes.send(node.base(), data, "POST", "/api/v1/schedule",
                    "{\"cue\":\"drop\",\"action\":{\"type\":\"kill\",\"flag\":\"offer-banner\"},\"reason\":\"the drop\"}");
            if (made.statusCode() != 201) {
                throw new IllegalStateException("not scheduled: " + made.body());
            }
            kafka.stop();
            CompletableFuture.runAsync(() -> {
                try {
                    nodes.send(node.base(), data, "POST", "/api/v1/show/cues/drop", "{\"reason\":\"the drop is live\"}");
                } catch (Exception cutByTheKill) {
                    // the node is killed while it tries the change: no answer comes
                }
            });
            NodeHttp.await("the cue is journaled", () -> Files.readString(data.resolve("journal.jsonl")).contains("\"show.cue\""));
            node.kill();
            System.out.println("killed node-a with SIGKILL while it tried the change of cue drop");
        }
        kafka.start();
        NodeProcess again = NodeProcess.start(NodeHttp.JVM, serve);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                again.close();
                kafka.close();
            } catch (Exception e) {
                e.printStackTrace();
            }
        }));
        NodeHttp.await("the change is listed not confirmed", () -> JSON.readTree(nodes.send(again.base(), data, "GET",
                "/api/v1/schedule", null).body()).path(0).has("unconfirmed"));
        System.out.println("started node-a again: " + again.base());
        System.out.println("--connect " + again.base() + " --token-file " + data.resolve("token").toAbsolutePath());
        Thread.sleep(Long.MAX_VALUE);
    }
}
