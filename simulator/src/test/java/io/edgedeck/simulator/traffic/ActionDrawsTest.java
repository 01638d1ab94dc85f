package io.edgedeck.simulator.traffic;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Drawing a tick's actions a batch at a time takes the same numbers from the audience's generator
 * as drawing each as its action is played (the audience as first written: the session, then its
 * kind, then for a click one draw for checkout or cart): the same session, kind and click draw for
 * every action, and the generator left in the same state, over many ticks of random sizes and
 * audiences, including a tick's last, partial batch.
 */
class ActionDrawsTest {
    private static final double[] KINDS = {6 / 10.8, 9 / 10.8, 10.2 / 10.8, 1.0};

    private record Action(int slot, int kind, double clickDraw) {
    }

    /** The audience's draws for one action as it drew them before batching. */
    private static Action playedOneByOne(SplittableRandom random, int active, double[] kinds) {
        int slot = random.nextInt(active);
        int kind = AudienceModel.pick(kinds, random.nextDouble());
        double click = kind == ActionDraws.CLICK ? random.nextDouble() : Double.NaN;
        return new Action(slot, kind, click);
    }

    @Test
    void batchesDrawWhatOneByOneDrew() {
        var sizes = new SplittableRandom(11);
        for (double[] kinds : List.of(KINDS, new double[]{0.25, 0.5, 0.75, 1.0}, new double[]{0, 0, 1.0, 1.0})) {
            var before = new SplittableRandom(2024);
            var after = new SplittableRandom(2024);
            var draws = new ActionDraws();
            int clicks = 0;
            for (int tick = 0; tick < 2_000; tick++) {
                int active = 1 + sizes.nextInt(tick % 7 == 0 ? 3 : 2_000_000);
                int actions = sizes.nextInt(3 * ActionDraws.BATCH + 2);
                for (int done = 0; done < actions; ) {
                    int n = draws.draw(after, active, kinds, Math.min(ActionDraws.BATCH, actions - done));
                    for (int j = 0; j < n; j++) {
                        Action old = playedOneByOne(before, active, kinds);
                        assertEquals(old.slot(), draws.slots[j]);
                        assertEquals(old.kind(), draws.kinds[j]);
                        assertEquals(Double.doubleToRawLongBits(old.clickDraw()), Double.doubleToRawLongBits(draws.clickDraws[j]));
                        assertTrue(draws.slots[j] >= 0 && draws.slots[j] < active);
                        clicks += old.kind() == ActionDraws.CLICK ? 1 : 0;
                    }
                    done += n;
                }
                // Whatever the tick draws next (arrivals, departures) starts from the same state.
                assertEquals(before.nextLong(), after.nextLong());
            }
            assertTrue(clicks > 0, "clicks drawn");
        }
    }

    @Test
    void touchingSessionsChangesNoField() {
        var sessions = new Sessions(40);
        sessions.ensureFlagColumns(2);
        for (int i = 0; i < 3_000; i++) {
            int slot = sessions.add(i % 17, 1_000_000_007L * i, i % 3, null, i);
            sessions.cart(slot, (byte) (i % 2));
        }
        int[] slots = {0, 2_999, 1_500, 7, 7};
        sessions.touch(slots, slots.length);
        for (int i = 0; i < 3_000; i++) {
            assertEquals(i % 17, sessions.route(i));
            assertEquals(i % 3, sessions.tenant(i));
            assertEquals(i % 2, sessions.cart(i));
            assertEquals(1_000_000_007L * i, sessions.unit(i));
            assertEquals(-1, sessions.arm(i, 1));
            assertEquals(-1L, sessions.version(i, 0));
        }
    }
}
