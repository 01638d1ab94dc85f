package io.edgedeck.engine.journal;

import java.util.List;

/**
 * The append-only, write-ahead record of every state change. A change is validated, then
 * appended (and, on disk, forced to the device), then applied, then acknowledged: a change whose
 * record could not be written is not made. The engine appends on its own thread; a journal hands
 * out numbers in append order.
 */
public interface Journal {

    /** The sequence number the next record must carry. */
    long nextSeq();

    /**
     * Makes the record durable before returning. Outside {@link #holdingWhenUnwritable} a record that
     * cannot be written throws, and the caller must not apply its change.
     *
     * @throws JournalUnavailableException when the record could not be written; nothing of it remains
     */
    void append(JournalRecord record);

    /**
     * Makes several records of one change durable together, numbered in order from
     * {@link #nextSeq()}: on disk one write and one force, so after a crash either all of them are
     * there or none. Outside {@link #holdingWhenUnwritable}, if they cannot be written none of them
     * is, it throws, and the caller applies none of the change.
     *
     * @throws JournalUnavailableException when they could not be written; nothing of them remains
     */
    void appendAll(List<JournalRecord> records);

    /**
     * Writes a record that nothing acknowledged rests on, without forcing it to the device: the next
     * forced write makes it durable with its own (on disk, one file, written in order), and a process
     * killed before that keeps it, since the system holds it; a machine that stops before then may
     * lose it, and every record after it that was not forced either. For a record whose loss leaves
     * the node as it would be had it not been written. Never held while the journal cannot be written.
     * A journal that does not write to a device appends it as any other.
     *
     * @throws JournalUnavailableException when it could not be written; nothing of it remains
     */
    default void appendUnforced(JournalRecord record) {
        append(record);
    }

    /**
     * Runs the show's own work (a tick: automatic rollbacks, queued checkouts, faults a cue applies,
     * the show clock), during which a record that cannot be written now is held in memory, in order,
     * and written before any later record. Nobody waits on these changes, so the show goes on while
     * the disk is full; a change someone asked for is never held, it is refused. Engine thread.
     *
     * @throws JournalUnavailableException when more records are held than a journal keeps in memory
     */
    default void holdingWhenUnwritable(Runnable work) {
        work.run();
    }

    /** Whether the journal can be written now, as the last attempt found. Any thread. */
    default JournalCondition condition() {
        return JournalCondition.WRITABLE;
    }

    /**
     * When (epoch ms) a write succeeded after one or more failed, as large as every one that failed since: what kept a
     * change from being made then has passed. A smaller write does not say so. {@link Long#MIN_VALUE} while none has.
     * Any thread.
     */
    default long writableAgainMillis() {
        return Long.MIN_VALUE;
    }

    /** Everything appended so far, in order. */
    List<JournalRecord> records();
}
