package io.edgedeck.engine.experiments;

import io.edgedeck.client.model.AuditEntry;
import io.edgedeck.engine.journal.Journal;
import io.edgedeck.engine.journal.JournalRecord;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongFunction;

/**
 * The one way an experiments change is recorded: journaled before it takes effect (and not again
 * while the journal is replayed), then put in the audit trail every reader sees. Owned by the
 * engine thread.
 */
final class AuditTrail {
    private final Journal journal;
    private final List<AuditEntry> entries = new ArrayList<>();
    private boolean replaying;
    private boolean muted;

    AuditTrail(Journal journal) {
        this.journal = journal;
    }

    /** Journals the record the sequence number makes, unless it is being replayed from the journal. */
    void writeAhead(LongFunction<JournalRecord> record) {
        if (!replaying) {
            journal.append(record.apply(journal.nextSeq()));
        }
    }

    /** Runs {@code apply} as a replay: whatever it changes is already in the journal. */
    void replaying(Runnable apply) {
        replaying = true;
        try {
            apply.run();
        } finally {
            replaying = false;
        }
    }

    /** Runs {@code apply} with its audit entries left out: a caller audits the whole change once. */
    void muted(Runnable apply) {
        muted = true;
        try {
            apply.run();
        } finally {
            muted = false;
        }
    }

    /**
     * Journals and audits an action whose effect the journal keeps nowhere else: journaled first, so
     * an entry that could not be written is not in the trail either.
     */
    AuditEntry audited(long nowMillis, String actor, String action, String target, String before, String after,
                       String reason) {
        journal.append(new JournalRecord.Audited(journal.nextSeq(), nowMillis, actor, action, target, before, after, reason));
        return add(nowMillis, actor, action, target, before, after, reason);
    }

    /** Adds an entry for a change journaled by its own record (or not journaled at all). */
    AuditEntry add(long atMillis, String actor, String action, String target, String before, String after,
                   String reason) {
        return add(atMillis, actor, action, target, before, after, reason, List.of());
    }

    /** The same, for several changes made as one: {@code touched} names the flags and guardrails they changed. */
    AuditEntry add(long atMillis, String actor, String action, String target, String before, String after,
                   String reason, List<String> touched) {
        AuditEntry e = new AuditEntry(entries.size() + 1L, atMillis, actor, action, target, before, after, reason, touched);
        if (!muted) {
            entries.add(e);
        }
        return e;
    }

    List<AuditEntry> entries() {
        return List.copyOf(entries);
    }
}
