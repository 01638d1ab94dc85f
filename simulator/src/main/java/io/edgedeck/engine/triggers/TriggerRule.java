package io.edgedeck.engine.triggers;

import java.util.List;

/**
 * A micro-metric trigger over one session's interactions.
 *
 * <ul>
 *   <li>Unordered: at least {@code count} interactions whose kind is among {@code kinds}, the first
 *   and the last of them at most {@code windowMillis} apart.</li>
 *   <li>Ordered: the {@code kinds} occur in this order, each step later than the previous one, the
 *   first and the last at most {@code windowMillis} apart; other interactions in between do not
 *   break the run. {@code count} is the length of the sequence.</li>
 * </ul>
 * A rule fires once per qualifying run; the run then starts again from nothing.
 */
public record TriggerRule(String id, List<InteractionKind> kinds, int count, long windowMillis, boolean ordered,
                          TriggerAction action) {

    /** Bounds the per-session ring a rule needs: sessions number in the hundreds of thousands. */
    public static final int MAX_COUNT = 32;

    public TriggerRule {
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException("trigger rule id must not be blank");
        }
        kinds = List.copyOf(kinds);
        if (kinds.isEmpty()) {
            throw new IllegalArgumentException("trigger rule " + id + " lists no interaction kinds");
        }
        if (ordered && count != kinds.size()) {
            throw new IllegalArgumentException("ordered trigger rule " + id + " has count " + count
                    + " but a sequence of " + kinds.size() + "; the count of a sequence is its length");
        }
        if (count < 1 || count > MAX_COUNT) {
            throw new IllegalArgumentException("trigger rule " + id + " has count " + count + "; it must be 1.."
                    + MAX_COUNT);
        }
        if (windowMillis <= 0 || windowMillis > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("trigger rule " + id + " has window " + windowMillis
                    + " ms; it must be positive and under 24 days");
        }
        if (action == null) {
            throw new IllegalArgumentException("trigger rule " + id + " has no action");
        }
    }

    /** "At least {@code count} of these kinds within the window", in any order. */
    public static TriggerRule atLeast(String id, int count, long windowMillis, TriggerAction action,
                                      InteractionKind... kinds) {
        return new TriggerRule(id, List.of(kinds), count, windowMillis, false, action);
    }

    /** "These kinds in this order within the window". */
    public static TriggerRule sequence(String id, long windowMillis, TriggerAction action,
                                       InteractionKind... sequence) {
        return new TriggerRule(id, List.of(sequence), sequence.length, windowMillis, true, action);
    }
}
