package io.edgedeck.simulator.fleet;

import io.edgedeck.client.ingest.IngestEvent;
import io.edgedeck.engine.sentiment.ChatSentimentScorer;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SecondAggregatorTest {

    private static final long T0 = 1_764_633_600_000L;
    private final ChatSentimentScorer scorer = new ChatSentimentScorer();

    private SecondAggregator aggregator() {
        return new SecondAggregator("node-a", "fra", scorer::compound, new SecondAggregator.RecentExposures(1000));
    }

    @Test
    void foldsEachPopAndSecondIntoOneRecordThatAddsUp() {
        SecondAggregator agg = aggregator();
        agg.add(new IngestEvent.Latency("1", T0 + 10, "fra", 40.0, null, 200, null), T0);
        agg.add(new IngestEvent.Latency("2", T0 + 20, "fra", 60.0, null, 200, null), T0);
        agg.add(new IngestEvent.Latency("3", T0 + 30, "fra", null, true, null, null), T0);
        agg.add(new IngestEvent.Latency("4", T0 + 40, "ams", 12.5, null, 200, null), T0);
        agg.add(new IngestEvent.Latency("5", T0 + 1_500, "fra", 80.0, null, 200, null), T0);
        agg.add(new IngestEvent.Checkout("6", T0 + 50, "c-1", "ams", "queued"), T0);

        List<PopSecond> out = agg.drain(T0 + 3_000, 1_000);
        assertEquals(3, out.size(), "fra and ams in the first second, fra in the next");
        PopSecond ams = out.get(0);
        PopSecond fra = out.get(1);
        assertEquals("ams", ams.pop());
        assertEquals(T0 / 1000, ams.second());
        assertEquals(1, ams.requests());
        assertEquals(1, ams.checkouts().queued());
        assertEquals("fra", fra.pop());
        assertEquals(3, fra.requests());
        assertEquals(1, fra.lost());
        Histogram h = LatencyHistograms.decode(fra.latencyUs());
        assertEquals(2, h.getTotalCount());
        assertEquals(60.0, LatencyHistograms.percentileMillis(h, 100), 0.6, "two significant digits");
        assertEquals(T0 / 1000 + 1, out.get(2).second());
        assertEquals("node-a", fra.node());
        assertEquals(0, agg.openSeconds());
    }

    @Test
    void holdsASecondUntilItsGraceHasPassedAndALateEventStartsANewRecordForIt() {
        SecondAggregator agg = aggregator();
        agg.add(new IngestEvent.Latency("1", T0 + 100, "fra", 40.0, null, null, null), T0);
        assertTrue(agg.drain(T0 + 1_900, 1_000).isEmpty(), "second 0 ends at 1000 ms, plus 1000 ms of grace");
        assertEquals(1, agg.drain(T0 + 2_000, 1_000).size());
        agg.add(new IngestEvent.Latency("2", T0 + 200, "fra", 50.0, null, null, null), T0 + 2_100);
        List<PopSecond> late = agg.drain(T0 + 2_200, 1_000);
        assertEquals(1, late.size());
        assertEquals(T0 / 1000, late.getFirst().second(), "the late event keeps its own second");
        assertEquals(1, late.getFirst().requests());
    }

    /** A node's core read the message: the aggregate carries its score, and nothing for a message it could not read. */
    @Test
    void chatTakenWithTheCoresReadingCountsAsTheCoreCountedIt() {
        SecondAggregator agg = aggregator();
        agg.add(new IngestEvent.Exposure("1", T0, "offer-banner", "treatment", "viewer-1", "ams"), T0);
        var read = new io.edgedeck.engine.sentiment.ChatSentiment.Reading(-0.25, true, true, "en", List.of(), List.of("NotLikeThis"),
                0.1);
        var unread = new io.edgedeck.engine.sentiment.ChatSentiment.Reading(0.0, false, false, "ja", List.of(), List.of(), 0.0);
        agg.add(new IngestEvent.Chat("2", T0 + 100, "great NotLikeThis", "viewer-1", "twitch:x", null, List.of("NotLikeThis")), read, null, T0);
        agg.add(new IngestEvent.Chat("3", T0 + 200, "すごい", "viewer-1", "twitch:x", null, null), unread, null, T0);

        PopSecond ams = agg.drain(T0 + 5_000, 1_000).getFirst();
        PopSecond.ArmCounts treatment = ams.arms().getFirst();
        assertEquals(1, treatment.messages(), "the message the core could not read counts in no sentiment");
        assertEquals(-0.25, treatment.sentimentSum(), 1e-12, "the core's score, not this aggregator's own scorer's "
                + scorer.compound("great NotLikeThis"));
        assertEquals(1, ams.chat().messages());
        assertEquals(-0.25, ams.chat().sentimentSum(), 1e-12);
    }

    /**
     * A unit the core moved from treatment to control (a rollback) is control's moved cohort at the fleet too, as
     * on the node: not one of its exposures, and its conversion not one of its conversions.
     */
    @Test
    void aUnitTheCoreMovedJoinsTheArmsMovedCohortNotItsExposures() {
        SecondAggregator agg = aggregator();
        var counted = io.edgedeck.engine.ingest.IngestOutcome.Exposure.COUNTED;
        agg.add(new IngestEvent.Exposure("1", T0, "offer-banner", "treatment", "viewer-1", "ams"), null, counted, T0);
        agg.add(new IngestEvent.Exposure("2", T0, "offer-banner", "control", "viewer-2", "ams"), null, counted, T0);
        agg.add(new IngestEvent.Exposure("3", T0 + 100, "offer-banner", "control", "viewer-1", "ams"), null,
                io.edgedeck.engine.ingest.IngestOutcome.Exposure.MOVED, T0);
        agg.add(new IngestEvent.Exposure("4", T0 + 150, "offer-banner", "control", "viewer-2", "ams"), null,
                io.edgedeck.engine.ingest.IngestOutcome.Exposure.REPEAT, T0);
        agg.add(new IngestEvent.Exposure("5", T0 + 160, "offer-banner", "control", "viewer-3", "ams"), null,
                io.edgedeck.engine.ingest.IngestOutcome.Exposure.OUT_OF_SCOPE, T0);
        agg.add(new IngestEvent.Conversion("6", T0 + 200, "checkout", "viewer-1", 10.0), T0);
        agg.add(new IngestEvent.Conversion("7", T0 + 300, "checkout", "viewer-2", 5.0), T0);

        List<PopSecond.ArmCounts> arms = agg.drain(T0 + 5_000, 1_000).getFirst().arms();
        PopSecond.ArmCounts control = arms.get(0);
        PopSecond.ArmCounts treatment = arms.get(1);
        assertEquals(new PopSecond.ArmCounts("offer-banner", "control", 1, 1, 5.0, 0, 0, 0, 1, 1), control);
        assertEquals(new PopSecond.ArmCounts("offer-banner", "treatment", 1, 0, 0, 0, 0, 0, 0, 0), treatment,
                "the moved unit converted in control, the arm it is in now");
    }

    @Test
    void attributesConversionsAndChatToTheArmsAndPopWhereTheUnitWasExposed() {
        SecondAggregator agg = aggregator();
        agg.add(new IngestEvent.Exposure("1", T0, "offer-banner", "treatment", "viewer-1", "ams"), T0);
        agg.add(new IngestEvent.Exposure("2", T0, "offer-banner", "treatment", "viewer-1", "ams"), T0);
        agg.add(new IngestEvent.Exposure("3", T0, "checkout-button", "blue", "viewer-1", "ams"), T0);
        agg.add(new IngestEvent.Exposure("4", T0, "offer-banner", "control", "viewer-2", null), T0);
        agg.add(new IngestEvent.Conversion("5", T0 + 100, "checkout", "viewer-1", 19.99), T0);
        agg.add(new IngestEvent.Chat("6", T0 + 200, "love it, this is great", "viewer-1", "twitch:x", null, null), T0);
        agg.add(new IngestEvent.Chat("7", T0 + 300, "this is terrible", null, "twitch:x", null, null), T0);
        agg.add(new IngestEvent.Conversion("8", T0 + 400, "checkout", "stranger", null), T0);

        List<PopSecond> out = agg.drain(T0 + 5_000, 1_000);
        assertEquals(2, out.size());
        PopSecond ams = out.get(0);
        PopSecond fra = out.get(1);
        assertEquals("ams", ams.pop());
        assertEquals(List.of("checkout-button", "offer-banner"), ams.arms().stream().map(PopSecond.ArmCounts::flag).toList());
        PopSecond.ArmCounts treatment = ams.arms().get(1);
        assertEquals(1, treatment.exposures(), "a repeated exposure of the same unit counts once");
        assertEquals(1, treatment.conversions());
        assertEquals(19.99, treatment.value(), 1e-9);
        assertEquals(1, treatment.messages());
        double love = scorer.compound("love it, this is great");
        assertTrue(love > 0.5);
        assertEquals(love, treatment.sentimentSum(), 1e-12);
        assertEquals(love * love, treatment.sentimentSumSq(), 1e-12);
        assertEquals(1, ams.arms().get(0).conversions(), "a conversion counts for every arm the unit is in");
        assertEquals(1, ams.conversions());
        assertEquals("fra", fra.pop(), "the default PoP: viewer-2's exposure named none, and strangers land here");
        assertEquals(1, fra.arms().getFirst().exposures());
        assertEquals(1, fra.conversions(), "the stranger's conversion counts at the PoP but for no arm");
        assertEquals(0, fra.arms().getFirst().conversions());
        assertEquals(1, fra.chat().messages());
        assertTrue(fra.chat().sentimentSum() < 0);
    }

    @Test
    void aUnitMovedToAnotherVariantOfAFlagCountsForTheNewOneOnly() {
        SecondAggregator.RecentExposures arms = new SecondAggregator.RecentExposures(10);
        arms.exposed("u", new SecondAggregator.Arm("f", "a"), "fra");
        assertTrue(arms.exposed("u", new SecondAggregator.Arm("f", "b"), "fra"));
        assertEquals(List.of(new SecondAggregator.Arm("f", "b")), arms.of("u").arms());
    }

    @Test
    void remembersAtMostItsBoundOfUnits() {
        SecondAggregator.RecentExposures arms = new SecondAggregator.RecentExposures(2);
        arms.exposed("u1", new SecondAggregator.Arm("f", "a"), "fra");
        arms.exposed("u2", new SecondAggregator.Arm("f", "a"), "fra");
        arms.exposed("u3", new SecondAggregator.Arm("f", "a"), "fra");
        assertEquals(null, arms.of("u1"));
        assertEquals("fra", arms.of("u3").pop());
    }
}
