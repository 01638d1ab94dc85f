package io.edgedeck.console.rehearsal;

import io.edgedeck.console.common.Background;
import io.edgedeck.client.ConnectionStatus;
import io.edgedeck.client.EdgeConnection;
import io.edgedeck.client.model.PopHealth;
import io.edgedeck.console.connection.ConsoleSession;
import io.edgedeck.console.connection.Connections;
import javafx.beans.property.SimpleStringProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RehearsalViewModelTest {
    private final LinkedBlockingQueue<Runnable> ui = new LinkedBlockingQueue<>();
    private ConsoleSession session;

    @AfterEach
    void close() {
        if (session != null) session.close();
    }

    private RehearsalViewModel model() throws Exception {
        return model(5);
    }

    private RehearsalViewModel model(double speed) throws Exception {
        Background background = new Background(Runnable::run, ui::add);
        session = new ConsoleSession(Connections.rehearse("steady-show", 7L, speed), background);
        return new RehearsalViewModel(session, List.of(new RehearsalViewModel.ScenarioChoice("steady-show", ""),
                new RehearsalViewModel.ScenarioChoice("pop-outage", "")), Connections::rehearse,
                new SimpleStringProperty("ana"), background);
    }

    private void runUi() throws InterruptedException {
        Runnable r = ui.poll(10, TimeUnit.SECONDS);
        assertNotNull(r, "an action result arrived");
        r.run();
    }

    @ParameterizedTest
    @CsvSource({"1x, 1", "20x, 20", "max, 0", "50x, 50"})
    void speedsReadAsEngineSecondsPerSecond(String label, double speed) {
        assertEquals(speed, RehearsalViewModel.parseSpeed(label));
        assertEquals(label, RehearsalViewModel.speedLabel(speed));
    }

    @Test
    void startReplacesTheConnectionAndClosesTheOldOne() throws Exception {
        RehearsalViewModel vm = model();
        EdgeConnection old = session.connection();
        vm.select("pop-outage", 42, 10);
        assertEquals("10x", vm.speedProperty().get());
        vm.start();
        runUi();
        EdgeConnection now = session.connection();
        assertNotSame(old, now);
        assertTrue(now.target().startsWith("pop-outage (seed 42)"), now.target());
        assertEquals(ConnectionStatus.State.OFFLINE, old.status().state());
    }

    /** The seed field shows the running show's seed; another scenario picked plays with its own, as the field's hint says. */
    @Test
    void anotherScenarioPlaysWithItsOwnSeedNotTheRunningShows() throws Exception {
        RehearsalViewModel vm = model();
        vm.select("steady-show", 7, 5);
        assertEquals("7", vm.seedProperty().get());
        vm.scenarioProperty().set(vm.scenarios().get(1));
        assertEquals("", vm.seedProperty().get(), "blank: the scenario's own seed");
        vm.start();
        runUi();
        assertTrue(session.connection().target().startsWith("pop-outage (seed 1003)"), session.connection().target());

        vm.seedProperty().set("99");
        vm.scenarioProperty().set(vm.scenarios().get(0));
        assertEquals("99", vm.seedProperty().get(), "a seed the producer typed stays");
    }

    @Test
    void aBadSeedIsNamedAndNothingStarts() throws Exception {
        RehearsalViewModel vm = model();
        EdgeConnection old = session.connection();
        vm.select("pop-outage", 1, 1);
        vm.seedProperty().set("forty");
        vm.start();
        assertTrue(vm.messageProperty().get().contains("whole number"));
        assertEquals(old, session.connection());
    }

    @Test
    void aSeedTooLargeIsToldTheRange() throws Exception {
        RehearsalViewModel vm = model();
        EdgeConnection old = session.connection();
        vm.select("pop-outage", 1, 1);
        vm.seedProperty().set("99999999999999999999");
        vm.start();
        assertEquals("The seed must be a whole number between -9223372036854775808 and 9223372036854775807, not "
                + "'99999999999999999999'.", vm.messageProperty().get());
        assertEquals(old, session.connection());
    }

    @Test
    void aFinishedShowIsNeitherResumedNorCuedAndSaysStartRunsItAgain() throws Exception {
        RehearsalViewModel vm = model();
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (session.connection().latestFrame().isEmpty()) {
            assertTrue(System.nanoTime() < until, "the show published a frame");
            Thread.sleep(20);
        }
        var frame = session.connection().latestFrame().orElseThrow();
        vm.onTick(frame.withRunState(frame.sequence() + 1, io.edgedeck.client.model.ShowState.FINISHED, frame.speed()), true, 0);
        assertTrue(vm.finishedProperty().get());
        assertTrue(!vm.runningProperty().get());

        vm.resume();
        assertEquals("The show has ended: Start runs it again.", vm.messageProperty().get());
        assertEquals(io.edgedeck.console.common.Status.BAD, vm.messageStatusProperty().get());
        vm.cues().typeProperty().set("pop-outage");
        vm.cues().durationProperty().set("30");
        vm.fireCue();
        vm.togglePause();
        assertEquals(null, ui.poll(300, TimeUnit.MILLISECONDS), "nothing was asked of the show");
        assertEquals("The show has ended: Start runs it again.", vm.messageProperty().get());
    }

    @Test
    void anOutageFiredByHandTakesThePopDown() throws Exception {
        RehearsalViewModel vm = model();
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (session.connection().latestFrame().isEmpty()) {
            assertTrue(System.nanoTime() < until, "the show published a frame");
            Thread.sleep(20);
        }
        vm.onTick(session.connection().latestFrame().orElseThrow(), true, 0);
        assertEquals("fra", vm.cues().popProperty().get());
        vm.cues().typeProperty().set("pop-outage");
        vm.cues().durationProperty().set("30");
        vm.fireCue();
        runUi();
        assertEquals("Fired pop-outage at fra for 30 s.", vm.messageProperty().get());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (session.connection().latestFrame().orElseThrow().pop("fra").health() != PopHealth.DOWN) {
            assertTrue(System.nanoTime() < deadline, "fra went down");
            Thread.sleep(50);
        }
    }

    @Test
    void aBitrateCollapseFiredFromTheMenuInAShowWithoutAnEncoderTurnsTheEncoderRed() throws Exception {
        RehearsalViewModel vm = model(20);
        vm.cues().typeProperty().set("encoder-bitrate");
        vm.cues().magnitudeProperty().set("9000");
        vm.fireCue();
        runUi();
        assertTrue(vm.messageProperty().get().startsWith("Not done: ") && vm.messageProperty().get().contains("6000 kb/s"),
                vm.messageProperty().get());

        vm.cues().magnitudeProperty().set("800");
        vm.cues().durationProperty().set("60");
        vm.fireCue();
        runUi();
        assertEquals("Fired encoder-bitrate at the encoder for 60 s.", vm.messageProperty().get());
        // No encoder in the script: the rehearsal's stream knows its healthy 6000 kb/s, so 10 s at 800 reads red.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            var encoder = session.connection().latestFrame().orElseThrow().encoder();
            if (encoder != null && encoder.level() == io.edgedeck.client.model.EncoderHealth.Level.BAD) {
                assertTrue(encoder.why().startsWith("bitrate 800 kb/s, 13% of its usual 6,000 kb/s"), encoder.why());
                break;
            }
            assertTrue(System.nanoTime() < deadline, "the encoder turned red: " + encoder);
            Thread.sleep(20);
        }
    }

    @Test
    void magnitudesDefaultPerCueType() throws Exception {
        RehearsalViewModel vm = model();
        vm.cues().typeProperty().set("loss");
        assertEquals("0.05", vm.cues().magnitudeProperty().get());
        vm.cues().typeProperty().set("jitter-storm");
        assertEquals("40", vm.cues().magnitudeProperty().get());
        assertEquals("ms", CueFormViewModel.magnitudeUnit("jitter-storm"));
    }
}
