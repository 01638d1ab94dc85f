package io.edgedeck.console;

import javafx.geometry.Bounds;
import javafx.geometry.Orientation;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollBar;
import javafx.scene.control.ScrollPane;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A reopened bundle on the Jitter tab, its window narrowed from 1,320 to 1,000 px (700 px high) while the tab shows. A
 * bundle's show stands still, so nothing on the tab changes with the clock: the new width alone must make the tab
 * measure its height again. The span's summary at the picture's foot is then still reached, whole: inside the view, or
 * within the body the vertical scroll bar the tab then shows scrolls through; and the chart stays beside the ranking.
 */
@ExtendWith(ApplicationExtension.class)
class NarrowedBundleJitterUiTest {
    private Console console;
    private Stage stage;

    @Start
    void start(Stage stage) {
        this.stage = stage;
        console = TestConsoles.showCrashBundle(stage, 1320, 700);
    }

    @AfterEach
    void close(FxRobot robot) {
        robot.interact(() -> console.dispose());
    }

    @Test
    void narrowedOnTheJitterTabTheSpansSummaryIsStillReached(FxRobot robot) throws Exception {
        robot.interact(() -> console.showTab("jitter"));
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> FxLookup.onFx(() -> {
            Node latency = console.jitter().view().lookup("#jitter-latency");
            return latency instanceof Label l && !l.getText().isEmpty();
        }));
        settle();
        assertEquals(null, FxLookup.onFx(this::summaryOutOfReach), "at 1320x700");
        TestConsoles.shootIfAsked(console, "narrowed-bundle-jitter-1320.png");

        robot.interact(() -> stage.setWidth(1000));
        settle();
        assertEquals(1000, FxLookup.onFx(() -> console.scene().getWidth()), "the window as narrow as asked");
        TestConsoles.shootIfAsked(console, "narrowed-bundle-jitter-1000.png");
        assertEquals(null, FxLookup.onFx(this::summaryOutOfReach), "narrowed to 1000x700 on the tab");
        // Beside: the picture's headline starts above the ranking's foot, not under it.
        double[] at = FxLookup.onFx(() -> {
            Node ranking = console.jitter().view().lookup("#jitter-ranking");
            Node headline = console.jitter().view().lookup("#jitter-headline");
            return new double[] {headline.localToScene(headline.getLayoutBounds()).getMinY(),
                    ranking.localToScene(ranking.getLayoutBounds()).getMaxY()};
        });
        assertTrue(at[0] < at[1], "at 1000x700 the chart stands under the ranking (headline at y " + Math.round(at[0])
                + ", ranking ends at y " + Math.round(at[1]) + "), not beside it");
    }

    /** A few pulses: the window's new size laid out, and whatever that layout asked for laid out after it. */
    private static void settle() throws Exception {
        for (int i = 0; i < 5; i++) {
            WaitForAsyncUtils.sleep(100, TimeUnit.MILLISECONDS);
            WaitForAsyncUtils.waitForFxEvents();
        }
    }

    /**
     * Null when the span's summary is whole: as high as its lines need at its width, not cut short, and ending inside the
     * tab's view or reached by its vertical scroll bar; else what is wrong.
     */
    private String summaryOutOfReach() {
        Node view = console.jitter().view();
        Label latency = (Label) view.lookup("#jitter-latency");
        ScrollPane body = (ScrollPane) view.lookup(".jitter-body");
        boolean bar = body.getChildrenUnmodifiable().stream().anyMatch(n -> n instanceof ScrollBar b
                && b.getOrientation() == Orientation.VERTICAL && b.isVisible());
        Bounds viewport = body.localToScene(body.getLayoutBounds());
        double bottom = latency.localToScene(latency.getLayoutBounds()).getMaxY();
        double needs = latency.prefHeight(latency.getWidth());
        if (latency.isTextTruncated() || latency.getHeight() < needs - 0.5) {
            return "the span's summary is cut short: " + Math.round(latency.getHeight()) + " px high, its lines need "
                    + Math.round(needs) + " px at " + Math.round(latency.getWidth()) + " px wide";
        }
        Node content = body.getContent();
        double inContent = content.sceneToLocal(latency.localToScene(latency.getLayoutBounds())).getMaxY();
        if (inContent > content.getLayoutBounds().getHeight() + 0.5) {
            return "the span's summary ends " + Math.round(inContent) + " px down a body " + Math.round(content.getLayoutBounds().getHeight())
                    + " px high, past its foot, where no scroll bar reaches";
        }
        return bar || bottom <= viewport.getMaxY() - body.snappedBottomInset() + 0.5 ? null
                : "the span's summary ends at y " + Math.round(bottom) + ", below the tab's view at y "
                + Math.round(viewport.getMaxY()) + ", with no scroll bar to reach it";
    }
}
