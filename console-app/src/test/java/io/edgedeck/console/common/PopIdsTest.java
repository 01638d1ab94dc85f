package io.edgedeck.console.common;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The node's lines name PoPs in its lower case; the console writes them in capitals, as on every tab. */
class PopIdsTest {
    private static final List<String> POPS = List.of("fra", "iad", "ams", "sin");

    @Test
    void aPopNamedAfterAtIsInCapitals() {
        assertEquals("jitter storm +45 ms at FRA for 180 s", PopIds.inText("jitter storm +45 ms at fra for 180 s", POPS));
        assertEquals("outage at SIN", PopIds.inText("outage at sin", POPS));
        assertEquals("roll back checkout-button/treatment at FRA, AMS", PopIds.inText("roll back checkout-button/treatment at fra, ams", POPS));
        assertEquals("rollback of offer-banner/treatment at IAD,AMS (alice)", PopIds.inText("rollback of offer-banner/treatment at iad,ams (alice)", POPS));
    }

    @Test
    void aPopNamedAsAFlagsScopeIsInCapitals() {
        // A flag's audit line and a change's description name the scope in its wire form, pop:ID.
        assertEquals("flag.change checkout-button: v3 control=50% treatment=50% control=control scope=pop:FRA",
                PopIds.inText("flag.change checkout-button: v3 control=50% treatment=50% control=control scope=pop:fra", POPS));
        assertEquals("change offer-banner to control=90.00% treatment=10.00% scope=pop:SIN",
                PopIds.inText("change offer-banner to control=90.00% treatment=10.00% scope=pop:sin", POPS));
        // and every way at once, the rest as sent.
        assertEquals("flag.change fra-promo: v2 on=10% scope=pop:IAD (rollback at AMS)",
                PopIds.inText("flag.change fra-promo: v2 on=10% scope=pop:iad (rollback at ams)", POPS));
    }

    @Test
    void aChangeNamesThePopsItRollsBackAtAndThePopItIsScopedTo() {
        assertEquals(List.of("iad", "fra"), PopIds.named(List.of("iad"), "pop:fra"));
        assertEquals(List.of("fra"), PopIds.named(null, "pop:fra"));
        assertEquals(List.of(), PopIds.named(null, "region:eu"));
        assertEquals(List.of("ams"), PopIds.named(List.of("ams"), null));
        assertEquals("change offer-banner to control=90.00% treatment=10.00% scope=pop:FRA",
                PopIds.inText("change offer-banner to control=90.00% treatment=10.00% scope=pop:fra", PopIds.named(null, "pop:fra")));
    }

    @Test
    void aScopeThatIsNoPopIsAsSent() {
        // A region or tenant that happens to share a PoP's letters is not a PoP; nor is a PoP id the show does not have.
        assertEquals("flag.change checkout-button: v3 scope=region:fra", PopIds.inText("flag.change checkout-button: v3 scope=region:fra", POPS));
        assertEquals("flag.change checkout-button: v3 scope=tenant:sin", PopIds.inText("flag.change checkout-button: v3 scope=tenant:sin", POPS));
        assertEquals("flag.change checkout-button: v3 scope=pop:ord", PopIds.inText("flag.change checkout-button: v3 scope=pop:ord", POPS));
        assertEquals("flag.change checkout-button: v3 scope=pop:fra-2", PopIds.inText("flag.change checkout-button: v3 scope=pop:fra-2", POPS));
    }

    @Test
    void theRestIsAsSent() {
        assertEquals("outage at ord for 30 s", PopIds.inText("outage at ord for 30 s", POPS), "not one of the show's PoPs");
        assertEquals("flag.create fra-promo: v1 at fra-promo", PopIds.inText("flag.create fra-promo: v1 at fra-promo", POPS),
                "a flag that starts with a PoP's letters");
        assertEquals("chat mood shifts for offer-banner/treatment", PopIds.inText("chat mood shifts for offer-banner/treatment", POPS));
        assertEquals("latency at fra", PopIds.inText("latency at fra", List.of()));
    }

    @Test
    void rowsThatNameDifferentPopsDoNotCompileTheirPatternsAgain() {
        // The Requests, Playbooks and Schedule rows each ask with their own PoPs, the Timeline with the show's: each list's
        // pattern is made once, however the asks alternate.
        List<List<String>> lists = List.of(List.of("cache-a1"), List.of("cache-a1", "cache-b1"), List.of("cache-c1"),
                List.of("cache-a1", "cache-b1", "cache-c1", "cache-d1"));
        long before = PopIds.compiled();
        for (int round = 0; round < 10; round++) {
            for (List<String> pops : lists) {
                assertEquals("at " + pops.getFirst().toUpperCase(java.util.Locale.ROOT),
                        PopIds.inText("at " + pops.getFirst(), pops));
            }
        }
        assertEquals(lists.size(), PopIds.compiled() - before, "one pattern per list");

        // The cache is bounded: past its size the list asked longest ago is made again, the recent ones are not.
        for (int i = 0; i < 40; i++) {
            PopIds.inText("at evicted-" + i, List.of("evicted-" + i));
        }
        long full = PopIds.compiled();
        PopIds.inText("at evicted-39", List.of("evicted-39"));
        assertEquals(full, PopIds.compiled(), "the newest list is still there");
        PopIds.inText("at cache-c1", List.of("cache-c1"));
        assertEquals(full + 1, PopIds.compiled(), "the list asked longest ago was let go");
    }
    @Test
    void aScopeIsWrittenWithoutMakingAPatternOfItsOwn() {
        // The Flags tab writes every row's scope each frame: a show with many PoP-scoped flags must not fill the
        // patterns kept for the Requests, Playbooks, Schedule and Timeline lists.
        long before = PopIds.compiled();
        for (int i = 0; i < 40; i++) {
            assertEquals("pop:SCOPE-" + i, PopIds.scope("pop:scope-" + i));
        }
        assertEquals("region:fra", PopIds.scope("region:fra"));
        assertEquals("tenant:sin", PopIds.scope("tenant:sin"));
        assertEquals("global", PopIds.scope("global"));
        assertEquals("pop:", PopIds.scope("pop:"));
        assertEquals(null, PopIds.scope(null));
        assertEquals(before, PopIds.compiled(), "no pattern made for a scope");
    }
}
