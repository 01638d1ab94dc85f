package io.edgedeck.console.common;

import javafx.scene.Node;
import javafx.scene.input.KeyCombination;

import java.util.List;

/**
 * One feature of the console (dashboard, flags, guardrails...): a tab in the main window, fed by
 * the frame ticker, with the keyboard shortcuts it owns. The composition root builds the features
 * and hands them to the main window; features know nothing of each other.
 */
public interface Feature extends FrameTicker.Sink {

    /** The tab's title. */
    String title();

    /** The view, built once. FX thread. */
    Node view();

    /** Called on every tick of the frame ticker, on the FX thread. */
    @Override
    default void onTick(io.edgedeck.client.model.MetricsFrame frame, boolean fresh, long millisSinceFrame) {
    }

    /** Re-reads theme colours after the theme changed. FX thread. */
    default void refreshColors() {
    }

    /** Shortcuts this feature owns, for the scene and the help overlay. */
    default List<Shortcut> shortcuts() {
        return List.of();
    }

    /** Called when its tab is selected, e.g. to draw what was skipped while hidden. FX thread. */
    default void onShown() {
    }

    /**
     * Told whether the console hears from the edge: at once, then on every change (the node dropped, or
     * answers again). FX thread.
     */
    default void connectionOnline(boolean online) {
    }

    /** Releases listeners and subscriptions. FX thread. */
    default void dispose() {
    }

    /**
     * A keyboard shortcut: the keys, what it does in words for the help overlay, and the action.
     * Actions run on the FX thread.
     */
    record Shortcut(KeyCombination keys, String description, Runnable action) {
        /**
         * The shortcut, when the feature offers changes at all; none in a console that can change
         * nothing (a bundle opened offline), so no key promises what would only be refused.
         */
        public static List<Shortcut> offeredIf(boolean changesOffered, Shortcut shortcut) {
            return changesOffered ? List.of(shortcut) : List.of();
        }
    }
}
