package io.edgedeck.simulator.scenario;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.ser.std.StdScalarSerializer;
import io.edgedeck.simulator.edge.LatencyDistribution;
import io.edgedeck.simulator.edge.LatencySpec;
import io.edgedeck.simulator.edge.PopSpec;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Function;

/**
 * Reads scenario files strictly. A document passes three gates, each reporting everything it finds:
 * reading (size, encoding, JSON syntax, nesting), the published schema (fields, types, ranges,
 * required fields) and the cross-checks (unique ids, references, sums, cue times). Failures come back
 * as one {@link ScenarioValidationException} listing every error with its JSON path, line and column.
 * <p>
 * Thread-safe; all methods are static.
 */
public final class ScenarioParser {

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .addMixIn(PopSpec.class, PopSpecJson.class)
            .addModule(new SimpleModule("edgedeck-scenario")
                    .addDeserializer(LatencyDistribution.class, fromText(LatencyDistribution.class, LatencyDistribution::fromWireName))
                    .addSerializer(LatencyDistribution.class, toText(LatencyDistribution.class, LatencyDistribution::wireName))
                    .addDeserializer(FlagScope.class, fromText(FlagScope.class, FlagScope::parse))
                    .addSerializer(FlagScope.class, toText(FlagScope.class, FlagScope::wireName)))
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .build();

    /** The file calls it {@code propagationDelayMs}, like every other duration in ms in the format. */
    private record PopSpecJson(String id, String region, double capacityRps, LatencySpec latency,
                               @JsonProperty("propagationDelayMs") long propagationDelayMillis,
                               @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
                               io.edgedeck.engine.pops.PopCost cost) {
    }

    private ScenarioParser() {
    }

    /**
     * Parses a scenario file.
     *
     * @throws java.nio.file.NoSuchFileException when there is no such file
     * @throws IOException                       when it cannot be read
     * @throws ScenarioValidationException       when it is not a valid scenario
     */
    public static Scenario parse(Path file) throws IOException {
        long size = Files.size(file);
        if (size > DocumentReader.MAX_BYTES) throw DocumentReader.tooLarge(size);
        return parse(Files.readAllBytes(file));
    }

    /** Parses a scenario from a stream, reading at most a little more than the size limit. */
    public static Scenario parse(InputStream in) throws IOException {
        byte[] bytes = in.readNBytes(DocumentReader.MAX_BYTES + 1);
        if (bytes.length > DocumentReader.MAX_BYTES) {
            throw DocumentReader.tooLarge(bytes.length + in.transferTo(java.io.OutputStream.nullOutputStream()));
        }
        return parse(bytes);
    }

    /** Parses a scenario from JSON text (not a file name: see {@link #parse(Path)}). */
    public static Scenario parseText(String json) {
        return parse(json.getBytes(StandardCharsets.UTF_8));
    }

    /** Parses a scenario from the bytes of a UTF-8 JSON document. */
    public static Scenario parse(byte[] document) {
        DocumentReader.Document doc = DocumentReader.read(document);
        ErrorCollector errors = new ErrorCollector(doc.locations());
        SchemaValidator.instance().validate(doc.root(), errors);
        if (!errors.isEmpty()) {
            checkTheRest(doc.root(), errors);
            errors.throwIfAny();
        }
        fillOpenEndedShifts(doc.root());
        Scenario scenario = bind(doc.root(), errors);
        ScenarioChecks.check(scenario, errors);
        errors.throwIfAny();
        return scenario;
    }

    /**
     * After the schema refused some values: the cross-checks on the rest of the document, so an
     * unknown PoP or a cue past the end is reported with them, not one round later.
     */
    private static void checkTheRest(ObjectNode root, ErrorCollector errors) {
        SchemaErrorPruning.checkTheRest(root, errors, SchemaValidator.instance(), (tree, rest) -> {
            fillOpenEndedShifts(tree);
            ScenarioChecks.check(bind(tree, rest), rest);
        });
    }

    /** The mapper that binds and writes scenario records, with the file's names for engine types. */
    static ObjectMapper mapper() {
        return MAPPER;
    }

    /** A sentiment shift without a duration lasts to the end of the show. */
    private static void fillOpenEndedShifts(ObjectNode root) {
        int show = root.get("durationSeconds").intValue();
        for (var cue : root.withArray("cues")) {
            if ("sentiment-shift".equals(cue.path("type").asText()) && !cue.has("durationSeconds")) {
                ((ObjectNode) cue).set("durationSeconds", IntNode.valueOf(Math.max(1, show - cue.get("atSeconds").intValue())));
            }
        }
    }

    private static Scenario bind(ObjectNode root, ErrorCollector errors) {
        try {
            return MAPPER.treeToValue(root, Scenario.class);
        } catch (JsonMappingException e) {
            // The schema admits only what the records accept; this is the safety net if they ever disagree.
            String path = JsonPaths.ROOT;
            for (JsonMappingException.Reference ref : e.getPath()) {
                path = ref.getFieldName() != null ? JsonPaths.field(path, ref.getFieldName()) : JsonPaths.index(path, ref.getIndex());
            }
            Throwable cause = e.getCause() instanceof IllegalArgumentException iae ? iae : e;
            errors.add(path, cause == e ? e.getOriginalMessage() : cause.getMessage());
            throw new ScenarioValidationException(errors.errors());
        } catch (JacksonException e) {
            throw new IllegalStateException("binding a validated scenario tree failed", e);
        }
    }

    private static <T> StdScalarDeserializer<T> fromText(Class<T> type, Function<String, T> parse) {
        return new StdScalarDeserializer<>(type) {
            @Override
            public T deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
                try {
                    return parse.apply(p.getValueAsString());
                } catch (IllegalArgumentException e) {
                    return ctxt.reportInputMismatch(type, "%s", e.getMessage());
                }
            }
        };
    }

    private static <T> StdScalarSerializer<T> toText(Class<T> type, Function<T, String> write) {
        return new StdScalarSerializer<>(type) {
            @Override
            public void serialize(T value, JsonGenerator gen, SerializerProvider provider) throws IOException {
                gen.writeString(write.apply(value));
            }
        };
    }
}
