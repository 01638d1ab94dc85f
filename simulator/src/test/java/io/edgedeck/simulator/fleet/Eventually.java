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
        await(what, limit, every, condition, () -> null);
    }

    /**
     * As {@link #await(String, Duration, Duration, Check)}, and the failure also says what was last seen
     * ({@code lastSeen}, read after the last check), so a timeout tells how far things got.
     */
    public static void await(String what, Duration limit, Duration every, Check condition,
                             java.util.function.Supplier<Object> lastSeen) throws Exception {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.ok()) {
            if (System.nanoTime() > deadline) {
                Object seen = lastSeen.get();
                throw new AssertionError("timed out after " + limit.toSeconds() + " s waiting until " + what
                        + (seen == null ? "" : "; last seen: " + seen));
            }
            Thread.sleep(every.toMillis());
        }
    }
}
