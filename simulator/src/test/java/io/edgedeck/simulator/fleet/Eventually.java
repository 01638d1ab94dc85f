package io.edgedeck.simulator.fleet;

import java.time.Duration;

/** Polls a condition that other processes or threads make true (a node applying a record, a consumer catching up). */
public final class Eventually {

    /** A condition that may throw while it is not yet true (a node not answering yet). */
    @FunctionalInterface
    public interface Check {
        boolean ok() throws Exception;
    }

    private Eventually() {
    }

    /** Waits until {@code condition} holds, asking every {@code every}; fails naming {@code what} after {@code limit}. */
    public static void await(String what, Duration limit, Duration every, Check condition) throws Exception {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.ok()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + limit.toSeconds() + " s waiting until " + what);
            }
            Thread.sleep(every.toMillis());
        }
    }
}
