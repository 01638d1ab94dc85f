package io.edgedeck.simulator.scenario;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Encoder faults on a scenario's timeline: read into cues, and a wrong one refused naming its field. */
class EncoderCueParseTest {
    private static final String FIRST_CUE = "{\"atSeconds\": 300, \"type\": \"pop-outage\", \"pop\": \"fra\", \"durationSeconds\": 120}";

    private static String withCue(String cue) {
        return TinyScenario.with(FIRST_CUE, cue);
    }

    @Test
    void encoderCuesAreRead() {
        Scenario s = ScenarioParser.parseText(TinyScenario.with(FIRST_CUE,
                "{\"atSeconds\": 60, \"type\": \"encoder-drop\", \"durationSeconds\": 20},"
                        + " {\"atSeconds\": 90, \"type\": \"encoder-bitrate\", \"bitrateKbps\": 800, \"durationSeconds\": 30},"
                        + " {\"atSeconds\": 120, \"type\": \"encoder-frame-drop\", \"droppedPercent\": 7.5, \"durationSeconds\": 45}"));
        assertTrue(s.cues().containsAll(List.of(new Cue.EncoderDrop(60, 20), new Cue.EncoderBitrate(90, 800, 30),
                new Cue.EncoderFrameDrop(120, 7.5, 45))), s.cues().toString());
    }

    /** The tiny scenario with an {@code encoder} object, {@code encoder} its JSON, and {@code cue} first in its cues. */
    private static String withEncoder(String encoder, String cue) {
        return TinyScenario.with("\"cues\": [", "\"encoder\": " + encoder + ", \"cues\": [" + cue + ", ");
    }

    @Test
    void theEncodersHealthyBitrateIsReadAndDefaultsTo6000() {
        assertEquals(new EncoderSpec(6000), ScenarioParser.parseText(TinyScenario.with(FIRST_CUE, FIRST_CUE)).encoder());
        Scenario s = ScenarioParser.parseText(withEncoder("{\"bitrateKbps\": 4500}",
                "{\"atSeconds\": 90, \"type\": \"encoder-bitrate\", \"bitrateKbps\": 4499, \"durationSeconds\": 30}"));
        assertEquals(new EncoderSpec(4500), s.encoder());
        // Over the default 6000, under the scenario's own.
        assertEquals(new EncoderSpec(8000), ScenarioParser.parseText(withEncoder("{\"bitrateKbps\": 8000}",
                "{\"atSeconds\": 90, \"type\": \"encoder-bitrate\", \"bitrateKbps\": 7000, \"durationSeconds\": 30}")).encoder());
    }

    @Test
    void aBadHealthyBitrateNamesItsField() {
        String cue = "{\"atSeconds\": 90, \"type\": \"encoder-drop\", \"durationSeconds\": 30}";
        for (String encoder : List.of("{\"bitrateKbps\": 0}", "{\"bitrateKbps\": -5}", "{\"bitrateKbps\": 100001}",
                "{\"bitrateKbps\": \"fast\"}")) {
            var e = assertThrows(ScenarioValidationException.class, () -> ScenarioParser.parseText(withEncoder(encoder, cue)), encoder);
            assertEquals(List.of("$.encoder.bitrateKbps"), e.errors().stream().map(ScenarioError::path).toList(), e.getMessage());
        }
        var missing = assertThrows(ScenarioValidationException.class, () -> ScenarioParser.parseText(withEncoder("{}", cue)));
        assertTrue(missing.getMessage().contains("bitrateKbps"), missing.getMessage());
        var unknown = assertThrows(ScenarioValidationException.class,
                () -> ScenarioParser.parseText(withEncoder("{\"bitrateKbps\": 4500, \"fps\": 30}", cue)));
        assertTrue(unknown.getMessage().contains("fps"), unknown.getMessage());
    }

    @Test
    void aCueBitrateAtOrOverTheScenariosHealthyOneNamesItsField() {
        var e = assertThrows(ScenarioValidationException.class, () -> ScenarioParser.parseText(withEncoder("{\"bitrateKbps\": 4500}",
                "{\"atSeconds\": 90, \"type\": \"encoder-bitrate\", \"bitrateKbps\": 4500, \"durationSeconds\": 30}")));
        assertEquals(List.of("$.cues[0].bitrateKbps"), e.errors().stream().map(ScenarioError::path).toList(), e.getMessage());
        assertTrue(e.getMessage().contains("under the encoder's healthy 4500 kb/s (encoder.bitrateKbps), was 4500"), e.getMessage());
    }

    @Test
    void aBadMagnitudeNamesItsField() {
        var frames = assertThrows(ScenarioValidationException.class, () -> ScenarioParser.parseText(withCue(
                "{\"atSeconds\": 120, \"type\": \"encoder-frame-drop\", \"droppedPercent\": 150, \"durationSeconds\": 45}")));
        assertEquals(List.of("$.cues[0].droppedPercent"), frames.errors().stream().map(ScenarioError::path).toList(), frames.getMessage());
        var bitrate = assertThrows(ScenarioValidationException.class, () -> ScenarioParser.parseText(withCue(
                "{\"atSeconds\": 120, \"type\": \"encoder-bitrate\", \"bitrateKbps\": 6000, \"durationSeconds\": 45}")));
        assertEquals(List.of("$.cues[0].bitrateKbps"), bitrate.errors().stream().map(ScenarioError::path).toList(), bitrate.getMessage());
        var missing = assertThrows(ScenarioValidationException.class, () -> ScenarioParser.parseText(withCue(
                "{\"atSeconds\": 120, \"type\": \"encoder-frame-drop\", \"durationSeconds\": 45}")));
        assertTrue(missing.getMessage().contains("droppedPercent"), missing.getMessage());
    }

    @Test
    void lagCuesAreReadAndABadMagnitudeNamesItsField() {
        Scenario s = ScenarioParser.parseText(TinyScenario.with(FIRST_CUE,
                "{\"atSeconds\": 60, \"type\": \"encoder-encoding-lag\", \"skippedPercent\": 12, \"durationSeconds\": 20},"
                        + " {\"atSeconds\": 90, \"type\": \"encoder-rendering-lag\", \"renderMs\": 25, \"durationSeconds\": 30}"));
        assertTrue(s.cues().containsAll(List.of(new Cue.EncoderEncodingLag(60, 12, 20), new Cue.EncoderRenderingLag(90, 25, 30))),
                s.cues().toString());
        var skipped = assertThrows(ScenarioValidationException.class, () -> ScenarioParser.parseText(withCue(
                "{\"atSeconds\": 120, \"type\": \"encoder-encoding-lag\", \"skippedPercent\": 0, \"durationSeconds\": 45}")));
        assertEquals(List.of("$.cues[0].skippedPercent"), skipped.errors().stream().map(ScenarioError::path).toList(), skipped.getMessage());
        var render = assertThrows(ScenarioValidationException.class, () -> ScenarioParser.parseText(withCue(
                "{\"atSeconds\": 120, \"type\": \"encoder-rendering-lag\", \"renderMs\": 4, \"durationSeconds\": 45}")));
        assertEquals(List.of("$.cues[0].renderMs"), render.errors().stream().map(ScenarioError::path).toList(), render.getMessage());
    }

    @Test
    void anUnknownFaultKindNamesTheType() {
        var e = assertThrows(ScenarioValidationException.class, () -> ScenarioParser.parseText(withCue(
                "{\"atSeconds\": 120, \"type\": \"encoder-melt\", \"durationSeconds\": 45}")));
        assertEquals(List.of("$.cues[0].type"), e.errors().stream().map(ScenarioError::path).toList(), e.getMessage());
    }
}
