package io.edgedeck.console;

import io.edgedeck.console.timeline.TimelineView;
import io.edgedeck.console.timeline.TimelineViewModel;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableView;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The real console rehearsing sentiment-crash past its automatic rollback (about 5:15), read as a producer reads it
 * at arm's length: the Timeline's scales in round numbers, each label the value it marks, no mark's line through a
 * panel's title or legend; the Guardrails tab's firing says why whole.
 */
@ExtendWith(ApplicationExtension.class)
class ArmsLengthUiTest {
    private Console console;

    @Start
    void start(Stage stage) throws Exception {
        console = TestConsoles.show(stage, "sentiment-crash", null, 100);
    }

    @AfterEach
    void close() {
        TestConsoles.close(console, console.session().connection());
    }

    private static <T> T onFx(Callable<T> read) throws Exception {
        return WaitForAsyncUtils.asyncFx(read).get(10, TimeUnit.SECONDS);
    }

    private void pastTheRollback() throws Exception {
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> onFx(() -> console.timeline().viewModel().marks().stream()
                .anyMatch(m -> m.kind() == TimelineViewModel.MarkKind.ROLLBACK)
                && console.timeline().viewModel().engineMillis() > 340_000));
    }

    @Test
    void theTimelinesScalesAreRoundAndItsLinesLeaveTheLegendsClear(FxRobot robot) throws Exception {
        pastTheRollback();
        robot.interact(() -> console.showTab("timeline"));
        WaitForAsyncUtils.waitForFxEvents();
        TimelineView timeline = console.timeline();
        List<TimelineView.ScaleMark> scale = onFx(timeline::scaleMarks);
        assertEquals(9, scale.size(), "three marks on each of three panels: " + scale);
        for (TimelineView.ScaleMark m : scale) {
            assertEquals(m.value(), Double.parseDouble(m.label().replace(" ms", "")), 1e-9,
                    "the label says " + m.label() + " where it marks " + m.value());
        }
        // The p95 and conversion panels from 0: their middles 1, 2 or 5 times a power of ten, so every mark is round.
        for (int panel = 0; panel < 2; panel++) {
            double middle = scale.get(panel * 3 + 1).value();
            double leading = middle / Math.pow(10, Math.floor(Math.log10(middle) + 1e-9));
            assertTrue(List.of(1.0, 2.0, 5.0).stream().anyMatch(r -> Math.abs(r - leading) < 1e-6),
                    "not round: " + scale.subList(panel * 3, panel * 3 + 3));
        }

        List<double[]> bands = onFx(timeline::legendBands);
        List<double[]> lines = onFx(timeline::verticalLines);
        assertFalse(lines.isEmpty(), "the marks' lines are drawn");
        for (double[] line : lines) {
            for (double[] band : bands) {
                assertFalse(line[1] < band[1] && line[2] > band[0], String.format(java.util.Locale.ROOT,
                        "a line at x %.0f from %.0f to %.0f px runs through the title and legend from %.0f to %.0f px",
                        line[0], line[1], line[2], band[0], band[1]));
            }
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void aFiringsWhyIsReadWhole(FxRobot robot) throws Exception {
        pastTheRollback();
        robot.interact(() -> console.showTab("guardrails"));
        TableView<?> firings = onFx(() -> robot.from(console.scene().getRoot()).lookup("#firings-table").queryAs(TableView.class));
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> onFx(() -> !firings.getItems().isEmpty()));
        WaitForAsyncUtils.waitForFxEvents();
        List<TableCell<?, ?>> why = onFx(() -> robot.from(firings).lookup(".table-cell").queryAll().stream()
                .<TableCell<?, ?>>map(n -> (TableCell<?, ?>) n)
                .filter(c -> c.getTableColumn() != null && "Why".equals(c.getTableColumn().getText())
                        && c.getItem() != null && !c.isEmpty())
                .toList());
        assertFalse(why.isEmpty(), "the firing's Why is shown");
        for (TableCell<?, ?> cell : why) {
            String reason = (String) onFx(cell::getItem);
            assertTrue(reason.contains("conversion lift"), reason);
            // Said whole: as the cell's own text, not cut short, or as wrapped text the cell is tall enough for.
            boolean whole = onFx(() -> cell.getGraphic() instanceof javafx.scene.text.Text t
                    ? reason.equals(t.getText()) && t.getWrappingWidth() > 0
                    && t.getLayoutBounds().getHeight() <= cell.getHeight() - cell.snappedTopInset() - cell.snappedBottomInset() + 1
                    : reason.equals(cell.getText()) && !cell.isTextTruncated());
            assertTrue(whole, "the Why is cut short: " + reason);
        }
    }
}
