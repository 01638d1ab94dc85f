package io.edgedeck.engine.journal;

import java.util.ArrayList;
import java.util.List;

/** A journal kept in memory: rehearsals and tests. Thread-safe for readers on other threads. */
public final class MemoryJournal implements Journal {
    private final List<JournalRecord> records = new ArrayList<>();

    @Override
    public synchronized long nextSeq() {
        return records.size() + 1L;
    }

    @Override
    public synchronized void append(JournalRecord record) {
        if (record.seq() != records.size() + 1L) {
            throw new IllegalArgumentException("journal record " + record.seq() + " out of order; expected " + (records.size() + 1));
        }
        records.add(record);
    }

    @Override
    public synchronized void appendAll(List<JournalRecord> batch) {
        for (int i = 0; i < batch.size(); i++) {
            if (batch.get(i).seq() != records.size() + 1L + i) {
                throw new IllegalArgumentException("journal record " + batch.get(i).seq() + " out of order; expected "
                        + (records.size() + 1 + i));
            }
        }
        records.addAll(batch);
    }

    @Override
    public synchronized List<JournalRecord> records() {
        return List.copyOf(records);
    }
}
