package io.edgedeck.console.dashboard;

import eu.hansolo.tilesfx.Tile;

/**
 * Draws a tile once for all that changed in it in one frame. A TilesFX tile redraws its whole skin
 * (texts measured and fitted, font by font) on each {@code setText}, {@code setDescription} or
 * {@code setTitle}, so a tile given a frame's value, texts and title drew three or four times a
 * frame; inside {@link #batch} its skin notes each request and draws once at the end. FX thread.
 */
final class Redraws {
    /** A skin that can hold its redraws. */
    interface Held {
        Redraws redraws();
    }

    private final Runnable draw;
    private int holds;
    private boolean wanted;

    Redraws(Runnable draw) {
        this.draw = draw;
    }

    /**
     * A redraw the tile asked its skin for: now, or at the end of the batch it is in; now too while
     * the skin's own constructor draws it the first time ({@code redraws} not made yet).
     */
    static void request(Redraws redraws, Runnable draw) {
        if (redraws != null && redraws.holds > 0) {
            redraws.wanted = true;
        } else {
            draw.run();
        }
    }

    /** Runs {@code changes} to {@code tile} and then draws it once if any of them asked for a redraw. */
    static void batch(Tile tile, Runnable changes) {
        if (tile.getSkin() instanceof Held held) {
            held.redraws().during(changes);
        } else {
            changes.run();
        }
    }

    /** Runs {@code changes}, holding the redraws they ask for, then draws once if any did (even if they failed). */
    void during(Runnable changes) {
        holds++;
        try {
            changes.run();
        } finally {
            if (--holds == 0 && wanted) {
                wanted = false;
                draw.run();
            }
        }
    }
}
