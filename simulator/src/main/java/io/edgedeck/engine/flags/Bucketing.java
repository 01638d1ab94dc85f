package io.edgedeck.engine.flags;

import java.nio.charset.StandardCharsets;

/**
 * The one bucketing algorithm of EdgeDeck: a unit (viewer, session, device) lands in a bucket in
 * [0, {@value #BUCKETS}) that depends only on the flag key, the flag's salt and the unit id.
 *
 * <pre>
 * bucket = unsigned(murmur3_x86_32(utf8(flagKey + ":" + salt + ":" + unitId), seed 0)) mod 10000
 * </pre>
 *
 * The exact specification, with test vectors for evaluators in other languages, is
 * {@code docs/BUCKETING.md}; any change here is a change to that published contract.
 *
 * <p>An instance precomputes the hash state over the {@code flagKey:salt:} prefix, so
 * {@link #bucket(String)} only mixes the unit id's characters and allocates nothing.
 * Unit ids are expected to be well-formed Unicode; an unpaired surrogate is hashed as {@code '?'},
 * which is what {@link String#getBytes(java.nio.charset.Charset)} produces for it.
 */
public final class Bucketing {
    public static final int BUCKETS = 10_000;

    private static final int REPLACEMENT = '?';

    private final int prefixHash;
    private final int pendingWord;
    private final int pendingShift;
    private final int prefixLength;

    private Bucketing(byte[] prefix) {
        int blocks = prefix.length & ~3;
        int h = 0;
        for (int i = 0; i < blocks; i += 4) {
            h = Murmur3.mixBlock(h, (prefix[i] & 0xff)
                    | (prefix[i + 1] & 0xff) << 8
                    | (prefix[i + 2] & 0xff) << 16
                    | (prefix[i + 3] & 0xff) << 24);
        }
        int word = 0;
        for (int i = blocks; i < prefix.length; i++) {
            word |= (prefix[i] & 0xff) << (8 * (i - blocks));
        }
        this.prefixHash = h;
        this.pendingWord = word;
        this.pendingShift = 8 * (prefix.length - blocks);
        this.prefixLength = prefix.length;
    }

    /** Precomputes the prefix of one flag; keep the instance as long as the key and salt hold. */
    public static Bucketing forFlag(String flagKey, String salt) {
        return new Bucketing((flagKey + ":" + salt + ":").getBytes(StandardCharsets.UTF_8));
    }

    /** One-off form; allocates the prefix, so evaluators hold a {@link #forFlag} instance instead. */
    public static int bucket(String flagKey, String salt, String unitId) {
        return forFlag(flagKey, salt).bucket(unitId);
    }

    /** The bucket of {@code unitId} in [0, {@value #BUCKETS}). */
    public int bucket(String unitId) {
        return bucketOf(hash(unitId));
    }

    /**
     * {@code hash} read unsigned, mod {@value #BUCKETS}: the quotient by a multiply and a shift
     * (0xD1B71759 is the ceiling of 2^45 / 10,000, exact for every 32-bit dividend), so no division.
     */
    static int bucketOf(int hash) {
        long x = hash & 0xffffffffL;
        return (int) (x - (x * 0xD1B71759L >>> 45) * BUCKETS);
    }

    /**
     * The unsigned 32-bit murmur3 value (as an int) of the whole {@code flagKey:salt:unitId} string.
     *
     * <p>Unit ids are nearly always ASCII, so they are hashed four characters to a block; the first
     * block with any other character sends the id to {@link #hashAnyUnicode}, which encodes it as
     * UTF-8 on the fly. A prefix whose length is a multiple of four leaves no bytes pending, and
     * then each block is four characters as they are; otherwise the pending bytes and each four
     * characters are joined in a long, whose low half is the block and high half carried over.
     * Every path gives the murmur3 of the same bytes ({@code BucketingTest} compares them with
     * {@link Murmur3#hash32} over the whole string).
     */
    public int hash(String unitId) {
        // Two loops that read alike on purpose: joining costs a shift and an OR per block, a fifth of
        // the evaluation's time, and most flags' prefixes need none (docs/BENCHMARKS.md).
        return pendingShift == 0 ? hashAligned(unitId) : hashJoined(unitId);
    }

    private int hashAligned(String unitId) {
        int n = unitId.length();
        int h = prefixHash;
        int i = 0;
        for (; i + 4 <= n; i += 4) {
            int c0 = unitId.charAt(i);
            int c1 = unitId.charAt(i + 1);
            int c2 = unitId.charAt(i + 2);
            int c3 = unitId.charAt(i + 3);
            if ((c0 | c1 | c2 | c3) >= 0x80) {
                return hashAnyUnicode(unitId);
            }
            h = Murmur3.mixBlock(h, c0 | c1 << 8 | c2 << 16 | c3 << 24);
        }
        int tail = 0;
        for (int j = n - 1; j >= i; j--) {
            int c = unitId.charAt(j);
            if (c >= 0x80) {
                return hashAnyUnicode(unitId);
            }
            tail = tail << 8 | c;
        }
        if (n > i) {
            h = Murmur3.mixTail(h, tail);
        }
        return Murmur3.finish(h, prefixLength + n);
    }

    private int hashJoined(String unitId) {
        int n = unitId.length();
        int h = prefixHash;
        int shift = pendingShift;
        long word = pendingWord & 0xffffffffL;
        int i = 0;
        for (; i + 4 <= n; i += 4) {
            int c0 = unitId.charAt(i);
            int c1 = unitId.charAt(i + 1);
            int c2 = unitId.charAt(i + 2);
            int c3 = unitId.charAt(i + 3);
            if ((c0 | c1 | c2 | c3) >= 0x80) {
                return hashAnyUnicode(unitId);
            }
            long joined = word | (long) (c0 | c1 << 8 | c2 << 16 | c3 << 24) << shift;
            h = Murmur3.mixBlock(h, (int) joined);
            word = joined >>> 32;
        }
        // What is left: the pending bytes and the last 0 to 3 characters, 1 to 6 bytes in all.
        int restBytes = shift >>> 3;
        for (; i < n; i++) {
            int c = unitId.charAt(i);
            if (c >= 0x80) {
                return hashAnyUnicode(unitId);
            }
            word |= (long) c << (restBytes++ << 3);
        }
        return finishRest(h, word, restBytes, prefixLength + n);
    }

    /**
     * What {@link #hash} gives for an id whose UTF-8 encoding is {@code unitIdUtf8}, from the bytes:
     * for callers that hold ids as bytes, and the floor a benchmark sets {@link #hash} against (the
     * same murmur3 chain with no characters to read).
     */
    public int hashUtf8(byte[] unitIdUtf8) {
        int n = unitIdUtf8.length;
        int blocks = n & ~3;
        int h = prefixHash;
        int shift = pendingShift;
        long word = pendingWord & 0xffffffffL;
        for (int i = 0; i < blocks; i += 4) {
            long block = ((unitIdUtf8[i] & 0xff) | (unitIdUtf8[i + 1] & 0xff) << 8
                    | (unitIdUtf8[i + 2] & 0xff) << 16 | (unitIdUtf8[i + 3] & 0xff) << 24) & 0xffffffffL;
            long joined = word | block << shift;
            h = Murmur3.mixBlock(h, (int) joined);
            word = joined >>> 32;
        }
        int restBytes = shift >>> 3;
        for (int i = blocks; i < n; i++) {
            word |= (long) (unitIdUtf8[i] & 0xff) << (restBytes++ << 3);
        }
        return finishRest(h, word, restBytes, prefixLength + n);
    }

    /** Mixes the last 0 to 7 bytes left in {@code word} and finishes the hash of {@code length} bytes. */
    private static int finishRest(int h, long word, int restBytes, int length) {
        if (restBytes >= 4) {
            h = Murmur3.mixBlock(h, (int) word);
            word >>>= 32;
            restBytes -= 4;
        }
        if (restBytes > 0) {
            h = Murmur3.mixTail(h, (int) word);
        }
        return Murmur3.finish(h, length);
    }

    /** {@link #hash} for an id with characters outside ASCII: each encoded as UTF-8 as it comes. */
    int hashAnyUnicode(String unitId) {
        int h = prefixHash;
        int word = pendingWord;
        int shift = pendingShift;
        int length = prefixLength;
        int n = unitId.length();
        int i = 0;
        while (i < n) {
            // Four ASCII characters make one block whatever the alignment left so far: the pending
            // bytes and the new ones are joined in a long and split into a block and a remainder.
            while (i + 4 <= n) {
                char c0 = unitId.charAt(i);
                char c1 = unitId.charAt(i + 1);
                char c2 = unitId.charAt(i + 2);
                char c3 = unitId.charAt(i + 3);
                if ((c0 | c1 | c2 | c3) >= 0x80) {
                    break;
                }
                long joined = (word & 0xffffffffL) | (long) (c0 | c1 << 8 | c2 << 16 | c3 << 24) << shift;
                h = Murmur3.mixBlock(h, (int) joined);
                word = (int) (joined >>> 32);
                i += 4;
                length += 4;
            }
            if (i == n) {
                break;
            }
            // One character byte by byte: the last few ASCII ones, or a multi-byte encoding.
            char c = unitId.charAt(i++);
            int encoded;
            int byteCount;
            if (c < 0x80) {
                encoded = c;
                byteCount = 1;
            } else if (c < 0x800) {
                encoded = (0xc0 | c >>> 6) | (0x80 | c & 0x3f) << 8;
                byteCount = 2;
            } else if (Character.isHighSurrogate(c) && i < n && Character.isLowSurrogate(unitId.charAt(i))) {
                int cp = Character.toCodePoint(c, unitId.charAt(i++));
                encoded = (0xf0 | cp >>> 18)
                        | (0x80 | cp >>> 12 & 0x3f) << 8
                        | (0x80 | cp >>> 6 & 0x3f) << 16
                        | (0x80 | cp & 0x3f) << 24;
                byteCount = 4;
            } else if (Character.isSurrogate(c)) {
                encoded = REPLACEMENT;
                byteCount = 1;
            } else {
                encoded = (0xe0 | c >>> 12) | (0x80 | c >>> 6 & 0x3f) << 8 | (0x80 | c & 0x3f) << 16;
                byteCount = 3;
            }
            length += byteCount;
            for (int b = 0; b < byteCount; b++) {
                word |= (encoded & 0xff) << shift;
                encoded >>>= 8;
                shift += 8;
                if (shift == 32) {
                    h = Murmur3.mixBlock(h, word);
                    word = 0;
                    shift = 0;
                }
            }
        }
        if (shift != 0) {
            h = Murmur3.mixTail(h, word);
        }
        return Murmur3.finish(h, length);
    }
}
