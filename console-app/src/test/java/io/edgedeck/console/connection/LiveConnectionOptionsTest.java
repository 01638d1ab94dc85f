package io.edgedeck.console.connection;

import io.edgedeck.client.ConnectionStatus;
import io.edgedeck.client.model.MetricsFrame;
import io.edgedeck.client.model.ShowState;
import io.edgedeck.console.ConsoleOptions;
import io.edgedeck.console.dashboard.DashboardViewModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LiveConnectionOptionsTest {

    @Test
    void connectAndTokenFileAreRead(@TempDir Path dir) throws Exception {
        Path token = Files.writeString(dir.resolve("token"), "abc\n");
        ConsoleOptions o = ConsoleOptions.parse(List.of("--connect", "http://127.0.0.1:8787", "--token-file", token.toString()));
        assertEquals(URI.create("http://127.0.0.1:8787"), o.connect());
        assertEquals(token, o.tokenFile());
        assertEquals(null, ConsoleOptions.parse(List.of()).connect(), "no --connect: a rehearsal");
        var bad = assertThrows(ConsoleOptions.UsageException.class, () -> ConsoleOptions.parse(List.of("--connect", "127.0.0.1:8787")));
        assertTrue(bad.getMessage().contains("--connect"), bad.getMessage());
        assertThrows(ConsoleOptions.UsageException.class, () -> ConsoleOptions.parse(List.of("--token-file", token.toString())));
        assertTrue(ConsoleOptions.parse(List.of("--connect", "http://10.0.0.5:8787", "--insecure")).insecure());
        assertThrows(ConsoleOptions.UsageException.class, () -> ConsoleOptions.parse(List.of("--insecure")));
    }

    /** On a fleet aggregator a silent node is the fleet's news, not an edge node the console could change gone read-only. */
    @Test
    void onAnAggregatorASilentNodeIsTheFleetsNotAReadOnlyEdgeNode() {
        StatusOnlyConnection connection = new StatusOnlyConnection();
        connection.fleet = true;
        try (ConnectionStatusViewModel vm = new ConnectionStatusViewModel(connection, Runnable::run)) {
            MetricsFrame f = frame(5, ShowState.RUNNING);
            vm.onTick(new MetricsFrame(f.sequence(), f.engineMillis(), f.scenario(), f.seed(), f.state(), f.speed(), f.durationSeconds(),
                    f.pops(), f.variants(), f.checkouts(), f.events(), f.chat(), f.flags(), f.guardrails(), f.firings(), f.triggers(),
                    f.timeline(), null, io.edgedeck.client.model.NodeCondition.readOnly("node node-b silent 35 s, its PoPs show no data")),
                    true, 0);
            assertEquals("Fleet: node node-b silent 35 s, its PoPs show no data", vm.nodeProblemProperty().get());
            assertEquals("Online, aggregator · fleet: node node-b silent 35 s, its PoPs show no data", vm.textProperty().get());
        }
    }

    /**
     * Today's aggregator names the silent node in data: the banner and the status bar tell its seconds by the Fleet tab's
     * count, the headline's figure, and age with it on every tick.
     */
    @Test
    void onAnAggregatorASilentNodesSecondsAreTheFleetTabsCount() {
        StatusOnlyConnection connection = new StatusOnlyConnection();
        connection.fleet = true;
        long now = 1_800_000_000_000L;
        var fleet = new io.edgedeck.console.fleet.FleetViewModel();
        fleet.answered(new io.edgedeck.client.model.FleetView(10, 0, 0, now / 1000, 60, List.of(), List.of(),
                List.of(new io.edgedeck.client.model.FleetView.Node("node-b", List.of("fra"), 5, 0, now - 34_600, 34_600,
                        now / 1000, 0, 0, 3, 0)), null, null, 0), now);
        try (ConnectionStatusViewModel vm = new ConnectionStatusViewModel(connection, Runnable::run)) {
            vm.tellFleetBy(fleet::condition);
            MetricsFrame f = frame(5, ShowState.RUNNING);
            vm.onTick(new MetricsFrame(f.sequence(), f.engineMillis(), f.scenario(), f.seed(), f.state(), f.speed(), f.durationSeconds(),
                    f.pops(), f.variants(), f.checkouts(), f.events(), f.chat(), f.flags(), f.guardrails(), f.firings(), f.triggers(),
                    f.timeline(), null, new io.edgedeck.client.model.NodeCondition(io.edgedeck.client.model.NodeCondition.Status.READ_ONLY,
                    "node node-b silent 36 s, its PoPs show no data", List.of(new io.edgedeck.client.model.NodeCondition.Silent("node-b",
                    now - 34_600)), "")), true, 0);
            fleet.refresh(now + 600);
            vm.retellFleet();
            assertEquals("fleet: 1 node, 0 live · silent: node-b 35 s", fleet.summaryProperty().get());
            assertEquals("Fleet: node node-b silent 35 s, its PoPs show no data", vm.nodeProblemProperty().get());
            assertEquals("Online, aggregator · fleet: node node-b silent 35 s, its PoPs show no data", vm.textProperty().get());
            fleet.refresh(now + 1_600);
            vm.retellFleet();
            assertEquals("Fleet: node node-b silent 36 s, its PoPs show no data", vm.nodeProblemProperty().get());
        }
    }

    private static MetricsFrame frame(long seq, ShowState state) {
        var pop = new io.edgedeck.client.model.PopMetrics("fra", "eu", io.edgedeck.client.model.PopHealth.UP,
                new io.edgedeck.client.model.LatencyWindow(10, 500, 20, 40, 52, 80), io.edgedeck.client.model.LatencyWindow.empty(60),
                3.5, 0.01, 50, 1000, 10, 0, 0, 0, List.of());
        return new MetricsFrame(seq, seq * 250, "steady-show", 7, state, 1, 900, List.of(pop), List.of(),
                new io.edgedeck.client.model.CheckoutCounts(0, 0, 0, 0, 0, 0), new io.edgedeck.client.model.EventCounts(0, 0, 0),
                null, null, null, null, null, null);
    }

    @Test
    void theStatusBarSaysFinishedOnTheTickThatShowsTheFinishedFrameNotAHopLater() {
        StatusOnlyConnection connection = new StatusOnlyConnection();
        List<Runnable> hops = new java.util.ArrayList<>();
        try (ConnectionStatusViewModel vm = new ConnectionStatusViewModel(connection, hops::add)) {
            hops.removeFirst().run();
            vm.onTick(frame(5, ShowState.RUNNING), true, 0);
            assertEquals("Online · connected to http://127.0.0.1:8787", vm.textProperty().get());
            // The connection has changed its status; the hop that carries it to the FX thread has not run.
            connection.set(ConnectionStatus.State.ONLINE, "rehearsal finished: the show played to its end", 10);
            vm.onTick(frame(6, ShowState.FINISHED), true, 0);
            assertEquals("Online · rehearsal finished: the show played to its end", vm.textProperty().get());
            // A status older than the one shown, arriving late, does not turn it back.
            vm.apply(new ConnectionStatus(ConnectionStatus.State.ONLINE, "rehearsal engine running", 5));
            assertEquals("Online · rehearsal finished: the show played to its end", vm.textProperty().get());
        }
    }

    @Test
    void theStatusBarSaysWhyActionsAreRefusedAndTilesGoStaleWhileDisconnected() {
        StatusOnlyConnection connection = new StatusOnlyConnection();
        long wall = 1_796_000_000_000L;
        DashboardViewModel dashboard = new DashboardViewModel(() -> wall);
        try (ConnectionStatusViewModel vm = new ConnectionStatusViewModel(connection, Runnable::run)) {
            vm.onlineProperty().subscribe(dashboard::setConnectionOnline);
            assertEquals("Online · connected to http://127.0.0.1:8787", vm.textProperty().get());

            // a paused show sends no frames and is not stale while the node is heard from
            var paused = frame(5, ShowState.PAUSED);
            dashboard.onTick(paused, true, 0);
            dashboard.onTick(paused, false, 8_000);
            assertFalse(dashboard.staleProperty().get());

            connection.set(ConnectionStatus.State.RECONNECTING, "reconnecting in 2 s: connection refused");
            assertFalse(vm.onlineProperty().get());
            assertEquals("Not connected: reconnecting in 2 s: connection refused; actions refused",
                    vm.textProperty().get());
            dashboard.onTick(paused, false, 9_000);
            assertTrue(dashboard.staleProperty().get());
            assertEquals(io.edgedeck.console.common.Status.STALE, dashboard.tiles().getFirst().statusProperty().get());
            // the wall-clock time of the last frame, to find the moment in the node's logs
            assertEquals("Numbers stale for 9 s (last frame " + io.edgedeck.console.common.WallClock.format(wall) + ")",
                    dashboard.staleMessageProperty().get());

            connection.set(ConnectionStatus.State.ONLINE, "connected to http://127.0.0.1:8787");
            dashboard.onTick(paused, true, 0);
            assertFalse(dashboard.staleProperty().get());
        }
        assertTrue(connection.listeners.isEmpty(), "closing the view model removes its listener");
    }

    @Test
    void aFrameThatArrivedJustBeforeTheConnectionDroppedStillShowsItsTilesGreyed() {
        DashboardViewModel dashboard = new DashboardViewModel();
        dashboard.setConnectionOnline(false);
        dashboard.onTick(frame(3, ShowState.RUNNING), true, 4_000);
        assertEquals(1, dashboard.tiles().size());
        assertEquals(io.edgedeck.console.common.Status.STALE, dashboard.tiles().getFirst().statusProperty().get());
        assertEquals("stale for 4 s", dashboard.tiles().getFirst().healthProperty().get());
    }
}
