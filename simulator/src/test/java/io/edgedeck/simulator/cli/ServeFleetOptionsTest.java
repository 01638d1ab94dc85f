package io.edgedeck.simulator.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The fleet's options of {@code serve}: each mistake named, exit 2, nothing made. */
class ServeFleetOptionsTest {

    private static void refused(CliRun r, String says, Path dir) {
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains(says), r.err());
        assertFalse(Files.exists(dir.resolve("token")), "refused before anything was made");
    }

    @Test
    void aNodePublishesOnlyLiveAndWithAnId(@TempDir Path dir) throws Exception {
        refused(CliRun.of("serve", "--kafka", "127.0.0.1:9092", "--port", "0", "--data-dir", dir.toString()),
                "--kafka publishes a live node to its fleet: give --live and --node-id ID", dir);
        Path config = dir.resolve("node.json");
        Files.writeString(config, """
                {"$schema": "https://edgedeck.io/schema/node-config-v1.json", "name": "n", "pops": [{"id": "fra", "region": "eu"}]}""");
        Path data = dir.resolve("data");
        refused(CliRun.of("serve", "--live", "--node-config", config.toString(), "--kafka", "127.0.0.1:9092", "--port", "0",
                "--data-dir", data.toString()), "--node-id ID", data);
        refused(CliRun.of("serve", "--live", "--node-config", config.toString(), "--node-id", "a", "--port", "0",
                "--data-dir", data.toString()), "--node-id names a node in a fleet: give --kafka BOOTSTRAP too", data);
        refused(CliRun.of("serve", "--live", "--node-config", config.toString(), "--node-id", "a", "--kafka", "broker-without-port",
                "--port", "0", "--data-dir", data.toString()), "--kafka takes the cluster's bootstrap servers as host:port", data);
        refused(CliRun.of("serve", "--live", "--node-config", config.toString(), "--node-id", "a", "--kafka", "127.0.0.1:9092",
                "--kafka-topics", "show 42", "--port", "0", "--data-dir", data.toString()), "--kafka-topics: topic prefix", data);
        refused(CliRun.of("serve", "--live", "--node-config", config.toString(), "--node-id", "a", "--kafka", "127.0.0.1:9092",
                "--kafka-config", dir.resolve("missing.properties").toString(), "--port", "0", "--data-dir", data.toString()),
                "--kafka-config", data);
        // A properties file that is a directory or no text, and a port no host has, are named before the node starts.
        Path binary = Files.write(dir.resolve("client.properties"), new byte[] {(byte) 0xff, (byte) 0xfe, 'a', '=', 'b'});
        refused(CliRun.of("serve", "--live", "--node-config", config.toString(), "--node-id", "a", "--kafka", "127.0.0.1:9092",
                "--kafka-config", binary.toString(), "--port", "0", "--data-dir", data.toString()),
                "serve: --kafka-config " + binary + " cannot be read: it holds bytes that are not text", data);
        refused(CliRun.of("serve", "--live", "--node-config", config.toString(), "--node-id", "a", "--kafka", "127.0.0.1:9092",
                "--kafka-config", dir.toString(), "--port", "0", "--data-dir", data.toString()),
                "serve: --kafka-config " + dir + " cannot be read: it is a directory", data);
        refused(CliRun.of("serve", "--live", "--node-config", config.toString(), "--node-id", "a", "--kafka", "127.0.0.1:99999",
                "--port", "0", "--data-dir", data.toString()), "serve: --kafka takes the cluster's bootstrap servers as host:port", data);
        CliRun badId = CliRun.of("serve", "--live", "--node-config", config.toString(), "--node-id", "../a", "--kafka",
                "127.0.0.1:9092", "--port", "0", "--data-dir", data.toString());
        assertEquals(2, badId.code());
        assertTrue(badId.err().contains("'--node-id'"), badId.err());
        refused(CliRun.of("serve", "--live", "--node-config", config.toString(), "--fleet-guardrails",
                "--port", "0", "--data-dir", data.toString()), "--fleet-guardrails leaves rules to the fleet's aggregator: it needs --kafka", data);
        refused(CliRun.of("serve", "--live", "--node-config", config.toString(), "--advertise", "http://10.0.0.7:8787",
                "--port", "0", "--data-dir", data.toString()), "--advertise tells the fleet's aggregator where this node is: it needs --kafka",
                data);
        for (String url : new String[] {"10.0.0.7:8787", "ftp://10.0.0.7", "http://10.0.0.7:8787/api", "http://10.0.0.7:8787?x=1"}) {
            CliRun bad = CliRun.of("serve", "--live", "--node-config", config.toString(), "--node-id", "a", "--kafka", "127.0.0.1:9092",
                    "--advertise", url, "--port", "0", "--data-dir", data.toString());
            assertEquals(2, bad.code(), url + ": " + bad.err());
            assertTrue(bad.err().contains("'--advertise'") && bad.err().contains("takes a base URL"), bad.err());
        }
        refused(CliRun.of("serve", "--live", "--node-config", config.toString(), "--node-id", "a", "--kafka", "127.0.0.1:9092",
                "--nodes-read-key", config.toString(), "--port", "0", "--data-dir", data.toString()),
                "--nodes-read-key is the key the fleet's aggregator calls its nodes with: give it with --fleet", data);
    }

    @Test
    void theAggregatorTakesNoNodeOptions(@TempDir Path dir) {
        refused(CliRun.of("serve", "--fleet", "--kafka", "127.0.0.1:9092", "--live", "--port", "0", "--data-dir", dir.toString()),
                "--fleet runs the fleet's aggregator, which takes no --live", dir);
        refused(CliRun.of("serve", "--fleet", "--port", "0", "--data-dir", dir.toString()),
                "--kafka takes the cluster's bootstrap servers as host:port[,host:port...], was missing", dir);
        refused(CliRun.of("serve", "--fleet", "--kafka", "127.0.0.1:9092", "--bind", "0.0.0.0", "--port", "0", "--data-dir",
                dir.toString()), "--insecure", dir);
        refused(CliRun.of("serve", "--fleet", "--kafka", "127.0.0.1:9092", "--fleet-guardrails", "--port", "0", "--data-dir",
                dir.toString()), "--fleet runs the fleet's aggregator, which takes no --live, --node-id, --connectors, --fleet-guardrails or --advertise",
                dir);
        refused(CliRun.of("serve", "--fleet", "--kafka", "127.0.0.1:9092", "--advertise", "http://127.0.0.1:1", "--port", "0",
                "--data-dir", dir.toString()), "takes no --live, --node-id, --connectors, --fleet-guardrails or --advertise", dir);
        refused(CliRun.of("serve", "--fleet", "--kafka", "127.0.0.1:9092", "--nodes-read-key", dir.resolve("missing").toString(),
                "--port", "0", "--data-dir", dir.toString()), "--nodes-read-key " + dir.resolve("missing") + " cannot be read", dir);
    }

    @Test
    void theAggregatorsNodeConfigIsCheckedAsANodesIs(@TempDir Path dir) throws Exception {
        Path config = dir.resolve("rules.json");
        Files.writeString(config, """
                {"$schema": "https://edgedeck.io/schema/node-config-v1.json", "name": "n", "pops": [{"id": "fra", "region": "eu"}],
                 "guardrails": [{"id": "g", "flag": "no-such-flag", "variant": "treatment",
                                 "conditions": [{"metric": "conversionLift", "op": "<", "value": -0.1}],
                                 "windowSeconds": 120, "minExposures": 300, "cooldownSeconds": 120, "action": "rollback"}]}""");
        Path data = dir.resolve("data");
        refused(CliRun.of("serve", "--fleet", "--kafka", "127.0.0.1:9092", "--node-config", config.toString(), "--port", "0",
                "--data-dir", data.toString()), "no-such-flag", data);
    }

    /**
     * An aggregator refused once it has taken its data directory (the nodes' read key file empty, or a
     * directory) leaves the directory as it found it, as a node does: no lock file, no keys; what was
     * there stays, byte for byte, and a directory it made is taken back.
     */
    @Test
    void aRefusedAggregatorLeavesTheDataDirectoryAsItFoundIt(@TempDir Path dir) throws Exception {
        Path empty = Files.createFile(dir.resolve("nodes-read-key"));
        Path data = Files.createDirectory(dir.resolve("data"));
        Files.writeString(data.resolve("notes.txt"), "the producer's own\n");
        CliRun r = CliRun.of("serve", "--fleet", "--kafka", "127.0.0.1:9092", "--nodes-read-key", empty.toString(),
                "--port", "0", "--data-dir", data.toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("--nodes-read-key " + empty + " is empty"), r.err());
        assertEquals(java.util.List.of("notes.txt"), names(data), r.err());
        assertEquals("the producer's own\n", Files.readString(data.resolve("notes.txt")));

        Path made = dir.resolve("new").resolve("fleet");
        r = CliRun.of("serve", "--fleet", "--kafka", "127.0.0.1:9092", "--nodes-read-key", dir.resolve("data").toString(),
                "--port", "0", "--data-dir", made.toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("--nodes-read-key " + dir.resolve("data") + " cannot be read"), r.err());
        assertFalse(Files.exists(dir.resolve("new")), "the directories it made are taken back");
    }

    /**
     * An aggregator whose parts began starting (its keys made, its lock taken, its reader being made)
     * when one of them failed, here the fleet's reader on a Kafka client configuration the client refuses,
     * exits 2 with one plain line saying why, and leaves the directory as it found it: every file there
     * (a lock file and keys of an aggregator that ran before, the producer's own) keeps its name and bytes.
     */
    @Test
    void anAggregatorWhosePartFailsToStartSaysWhyInOneLineAndLeavesTheDirectoryAsFound(@TempDir Path dir) throws Exception {
        Path kafkaConfig = dir.resolve("kafka.properties");
        Files.writeString(kafkaConfig, "security.protocol=NOPE\n");
        Path data = Files.createDirectory(dir.resolve("data"));
        Files.writeString(data.resolve("node.lock"), "4242\n");
        Files.writeString(data.resolve("read-key"), "a-read-key-of-an-earlier-run-0123456789abcdef\n");
        Files.writeString(data.resolve("notes.txt"), "the producer's own\n");
        java.util.Map<String, String> before = hashes(data);
        for (String[] rules : new String[][]{{}, {"--node-config", "acquirer-slowdown"}}) {
            java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("serve", "--fleet", "--kafka", "127.0.0.1:9",
                    "--kafka-config", kafkaConfig.toString(), "--port", "0", "--data-dir", data.toString()));
            args.addAll(java.util.List.of(rules));
            CliRun r = CliRun.of(args.toArray(String[]::new));
            assertEquals(2, r.code(), r.err());
            assertEquals(1, r.err().lines().count(), r.err());
            assertTrue(r.err().startsWith("serve: cannot read the fleet from --kafka 127.0.0.1:9: Invalid value NOPE for"
                    + " configuration security.protocol"), r.err());
            assertFalse(r.err().contains("Exception") || r.err().contains("\tat "), r.err());
            assertEquals(before, hashes(data), r.err());
        }
    }

    private static java.util.Map<String, String> hashes(Path dir) throws Exception {
        java.util.Map<String, String> all = new java.util.TreeMap<>();
        for (String name : names(dir)) {
            all.put(name, java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(Files.readAllBytes(dir.resolve(name)))));
        }
        return all;
    }

    private static java.util.List<String> names(Path dir) throws java.io.IOException {
        try (var s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
