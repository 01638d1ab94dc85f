package io.edgedeck.simulator.load;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** A key file that holds no key is named so, whatever its bytes. */
class NodeKeysTest {

    @Test
    void aFileOfBytesThatAreNoTextIsSaidToHoldNoKey(@TempDir Path dir) throws Exception {
        Path good = Files.writeString(dir.resolve("good"), "abc_DEF-123\n");
        Path zip = Files.write(dir.resolve("bundle.zip"), new byte[] {'P', 'K', 3, 4, (byte) 0xff, (byte) 0xfe, 0, 1});
        NodeKeys.KeyFileException e = assertThrows(NodeKeys.KeyFileException.class, () -> NodeKeys.read(null, zip, good, good));
        assertEquals("--token-file: " + zip + " does not hold a key (one line of printable characters)", e.getMessage());
        assertEquals("--token-file", e.option());
    }
}
