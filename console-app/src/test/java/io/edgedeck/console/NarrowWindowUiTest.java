package io.edgedeck.console;

import io.edgedeck.client.EdgeConnection;
import io.edgedeck.console.connection.Connections;
import javafx.scene.Node;
import javafx.scene.Parent;
import javafx.scene.control.ScrollBar;
import javafx.geometry.Orientation;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * In a window 600 px wide (a laptop's half screen beside the show) and 1000 px wide (a laptop beside the show) the
 * Dashboard's tiles and the Jitter tab's controls, ranking and chart reflow into the width: nothing is drawn past the
 * window's right edge, no horizontal scroll bar is needed to reach it, and no table's column header is cut. A narrow tab
 * may scroll down, and then has a scroll bar to do so. At 1000 px the Jitter tab's chart stays beside the ranking.
 * At 600 px and at the usual 1320 px the Guardrails and Timeline tabs, past sentiment-crash's rollback, read whole too:
 * no word of theirs cut to "…" (the Roll back button's included), and no name in a table broken inside itself.
 */
@ExtendWith(ApplicationExtension.class)
class NarrowWindowUiTest {
    private EdgeConnection connection;
    private Console console;
    private Stage stage;

    @Start
    void start(Stage stage) throws Exception {
        this.stage = stage;
        connection = Connections.open(ConsoleOptions.parse(List.of("--rehearsal", "jitter-storm", "--speed", "20")));
        console = TestConsoles.show(stage, connection);
    }

    @AfterEach
    void close() {
        if (console != null) {
            TestConsoles.close(console, connection);
        }
    }

    @Test
    void at600And1000PxTheDashboardAndTheJitterTabNeedNoHorizontalScroll(FxRobot robot) throws Exception {
        // Narrow before the first picture, as a console opened at 600 px is: the ranking's header then grows from
        // "now" to the second it names while the table is narrow.
        robot.interact(() -> {
            stage.setWidth(600);
            console.showTab("jitter");
        });
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> FxLookup.onFx(() -> {
            var p = console.jitter().viewModel().pictureProperty().get();
            return p != null && p.toSecond() > 300;
        }));
        List<String> beyond = new ArrayList<>();
        // Then wider and narrower again: a table must give back the width its columns took on the wider window.
        for (int width : List.of(600, 1000, 600, 1000)) {
            beyond.addAll(at(robot, width));
        }
        assertEquals(List.of(), beyond, "drawn past the right edge of the window, reached by a horizontal scroll bar,"
                + " or a column header cut");
    }

    @Test
    void at600PxTheGuardrailsAndTimelineTabsReadWhole(FxRobot robot) throws Exception {
        // A show with a guardrail, a rollback and marks: sentiment-crash, past its rollback at 05:15.
        rehearse(robot, "sentiment-crash", "40");
        robot.interact(() -> {
            stage.setWidth(600);
            stage.setHeight(800);
        });
        WaitForAsyncUtils.waitFor(40, TimeUnit.SECONDS, () -> FxLookup.onFx(() -> !console.guardrails().viewModel().firings().isEmpty()
                && console.timeline().viewModel().marks().stream().anyMatch(m -> m.kind()
                == io.edgedeck.console.timeline.TimelineViewModel.MarkKind.ROLLBACK)));
        List<String> cut = new ArrayList<>();
        for (int width : List.of(600, 1320, 600)) {
            robot.interact(() -> {
                stage.setWidth(width);
                stage.setHeight(width >= 1320 ? 820 : 800);
            });
            for (String tab : List.of("guardrails", "timeline")) {
                robot.interact(() -> console.showTab(tab));
                cut.addAll(FxLookup.onFx(() -> {
                    settle();
                    List<String> found = new ArrayList<>();
                    String where = tab + " at " + width + " px";
                    Node view = tab.equals("guardrails") ? console.guardrails().view() : console.timeline().view();
                    walk(view, console.scene().getWidth(), where, found);
                    wordsCut(view, where, found);
                    return found;
                }));
                TestConsoles.shootIfAsked(console, "narrow-" + tab + "-" + width + ".png");
                if (tab.equals("guardrails")) {
                    // and scrolled down to the firings, where the tab scrolls
                    robot.interact(() -> {
                        for (Node n : console.guardrails().view().lookupAll(".scroll-pane")) {
                            if (n instanceof javafx.scene.control.ScrollPane sp) {
                                sp.setVvalue(sp.getVmax());
                            }
                        }
                    });
                    TestConsoles.shootIfAsked(console, "narrow-" + tab + "-" + width + "-down.png");
                    robot.interact(() -> console.guardrails().view().lookupAll(".scroll-pane").forEach(n -> {
                        if (n instanceof javafx.scene.control.ScrollPane sp) {
                            sp.setVvalue(0);
                        }
                    }));
                }
            }
        }
        assertEquals(List.of(), cut, "words cut short, names broken inside themselves, drawn past the right edge, reached"
                + " by a horizontal scroll bar, or a column header cut");
    }

    /** At 600 px the banner's Roll back button reads whole: the scenario's name beside it gives way first. */
    @Test
    void at600PxTheBannersRollBackButtonReadsWhole(FxRobot robot) throws Exception {
        robot.interact(() -> {
            TestConsoles.close(console, connection);
            try {
                // At normal speed the variant stays offered for minutes: the button is there to be read.
                connection = Connections.open(ConsoleOptions.parse(List.of("--rehearsal", "sentiment-crash")));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            console = TestConsoles.show(stage, connection);
            stage.setWidth(600);
            stage.setHeight(800);
        });
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> FxLookup.onFx(() -> {
            Node button = console.scene().lookup("#banner-rollback");
            return button != null && button.isVisible();
        }));
        List<String> cut = FxLookup.onFx(() -> {
            settle();
            List<String> found = new ArrayList<>();
            wordsCut(console.scene().lookup("#banner-rollback"), "the banner at 600 px", found);
            return found;
        });
        TestConsoles.shootIfAsked(console, "narrow-banner-600.png");
        assertEquals(List.of(), cut, "the banner's Roll back button cut short");
    }

    /**
     * A live node's rule with a long name (32 characters, the most a name may have), on a flag with a long name, and
     * three conditions: at 1,320 and 1,000 px the Guardrails tab needs no sideways scroll, in whichever form its columns
     * fit (these names and this evidence need about 1,335 px side by side: the narrow form at 1,000 px, rather than the
     * sideways scroll a fixed switch at 820 px gave); the rule's row is as tall as its text, the third condition read
     * whole; and widened and narrowed again it does the same.
     */
    @Test
    void longNamesAndThreeConditionsReadWholeOnTheGuardrailsTab(FxRobot robot, @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        var node = threeConditions(robot, dir, true);
        try {
            List<String> cut = new ArrayList<>();
            for (int width : List.of(1320, 1000, 600, 1320, 1000, 600)) {
                robot.interact(() -> {
                    stage.setWidth(width);
                    stage.setHeight(width >= 1320 ? 820 : 700);
                });
                Object[] read = FxLookup.onFx(() -> {
                    settle();
                    List<String> found = new ArrayList<>();
                    String where = "guardrails at " + width + " px";
                    walk(console.guardrails().view(), console.scene().getWidth(), where, found);
                    wordsCut(console.guardrails().view(), where, found);
                    rowsCut(console.guardrails().view(), where, found);
                    rowsTooTall(console.guardrails().view(), where, found);
                    namesBrokenInside(console.guardrails().view(), where, found);
                    javafx.scene.control.TableView<?> t = (javafx.scene.control.TableView<?>) console.guardrails().view().lookup("#guardrails-table");
                    return new Object[] {found, t.getColumns().getFirst().isVisible(), "the table " + Math.round(t.getWidth())
                            + " px wide, its columns' least widths " + t.getColumns().stream().map(c -> Math.round(c.getMinWidth())).toList()};
                });
                @SuppressWarnings("unchecked")
                List<String> found = (List<String>) read[0];
                cut.addAll(found);
                if (width <= 1000) {
                    assertEquals(true, read[1], "the narrow form at " + width + " px: " + read[2]);
                }
                TestConsoles.shootIfAsked(console, "narrow-guardrails-long-" + width + ".png");
            }
            assertEquals(List.of(), cut, "words cut short, names broken inside themselves, drawn past the right edge, reached"
                    + " by a horizontal scroll bar, or a row shorter than its text");
        } finally {
            robot.interact(() -> TestConsoles.close(console, connection));
            console = null;
            node.close();
        }
    }

    /**
     * The Guardrails form follows the window's width and the rules shown, never a frame's evidence: held still across a
     * rollback (the evidence starts again, its lines shorter) and the frames after it, it does not change; it takes the
     * narrow form 1 px under the full form's least widths and the full form again only 40 px over them.
     */
    @Test
    void theGuardrailsFormHoldsStillWithTheWindowAndSwitchesBothWaysAtItsLeastWidths(FxRobot robot,
            @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        var node = threeConditions(robot, dir, false);
        try {
            javafx.scene.control.TableView<?> t = FxLookup.onFx(() -> (javafx.scene.control.TableView<?>) console.guardrails().view()
                    .lookup("#guardrails-table"));
            tableAt(robot, t, 1500);
            double need = FxLookup.onFx(() -> fullNeeds(t));
            List<String> wrong = new ArrayList<>();
            // {content width, narrow expected}: at the need, under it, in the margin, past it, back down
            double[][] steps = {{need, 0}, {need - 1, 1}, {need + 39, 1}, {need + 20, 1}};
            for (double[] step : steps) {
                formAt(robot, t, step[0], step[1] == 1, need, wrong);
            }
            // Held at need + 20 px in the narrow form: a rollback and the frames after it change the evidence's words.
            List<Boolean> forms = new java.util.concurrent.CopyOnWriteArrayList<>();
            List<String> evidence = new java.util.concurrent.CopyOnWriteArrayList<>();
            javafx.beans.value.ChangeListener<Boolean> form = (o, was, now) -> forms.add(now);
            javafx.collections.ListChangeListener<Object> frames = c -> evidence.add(console.guardrails().viewModel().rows().isEmpty()
                    ? "" : console.guardrails().viewModel().rows().getFirst().conditions());
            robot.interact(() -> {
                t.getColumns().getFirst().visibleProperty().addListener(form);
                console.guardrails().viewModel().rows().addListener(frames);
            });
            connection.rollback("checkout-button", "treatment", "stage-producer", "the form holds still").get(10, TimeUnit.SECONDS);
            // the rule's rows change when their words do: the rollback's frame resets the evidence
            WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> !evidence.isEmpty());
            FxLookup.onFx(() -> {
                settle();
                return null;
            });
            robot.interact(() -> {
                t.getColumns().getFirst().visibleProperty().removeListener(form);
                console.guardrails().viewModel().rows().removeListener(frames);
            });
            assertEquals(List.of(), forms, "the form changed with the window held still at " + Math.round(need + 20)
                    + " px while the evidence read: " + evidence.stream().distinct().toList());
            assertEquals(need, FxLookup.onFx(() -> fullNeeds(t)), 0.5, "the full form's least widths moved with the evidence");
            for (double[] step : new double[][] {{need + 40, 0}, {need, 0}, {need - 1, 1}}) {
                formAt(robot, t, step[0], step[1] == 1, need, wrong);
            }
            assertEquals(List.of(), wrong);
        } finally {
            robot.interact(() -> TestConsoles.close(console, connection));
            console = null;
            node.close();
        }
    }

    /** The sum of the full form's columns' least widths, as the rules table reads it (a live node: no pre-flight). FX thread. */
    private static double fullNeeds(javafx.scene.control.TableView<?> t) {
        double sum = 0;
        for (int i = 3; i < 8; i++) {
            sum += t.getColumns().get(i).getMinWidth();
        }
        return sum;
    }

    /** Sizes the window until the rules table's content is {@code content} px wide. */
    private void tableAt(FxRobot robot, javafx.scene.control.TableView<?> t, double content) throws Exception {
        for (int i = 0; i < 6; i++) {
            double off = FxLookup.onFx(() -> {
                settle();
                return content - (t.getWidth() - t.snappedLeftInset() - t.snappedRightInset());
            });
            if (Math.abs(off) < 0.5) {
                return;
            }
            robot.interact(() -> stage.setWidth(stage.getWidth() + off));
        }
    }

    /** Adds to {@code wrong} what is wrong with the rules table's form once its content is {@code content} px wide. */
    private void formAt(FxRobot robot, javafx.scene.control.TableView<?> t, double content, boolean narrow, double need,
            List<String> wrong) throws Exception {
        tableAt(robot, t, content);
        String read = FxLookup.onFx(() -> {
            settle();
            double w = t.getWidth() - t.snappedLeftInset() - t.snappedRightInset();
            boolean is = t.getColumns().getFirst().isVisible();
            return Math.abs(w - content) > 0.5 ? "the table could not be sized to " + content + " px (" + w + ")"
                    : is != narrow ? "at " + Math.round(content - need) + " px from the full form's least widths the "
                    + (is ? "narrow" : "full") + " form" : null;
        });
        if (read != null) {
            wrong.add(read);
        }
    }

    /**
     * A live node whose example rule has three conditions (and long names where {@code longNames}), the console on its
     * Guardrails tab once the rule's evidence is in.
     */
    private io.edgedeck.simulator.server.EdgeNode threeConditions(FxRobot robot, java.nio.file.Path dir, boolean longNames)
            throws Exception {
        String config = java.nio.file.Files.readString(java.nio.file.Path.of("..", "docs", "examples", "node-config.json"))
                .replace("{ \"metric\": \"conversionLift\", \"op\": \"<\", \"value\": 0.03 }",
                        "{ \"metric\": \"conversionLift\", \"op\": \"<\", \"value\": 0.03 },"
                                + " { \"metric\": \"sentimentChange\", \"op\": \"<\", \"value\": -0.3 }");
        if (longNames) {
            config = config.replace("checkout-button", "checkout-button-under-the-player")
                    .replace("\"sentiment-guard\"", "\"sentiment-guard-one-tap-checkout\"");
        }
        java.nio.file.Path file = java.nio.file.Files.writeString(dir.resolve("node-config.json"), config);
        java.nio.file.Path data = java.nio.file.Files.createDirectory(dir.resolve("node"));
        var node = io.edgedeck.simulator.server.EdgeNode.start(io.edgedeck.simulator.server.EdgeNode.Config.live(
                io.edgedeck.simulator.scenario.NodeConfigParser.resolve(file.toString()), java.net.InetAddress.getLoopbackAddress(), 0, data, 1));
        robot.interact(() -> {
            TestConsoles.close(console, connection);
            try {
                connection = TestConsoles.connect(node);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            console = TestConsoles.show(stage, connection);
            console.showTab("guardrails");
        });
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> FxLookup.onFx(() -> !console.guardrails().viewModel().rows().isEmpty()
                && console.guardrails().viewModel().rows().getFirst().conditions().split("\n").length >= 3));
        return node;
    }

    /**
     * A rehearsal's rule on the Guardrails tab, in the narrow form (1,000 px, the pre-flight's column taking the room) and
     * the full one (1,320 px), and again after each: each rule's row is as tall as the tallest of its cells' contents at
     * the column's width (its words, the armed state and its button), with nothing but the cells' padding to spare.
     */
    @Test
    void eachRulesRowIsAsTallAsItsTextInBothForms(FxRobot robot) throws Exception {
        rehearse(robot, "sentiment-crash", "20");
        robot.interact(() -> console.showTab("guardrails"));
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> FxLookup.onFx(() -> !console.guardrails().viewModel().rows().isEmpty()));
        List<String> tall = new ArrayList<>();
        for (int width : List.of(1000, 1320, 1000, 600)) {
            robot.interact(() -> {
                stage.setWidth(width);
                stage.setHeight(width >= 1320 ? 820 : 700);
            });
            WaitForAsyncUtils.sleep(300, TimeUnit.MILLISECONDS);
            tall.addAll(FxLookup.onFx(() -> {
                settle();
                List<String> found = new ArrayList<>();
                rowsTooTall(console.guardrails().view(), "guardrails at " + width + " px", found);
                rowsCut(console.guardrails().view(), "guardrails at " + width + " px", found);
                return found;
            }));
            TestConsoles.shootIfAsked(console, "guardrails-rows-" + width + ".png");
        }
        assertEquals(List.of(), tall, "rows taller than what they hold, or shorter than their text");
    }

    /** This test's console replaced by one rehearsing {@code scenario} at {@code speed}. */
    private void rehearse(FxRobot robot, String scenario, String speed) {
        robot.interact(() -> {
            TestConsoles.close(console, connection);
            try {
                connection = Connections.open(ConsoleOptions.parse(List.of("--rehearsal", scenario, "--speed", speed)));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            console = TestConsoles.show(stage, connection);
        });
    }

    /**
     * Adds to {@code found} each drawn row of the rules table taller than the tallest of its cells' contents laid out at
     * its column's width, by more than the row's border (space no line fills), and each cell given less height than its
     * contents need there (a line cut off, as the armed state's "last fired" once was).
     */
    private static void rowsTooTall(Node view, String where, List<String> found) {
        Node table = view.lookup("#guardrails-table");
        for (Node n : table.lookupAll(".table-row-cell")) {
            if (!(n instanceof javafx.scene.control.TableRow<?> row) || row.isEmpty() || !row.isVisible()) {
                continue;
            }
            double need = 0;
            for (Node c : row.getChildrenUnmodifiable()) {
                if (c instanceof javafx.scene.control.TableCell<?, ?> cell && cell.isVisible()) {
                    double cellNeeds = cell.prefHeight(cell.getWidth());
                    need = Math.max(need, cellNeeds);
                    if (cellNeeds > cell.getHeight() + 0.5) {
                        found.add(where + ": a cell of the rule's row needs " + Math.round(cellNeeds) + " px, given "
                                + Math.round(cell.getHeight()) + " px in a row " + Math.round(row.getHeight()) + " px tall");
                    }
                }
            }
            if (row.getHeight() > need + row.snappedTopInset() + row.snappedBottomInset() + 2) {
                found.add(where + ": the rule's row is " + Math.round(row.getHeight()) + " px tall for " + Math.round(need)
                        + " px of cells");
            }
        }
    }

    /**
     * Adds to {@code found} each line of a drawn cell of a table's first column (the rules' and the firings' names) wider
     * than the cell leaves it: wrapped by the text itself, inside a part of a name ("sentiment-guard-o" over "ne-tap").
     */
    private static void namesBrokenInside(Node view, String where, List<String> found) {
        for (Node n : everything(view, new ArrayList<>())) {
            if (n instanceof javafx.scene.control.TableCell<?, ?> cell && !cell.isEmpty() && visibleUp(cell)
                    && cell.getTableColumn() != null && cell.getTableView().getVisibleLeafColumns().indexOf(cell.getTableColumn()) == 0
                    && cell.getGraphic() instanceof javafx.scene.text.Text text && text.getText() != null) {
                for (String line : text.getText().split("\n")) {
                    double w = io.edgedeck.console.common.Tables.textWidth(line, text.getFont());
                    if (w > text.getWrappingWidth() + 0.5) {
                        found.add(where + ": \"" + line + "\" is " + Math.round(w) + " px wide in a cell that wraps at "
                                + Math.round(text.getWrappingWidth()) + " px: broken inside a part of a name");
                    }
                }
            }
        }
    }

    /** Adds to {@code found} each drawn table cell whose text, wrapped in it, is taller than its row: the rest cut off. */
    private static void rowsCut(Node view, String where, List<String> found) {
        for (Node n : everything(view, new ArrayList<>())) {
            if (n instanceof javafx.scene.control.TableCell<?, ?> cell && !cell.isEmpty() && visibleUp(cell)
                    && cell.getGraphic() instanceof javafx.scene.text.Text text && text.getText() != null
                    && text.getLayoutBounds().getHeight() > cell.getHeight() - cell.snappedTopInset() - cell.snappedBottomInset() + 0.5) {
                found.add(where + ": \"" + text.getText().replace("\n", " / ") + "\" is " + Math.round(text.getLayoutBounds().getHeight())
                        + " px tall in a row " + Math.round(cell.getHeight()) + " px tall");
            }
        }
    }

    /**
     * Adds to {@code found} each visible label, button or cell under {@code view} whose words are cut short to "…", and
     * each table cell that wraps a word inside itself (a word wider than the cell: "sent / ime / nt-g / uard").
     */
    private static void wordsCut(Node view, String where, List<String> found) {
        for (Node n : everything(view, new ArrayList<>())) {
            if (!(n instanceof javafx.scene.control.Labeled l) || !l.isVisible() || !visibleUp(l) || l.getText() == null
                    || l.getText().isEmpty()) {
                continue;
            }
            boolean inTable = false;
            for (Node p = l.getParent(); p != null && !inTable; p = p.getParent()) {
                inTable = p instanceof javafx.scene.control.TableView<?>;
            }
            // A table's headers and cells cut short are named by walk
            if (l.isTextTruncated() && !inTable) {
                found.add(where + ": " + describe(l) + " is cut short");
            } else if (l instanceof javafx.scene.control.IndexedCell<?> cell && !cell.isEmpty() && l.isWrapText()) {
                double room = l.getWidth() - l.snappedLeftInset() - l.snappedRightInset();
                for (String word : l.getText().split("\\s+")) {
                    double w = io.edgedeck.console.common.Tables.textWidth(word, l.getFont());
                    if (w > room + 0.5) {
                        found.add(where + ": the word \"" + word + "\" of " + describe(l) + " is " + Math.round(w)
                                + " px wide in a cell with " + Math.round(room) + " px: broken inside itself");
                    }
                }
            }
        }
    }

    /** Styles and lays out the window until it holds still: some sizes are known only after a first pass. FX thread. */
    private void settle() {
        for (int i = 0; i < 3; i++) {
            console.scene().getRoot().applyCss();
            console.scene().getRoot().layout();
        }
    }

    /** {@code n} and every node under it, into {@code into}. */
    private static List<Node> everything(Node n, List<Node> into) {
        into.add(n);
        if (n instanceof Parent p) {
            for (Node c : p.getChildrenUnmodifiable()) {
                everything(c, into);
            }
        }
        return into;
    }

    /** Whether {@code n} and each of its parents is visible: a hidden column's cells are not read. */
    private static boolean visibleUp(Node n) {
        for (Node p = n; p != null; p = p.getParent()) {
            if (!p.isVisible()) {
                return false;
            }
        }
        return true;
    }

    private List<String> at(FxRobot robot, int width) throws Exception {
        // 1000x700: a laptop's window beside the show, lower than the console's usual 820 px.
        robot.interact(() -> {
            stage.setWidth(width);
            stage.setHeight(width >= 1000 ? 700 : 800);
        });
        List<String> beyond = new ArrayList<>();
        for (String tab : List.of("dashboard", "jitter")) {
            robot.interact(() -> console.showTab(tab));
            beyond.addAll(FxLookup.onFx(() -> {
                settle();
                List<String> found = new ArrayList<>();
                double right = console.scene().getWidth();
                Node view = tab.equals("dashboard") ? console.dashboard().view() : console.jitter().view();
                walk(view, right, tab + " at " + width + " px", found);
                if (tab.equals("jitter")) {
                    chartWords(view, tab + " at " + width + " px", found);
                }
                if (tab.equals("jitter") && width >= 1000) {
                    // Beside: the chart's headline starts above the ranking's bottom, not under it.
                    Node ranking = view.lookup("#jitter-ranking");
                    Node headline = view.lookup("#jitter-headline");
                    double rankingBottom = ranking.localToScene(ranking.getLayoutBounds()).getMaxY();
                    double headlineTop = headline.localToScene(headline.getLayoutBounds()).getMinY();
                    if (headlineTop >= rankingBottom) {
                        found.add(tab + " at " + width + " px: the chart stands under the ranking (headline at y "
                                + Math.round(headlineTop) + ", ranking ends at y " + Math.round(rankingBottom) + "), not beside it");
                    }
                }
                return found;
            }));
            TestConsoles.shootIfAsked(console, "narrow-" + tab + "-" + width + ".png");
        }
        return beyond;
    }

    /** The least room between two of the time axis's labels: a space at least, else "00:00 01:00" reads as one number. */
    private static final double TIME_LABEL_GAP = 8;

    /**
     * Adds to {@code found} what the Jitter tab's picture cuts or runs together: time labels closer than a space, the
     * heatmap's title or a panel's legend past the plots' right edge, a line of the picture's words cut short or past the foot of the body
     * (where nothing scrolls to it).
     */
    private static void chartWords(Node view, String where, List<String> found) {
        io.edgedeck.console.jitter.JitterChartProbe chart = io.edgedeck.console.jitter.JitterChartProbe.of(view);
        List<double[]> labels = chart.timeLabels();
        // Nothing drawn cuts nothing: the checks below would pass on an empty canvas.
        if (chart.heatmapTitle().isEmpty() || labels.size() < 2) {
            found.add(where + ": no picture drawn to check (heatmap title \"" + chart.heatmapTitle() + "\", " + labels.size()
                    + " time labels)");
            return;
        }
        for (int i = 1; i < labels.size(); i++) {
            if (labels.get(i)[0] - labels.get(i - 1)[1] < TIME_LABEL_GAP) {
                found.add(where + ": time labels " + (i - 1) + " and " + i + " run together (" + Math.round(labels.get(i - 1)[1])
                        + " to " + Math.round(labels.get(i)[0]) + " px): " + chart.timeLabelTexts());
            }
        }
        if (chart.heatmapTitleRight() > chart.plotRight() + 0.5) {
            found.add(where + ": the heatmap's title \"" + chart.heatmapTitle() + "\" ends at " + Math.round(chart.heatmapTitleRight())
                    + ", past the plot's right edge at " + Math.round(chart.plotRight()));
        }
        if (chart.legendsRight() > chart.plotRight() + 0.5) {
            found.add(where + ": a panel's legend ends at " + Math.round(chart.legendsRight()) + ", past the plot's right edge at "
                    + Math.round(chart.plotRight()));
        }
        for (String id : List.of("#jitter-headline", "#jitter-cause", "#jitter-earlier", "#jitter-latency")) {
            javafx.scene.control.Label l = (javafx.scene.control.Label) view.lookup(id);
            if (l == null || !l.isVisible() || l.getText().isEmpty()) {
                continue;
            }
            Node box = l.getParent();
            double bottom = l.localToScene(l.getLayoutBounds()).getMaxY();
            double boxBottom = box.localToScene(box.getLayoutBounds()).getMaxY();
            if (l.isTextTruncated()) {
                found.add(where + ": " + describe(l) + " is cut short");
            } else if (bottom > boxBottom + 0.5) {
                found.add(where + ": " + describe(l) + " ends at y " + Math.round(bottom) + ", below the picture's foot at y "
                        + Math.round(boxBottom) + ", cut off");
            }
        }
    }

    /** Adds to {@code found} each visible node under {@code n} that ends past {@code right}, and each horizontal scroll bar shown. */
    private static void walk(Node n, double right, String tab, List<String> found) {
        if (!n.isVisible()) {
            return;
        }
        if (n instanceof ScrollBar bar && bar.getOrientation() == Orientation.HORIZONTAL && bar.getVisibleAmount() < bar.getMax() - bar.getMin()) {
            found.add(tab + ": a horizontal scroll bar under " + describe(bar.getParent()));
            return;
        }
        if (n instanceof javafx.scene.control.ScrollPane sp && sp.getContent() != null
                && sp.getContent().getLayoutBounds().getHeight() > sp.getViewportBounds().getHeight() + 0.5
                && sp.getChildrenUnmodifiable().stream().noneMatch(c -> c instanceof ScrollBar b && c.isVisible()
                && b.getOrientation() == Orientation.VERTICAL)) {
            found.add(tab + ": " + describe(sp) + " holds " + Math.round(sp.getContent().getLayoutBounds().getHeight())
                    + " px in a view " + Math.round(sp.getViewportBounds().getHeight()) + " px high, with no scroll bar to reach the rest");
        }
        double maxX = n.localToScene(n.getLayoutBounds()).getMaxX();
        if (maxX > right + 0.5 && n.getLayoutBounds().getWidth() > 0) {
            found.add(tab + ": " + describe(n) + " ends at " + Math.round(maxX));
            // its own children are then past the edge too: the outermost says enough
            return;
        }
        if (n instanceof javafx.scene.control.TableView<?> table) {
            headersCut(table, tab, found);
            cellsCut(table, tab, found);
        }
        // A table's own scroll bars are its children: walked like any other.
        if (n instanceof Parent p) {
            for (Node c : p.getChildrenUnmodifiable()) {
                walk(c, right, tab, found);
            }
        }
    }

    /**
     * Adds to {@code found} each column header of {@code table} whose words are cut: shortened to "…", or running past the
     * table's right edge, where the table's clip cuts them off without a mark.
     */
    private static void headersCut(javafx.scene.control.TableView<?> table, String tab, List<String> found) {
        double tableRight = table.localToScene(table.getLayoutBounds()).getMaxX() - table.snappedRightInset();
        for (Node header : table.lookupAll(".column-header")) {
            // A hidden column's header (the other form's, where a table has two) is read by no one.
            if (header instanceof javafx.scene.control.skin.TableColumnHeader h && h.getTableColumn() != null
                    && !h.getTableColumn().isVisible()) {
                continue;
            }
            for (Node n : header.lookupAll(".label")) {
                if (!(n instanceof javafx.scene.control.Labeled l) || !l.isVisible() || l.getText() == null || l.getText().isEmpty()) {
                    continue;
                }
                double labelRight = l.localToScene(l.getLayoutBounds()).getMaxX();
                if (l.isTextTruncated()) {
                    found.add(tab + ": the header \"" + l.getText() + "\" of " + describe(table) + " is cut short");
                } else if (labelRight > tableRight + 0.5) {
                    found.add(tab + ": the header \"" + l.getText() + "\" of " + describe(table) + " ends at "
                            + Math.round(labelRight) + ", past the table's right edge at " + Math.round(tableRight)
                            + table.getColumns().stream().map(c -> Math.round(c.getMinWidth()) + "/" + Math.round(c.getWidth())).toList()
                            + " table " + Math.round(table.getWidth()));
                }
            }
        }
    }

    /** Adds to {@code found} each cell of {@code table} whose words are cut short to "…". */
    private static void cellsCut(javafx.scene.control.TableView<?> table, String tab, List<String> found) {
        for (Node n : table.lookupAll(".table-cell")) {
            if (n instanceof javafx.scene.control.IndexedCell<?> cell && cell.isVisible() && !cell.isEmpty()
                    && cell.getText() != null && cell.isTextTruncated()) {
                found.add(tab + ": the cell \"" + cell.getText() + "\" of " + describe(table) + " is cut short");
            }
        }
    }

    private static String describe(Node n) {
        String id = n.getId() != null ? "#" + n.getId() : "";
        String text = n instanceof javafx.scene.control.Labeled l && l.getText() != null ? " \"" + l.getText() + "\"" : "";
        return n.getClass().getSimpleName() + id + n.getStyleClass() + text;
    }
}
