package io.edgedeck.console.flags;

import io.edgedeck.client.model.FlagChange;
import io.edgedeck.client.model.FlagView;
import io.edgedeck.console.Console;
import io.edgedeck.console.TestConsoles;
import io.edgedeck.console.connection.Connections;
import javafx.scene.Node;
import javafx.scene.control.TableCell;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A rehearsal whose flag is scoped to one of the show's PoPs: the Flags tab's Scope column writes the PoP in capitals
 * ("pop:FRA"), as every other tab does, and so does the audit's line of the change, while the flag's row keeps the node's scope ("pop:fra") for what it sends.
 */
@ExtendWith(ApplicationExtension.class)
class FlagsScopeUiTest {
    private Stage stage;

    @Start
    void start(Stage stage) {
        this.stage = stage;
    }

    @Test
    void aPopScopeIsWrittenInCapitalsAndKeptAsSent(FxRobot robot) throws Exception {
        var rehearsal = Connections.rehearse("steady-show", 7L, 1);
        Console[] shown = new Console[1];
        robot.interact(() -> shown[0] = TestConsoles.show(stage, rehearsal));
        Console console = shown[0];
        try {
            WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> rehearsal.latestFrame().isPresent());
            String pop = rehearsal.latestFrame().orElseThrow().pops().getFirst().id();
            assertEquals(pop.toLowerCase(Locale.ROOT), pop, "the node's PoP ids are in lower case");
            FlagView flag = rehearsal.flags().join().getFirst();
            rehearsal.changeFlag(flag.key(), new FlagChange(flag.version(), flag.variants(), "pop:" + pop, "stage-producer",
                    "only where the stage is")).join();
            robot.interact(() -> console.showTab("flags"));
            WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> {
                robot.interact(() -> console.ticker().tick());
                return console.flags().viewModel().rows().stream().anyMatch(r -> ("pop:" + pop).equals(r.scope()));
            });
            List<String> scopes = column(robot, console, "Scope");
            assertTrue(scopes.contains("pop:" + pop.toUpperCase(Locale.ROOT)), "the Scope column says: " + scopes);
            assertTrue(scopes.stream().noneMatch(s -> s.equals("pop:" + pop)), "no PoP in lower case: " + scopes);
            // The audit's line of the change names the PoP in capitals too.
            WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> {
                robot.interact(() -> console.ticker().tick());
                return column(robot, console, "What changed · before → after").stream().anyMatch(t -> t.contains("scope=pop:"));
            });
            List<String> changes = column(robot, console, "What changed · before → after");
            assertTrue(changes.stream().anyMatch(t -> t.contains("scope=pop:" + pop.toUpperCase(Locale.ROOT))), changes.toString());
            assertTrue(changes.stream().noneMatch(t -> t.contains("pop:" + pop + " ") || t.endsWith("pop:" + pop)), changes.toString());
            // The row, which the changes are made from, keeps the node's own scope.
            assertTrue(console.flags().viewModel().rows().stream().anyMatch(r -> ("pop:" + pop).equals(r.scope())));
        } finally {
            console.ticker().close();
            console.session().connection().close();
        }
    }

    /** The texts of the cells shown in the column titled {@code title}. */
    private static List<String> column(FxRobot robot, Console console, String title) {
        List<String> texts = new ArrayList<>();
        robot.interact(() -> {
            console.scene().getRoot().applyCss();
            console.scene().getRoot().layout();
            for (Node n : console.scene().getRoot().lookupAll(".table-cell")) {
                if (n instanceof TableCell<?, ?> cell && cell.getTableColumn() != null && title.equals(cell.getTableColumn().getText())
                        && !cell.isEmpty()) {
                    String text = cell.getText() != null ? cell.getText()
                            : cell.getGraphic() instanceof javafx.scene.control.Labeled l ? l.getText()
                            : cell.getGraphic() instanceof javafx.scene.text.Text t ? t.getText() : null;
                    if (text != null) {
                        texts.add(text);
                    }
                }
            }
        });
        return texts;
    }
}
