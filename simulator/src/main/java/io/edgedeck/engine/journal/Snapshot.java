package io.edgedeck.engine.journal;

import java.util.List;

/**
 * The edge core's durable state as of one journal record, so a restart applies it and replays only
 * the records after it (docs/JOURNAL.md, "Snapshots and compaction").
 *
 * <p>The state is held as the records that rebuild it through the same path a replay takes: every
 * record whose history matters (the show's start, flag changes, guardrail arming and firings,
 * pauses, PoP-local rollbacks, audited actions and faults: together the whole audit trail) kept as
 * it was journaled, and the records whose sum is all that matters folded into one each: the
 * checkouts' state ({@code checkouts.state}), each chat channel's latest emote valences, and the
 * show clock.
 *
 * @param coversSeq the last journal record it covers: a restart replays the records after it
 * @param atMillis  the engine time of that record
 * @param folded    how many {@code checkout.*} and {@code emote.valences} records of the show it folds,
 *                  so a replay of the whole show knows how many of the engine's own to leave uncompared
 * @param records   the records that rebuild the state, {@code show.started} first
 */
public record Snapshot(long coversSeq, long atMillis, long folded, List<JournalRecord> records) {
    public Snapshot {
        records = List.copyOf(records);
        if (records.isEmpty() || !(records.getFirst() instanceof JournalRecord.ShowStarted)) {
            throw new IllegalArgumentException("a snapshot starts with show.started");
        }
    }

    /** The show the snapshot is of. */
    public JournalRecord.ShowStarted started() {
        return (JournalRecord.ShowStarted) records.getFirst();
    }
}
