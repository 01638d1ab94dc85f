package io.edgedeck.console;

import javafx.application.Platform;
import javafx.scene.Node;
import org.testfx.api.FxRobot;
import org.testfx.util.WaitForAsyncUtils;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Looks nodes up on the FX thread. A lookup walks the scene graph; from the test thread it races
 * the FX thread changing that graph (an overlay closing, a table refilling) and can fail with an
 * {@code IndexOutOfBoundsException} in {@code Parent.lookupAll}. Called on the FX thread, it runs
 * there directly.
 */
final class FxLookup {
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
