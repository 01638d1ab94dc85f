package io.edgedeck.console.jitter;

import io.edgedeck.client.EdgeConnection;
import io.edgedeck.client.model.MetricsFrame;
import io.edgedeck.engine.journal.MemoryJournal;
import io.edgedeck.simulator.bundle.BundleConnection;
import io.edgedeck.simulator.bundle.ShowBundle;
import io.edgedeck.simulator.scenario.ScenarioCatalog;
import io.edgedeck.simulator.show.Show;
import io.edgedeck.simulator.show.ShowDefinition;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * The Jitter tab on the headless platform with LHR picked in bench-large, then the connection swapped to steady-show,
 * which has no LHR (a rehearsal started again with another show keeps the view and its pick): the new show's worst
 * PoP's picture is drawn whole, never greyed, and the line says the pick is not in this show, never that the picture
 * is "still" one that was never shown before.
 */
@ExtendWith(ApplicationExtension.class)
class JitterPickFallbackUiTest {
    private final List<Runnable> slow = new ArrayList<>();
    private final List<AutoCloseable> open = new ArrayList<>();
    private EdgeConnection[] current;
    private JitterFeature feature;

    private BundleConnection bundle(String scenarioName, long untilMillis) {
        var scenario = ScenarioCatalog.load(scenarioName);
        Show show = new Show(new ShowDefinition(scenario, scenario.seed()), new MemoryJournal());
        while (show.core().nowMillis() < untilMillis) {
            show.step();
        }
        BundleConnection b = new BundleConnection(ShowBundle.capture(show, "test"), scenarioName + ".zip");
        open.add(b);
        return b;
    }

    @Start
    void start(Stage stage) {
        current = new EdgeConnection[] {bundle("bench-large", 40_000)};
        feature = JitterPickUiTest.shown(stage, () -> current[0], slow);
    }

    @AfterEach
    void close() throws Exception {
        feature.dispose();
        for (AutoCloseable c : open) {
            c.close();
        }
    }

    private static <T> T onFx(Callable<T> read) throws Exception {
        return WaitForAsyncUtils.asyncFx(read).get(20, TimeUnit.SECONDS);
    }

    private void tickAndLand() throws Exception {
        MetricsFrame frame = current[0].latestFrame().orElseThrow();
        onFx(() -> {
            feature.onTick(frame, true, 0);
            while (!slow.isEmpty()) {
                slow.removeFirst().run();
            }
            return null;
        });
    }

    private double chartOpacity() throws Exception {
        return onFx(() -> ((JitterView) feature.view().lookup("#jitter-view")).chart().getOpacity());
    }

    @Test
    void aPinCarriedIntoAShowWithoutThatPopLeavesTheNewShowsPictureWholeAndSaysWhy() throws Exception {
        tickAndLand();
        JitterViewModel vm = feature.viewModel();
        onFx(() -> {
            vm.pinnedPopProperty().set("lhr");
            return null;
        });
        Thread.sleep(JitterViewModel.REFRESH_MILLIS + 50);
        tickAndLand();
        assertEquals("lhr", onFx(() -> vm.pictureProperty().get().pop()));
        assertEquals("", onFx(() -> vm.pickPendingProperty().get()));
        assertEquals(1.0, chartOpacity());

        current[0] = bundle("steady-show", 60_000);
        for (int s = 0; s < 3; s++) {
            Thread.sleep(JitterViewModel.REFRESH_MILLIS + 50);
            tickAndLand();
            String shown = onFx(() -> vm.pictureProperty().get().pop());
            String worst = onFx(() -> vm.ranking().getFirst().pop());
            String said = onFx(() -> vm.pickPendingProperty().get());
            assertEquals(worst, shown, "the worst PoP's picture in place of the pick");
            assertEquals("LHR has no latency history in this show: showing " + shown.toUpperCase(java.util.Locale.ROOT)
                    + ", the worst PoP", said);
            assertFalse(said.contains("Still"), said);
            assertEquals(1.0, chartOpacity(), "the new show's own, current picture is not greyed: " + said);
        }
        // Another PoP picked in the new show: its answer not yet drawn, the worst PoP's picture was shown, so "still" it
        // is, greyed.
        String other = onFx(() -> vm.ranking().get(1).pop());
        onFx(() -> {
            vm.pinnedPopProperty().set(other);
            return null;
        });
        assertEquals(JitterView.PREVIOUS_PICK_OPACITY, chartOpacity());
        Thread.sleep(JitterViewModel.REFRESH_MILLIS + 50);
        tickAndLand();
        assertEquals(other, onFx(() -> vm.pictureProperty().get().pop()));
        assertEquals("", onFx(() -> vm.pickPendingProperty().get()));
        assertEquals(1.0, chartOpacity());
    }
}
