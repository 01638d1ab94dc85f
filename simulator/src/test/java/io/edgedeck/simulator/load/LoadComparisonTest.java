package io.edgedeck.simulator.load;

import io.edgedeck.simulator.report.RunReport;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * How {@link LoadComparison} judges a guardrail verdict one side made and the other did not: not
 * judged when the stream fell more than the rule's evidence period of the show behind (the node,
 * which judges each period by what arrived in it, judged none of the show's periods), and then
 * neither are the counts of the flag that verdict moves; a DIFFERENT VERDICT otherwise.
 */
class LoadComparisonTest {
    private static final RunReport.GuardrailFiring FIRED =
            new RunReport.GuardrailFiring(314, "sentiment-guard", "offer-banner", "treatment", "rollback", List.of("fra"), "sour chat");

    @Test
    void aVerdictTheNodeMissedWhileTheStreamWasMoreThanAPeriodBehindIsNotJudgedAndNeitherAreItsFlagsCounts() {
        // At 10x, 17.1 s of wall time behind is 171 s of the show: more than sentiment-guard's 90 s period.
        LoadComparison c = LoadComparison.of(result(List.of(), 10, 17_100), inProcess(), 10);

        LoadComparison.Verdict v = c.verdicts().getFirst();
        assertFalse(v.matches());
        assertTrue(v.unjudged().contains("171 s of the show behind") && v.unjudged().contains("90 s evidence period"), v.unjudged());
        LoadComparison.Figure treatment = figure(c, "offer-banner/treatment conversions");
        assertTrue(treatment.unjudged().contains("sentiment-guard"), treatment.toString());
        assertNull(figure(c, "chat messages").unjudged(), "what no verdict moves is judged as ever");
        assertTrue(c.holds(), c.summary());
        assertTrue(c.summary().contains("not judged: the stream fell 171 s"), c.summary());
        assertTrue(c.summary().contains("9 not judged"), "the flag's eight counts and the verdict, said in the last line: " + c.summary());
    }

    @Test
    void aVerdictTheNodeMissedWhileTheStreamKeptWithinAPeriodIsADifferentVerdict() {
        // At 1x, 11.5 s behind: the node's periods held most of the show's own.
        LoadComparison c = LoadComparison.of(result(List.of(), 1, 11_500), inProcess(), 1);

        assertNull(c.verdicts().getFirst().unjudged());
        assertFalse(c.holds());
        assertFalse(figure(c, "offer-banner/treatment conversions").within(), "its counts are judged: " + c.summary());
        assertTrue(c.summary().contains("DIFFERENT VERDICT"), c.summary());
    }

    @Test
    void aVerdictBothSidesMadeIsTheSameVerdictHoweverFarBehindTheStreamFell() {
        RunReport.GuardrailFiring onNode = new RunReport.GuardrailFiring(500, FIRED.rule(), FIRED.flag(), FIRED.variant(), FIRED.action(),
                FIRED.pops(), FIRED.reason());
        LoadComparison c = LoadComparison.of(result(List.of(onNode), 10, 17_100), inProcess(), 10);

        assertTrue(c.verdicts().getFirst().matches());
        assertNull(figure(c, "offer-banner/treatment conversions").unjudged(), "the counts follow a verdict both sides made");
        assertFalse(c.holds(), "the node's counts, its rollback 186 s later, are outside: " + c.summary());
    }

    @Test
    void aVariantsCountIsJudgedAgainstTheInProcessCountMovedByWhatTheNodeServedOtherwise() {
        // The node rolled back 7 s after the show: 149 sessions the show assigned control meanwhile were the treatment's on the
        // node, then moved to control; 20 conversions of them count as moved conversions there.
        RunReport.GuardrailFiring onNode = new RunReport.GuardrailFiring(421, FIRED.rule(), FIRED.flag(), FIRED.variant(), FIRED.action(),
                FIRED.pops(), FIRED.reason());
        RunReport node = report(List.of(onNode), new RunReport.Variant("offer-banner", "treatment", 6_128, 231, 0, 0),
                new RunReport.Variant("offer-banner", "control", 29_189, 2_549, 3_501, 664));
        Map<String, Long> otherwise = Map.of("offer-banner/treatment exposures", 149L, "offer-banner/control exposures", -149L,
                "offer-banner/control moved in", 149L, "offer-banner/control conversions", -20L, "offer-banner/control moved conversions", 20L);
        LoadRun.Wire wire = new LoadRun.Wire(38_669, 900, otherwise, 0, 1_648_085, 34_000, 0, 0, 0, 905_000, 1_874, 14_100);
        LoadComparison c = LoadComparison.of(new LoadRun.Result(inProcess(), node, wire, List.of(321.0), Map.of(),
                Map.of("sentiment-guard", 90)), inProcess(), 1);

        LoadComparison.Figure movedIn = figure(c, "offer-banner/control moved in");
        assertEquals(149, movedIn.servedOtherwise());
        assertTrue(movedIn.within(), "3,501 against 3,352 + 149: " + c.summary());
        assertTrue(Math.abs(movedIn.node() - movedIn.inProcess()) > movedIn.tolerance(), "outside without what the node served otherwise");
        assertTrue(c.holds(), c.summary());
        assertTrue(c.summary().contains("judged against in-process +149"), c.summary());

        LoadRun.Wire unexplained = new LoadRun.Wire(38_669, 900, Map.of(), 0, 1_648_085, 34_000, 0, 0, 0, 905_000, 1_874, 14_100);
        assertFalse(LoadComparison.of(new LoadRun.Result(inProcess(), node, unexplained, List.of(321.0), Map.of(),
                Map.of("sentiment-guard", 90)), inProcess(), 1).holds(), "a difference the wire does not explain is outside");
    }

    private static LoadComparison.Figure figure(LoadComparison c, String name) {
        return c.figures().stream().filter(f -> f.name().equals(name)).findFirst().orElseThrow();
    }

    private static RunReport inProcess() {
        return report(List.of(FIRED), new RunReport.Variant("offer-banner", "treatment", 5_979, 231, 0, 0),
                new RunReport.Variant("offer-banner", "control", 29_338, 2_569, 3_352, 644));
    }

    /** The node's side: no rollback (or {@code firings}), so the treatment kept its sessions and their conversions. */
    private static LoadRun.Result result(List<RunReport.GuardrailFiring> firings, double speed, long maxLagMillis) {
        RunReport node = report(firings, new RunReport.Variant("offer-banner", "treatment", 17_830, 1_780, 0, 0),
                new RunReport.Variant("offer-banner", "control", 17_487, 1_664, 0, 0));
        LoadRun.Wire wire = new LoadRun.Wire(38_669, 0, Map.of(), 0, 1_648_085, 583, 0, 0, 0, 104_600, 18_742, maxLagMillis);
        return new LoadRun.Result(inProcess(), node, wire, firings.stream().map(RunReport.GuardrailFiring::atSeconds).toList(),
                Map.of(), Map.of("sentiment-guard", 90));
    }

    private static RunReport report(List<RunReport.GuardrailFiring> firings, RunReport.Variant... variants) {
        return new RunReport(RunReport.VERSION, "sentiment-crash", 1006, 900, new RunReport.Events(1_648_085, 1_648_085, 0),
                new RunReport.Checkouts(3_444, 3_400, 44, 44, 0), List.of(), List.of(variants), new RunReport.Sentiment(62_492, 0.216),
                firings, new RunReport.Run(1_000, 1_000));
    }
}
