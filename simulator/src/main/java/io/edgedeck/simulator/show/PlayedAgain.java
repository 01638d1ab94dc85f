package io.edgedeck.simulator.show;

import io.edgedeck.engine.journal.JournalRecord;
import io.edgedeck.engine.journal.MemoryJournal;
import java.util.ArrayList;
import java.util.List;

/**
 * How a rehearsal played again at a restart ({@link Show#open}) is checked against the journal it was
 * played from: the durable state (flags, audit trail, guardrails, pauses and rollbacks, checkouts), the
 * PoP faults in force and the chat's learned emote valences, each difference in words a support
 * engineer reads in the node's log and on {@code GET /api/v1/node}.
 */
final class PlayedAgain {
    private PlayedAgain() {
    }

    /**
     * What differs between the show played again ({@code made}, which wrote {@code madeRecords}) and
     * what the journal keeps ({@code kept}, from {@code keptRecords}) at {@code nowMillis}, in words;
     * empty when nothing does.
     */
    static List<String> differences(io.edgedeck.engine.journal.DurableState made, List<JournalRecord> madeRecords,
            io.edgedeck.engine.journal.DurableState kept, List<JournalRecord> keptRecords, long nowMillis) {
        List<String> parts = durableDifferences(made, kept);
        String faults = faultsDiffer(faultsInForce(madeRecords, nowMillis), faultsInForce(keptRecords, nowMillis));
        if (faults != null) {
            parts.add(faults);
        }
        if (!emoteValences(madeRecords).equals(emoteValences(keptRecords))) {
            parts.add("the chat's learned emote valences");
        }
        return parts;
    }

    static String seconds(long millis) {
        return String.format(java.util.Locale.ROOT, "%.1f s", millis / 1000.0);
    }

    /** Which parts of the durable state differ, in words; empty when none does. */
    private static List<String> durableDifferences(io.edgedeck.engine.journal.DurableState made, io.edgedeck.engine.journal.DurableState kept) {
        List<String> parts = new ArrayList<>();
        if (!made.flags().equals(kept.flags())) {
            parts.add("the flags differ");
        }
        if (!made.audit().equals(kept.audit())) {
            parts.add("the audit trail differs");
        }
        if (!made.guardrailsArmed().equals(kept.guardrailsArmed()) || !made.firings().equals(kept.firings())) {
            parts.add("the guardrails differ");
        }
        if (!made.pausedVariants().equals(kept.pausedVariants()) || !made.rolledBackAt().equals(kept.rolledBackAt())) {
            parts.add("the paused and rolled-back variants differ");
        }
        if (!made.pendingCheckouts().equals(kept.pendingCheckouts()) || !made.queuedCheckouts().equals(kept.queuedCheckouts())
                || made.checkoutsQueued() != kept.checkoutsQueued() || made.checkoutsReconciled() != kept.checkoutsReconciled()) {
            parts.add("the checkouts differ");
        }
        return parts;
    }

    /**
     * The PoP faults {@code records} leave in force at {@code nowMillis}, scripted or fired by hand, each
     * as "kind at pop (magnitude m, until t)", in order: what the journal keeps of them, and what a show
     * played again wrote of them.
     */
    private static java.util.SortedMap<String, String> faultsInForce(List<JournalRecord> records, long nowMillis) {
        java.util.Map<String, JournalRecord.FaultApplied> applied = new java.util.HashMap<>();
        for (JournalRecord r : records) {
            if (r instanceof JournalRecord.FaultApplied f) {
                applied.put(f.fault() + " at " + f.pop(), f);
            } else if (r instanceof JournalRecord.FaultLifted f) {
                applied.remove(f.fault() + " at " + f.pop());
            }
        }
        java.util.SortedMap<String, String> out = new java.util.TreeMap<>();
        applied.forEach((k, f) -> {
            if (f.untilMillis() < 0 || f.untilMillis() > nowMillis) {
                out.put(k, "magnitude " + CueTimeline.trim(f.magnitude())
                        + (f.untilMillis() < 0 ? ", until lifted" : ", until " + seconds(f.untilMillis())));
            }
        });
        return out;
    }

    /** How the PoP faults in force differ, in words; null when they do not. */
    private static String faultsDiffer(java.util.SortedMap<String, String> made, java.util.SortedMap<String, String> kept) {
        if (made.equals(kept)) {
            return null;
        }
        List<String> parts = new ArrayList<>();
        java.util.SortedSet<String> keys = new java.util.TreeSet<>(made.keySet());
        keys.addAll(kept.keySet());
        for (String k : keys) {
            String m = made.get(k);
            String j = kept.get(k);
            if (!java.util.Objects.equals(m, j)) {
                parts.add(k + ", the journal has " + (j == null ? "none" : j) + ", playing it again gave " + (m == null ? "none" : m));
            }
        }
        return "the PoP faults in force differ: " + String.join("; ", parts);
    }

    /** The emote valences the chat published in {@code records}, the last of each channel's emote. */
    private static java.util.Map<String, JournalRecord.EmoteEvidence> emoteValences(List<JournalRecord> records) {
        java.util.Map<String, JournalRecord.EmoteEvidence> out = new java.util.HashMap<>();
        for (JournalRecord r : records) {
            if (r instanceof JournalRecord.EmoteValencesLearned e) {
                e.emotes().forEach(v -> out.put(e.channel() + " " + v.emote(), v));
            }
        }
        return out;
    }

    /**
     * A copy of the journal {@code records} to restore a core from. What that core writes (the flags a
     * new show sets up, when the journal holds the show's start and not its set-up) is kept in the copy,
     * never in the journal, and {@link Copy#written} says it wrote.
     */
    static Copy readOnly(List<JournalRecord> records) {
        return new Copy(MemoryJournal.copyOf(records), records.size());
    }

    /** A journal's records, copied ({@code journal}), taking what a core restored from them writes into memory. */
    record Copy(MemoryJournal journal, int journaled) {
        /** True when the core restored from the copy wrote to it: the journal lacks what the show writes after its start. */
        boolean written() {
            return journal.records().size() > journaled;
        }
    }
}
