package io.edgedeck.engine.ingest;

import org.junit.jupiter.api.Test;

import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EventIdWindowTest {

    @Test
    void anIdIsHeldForTheWindowThenForgotten() {
        EventIdWindow w = new EventIdWindow(1000, 100);
        w.add("a", 0);
        assertTrue(w.contains("a", 999));
        assertFalse(w.contains("a", 1000));
        assertEquals(0, w.size());
    }

    @Test
    void anIdThatArrivedBeforeTheNewestHeldIsKeptAsOfTheNewestSoAtLeastTheWindow() {
        EventIdWindow w = new EventIdWindow(1000, 100);
        w.add("later", 500);
        w.add("earlier", 400);
        assertTrue(w.contains("earlier", 1399), "held the window from its own arrival");
        assertTrue(w.contains("earlier", 1499), "and on, as of the newest arrival before it");
        assertFalse(w.contains("earlier", 1500));
        assertFalse(w.contains("later", 1500));
    }

    /** Ids arrive, expire and are evicted at random; the window always agrees with a plain model of it. */
    @Test
    void itAgreesWithAPlainModelThroughGrowthEvictionAndExpiry() {
        int capacity = 5000;
        long window = 2000;
        EventIdWindow w = new EventIdWindow(window, capacity);
        ArrayDeque<long[]> order = new ArrayDeque<>();
        ArrayDeque<String> ids = new ArrayDeque<>();
        Set<String> held = new HashSet<>();
        SplittableRandom r = new SplittableRandom(3);
        long now = 0;
        long forgotten = 0;
        for (int step = 0; step < 200_000; step++) {
            now += r.nextInt(3);
            while (!order.isEmpty() && order.peekFirst()[0] <= now - window) {
                order.pollFirst();
                held.remove(ids.pollFirst());
            }
            String id = "id-" + r.nextInt(20_000);
            boolean expected = held.contains(id);
            assertEquals(expected, w.contains(id, now), "step " + step + " id " + id);
            if (!expected) {
                if (held.size() == capacity) {
                    order.pollFirst();
                    held.remove(ids.pollFirst());
                    forgotten++;
                }
                w.add(id, now);
                order.addLast(new long[] {now});
                ids.addLast(id);
                held.add(id);
            }
            assertEquals(held.size(), w.size());
            assertEquals(forgotten, w.forgotten(), "ids that expire are not forgotten early: step " + step);
        }
    }

    /**
     * What a window of the ingest path's bound holds on the heap: its arrays alone, so the bytes follow from the count,
     * whatever the ids; the most at any count is when full, 32.8 bytes a key for a million.
     */
    @Test
    void aMillionKeysTakeTheirArraysAloneAtMost32MegabytesWhateverTheIds() {
        EventIdWindow w = new EventIdWindow(600_000, 1_000_000);
        long most = 0;
        for (int i = 0; i < 1_000_000; i++) {
            w.add("r1." + "x".repeat(i % 200) + i, 1000);
            most = Math.max(most, w.bytes());
        }
        assertEquals(32_777_264, w.bytes(), "a table of 2,097,152 slots and two rings of 1,000,000");
        assertEquals(w.bytes(), most, "never more on the way");
        w.add("one more", 1000);
        assertEquals(32_777_264, w.bytes(), "full, the oldest makes room: no more is taken");
        assertEquals(1, w.forgotten());
    }
}
