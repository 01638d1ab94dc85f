package io.edgedeck.simulator.scenario;

import com.code_intelligence.jazzer.junit.FuzzTest;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * Whatever bytes arrive as a scenario, the parser answers with a scenario or with validation errors
 * that say where and what: never another exception, never a hang. On every build this replays the
 * inputs under src/test/resources/.../ScenarioParserFuzzTestInputs; {@code JAZZER_FUZZ=1} fuzzes
 * (docs/RELIABILITY.md).
 */
class ScenarioParserFuzzTest {

    @FuzzTest(maxDuration = "60s")
    void anyBytesGetAScenarioOrErrorsThatNameTheirPlace(byte[] data) {
        try {
            assertNotNull(ScenarioParser.parse(data));
        } catch (ScenarioValidationException e) {
            assertFalse(e.errors().isEmpty());
            for (ScenarioError error : e.errors()) {
                assertNotNull(error.path());
                assertNotNull(error.message());
                assertFalse(error.message().isBlank());
            }
        }
    }
}
