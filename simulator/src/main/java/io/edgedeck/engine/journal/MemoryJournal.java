package io.edgedeck.engine.journal;

import java.util.ArrayList;
import java.util.List;

/** A journal kept in memory: rehearsals and tests. Thread-safe for readers on other threads. */
public final class MemoryJournal implements Journal {
    private final List<JournalRecord> records;

    public MemoryJournal() {
        this.records = new ArrayList<>();
    }

    private MemoryJournal(List<JournalRecord> records) {
        this.records = new ArrayList<>(records);
    }

    /**
     * A copy of a journal's {@code records} (a snapshot's kept records and the journal after it may
     * leave gaps between their numbers) that takes what is appended after them, numbered from the last.
     */
    public static MemoryJournal copyOf(List<JournalRecord> records) {
        return new MemoryJournal(records);
    }

    @Override
    public synchronized long nextSeq() {
        return records.isEmpty() ? 1 : records.getLast().seq() + 1;
    }

    @Override
    public void append(JournalRecord record) {
        appendAll(List.of(record));
    }

    @Override
    public synchronized void appendAll(List<JournalRecord> batch) {
        long next = nextSeq();
        for (int i = 0; i < batch.size(); i++) {
            if (batch.get(i).seq() != next + i) {
                throw new IllegalArgumentException("journal record " + batch.get(i).seq() + " out of order; expected " + (next + i));
            }
        }
        records.addAll(batch);
    }

    @Override
    public synchronized List<JournalRecord> records() {
        return List.copyOf(records);
    }
}
