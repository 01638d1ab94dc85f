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
 * {@link #bucket(String)} only encodes and mixes the unit id's characters and allocates nothing.
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
        return Integer.remainderUnsigned(hash(unitId), BUCKETS);
    }

    /** The unsigned 32-bit murmur3 value (as an int) of the whole {@code flagKey:salt:unitId} string. */
    public int hash(String unitId) {
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
