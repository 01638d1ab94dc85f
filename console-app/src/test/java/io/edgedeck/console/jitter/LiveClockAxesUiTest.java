package io.edgedeck.console.jitter;

import io.edgedeck.console.TestConsoles;
import io.edgedeck.console.common.ShowClock;
import javafx.scene.control.Label;
import javafx.scene.control.TableView;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.util.WaitForAsyncUtils;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The real console LIVE on a real node whose clock is the wall clock's: the Timeline's and the Jitter tab's time
 * axes are on that wall clock, as their marks and headlines are, each mark at the time it names (never the minutes
 * since the node started under wall-clock words), and both name the clock; the Jitter tab writes PoPs as every
 * other tab does, in capitals.
 */
@ExtendWith(ApplicationExtension.class)
class LiveClockAxesUiTest {
    @TempDir
    Path dir;
    @RegisterExtension
    final TestConsoles.Live live = new TestConsoles.Live();

    private static <T> T onFx(Callable<T> read) throws Exception {
        return WaitForAsyncUtils.asyncFx(read).get(10, TimeUnit.SECONDS);
    }

    /**
     * Each mark reads what the clock reads at its place: "03:12" at 03:12:00, "03:12:10" at 03:12:10. A mark falls on
     * the very millisecond a second begins, and the clock may have been placed a few ms closer by a prompter frame
     * since the axis was drawn: the clock is read half a second in, so such a move cannot tip it into the second before.
     */
    private static void assertAtTheTimesTheyName(String chart, List<ShowClock.Tick> ticks, ShowClock clock, String zone) {
        assertFalse(ticks.isEmpty(), chart + " drew no marks on its time axis");
        for (ShowClock.Tick t : ticks) {
            String there = clock.format(t.engineMillis() + 500);
            assertTrue(there.equals(t.label() + " " + zone) || there.equals(t.label() + ":00 " + zone),
                    chart + "'s axis says " + t.label() + " where the clock reads " + there + " (engine " + t.engineMillis() + " ms)");
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void theTimelineAndJitterAxesAreOnTheWallClockTheirMarksAreReadOn(FxRobot robot) throws Exception {
        live.node = TestConsoles.startExampleNode(Files.createDirectory(dir.resolve("node")), 0);
        live.show(robot, TestConsoles.connect(live.node));
        ShowClock clock = onFx(() -> live.console.jitter().viewModel().times());

        robot.interact(() -> live.console.showTab("timeline"));
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> onFx(() -> clock.wallClock()
                && !live.console.timeline().axisTicks().isEmpty()));
        String name = onFx(clock::clockName);
        assertTrue(name.startsWith("wall clock, "), name);
        String zone = name.substring("wall clock, ".length());
        assertEquals("Timeline · wall clock, " + zone, onFx(() -> robot.lookup("#timeline-title").queryAs(Label.class).getText()));
        assertAtTheTimesTheyName("the Timeline", onFx(() -> live.console.timeline().axisTicks()), clock, zone);

        robot.interact(() -> live.console.showTab("jitter"));
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> onFx(() -> {
            JitterView view = robot.lookup("#jitter-view").tryQueryAs(JitterView.class).orElse(null);
            return view != null && live.console.jitter().viewModel().pictureProperty().get() != null
                    && view.chart().axisTicks().size() >= 2; // a span of a few seconds holds one mark: wait for two
        }));
        JitterView view = onFx(() -> robot.lookup("#jitter-view").queryAs(JitterView.class));
        Object[] axis = onFx(() -> new Object[] {view.chart().axisTicks(),
                live.console.jitter().viewModel().pictureProperty().get().toSecond()});
        List<ShowClock.Tick> ticks = (List<ShowClock.Tick>) axis[0];
        assertAtTheTimesTheyName("the Jitter chart", ticks, clock, zone);
        // The clock's name takes no mark's place: the last mark drawn is the last the span holds, so the show's
        // last minutes have theirs.
        assertTrue(ticks.size() >= 2, "the Jitter chart drew " + ticks);
        long step = ticks.get(1).engineMillis() - ticks.get(0).engineMillis();
        long spanEnd = (Long) axis[1] * 1000;
        assertTrue(ticks.getLast().engineMillis() + step > spanEnd, "the Jitter axis's marks " + ticks + " stop short of the span's end at "
                + spanEnd + " ms: a mark every " + step + " ms is missing at its end");
        Object[] read = onFx(() -> {
            TableView<JitterViewModel.PopRow> table = robot.lookup("#jitter-ranking").queryAs(TableView.class);
            return new Object[] {table.getItems().getFirst().pop(), table.getColumns().getFirst().getCellData(0),
                    robot.lookup("#jitter-headline").queryAs(Label.class).getText()};
        });
        String pop = (String) read[0];
        assertEquals(pop.toUpperCase(java.util.Locale.ROOT), read[1], "the ranking writes the PoP as the dashboard's tiles do");
        assertTrue(((String) read[2]).startsWith(pop.toUpperCase(java.util.Locale.ROOT) + ": jitter "), (String) read[2]);
    }

    /**
     * The ranking on a live node holds every column whole in the table's width, with no sideways scroll: on a 1,000x700
     * window (the table beside the chart) and on a 1,320 px one. The "first held" column is never narrower than a wall
     * time: a PoP whose jitter has held over the line reads "23:05:12" there, without the zone, which is said once over
     * the ranking; so does the newest column's header ("ms at" over "23:05:12"), the headline keeping its zone.
     */
    @Test
    void onALiveNodeTheRankingsColumnsAreWholeInTheTable(FxRobot robot) throws Exception {
        live.node = TestConsoles.startExampleNode(Files.createDirectory(dir.resolve("node")), 0);
        live.show(robot, TestConsoles.connect(live.node));
        robot.interact(() -> {
            javafx.stage.Window window = live.console.scene().getWindow();
            window.setWidth(1000);
            window.setHeight(700);
            live.console.showTab("jitter");
        });
        ShowClock clock = onFx(() -> live.console.jitter().viewModel().times());
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> onFx(() -> clock.wallClock()
                && live.console.jitter().viewModel().pictureProperty().get() != null
                && !live.console.jitter().viewModel().ranking().isEmpty()));
        settle();
        TestConsoles.shootIfAsked(live.console, "live-jitter-1000.png");
        assertWhole(robot, "at 1000 px");
        String zone = onFx(clock::clockName);
        assertEquals("PoPs by mean jitter over the span · times: " + zone,
                onFx(() -> robot.lookup("#jitter-ranking-title").queryAs(Label.class).getText()));
        String header = onFx(() -> robot.lookup("#jitter-newest-header").queryAs(Label.class).getText());
        assertTrue(header.matches("ms at\n\\d\\d:\\d\\d:\\d\\d"), "the newest column's header, without the zone: " + header);
        assertTrue(onFx(() -> robot.lookup("#jitter-headline").queryAs(Label.class).getText())
                .contains(zone.substring("wall clock, ".length())), "the headline names the zone");

        robot.interact(() -> live.console.scene().getWindow().setWidth(1320));
        settle();
        TestConsoles.shootIfAsked(live.console, "live-jitter-1320.png");
        assertWhole(robot, "at 1320 px");
    }

    private void assertWhole(FxRobot robot, String where) throws Exception {
        double[] read = onFx(() -> firstHeld(robot));
        assertTrue(read[1] >= read[2], where + " the \"first held\" column is " + Math.round(read[1])
                + " px wide, a wall time needs " + Math.ceil(read[2]) + " px");
        assertTrue(read[3] <= read[4] + 0.5, where + " the ranking's columns take " + Math.round(read[3]) + " px of a table "
                + Math.round(read[4]) + " px wide: " + onFx(() -> widths(robot)));
        assertTrue(onFx(() -> narrowed(robot)).isEmpty(), where + " columns narrower than their least width: " + onFx(() -> narrowed(robot)));
    }

    @SuppressWarnings("unchecked")
    private static TableView<JitterViewModel.PopRow> ranking(FxRobot robot) {
        return robot.lookup("#jitter-ranking").queryAs(TableView.class);
    }

    private static String widths(FxRobot robot) {
        return ranking(robot).getColumns().stream().map(c -> Math.round(c.getMinWidth()) + "/" + Math.round(c.getWidth())).toList().toString();
    }

    /** The columns the table made narrower than their least widths (their headers' words, their widest figures). */
    private static List<Integer> narrowed(FxRobot robot) {
        var columns = ranking(robot).getColumns();
        return java.util.stream.IntStream.range(0, columns.size())
                .filter(i -> columns.get(i).getWidth() + 0.5 < columns.get(i).getMinWidth()).boxed().toList();
    }

    private static void settle() throws Exception {
        for (int i = 0; i < 5; i++) {
            WaitForAsyncUtils.sleep(100, TimeUnit.MILLISECONDS);
            WaitForAsyncUtils.waitForFxEvents();
        }
    }

    /**
     * The ranking's "first held" column: its least width, its width, what the picture's newest second needs there as its
     * cells write a time (their face, their padding), the columns' widths together and the table's width inside it.
     */
    @SuppressWarnings("unchecked")
    private double[] firstHeld(FxRobot robot) {
        TableView<JitterViewModel.PopRow> table = ranking(robot);
        var column = table.getColumns().get(6);
        javafx.scene.control.TableCell<?, ?> cell = table.lookupAll(".table-cell").stream()
                .filter(n -> n instanceof javafx.scene.control.TableCell<?, ?> c && c.getTableColumn() == column && !c.isEmpty())
                .map(n -> (javafx.scene.control.TableCell<?, ?>) n).findFirst().orElseThrow();
        JitterViewModel vm = live.console.jitter().viewModel();
        javafx.scene.text.Text time = new javafx.scene.text.Text(vm.cellTime(vm.pictureProperty().get().newestSecond()));
        time.setFont(cell.getFont());
        double columns = table.getColumns().stream().mapToDouble(javafx.scene.control.TableColumn::getWidth).sum();
        return new double[] {column.getMinWidth(), column.getWidth(),
                time.getLayoutBounds().getWidth() + cell.snappedLeftInset() + cell.snappedRightInset(), columns,
                table.getWidth() - table.snappedLeftInset() - table.snappedRightInset()};
    }
}
