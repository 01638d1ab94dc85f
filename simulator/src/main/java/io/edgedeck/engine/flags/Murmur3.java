package io.edgedeck.engine.flags;

/**
 * MurmurHash3, x86 32-bit variant, written from Austin Appleby's public-domain reference
 * ({@code MurmurHash3_x86_32} in SMHasher). Bytes are read as little-endian 32-bit blocks.
 *
 * <p>Besides the whole-array form, the block, tail and finalisation steps are exposed so that
 * {@link Bucketing} can hash a precomputed prefix followed by characters encoded on the fly,
 * without building a byte array per evaluation.
 */
public final class Murmur3 {
    private static final int C1 = 0xcc9e2d51;
    private static final int C2 = 0x1b873593;

    private Murmur3() {
    }

    /** The reference hash of {@code data} with {@code seed}; the result is meant to be read unsigned. */
    public static int hash32(byte[] data, int seed) {
        int h = seed;
        int blocks = data.length & ~3;
        for (int i = 0; i < blocks; i += 4) {
            int k = (data[i] & 0xff)
                    | (data[i + 1] & 0xff) << 8
                    | (data[i + 2] & 0xff) << 16
                    | (data[i + 3] & 0xff) << 24;
            h = mixBlock(h, k);
        }
        int tail = 0;
        for (int i = data.length - 1; i >= blocks; i--) {
            tail = tail << 8 | (data[i] & 0xff);
        }
        if (data.length > blocks) {
            h = mixTail(h, tail);
        }
        return finish(h, data.length);
    }

    static int mixBlock(int h, int k) {
        h ^= scramble(k);
        h = Integer.rotateLeft(h, 13);
        return h * 5 + 0xe6546b64;
    }

    /** The last 1 to 3 bytes: scrambled like a block but without the rotate-multiply-add of h. */
    static int mixTail(int h, int tail) {
        return h ^ scramble(tail);
    }

    static int finish(int h, int length) {
        h ^= length;
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        h *= 0xc2b2ae35;
        h ^= h >>> 16;
        return h;
    }

    private static int scramble(int k) {
        k *= C1;
        k = Integer.rotateLeft(k, 15);
        return k * C2;
    }
}
