package io.edgedeck.console.common;

/**
 * When a list asked of the node (requests, playbooks, scheduled changes) was last answered, and
 * whether that answer is too old to act on: nothing is offered from a list that may be stale. FX thread.
 */
public final class Heard {
    private final long staleAfterMillis;
    private long answeredAtMillis = -1;
    private long nowMillis;

    /** @param staleAfterMillis with no answer this long, what the node said last is stale */
    public Heard(long staleAfterMillis) {
        this.staleAfterMillis = staleAfterMillis;
    }

    /** The node answered at {@code now}. */
    public void answered(long now) {
        answeredAtMillis = now;
        nowMillis = now;
    }

    /** The clock moved on to {@code now} with no answer. */
    public void at(long now) {
        nowMillis = now;
    }

    /** True before the first answer, and once the last one is older than the limit. */
    public boolean stale() {
        return answeredAtMillis < 0 || nowMillis - answeredAtMillis > staleAfterMillis;
    }

    /** Whether the node has answered at all. */
    public boolean everAnswered() {
        return answeredAtMillis >= 0;
    }

    /** "asking the node…", or "not heard from the node for 12 s". */
    public String silence() {
        return answeredAtMillis < 0 ? "asking the node…"
                : "not heard from the node for " + (nowMillis - answeredAtMillis) / 1000 + " s";
    }
}
