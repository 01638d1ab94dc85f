package io.edgedeck.engine.journal;

import java.util.List;

/**
 * The append-only record of every state change. The engine appends on its own thread; a journal
 * hands out numbers in append order.
 */
public interface Journal {

    /** The sequence number the next record must carry. */
    long nextSeq();

    void append(JournalRecord record);

    /** Everything appended so far, in order. */
    List<JournalRecord> records();
}
