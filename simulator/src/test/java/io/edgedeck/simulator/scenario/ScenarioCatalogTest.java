package io.edgedeck.simulator.scenario;

import io.edgedeck.client.model.ComparisonOp;
import io.edgedeck.client.model.GuardrailAction;
import io.edgedeck.client.model.GuardrailMetric;
import io.edgedeck.client.model.RuleMatch;
import io.edgedeck.engine.guardrails.GuardrailSpec;
import io.edgedeck.simulator.edge.PopSpec;
import io.edgedeck.simulator.edge.RegionSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ScenarioCatalogTest {
    static final List<String> NAMES = ScenarioCatalog.NAMES;

    @Test
    void theReadmeListsEveryBuiltInShowInTheCatalogsOrder() throws IOException {
        String readme = Files.readString(Path.of("..", "README.md"));
        int start = readme.indexOf("Built-in shows: ");
        String list = readme.substring(start, readme.indexOf("\n\n", start));
        List<String> named = java.util.regex.Pattern.compile("`([a-z-]+)`").matcher(list).results().map(m -> m.group(1)).toList();
        assertEquals(NAMES, named, list);
    }

    @Test
    void namesAreExactlyTheFilesShipped() throws IOException, URISyntaxException {
        Path dir = Path.of(ScenarioCatalog.class.getResource(ScenarioCatalog.DIRECTORY).toURI());
        try (Stream<Path> files = Files.list(dir)) {
            Set<String> shipped = files.map(p -> p.getFileName().toString().replaceFirst("\\.json$", ""))
                    .collect(Collectors.toCollection(TreeSet::new));
            assertEquals(new TreeSet<>(NAMES), shipped);
        }
        assertEquals(Set.of("steady-show", "viral-surge", "pop-outage", "jitter-storm", "acquirer-slowdown",
                "sentiment-crash", "conversion-drop", "no-effect", "encoder-trouble", "bench-large"), Set.copyOf(NAMES));
    }

    @ParameterizedTest
    @FieldSource("NAMES")
    void everyBuiltInParsesAndIsAShowOfTenToTwentyMinutes(String name) throws IOException {
        Scenario s = ScenarioCatalog.load(name);
        assertEquals(name, s.name(), "file name and scenario name agree");
        assertTrue(s.durationSeconds() >= 600 && s.durationSeconds() <= 1200, name + " lasts " + s.durationSeconds());
        assertFalse(s.description().isBlank());
        String raw = new String(ScenarioCatalog.class.getResourceAsStream(ScenarioCatalog.DIRECTORY + name + ".json").readAllBytes());
        assertTrue(raw.contains("\"$schema\": \"" + Scenario.SCHEMA_ID + "\""), name + " names its schema");
        assertTrue(s.flags().stream().allMatch(f -> f.scope() instanceof FlagScope.Global || f.scope() instanceof FlagScope.Region));
    }

    @Test
    void listShowsEachNameWithItsFilesDescription() {
        List<ScenarioCatalog.Entry> entries = ScenarioCatalog.list();
        assertEquals(NAMES, entries.stream().map(ScenarioCatalog.Entry::name).toList());
        for (ScenarioCatalog.Entry e : entries) assertEquals(ScenarioCatalog.load(e.name()).description(), e.description());
    }

    @Test
    void steadyShowHasSixPopsInThreeRegionsAQuietArmedGuardrailAndNoFaults() {
        Scenario s = ScenarioCatalog.load("steady-show");
        assertEquals(6, s.pops().size());
        assertEquals(Set.of("eu", "na", "apac"), s.regions().stream().map(RegionSpec::id).collect(Collectors.toSet()));
        assertEquals(1, s.flags().size());
        assertTrue(s.guardrails().getFirst().armed());
        assertTrue(s.cues().isEmpty());
        FlagSpec flag = s.flags().getFirst();
        assertTrue(flag.effectOf("treatment").conversionMultiplier() >= 1.03, "treatment lifts conversion past the guardrail's 3%");
        assertEquals(null, flag.effectOf("treatment").chatMood(), "treatment keeps the audience's mood");
    }

    @Test
    void viralSurgeMultipliesArrivalsFivefoldAtMinuteThree() {
        Cue.TrafficSurge surge = assertInstanceOf(Cue.TrafficSurge.class, only(ScenarioCatalog.load("viral-surge")));
        assertEquals(180, surge.atSeconds());
        assertEquals(5, surge.multiplier());
    }

    @Test
    void viralSurgeOverfillsItsBusiestPop() {
        Scenario s = ScenarioCatalog.load("viral-surge");
        Audience.SessionSpec session = s.audience().session();
        double requestsPerSession = (session.viewsPerMinute() + session.hoversPerMinute() + session.clicksPerMinute()
                + session.chatPerMinute()) / 60;
        double steadyConcurrent = s.audience().arrivalRateAt(s.durationSeconds()) * session.meanDwellSeconds();
        RegionSpec eu = s.regions().stream().filter(r -> r.id().equals("eu")).findFirst().orElseThrow();
        PopSpec first = s.pops().stream().filter(p -> p.id().equals(eu.pops().getFirst())).findFirst().orElseThrow();
        double steadyRps = steadyConcurrent * requestsPerSession * eu.share();
        assertTrue(steadyRps < first.capacityRps(), "fits before the surge: " + steadyRps);
        assertTrue(steadyRps * 3 > first.capacityRps(), "overflows once the surge builds up: " + steadyRps * 3);
    }

    @Test
    void popOutageTakesFraDownForTwoMinutesMidShow() {
        Scenario s = ScenarioCatalog.load("pop-outage");
        Cue.PopOutage outage = assertInstanceOf(Cue.PopOutage.class, only(s));
        assertEquals("fra", outage.pop());
        assertEquals(120, outage.durationSeconds());
        assertTrue(outage.atSeconds() > s.durationSeconds() / 4 && outage.atSeconds() + 120 < s.durationSeconds() * 3 / 4);
    }

    @Test
    void jitterStormHitsOnlyFraFrom240Seconds() {
        Cue.JitterStorm storm = assertInstanceOf(Cue.JitterStorm.class, only(ScenarioCatalog.load("jitter-storm")));
        assertEquals(List.of("fra"), storm.pops());
        assertEquals(240, storm.atSeconds());
    }

    @Test
    void acquirerSlowdownOnTwoPops() {
        Cue.AcquirerSlowdown slow = assertInstanceOf(Cue.AcquirerSlowdown.class, only(ScenarioCatalog.load("acquirer-slowdown")));
        assertEquals(2, slow.pops().size());
    }

    @Test
    void sentimentCrashSoursTheGuardedVariantWithoutLift() {
        Scenario s = ScenarioCatalog.load("sentiment-crash");
        GuardrailSpec guard = s.guardrails().getFirst();
        assertTrue(guard.armed());
        assertEquals(GuardrailAction.ROLLBACK, guard.action());
        assertEquals(RuleMatch.ALL, guard.match());
        assertEquals(List.of(new GuardrailSpec.Condition(GuardrailMetric.SENTIMENT_CHANGE, ComparisonOp.LT, -0.15),
                new GuardrailSpec.Condition(GuardrailMetric.CONVERSION_LIFT, ComparisonOp.LT, 0.03)), guard.conditions());
        assertTrue(guard.windowSeconds() >= 60 && guard.windowSeconds() <= 120);
        Cue.SentimentShift shift = assertInstanceOf(Cue.SentimentShift.class, only(s));
        assertEquals(300, shift.atSeconds());
        assertEquals(guard.flag(), shift.flag());
        assertEquals(guard.variant(), shift.variant());
        assertTrue(shift.chatMood().negative() > shift.chatMood().positive());
        FlagSpec flag = s.flags().getFirst();
        assertEquals(1.0, flag.effectOf(guard.variant()).conversionMultiplier());
    }

    @Test
    void noEffectVariantsAreIdenticalUnderTheSameArmedGuardrail() {
        Scenario s = ScenarioCatalog.load("no-effect");
        FlagSpec flag = s.flags().getFirst();
        assertEquals(flag.effectOf(flag.control()), flag.effectOf("treatment"));
        assertEquals(ScenarioCatalog.load("sentiment-crash").guardrails().getFirst().conditions(), s.guardrails().getFirst().conditions());
        assertTrue(s.guardrails().getFirst().armed());
        assertTrue(s.cues().isEmpty());
    }

    @Test
    void benchLargeIsTwelvePopsAndTensOfThousandsOfSessionsForTwentyMinutes() {
        Scenario s = ScenarioCatalog.load("bench-large");
        assertEquals(12, s.pops().size());
        assertEquals(1200, s.durationSeconds());
        double concurrent = s.audience().arrivalRateAt(s.durationSeconds()) * s.audience().session().meanDwellSeconds();
        assertTrue(concurrent >= 20_000, "steady concurrent sessions: " + concurrent);
    }

    @Test
    void resolveTakesANameOrAFile(@TempDir Path dir) throws IOException {
        assertEquals("jitter-storm", ScenarioCatalog.resolve("jitter-storm").name());
        Path file = dir.resolve("mine.json");
        Files.writeString(file, TinyScenario.text());
        assertEquals("tiny", ScenarioCatalog.resolve(file.toString()).name());
    }

    @Test
    void unknownNameSaysWhichExist() {
        var e = assertThrows(ScenarioCatalog.UnknownScenarioException.class, () -> ScenarioCatalog.resolve("stedy-show"));
        assertTrue(e.getMessage().contains("did you mean 'steady-show'?"), e.getMessage());
        assertTrue(e.getMessage().contains(String.join(", ", NAMES)), e.getMessage());
        var load = assertThrows(ScenarioCatalog.UnknownScenarioException.class, () -> ScenarioCatalog.load("nope"));
        assertTrue(load.getMessage().contains("built-ins: steady-show, viral-surge"), load.getMessage());
    }

    private static Cue only(Scenario s) {
        assertEquals(1, s.cues().size(), s.name() + " has one cue");
        return s.cues().getFirst();
    }
}
