package io.edgedeck.engine.journal;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * A live node's journal as its core writes it: each record that says how an event is counted is
 * written with {@link JournalRecord#ingestApplied}, how many ingest log records the core had applied
 * when it made the change ({@code applied}, engine thread; negative while it is not known, and then
 * records pass through as they are). A restart reading the log back makes the change right after that
 * many records, where it was made live, not at the first event of its tick.
 */
public final class AtIngestJournal extends ForwardingJournal {
    private final LongSupplier applied;
    /** The latest engine time of a record written through this journal: see {@link #writtenMillis}. */
    private long writtenMillis = Long.MIN_VALUE;

    public AtIngestJournal(Journal journal, LongSupplier applied) {
        super(journal);
        this.applied = applied;
    }

    @Override
    public void append(JournalRecord record) {
        long n = applied.getAsLong();
        journal.append(n < 0 ? record : record.atIngest(n));
        written(record.atMillis());
    }

    @Override
    public void appendAll(List<JournalRecord> records) {
        long n = applied.getAsLong();
        if (n < 0) {
            journal.appendAll(records);
        } else {
            List<JournalRecord> at = new ArrayList<>(records.size());
            for (JournalRecord r : records) {
                at.add(r.atIngest(n));
            }
            journal.appendAll(at);
        }
        for (JournalRecord r : records) {
            written(r.atMillis());
        }
    }

    /**
     * Written as it is (it carries its own position when it has one), and not counted in
     * {@link #writtenMillis}: a machine that stops before the next forced write may lose it.
     */
    @Override
    public void appendUnforced(JournalRecord record) {
        long n = applied.getAsLong();
        journal.appendUnforced(n < 0 ? record : record.atIngest(n));
    }

    /**
     * The latest engine time of a record written through this journal and on the device (a record held
     * in memory while the journal cannot be written is not counted); long's minimum before any. Records written to the journal beneath, past this one, are not seen:
     * the journal's last record may be later, never earlier.
     */
    public long writtenMillis() {
        return writtenMillis;
    }

    private void written(long atMillis) {
        if (journal.condition().writable()) {
            writtenMillis = Math.max(writtenMillis, atMillis);
        }
    }
}
