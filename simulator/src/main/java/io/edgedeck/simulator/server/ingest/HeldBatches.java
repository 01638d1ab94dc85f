package io.edgedeck.simulator.server.ingest;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The bound on what ingest batches hold in memory between being taken and being applied: waiting
 * for the ingest log's writer, for the engine thread, or, on a core behind its clock, for the core's
 * ticks to reach their arrival. A batch is counted by its bytes as read (after gzip is undone) from
 * the moment it is taken until it has been applied or has failed, whether or not its sender is still
 * waiting for the answer (a sender that gave up and sent the batch again holds it twice). Any thread.
 */
public final class HeldBatches {
    private final long maxBytes;
    private final AtomicLong bytes = new AtomicLong();
    private final AtomicLong batches = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();

    HeldBatches(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    /**
     * Takes a batch of {@code size} bytes, or refuses it (false, counted) when the batches held and it
     * would pass the bound. A batch taken must be {@linkplain #release released} once, whatever its fate.
     */
    boolean take(long size) {
        long held;
        do {
            held = bytes.get();
            if (held + size > maxBytes) {
                refused.incrementAndGet();
                return false;
            }
        } while (!bytes.compareAndSet(held, held + size));
        batches.incrementAndGet();
        return true;
    }

    /** A batch {@linkplain #take taken} was applied, or failed: its bytes are no longer held. */
    void release(long size) {
        batches.decrementAndGet();
        bytes.addAndGet(-size);
    }

    /** Bytes of the batches held now. */
    public long bytes() {
        return bytes.get();
    }

    /** The batches held now. */
    public long batches() {
        return batches.get();
    }

    /** The bound, {@code ingest.maxHeldBytes}. */
    public long maxBytes() {
        return maxBytes;
    }

    /** Batches refused because the bound was reached, since the node started. */
    public long refused() {
        return refused.get();
    }
}
