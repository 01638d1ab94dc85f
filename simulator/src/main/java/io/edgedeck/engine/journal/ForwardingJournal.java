package io.edgedeck.engine.journal;

import java.util.List;
import java.util.Objects;

/**
 * A journal that hands everything to another and adds something to appends: subclasses say what
 * {@link #append} and {@link #appendAll} do; numbering, holding, condition and records are the
 * other journal's.
 */
public abstract class ForwardingJournal implements Journal {
    /** The journal written to. */
    protected final Journal journal;

    protected ForwardingJournal(Journal journal) {
        this.journal = Objects.requireNonNull(journal, "journal");
    }

    @Override
    public final long nextSeq() {
        return journal.nextSeq();
    }

    @Override
    public final void holdingWhenUnwritable(Runnable work) {
        journal.holdingWhenUnwritable(work);
    }

    @Override
    public final JournalCondition condition() {
        return journal.condition();
    }

    @Override
    public final long writableAgainMillis() {
        return journal.writableAgainMillis();
    }

    @Override
    public final List<JournalRecord> records() {
        return journal.records();
    }
}
