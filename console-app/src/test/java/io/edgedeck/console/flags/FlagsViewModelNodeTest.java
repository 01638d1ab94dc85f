package io.edgedeck.console.flags;

import io.edgedeck.client.http.HttpEdgeConnection;
import io.edgedeck.client.model.FlagChange;
import io.edgedeck.client.model.FlagView;
import io.edgedeck.client.model.VariantView;
import io.edgedeck.console.common.Background;
import io.edgedeck.console.connection.ConsoleSession;
import io.edgedeck.simulator.server.EdgeNode;
import io.edgedeck.simulator.scenario.NodeConfigParser;
import javafx.beans.property.SimpleStringProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The flags view model against a live node on loopback: what a producer reads when the node refuses a change. */
class FlagsViewModelNodeTest {
    private static final String FLAG = "checkout-button";

    @TempDir
    Path dir;
    /** Stands in for the FX thread: results queue here and the test runs them. */
    private final LinkedBlockingQueue<Runnable> ui = new LinkedBlockingQueue<>();
    private EdgeNode node;
    private HttpEdgeConnection connection;
    private FlagsViewModel vm;

    @BeforeEach
    void start() throws Exception {
        node = EdgeNode.start(EdgeNode.Config.live(NodeConfigParser.resolve(Path.of("..", "docs", "examples", "node-config.json")
                .toString()), InetAddress.getLoopbackAddress(), 0, Files.createDirectory(dir.resolve("node"))));
        connection = HttpEdgeConnection.open(node.baseUri(), Files.readString(node.tokenFile()).trim());
        long until = System.currentTimeMillis() + 15_000;
        while (!connection.status().online()) {
            assertTrue(System.currentTimeMillis() < until, "the console connects");
            Thread.sleep(20);
        }
        Background background = new Background(Runnable::run, ui::add);
        vm = new FlagsViewModel(new ConsoleSession(connection, background), new SimpleStringProperty("ana"), background);
    }

    @AfterEach
    void stop() {
        if (connection != null) {
            connection.close();
        }
        if (node != null) {
            node.close();
        }
    }

    @Test
    void aChangeRefusedBecauseSomeoneChangedTheFlagFirstIsKeptSaidInWordsAndAppliedOnlyWhenConfirmedAgain() throws Exception {
        long until = System.currentTimeMillis() + 15_000;
        while (connection.latestFrame().isEmpty()) {
            assertTrue(System.currentTimeMillis() < until, "a first frame arrives");
            Thread.sleep(20);
        }
        vm.onTick(connection.latestFrame().orElseThrow(), true, 0);
        FlagsViewModel.FlagRow row = vm.row(FLAG);
        FlagView shown = row.flag();
        // another operator moves the flag on while this producer types a reason
        connection.changeFlag(FLAG, new FlagChange(shown.version(), split(4500), null, null, "another desk")).join();

        vm.setWeights(row, split(4000), "push treatment for the drop");
        runUiUntil(() -> vm.draftProperty().get() != null);

        String said = vm.messageProperty().get();
        assertEquals("Not changed: someone changed checkout-button meanwhile: now v" + (shown.version() + 1)
                + ", control 55% · treatment 45%. Your change (control 60% · treatment 40%, \"push treatment for the drop\")"
                + " is kept: apply it on v" + (shown.version() + 1) + " or discard it.", said);
        FlagsViewModel.Draft draft = vm.draftProperty().get();
        assertEquals(split(4000), draft.weights(), "the typed weights are kept");
        assertEquals("push treatment for the drop", draft.reason(), "the typed reason is kept");
        assertEquals(shown.version() + 1, vm.row(FLAG).version(), "the row shows the version the node has now");
        assertEquals(split(4500), flag().variants(), "nothing is applied without a second confirm");

        var ask = vm.draftQuestion(draft);
        assertEquals("Apply on v" + (shown.version() + 1), ask.confirmLabel());
        assertEquals("push treatment for the drop", ask.reason(), "the prompt opens with the reason as typed");
        assertTrue(ask.detail().contains("it is now v" + (shown.version() + 1) + ", control 55% · treatment 45%"), ask.detail());

        vm.applyDraft(draft, draft.weights(), ask.reason());
        runUiUntil(() -> vm.draftProperty().get() == null);
        assertTrue(vm.messageProperty().get().startsWith("checkout-button is now v" + (shown.version() + 2)), vm.messageProperty().get());
        assertEquals(split(4000), flag().variants());
    }

    @Test
    void aRefusalSaysTheNodesWordsNotTheRequestItAnswered() throws Exception {
        FlagsViewModel.FlagRow row = FlagsViewModel.FlagRow.of(flag(), null);

        vm.setWeights(row, row.flag().variants(), "the same again");
        runUiUntil(() -> !vm.messageProperty().get().isEmpty());
        String said = vm.messageProperty().get();
        assertTrue(said.startsWith("Not changed: flag checkout-button already has these weights"), said);
        for (String logText : List.of("HTTP", "http://", "POST", "PATCH", "was refused")) {
            assertFalse(said.contains(logText), "a producer reads no request: " + said);
        }
        assertNull(vm.draftProperty().get(), "only a change based on an old version is kept to apply again");
    }

    /**
     * A change the node refuses for one of its fields names that field in words, whether or not the node's detail does:
     * "is required" alone does not say what is.
     */
    @Test
    void aRefusedChangeNamesTheFieldTheNodeRefused() throws Exception {
        FlagsViewModel.FlagRow row = FlagsViewModel.FlagRow.of(flag(), null);

        vm.setWeights(row, split(1000), "push\u0001treatment");
        runUiUntil(() -> !vm.messageProperty().get().isEmpty());
        assertEquals("Not changed: the reason must not contain control characters (U+0001 at character 5): one line of text",
                vm.messageProperty().get());

        // The engine's detail names what it refused in words of its own: said as it is, without the request's path.
        String before = vm.messageProperty().get();
        vm.setWeights(row, split(-1000), "pull back");
        runUiUntil(() -> !vm.messageProperty().get().equals(before));
        assertEquals("Not changed: weight of 'treatment' is -1000; weights must not be negative", vm.messageProperty().get());
        assertEquals(split(5000), flag().variants(), "nothing changed");
    }

    /** A rehearsal node served over HTTP whose show has ended refuses the change, and the producer reads why. */
    @Test
    void aChangeToAnEndedShowOnARehearsalNodeSaysTheShowHasEnded() throws Exception {
        stop();
        var steady = io.edgedeck.simulator.scenario.ScenarioCatalog.resolve("steady-show");
        var threeSeconds = new io.edgedeck.simulator.scenario.Scenario(steady.name(), steady.description(), steady.seed(), 3,
                steady.frameMillis(), steady.pops(), steady.regions(), steady.audience(), steady.flags(), steady.triggers(),
                steady.guardrails(), List.of(), steady.approvals(), steady.playbooks());
        node = EdgeNode.start(new EdgeNode.Config(io.edgedeck.simulator.show.ShowDefinition.of(threeSeconds), 0,
                InetAddress.getLoopbackAddress(), 0, Files.createDirectory(dir.resolve("rehearsal"))));
        connection = HttpEdgeConnection.open(node.baseUri(), Files.readString(node.tokenFile()).trim());
        Background background = new Background(Runnable::run, ui::add);
        vm = new FlagsViewModel(new ConsoleSession(connection, background), new SimpleStringProperty("ana"), background);
        long until = System.currentTimeMillis() + 15_000;
        while (connection.latestFrame().filter(f -> f.state() == io.edgedeck.client.model.ShowState.FINISHED).isEmpty()) {
            assertTrue(System.currentTimeMillis() < until, "the show ends");
            Thread.sleep(20);
        }
        FlagsViewModel.FlagRow row = FlagsViewModel.FlagRow.of(flag(), null);

        vm.setWeights(row, split(2000), "after the show");
        runUiUntil(() -> !vm.messageProperty().get().isEmpty());
        assertEquals("Not changed: the show ended at 00:03: no one is served any more, so nothing was changed",
                vm.messageProperty().get());
        assertNull(vm.draftProperty().get(), "nothing to apply again on a newer version");
        assertEquals(split(5000), flag().variants());
    }

    private FlagView flag() {
        return connection.flags().join().stream().filter(f -> f.key().equals(FLAG)).findFirst().orElseThrow();
    }

    private static List<VariantView> split(int treatment) {
        return List.of(new VariantView("control", 10_000 - treatment), new VariantView("treatment", treatment));
    }

    private void runUiUntil(BooleanSupplier done) throws InterruptedException {
        while (!done.getAsBoolean()) {
            Runnable r = ui.poll(10, TimeUnit.SECONDS);
            assertNotNull(r, "an answer arrived");
            r.run();
        }
    }
}
