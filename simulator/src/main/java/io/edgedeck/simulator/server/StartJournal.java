package io.edgedeck.simulator.server;

import io.edgedeck.engine.journal.Journal;
import io.edgedeck.engine.journal.JournalCondition;
import io.edgedeck.engine.journal.JournalRecord;
import io.edgedeck.engine.journal.SnapshotJournal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A node's journal while its start may still be refused. The show is restored from the journal as it
 * was read, and what the start writes (a new show's set-up, the audit of a changed node config or
 * connectors) is held in memory, numbered as the journal will number it. Only when every check has
 * passed does {@link #open} recover the journal on disk (what a crash left unfinished removed, a
 * damaged snapshot set aside, a torn last record cut) and write what was held; a start refused before
 * then changes no byte of the journal or its snapshots. Nothing is acknowledged to anyone before then:
 * the node answers only that it is restoring.
 *
 * <p>Once opened, every call goes to the journal on disk.
 */
final class StartJournal implements Journal {
    private final SnapshotJournal.Found found;
    private final List<JournalRecord> held = new ArrayList<>();
    private volatile SnapshotJournal opened;

    StartJournal(SnapshotJournal.Found found) {
        this.found = found;
    }

    /**
     * Recovers the journal on disk as it was read and writes what the start held: the start goes on.
     *
     * @throws IOException when the journal cannot be recovered or written; what was held is not written
     */
    synchronized SnapshotJournal open(SnapshotJournal.Policy policy) throws IOException {
        if (opened != null) {
            return opened;
        }
        SnapshotJournal journal = found.open(policy);
        try {
            journal.appendAll(held);
        } catch (RuntimeException e) {
            journal.close();
            throw new IOException("could not write what the start made: " + e.getMessage(), e);
        }
        held.clear();
        opened = journal;
        return journal;
    }

    /** The journal on disk, or null while the start holds its writes. */
    SnapshotJournal opened() {
        return opened;
    }

    @Override
    public synchronized long nextSeq() {
        return opened != null ? opened.nextSeq() : found.nextSeq() + held.size();
    }

    @Override
    public void append(JournalRecord record) {
        appendAll(List.of(record));
    }

    @Override
    public synchronized void appendAll(List<JournalRecord> records) {
        if (opened != null) {
            opened.appendAll(records);
            return;
        }
        for (int i = 0; i < records.size(); i++) {
            if (records.get(i).seq() != nextSeq() + i) {
                throw new IllegalArgumentException("journal record " + records.get(i).seq() + " out of order; expected " + (nextSeq() + i));
            }
        }
        held.addAll(records);
    }

    @Override
    public void holdingWhenUnwritable(Runnable work) {
        SnapshotJournal journal = opened;
        if (journal == null) {
            work.run();
        } else {
            journal.holdingWhenUnwritable(work);
        }
    }

    @Override
    public JournalCondition condition() {
        SnapshotJournal journal = opened;
        return journal == null ? JournalCondition.WRITABLE : journal.condition();
    }

    @Override
    public long writableAgainMillis() {
        SnapshotJournal journal = opened;
        return journal == null ? Long.MIN_VALUE : journal.writableAgainMillis();
    }

    @Override
    public synchronized List<JournalRecord> records() {
        if (opened != null) {
            return opened.records();
        }
        List<JournalRecord> all = new ArrayList<>(found.records());
        all.addAll(held);
        return List.copyOf(all);
    }
}
