package io.edgedeck.simulator.connectors;

import io.edgedeck.client.model.SourceStatus;

import io.edgedeck.client.model.EncoderHealth;
import io.edgedeck.simulator.connectors.cdn.CdnLogEndpoint;
import io.edgedeck.simulator.connectors.cdn.CdnLogsConfig;
import io.edgedeck.simulator.connectors.chat.ChatWebhook;
import io.edgedeck.simulator.connectors.chat.ChatWebhookConfig;
import io.edgedeck.simulator.connectors.obs.ObsConnector;
import io.edgedeck.simulator.connectors.probe.ProbeRound;
import io.edgedeck.simulator.connectors.probe.ProbeRunner;
import io.edgedeck.simulator.connectors.twitch.TwitchChatConnector;
import io.edgedeck.simulator.connectors.twitch.TwitchConfig;
import io.edgedeck.simulator.server.privacy.UnitKeys;

import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Every connector of one node config, built and run together: the seam between the connectors and
 * the node. The node gives an {@link EventSink} (its keyed ingest path) and a consumer for the
 * encoder's health (the frame's newest {@link EncoderHealth}); it mounts {@link #pushEndpoints()} on
 * its HTTP server (POST and PUT, body and headers to {@link PushConnector#handle}), serves
 * {@link #fastlyChallengeBody()} at {@link CdnLogEndpoint#FASTLY_CHALLENGE_PATH} when it is not null,
 * renders {@link #statuses()} on /metrics ({@link ConnectorMetrics}) and in the console's Sources panel.
 */
public final class Connectors implements AutoCloseable {
    private final List<Connector> all = new ArrayList<>();
    private final Map<String, PushConnector> pushed = new LinkedHashMap<>();
    private final List<CdnLogsConfig> cdnConfigs;
    private final ProbeRunner probes;

    public Connectors(ConnectorsConfig config, EventSink sink, Consumer<EncoderHealth> encoder, InstantSource clock) {
        this(config, sink, encoder, clock, null, null);
    }

    /**
     * @param dataDir the node's data directory, where connectors keep what lasts across restarts (the
     *                Twitch viewers' names, by their keys); null to keep it only while the process runs
     * @param keys    the node's unit keys, which it made before its connectors (so nothing races it making
     *                {@code unit-key}); null for a node that keys no unit, whose connectors keep it only
     *                while the process runs
     */
    public Connectors(ConnectorsConfig config, EventSink sink, Consumer<EncoderHealth> encoder, InstantSource clock,
                      java.nio.file.Path dataDir, UnitKeys keys) {
        this.cdnConfigs = config.cdnLogs();
        for (CdnLogsConfig c : config.cdnLogs()) {
            add(new CdnLogEndpoint(c, sink.from(CdnLogEndpoint.KIND, c.name()), clock));
        }
        for (ChatWebhookConfig c : config.chatWebhooks()) {
            add(new ChatWebhook(c, sink.from(ChatWebhook.KIND, c.name()), clock));
        }
        probes = config.probes() == null ? null : new ProbeRunner(config.probes(), sink.from(ProbeRunner.KIND, ProbeRunner.NAME), clock);
        if (probes != null) {
            all.add(probes);
        }
        for (TwitchConfig c : config.twitch()) {
            all.add(new TwitchChatConnector(c, sink.from(TwitchChatConnector.KIND, c.channel()), clock, dataDir, keys));
        }
        if (config.obs() != null) {
            all.add(new ObsConnector(config.obs(), encoder, clock));
        }
    }

    private void add(PushConnector c) {
        all.add(c);
        pushed.put(c.path(), c);
    }

    /** Starts every connector; each runs on its own threads. */
    public void start() {
        all.forEach(Connector::start);
    }

    /** The pushed endpoints by the path the node mounts each at. */
    public Map<String, PushConnector> pushEndpoints() {
        return Map.copyOf(pushed);
    }

    /** What Fastly's ownership challenge expects, or null when no CDN endpoint names a Fastly service. */
    public String fastlyChallengeBody() {
        return CdnLogEndpoint.fastlyChallengeBody(cdnConfigs);
    }

    /**
     * Adds to connector {@code kind} {@code name}'s counters what {@code earlier} counted (its
     * observations read back from the node's ingest log at a restart); false when no connector of
     * this config is that one.
     */
    public boolean carry(String kind, String name, ConnectorCounters earlier) {
        ConnectorCounters counters = counters(kind, name);
        if (counters != null) {
            counters.carry(earlier);
        }
        return counters != null;
    }

    /** The counters of connector {@code kind} {@code name}, or null when no connector of this config is that one. */
    public ConnectorCounters counters(String kind, String name) {
        for (Connector c : all) {
            ConnectorCounters counters = c.counters();
            if (counters.kind().equals(kind) && counters.name().equals(name)) {
                return counters;
            }
        }
        return null;
    }

    /** Every connector's counters and state, in config order; any thread. */
    public List<SourceStatus> statuses() {
        return all.stream().map(Connector::status).toList();
    }

    /** The newest probe round per target and kind; empty without probes. */
    public List<ProbeRound> probeRounds() {
        return probes == null ? List.of() : probes.lastRounds();
    }

    @Override
    public void close() {
        for (Connector c : all.reversed()) {
            c.close();
        }
    }
}
