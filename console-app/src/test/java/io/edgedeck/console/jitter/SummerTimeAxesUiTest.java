package io.edgedeck.console.jitter;

import io.edgedeck.client.EdgeConnection;
import io.edgedeck.console.Console;
import io.edgedeck.console.ConsoleOptions;
import io.edgedeck.console.TestConsoles;
import io.edgedeck.console.common.LiveClocks;
import io.edgedeck.console.common.ShowClock;
import io.edgedeck.console.connection.Connections;
import io.edgedeck.console.timeline.TimelineViewModel;
import javafx.scene.control.TableView;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The real console on the headless platform, its times read on a wall clock in Berlin across the October change (a
 * fixed clock: the show's engine started five minutes before the clocks went back, and it is now after the change). The
 * Timeline's and the Jitter chart's axes name the zone as of now (CET, "GMT+01:00"), and each mark from before the change
 * carries its own ("02:58 GMT+02:00"), so the hour read twice is never taken for the other; the Timeline's marks list
 * writes every time with its zone.
 */
@ExtendWith(ApplicationExtension.class)
class SummerTimeAxesUiTest {
    /** Berlin's clocks go back at 01:00 UTC on 25 October 2026 (03:00 CEST becomes 02:00 CET). */
    private static final long CHANGE = 1_792_890_000_000L;
    /** The show's engine time 0: five minutes before the change. */
    private static final long ENGINE_ZERO = CHANGE - 300_000;
    /** Where the show is held: ten minutes in, five after the change. */
    private static final long NOW_MILLIS = 600_000;

    /** The jitter storm rehearsed fast, in a console on the test's window. */
    private final EdgeConnection connection = Connections.open(ConsoleOptions.parse(List.of("--rehearsal", "jitter-storm", "--speed", "100")));
    private Console console;
    private Stage stage;

    SummerTimeAxesUiTest() throws Exception {
    }

    @Start
    void show(Stage window) {
        stage = window;
        console = TestConsoles.show(window, connection);
    }

    @AfterEach
    void closeTheConsole() {
        TestConsoles.close(console, connection);
    }

    private static <T> T onFx(Callable<T> read) throws Exception {
        return WaitForAsyncUtils.asyncFx(read).get(10, TimeUnit.SECONDS);
    }

    @Test
    @SuppressWarnings("unchecked")
    void axesAndMarksAcrossBerlinsOctoberChangeSayWhichSideEachTimeIsOn(FxRobot robot) throws Exception {
        // The rehearsal played past the storm (its marks) and ten minutes, then held there.
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> onFx(() -> console.timeline().viewModel().engineMillis() >= NOW_MILLIS
                && !console.timeline().viewModel().marks().isEmpty()));
        connection.pause().get(10, TimeUnit.SECONDS);
        ShowClock berlin = new ShowClock(() -> ENGINE_ZERO + NOW_MILLIS, java.time.ZoneId.of("Europe/Berlin"));
        berlin.onTick(LiveClocks.frame(NOW_MILLIS, 1, 0), true, 0);
        assertEquals("wall clock, GMT+01:00", berlin.clockName());
        robot.interact(() -> {
            console.timeline().showTimesBy(berlin);
            console.jitter().viewModel().showTimesBy(berlin);
        });
        List<String> wrong = new ArrayList<>();
        for (double[] size : new double[][] {{1000, 700}, {1320, 820}}) {
            robot.interact(() -> {
                stage.setWidth(size[0]);
                stage.setHeight(size[1]);
                console.showTab("timeline");
            });
            settle();
            List<ShowClock.Tick> timeline = onFx(() -> console.timeline().axisTicks());
            List<String> marks = onFx(() -> {
                TableView<TimelineViewModel.Mark> t = (TableView<TimelineViewModel.Mark>) console.scene().lookup("#timeline-marks");
                List<String> out = new ArrayList<>();
                for (int i = 0; i < t.getItems().size(); i++) {
                    out.add(t.getItems().get(i).atMillis() + "=" + t.getColumns().getFirst().getCellData(i));
                }
                return out;
            });
            TestConsoles.shootIfAsked(console, "summer-time-timeline-" + (int) size[0] + ".png");
            robot.interact(() -> console.showTab("jitter"));
            WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> onFx(() -> {
                JitterView view = (JitterView) console.scene().lookup("#jitter-view");
                return view != null && view.chart().axisTicks().size() >= 2;
            }));
            settle();
            List<ShowClock.Tick> jitter = onFx(() -> ((JitterView) console.scene().lookup("#jitter-view")).chart().axisTicks());
            TestConsoles.shootIfAsked(console, "summer-time-jitter-" + (int) size[0] + ".png");
            String where = " at " + (int) size[0] + " px";
            sides("the Timeline's axis" + where, timeline, wrong);
            sides("the Jitter chart's axis" + where, jitter, wrong);
            assertFalse(marks.isEmpty(), "the storm's marks are listed");
            for (String m : marks) {
                long at = Long.parseLong(m.substring(0, m.indexOf('=')));
                String zone = at < 300_000 ? " GMT+02:00" : " GMT+01:00";
                if (!m.endsWith(zone)) {
                    wrong.add("the Timeline's marks list" + where + " writes " + m + " without " + zone);
                }
            }
        }
        assertEquals(List.of(), wrong);
    }

    /** Adds to {@code wrong} each mark that does not say its side of the change; both sides must be marked. */
    private static void sides(String axis, List<ShowClock.Tick> ticks, List<String> wrong) {
        boolean before = false;
        boolean after = false;
        for (ShowClock.Tick t : ticks) {
            boolean summer = t.engineMillis() < 300_000;
            before |= summer;
            after |= !summer;
            if (summer != t.label().endsWith(" GMT+02:00") || (!summer && t.label().contains(" "))) {
                wrong.add(axis + ": the mark at engine " + t.engineMillis() + " ms reads \"" + t.label() + "\" ("
                        + (summer ? "summer time, before the change" : "after the change, the title's zone") + ")");
            }
        }
        assertTrue(before && after, axis + " spans the change: " + ticks);
    }

    private static void settle() throws Exception {
        for (int i = 0; i < 5; i++) {
            WaitForAsyncUtils.sleep(100, TimeUnit.MILLISECONDS);
            WaitForAsyncUtils.waitForFxEvents();
        }
    }
}
