package io.edgedeck.simulator.connectors;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A key is held for its window from the first time it was seen, as the core's window of refused ids is: a batch resent
 * every little while is counted again once the window since its first send has passed. Keys forgotten for want of
 * room before their window ended are counted (and the node's log says so once).
 */
class RecentKeysTest {
    private final AtomicLong now = new AtomicLong(1_000_000);
    private final InstantSource clock = () -> Instant.ofEpochMilli(now.get());

    @Test
    void aKeySeenAgainIsHeldForItsWindowFromTheFirstTimeOnly() {
        RecentKeys keys = new RecentKeys("keys of the test", 1_000, 10, clock);
        assertTrue(keys.firstSince("batch-1 line 3"));
        now.addAndGet(600);
        assertFalse(keys.firstSince("batch-1 line 3"), "seen again within its window");
        now.addAndGet(500);
        assertTrue(keys.firstSince("batch-1 line 3"), "its window since it was first seen has passed");
        assertTrue(keys.contains("batch-1 line 3"), "held again from now");
    }

    @Test
    void keysForgottenForWantOfRoomBeforeTheirWindowEndsAreCounted() {
        RecentKeys keys = new RecentKeys("keys of the test", 1_000, 2, clock);
        keys.add("a");
        keys.add("b");
        assertEquals(0, keys.forgottenEarly());
        keys.add("c");
        assertEquals(1, keys.forgottenEarly(), "a was forgotten within its window");
        assertTrue(keys.firstSince("a"), "forgotten, so it counts again");
        assertEquals(2, keys.forgottenEarly(), "b was forgotten for a, within its window");
        now.addAndGet(1_000);
        keys.add("d");
        keys.add("e");
        assertEquals(2, keys.forgottenEarly(), "keys whose window ended are no loss");
    }
}
