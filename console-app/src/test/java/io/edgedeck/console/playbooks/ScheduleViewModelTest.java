package io.edgedeck.console.playbooks;

import io.edgedeck.client.EdgeConnection;
import io.edgedeck.client.model.CueFired;
import io.edgedeck.console.common.LiveClocks;
import io.edgedeck.client.model.Playbook;
import io.edgedeck.client.model.PlaybookAction;
import io.edgedeck.client.model.PlaybookRun;
import io.edgedeck.client.model.ScheduledChange;
import io.edgedeck.console.common.Background;
import io.edgedeck.console.common.Status;
import io.edgedeck.console.connection.ConsoleSession;
import io.edgedeck.console.connection.Connections;
import javafx.beans.property.SimpleBooleanProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** How the scheduled changes and the playbooks read, what is offered, fresh and stale, to whom. */
class ScheduleViewModelTest {
    private static final long NOW = Instant.parse("2026-12-02T21:00:00Z").toEpochMilli();

    private static ScheduledChange change(long id, ScheduledChange.State state, String cue, String at, String playbook,
                                          PlaybookAction action) {
        return new ScheduledChange(id, state, cue, at, playbook, action, "why " + id, "alice", NOW - 60_000,
                state == ScheduledChange.State.PENDING ? null : "bob", state == ScheduledChange.State.PENDING ? null : NOW - 1_000,
                state == ScheduledChange.State.CANCELLED ? "not tonight" : null, null);
    }

    /** The view models call no edge here; a session needs a connection all the same. */
    private EdgeConnection connection;
    private ConsoleSession session;
    private final SimpleBooleanProperty mayChange = new SimpleBooleanProperty(true);

    @BeforeEach
    void session() throws Exception {
        connection = Connections.rehearse("steady-show", 7L, 1);
        session = new ConsoleSession(connection, Background.sameThread());
    }

    @AfterEach
    void close() {
        connection.close();
    }

    @Test
    void pendingChangesComeFirstSoonestFirstAndAStaleListOffersNothing() {
        ScheduleViewModel vm = new ScheduleViewModel(session, mayChange, Background.sameThread(), () -> { }, ZoneOffset.UTC);
        vm.answered(List.of(
                change(1, ScheduledChange.State.PENDING, "drop", null, "ramp-at-drop", null),
                change(2, ScheduledChange.State.CANCELLED, null, "2026-12-02T21:10:00Z", null, PlaybookAction.kill("offer-banner")),
                change(3, ScheduledChange.State.PENDING, null, "2026-12-02T21:04:10Z", null,
                        PlaybookAction.rollback("checkout-button", "treatment", List.of("iad")))), NOW);
        assertEquals(List.of(3L, 1L, 2L), vm.rows().stream().map(ScheduleViewModel.Row::id).toList());
        assertEquals("21:04:10 Z · in 4 min 10 s", vm.rows().getFirst().when());
        assertEquals(List.of(true, true, false), vm.rows().stream().map(ScheduleViewModel.Row::cancellable).toList());
        assertEquals("cancelled by bob: not tonight", vm.rows().getLast().state());
        assertEquals(Status.STALE, vm.rows().getLast().status(), "an ended change is grey");
        assertEquals(List.of("drop"), vm.cues());
        assertEquals(List.of(new ScheduleViewModel.Upcoming(250, "21:04:10 Z roll back checkout-button/treatment at IAD"),
                new ScheduleViewModel.Upcoming(-1, "on cue drop: playbook ramp-at-drop")), vm.upcoming());
        assertEquals("scheduled changes: 2 pending · next: 21:04:10 Z · in 4 min 10 s", vm.summaryProperty().get());
        assertTrue(vm.fireCueQuestion("drop").holdToConfirm(), "a cue is fired only by a completed hold");
        assertTrue(vm.fireCueQuestion("drop").detail().contains("#1 playbook ramp-at-drop (alice: why 1)"));

        vm.refresh(NOW + 5_000);
        assertEquals("21:04:10 Z · in 4 min 05 s", vm.rows().getFirst().when(), "the time to go moves on with the clock");

        vm.refresh(NOW + ScheduleViewModel.STALE_AFTER_MILLIS + 1);
        assertTrue(vm.rows().stream().noneMatch(ScheduleViewModel.Row::cancellable), "nothing is cancelled from an old list");
        assertTrue(vm.rows().stream().allMatch(r -> r.status() == Status.STALE));
        assertEquals(List.of(), vm.cues(), "no cue is fired from an old list");
        assertEquals(List.of(), vm.upcoming(), "an old list draws nothing ahead on the Timeline");
        assertEquals("scheduled changes: not heard from the node for 10 s; nothing offered", vm.summaryProperty().get());

        mayChange.set(false);
        vm.answered(vm.rows().stream().map(ScheduleViewModel.Row::change).toList(), NOW + 20_000);
        assertTrue(vm.rows().stream().noneMatch(ScheduleViewModel.Row::cancellable), "a viewer cancels nothing");
        assertEquals(List.of(), vm.cues(), "a viewer fires no cue");
    }

    /**
     * A fleet node's change not confirmed is red, with a line of its own that counts its minutes by this machine's clock,
     * gives Kafka's last words and what to do, and offers Retry… only while the list is fresh and the person may change
     * the show; a plain pending change has no such line and offers no retry.
     */
    @Test
    void aChangeNotConfirmedSaysForHowLongAndWhyAndOffersRetryOnlyWhereItWorks() {
        ScheduleViewModel vm = new ScheduleViewModel(session, mayChange, Background.sameThread(), () -> { }, ZoneOffset.UTC);
        String last = "the fleet's Kafka did not confirm the change of scheduled change #2 (Kafka said: Unhandled error in"
                + " EndTxnResponse: The server experienced an unexpected error)";
        ScheduledChange unconfirmed = change(2, ScheduledChange.State.PENDING, "drop", null, null, PlaybookAction.kill("offer-banner"))
                .withUnconfirmed(new ScheduledChange.Unconfirmed(NOW - 4 * 60_000 - 10_000, last,
                        "it may yet apply on every node; check the fleet's nodes before it is retried or cancelled"));
        vm.answered(List.of(change(1, ScheduledChange.State.PENDING, "drop", null, "ramp-at-drop", null), unconfirmed), NOW);

        assertEquals(List.of("pending", "not confirmed"),
                vm.rows().stream().map(ScheduleViewModel.Row::state).toList());
        assertEquals(List.of(Status.WARN, Status.BAD), vm.rows().stream().map(ScheduleViewModel.Row::status).toList());
        assertEquals(1, vm.unconfirmed().size(), "only the change not confirmed has a line");
        ScheduleViewModel.Unconfirmed line = vm.unconfirmed().getFirst();
        assertEquals("#2 kill offer-banner (cue drop): not confirmed for 4 min 10 s (since 20:55:50 Z). The node says: " + last
                + ". It may yet apply on every node; check the fleet's nodes before it is retried or cancelled", line.text(),
                "the node's own words of what to do (its detail), the time in the console's clock form");
        assertTrue(line.retryable());
        assertEquals(null, line.held(), "offered: nothing holds Retry… back");
        assertEquals(Status.BAD, line.status());
        assertEquals("Retry #2", vm.retryQuestion(line).confirmLabel());
        assertTrue(vm.retryQuestion(line).detail().contains(last), "the question says what went wrong");
        assertTrue(vm.retryQuestion(line).detail().contains("It may have fired already though it is listed (its record written"
                + " before the node's upgrade, or by another node for a cue fired on that node alone): if what it changes was changed"
                + " since, a retry changes it again."),
                "the question warns of a change that fired though listed: " + vm.retryQuestion(line).detail());

        vm.refresh(NOW + 5_000);
        assertTrue(vm.unconfirmed().getFirst().text().startsWith("#2 kill offer-banner (cue drop): not confirmed for 4 min 15 s"),
                "the count moves on with the clock: " + vm.unconfirmed().getFirst().text());

        vm.refresh(NOW + ScheduleViewModel.STALE_AFTER_MILLIS + 1);
        assertFalse(vm.unconfirmed().getFirst().retryable(), "nothing is retried from an old list");
        assertEquals("The node has not answered since 21:00:00 Z: Retry… waits until it answers and this line is current again",
                vm.unconfirmed().getFirst().held(), "the disabled Retry… says why");
        assertEquals(Status.STALE, vm.unconfirmed().getFirst().status());
        String stale = vm.unconfirmed().getFirst().text();
        assertEquals("#2 kill offer-banner (cue drop): not confirmed since 20:55:50 Z, as the node said at 21:00:00 Z. The node"
                + " said: " + last, stale, "stale: the time and when the node said it, and no advice on buttons not offered");
        vm.refresh(NOW + ScheduleViewModel.STALE_AFTER_MILLIS + 60_000);
        assertEquals(stale, vm.unconfirmed().getFirst().text(), "a stale line does not count on");

        mayChange.set(false);
        vm.answered(List.of(unconfirmed), NOW + 20_000);
        assertFalse(vm.unconfirmed().getFirst().retryable(), "a viewer retries nothing");
        assertEquals("Retrying is for an operator or above: this console may view the show, not change it",
                vm.unconfirmed().getFirst().held(), "the disabled Retry… says why");
        assertTrue(vm.unconfirmed().getFirst().text().endsWith("before it is retried or cancelled (an operator can retry or"
                + " cancel it)"), "a viewer is told who can act: " + vm.unconfirmed().getFirst().text());

        mayChange.set(true);
        vm.answered(List.of(change(2, ScheduledChange.State.FIRED, "drop", null, null, PlaybookAction.kill("offer-banner"))), NOW + 30_000);
        assertEquals(List.of(), vm.unconfirmed(), "fired: no line left");
    }

    /** A time the node was given with an offset comes in its turn on the clock, not in the order of its text. */
    @Test
    void timesWithAnOffsetAreOrderedByWhenTheyFire() {
        ScheduleViewModel vm = new ScheduleViewModel(session, mayChange, Background.sameThread(), () -> { }, ZoneOffset.UTC);
        vm.answered(List.of(
                change(1, ScheduledChange.State.PENDING, null, "2026-12-02T21:30:00Z", null, PlaybookAction.kill("offer-banner")),
                change(2, ScheduledChange.State.PENDING, null, "2026-12-02T22:10:00+01:00", null,
                        PlaybookAction.rollback("checkout-button", "treatment", List.of("iad")))), NOW);
        assertEquals(List.of(2L, 1L), vm.rows().stream().map(ScheduleViewModel.Row::id).toList(), "21:10 UTC fires before 21:30 UTC");
        assertEquals("scheduled changes: 2 pending · next: 21:10:00 Z · in 10 min 00 s", vm.summaryProperty().get());
    }

    @ParameterizedTest
    @CsvSource({"1000, 1 s", "59000, 59 s", "60000, 1 min 00 s", "250500, 4 min 11 s", "7500000, 2 h 05 min"})
    void timesToGoReadAsPeopleSayThem(long millis, String said) {
        assertEquals(said, ScheduleViewModel.duration(millis));
    }

    @Test
    void aCueSaysWhatItFired() {
        ScheduledChange fired = change(1, ScheduledChange.State.FIRED, "drop", null, "ramp-at-drop", null)
                .ended(ScheduledChange.State.FIRED, "schedule", NOW, "change checkout-button to control=20.00% treatment=80.00%");
        assertEquals("Cue drop fired: #1 fired: change checkout-button to control=20.00% treatment=80.00%",
                ScheduleViewModel.outcome(new CueFired("drop", List.of(fired))));
        assertEquals("Cue drop fired: nothing waited for it", ScheduleViewModel.outcome(new CueFired("drop", List.of())));
    }

    @Test
    void aPlaybookIsOfferedOnlyWhenReadyFreshAndTheTokenMayChangeTheShow() {
        PlaybooksViewModel vm = new PlaybooksViewModel(session, mayChange, Background.sameThread(), () -> { });
        List<PlaybookAction> actions = List.of(PlaybookAction.rollback("checkout-button", "treatment", List.of("fra")),
                PlaybookAction.arm("sentiment-guard", true));
        vm.answered(List.of(new Playbook("stop-the-bleed", "", actions, "sentiment-guard", Playbook.State.READY, "config", null, ""),
                new Playbook("ramp", "", actions, null, Playbook.State.HELD, "alice", 4L, "for the drop")), 1_000);
        assertEquals("ready · the node runs it when sentiment-guard fires", vm.rows().getFirst().state());
        assertEquals("roll back checkout-button/treatment at FRA\narm sentiment-guard", vm.rows().getFirst().actions());
        assertEquals("held: request #4 waits for an approver", vm.rows().getLast().state());
        assertEquals(List.of(true, false), vm.rows().stream().map(PlaybooksViewModel.Row::runnable).toList());
        assertEquals(List.of(true, false), vm.rows().stream().map(PlaybooksViewModel.Row::retirable).toList(),
                "a held playbook is not retired: its request is rejected instead");
        assertFalse(vm.retireQuestion(vm.rows().getFirst()).holdToConfirm(), "retiring changes nothing live: a plain confirmation");
        assertTrue(vm.retireQuestion(vm.rows().getFirst()).detail().contains("guardrail sentiment-guard"),
                "the question says the guardrail will no longer run it");
        assertEquals(Status.WARN, vm.rows().getLast().status());
        assertEquals("playbooks: 1 ready of 2", vm.summaryProperty().get());
        assertTrue(vm.runQuestion(vm.rows().getFirst()).holdToConfirm(), "a playbook runs only after a completed hold");
        assertEquals("Not offered: playbook ramp is held: request #4 waits for an approver", vm.whyNot(2));

        mayChange.set(false);
        vm.refresh(2_000);
        assertFalse(vm.runnable(1).isPresent(), "a viewer runs nothing");
        assertFalse(vm.rows().getFirst().retirable(), "nor retires anything");
        mayChange.set(true);
        vm.refresh(1_000 + PlaybooksViewModel.STALE_AFTER_MILLIS + 1);
        assertFalse(vm.runnable(1).isPresent(), "nothing is run from an old list");
        assertTrue(vm.rows().stream().allMatch(r -> r.status() == Status.STALE));
    }

    @Test
    void aRunSaysEveryChangeOrThatNothingNeededChanging() {
        assertEquals("Ran stop-the-bleed at 01:05 as alice, audited as one entry: roll back checkout-button/treatment at fra; arm sentiment-guard",
                PlaybooksViewModel.outcome(new PlaybookRun("stop-the-bleed", "alice", 65_000,
                        List.of("roll back checkout-button/treatment at fra", "arm sentiment-guard")), LiveClocks.rehearsal()));
        assertEquals("Ran stop-the-bleed at 01:05 as alice: everything was already so; nothing changed (the run is audited)",
                PlaybooksViewModel.outcome(new PlaybookRun("stop-the-bleed", "alice", 65_000, List.of()), LiveClocks.rehearsal()));
    }

    @Test
    void onALiveNodeARunSaysWhenOnTheWallClock() {
        assertEquals("Ran stop-the-bleed at " + LiveClocks.wall(65_000) + " as alice: everything was already so; nothing changed"
                        + " (the run is audited)",
                PlaybooksViewModel.outcome(new PlaybookRun("stop-the-bleed", "alice", 65_000, List.of()), LiveClocks.live()));
    }
}
