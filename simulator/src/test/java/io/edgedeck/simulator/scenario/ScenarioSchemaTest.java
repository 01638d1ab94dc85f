package io.edgedeck.simulator.scenario;

import io.edgedeck.client.model.ComparisonOp;
import io.edgedeck.client.model.GuardrailAction;
import io.edgedeck.client.model.GuardrailMetric;
import io.edgedeck.client.model.RuleMatch;
import io.edgedeck.engine.guardrails.GuardrailSpec;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import io.edgedeck.simulator.edge.LatencyDistribution;
import io.edgedeck.simulator.edge.LatencySpec;
import io.edgedeck.simulator.edge.PopSpec;
import io.edgedeck.simulator.edge.RegionSpec;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The published schema and the records must describe the same format; these tests keep them from drifting. */
class ScenarioSchemaTest {
    private static final JsonNode SCHEMA = read();

    private static JsonNode read() {
        try (InputStream in = ScenarioSchemaTest.class.getResourceAsStream(SchemaValidator.RESOURCE)) {
            assertNotNull(in, "schema is on the classpath");
            return new ObjectMapper().readTree(in);
        } catch (java.io.IOException e) {
            throw new AssertionError("the schema is not valid JSON", e);
        }
    }

    @Test
    void isADraft2020SchemaWithTheScenarioId() {
        assertEquals("https://json-schema.org/draft/2020-12/schema", SCHEMA.get("$schema").asText());
        assertEquals(Scenario.SCHEMA_ID, SCHEMA.get("$id").asText());
        assertEquals(Scenario.SCHEMA_ID, SCHEMA.at("/properties/$schema/const").asText());
    }

    @Test
    void everyObjectListsExactlyTheRecordsFields() {
        Map<Class<?>, JsonNode> objects = new LinkedHashMap<>();
        objects.put(Scenario.class, SCHEMA);
        objects.put(PopSpec.class, def("pop"));
        objects.put(LatencySpec.class, def("latency"));
        objects.put(RegionSpec.class, def("region"));
        objects.put(Audience.class, def("audience"));
        objects.put(Audience.Stage.class, def("stage"));
        objects.put(Audience.SessionSpec.class, def("session"));
        objects.put(ChatMix.class, def("chatMix"));
        objects.put(EncoderSpec.class, def("encoder"));
        objects.put(FlagSpec.class, def("flag"));
        objects.put(FlagSpec.Variant.class, def("variant"));
        objects.put(FlagSpec.VariantEffect.class, def("effect"));
        objects.put(TriggerSpec.class, def("trigger"));
        objects.put(GuardrailSpec.class, def("guardrail"));
        objects.put(GuardrailSpec.Condition.class, def("condition"));
        for (JsonSubTypes.Type type : Cue.class.getAnnotation(JsonSubTypes.class).value()) {
            objects.put(type.value(), def(camel(type.name()) + "Cue"));
        }
        assertEquals(Cue.class.getPermittedSubclasses().length, Cue.class.getAnnotation(JsonSubTypes.class).value().length,
                "every cue record has a type name");

        List<String> drift = new ArrayList<>();
        objects.forEach((type, schema) -> {
            Set<String> inSchema = new TreeSet<>();
            schema.get("properties").fieldNames().forEachRemaining(inSchema::add);
            // Not record fields: the format version and the cue type name.
            inSchema.removeAll(Set.of("$schema", "type"));
            Set<String> bound = boundNames(type);
            if (!inSchema.equals(bound)) drift.add(type.getSimpleName() + ": schema " + inSchema + ", records " + bound);
            assertEquals(type.getRecordComponents().length, bound.size(), type + ": every component is bound");
            schema.path("required").forEach(r -> assertTrue(schema.get("properties").has(r.asText()), type + " requires " + r));
        });
        assertTrue(drift.isEmpty(), String.join("\n", drift));
    }

    @Test
    void cueTypeNamesMatchTheSchemaDiscriminator() {
        Set<String> names = Arrays.stream(Cue.class.getAnnotation(JsonSubTypes.class).value())
                .map(JsonSubTypes.Type::name).collect(Collectors.toCollection(TreeSet::new));
        assertEquals(names, texts(def("cue").at("/properties/type/enum")));
        assertEquals(names.size(), def("cue").get("allOf").size());
    }

    @Test
    void enumsMatchTheJavaEnums() {
        assertEquals(wire(LatencyDistribution.values()), texts(def("latency").at("/properties/distribution/enum")));
        assertEquals(wire(EventKind.values()), texts(def("trigger").at("/properties/kinds/items/enum")));
        assertEquals(wire(TriggerSpec.Action.values()), texts(def("trigger").at("/properties/action/enum")));
        assertEquals(wire(RuleMatch.values()), texts(def("guardrail").at("/properties/match/enum")));
        assertEquals(wire(GuardrailAction.values()), texts(def("guardrail").at("/properties/action/enum")));
        assertEquals(wire(GuardrailMetric.values()), texts(def("condition").at("/properties/metric/enum")));
        assertEquals(wire(ComparisonOp.values()), texts(def("condition").at("/properties/op/enum")));
    }

    @Test
    void everyNumberIsBoundedSoNothingOverflows() {
        List<String> unbounded = new ArrayList<>();
        walk(SCHEMA, "#", (path, node) -> {
            String type = node.path("type").asText();
            if (type.equals("number") || type.equals("integer")) {
                boolean low = node.has("minimum") || node.has("exclusiveMinimum");
                boolean high = node.has("maximum") || node.has("exclusiveMaximum");
                if (!low || !high) unbounded.add(path);
            }
        });
        assertTrue(unbounded.isEmpty(), "unbounded: " + unbounded);
    }

    @Test
    void everyReferenceResolves() {
        walk(SCHEMA, "#", (path, node) -> {
            if (node.has("$ref")) assertTrue(!SCHEMA.at(node.get("$ref").asText().substring(1)).isMissingNode(), path);
        });
    }

    private static Set<String> boundNames(Class<?> type) {
        ObjectMapper mapper = ScenarioParser.mapper();
        return mapper.getDeserializationConfig().introspect(mapper.constructType(type)).findProperties().stream()
                .map(BeanPropertyDefinition::getName).collect(Collectors.toCollection(TreeSet::new));
    }

    private static JsonNode def(String name) {
        JsonNode def = SCHEMA.at("/$defs/" + name);
        assertTrue(!def.isMissingNode(), "schema defines " + name);
        return def;
    }

    private static String camel(String dashed) {
        String[] parts = dashed.split("-");
        StringBuilder out = new StringBuilder(parts[0]);
        for (int i = 1; i < parts.length; i++) out.append(Character.toUpperCase(parts[i].charAt(0))).append(parts[i].substring(1));
        return out.toString();
    }

    private static Set<String> texts(JsonNode array) {
        Set<String> out = new TreeSet<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    /** The names Jackson reads and writes for each constant: what a file must say. */
    private static Set<String> wire(Enum<?>[] values) {
        return Arrays.stream(values).map(v -> ScenarioParser.mapper().convertValue(v, String.class))
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private static void walk(JsonNode node, String path, java.util.function.BiConsumer<String, JsonNode> visit) {
        if (node.isObject()) {
            visit.accept(path, node);
            node.properties().forEach(e -> walk(e.getValue(), path + "/" + e.getKey(), visit));
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) walk(node.get(i), path + "/" + i, visit);
        }
    }
}
