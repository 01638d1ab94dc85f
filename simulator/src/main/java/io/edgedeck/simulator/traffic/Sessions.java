package io.edgedeck.simulator.traffic;

import io.edgedeck.engine.triggers.TriggerEngine;

import java.util.Arrays;

/**
 * The audience's sessions, one record of ints per session, side by side in one array by slot: the
 * route each takes, its tenant, its cart, its unit id and its next event id, then per flag the arm
 * it is in, the arm of the variant it is served, the flag version it was assigned under and whether
 * a flag change moved it, then its trigger state (a record of the {@link TriggerEngine}). An action
 * picks a session at random among hundreds of thousands, so what it reads and writes lies together
 * in a few neighbouring cache lines of one memory page, not in a dozen arrays. Slots are dense: a
 * session that leaves takes the last slot's place. The {@link AudienceModel} reads and writes
 * sessions through the accessors here.
 *
 * <p>Owned by the engine thread.
 */
final class Sessions {
    static final byte NONE = 0;
    static final byte IN_CART = 1;

    // Where a session's fields lie in its record; a long takes two ints, low then high.
    private static final int ROUTE = 0;
    private static final int TENANT = 1;
    private static final int CART = 2;
    private static final int UNIT = 3;
    private static final int NEXT_EVENT_ID = 5;
    private static final int FLAGS_AT = 7;
    // Per flag, from FLAGS_AT + flag * FLAG_INTS.
    private static final int ARM = 0;
    private static final int SERVED = 1;
    private static final int VERSION = 2;
    private static final int MOVED = 4;
    private static final int FLAG_INTS = 5;
    /** Ints in a 64-byte cache line. */
    private static final int INTS_PER_LINE = 16;

    /** Ints per session of trigger state, at the end of its record; 0 without triggers. */
    private final int triggerInts;
    /** Flags with fields in every record. */
    private int flags;
    /** Ints per record, and where in a record the trigger state begins. */
    private int stride;
    private int triggerAt;
    private int capacity = 1024;
    private int[] records;
    int active;
    /** What the last {@link #touch} read, kept so that its reads are not optimised away. */
    @SuppressWarnings("unused")
    private int touched;

    /** Sessions with {@code triggerInts} ints each of trigger state (0: no triggers), and no flags yet. */
    Sessions(int triggerInts) {
        this.triggerInts = triggerInts;
        layOut(0, capacity);
        this.records = new int[capacity * stride];
    }

    /**
     * Lays records out for {@code flagCount} flags and room for {@code sessions}; refused, with the
     * layout unchanged, when they would not fit in one array.
     */
    private void layOut(int flagCount, int sessions) {
        int at = FLAGS_AT + flagCount * FLAG_INTS;
        int ints = at + triggerInts;
        if ((long) sessions * ints > Integer.MAX_VALUE - 16) {
            throw new IllegalStateException("too many sessions for one array: " + sessions + " of " + ints + " ints");
        }
        flags = flagCount;
        triggerAt = at;
        stride = ints;
        capacity = sessions;
    }

    /** The flags each session has fields for. */
    int flags() {
        return flags;
    }

    int route(int slot) {
        return records[slot * stride + ROUTE];
    }

    int tenant(int slot) {
        return records[slot * stride + TENANT];
    }

    byte cart(int slot) {
        return (byte) records[slot * stride + CART];
    }

    void cart(int slot, byte cart) {
        records[slot * stride + CART] = cart;
    }

    long unit(int slot) {
        return readLong(slot * stride + UNIT);
    }

    /** The session's next event id, which it then moves past. */
    long takeEventId(int slot) {
        int at = slot * stride + NEXT_EVENT_ID;
        long id = readLong(at);
        writeLong(at, id + 1);
        return id;
    }

    /**
     * The arm a session is in and counts for for flag {@code f} (-1 none: the flag has not reached its
     * PoP, or its scope leaves the session out).
     */
    int arm(int slot, int f) {
        return records[slot * stride + FLAGS_AT + f * FLAG_INTS + ARM];
    }

    void arm(int slot, int f, int arm) {
        records[slot * stride + FLAGS_AT + f * FLAG_INTS + ARM] = arm;
    }

    /**
     * The arm of the variant of flag {@code f} a session is served (-1 none yet), which is what it
     * behaves as: its {@link #arm} unless the flag's scope leaves it out, when it is served control but
     * counts for no arm.
     */
    int served(int slot, int f) {
        return records[slot * stride + FLAGS_AT + f * FLAG_INTS + SERVED];
    }

    void served(int slot, int f, int arm) {
        records[slot * stride + FLAGS_AT + f * FLAG_INTS + SERVED] = arm;
    }

    /** The version of flag {@code f} the session was assigned under (-1 none yet). */
    long version(int slot, int f) {
        return readLong(slot * stride + FLAGS_AT + f * FLAG_INTS + VERSION);
    }

    void version(int slot, int f, long version) {
        writeLong(slot * stride + FLAGS_AT + f * FLAG_INTS + VERSION, version);
    }

    /** Whether a change of flag {@code f} has moved the session from the arm it was first put in. */
    boolean moved(int slot, int f) {
        return records[slot * stride + FLAGS_AT + f * FLAG_INTS + MOVED] != 0;
    }

    void moved(int slot, int f, boolean moved) {
        records[slot * stride + FLAGS_AT + f * FLAG_INTS + MOVED] = moved ? 1 : 0;
    }

    /**
     * Reads every cache line of the records of the sessions in {@code slots[0, n)} and returns a
     * value made of what it read: the sessions the audience is about to play are fetched from memory
     * together, their misses overlapping, before any of them is needed. Changes nothing.
     */
    int touch(int[] slots, int n) {
        int[] r = records;
        int seen = 0;
        for (int j = 0; j < n; j++) {
            int at = slots[j] * stride;
            int end = at + stride - 1;
            for (int i = at; i < end; i += INTS_PER_LINE) {
                seen ^= r[i];
            }
            seen ^= r[end];
        }
        touched = seen;
        return seen;
    }

    /** The array that holds every session's trigger state. */
    int[] triggerRecords() {
        return records;
    }

    /** Where the trigger state of the session in {@code slot} starts in {@link #triggerRecords()}. */
    int triggerBase(int slot) {
        return slot * stride + triggerAt;
    }

    /**
     * A new session in the next slot, in no arm of any flag yet, its trigger state started by
     * {@code triggers} (null: none) at {@code nowMillis}; returns its slot.
     */
    int add(int routeIndex, long unitId, int tenantIndex, TriggerEngine triggers, long nowMillis) {
        if (active == capacity) {
            grow(capacity * 2);
        }
        int slot = active;
        int at = slot * stride;
        records[at + ROUTE] = routeIndex;
        records[at + TENANT] = tenantIndex;
        records[at + CART] = NONE;
        writeLong(at + UNIT, unitId);
        writeLong(at + NEXT_EVENT_ID, 1);
        for (int f = 0; f < flags; f++) {
            clearFlag(at + FLAGS_AT + f * FLAG_INTS);
        }
        if (triggers != null) {
            triggers.startSession(records, at + triggerAt, nowMillis);
        }
        active++;
        return slot;
    }

    /** The session in {@code slot} leaves: the last session takes its slot. */
    void remove(int slot) {
        int last = --active;
        System.arraycopy(records, last * stride, records, slot * stride, stride);
    }

    private void grow(int n) {
        layOut(flags, n);
        records = Arrays.copyOf(records, capacity * stride);
    }

    /**
     * Flags can be created while a show runs: gives every session fields for each of {@code flagCount}
     * flags, in no arm of the new ones, served none and assigned under no version.
     */
    void ensureFlagColumns(int flagCount) {
        if (flagCount == flags) {
            return;
        }
        int oldFlags = flags;
        int oldStride = stride;
        int oldTriggerAt = triggerAt;
        int[] old = records;
        layOut(flagCount, capacity);
        records = new int[capacity * stride];
        int kept = Math.min(oldFlags, flagCount);
        for (int slot = 0; slot < active; slot++) {
            int from = slot * oldStride;
            int to = slot * stride;
            System.arraycopy(old, from, records, to, FLAGS_AT + kept * FLAG_INTS);
            for (int f = kept; f < flagCount; f++) {
                clearFlag(to + FLAGS_AT + f * FLAG_INTS);
            }
            System.arraycopy(old, from + oldTriggerAt, records, to + triggerAt, triggerInts);
        }
    }

    private void clearFlag(int at) {
        records[at + ARM] = -1;
        records[at + SERVED] = -1;
        writeLong(at + VERSION, -1);
        records[at + MOVED] = 0;
    }

    private long readLong(int at) {
        return (long) records[at + 1] << 32 | records[at] & 0xFFFF_FFFFL;
    }

    private void writeLong(int at, long value) {
        records[at] = (int) value;
        records[at + 1] = (int) (value >>> 32);
    }
}
