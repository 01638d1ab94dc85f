package io.edgedeck.engine.flags;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class BucketingTest {

    /** The same table as docs/BUCKETING.md: the contract other evaluators are checked against. */
    static Stream<Arguments> publishedVectors() throws IOException {
        List<Arguments> rows = new ArrayList<>();
        try (var in = BucketingTest.class.getResourceAsStream("/bucketing-vectors.tsv");
             var reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.startsWith("#") || line.isEmpty()) {
                    continue;
                }
                String[] f = line.split("\t", -1);
                rows.add(Arguments.of(f[0], f[1], f[2], Integer.parseUnsignedInt(f[3], 16), Integer.parseInt(f[4])));
            }
        }
        assertTrue(rows.size() >= 12, "the published table has at least 12 vectors");
        return rows.stream();
    }

    @ParameterizedTest(name = "{0} / {1} / {2} -> {4}")
    @MethodSource("publishedVectors")
    void reproducesPublishedVectors(String flagKey, String salt, String unitId, int hash, int bucket) {
        assertEquals(hash, Bucketing.forFlag(flagKey, salt).hash(unitId));
        assertEquals(bucket, Bucketing.forFlag(flagKey, salt).bucket(unitId));
        assertEquals(bucket, Bucketing.bucket(flagKey, salt, unitId));
    }

    @Test
    void streamingEncoderAgreesWithHashingTheUtf8BytesOfTheWholeString() {
        // Prefix lengths 0..3 mod 4 and every UTF-8 width, so block boundaries fall everywhere.
        var random = new SplittableRandom(20260415L);
        for (int i = 0; i < 50_000; i++) {
            String flagKey = "f".repeat(1 + random.nextInt(4));
            String salt = "s".repeat(random.nextInt(4));
            String unitId = randomUnitId(random);
            byte[] whole = (flagKey + ":" + salt + ":" + unitId).getBytes(StandardCharsets.UTF_8);
            assertEquals(Murmur3.hash32(whole, 0), Bucketing.forFlag(flagKey, salt).hash(unitId),
                    () -> "unit id " + unitId.codePoints().mapToObj(Integer::toHexString).toList());
        }
    }

    @Test
    void asciiIdsOfEveryLengthAgreeWithHashingTheirBytes() {
        // Ids of 0 to 40 ASCII characters after prefixes of every length mod 4, all on the ASCII path;
        // and the same ids with one character past ASCII anywhere, which sends them to the other path.
        var random = new SplittableRandom(20261204L);
        for (int i = 0; i < 50_000; i++) {
            String flagKey = "k".repeat(1 + random.nextInt(4));
            String salt = "s".repeat(random.nextInt(4));
            char[] chars = new char[random.nextInt(41)];
            for (int j = 0; j < chars.length; j++) {
                chars[j] = (char) random.nextInt(0x80);
            }
            if (chars.length > 0 && random.nextBoolean()) {
                chars[random.nextInt(chars.length)] = (char) (0x80 + random.nextInt(0x80));
            }
            String unitId = new String(chars);
            byte[] whole = (flagKey + ":" + salt + ":" + unitId).getBytes(StandardCharsets.UTF_8);
            Bucketing bucketing = Bucketing.forFlag(flagKey, salt);
            assertEquals(Murmur3.hash32(whole, 0), bucketing.hash(unitId), unitId);
            assertEquals(bucketing.hashAnyUnicode(unitId), bucketing.hash(unitId), unitId);
            assertEquals(bucketing.hash(unitId), bucketing.hashUtf8(unitId.getBytes(StandardCharsets.UTF_8)), unitId);
        }
    }

    @Test
    void theBucketIsTheHashReadUnsignedModTenThousand() {
        int[] edges = {0, 1, 9_999, 10_000, 10_001, Integer.MAX_VALUE, Integer.MIN_VALUE, -1, -2, -10_000,
                (int) 4_294_960_000L, (int) 4_294_959_999L};
        for (int h : edges) {
            assertEquals(Integer.remainderUnsigned(h, Bucketing.BUCKETS), Bucketing.bucketOf(h), Integer.toUnsignedString(h));
        }
        var random = new SplittableRandom(7);
        for (int i = 0; i < 1_000_000; i++) {
            int h = random.nextInt();
            assertEquals(Integer.remainderUnsigned(h, Bucketing.BUCKETS), Bucketing.bucketOf(h), Integer.toUnsignedString(h));
        }
    }

    @Test
    void bucketsAreSpreadEvenlyOverTheSpace() {
        var bucketing = Bucketing.forFlag("checkout-button", "2026");
        int[] deciles = new int[10];
        for (int i = 0; i < 100_000; i++) {
            deciles[bucketing.bucket("viewer-" + i) / 1000]++;
        }
        for (int count : deciles) {
            assertTrue(count > 9_500 && count < 10_500, () -> "decile counts " + Arrays.toString(deciles));
        }
    }

    private static String randomUnitId(SplittableRandom random) {
        var sb = new StringBuilder();
        // Mostly-ASCII ids take the four-characters-at-a-time path, interrupted now and then.
        boolean mostlyAscii = random.nextBoolean();
        int length = random.nextInt(mostlyAscii ? 40 : 10);
        for (int j = 0; j < length; j++) {
            switch (mostlyAscii && random.nextInt(8) > 0 ? 0 : random.nextInt(6)) {
                case 0 -> sb.append((char) random.nextInt(0x80));
                case 1 -> sb.append((char) (0x80 + random.nextInt(0x780)));
                case 2 -> sb.append((char) (0x800 + random.nextInt(0xD000 - 0x800)));
                case 3 -> sb.appendCodePoint(0x10000 + random.nextInt(0x100000));
                case 4 -> sb.append((char) (0xD800 + random.nextInt(0x800)));
                default -> sb.append((char) (0xE000 + random.nextInt(0x2000)));
            }
        }
        return sb.toString();
    }
}
