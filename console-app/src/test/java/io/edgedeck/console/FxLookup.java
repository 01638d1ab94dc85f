package io.edgedeck.console;

import javafx.application.Platform;
import javafx.scene.Node;
import javafx.scene.control.TableRow;
import javafx.scene.control.TableView;
import org.testfx.api.FxRobot;
import org.testfx.util.WaitForAsyncUtils;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;

/**
 * Looks nodes up on the FX thread. A lookup walks the scene graph; from the test thread it races
 * the FX thread changing that graph (an overlay closing, a table refilling) and can fail with an
 * {@code IndexOutOfBoundsException} in {@code Parent.lookupAll}. Called on the FX thread, it runs
 * there directly.
 */
public final class FxLookup {
    private FxLookup() {
    }

    /** Whether a node matches {@code query} now. */
    static boolean present(FxRobot robot, String query) {
        return onFx(() -> robot.lookup(query).tryQuery().isPresent());
    }

    /** The text of the label matching {@code query} now; empty when there is none. */
    static String labelText(FxRobot robot, String query) {
        return onFx(() -> robot.lookup(query).tryQueryAs(javafx.scene.control.Label.class)
                .map(javafx.scene.control.Label::getText).orElse(""));
    }

    /** The node matching {@code query}, as {@code type}; fails when there is none. */
    static <T extends Node> T query(FxRobot robot, String query, Class<T> type) {
        return onFx(() -> robot.lookup(query).queryAs(type));
    }

    /**
     * The row of {@code table} a person sees now (drawn, inside the table) that holds an item and matches {@code which};
     * waits up to 40 s for the table to draw one. A table selects an item, or takes new items, in one pass and draws
     * their rows in the next layout pass: a lookup right after finds no row yet.
     */
    public static TableRow<?> drawnRow(TableView<?> table, Predicate<TableRow<?>> which, String what) throws Exception {
        AtomicReference<TableRow<?>> found = new AtomicReference<>();
        try {
            WaitForAsyncUtils.waitFor(40, TimeUnit.SECONDS, () -> onFx(() -> {
                for (Node n : table.lookupAll(".table-row-cell")) {
                    if (n instanceof TableRow<?> r && r.getItem() != null && drawn(table, r) && which.test(r)) {
                        found.set(r);
                        return true;
                    }
                }
                return false;
            }));
        } catch (TimeoutException e) {
            throw new AssertionError(what + " was never drawn in " + table.getId(), e);
        }
        return found.get();
    }

    /**
     * Whether {@code row} is one a person sees in {@code table}: it and every parent up to the table visible (a table
     * keeps a hidden row for measuring), and its middle inside the table. FX thread.
     */
    private static boolean drawn(TableView<?> table, TableRow<?> row) {
        for (Node n = row; n != table; n = n.getParent()) {
            if (n == null || !n.isVisible()) {
                return false;
            }
        }
        javafx.geometry.Bounds at = table.sceneToLocal(row.localToScene(row.getLayoutBounds()));
        return at.getHeight() > 0 && table.getLayoutBounds().contains(at.getCenterX(), at.getCenterY());
    }

    static <T> T onFx(Callable<T> work) {
        try {
            if (Platform.isFxApplicationThread()) {
                return work.call();
            }
            return WaitForAsyncUtils.asyncFx(work).get(20, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(e.getCause());
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
