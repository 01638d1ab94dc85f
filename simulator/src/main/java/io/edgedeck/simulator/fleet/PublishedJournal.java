package io.edgedeck.simulator.fleet;

import io.edgedeck.engine.journal.Journal;
import io.edgedeck.engine.journal.ForwardingJournal;
import io.edgedeck.engine.journal.JournalRecord;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * A fleet node's journal as its core writes it: every record the journal took is handed on, in
 * order, to be published on the fleet's journal topic ({@link FleetNode#journaled}). A record the
 * journal refused (it cannot be written) is not handed on. A record written without a force
 * ({@link Journal#appendUnforced}) is kept back until the journal's next forced write has made it
 * durable, and handed on with that write's records: the fleet's journal mark, forced as it is
 * published, then never passes a record that a power loss could take from the journal and the node
 * would number again. Threads: those of the journal's callers, one write at a time.
 */
public final class PublishedJournal extends ForwardingJournal {
    private final Consumer<List<JournalRecord>> taken;
    /** Written without a force and not yet covered by a forced write, in order. */
    private final List<JournalRecord> unforced = new ArrayList<>();

    public PublishedJournal(Journal journal, Consumer<List<JournalRecord>> taken) {
        super(journal);
        this.taken = Objects.requireNonNull(taken, "taken");
    }

    @Override
    public void append(JournalRecord record) {
        synchronized (unforced) {
            journal.append(record);
            handOn(List.of(record));
        }
    }

    @Override
    public void appendUnforced(JournalRecord record) {
        synchronized (unforced) {
            journal.appendUnforced(record);
            unforced.add(record);
        }
    }

    @Override
    public void appendAll(List<JournalRecord> records) {
        synchronized (unforced) {
            journal.appendAll(records);
            if (!records.isEmpty()) {
                handOn(records);
            }
        }
    }

    /**
     * Hands on a forced write's records, after those written unforced before them, which it covered.
     * Under the lock the write was made in, so records are handed on in the journal's order.
     */
    private void handOn(List<JournalRecord> forced) {
        if (unforced.isEmpty()) {
            taken.accept(List.copyOf(forced));
            return;
        }
        unforced.addAll(forced);
        List<JournalRecord> out = List.copyOf(unforced);
        unforced.clear();
        taken.accept(out);
    }
}
