package io.edgedeck.engine.ingest;

import io.edgedeck.engine.triggers.SessionTriggerState;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The units (OpenFeature {@code targetingKey}s) the keyed path has heard of, least recently active
 * first: the arm each is in for every flag it was exposed to (a conversion or a chat message counts
 * for every one of them; a unit moved to another arm of a flag by a rollback or a ramp counts for
 * the arm it is in now, as a session does in a rehearsal), the flag version each exposure was counted under, the PoP it was last served at, and its
 * trigger state. Bounded: past {@code maxUnits} the least recently active unit is forgotten, and
 * its later conversions count for no variant. Engine thread.
 */
final class UnitTable {

    /** One unit. */
    static final class Unit {
        /** The PoP of its latest exposure, or -1. */
        int homePop = -1;
        /** Per flag index: the exposure stamp and arm its exposure was last counted under. */
        long[] countedStamp = new long[0];
        int[] countedArm = new int[0];
        /** The arm it is in for each flag it was exposed to (one per flag: a move leaves the old one), oldest first, at most {@code maxArms}. */
        int[] arms = new int[2];
        /** Per entry of {@link #arms}: whether it came to that arm by moving from another arm of the same flag. */
        boolean[] movedInto = new boolean[2];
        int armCount;
        SessionTriggerState triggers;
        long nextInteraction = 1;

        /** How an exposure counts. */
        enum Exposure {
            /** Already counted under this flag version and arm. */
            REPEAT,
            /** The first in this flag version: an exposure of the arm. */
            COUNTED,
            /** A move from another arm of the same flag (a rollback, a ramp): the arm's moved cohort. */
            MOVED
        }

        /** The arm its exposures to flag {@code flag} are counted under, or -1 when it was never exposed to the flag. */
        int armOf(int flag) {
            return flag < countedArm.length ? countedArm[flag] : -1;
        }

        /** Whether an exposure to {@code arm} of flag {@code flag} under {@code stamp} is a {@link Exposure#REPEAT}. */
        boolean counted(int flag, long stamp, int arm) {
            return flag < countedStamp.length && countedStamp[flag] == stamp && countedArm[flag] == arm;
        }

        /** Records an exposure to {@code arm} of flag {@code flag} under {@code stamp}. */
        Exposure expose(int flag, long stamp, int arm, int maxArms) {
            if (flag >= countedStamp.length) {
                int old = countedStamp.length;
                countedStamp = Arrays.copyOf(countedStamp, flag + 1);
                countedArm = Arrays.copyOf(countedArm, flag + 1);
                Arrays.fill(countedArm, old, flag + 1, -1);
                Arrays.fill(countedStamp, old, flag + 1, -1);
            }
            if (counted(flag, stamp, arm)) {
                return Exposure.REPEAT;
            }
            boolean moved = countedArm[flag] >= 0 && countedArm[flag] != arm;
            if (moved) {
                // It is no longer in the arm it left: its later conversions and chat count for the one it is in.
                removeArm(countedArm[flag]);
            }
            countedStamp[flag] = stamp;
            countedArm[flag] = arm;
            addArm(arm, moved, maxArms);
            return moved ? Exposure.MOVED : Exposure.COUNTED;
        }

        private void removeArm(int arm) {
            for (int i = 0; i < armCount; i++) {
                if (arms[i] == arm) {
                    System.arraycopy(arms, i + 1, arms, i, armCount - i - 1);
                    System.arraycopy(movedInto, i + 1, movedInto, i, armCount - i - 1);
                    armCount--;
                    return;
                }
            }
        }

        private void addArm(int arm, boolean moved, int maxArms) {
            for (int i = 0; i < armCount; i++) {
                if (arms[i] == arm) {
                    return;
                }
            }
            if (armCount == maxArms) {
                System.arraycopy(arms, 1, arms, 0, armCount - 1);
                System.arraycopy(movedInto, 1, movedInto, 0, armCount - 1);
                armCount--;
            } else if (armCount == arms.length) {
                arms = Arrays.copyOf(arms, Math.min(maxArms, arms.length * 2));
                movedInto = Arrays.copyOf(movedInto, arms.length);
            }
            movedInto[armCount] = moved;
            arms[armCount++] = arm;
        }
    }

    private final int maxUnits;
    private final LinkedHashMap<String, Unit> units;

    /** @param forgotten told of each unit forgotten past {@code maxUnits}, as it goes */
    UnitTable(int maxUnits, Consumer<Unit> forgotten) {
        if (maxUnits <= 0) {
            throw new IllegalArgumentException("maxUnits must be positive, was " + maxUnits);
        }
        this.maxUnits = maxUnits;
        // In order of activity, which only touch and find change (putLast), never a lookup: a restart's
        // replay makes no lookups, so it must leave the same order behind as the events did when they came.
        this.units = new LinkedHashMap<>(1024, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Unit> eldest) {
                boolean forget = size() > UnitTable.this.maxUnits;
                if (forget) {
                    forgotten.accept(eldest.getValue());
                }
                return forget;
            }
        };
    }

    /** The unit, made if new; either way it becomes the most recently active. */
    Unit touch(String targetingKey) {
        Unit known = units.get(targetingKey);
        Unit unit = known != null ? known : new Unit();
        units.putLast(targetingKey, unit);
        return unit;
    }

    /** The unit if known (and then the most recently active), or null. */
    Unit find(String targetingKey) {
        Unit unit = units.get(targetingKey);
        if (unit != null) {
            units.putLast(targetingKey, unit);
        }
        return unit;
    }

    /**
     * The unit if known, or null, leaving it where it is among the least and most recently active: for
     * lookups that are no activity of the unit's (whether it is in an arm, whether an exposure would count).
     */
    Unit peek(String targetingKey) {
        return units.get(targetingKey);
    }

    int size() {
        return units.size();
    }
}
