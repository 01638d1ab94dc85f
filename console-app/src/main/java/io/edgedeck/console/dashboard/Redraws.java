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
    private final Runnable resize;
    private int holds;
    private boolean wanted;
    /** A resize asked for while every skin's redraws were held ({@link #holdingAll}). */
    private boolean resizeWanted;

    Redraws(Runnable draw) {
        this(draw, null);
    }

    /** @param resize the skin's own resize, held like its redraws while every skin's are; null: never held */
    Redraws(Runnable draw, Runnable resize) {
        this.draw = draw;
        this.resize = resize;
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
     * A resize the tile asked its skin for (its size or a text size changed): now, or, while every
     * skin's redraws are held, once at the end, before the skin's redraw. Now too while the skin's own
     * constructor sizes it the first time ({@code redraws} not made yet).
     */
    static void requestResize(Redraws redraws, Runnable resize) {
        if (redraws != null && redraws.resize != null && allHolds > 0) {
            redraws.resizeWanted = true;
            pending.add(redraws);
        } else {
            resize.run();
        }
    }

    /**
     * Runs {@code changes}, holding the redraws and resizes every held skin asks for, then sizes (if
     * asked) and draws each skin that asked, once (even if the changes failed). A tile that is not in a
     * showing window queues each change it is told and replays the whole queue when its window shows,
     * one redraw (a resize and a redraw for each change of size) per queued change: run inside this,
     * showing the window sizes and draws each tile once. FX thread.
     */
    static void holdingAll(Runnable changes) {
        allHolds++;
        try {
            changes.run();
        } finally {
            if (--allHolds == 0) {
                List<Redraws> asked = List.copyOf(pending);
                pending.clear();
                asked.forEach(Redraws::drawHeld);
            }
        }
    }

    /** Sizes the skin if a held resize asked for it, then draws it. */
    private void drawHeld() {
        if (resizeWanted) {
            resizeWanted = false;
            resize.run();
        }
        draw.run();
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
