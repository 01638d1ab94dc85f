package io.edgedeck.console.sources;

import io.edgedeck.client.model.SourceState;
import io.edgedeck.client.model.SourceStatus;
import io.edgedeck.console.common.Status;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SourcesViewModelTest {
    private static final long NOW = 1_800_000_000_000L;

    private static SourceStatus source(String kind, SourceState state, double rate, long lastEvent, List<SourceStatus.ErrorCount> errors) {
        return new SourceStatus(kind, kind + "-1", state, "why " + kind, 100, 0, rate, lastEvent, errors, Map.of());
    }

    @Test
    void theStatusLineSumsRatesAndErrorsAndNamesTheSourceThatNeedsALook() {
        SourcesViewModel vm = new SourcesViewModel();
        vm.answered(List.of(source("probes", SourceState.CONNECTED, 12, NOW - 500, List.of()),
                source("twitch", SourceState.RECONNECTING, 0.5, NOW - 4000,
                        List.of(new SourceStatus.ErrorCount("connection-lost", 2, "cut", NOW - 3000)))), NOW);
        assertEquals("sources: 2 · 13 ev/s · 2 errors · twitch twitch-1 reconnecting", vm.summaryProperty().get());
        assertEquals(Status.WARN, vm.statusProperty().get());
        assertEquals(List.of(Status.WARN, Status.OK), vm.rows().stream().map(SourcesViewModel.Row::status).toList());
        assertEquals("just now", vm.rows().get(1).lastEvent());
        assertEquals("4 s ago", vm.rows().get(0).lastEvent());
        assertEquals("connection-lost 2", vm.rows().get(0).errors());
        assertEquals("12.0/s · 100", vm.rows().get(1).rate());
    }

    /**
     * On a node whose show runs 20 times the wall clock's pace, the variant tiles count the show's seconds ("no
     * exposures for 600 s of show time") while the node's counters are the wall clock's: the line says which its
     * seconds are, so 30 s here is not read against 600 s there, and so does the table's "Last event" column.
     */
    @Test
    void onANodeFasterThanTheWallClockTheLastEventSaysItsSecondsAreTheWallClocks() {
        SourcesViewModel vm = new SourcesViewModel();
        vm.showSpeed(20);
        vm.answered(List.of(source("ingest", SourceState.LISTENING, 0, NOW - 30_000, List.of())), NOW);
        assertEquals("sources: 1 · none in 10 s · last event 30 s ago (wall clock)", vm.summaryProperty().get());
        assertEquals("Last event\n(wall clock)", vm.lastEventHeaderProperty().get());
        assertEquals("30 s ago", vm.rows().get(0).lastEvent());
        vm.showSpeed(1);
        vm.refresh(NOW);
        assertEquals("sources: 1 · none in 10 s · last event 30 s ago", vm.summaryProperty().get(), "at 1x the clocks agree");
        assertEquals("Last event", vm.lastEventHeaderProperty().get());
    }

    /**
     * After the feed stops, the node's 10 s rates fall to zero well before a source turns quiet (30 s): the line says
     * "none in 10 s" and when the newest event came, in grey, not "0 ev/s" in green; each row says it too. One event
     * in the window makes it a rate again, in colour: a source sending now and then is not greyed between its batches
     * while its batches keep coming within the window.
     */
    @Test
    void aFeedWithNothingInTheWindowIsNotGreen() {
        SourcesViewModel vm = new SourcesViewModel();
        vm.answered(List.of(source("probes", SourceState.CONNECTED, 0, NOW - 14_000, List.of()),
                source("ingest", SourceState.LISTENING, 0, NOW - 12_000, List.of())), NOW);
        assertEquals("sources: 2 · none in 10 s · last event 12 s ago", vm.summaryProperty().get());
        assertEquals(Status.STALE, vm.statusProperty().get());
        assertEquals(List.of("none in 10 s · 100", "none in 10 s · 100"), vm.rows().stream().map(SourcesViewModel.Row::rate).toList());
        assertEquals(List.of(Status.OK, Status.OK), vm.rows().stream().map(SourcesViewModel.Row::status).toList(),
                "quiet only after 30 s");
        vm.answered(List.of(source("probes", SourceState.CONNECTED, 0.1, NOW - 3_000, List.of()),
                source("ingest", SourceState.LISTENING, 0, NOW - 12_000, List.of())), NOW);
        assertEquals("sources: 2 · 0.1 ev/s", vm.summaryProperty().get());
        assertEquals(Status.OK, vm.statusProperty().get());
        // A source that needs a look keeps its colour on a silent feed.
        vm.answered(List.of(source("probes", SourceState.RECONNECTING, 0, NOW - 14_000, List.of()),
                source("ingest", SourceState.LISTENING, 0, NOW - 12_000, List.of())), NOW);
        assertEquals("sources: 2 · none in 10 s · last event 12 s ago · probes probes-1 reconnecting", vm.summaryProperty().get());
        assertEquals(Status.WARN, vm.statusProperty().get());
    }

    /** A retried batch's records count once: the row says how many came again, beside the events they are not in. */
    @Test
    void eachRowShowsItsDuplicates() {
        SourceStatus cdn = new SourceStatus("cdn-logs", "cloudflare", SourceState.LISTENING, "", 2, 1_204, 0.5, NOW - 500, List.of(), Map.of());
        SourcesViewModel vm = new SourcesViewModel();
        vm.answered(List.of(cdn, source("probes", SourceState.CONNECTED, 12, NOW - 500, List.of())), NOW);
        assertEquals(List.of("1,204", "0"), vm.rows().stream().map(SourcesViewModel.Row::duplicates).toList());
        assertEquals("0.5/s · 2", vm.rows().getFirst().rate());
    }

    @Test
    void theCoresCountIsNotAddedToTheConnectorsItCounts() {
        SourcesViewModel vm = new SourcesViewModel();
        vm.answered(List.of(source("probes", SourceState.CONNECTED, 12, NOW, List.of()),
                source("core", SourceState.LISTENING, 12, NOW, List.of(new SourceStatus.ErrorCount("refused-pop", 1, "x", NOW - 9000)))), NOW);
        assertEquals("sources: 2 · 12 ev/s · 1 error", vm.summaryProperty().get());
    }

    @Test
    void aSourceThatFellSilentIsQuietAndAStoppedOneIsBad() {
        SourcesViewModel vm = new SourcesViewModel();
        vm.answered(List.of(source("cdn-logs", SourceState.LISTENING, 0, NOW - 45_000, List.of()),
                source("obs", SourceState.STOPPED, 0, 0, List.of())), NOW);
        assertEquals("listening, quiet", vm.rows().get(1).state());
        assertEquals(Status.WARN, vm.rows().get(1).status());
        assertEquals("never", vm.rows().get(0).lastEvent());
        assertEquals(Status.BAD, vm.statusProperty().get());
    }

    @Test
    void sourcesThatHaveReceivedNothingAreGreyNotGreen() {
        SourceStatus ingest = new SourceStatus("ingest", "apps", SourceState.LISTENING, "", 0, 0, 0, 0, List.of(), Map.of());
        SourceStatus cdn = new SourceStatus("cdn-logs", "logpush", SourceState.LISTENING, "", 0, 0, 0, 0, List.of(), Map.of());
        SourcesViewModel vm = new SourcesViewModel();
        vm.answered(List.of(ingest, cdn), NOW);
        assertEquals("sources: 2 · nothing received yet", vm.summaryProperty().get());
        assertEquals(Status.STALE, vm.statusProperty().get(), "zeros in green would read as a healthy show");
        assertEquals("listening, nothing yet", vm.rows().getFirst().state());
        assertEquals(List.of(Status.STALE, Status.STALE), vm.rows().stream().map(SourcesViewModel.Row::status).toList());

        vm.answered(List.of(source("probes", SourceState.CONNECTED, 12, NOW - 500, List.of()), cdn), NOW);
        assertEquals("sources: 2 · 12 ev/s", vm.summaryProperty().get());
        assertEquals(Status.OK, vm.statusProperty().get(), "one silent source does not grey a line that has traffic");
        assertEquals(List.of(Status.OK, Status.STALE), vm.rows().stream().map(SourcesViewModel.Row::status).toList());
        // The node answered just now, and the silent row is grey: the legend must say why, not blame the node.
        assertTrue(SourcesViewModel.LEGEND.contains("grey row: nothing has come through that source yet"), SourcesViewModel.LEGEND);
    }

    @Test
    void onANodeWhoseEngineFailedNoSourceLooksLikeItWorks() {
        SourcesViewModel vm = new SourcesViewModel();
        vm.answered(List.of(source("probes", SourceState.CONNECTED, 12, NOW, List.of())), NOW);
        assertEquals(Status.OK, vm.statusProperty().get());
        vm.nodeFailed("StackOverflowError: injected");
        vm.refresh(NOW + 250);
        assertEquals(Status.BAD, vm.statusProperty().get());
        assertEquals(List.of(Status.BAD), vm.rows().stream().map(SourcesViewModel.Row::status).toList());
        assertEquals("sources: 1 · taken by nothing: the edge node failed", vm.summaryProperty().get());
        assertEquals("sources: 1 · taken by nothing: the edge node failed\nStackOverflowError: injected", vm.summaryDetailProperty().get());
    }

    @Test
    void withoutAnAnswerLatelyEverythingIsGrey() {
        SourcesViewModel vm = new SourcesViewModel();
        assertEquals(Status.STALE, vm.statusProperty().get());
        vm.answered(List.of(source("probes", SourceState.CONNECTED, 12, NOW, List.of())), NOW);
        vm.failed("UNREACHABLE: not connected", NOW + 5_000);
        assertEquals(Status.OK, vm.statusProperty().get(), "one missed answer is not yet stale");
        vm.refresh(NOW + SourcesViewModel.STALE_AFTER_MILLIS + 1_000);
        assertEquals(Status.STALE, vm.statusProperty().get());
        assertTrue(vm.summaryProperty().get().startsWith("sources: not heard for 11 s"), vm.summaryProperty().get());
        assertEquals(Status.STALE, vm.rows().getFirst().status());
    }

    @Test
    void unheardSourcesSayForHowLongAndKeepTheCauseForTheTooltip() {
        SourcesViewModel vm = new SourcesViewModel();
        vm.answered(List.of(source("probes", SourceState.CONNECTED, 12, NOW - 500, List.of())), NOW);
        String why = "GET http://127.0.0.1:31151/api/v1/sources was not sent: not connected (reconnecting in 7 s)";
        vm.failed(why, NOW + 17_000);
        assertEquals("sources: not heard for 17 s", vm.summaryProperty().get(), "short enough for the status bar");
        assertEquals("sources: not heard for 17 s\ncould not read the node's sources: " + why, vm.summaryDetailProperty().get());

        SourcesViewModel never = new SourcesViewModel();
        never.failed(why, NOW);
        assertEquals("sources: could not be read", never.summaryProperty().get());
        assertTrue(never.summaryDetailProperty().get().endsWith(why), never.summaryDetailProperty().get());
    }

    /**
     * A CDN that sends every batch with the wrong secret has delivered nothing, but it is not silent: grey "nothing
     * yet" would read as a CDN that has not started. The row is amber and says what was refused and why.
     */
    @Test
    void aSourceWhoseEverySendingWasRefusedIsAmberAndSaysWhy() {
        String refusal = "the X-EdgeDeck-Secret header does not carry this endpoint's secret";
        SourceStatus cdn = new SourceStatus("cdn-logs", "cloudflare", SourceState.LISTENING,
                "listening for cloudflare logs at /connectors/cdn/cloudflare", 0, 0, 0, 0,
                List.of(new SourceStatus.ErrorCount("bad-secret", 2, refusal, NOW - 3_000)), Map.of());
        SourcesViewModel vm = new SourcesViewModel();
        vm.answered(List.of(cdn), NOW);
        SourcesViewModel.Row row = vm.rows().getFirst();
        assertEquals(Status.WARN, row.status());
        assertEquals("listening, all refused", row.state());
        assertEquals("bad-secret 3 s ago: " + refusal + " — listening for cloudflare logs at /connectors/cdn/cloudflare", row.why());
        assertEquals(Status.WARN, vm.statusProperty().get());
        assertEquals("sources: 1 · none in 10 s · 2 errors · cdn-logs cloudflare listening, all refused", vm.summaryProperty().get());
    }

    /** Once records come through again, the old refusal stays counted but no longer colours the row or its why. */
    @Test
    void aRefusalOlderThanTheNewestEventNeitherColoursTheRowNorReplacesItsWhy() {
        SourceStatus cdn = new SourceStatus("cdn-logs", "cloudflare", SourceState.LISTENING, "listening", 5, 0, 0.5, NOW - 1_000,
                List.of(new SourceStatus.ErrorCount("bad-secret", 2, "wrong secret", NOW - 3_000)), Map.of());
        SourcesViewModel vm = new SourcesViewModel();
        vm.answered(List.of(cdn), NOW);
        assertEquals(Status.OK, vm.rows().getFirst().status());
        assertEquals("listening", vm.rows().getFirst().why());
        assertEquals("listening", vm.rows().getFirst().state());
    }

    /**
     * A batch answered 503 for not being applied in time colours a quiet kind's row while it is on its way, and no
     * longer once the node says it was applied: the row is what it was before, without waiting for that kind's next event.
     */
    @Test
    void aBatchAnswered503ThatWasAppliedSinceNoLongerColoursTheRow() {
        String late = "a batch was answered 503, not applied within 10 s: it counts once the node catches up";
        SourceStatus waiting = new SourceStatus("ingest", "step", SourceState.LISTENING, "POST /ingest/v1/events", 3, 0, 0.3,
                NOW - 12_000, List.of(new SourceStatus.ErrorCount("not-applied-in-time", 1, late, NOW - 2_000)), Map.of());
        SourcesViewModel vm = new SourcesViewModel();
        vm.answered(List.of(waiting), NOW);
        assertEquals(Status.WARN, vm.rows().getFirst().status());
        assertTrue(vm.rows().getFirst().why().startsWith("not-applied-in-time 2 s ago: " + late), vm.rows().getFirst().why());

        SourceStatus applied = new SourceStatus("ingest", "step", SourceState.LISTENING, "POST /ingest/v1/events", 3, 0, 0.3,
                NOW - 12_000, List.of(new SourceStatus.ErrorCount("not-applied-in-time", 1, late, NOW - 2_000, NOW - 1_000)), Map.of());
        vm.answered(List.of(applied), NOW);
        assertEquals(Status.OK, vm.rows().getFirst().status());
        assertEquals("POST /ingest/v1/events", vm.rows().getFirst().why());
        assertEquals("not-applied-in-time 1", vm.rows().getFirst().errors(), "still counted");
    }

    /** A reconnecting connector already names its failure in its why: the refusal is not said twice. */
    @Test
    void aWhyThatAlreadyNamesTheFailureIsNotRepeated() {
        String cut = "could not connect to 127.0.0.1:6667: Connection refused";
        SourceStatus twitch = new SourceStatus("twitch", "show", SourceState.RECONNECTING, cut + "; trying again in 2.0 s", 9, 0, 0,
                NOW - 20_000, List.of(new SourceStatus.ErrorCount("connect-failed", 4, cut, NOW - 1_000)), Map.of());
        SourcesViewModel vm = new SourcesViewModel();
        vm.answered(List.of(twitch), NOW);
        assertEquals(cut + "; trying again in 2.0 s", vm.rows().getFirst().why());
    }

    /** Between two attempts a connector says "connecting to ...": the failure that keeps it from delivering stays beside it. */
    @Test
    void aConnectorBetweenTwoAttemptsKeepsTheFailureInItsWhy() {
        String timedOut = "could not connect to 127.0.0.1:6667: Connect timed out";
        SourceStatus twitch = new SourceStatus("twitch", "show", SourceState.CONNECTING, "connecting to 127.0.0.1:6667", 9, 0, 0,
                NOW - 40_000, List.of(new SourceStatus.ErrorCount("connect-failed", 4, timedOut, NOW - 5_000)), Map.of());
        SourcesViewModel vm = new SourcesViewModel();
        vm.answered(List.of(twitch), NOW);
        assertEquals("connect-failed 5 s ago: " + timedOut + " — connecting to 127.0.0.1:6667", vm.rows().getFirst().why());
        assertEquals(Status.WARN, vm.rows().getFirst().status());
    }

    /** Connected again after failing, with no chat yet: grey "nothing yet", not amber, and no old error in its why. */
    @Test
    void aConnectedSourceThatFailedBeforeIsNotShownAsFailing() {
        SourceStatus twitch = new SourceStatus("twitch", "show", SourceState.CONNECTED, "reading #show", 0, 0, 0, 0,
                List.of(new SourceStatus.ErrorCount("connect-failed", 2, "could not connect", NOW - 5_000)), Map.of());
        SourcesViewModel vm = new SourcesViewModel();
        vm.answered(List.of(twitch), NOW);
        assertEquals(Status.STALE, vm.rows().getFirst().status());
        assertEquals("connected, nothing yet", vm.rows().getFirst().state());
        assertEquals("reading #show", vm.rows().getFirst().why());
    }

    /**
     * Probes to fra and ams answer while iad's are refused: the newest event and the newest error take turns from one
     * answer to the next. The row stays amber, naming iad, for as long as iad's newest round lost every probe, and is
     * white once a round of iad answers again, whichever came last; the why is the node's, as it was.
     */
    @Test
    void aProbesRowIsSteadyWhileOnePopAnswersNoneOfItsNewestRound() {
        String why = "no answer from iad (tcp) in the last round: could not connect to iad:443: Connection refused (PoP iad);"
                + " probing 3 PoPs: 20 probes every 5.0 s each";
        SourcesViewModel vm = new SourcesViewModel();
        for (int i = 0; i < 6; i++) {
            long now = NOW + i * 250L;
            boolean eventLast = i % 2 == 0;
            SourceStatus probes = new SourceStatus("probes", "probes", SourceState.CONNECTED, why, 100 + i, 0, 12,
                    eventLast ? now - 10 : now - 120, List.of(new SourceStatus.ErrorCount("connect-failed", 10 + i,
                    "could not connect to iad:443: Connection refused (PoP iad)", eventLast ? now - 120 : now - 10)), Map.of(),
                    List.of("iad (tcp)"));
            vm.answered(List.of(probes), now);
            SourcesViewModel.Row row = vm.rows().getFirst();
            assertEquals(Status.WARN, row.status(), "answer " + i + (eventLast ? ", an event newest" : ", an error newest"));
            assertEquals("connected, no answer from iad (tcp)", row.state());
            assertEquals(why, row.why(), "the why is the node's");
            assertTrue(vm.summaryProperty().get().endsWith("probes probes connected, no answer from iad (tcp)"), vm.summaryProperty().get());
        }
        // iad answers a round again; an error of the round before is still the newest thing told
        SourceStatus answered = new SourceStatus("probes", "probes", SourceState.CONNECTED, "probing 3 PoPs: 20 probes every 5.0 s each",
                200, 0, 12, NOW + 1_900, List.of(new SourceStatus.ErrorCount("connect-failed", 20, "refused", NOW + 2_000)), Map.of(), List.of());
        vm.answered(List.of(answered), NOW + 2_000);
        assertEquals(Status.OK, vm.rows().getFirst().status());
        assertEquals("connected", vm.rows().getFirst().state());
    }

    /** Eight grey rows of sources that sent nothing yet must not push the one that fails below the fold. */
    @Test
    void rowsThatNeedALookComeFirstRedThenAmberEachInTheNodesOrder() {
        SourceStatus grey = new SourceStatus("ingest", "exposure", SourceState.LISTENING, "", 0, 0, 0, 0, List.of(), Map.of());
        SourcesViewModel vm = new SourcesViewModel();
        vm.answered(List.of(grey, source("probes", SourceState.CONNECTED, 12, NOW - 500, List.of()),
                source("twitch", SourceState.RECONNECTING, 0, NOW - 9_000, List.of()),
                source("obs", SourceState.STOPPED, 0, 0, List.of()),
                source("cdn-logs", SourceState.LISTENING, 0, NOW - 45_000, List.of())), NOW);
        assertEquals(List.of("obs · obs-1", "twitch · twitch-1", "cdn-logs · cdn-logs-1", "ingest · exposure", "probes · probes-1"),
                vm.rows().stream().map(SourcesViewModel.Row::source).toList());
    }
}
