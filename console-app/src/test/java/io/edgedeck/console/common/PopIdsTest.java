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
    void theRestIsAsSent() {
        assertEquals("outage at ord for 30 s", PopIds.inText("outage at ord for 30 s", POPS), "not one of the show's PoPs");
        assertEquals("flag.create fra-promo: v1 at fra-promo", PopIds.inText("flag.create fra-promo: v1 at fra-promo", POPS),
                "a flag that starts with a PoP's letters");
        assertEquals("chat mood shifts for offer-banner/treatment", PopIds.inText("chat mood shifts for offer-banner/treatment", POPS));
        assertEquals("latency at fra", PopIds.inText("latency at fra", List.of()));
    }
}
