package io.edgedeck.console;

import io.edgedeck.simulator.bundle.Bundle;
import io.edgedeck.simulator.bundle.BundleManifest;
import io.edgedeck.simulator.bundle.BundleReader;
import javafx.scene.control.Label;
import javafx.scene.control.TableCell;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.util.WaitForAsyncUtils;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A LIVE console as a support engineer uses it on a real node on loopback, while it answers and once it
 * is killed: nothing that is stale looks live, and a bundle holds the node's guardrails, sources and
 * health, and what the console saw of the connection, or says why it does not.
 */
@ExtendWith(ApplicationExtension.class)
class LiveSupportUiTest {
    @TempDir
    Path dir;
    @RegisterExtension
    final TestConsoles.Live live = new TestConsoles.Live();

    private void startNodeAndConsole(FxRobot robot) throws Exception {
        live.node = TestConsoles.startExampleNode(Files.createDirectory(dir.resolve("node")), 0);
        live.connection = TestConsoles.openReconnectingQuickly(live.node);
        live.show(robot, live.connection);
        WaitForAsyncUtils.waitFor(15, TimeUnit.SECONDS, () -> text(robot, "#connection-status").startsWith("Online"));
    }

    private void killNode(FxRobot robot) throws Exception {
        live.node.close();
        live.node = null;
        WaitForAsyncUtils.waitFor(15, TimeUnit.SECONDS, () -> !text(robot, "#connection-status").startsWith("Online"));
    }

    private static String text(FxRobot robot, String query) {
        return FxLookup.onFx(() -> robot.lookup(query).tryQueryAs(Label.class).map(Label::getText).orElse(""));
    }

    /** The Propagation cells of the flags table that show a flag: text and style classes. */
    private static List<String> propagationCells(FxRobot robot) {
        return FxLookup.onFx(() -> robot.lookup("#flags-table .table-cell").queryAll().stream()
                .map(n -> (TableCell<?, ?>) n)
                .filter(c -> c.getTableColumn() != null && "propagation-column".equals(c.getTableColumn().getId())
                        && c.getText() != null && !c.getText().isEmpty())
                .map(c -> c.getText() + " " + c.getStyleClass())
                .toList());
    }

    private static boolean bannerRollbackDisabled(FxRobot robot) {
        return FxLookup.onFx(() -> robot.lookup("#banner-rollback").queryButton().isDisabled());
    }

    private static List<String> auditTimes(FxRobot robot) {
        return cells(robot, "#audit-table", "Time");
    }

    @Test
    void timesAreOnTheWallClockAndPropagationIsMarkedStaleOnceTheNodeIsLost(FxRobot robot) throws Exception {
        startNodeAndConsole(robot);
        robot.interact(() -> live.console.showTab("flags"));
        WaitForAsyncUtils.waitFor(15, TimeUnit.SECONDS, () -> propagationCells(robot).stream().anyMatch(c -> c.startsWith("live at all")));
        assertTrue(propagationCells(robot).stream().noneMatch(c -> c.contains("status-stale")), propagationCells(robot).toString());
        // LIVE: times on the wall clock with the zone named, as the node's logs have them, not the engine's
        java.util.regex.Pattern wall = java.util.regex.Pattern.compile(".*\\b\\d\\d:\\d\\d:\\d\\d [A-Z][A-Za-z0-9+:-]*$");
        String clock = text(robot, "#show-clock");
        assertTrue(wall.matcher(clock).matches(), clock);
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> !auditTimes(robot).isEmpty());
        assertTrue(auditTimes(robot).stream().allMatch(t -> wall.matcher(t).matches()), auditTimes(robot).toString());
        TestConsoles.shootIfAsked(live.console, "flags-live.png");
        assertFalse(bannerRollbackDisabled(robot), "the banner's rollback works while the node is heard");

        killNode(robot);
        // The banner: its clock is the last frame's, and says so; its rollback would only be refused
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> text(robot, "#show-clock").endsWith(" · STALE"));
        assertTrue(bannerRollbackDisabled(robot), "no rollback offered to a node out of reach");
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> propagationCells(robot).stream().anyMatch(c -> c.startsWith("stale since")));
        List<String> cells = propagationCells(robot);
        assertTrue(cells.stream().allMatch(c -> c.startsWith("stale since") && c.contains("· was live at all 3 PoPs")
                && c.contains("status-stale")), cells.toString());
        assertTrue(cells.stream().noneMatch(c -> c.startsWith("live")), "nothing reads as live: " + cells);
        TestConsoles.shootIfAsked(live.console, "flags-node-killed.png");
    }

    /** The cells of {@code table}'s column headed {@code column} that show something. */
    private static List<String> cells(FxRobot robot, String table, String column) {
        return FxLookup.onFx(() -> robot.lookup(table + " .table-cell").queryAll().stream()
                .map(n -> (TableCell<?, ?>) n)
                .filter(c -> c.getTableColumn() != null && column.equals(header(c.getTableColumn()))
                        && c.getText() != null && !c.getText().isEmpty())
                .map(TableCell::getText)
                .toList());
    }

    /** A column's header words: its text, or the label it is drawn with when it is kept at least as wide as them. */
    private static String header(javafx.scene.control.TableColumn<?, ?> column) {
        return column.getText() != null ? column.getText()
                : column.getGraphic() instanceof Label l ? l.getText() : null;
    }

    @Test
    void aRollbackIsDatedOnTheWallClockOnTheTileTheFiringsAndTheFlagsHistory(FxRobot robot) throws Exception {
        startNodeAndConsole(robot);
        live.connection.rollback("checkout-button", "treatment", "admin", "checking the times").get(10, TimeUnit.SECONDS);
        java.util.regex.Pattern wall = java.util.regex.Pattern.compile("\\d\\d:\\d\\d:\\d\\d [A-Z][A-Za-z0-9+:-]*");
        var treatment = live.console.dashboard().viewModel().showTiles().conversion().tile("checkout-button", "treatment");
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> FxLookup.onFx(() -> treatment.actionProperty().get())
                .startsWith("rolled back at"));
        String action = FxLookup.onFx(() -> treatment.actionProperty().get());
        assertTrue(java.util.regex.Pattern.matches("rolled back at " + wall + " by admin", action), action);

        robot.interact(() -> live.console.showTab("guardrails"));
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> !cells(robot, "#firings-table", "Time").isEmpty());
        assertTrue(cells(robot, "#firings-table", "Time").stream().allMatch(t -> wall.matcher(t).matches()),
                cells(robot, "#firings-table", "Time").toString());
        // pre-flight runs in a rehearsal only: no column that could only stay empty, taking the evidence's room
        List<String> ruleColumns = FxLookup.onFx(() -> {
            javafx.scene.control.TableView<?> rules = robot.lookup("#guardrails-table").queryAs(javafx.scene.control.TableView.class);
            return rules.getColumns().stream().filter(javafx.scene.control.TableColumn::isVisible)
                    .map(c -> header(c)).toList();
        });
        assertEquals(List.of("Rule", "Watches", "Armed", "State", ""), ruleColumns, "the evidence's header is a label");

        robot.interact(() -> live.console.showTab("flags"));
        // rolled back to control, not killed and not switched off: the switch column says what is served
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> FxLookup.present(robot, "#switch-note-checkout-button"));
        assertEquals("treatment 0%: control only", FxLookup.onFx(() -> robot.lookup("#switch-note-checkout-button")
                .queryAs(Label.class).getText()));
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> FxLookup.present(robot, "History…"));
        robot.interact(() -> robot.lookup("History…").queryButton().fire());
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> !cells(robot, "#history-table", "When").isEmpty());
        assertTrue(cells(robot, "#history-table", "When").stream().allMatch(t -> wall.matcher(t).matches()),
                cells(robot, "#history-table", "When").toString());
        // The rollback is a firing and a flag.rollback on the timeline: one edge action, not two.
        assertEquals(1, FxLookup.onFx(() -> live.console.dashboard().viewModel().edgeActions().actions().stream()
                .filter(a -> a.concerns("checkout-button", "treatment")).count()).intValue());
    }

    @Test
    void aNodeThatAnswersButSendsNoFramesHasItsPropagationMarkedStaleAndKeepsItsKill(FxRobot robot) throws Exception {
        startNodeAndConsole(robot);
        robot.interact(() -> live.console.showTab("flags"));
        WaitForAsyncUtils.waitFor(15, TimeUnit.SECONDS, () -> propagationCells(robot).stream().anyMatch(c -> c.startsWith("live at all")));
        // The engine held by one task (a hung disk under an fsync, say): the node still answers, no frame comes
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CompletableFuture<Boolean> held = live.node.runner().submit(s -> {
            try {
                return release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        });
        try {
            WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> propagationCells(robot).stream().anyMatch(c -> c.startsWith("stale since")));
            assertTrue(propagationCells(robot).stream().allMatch(c -> c.contains("status-stale")), propagationCells(robot).toString());
            assertTrue(text(robot, "#connection-status").startsWith("Online"), "the connection stands: " + text(robot, "#connection-status"));
            assertFalse(FxLookup.onFx(() -> robot.lookup("#kill-checkout-button").queryButton().isDisabled()),
                    "a node that answers may still take a kill");
        } finally {
            release.countDown();
        }
        assertTrue(held.get(10, TimeUnit.SECONDS));
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> propagationCells(robot).stream().anyMatch(c -> c.startsWith("live at all")));
    }

    private Bundle export(Path zip) throws Exception {
        var export = WaitForAsyncUtils.asyncFx(() -> live.console.jitter().exportTo(zip)).get(5, TimeUnit.SECONDS);
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, export::isDone);
        assertEquals(zip, export.get(), "a bundle is written");
        return BundleReader.read(zip);
    }

    private static String entry(Path zip, String name) throws java.io.IOException {
        try (var z = new java.util.zip.ZipFile(zip.toFile())) {
            var e = z.getEntry(name);
            return e == null ? null : new String(z.getInputStream(e).readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static BundleManifest.Gap gap(Bundle b, String entry) {
        return b.manifest().partial().stream().filter(g -> g.entry().equals(entry)).findFirst().orElse(null);
    }

    @Test
    void aBundleHoldsGuardrailsSourcesHealthAndTheConnectionLogOrSaysWhyNot(FxRobot robot) throws Exception {
        startNodeAndConsole(robot);
        Path up = dir.resolve("up.zip");
        Bundle whole = export(up);
        assertEquals(List.of(), whole.manifest().partial(), "a whole bundle from a node that answers");
        List<String> names = whole.manifest().entries().stream().map(BundleManifest.Entry::name).toList();
        assertTrue(names.containsAll(List.of("guardrails.json", "sources.json", "health.json", "node.json", "connection-log.json")),
                names.toString());
        String guardrails = entry(up, "guardrails.json");
        assertTrue(guardrails.contains("\"sentiment-guard\"") && guardrails.contains("\"armed\"")
                && guardrails.contains("\"conditions\"") && guardrails.contains("\"firings\""), guardrails);
        String sources = entry(up, "sources.json");
        assertTrue(sources.contains("\"kind\"") && sources.contains("\"state\""), sources);
        String health = entry(up, "health.json");
        assertTrue(health.contains("\"httpStatus\" : 200") && health.contains("\"status\" : \"ok\""), health);
        assertTrue(entry(up, "connection-log.json").contains("\"connected\""), entry(up, "connection-log.json"));
        String readme = entry(up, "README.txt");
        for (String name : List.of("guardrails.json", "sources.json", "health.json", "node.json", "connection-log.json")) {
            assertTrue(readme.contains(name), name + " in the README: " + readme);
        }
        // Which builds made it: the console's own version, and the node's as it answered GET /api/v1/node.
        String node = entry(up, "node.json");
        assertTrue(node.contains("\"mode\" : \"live\"") && node.contains("\"startedAt\""), node);
        assertTrue(readme.contains("\nMade by   edgedeck-console " + io.edgedeck.simulator.server.NodeBuild.UNPACKAGED + "\n"), readme);
        assertTrue(readme.contains("\nNode      edgedeck-sim " + io.edgedeck.simulator.server.NodeBuild.version() + ", live, started "),
                readme);

        killNode(robot);
        Path downZip = dir.resolve("down.zip");
        Bundle down = export(downZip);
        BundleManifest.Gap healthGap = gap(down, "health.json");
        assertNotNull(healthGap, down.manifest().partial().toString());
        assertTrue(healthGap.state().equals("missing") && healthGap.why().contains("it is down (")
                && healthGap.why().contains("connection refused"), healthGap.toString());
        BundleManifest.Gap sourcesGap = gap(down, "sources.json");
        assertNotNull(sourcesGap, down.manifest().partial().toString());
        assertTrue(sourcesGap.state().equals("missing") && sourcesGap.why().contains("it was down"), sourcesGap.toString());
        BundleManifest.Gap guardrailsGap = gap(down, "guardrails.json");
        assertNotNull(guardrailsGap, down.manifest().partial().toString());
        assertEquals("partial", guardrailsGap.state(), "the guardrails as the newest frame showed them");
        assertTrue(entry(downZip, "guardrails.json").contains("\"sentiment-guard\""));
        assertEquals(null, entry(downZip, "health.json"), "no health file for a node that is down");
        String log = entry(downZip, "connection-log.json");
        assertTrue(log.contains("\"connected\"") && log.contains("\"disconnected\""), log);
        BundleManifest.Gap nodeGap = gap(down, "node.json");
        assertNotNull(nodeGap, down.manifest().partial().toString());
        assertEquals("missing", nodeGap.state());
        String downReadme = entry(downZip, "README.txt");
        assertTrue(downReadme.contains("\nNode      unknown: the node could not be asked: it was down ("), downReadme);
        assertTrue(downReadme.contains("\nMade by   edgedeck-console "), downReadme);
        assertTrue(downReadme.contains("PARTIAL BUNDLE") && downReadme.contains("health.json: missing")
                && downReadme.contains("sources.json: missing"), downReadme);
        assertFalse(down.manifest().entries().stream().anyMatch(e -> e.name().equals("health.json")));
    }
}
