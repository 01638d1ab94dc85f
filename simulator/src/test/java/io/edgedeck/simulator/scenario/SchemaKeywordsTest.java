package io.edgedeck.simulator.scenario;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The validator refuses a schema that promises a check it would not make. */
class SchemaKeywordsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode schema(String text) throws Exception {
        return JSON.readTree(text);
    }

    @Test
    void thePublishedScenarioSchemaUsesOnlyEnforcedKeywords() {
        assertDoesNotThrow(() -> new SchemaValidator(SchemaValidator.loadSchema()));
    }

    @Test
    void anUnenforcedKeywordDeepInsideIsNamedWithItsPlace() throws Exception {
        JsonNode s = schema("""
                {"type": "object", "properties": {"pops": {"type": "array",
                  "items": {"type": "object", "properties": {"id": {"type": "string", "format": "hostname"}}}}}}""");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> new SchemaValidator(s));
        assertTrue(e.getMessage().contains("'format' at #/properties/pops/items/properties/id/format"), e.getMessage());
    }

    @Test
    void everyPlaceASubschemaCanHideIsWalked() throws Exception {
        for (String hidden : new String[] {
                "{\"$defs\": {\"a\": {\"oneOf\": []}}}",
                "{\"allOf\": [{\"type\": \"object\"}, {\"anyOf\": []}]}",
                "{\"if\": {\"not\": {}}, \"then\": {}}",
                "{\"if\": {}, \"then\": {\"contains\": {}}}",
                "{\"additionalProperties\": {\"propertyNames\": {}}}",
                "{\"items\": {\"prefixItems\": []}}"}) {
            assertThrows(IllegalStateException.class, () -> new SchemaValidator(schema(hidden)), hidden);
        }
    }

    @Test
    void annotationsAndBooleanSubschemasAreAccepted() throws Exception {
        assertDoesNotThrow(() -> new SchemaValidator(schema("""
                {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": "x", "title": "t",
                 "description": "d", "$comment": "c", "additionalProperties": false,
                 "properties": {"a": {"type": "integer", "default": 1, "examples": [1]}}}""")));
    }

    @Test
    void aScenarioWithoutSchemaIsReadAndAWrongOneIsStillRefused() {
        String text = TinyScenario.text();
        String without = text.replaceFirst("\"\\$schema\"\\s*:\\s*\"[^\"]*\"\\s*,", "");
        assertTrue(without.length() < text.length(), "the tiny scenario names its schema");
        assertEquals(ScenarioParser.parseText(text).name(), ScenarioParser.parseText(without).name());
        ScenarioValidationException e = assertThrows(ScenarioValidationException.class,
                () -> ScenarioParser.parseText(text.replace("scenario-v1.json", "scenario-v9.json")));
        assertTrue(e.getMessage().contains("$schema"), e.getMessage());
    }
}
