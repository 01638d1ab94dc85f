package io.edgedeck.console.common;

import javafx.scene.Node;

/** Something that can lay a node over the whole window (the main window). FX thread. */
public interface OverlayHost {
    void showOverlay(Node overlay);

    void hideOverlay(Node overlay);
}
