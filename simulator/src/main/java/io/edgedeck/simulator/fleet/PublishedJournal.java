package io.edgedeck.simulator.fleet;

import io.edgedeck.engine.journal.Journal;
import io.edgedeck.engine.journal.ForwardingJournal;
import io.edgedeck.engine.journal.JournalRecord;

import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * A fleet node's journal as its core writes it: every record the journal took is handed on, in
 * order, to be published on the fleet's journal topic ({@link FleetNode#journaled}). A record the
 * journal refused (it cannot be written) is not handed on. Threads: those of the journal's callers.
 */
public final class PublishedJournal extends ForwardingJournal {
    private final Consumer<List<JournalRecord>> taken;

    public PublishedJournal(Journal journal, Consumer<List<JournalRecord>> taken) {
        super(journal);
        this.taken = Objects.requireNonNull(taken, "taken");
    }

    @Override
    public void append(JournalRecord record) {
        journal.append(record);
        taken.accept(List.of(record));
    }

    @Override
    public void appendUnforced(JournalRecord record) {
        journal.appendUnforced(record);
        taken.accept(List.of(record));
    }

    @Override
    public void appendAll(List<JournalRecord> records) {
        journal.appendAll(records);
        if (!records.isEmpty()) {
            taken.accept(List.copyOf(records));
        }
    }
}
