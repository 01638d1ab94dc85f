package io.edgedeck.simulator.traffic;

import io.edgedeck.engine.triggers.SessionTriggerState;

import java.util.Arrays;

/**
 * The audience's sessions as parallel primitive arrays, by slot: the route each takes, its unit id,
 * its cart, its tenant, its trigger state, and per flag the arm it is in, the flag version it was
 * assigned under and whether a flag change moved it. Slots are dense: a session that leaves takes
 * the last slot's place. The {@link AudienceModel} reads and writes the arrays directly.
 *
 * <p>Owned by the engine thread.
 */
final class Sessions {
    static final byte NONE = 0;
    static final byte IN_CART = 1;

    int[] route = new int[1024];
    long[] unit = new long[1024];
    byte[] cart = new byte[1024];
    int[] tenant = new int[1024];
    long[] nextEventId = new long[1024];
    SessionTriggerState[] triggerState = new SessionTriggerState[1024];
    /**
     * [flag][slot]: the arm a session is in and counts for (-1 none: the flag has not reached its
     * PoP, or its scope leaves the session out) and the flag version it was assigned under.
     */
    int[][] armOf = new int[0][];
    /**
     * [flag][slot]: the arm of the variant a session is served (-1 none yet), which is what it
     * behaves as: its {@link #armOf} unless the flag's scope leaves it out, when it is served
     * control but counts for no arm.
     */
    int[][] servedOf = new int[0][];
    long[][] versionOf = new long[0][];
    /** Per flag and session: whether a flag change has moved it from the arm it was first put in. */
    boolean[][] movedOf = new boolean[0][];
    int active;

    /** A new session in the next slot, in no arm of any flag yet; returns its slot. */
    int add(int routeIndex, long unitId, int tenantIndex, SessionTriggerState triggers) {
        if (active == route.length) {
            grow(route.length * 2);
        }
        int slot = active;
        route[slot] = routeIndex;
        unit[slot] = unitId;
        cart[slot] = NONE;
        tenant[slot] = tenantIndex;
        nextEventId[slot] = 1;
        triggerState[slot] = triggers;
        for (int f = 0; f < armOf.length; f++) {
            armOf[f][slot] = -1;
            servedOf[f][slot] = -1;
            versionOf[f][slot] = -1;
            movedOf[f][slot] = false;
        }
        active++;
        return slot;
    }

    /** The session in {@code slot} leaves: the last session takes its slot. */
    void remove(int slot) {
        int last = --active;
        route[slot] = route[last];
        unit[slot] = unit[last];
        cart[slot] = cart[last];
        tenant[slot] = tenant[last];
        nextEventId[slot] = nextEventId[last];
        triggerState[slot] = triggerState[last];
        triggerState[last] = null;
        for (int f = 0; f < armOf.length; f++) {
            armOf[f][slot] = armOf[f][last];
            servedOf[f][slot] = servedOf[f][last];
            versionOf[f][slot] = versionOf[f][last];
            movedOf[f][slot] = movedOf[f][last];
        }
    }

    private void grow(int n) {
        route = Arrays.copyOf(route, n);
        unit = Arrays.copyOf(unit, n);
        cart = Arrays.copyOf(cart, n);
        tenant = Arrays.copyOf(tenant, n);
        nextEventId = Arrays.copyOf(nextEventId, n);
        triggerState = Arrays.copyOf(triggerState, n);
        for (int f = 0; f < armOf.length; f++) {
            armOf[f] = Arrays.copyOf(armOf[f], n);
            servedOf[f] = Arrays.copyOf(servedOf[f], n);
            versionOf[f] = Arrays.copyOf(versionOf[f], n);
            movedOf[f] = Arrays.copyOf(movedOf[f], n);
        }
    }

    /** Flags can be created while a show runs: gives every session a column for each of {@code flags}. */
    void ensureFlagColumns(int flags) {
        if (flags == armOf.length) {
            return;
        }
        int old = armOf.length;
        armOf = Arrays.copyOf(armOf, flags);
        servedOf = Arrays.copyOf(servedOf, flags);
        versionOf = Arrays.copyOf(versionOf, flags);
        movedOf = Arrays.copyOf(movedOf, flags);
        for (int f = old; f < flags; f++) {
            armOf[f] = new int[route.length];
            servedOf[f] = new int[route.length];
            versionOf[f] = new long[route.length];
            movedOf[f] = new boolean[route.length];
            Arrays.fill(armOf[f], -1);
            Arrays.fill(servedOf[f], -1);
            Arrays.fill(versionOf[f], -1);
        }
    }
}
