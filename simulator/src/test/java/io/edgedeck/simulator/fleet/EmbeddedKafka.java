package io.edgedeck.simulator.fleet;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;

import java.io.IOException;
import java.io.PrintStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real single-node Kafka 4 cluster in this JVM: one KRaft process that is both controller and
 * broker ({@code process.roles=broker,controller}), its log directories formatted on first start,
 * listening on 127.0.0.1 only. {@link #stop()} shuts it down cleanly and {@link #start()} brings it
 * back on the same log directories and the same ports, so clients that knew it reconnect as they
 * would to a restarted broker.
 *
 * <p>Settings fit one node: every internal topic (offsets, transaction state) has one replica,
 * and the group coordinator does not wait for more members before its first rebalance.
 * Used by the fleet tests and {@code FleetBenchmark}; not thread-safe.
 */
public final class EmbeddedKafka implements AutoCloseable {

    private static final int NODE_ID = 1;
    private static final String CONTROLLER = "CONTROLLER";

    static {
        // A broker that meets a fatal fault exits or halts its process. In a test JVM that would end every test
        // running in it, with no word of why (the fork "terminated without saying goodbye"): say it, and fail the
        // broker's thread instead, so the test waiting on the broker fails and names it.
        org.apache.kafka.common.utils.internals.Exit.setExitProcedure(EmbeddedKafka::refuseToEnd);
        org.apache.kafka.common.utils.internals.Exit.setHaltProcedure(EmbeddedKafka::refuseToEnd);
    }

    private static void refuseToEnd(int status, String message) {
        IllegalStateException e = new IllegalStateException("the in-process Kafka broker asked to end the JVM with status "
                + status + ": " + message);
        e.printStackTrace();
        throw e;
    }

    private final Path dir;
    private final boolean deleteOnClose;
    private final int brokerPort;
    private final int controllerPort;
    private final String clusterId = Uuid.randomUuid().toString();
    /** Per listener more than the one every client uses, its port and the port it is advertised at (a relay's). */
    private final Map<String, int[]> relayed = new java.util.LinkedHashMap<>();
    private boolean formatted;
    private KafkaRaftServer server;

    private EmbeddedKafka(Path dir, boolean deleteOnClose) throws IOException {
        this.dir = dir;
        this.deleteOnClose = deleteOnClose;
        this.brokerPort = freeLoopbackPort();
        this.controllerPort = freeLoopbackPort();
    }

    /** A broker on fresh log directories under a new temporary directory, started; deleted on close. */
    public static EmbeddedKafka start(String name) throws Exception {
        EmbeddedKafka kafka = new EmbeddedKafka(Files.createTempDirectory("edgedeck-kafka-" + name), true);
        kafka.start();
        return kafka;
    }

    /**
     * A broker as {@link #start(String)} makes it, with a listener more for each name in {@code relayedAt}, advertised at
     * the port given there: a client that bootstraps there (a relay in front of {@link #listenerPort}) makes every
     * connection to the broker there, so the relay can keep one client's connections from it while others reach it.
     */
    public static EmbeddedKafka start(String name, Map<String, Integer> relayedAt) throws Exception {
        EmbeddedKafka kafka = new EmbeddedKafka(Files.createTempDirectory("edgedeck-kafka-" + name), true);
        for (Map.Entry<String, Integer> r : relayedAt.entrySet()) {
            kafka.relayed.put(r.getKey(), new int[] {freeLoopbackPort(), r.getValue()});
        }
        kafka.start();
        return kafka;
    }

    /** The port of listener {@code name} given to {@link #start(String, Map)}. */
    public int listenerPort(String name) {
        return relayed.get(name)[0];
    }

    /** {@code host:port} of the broker's listener, for {@code bootstrap.servers}. */
    public String bootstrapServers() {
        return "127.0.0.1:" + brokerPort;
    }

    public Path directory() {
        return dir;
    }

    public boolean running() {
        return server != null;
    }

    /** Formats the log directories the first time, then starts the node and waits until it answers. */
    public void start() throws Exception {
        if (server != null) {
            return;
        }
        KafkaConfig config = new KafkaConfig(properties(), false);
        if (!formatted) {
            format();
            formatted = true;
        }
        KafkaRaftServer s = new KafkaRaftServer(config, Time.SYSTEM);
        s.startup();
        server = s;
        awaitReady(Duration.ofSeconds(60));
    }

    /** A clean shutdown: logs flushed, the ports released. The log directories stay. */
    public void stop() {
        KafkaRaftServer s = server;
        server = null;
        if (s != null) {
            s.shutdown();
            s.awaitShutdown();
        }
    }

    @Override
    public void close() throws IOException {
        stop();
        if (deleteOnClose) {
            deleteTree(dir);
        }
    }

    private Map<String, Object> properties() {
        Map<String, Object> p = new HashMap<>();
        p.put("process.roles", "broker,controller");
        p.put("node.id", Integer.toString(NODE_ID));
        p.put("controller.quorum.voters", NODE_ID + "@127.0.0.1:" + controllerPort);
        StringBuilder listeners = new StringBuilder("PLAINTEXT://127.0.0.1:" + brokerPort + "," + CONTROLLER + "://127.0.0.1:"
                + controllerPort);
        StringBuilder advertised = new StringBuilder("PLAINTEXT://127.0.0.1:" + brokerPort);
        StringBuilder protocols = new StringBuilder("PLAINTEXT:PLAINTEXT," + CONTROLLER + ":PLAINTEXT");
        relayed.forEach((name, ports) -> {
            listeners.append(',').append(name).append("://127.0.0.1:").append(ports[0]);
            advertised.append(',').append(name).append("://127.0.0.1:").append(ports[1]);
            protocols.append(',').append(name).append(":PLAINTEXT");
        });
        p.put("listeners", listeners.toString());
        p.put("advertised.listeners", advertised.toString());
        p.put("controller.listener.names", CONTROLLER);
        p.put("listener.security.protocol.map", protocols.toString());
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("log.dirs", dataDir().toString());
        p.put("metadata.log.dir", metadataDir().toString());
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "1");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("transaction.state.log.num.partitions", "1");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("group.initial.rebalance.delay.ms", "0");
        p.put("num.partitions", "1");
        p.put("auto.create.topics.enable", "false");
        // The log cleaner's dedupe buffer defaults to 128 MB; the control topic's compaction needs little.
        p.put("log.cleaner.dedupe.buffer.size", Integer.toString(2 * 1024 * 1024));
        p.put("log.cleaner.backoff.ms", "500");
        p.put("num.network.threads", "2");
        p.put("num.io.threads", "2");
        p.put("background.threads", "2");
        p.put("num.recovery.threads.per.data.dir", "1");
        p.put("controlled.shutdown.enable", "true");
        return p;
    }

    private void format() throws Exception {
        Files.createDirectories(dataDir());
        Files.createDirectories(metadataDir());
        new Formatter()
                .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
                .setNodeId(NODE_ID)
                .setClusterId(clusterId)
                .setDirectories(List.of(dataDir().toString(), metadataDir().toString()))
                .setMetadataLogDirectory(metadataDir().toString())
                .setControllerListenerName(CONTROLLER)
                .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
                .run();
    }

    private void awaitReady(Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<String, Object> conf = Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 4000);
        Exception last = null;
        try (Admin admin = Admin.create(conf)) {
            while (System.nanoTime() < deadline) {
                try {
                    if (!admin.describeCluster().nodes().get(4, TimeUnit.SECONDS).isEmpty()) {
                        return;
                    }
                } catch (Exception e) {
                    last = e;
                }
                Thread.sleep(50);
            }
        }
        throw new IllegalStateException("the in-process Kafka broker did not answer within " + timeout, last);
    }

    private Path dataDir() {
        return dir.resolve("data");
    }

    private Path metadataDir() {
        return dir.resolve("metadata");
    }

    private static int freeLoopbackPort() throws IOException {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            return s.getLocalPort();
        }
    }

    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (var paths = Files.walk(root)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }
}
