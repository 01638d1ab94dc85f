package io.edgedeck.console.flags;

import io.edgedeck.console.common.Background;
import io.edgedeck.client.EdgeConnection;
import io.edgedeck.client.model.AuditEntry;
import io.edgedeck.client.model.MetricsFrame;
import io.edgedeck.client.model.VariantView;
import io.edgedeck.console.connection.ConsoleSession;
import io.edgedeck.console.connection.Connections;
import javafx.beans.property.SimpleStringProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The flags view model against the real in-process engine, paused so frames hold still. */
class FlagsViewModelTest {
    /** Stands in for the FX thread: results queue here and the test runs them. */
    private final LinkedBlockingQueue<Runnable> ui = new LinkedBlockingQueue<>();
    private EdgeConnection connection;
    private FlagsViewModel vm;

    @BeforeEach
    void start() throws Exception {
        connection = Connections.rehearse("steady-show", 7L, 1);
        connection.pause().get(5, TimeUnit.SECONDS);
        Background background = new Background(Runnable::run, ui::add);
        vm = new FlagsViewModel(new ConsoleSession(connection, background), new SimpleStringProperty("ana"), background);
    }

    @AfterEach
    void stop() {
        connection.close();
    }

    private void runUi() throws InterruptedException {
        Runnable r = ui.poll(5, TimeUnit.SECONDS);
        assertNotNull(r, "an action result arrived");
        r.run();
    }

    @Test
    void switchingOffAsksTheEngineForControlAndAuditsWhoAndWhy() throws Exception {
        MetricsFrame frame = connection.latestFrame().orElseThrow();
        vm.onTick(frame, true, 0);
        runUi();
        assertEquals("flag.create", vm.audit().getFirst().action());
        FlagsViewModel.FlagRow row = vm.row("checkout-button");
        assertTrue(row.on());
        assertTrue(vm.switchQuestion(row, false).reason().contains("switch off checkout-button"));

        vm.setOn(row, false, "treatment looks broken");
        runUi();
        assertTrue(vm.messageProperty().get().contains("control 100% · treatment 0%"), vm.messageProperty().get());
        runUi();
        AuditEntry newest = vm.audit().getFirst();
        assertEquals("ana", newest.actor());
        assertEquals("treatment looks broken", newest.reason());
        List<VariantView> served = connection.flags().get(5, TimeUnit.SECONDS).getFirst().variants();
        assertEquals(List.of(new VariantView("control", 10_000), new VariantView("treatment", 0)), served);
    }

    @Test
    void aChangeShowsItsNewVersionAtOnceSoTheNextChangeIsNotBasedOnAStaleOne() throws Exception {
        MetricsFrame before = connection.latestFrame().orElseThrow();
        vm.onTick(before, true, 0);
        runUi();
        long v = vm.row("checkout-button").version();

        vm.setOn(vm.row("checkout-button"), false, "treatment looks broken");
        runUi();
        assertEquals(v + 1, vm.row("checkout-button").version(), "the node's answer shows before any new frame");
        vm.onTick(before.withRunState(before.sequence() + 1, before.state(), before.speed()), true, 0);
        assertEquals(v + 1, vm.row("checkout-button").version(), "a frame from before the change does not take it back");

        // the next change, made at once from the row, is based on the version the node has: it applies
        String first = vm.messageProperty().get();
        vm.setOn(vm.row("checkout-button"), true, "fixed");
        for (int i = 0; i < 5 && vm.messageProperty().get().equals(first); i++) {
            runUi();
        }
        assertTrue(vm.messageProperty().get().startsWith("checkout-button is now v" + (v + 2)), vm.messageProperty().get());
    }

    @Test
    void theAuditIsFetchedWhenFlagsChangeNotEveryTick() throws Exception {
        MetricsFrame frame = connection.latestFrame().orElseThrow();
        vm.onTick(frame, true, 0);
        vm.onTick(frame.withRunState(frame.sequence() + 1, frame.state(), frame.speed()), true, 0);
        vm.onTick(frame, false, 100);
        assertEquals(1, vm.auditRequests());
    }

    @Test
    void aStaleVersionIsRefusedAndSaidSo() throws Exception {
        vm.onTick(connection.latestFrame().orElseThrow(), true, 0);
        runUi();
        FlagsViewModel.FlagRow row = vm.row("checkout-button");
        vm.setOn(row, false, "first");
        runUi();
        runUi();
        // The same row again: its version is the one before the change just made.
        vm.setWeights(row, List.of(new VariantView("control", 5000), new VariantView("treatment", 5000)), "second");
        runUi();
        assertTrue(vm.messageProperty().get().startsWith("Not changed:"), vm.messageProperty().get());
    }

    @Test
    void serveAgainServesTheVariantAgainOnlyAtThePopsItsQuestionNamed() throws Exception {
        // A node in a fleet shows the PoPs it serves; the fleet's list, which a clear without PoPs lifts whole,
        // holds other nodes' PoPs too. Here the engine has treatment rolled back at ams and fra, the row shows fra.
        ((io.edgedeck.simulator.show.RehearsalConnection) connection).runner().submit(s -> {
            s.core().experiments().rollbackAt("checkout-button", "treatment", List.of("fra", "ams"), "guardrail:g", "breached",
                    s.core().nowMillis());
            return null;
        }).get(5, TimeUnit.SECONDS);
        var shown = connection.flags().get(5, TimeUnit.SECONDS).getFirst();
        FlagsViewModel.FlagRow row = FlagsViewModel.FlagRow.of(
                shown.withOverrides(shown.paused(), java.util.Map.of("treatment", List.of("fra"))), null);
        String detail = vm.rollbackClearQuestion(row).detail();
        assertTrue(detail.contains("treatment at fra get it again there"), detail);

        vm.clearRollbacks(row, "the fix is out at fra");
        runUi();
        assertEquals(java.util.Map.of("treatment", List.of("ams")), connection.flags().get(5, TimeUnit.SECONDS).getFirst().rolledBackAt(),
                "served again at fra, the PoP the question named, and nowhere else");
        assertEquals("checkout-button: still treatment rolled back at ams", vm.messageProperty().get());
    }

    @Test
    void aPopLocalRollbackShowsUnderTheWeightsAndServeAgainClearsItInTheRehearsal() throws Exception {
        ((io.edgedeck.simulator.show.RehearsalConnection) connection).runner().submit(s -> {
            s.core().experiments().rollbackAt("checkout-button", "treatment", List.of("fra", "ams"), "guardrail:g", "breached",
                    s.core().nowMillis());
            return null;
        }).get(5, TimeUnit.SECONDS);
        FlagsViewModel.FlagRow row = FlagsViewModel.FlagRow.of(connection.flags().get(5, TimeUnit.SECONDS).getFirst(), null);
        assertEquals("control 50% · treatment 50%", row.variants(), "the weights alone read as an even split");
        assertEquals("treatment rolled back at ams, fra", row.overrides());
        assertTrue(vm.offersRollbackClear(row));
        assertTrue(vm.rollbackClearQuestion(row).detail().contains("treatment at ams, fra"), vm.rollbackClearQuestion(row).detail());

        vm.clearRollbacks(row, "the fix is out");
        runUi();
        assertEquals("checkout-button serves its weights at every PoP again", vm.messageProperty().get());
        runUi();
        assertEquals("variant.rollback-cleared", vm.audit().getFirst().action());
        assertEquals("ana", vm.audit().getFirst().actor());
        FlagsViewModel.FlagRow after = FlagsViewModel.FlagRow.of(connection.flags().get(5, TimeUnit.SECONDS).getFirst(), null);
        assertEquals(null, after.overrides());
        assertFalse(vm.offersRollbackClear(after));
    }

    @Test
    void aPausedVariantShowsUnderTheWeightsAndResumeLetsItTakeExposuresAgainInTheRehearsal() throws Exception {
        ((io.edgedeck.simulator.show.RehearsalConnection) connection).runner().submit(s -> {
            s.core().experiments().setPaused("checkout-button", "treatment", true, "guardrail:g", "breached", s.core().nowMillis());
            return null;
        }).get(5, TimeUnit.SECONDS);
        FlagsViewModel.FlagRow row = FlagsViewModel.FlagRow.of(connection.flags().get(5, TimeUnit.SECONDS).getFirst(), null);
        assertEquals("treatment paused", row.overrides());
        assertTrue(vm.offersResume(row));
        assertFalse(vm.offersRollbackClear(row), "nothing rolled back at a PoP");
        assertTrue(vm.resumeQuestion(row).title().contains("Resume treatment of checkout-button"), vm.resumeQuestion(row).title());

        vm.resume(row, "the fix is out");
        runUi();
        assertEquals("checkout-button takes new exposures to every variant again", vm.messageProperty().get());
        runUi();
        assertEquals("variant.resume", vm.audit().getFirst().action());
        assertEquals("ana", vm.audit().getFirst().actor());
        FlagsViewModel.FlagRow after = FlagsViewModel.FlagRow.of(connection.flags().get(5, TimeUnit.SECONDS).getFirst(), null);
        assertEquals(null, after.overrides());
        assertFalse(vm.offersResume(after));
    }

    /** Weights that do not add up are refused in the form's unit, percent, not the engine's basis points. */
    @Test
    void weightsThatDoNotAddUpAreRefusedInPercent() throws Exception {
        vm.onTick(connection.latestFrame().orElseThrow(), true, 0);
        runUi();
        vm.setWeights(vm.row("checkout-button"), List.of(new VariantView("control", 6000), new VariantView("treatment", 5000)), "too much");
        assertEquals("Not changed: the weights add up to 110.00%, not 100%", vm.messageProperty().get());
        assertEquals(1, connection.flags().get(5, TimeUnit.SECONDS).getFirst().version(), "nothing was sent");
    }

    @Test
    void aRehearsalRestoresAnEarlierVersionThroughHistoryAndTheAuditFiltersByKind() throws Exception {
        vm.onTick(connection.latestFrame().orElseThrow(), true, 0);
        runUi();
        FlagsViewModel.FlagRow row = vm.row("checkout-button");
        vm.setWeights(row, List.of(new VariantView("control", 8000), new VariantView("treatment", 2000)), "less treatment");
        runUi();
        runUi();
        assertTrue(vm.offersHistory());
        vm.loadHistory("checkout-button");
        runUi();
        assertEquals(List.of(2L, 1L), vm.history().stream().map(v -> v.version()).toList(), "newest first");
        FlagsViewModel.FlagRow now = new FlagsViewModel.FlagRow(row.key(), row.description(), row.switchable(), row.on(),
                row.variants(), row.scope(), 2, row.propagation(), row.killed(), row.flag(), null, null);
        vm.restore(now, vm.history().getLast(), "back to the even split");
        runUi();
        assertTrue(vm.messageProperty().get().startsWith("checkout-button is now v3: control 50% · treatment 50%"),
                vm.messageProperty().get());
        runUi();
        runUi();
        assertEquals(List.of(new VariantView("control", 5000), new VariantView("treatment", 5000)),
                connection.flags().get(5, TimeUnit.SECONDS).getFirst().variants());
        assertEquals("restore v1: back to the even split", vm.audit().getFirst().reason());
        assertTrue(vm.restoreQuestion(now, vm.history().getLast()).detail().contains("Rehearsal only"));

        vm.kindFilterProperty().set("flag.create");
        vm.refreshAudit();
        runUi();
        assertEquals(List.of("flag.create"), vm.audit().stream().map(AuditEntry::action).toList());
        assertEquals("1 entry with kind=flag.create", vm.auditSummaryProperty().get());
        assertTrue(vm.people().contains("ana"), "people seen are offered as choices");
        vm.kindFilterProperty().set("");
        vm.personFilterProperty().set("ana");
        vm.refreshAudit();
        runUi();
        assertEquals(List.of("flag.change", "flag.change"), vm.audit().stream().map(AuditEntry::action).toList());
        assertFalse(vm.offersExport(), "a rehearsal has no node to export from: no Export is offered");
    }
}
