package io.edgedeck.engine.journal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Makes the next snapshot from the last one and the journal records after it: records whose
 * history matters are kept as they are; checkout records are replaced by the checkouts' state the
 * core reports; each channel's emote valences are folded into its latest evidence per emote; the
 * show clock into one record at the snapshot's time (where the core was when it was made); requests'
 * {@code Idempotency-Key}s and answers are kept while they are remembered. Pure: no files, no clock (the caller says from when keys are remembered).
 */
public final class Compaction {
    private Compaction() {
    }

    /** True for a record a snapshot keeps as it was: its history is part of the state (the audit trail, faults). */
    public static boolean kept(JournalRecord r) {
        return switch (r) {
            case JournalRecord.ShowStarted s -> true;
            case JournalRecord.FaultApplied f -> true;
            case JournalRecord.FaultLifted f -> true;
            case JournalRecord.EncoderFaulted e -> true;
            case JournalRecord.CueFired c -> true;
            case JournalRecord.FlagChanged f -> true;
            case JournalRecord.GuardrailArmed g -> true;
            case JournalRecord.GuardrailFired g -> true;
            case JournalRecord.VariantPaused v -> true;
            case JournalRecord.VariantRolledBackAt v -> true;
            case JournalRecord.VariantRollbackCleared v -> true;
            case JournalRecord.Audited a -> true;
            case JournalRecord.RequestChanged q -> true;
            case JournalRecord.ActionsApplied a -> true;
            case JournalRecord.PlaybookSaved p -> true;
            case JournalRecord.ScheduleChanged c -> true;
            case JournalRecord.ControlApplied c -> true;
            case JournalRecord.CheckoutQueued c -> false;
            case JournalRecord.CheckoutsReconciled c -> false;
            case JournalRecord.CheckoutsState c -> false;
            case JournalRecord.EmoteValencesLearned e -> false;
            // where the core applied an ingest log record later than its arrival: a read-back places it by this
            case JournalRecord.ShowClock c -> c.ingestApplied() != null;
            // kept while their key is remembered: see next
            case JournalRecord.IdempotencyKey k -> false;
            case JournalRecord.IdempotencyAnswer a -> false;
        };
    }

    /** True for a record of a request's {@code Idempotency-Key} or its answer: the node's, not the engine's. */
    public static boolean idempotency(JournalRecord r) {
        return r instanceof JournalRecord.IdempotencyKey || r instanceof JournalRecord.IdempotencyAnswer;
    }

    /**
     * The seqs of the idempotency records a snapshot keeps: the keys taken at or after
     * {@code keysFromWallMillis}, at most the newest {@link KeyedRequest#MAX_KEYS}, each with its answer.
     */
    static java.util.Set<Long> rememberedKeys(List<JournalRecord> records, long keysFromWallMillis) {
        java.util.ArrayDeque<Long> keys = new java.util.ArrayDeque<>();
        for (JournalRecord r : records) {
            if (r instanceof JournalRecord.IdempotencyKey k && k.wallMillis() >= keysFromWallMillis) {
                keys.addLast(k.seq());
                if (keys.size() > KeyedRequest.MAX_KEYS) {
                    keys.removeFirst();
                }
            }
        }
        java.util.Set<Long> kept = new java.util.HashSet<>(keys);
        for (JournalRecord r : records) {
            if (r instanceof JournalRecord.IdempotencyAnswer a && kept.contains(a.keySeq())) {
                kept.add(a.seq());
            }
        }
        return kept;
    }

    /** True for a record of the show a snapshot folds into a sum and counts in {@link Snapshot#folded}. */
    public static boolean folded(JournalRecord r) {
        return r instanceof JournalRecord.CheckoutQueued || r instanceof JournalRecord.CheckoutsReconciled
                || r instanceof JournalRecord.EmoteValencesLearned;
    }

    /**
     * @param previous  the last snapshot, or null when the journal is whole from its first record
     * @param after     the journal records after it, up to and including the one the new snapshot covers
     * @param checkouts the core's checkouts as of that record ({@code Checkouts.state}), at the core's engine time
     *                  then: the snapshot is dated there when that is later than its last record
     * @param keysFromWallMillis the wall-clock time (ms since the epoch) from which requests' {@code Idempotency-Key}s
     *                           are still remembered: their records are kept, older ones dropped
     */
    public static Snapshot next(Snapshot previous, List<JournalRecord> after, JournalRecord.CheckoutsState checkouts,
                                long keysFromWallMillis) {
        List<JournalRecord> kept = new ArrayList<>();
        Map<String, Map<String, JournalRecord.EmoteEvidence>> emotes = new LinkedHashMap<>();
        Map<String, JournalRecord.EmoteValencesLearned> lastOfChannel = new LinkedHashMap<>();
        long folded = previous == null ? 0 : previous.folded();
        long coversSeq = previous == null ? 0 : previous.coversSeq();
        long atMillis = previous == null ? 0 : previous.atMillis();
        List<JournalRecord> all = new ArrayList<>(previous == null ? List.of() : previous.records());
        for (JournalRecord r : after) {
            if (r.seq() <= coversSeq) {
                continue;
            }
            if (r.seq() != coversSeq + 1) {
                throw new IllegalArgumentException("record " + r.seq() + " follows record " + coversSeq + ": a snapshot needs every record");
            }
            coversSeq = r.seq();
            atMillis = Math.max(atMillis, r.atMillis());
            if (folded(r)) {
                folded++;
            }
            all.add(r);
        }
        java.util.Set<Long> remembered = rememberedKeys(all, keysFromWallMillis);
        for (JournalRecord r : all) {
            atMillis = Math.max(atMillis, r.atMillis());
            if (kept(r) || idempotency(r) && remembered.contains(r.seq())) {
                kept.add(r);
            } else if (r instanceof JournalRecord.EmoteValencesLearned e) {
                // Evidence only grows: the latest of each emote is what scoring uses and learning resumes from.
                Map<String, JournalRecord.EmoteEvidence> channel = emotes.computeIfAbsent(e.channel(), c -> new LinkedHashMap<>());
                e.emotes().forEach(x -> channel.put(x.emote(), x));
                lastOfChannel.put(e.channel(), e);
            }
        }
        // Where the core was (the tick after its last record's when that tick wrote records of its own and
        // nothing since): a restart resumes the show there, not a tick short with that tick already counted.
        atMillis = Math.max(atMillis, checkouts.atMillis());
        lastOfChannel.forEach((channel, last) -> kept.add(new JournalRecord.EmoteValencesLearned(last.seq(), last.atMillis(), channel,
                List.copyOf(emotes.get(channel).values()))));
        kept.add(new JournalRecord.CheckoutsState(coversSeq, atMillis, checkouts.queued(), checkouts.reconciled(),
                checkouts.nextCheckoutId(), checkouts.pending(), checkouts.refs()));
        kept.add(new JournalRecord.ShowClock(coversSeq, atMillis));
        return new Snapshot(coversSeq, atMillis, folded, kept);
    }
}
