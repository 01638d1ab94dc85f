package io.edgedeck.simulator.connectors;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.edgedeck.simulator.connectors.cdn.CdnLogsConfig;
import io.edgedeck.simulator.connectors.chat.ChatWebhookConfig;
import io.edgedeck.simulator.connectors.obs.ObsConfig;
import io.edgedeck.simulator.connectors.probe.ProbeConfig;
import io.edgedeck.simulator.connectors.twitch.TwitchConfig;

import io.edgedeck.simulator.scenario.Suggestions;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The {@code connectors} object of a node config: every source the node runs besides its ingest
 * API. Each part may be left out. docs/CONNECTORS.md describes every field.
 *
 * <pre>{@code
 * {"cdnLogs": [{"name": "cloudflare", "format": "cloudflare", "secret": "file:...", "pops": {"FRA": "fra"}}],
 *  "probes": {"targets": [{"pop": "fra", "url": "https://fra.edge.example.com/healthz"}]},
 *  "twitch": [{"channel": "somechannel"}],
 *  "chatWebhooks": [{"name": "youtube", "secret": "env:EDGEDECK_CHAT_SECRET"}],
 *  "obs": {"port": 4455, "password": "file:..."}}
 * }</pre>
 */
public record ConnectorsConfig(List<CdnLogsConfig> cdnLogs, ProbeConfig probes, List<TwitchConfig> twitch,
                               List<ChatWebhookConfig> chatWebhooks, ObsConfig obs) {
    public static final ConnectorsConfig NONE = new ConnectorsConfig(null, null, null, null, null);

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .build();

    public ConnectorsConfig {
        cdnLogs = cdnLogs == null ? List.of() : List.copyOf(cdnLogs);
        twitch = twitch == null ? List.of() : List.copyOf(twitch);
        chatWebhooks = chatWebhooks == null ? List.of() : List.copyOf(chatWebhooks);
        unique(cdnLogs.stream().map(CdnLogsConfig::name).toList(), "cdnLogs: the name ");
        unique(twitch.stream().map(TwitchConfig::channel).toList(), "twitch: the channel ");
        unique(chatWebhooks.stream().map(ChatWebhookConfig::name).toList(), "chatWebhooks: the name ");
    }

    /**
     * The connectors in words, for the audit: each by kind and name, in the config's order, with
     * what it maps or where it listens, and never a secret (a probe URL without its credentials or
     * query, {@link io.edgedeck.simulator.connectors.probe.ProbeTarget#shownUrl}). "none" when there
     * is none. Two configs whose descriptions are equal run the same connectors against the same
     * PoPs and hosts; a change to a probe URL's query or credentials alone is not told apart.
     */
    public String describe() {
        List<String> parts = new ArrayList<>();
        for (CdnLogsConfig c : cdnLogs) {
            parts.add("cdn-logs " + c.name() + " (" + c.format() + ": " + new TreeMap<>(c.pops()).entrySet().stream()
                    .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(" ")) + ")");
        }
        if (probes != null) {
            parts.add("probes (" + probes.targets().stream().map(t -> t.pop() + " " + (t.url() != null ? t.shownUrl() : "tcp " + t.tcp()))
                    .collect(Collectors.joining(", ")) + ")");
        }
        for (TwitchConfig t : twitch) {
            parts.add("twitch #" + t.channel());
        }
        for (ChatWebhookConfig w : chatWebhooks) {
            parts.add("chat-webhook " + w.name() + (w.channel() == null ? "" : " (" + w.channel() + ")"));
        }
        if (obs != null) {
            parts.add("obs " + obs.url());
        }
        return parts.isEmpty() ? "none" : String.join("; ", parts);
    }

    /** True when the config names no connector at all. */
    public boolean isEmpty() {
        return cdnLogs.isEmpty() && probes == null && twitch.isEmpty() && chatWebhooks.isEmpty() && obs == null;
    }

    /**
     * A PoP id a connector maps to that the node does not have.
     *
     * @param path    where, below the connectors object, e.g. {@code cdnLogs[0].pops.CDG}
     * @param message what is wrong, naming the connector and the unknown PoP, with "did you mean" when one is close
     */
    public record UnknownPop(String path, String message) {
    }

    /**
     * Every PoP mapping (a CDN endpoint's {@code pops}, a probe target's {@code pop}) that names a PoP
     * id outside {@code nodePops}: a node must refuse to start with them, or the connector's
     * observations would all be refused one by one while the config looked fine.
     */
    public List<UnknownPop> unknownPops(Collection<String> nodePops) {
        List<String> known = nodePops.stream().sorted().toList();
        List<UnknownPop> out = new ArrayList<>();
        for (int i = 0; i < cdnLogs.size(); i++) {
            CdnLogsConfig c = cdnLogs.get(i);
            for (var mapping : new TreeMap<>(c.pops()).entrySet()) {
                if (!nodePops.contains(mapping.getValue())) {
                    out.add(new UnknownPop("cdnLogs[" + i + "].pops." + mapping.getKey(), "the CDN log connector '" + c.name()
                            + "' maps the CDN's PoP " + mapping.getKey() + " to '" + mapping.getValue() + "', a PoP this node does not have"
                            + " (it has " + known + ")" + Suggestions.didYouMean(mapping.getValue(), known)));
                }
            }
        }
        if (probes != null) {
            for (int i = 0; i < probes.targets().size(); i++) {
                String pop = probes.targets().get(i).pop();
                if (!nodePops.contains(pop)) {
                    out.add(new UnknownPop("probes.targets[" + i + "].pop", "the probes connector's target " + i + " probes for '" + pop
                            + "', a PoP this node does not have (it has " + known + ")" + Suggestions.didYouMean(pop, known)));
                }
            }
        }
        return out;
    }

    private static void unique(List<String> names, String what) {
        Set<String> seen = new HashSet<>();
        for (String n : names) {
            if (!seen.add(n)) {
                throw new IllegalArgumentException(what + n + " appears twice");
            }
        }
    }

    /** Reads the connectors object from its JSON text. */
    public static ConnectorsConfig read(String json) throws ConnectorConfigException {
        try {
            return JSON.readValue(json, ConnectorsConfig.class);
        } catch (JsonProcessingException e) {
            throw explain(e, "connectors");
        }
    }

    /**
     * Reads the {@code connectors} object of a node config's text, or the text itself when it is
     * the connectors object alone (it has no {@code connectors} field); errors name the path in
     * the node config and the line in the text.
     */
    public static ConnectorsConfig readNodeConfig(String text) throws ConnectorConfigException {
        boolean nested;
        try {
            JsonNode root = JSON.readTree(text);
            if (root == null || !root.isObject()) {
                throw new ConnectorConfigException("connectors", "expected a JSON object (a node config, or its connectors object)", 1);
            }
            nested = root.has("connectors");
        } catch (JsonProcessingException e) {
            throw explain(e, "connectors");
        }
        if (!nested) {
            return read(text);
        }
        try (com.fasterxml.jackson.core.JsonParser p = JSON.createParser(text)) {
            p.nextToken();
            while (p.nextToken() == com.fasterxml.jackson.core.JsonToken.FIELD_NAME) {
                String field = p.currentName();
                p.nextToken();
                if (field.equals("connectors")) {
                    return JSON.readerFor(ConnectorsConfig.class).without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                            .readValue(p);
                }
                p.skipChildren();
            }
            throw new ConnectorConfigException("connectors", "not found", -1);
        } catch (JsonProcessingException e) {
            throw explain(e, "connectors");
        } catch (java.io.IOException e) {
            throw new ConnectorConfigException("connectors", e.getMessage(), -1);
        }
    }

    /**
     * Reads the connectors object from a node config already parsed; {@code at} is its JSON path in
     * that config (e.g. {@code connectors}), used in error messages.
     */
    public static ConnectorsConfig read(JsonNode node, String at) throws ConnectorConfigException {
        try {
            return JSON.treeToValue(node, ConnectorsConfig.class);
        } catch (JsonProcessingException e) {
            throw explain(e, at);
        } catch (IllegalArgumentException e) {
            throw new ConnectorConfigException(at, e.getMessage(), -1);
        }
    }

    private static ConnectorConfigException explain(JsonProcessingException e, String root) {
        StringBuilder path = new StringBuilder(root);
        if (e instanceof JsonMappingException m) {
            for (JsonMappingException.Reference r : m.getPath()) {
                if (r.getFieldName() != null) {
                    path.append('.').append(r.getFieldName());
                } else if (r.getIndex() >= 0) {
                    path.append('[').append(r.getIndex()).append(']');
                }
            }
        }
        String message;
        if (e instanceof ValueInstantiationException v && v.getCause() != null) {
            message = v.getCause().getMessage();
        } else if (e instanceof UnrecognizedPropertyException u) {
            message = "unknown field " + u.getPropertyName() + "; known: " + u.getKnownPropertyIds();
        } else {
            message = e.getOriginalMessage();
        }
        JsonLocation where = e.getLocation();
        return new ConnectorConfigException(path.toString(), message, where == null ? -1 : where.getLineNr());
    }
}
