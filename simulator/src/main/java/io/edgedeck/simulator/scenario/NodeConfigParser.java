package io.edgedeck.simulator.scenario;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgedeck.engine.guardrails.GuardrailSpec;
import io.edgedeck.engine.pops.PopCost;
import io.edgedeck.engine.pops.PopSite;
import io.edgedeck.engine.pops.Slo;
import io.edgedeck.simulator.edge.LatencyDistribution;
import io.edgedeck.simulator.edge.LatencySpec;
import io.edgedeck.simulator.edge.PopSpec;
import io.edgedeck.simulator.edge.RegionSpec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads live node configurations strictly, through the same three gates as scenarios (reading, the
 * published schema {@code node-config.schema.json}, the cross-checks), every error reported with
 * its JSON path, line and column. A document whose {@code $schema} names the scenario format (or
 * that has no {@code $schema} and an {@code audience}), or a built-in scenario's name, is taken as a scenario: its PoPs, flags, triggers and guardrails are
 * the node's, its audience and cues are ignored.
 */
public final class NodeConfigParser {
    /** The value every node configuration file carries in {@code $schema}. */
    public static final String SCHEMA_ID = "https://edgedeck.io/schema/node-config-v1.json";
    /** How long the show a node configuration describes is said to last: a node runs until stopped. */
    static final int LIVE_DURATION_SECONDS = 86_400;
    /** The stand-in latency model and capacity of a live PoP: never played, a scenario needs one. */
    private static final LatencySpec UNPLAYED = new LatencySpec(0, LatencyDistribution.NORMAL, 0, 0, 0, 0);
    private static final double UNPLAYED_CAPACITY = 1;

    private NodeConfigParser() {
    }

    /**
     * A built-in scenario's name, a scenario file, or a node configuration file.
     *
     * @throws ScenarioCatalog.UnknownScenarioException when it is none of these
     * @throws ScenarioValidationException              naming every error with its path and line
     */
    public static NodeConfig resolve(String nameOrPath) throws IOException {
        if (ScenarioCatalog.isBuiltIn(nameOrPath)) {
            return NodeConfig.of(ScenarioCatalog.load(nameOrPath));
        }
        byte[] bytes;
        try {
            Path file = ScenarioCatalog.file(nameOrPath, "a node configuration file");
            long size = Files.size(file);
            if (size > DocumentReader.MAX_BYTES) throw DocumentReader.tooLarge(size);
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new ScenarioCatalog.UnknownScenarioException("there is no node configuration file '" + nameOrPath
                    + "', and it is not the name of a built-in one" + Suggestions.didYouMean(nameOrPath, ScenarioCatalog.NAMES)
                    + ": give a node configuration file (docs/LIVE.md), a scenario file, or a built-in scenario, whose PoPs,"
                    + " flags, triggers and guardrails the node takes: " + String.join(", ", ScenarioCatalog.NAMES));
        } catch (java.nio.file.InvalidPathException e) {
            throw new ScenarioCatalog.UnknownScenarioException("'" + nameOrPath + "' is not a file path: " + e.getReason());
        }
        return parse(bytes);
    }

    /** A node configuration, or a scenario taken as one, from the bytes of a UTF-8 JSON document. */
    public static NodeConfig parse(byte[] document) {
        DocumentReader.Document doc = DocumentReader.read(document);
        // A scenario names its format, or (its $schema being optional) is known by its audience.
        boolean scenario = doc.root().has("$schema") ? Scenario.SCHEMA_ID.equals(doc.root().path("$schema").asText())
                : doc.root().has("audience");
        if (scenario) {
            return NodeConfig.of(ScenarioParser.parse(document));
        }
        ErrorCollector errors = new ErrorCollector(doc.locations());
        SchemaValidator.nodeConfig().validate(doc.root(), errors);
        if (!errors.isEmpty()) {
            // the cross-checks on what the schema did not refuse, so every error comes back in one pass
            SchemaErrorPruning.checkTheRest(doc.root(), errors, SchemaValidator.nodeConfig(), NodeConfigParser::check);
            errors.throwIfAny();
        }
        ObjectNode root = doc.root();
        Scenario show = check(root, errors);
        String defaultPop = defaultPop(root, show);
        errors.throwIfAny();
        var connectors = ConnectorsConfigParser.read(root.get("connectors"), "$.connectors",
                show.pops().stream().map(PopSpec::id).toList(), errors);
        errors.throwIfAny();
        List<PopSite> sites = new ArrayList<>();
        Map<String, String> probes = new LinkedHashMap<>();
        for (JsonNode p : root.get("pops")) {
            JsonNode slo = p.path("slo");
            sites.add(new PopSite(p.get("id").asText(), p.get("region").asText(), p.path("propagationDelayMs").asLong(0),
                    !slo.isObject() ? Slo.DEFAULT : slo.has("p95Ms") ? new Slo(slo.get("p95Ms").asDouble(),
                            slo.path("maxLossRatio").asDouble(Slo.DEFAULT.maxLossRatio()))
                            : Slo.lossOnly(slo.path("maxLossRatio").asDouble(Slo.DEFAULT.maxLossRatio())),
                    p.hasNonNull("cost") ? new PopCost(p.get("cost").get("perHour").asDouble(),
                            p.get("cost").get("perMillionRequests").asDouble()) : null));
            if (p.hasNonNull("probe")) {
                probes.put(p.get("id").asText(), p.get("probe").asText());
            }
        }
        JsonNode ingest = root.path("ingest");
        NodeConfig.Ingest limits;
        try {
            limits = new NodeConfig.Ingest(
                    ingest.path("maxBatchEvents").asInt(NodeConfig.Ingest.DEFAULT.maxBatchEvents()),
                    ingest.path("maxBatchBytes").asInt(NodeConfig.Ingest.DEFAULT.maxBatchBytes()),
                    ingest.path("maxEventsPerSecond").asLong(NodeConfig.Ingest.DEFAULT.maxEventsPerSecond()),
                    ingest.path("maxHeldBytes").asLong(NodeConfig.Ingest.DEFAULT.maxHeldBytes()));
        } catch (IllegalArgumentException e) {
            errors.add("$.ingest.maxHeldBytes", e.getMessage());
            throw new ScenarioValidationException(errors.errors());
        }
        JsonNode privacy = root.path("privacy");
        JsonNode tokens = root.path("checkoutTokens");
        NodeConfig.Privacy d = NodeConfig.Privacy.DEFAULT;
        NodeConfig.Privacy kept;
        try {
            kept = new NodeConfig.Privacy(
                    java.time.Duration.ofSeconds(privacy.path("rawRetentionSeconds").asLong(d.rawRetention().toSeconds())),
                    java.time.Duration.ofSeconds(tokens.path("ttlSeconds").asLong(d.tokenTtl().toSeconds())),
                    java.time.Duration.ofSeconds(tokens.path("keyRotationSeconds").asLong(d.tokenKeyRotation().toSeconds())),
                    privacy.path("rawSampleRate").asDouble(d.rawSampleRate()));
        } catch (IllegalArgumentException e) {
            errors.add(e.getMessage().startsWith("privacy.rawSample") ? "$.privacy.rawSampleRate"
                    : e.getMessage().startsWith("privacy") ? "$.privacy.rawRetentionSeconds"
                    : e.getMessage().startsWith("checkoutTokens.ttl") ? "$.checkoutTokens.ttlSeconds"
                    : "$.checkoutTokens.keyRotationSeconds", e.getMessage());
            throw new ScenarioValidationException(errors.errors());
        }
        List<String> origins = new ArrayList<>();
        JsonNode listed = root.path("cors").path("allowedOrigins");
        for (int i = 0; i < listed.size(); i++) {
            String why = NodeConfig.originProblem(listed.get(i).asText());
            if (why != null) {
                errors.add("$.cors.allowedOrigins[" + i + "]", "cors.allowedOrigins[" + i + "] " + why);
            }
            origins.add(listed.get(i).asText());
        }
        errors.throwIfAny();
        return new NodeConfig(show, sites, probes, defaultPop, limits, connectors, kept, origins, fleetPops(root, show));
    }

    /** The PoPs of {@code fleetPops} this node does not serve itself: those other nodes of its fleet serve. */
    private static List<String> fleetPops(ObjectNode root, Scenario show) {
        Set<String> own = new LinkedHashSet<>(show.pops().stream().map(PopSpec::id).toList());
        List<String> others = new ArrayList<>();
        root.withArray("fleetPops").forEach(p -> {
            if (!own.contains(p.asText())) others.add(p.asText());
        });
        return others;
    }

    /** The show, after adding what the cross-checks find wrong with it (and with its default PoP) to {@code errors}. */
    private static Scenario check(ObjectNode root, ErrorCollector errors) {
        Scenario show = bind(root, errors);
        ScenarioChecks.check(show, fleetPops(root, show), errors);
        String defaultPop = defaultPop(root, show);
        if (show.pops().stream().noneMatch(p -> p.id().equals(defaultPop))) {
            errors.add("$.defaultPop", "unknown PoP '" + defaultPop + "'; the PoPs are "
                    + show.pops().stream().map(PopSpec::id).toList());
        }
        return show;
    }

    private static String defaultPop(ObjectNode root, Scenario show) {
        return root.has("defaultPop") ? root.get("defaultPop").asText() : show.pops().getFirst().id();
    }

    /**
     * The show as a scenario: the configuration's PoPs (with a latency model and capacity that are
     * never played), one region per region the PoPs name, an audience that never arrives, the
     * flags, triggers and guardrails as written.
     */
    private static Scenario bind(ObjectNode root, ErrorCollector errors) {
        List<PopSpec> pops = new ArrayList<>();
        Set<String> regionIds = new LinkedHashSet<>();
        for (JsonNode p : root.get("pops")) {
            pops.add(new PopSpec(p.get("id").asText(), p.get("region").asText(), UNPLAYED_CAPACITY, UNPLAYED,
                    p.path("propagationDelayMs").asLong(0), p.hasNonNull("cost") ? new PopCost(p.get("cost").get("perHour").asDouble(),
                            p.get("cost").get("perMillionRequests").asDouble()) : null));
            regionIds.add(p.get("region").asText());
        }
        List<RegionSpec> regions = new ArrayList<>();
        for (String region : regionIds) {
            regions.add(new RegionSpec(region, 1.0 / regionIds.size(),
                    pops.stream().filter(p -> p.region().equals(region)).map(PopSpec::id).toList()));
        }
        List<String> tenants = new ArrayList<>();
        root.withArray("tenants").forEach(t -> tenants.add(t.asText()));
        Audience nobody = new Audience(List.of(new Audience.Stage(1, 0)), 0, tenants,
                new Audience.SessionSpec(1, 0, 0, 0, 0, 0, 0), new ChatMix(0, 1, 0), null);
        try {
            var mapper = ScenarioParser.mapper();
            List<FlagSpec> flags = mapper.convertValue(root.withArray("flags"), new TypeReference<>() {
            });
            List<TriggerSpec> triggers = mapper.convertValue(root.withArray("triggers"), new TypeReference<>() {
            });
            List<GuardrailSpec> guardrails = mapper.convertValue(root.withArray("guardrails"), new TypeReference<>() {
            });
            Approvals approvals = root.has("approvals") ? mapper.convertValue(root.get("approvals"), Approvals.class) : null;
            List<PlaybookSpec> playbooks = mapper.convertValue(root.withArray("playbooks"), new TypeReference<>() {
            });
            return new Scenario(root.get("name").asText(), root.path("description").asText(""), 0, LIVE_DURATION_SECONDS,
                    root.path("frameMillis").asInt(Scenario.DEFAULT_FRAME_MILLIS), pops, regions, nobody, flags, triggers,
                    guardrails, List.of(), approvals, playbooks);
        } catch (IllegalArgumentException e) {
            // The schema admits only what the records accept; this is the safety net if they ever disagree.
            errors.add("$", e.getMessage());
            throw new ScenarioValidationException(errors.errors());
        }
    }
}
