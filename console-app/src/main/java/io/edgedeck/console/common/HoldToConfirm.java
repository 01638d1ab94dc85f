package io.edgedeck.console.common;

import javafx.animation.KeyFrame;
import javafx.animation.KeyValue;
import javafx.animation.Timeline;
import javafx.beans.value.ChangeListener;
import javafx.scene.control.ButtonBase;
import javafx.scene.control.ProgressIndicator;
import javafx.util.Duration;

/**
 * A button that must be held down (mouse, touch or the space bar) for a while before it acts,
 * with a progress indicator filling while it is held. Letting go early does nothing, so a stray
 * click can never fire it, yet a deliberate press takes barely more than a second.
 */
public final class HoldToConfirm {
    public static final Duration HOLD = Duration.millis(1200);

    private final ButtonBase button;
    private final ChangeListener<Boolean> onArmed;
    private final Timeline fill;

    public HoldToConfirm(ButtonBase button, ProgressIndicator progress, Runnable action) {
        this.button = button;
        progress.setProgress(0);
        fill = new Timeline(
                new KeyFrame(Duration.ZERO, new KeyValue(progress.progressProperty(), 0)),
                new KeyFrame(HOLD, e -> action.run(), new KeyValue(progress.progressProperty(), 1)));
        onArmed = (obs, was, armed) -> {
            if (armed && !button.isDisabled()) {
                fill.playFromStart();
            } else if (fill.getCurrentTime().lessThan(HOLD)) {
                fill.stop();
                progress.setProgress(0);
            }
        };
        button.armedProperty().addListener(onArmed);
        // A plain click (press and release at once) must not act; only the completed hold does.
        button.setOnAction(e -> { });
    }

    /** Detaches from the button. FX thread. */
    public void dispose() {
        fill.stop();
        button.armedProperty().removeListener(onArmed);
    }
}
