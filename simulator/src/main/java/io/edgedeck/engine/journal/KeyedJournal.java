package io.edgedeck.engine.journal;

import java.util.ArrayList;
import java.util.List;

/**
 * A journal that writes the {@code Idempotency-Key} of the request being handled
 * ({@link KeyedRequest#current}) with the first records that request's change appends: the key
 * record follows them in the same write and force, so after a crash the change is on the device
 * with its key or not at all. Records appended outside a keyed request (the show's own ticks) pass
 * through as they are.
 */
public final class KeyedJournal extends ForwardingJournal {
    public KeyedJournal(Journal journal) {
        super(journal);
    }

    @Override
    public void append(JournalRecord record) {
        appendAll(List.of(record));
    }

    /** Forced with the request's key when a keyed request's change has not been journaled yet; otherwise unforced. */
    @Override
    public void appendUnforced(JournalRecord record) {
        KeyedRequest request = KeyedRequest.current();
        if (request == null || request.journaled()) {
            journal.appendUnforced(record);
        } else {
            append(record);
        }
    }

    @Override
    public void appendAll(List<JournalRecord> records) {
        KeyedRequest request = KeyedRequest.current();
        if (request == null || request.journaled() || records.isEmpty()) {
            journal.appendAll(records);
            return;
        }
        JournalRecord last = records.getLast();
        List<JournalRecord> withKey = new ArrayList<>(records);
        withKey.add(request.record(last.seq() + 1, last.atMillis()));
        journal.appendAll(withKey);
        request.journaledAt(last.seq() + 1);
    }
}
