package io.edgedeck.simulator.traffic;

import java.util.SplittableRandom;

/**
 * A tick's actions drawn a few at a time before they are played, so that the sessions they belong
 * to can be read from memory together ({@link Sessions#touch}) instead of one miss after another.
 *
 * <p>An action's draws from the audience's generator never depend on its session: which session
 * (uniform over the active ones), what it does (view, hover, click or chat), and for a click one more
 * draw, which decides a checkout when the session has something in its cart and adding to the cart
 * when it has not (a session's cart is always one or the other, so a click always takes exactly one
 * draw). Drawing them here, in the order the actions are played, takes the same numbers from the
 * generator in the same order as drawing each as its action is played.
 *
 * <p>Owned by the engine thread.
 */
final class ActionDraws {
    /** Actions drawn at a time: enough misses to overlap, few enough to stay in flight together. */
    static final int BATCH = 16;
    /** The kind that is a click, in the audience's order (view, hover, click, chat). */
    static final int CLICK = 2;

    final int[] slots = new int[BATCH];
    final int[] kinds = new int[BATCH];
    /** A click's extra draw; NaN for other kinds, which take none. */
    final double[] clickDraws = new double[BATCH];

    /**
     * Draws the next {@code n} (at most {@link #BATCH}) actions among {@code active} sessions, kinds
     * picked by {@code kindCumulative}; returns {@code n}.
     */
    int draw(SplittableRandom random, int active, double[] kindCumulative, int n) {
        for (int j = 0; j < n; j++) {
            slots[j] = random.nextInt(active);
            int kind = AudienceModel.pick(kindCumulative, random.nextDouble());
            kinds[j] = kind;
            clickDraws[j] = kind == CLICK ? random.nextDouble() : Double.NaN;
        }
        return n;
    }
}
