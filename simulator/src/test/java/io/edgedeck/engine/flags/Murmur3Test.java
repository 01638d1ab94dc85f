package io.edgedeck.engine.flags;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class Murmur3Test {

    /** Published MurmurHash3_x86_32 values (SMHasher reference, widely reproduced verification lists). */
    @ParameterizedTest(name = "\"{0}\" seed {1} -> {2}")
    @CsvSource(delimiter = '|', textBlock = """
            ''                                           | 00000000 | 00000000
            ''                                           | 00000001 | 514e28b7
            ''                                           | ffffffff | 81f16f39
            hello                                        | 00000000 | 248bfa47
            abc                                          | 00000000 | b3dd93fa
            a                                            | 9747b28c | 7fa09ea6
            ab                                           | 9747b28c | 74875592
            abc                                          | 9747b28c | c84a62dd
            abcd                                         | 9747b28c | f0478627
            aaaa                                         | 9747b28c | 5a97808a
            Hello, world!                                | 9747b28c | 24884cba
            ππππππππ                                     | 9747b28c | d58063c1
            The quick brown fox jumps over the lazy dog  | 9747b28c | 2fa826cd
            abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq | 00000000 | ee925b90
            """)
    void matchesPublishedStringVectors(String input, String seedHex, String expectedHex) {
        int seed = Integer.parseUnsignedInt(seedHex, 16);
        int expected = Integer.parseUnsignedInt(expectedHex, 16);
        assertEquals(expected, Murmur3.hash32(input.getBytes(StandardCharsets.UTF_8), seed));
    }

    /** Byte-level vectors; they pin the tail handling (1-3 leftover bytes) and unsigned seeds. */
    @ParameterizedTest(name = "{0} seed {1} -> {2}")
    @CsvSource(delimiter = '|', textBlock = """
            00000000 | 00000000 | 2362f9de
            000000   | 00000000 | 85f0b427
            0000     | 00000000 | 30f4c306
            00       | 00000000 | 514e28b7
            ffffffff | 00000000 | 76293b50
            21436587 | 00000000 | f55b516b
            21436587 | 5082edee | 2362f9de
            214365   | 00000000 | 7e4a8634
            2143     | 00000000 | a0f7b07a
            21       | 00000000 | 72661cf4
            """)
    void matchesPublishedByteVectors(String bytesHex, String seedHex, String expectedHex) {
        byte[] data = new byte[bytesHex.length() / 2];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) Integer.parseInt(bytesHex.substring(2 * i, 2 * i + 2), 16);
        }
        assertEquals(Integer.parseUnsignedInt(expectedHex, 16),
                Murmur3.hash32(data, Integer.parseUnsignedInt(seedHex, 16)));
    }
}
