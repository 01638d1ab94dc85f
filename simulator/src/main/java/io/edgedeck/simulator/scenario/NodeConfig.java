package io.edgedeck.simulator.scenario;

import io.edgedeck.simulator.server.http.PeerValues;

import io.edgedeck.engine.CoreConfig;
import io.edgedeck.engine.pops.PopSite;
import io.edgedeck.engine.pops.Slo;
import io.edgedeck.simulator.connectors.ConnectorsConfig;
import io.edgedeck.simulator.show.Show;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Locale;
import java.util.List;
import java.util.Map;

/**
 * What a live node runs: the show (as a scenario whose audience never plays and whose cues never
 * fire), each PoP's objectives and probe target, the PoP an observation without one counts at, the
 * ingest limits and the connectors section. Read from a node configuration file
 * ({@link NodeConfigParser}) or taken from a scenario ({@link #of(Scenario)}), so the show
 * rehearsed is the show that goes live.
 *
 * @param show       the show: name, PoPs, flags, triggers and guardrails
 * @param sites      the PoPs as the core knows them, with their objectives
 * @param probes     PoP id to the URL a prober may time, for PoPs that name one
 * @param defaultPop the PoP id an observation or evaluation that names none is counted at
 * @param ingest     the limits of {@code POST /ingest/v1/events}
 * @param connectors the connectors the node runs (none when the file has no {@code connectors} object),
 *                   checked against the schema and the node's PoPs
 * @param privacy    how long raw ingest records are kept, and the one-click checkout tokens' lifetimes (docs/PRIVACY.md)
 * @param allowedOrigins the web origins ({@code scheme://host[:port]}) browsers may call OFREP and the ingest API
 *                   from ({@code cors.allowedOrigins}); none by default
 * @param fleetPops  on a node in a fleet, the PoPs other nodes serve ({@code fleetPops} less this node's own): a
 *                   playbook or scheduled change may roll back there too (docs/FLEET.md); none by default
 */
public record NodeConfig(Scenario show, List<PopSite> sites, Map<String, String> probes, String defaultPop,
                         Ingest ingest, ConnectorsConfig connectors, Privacy privacy, List<String> allowedOrigins,
                         List<String> fleetPops) {

    public NodeConfig(Scenario show, List<PopSite> sites, Map<String, String> probes, String defaultPop,
                      Ingest ingest, ConnectorsConfig connectors, Privacy privacy, List<String> allowedOrigins) {
        this(show, sites, probes, defaultPop, ingest, connectors, privacy, allowedOrigins, List.of());
    }

    public NodeConfig(Scenario show, List<PopSite> sites, Map<String, String> probes, String defaultPop,
                      Ingest ingest, ConnectorsConfig connectors, Privacy privacy) {
        this(show, sites, probes, defaultPop, ingest, connectors, privacy, List.of());
    }

    /**
     * What the node keeps of its audience, and for how long (docs/PRIVACY.md).
     *
     * @param rawRetention     how long an ingest log record keeps the ids it came with before they are
     *                         replaced by keys; more than zero
     * @param tokenTtl         how long a one-click checkout token is good for
     * @param tokenKeyRotation how often the key that signs them is replaced; at least {@code tokenTtl}
     * @param rawSampleRate    the share of units, from 0 to 1, whose ingest records keep the ids they came with for
     *                         the retention window; every other unit's ids are replaced by keys before they are
     *                         written (1, the default: every unit's)
     */
    public record Privacy(Duration rawRetention, Duration tokenTtl, Duration tokenKeyRotation, double rawSampleRate) {
        public static final Privacy DEFAULT = new Privacy(Duration.ofHours(24), Duration.ofSeconds(60), Duration.ofHours(1), 1.0);

        public Privacy(Duration rawRetention, Duration tokenTtl, Duration tokenKeyRotation) {
            this(rawRetention, tokenTtl, tokenKeyRotation, 1.0);
        }

        public Privacy {
            if (!(rawSampleRate >= 0 && rawSampleRate <= 1)) {
                throw new IllegalArgumentException("privacy.rawSampleRate must be from 0 to 1 (the share of units whose"
                        + " ingest records keep their raw ids for the retention window); was " + rawSampleRate);
            }
            if (rawRetention.isNegative() || rawRetention.isZero()) {
                throw new IllegalArgumentException("privacy.rawRetentionSeconds must be more than 0: raw ids are kept for that"
                        + " long so a restart can count them again; was " + rawRetention.toSeconds());
            }
            if (tokenTtl.isNegative() || tokenTtl.isZero()) {
                throw new IllegalArgumentException("checkoutTokens.ttlSeconds must be more than 0, was " + tokenTtl.toSeconds());
            }
            if (tokenKeyRotation.compareTo(tokenTtl) < 0) {
                throw new IllegalArgumentException("checkoutTokens.keyRotationSeconds (" + tokenKeyRotation.toSeconds()
                        + ") must be at least ttlSeconds (" + tokenTtl.toSeconds() + "): the previous key is accepted for one TTL");
            }
        }
    }

    public NodeConfig(Scenario show, List<PopSite> sites, Map<String, String> probes, String defaultPop,
                      Ingest ingest, ConnectorsConfig connectors) {
        this(show, sites, probes, defaultPop, ingest, connectors, Privacy.DEFAULT);
    }

    /** The same node with other privacy settings. */
    public NodeConfig withPrivacy(Privacy other) {
        return new NodeConfig(show, sites, probes, defaultPop, ingest, connectors, other, allowedOrigins, fleetPops);
    }

    /**
     * The ingest limits.
     *
     * @param maxBatchEvents     events in one batch
     * @param maxBatchBytes      bytes of one batch once gzip is undone
     * @param maxEventsPerSecond events per second the ingest key may send (a one-second burst)
     * @param maxHeldBytes       bytes of the batches taken and not yet applied (waiting for the ingest log,
     *                           for the engine, or for the core to reach their arrival): past it a batch
     *                           is refused (503, Retry-After) before anything of it is logged; at least
     *                           {@code maxBatchBytes}, so a batch of any size the node takes fits alone
     */
    public record Ingest(int maxBatchEvents, int maxBatchBytes, long maxEventsPerSecond, long maxHeldBytes) {
        /** The default bound on held batches: 16 batches of the default largest size. */
        public static final long DEFAULT_MAX_HELD_BYTES = 64L * 1024 * 1024;
        public static final Ingest DEFAULT = new Ingest(5_000, 4 * 1024 * 1024, 1_000_000, DEFAULT_MAX_HELD_BYTES);

        public Ingest {
            if (maxBatchEvents <= 0 || maxBatchBytes <= 0 || maxEventsPerSecond <= 0) {
                throw new IllegalArgumentException("ingest limits must be positive");
            }
            if (maxHeldBytes < maxBatchBytes) {
                throw new IllegalArgumentException("ingest.maxHeldBytes (" + maxHeldBytes + ") is less than ingest.maxBatchBytes ("
                        + maxBatchBytes + "): a batch of the largest size could never be taken");
            }
        }
    }

    public NodeConfig {
        sites = List.copyOf(sites);
        probes = Map.copyOf(probes);
        connectors = connectors == null ? ConnectorsConfig.NONE : connectors;
        privacy = privacy == null ? Privacy.DEFAULT : privacy;
        allowedOrigins = allowedOrigins == null ? List.of() : List.copyOf(allowedOrigins);
        fleetPops = fleetPops == null ? List.of() : List.copyOf(fleetPops);
    }

    /**
     * Why {@code origin} is not an origin a browser sends ({@code scheme://host[:port]}, http or https,
     * no path, no {@code *}), or null when it is one.
     */
    public static String originProblem(String origin) {
        if (origin == null || origin.isBlank()) {
            return "is empty; an origin is scheme://host[:port], e.g. https://shop.example";
        }
        if (origin.contains("*")) {
            return PeerValues.quoted(origin, '\'') + " has a '*': list each origin, as scheme://host[:port]"
                    + " (a wildcard would let any web page read the answers)";
        }
        URI uri;
        try {
            uri = new URI(origin);
        } catch (URISyntaxException e) {
            return PeerValues.quoted(origin, '\'') + " is not an origin (scheme://host[:port]): " + e.getReason();
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            return PeerValues.quoted(origin, '\'') + " is not an origin: it must start with https:// or http://"
                    + " and be scheme://host[:port]";
        }
        if (uri.getHost() == null || uri.getRawUserInfo() != null) {
            return PeerValues.quoted(origin, '\'') + " is not an origin: scheme://host[:port] with a host name, no user";
        }
        if (uri.getPort() == 0 || uri.getPort() > 65535) {
            return PeerValues.quoted(origin, '\'') + " is not an origin: its port must be from 1 to 65535";
        }
        if (!uri.getRawPath().isEmpty() || uri.getRawQuery() != null || uri.getRawFragment() != null) {
            return PeerValues.quoted(origin, '\'') + " is not an origin: scheme://host[:port] with no path"
                    + " (not even a trailing '/'), query or fragment";
        }
        return null;
    }

    /** A scenario as a node configuration: its PoPs (default objectives), flags, triggers and guardrails. */
    public static NodeConfig of(Scenario scenario) {
        List<PopSite> sites = scenario.pops().stream()
                .map(p -> new PopSite(p.id(), p.region(), p.propagationDelayMillis(), Slo.DEFAULT, p.cost())).toList();
        return new NodeConfig(scenario, sites, Map.of(), scenario.pops().getFirst().id(), Ingest.DEFAULT, null);
    }

    /**
     * The edge core this configuration describes, with the show's flags created under {@code seed}'s salt rules
     * and audited as the node config's ({@link CoreConfig#NODE_CONFIG}): on a live node nobody rehearses them.
     */
    public CoreConfig coreConfig() {
        CoreConfig c = Show.coreConfig(show, show.seed());
        return new CoreConfig(c.name(), c.seed(), c.tickMillis(), c.frameMillis(), sites, c.regions(), c.flags(), CoreConfig.NODE_CONFIG,
                c.triggers(), c.guardrails(), c.noDataAfterMillis(), c.showDocument());
    }
}
