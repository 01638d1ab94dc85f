package io.edgedeck.engine.ingest;

/**
 * The event ids seen recently, so a re-sent event is counted once. An id is remembered for
 * {@code windowMillis} of engine time after it arrived, and at most {@code capacity} ids are held:
 * past that the oldest is forgotten first. So an id is recognised again for at least the shorter of
 * the window and the time it takes {@code capacity} newer ids to arrive.
 *
 * <p>Ids are held as 64-bit hashes in flat arrays, no object per id whatever the id's length, grown as
 * needed: a table at most half full and the arrival order (hash and time), so the bytes held follow from
 * the count alone. Full at a million ids that is 32,777,264 bytes (32.8 a key; {@link #bytes}); the
 * arrays grow by doubling, so just past a growth (262,145 ids) it is 96 bytes a key, never more in
 * all than when full, except while growing: the old arrays are held until the new ones are filled, at
 * the last growth (524,288 ids to a million) 25.2 MB and 32.8 MB at once. Two different ids collide with probability about n²/2^65 for n ids held, under
 * 3·10^-8 for a million, and the later of a colliding pair would be taken for a duplicate.
 * Engine thread.
 */
final class EventIdWindow {
    private static final long EMPTY = 0;
    private static final int MAX_CAPACITY = 1 << 26;
    private static final int INITIAL = 1024;

    private final long windowMillis;
    private final int capacity;
    /** Open addressing with linear probing, at most half full; {@link #EMPTY} marks a free slot. */
    private long[] table;
    private int mask;
    /** Arrival order: the hash and time of each remembered id, oldest at {@code tail}. */
    private long[] ringHash;
    private long[] ringTime;
    private int tail;
    private int size;
    /** Ids forgotten to make room, before their window had passed. */
    private long forgotten;

    EventIdWindow(long windowMillis, int capacity) {
        if (windowMillis <= 0 || capacity <= 0 || capacity > MAX_CAPACITY) {
            throw new IllegalArgumentException("the dedupe window must be positive and the capacity in 1.." + MAX_CAPACITY);
        }
        this.windowMillis = windowMillis;
        this.capacity = capacity;
        allocate(Math.min(capacity, INITIAL));
    }

    private void allocate(int ringLength) {
        long[] oldHash = ringHash;
        long[] oldTime = ringTime;
        int slots = Integer.highestOneBit(ringLength) << 2;
        table = new long[slots];
        mask = slots - 1;
        ringHash = new long[ringLength];
        ringTime = new long[ringLength];
        for (int k = 0; k < size; k++) {
            int from = (tail + k) % oldHash.length;
            ringHash[k] = oldHash[from];
            ringTime[k] = oldTime[from];
            insert(oldHash[from]);
        }
        tail = 0;
    }

    /** True when the id was seen within the window. */
    boolean contains(String id, long nowMillis) {
        expire(nowMillis);
        long h = hash(id);
        for (int i = slot(h); table[i] != EMPTY; i = (i + 1) & mask) {
            if (table[i] == h) {
                return true;
            }
        }
        return false;
    }

    /**
     * Remembers an id that is not held yet, arrived at {@code nowMillis}; an arrival earlier than the
     * newest one held (batches of concurrent senders) is held as of that newest, so the ids stay in
     * arrival order and each is kept at least the window.
     */
    void add(String id, long nowMillis) {
        expire(nowMillis);
        if (size > 0) {
            nowMillis = Math.max(nowMillis, ringTime[(tail + size - 1) % ringHash.length]);
        }
        if (size == capacity) {
            removeOldest();
            forgotten++;
        } else if (size == ringHash.length) {
            allocate(Math.min(capacity, ringHash.length * 2));
        }
        long h = hash(id);
        insert(h);
        int at = (tail + size) % ringHash.length;
        ringHash[at] = h;
        ringTime[at] = nowMillis;
        size++;
    }

    int size() {
        return size;
    }

    /** The ids forgotten to make room for newer ones before their window had passed, since this was made. */
    long forgotten() {
        return forgotten;
    }

    /** The bytes its arrays take on the heap (each a 16-byte header and 8 bytes a slot): all it holds. */
    long bytes() {
        return 3 * 16L + 8L * (table.length + ringHash.length + ringTime.length);
    }

    private void insert(long h) {
        int i = slot(h);
        while (table[i] != EMPTY) {
            i = (i + 1) & mask;
        }
        table[i] = h;
    }

    private void expire(long nowMillis) {
        while (size > 0 && ringTime[tail] <= nowMillis - windowMillis) {
            removeOldest();
        }
    }

    private void removeOldest() {
        long h = ringHash[tail];
        tail = (tail + 1) % ringHash.length;
        size--;
        int i = slot(h);
        while (table[i] != h) {
            i = (i + 1) & mask;
        }
        // Backward-shift deletion (Knuth's algorithm R) keeps every probe chain whole without tombstones.
        int hole = i;
        for (int j = (hole + 1) & mask; table[j] != EMPTY; j = (j + 1) & mask) {
            int home = slot(table[j]);
            boolean movable = hole <= j ? home <= hole || home > j : home <= hole && home > j;
            if (movable) {
                table[hole] = table[j];
                hole = j;
            }
        }
        table[hole] = EMPTY;
    }

    private int slot(long h) {
        return (int) (h ^ (h >>> 32)) & mask;
    }

    /** FNV-1a over the UTF-16 units, then the SplitMix64 finaliser; never {@link #EMPTY}. */
    static long hash(String id) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < id.length(); i++) {
            h ^= id.charAt(i);
            h *= 0x100000001b3L;
        }
        h ^= id.length();
        h = (h ^ (h >>> 30)) * 0xbf58476d1ce4e5b9L;
        h = (h ^ (h >>> 27)) * 0x94d049bb133111ebL;
        h ^= h >>> 31;
        return h == EMPTY ? 1 : h;
    }
}
