package io.edgedeck.simulator.scenario;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgedeck.simulator.connectors.ConnectorConfigException;
import io.edgedeck.simulator.connectors.ConnectorsConfig;

import java.util.Collection;

/**
 * Reads a node configuration's {@code connectors} object through the same gates as the rest of the
 * file: reading, the published schema {@code connectors.schema.json} (the shapes, through
 * {@link SchemaValidator}), the binder (checks that span fields, such as the probe rate), and the
 * node's PoPs (every PoP a connector maps to must be the node's). Every error names its JSON path
 * and line.
 */
public final class ConnectorsConfigParser {
    private static final String NESTED = "$.connectors";

    private ConnectorsConfigParser() {
    }

    /**
     * {@code serve --connectors FILE}: a node configuration holding a {@code connectors} object, or
     * that object alone, checked against the PoPs of the show it will feed.
     *
     * @throws ScenarioValidationException naming every error with its path and line
     */
    public static ConnectorsConfig parse(byte[] document, Collection<String> nodePops) {
        DocumentReader.Document doc = DocumentReader.read(document);
        ErrorCollector errors = new ErrorCollector(doc.locations());
        boolean nested = doc.root().has("connectors");
        ConnectorsConfig config = read(nested ? doc.root().get("connectors") : doc.root(), nested ? NESTED : JsonPaths.ROOT,
                nodePops, errors);
        errors.throwIfAny();
        return config;
    }

    /** The connectors object at {@code path}, or null after adding what is wrong to {@code errors}. */
    static ConnectorsConfig read(JsonNode node, String path, Collection<String> nodePops, ErrorCollector errors) {
        if (node == null) {
            return ConnectorsConfig.NONE;
        }
        SchemaValidator.connectors().validate(node, path, errors);
        if (!errors.isEmpty()) {
            return null;
        }
        ConnectorsConfig config;
        try {
            config = ConnectorsConfig.read(node, path);
        } catch (ConnectorConfigException e) {
            errors.add(e.path(), e.reason());
            return null;
        }
        for (ConnectorsConfig.UnknownPop unknown : config.unknownPops(nodePops)) {
            errors.add(path.equals(JsonPaths.ROOT) ? "$." + unknown.path() : path + "." + unknown.path(), unknown.message());
        }
        return errors.isEmpty() ? config : null;
    }
}
