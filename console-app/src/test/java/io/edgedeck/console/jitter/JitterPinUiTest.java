package io.edgedeck.console.jitter;

import io.edgedeck.client.EdgeConnection;
import io.edgedeck.console.Console;
import io.edgedeck.console.ConsoleOptions;
import io.edgedeck.console.FxLookup;
import io.edgedeck.console.TestConsoles;
import io.edgedeck.console.connection.Connections;
import javafx.scene.control.TableRow;
import javafx.scene.control.TableView;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Jitter tab's picture follows whichever PoP ranks first until a person picks one: the jitter
 * storm at normal speed, whose first seconds reorder the ranking every second or two.
 */
@ExtendWith(ApplicationExtension.class)
class JitterPinUiTest {
    private EdgeConnection connection;
    private Console console;

    @Start
    void start(Stage stage) throws Exception {
        connection = Connections.open(ConsoleOptions.parse(List.of("--rehearsal", "jitter-storm", "--speed", "1")));
        console = TestConsoles.show(stage, connection);
    }

    @AfterEach
    void close() {
        TestConsoles.close(console, connection);
    }

    @Test
    void theRankingReorderingPinsNothingAndAClickPins(FxRobot robot) throws Exception {
        robot.interact(() -> console.showTab("jitter"));
        JitterViewModel vm = console.jitter().viewModel();
        // Watch the ranking's first PoP change while the picture follows it.
        Set<String> firsts = new LinkedHashSet<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(40);
        while (firsts.size() < 2 && System.nanoTime() < deadline) {
            String first = WaitForAsyncUtils.asyncFx(() -> vm.ranking().isEmpty() ? null : vm.ranking().getFirst().pop())
                    .get(5, TimeUnit.SECONDS);
            if (first != null) {
                firsts.add(first);
            }
            Thread.sleep(200);
        }
        assertTrue(firsts.size() >= 2, "the ranking's first PoP changed during the wait: " + firsts);
        WaitForAsyncUtils.waitForFxEvents();
        Object[] state = WaitForAsyncUtils.asyncFx(() -> new Object[]{vm.pinnedPopProperty().get(),
                vm.pictureProperty().get().pop(), vm.ranking().getFirst().pop()}).get(5, TimeUnit.SECONDS);
        assertNull(state[0], "no one picked a PoP, so none is pinned (first PoPs seen: " + firsts + ")");

        // A person's click on another row pins that PoP.
        @SuppressWarnings("unchecked")
        TableView<JitterViewModel.PopRow> table = robot.from(console.scene().getRoot()).lookup("#jitter-ranking").queryAs(TableView.class);
        TableRow<?> last = FxLookup.drawnRow(table, r -> r.getIndex() == table.getItems().size() - 1, "the ranking's last row");
        assertEquals(clicked(robot, last), WaitForAsyncUtils.asyncFx(() -> vm.pinnedPopProperty().get()).get(5, TimeUnit.SECONDS));
    }

    @Test
    void aClickOnTheRowThePictureFollowsPinsIt(FxRobot robot) throws Exception {
        robot.interact(() -> console.showTab("jitter"));
        JitterViewModel vm = console.jitter().viewModel();
        @SuppressWarnings("unchecked")
        TableView<JitterViewModel.PopRow> table = robot.from(console.scene().getRoot()).lookup("#jitter-ranking").queryAs(TableView.class);
        // The selected row is the PoP the picture follows: a person's click on it is a pick all the same. The table
        // selects it in one pass and draws its row in the next: wait for the drawn row, not only the selection.
        TableRow<?> selected = FxLookup.drawnRow(table, TableRow::isSelected, "the selected row");
        assertNull(WaitForAsyncUtils.asyncFx(() -> vm.pinnedPopProperty().get()).get(5, TimeUnit.SECONDS));
        assertEquals(clicked(robot, selected), WaitForAsyncUtils.asyncFx(() -> vm.pinnedPopProperty().get()).get(5, TimeUnit.SECONDS));
    }

    /**
     * The keys pick as a click does: the selection moved down a row pins that row's PoP, and the pick holds while the
     * ranking goes on reordering under it: every picture drawn while a PoP is pinned is of the pick, and the table's
     * selection is on its row. An answer asked before the pick and landing after it is dropped; this test sees that
     * only when a fetch happens to be in flight at the key press, which is rare: JitterViewModelTest's
     * aFetchAskedBeforeThePickChangedIsNotDrawnWhenItLandsAfter is the one that holds a fetch back to prove it.
     */
    @Test
    void theKeysPickAndThePickHoldsWhileTheRankingReorders(FxRobot robot) throws Exception {
        robot.interact(() -> console.showTab("jitter"));
        JitterViewModel vm = console.jitter().viewModel();
        @SuppressWarnings("unchecked")
        TableView<JitterViewModel.PopRow> table = robot.from(console.scene().getRoot()).lookup("#jitter-ranking").queryAs(TableView.class);
        FxLookup.drawnRow(table, TableRow::isSelected, "the selected row");
        assertNull(WaitForAsyncUtils.asyncFx(() -> vm.pinnedPopProperty().get()).get(5, TimeUnit.SECONDS));
        // The PoP of each picture drawn while a PoP is pinned (the key's pick: a picture drawn before it, of the PoP
        // ranked first, is no fault), and how often the ranking was replaced. Both run on the FX thread, as the pick does.
        List<String> drawn = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.concurrent.atomic.AtomicInteger rankings = new java.util.concurrent.atomic.AtomicInteger();
        javafx.beans.value.ChangeListener<JitterViewModel.Picture> onPicture = (o, old, p) -> {
            if (vm.pinnedPopProperty().get() != null) {
                drawn.add(p == null ? "none" : p.pop());
            }
        };
        javafx.collections.ListChangeListener<JitterViewModel.PopRow> onRanking = c -> rankings.incrementAndGet();
        robot.interact(() -> {
            table.requestFocus();
            table.getFocusModel().focus(0);
        });
        robot.interact(() -> {
            vm.pictureProperty().addListener(onPicture);
            vm.ranking().addListener(onRanking);
        });
        try {
            robot.type(javafx.scene.input.KeyCode.DOWN);
            WaitForAsyncUtils.waitForFxEvents();
            Object[] picked = WaitForAsyncUtils.asyncFx(() -> new Object[] {vm.pinnedPopProperty().get(),
                    table.getSelectionModel().getSelectedItem()}).get(5, TimeUnit.SECONDS);
            assertTrue(picked[0] != null, "the key picked a PoP");
            assertEquals(((JitterViewModel.PopRow) picked[1]).pop(), picked[0], "the PoP selected is the one pinned");
            // The ranking goes on changing: wait for a picture of the pick and two rankings drawn after it.
            WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> drawn.contains((String) picked[0]) && rankings.get() >= 2);
            WaitForAsyncUtils.waitForFxEvents();
            assertEquals(List.of(), drawn.stream().filter(pop -> !pop.equals(picked[0])).toList(),
                    "pictures of another PoP drawn after the pick of " + picked[0] + ": " + drawn);
            Object[] held = WaitForAsyncUtils.asyncFx(() -> new Object[] {vm.pinnedPopProperty().get(),
                    table.getSelectionModel().getSelectedItem()}).get(5, TimeUnit.SECONDS);
            assertEquals(picked[0], held[0], "the pick holds while the ranking's rows are replaced");
            assertEquals(picked[0], ((JitterViewModel.PopRow) held[1]).pop(), "the table's selection stays on the pick");
        } finally {
            robot.interact(() -> {
                vm.pictureProperty().removeListener(onPicture);
                vm.ranking().removeListener(onRanking);
            });
        }
    }

    /** Clicks {@code row}; the PoP it held when the button went down (the ranking reorders as it likes). */
    private static String clicked(FxRobot robot, TableRow<?> row) throws Exception {
        java.util.concurrent.atomic.AtomicReference<String> pressed = new java.util.concurrent.atomic.AtomicReference<>();
        javafx.event.EventHandler<javafx.scene.input.MouseEvent> onPress =
                e -> pressed.set(row.getItem() == null ? null : ((JitterViewModel.PopRow) row.getItem()).pop());
        robot.interact(() -> row.addEventFilter(javafx.scene.input.MouseEvent.MOUSE_PRESSED, onPress));
        robot.clickOn(row);
        WaitForAsyncUtils.waitForFxEvents();
        robot.interact(() -> row.removeEventFilter(javafx.scene.input.MouseEvent.MOUSE_PRESSED, onPress));
        return pressed.get();
    }
}
