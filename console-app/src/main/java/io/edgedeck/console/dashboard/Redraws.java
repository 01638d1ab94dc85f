package io.edgedeck.console.dashboard;

import eu.hansolo.tilesfx.Tile;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

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

    /** Holds of every skin's redraws ({@link #holdingAll}), and the skins that asked meanwhile, in order. */
    private static int allHolds;
    private static final Set<Redraws> pending = new LinkedHashSet<>();

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
        } else if (redraws != null && allHolds > 0) {
            pending.add(redraws);
        } else {
            draw.run();
        }
    }

    /**
     * Runs {@code changes}, holding the redraws every held skin asks for, then draws each skin that
     * asked, once (even if the changes failed). A tile that is not in a showing window queues each
     * change it is told and replays the whole queue when its window shows, one redraw per queued
     * change: run inside this, showing the window draws each tile once. FX thread.
     */
    static void holdingAll(Runnable changes) {
        allHolds++;
        try {
            changes.run();
        } finally {
            if (--allHolds == 0) {
                List<Redraws> asked = List.copyOf(pending);
                pending.clear();
                asked.forEach(r -> r.draw.run());
            }
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
                if (allHolds > 0) {
                    pending.add(this);
                } else {
                    draw.run();
                }
            }
        }
    }
}
