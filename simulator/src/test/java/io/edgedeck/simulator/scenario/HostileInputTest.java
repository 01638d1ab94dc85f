package io.edgedeck.simulator.scenario;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Input nobody should send: each gets one clear error, quickly, and never another exception. */
class HostileInputTest {

    private static ScenarioError rejected(byte[] document) {
        ScenarioValidationException e = assertTimeoutPreemptively(Duration.ofSeconds(5),
                () -> assertThrows(ScenarioValidationException.class, () -> ScenarioParser.parse(document)));
        assertEquals(1, e.errors().size(), e::getMessage);
        return e.errors().getFirst();
    }

    private static ScenarioError rejected(String document) {
        return rejected(document.getBytes(StandardCharsets.UTF_8));
    }

    /** NaN is not JSON: the file's author is told so, not the parser's switch that would let it through. */
    @Test
    void notANumberIsNotJsonInWordsAnAuthorCanUse() {
        String message = rejected("{\"name\": \"x\", \"durationSeconds\": NaN}").message();
        assertTrue(message.startsWith("not valid JSON: "), message);
        assertTrue(message.contains("which is not JSON"), message);
        assertTrue(!message.contains("JsonReadFeature") && !message.contains("enable"), message);
    }

    @Test
    void deeplyNestedArrays() {
        ScenarioError error = rejected("{\"name\": " + "[".repeat(10_000) + "]".repeat(10_000) + "}");
        assertTrue(error.message().contains("nested deeper than 64 levels"), error::message);
        assertEquals(1, error.line());
    }

    @Test
    void deeplyNestedObjectsWithoutClosing() {
        ScenarioError error = rejected("{\"a\":".repeat(10_000));
        assertTrue(error.message().contains("nested deeper than 64 levels"), error::message);
    }

    @Test
    void tenMegabytes() {
        byte[] big = TinyScenario.with("\"seed\": 7,", "\"seed\": 7," + " ".repeat(10 * 1024 * 1024))
                .getBytes(StandardCharsets.UTF_8);
        assertTrue(rejected(big).message().contains("a scenario may be at most 5242880 bytes"));
    }

    @Test
    void tenMegabyteStreamIsNotReadWhole() throws IOException {
        byte[] big = new byte[10 * 1024 * 1024];
        Arrays.fill(big, (byte) ' ');
        ScenarioValidationException e = assertThrows(ScenarioValidationException.class,
                () -> ScenarioParser.parse(new ByteArrayInputStream(big)));
        assertTrue(e.getMessage().contains("the document is 10485760 bytes"), e::getMessage);
    }

    @Test
    void tenMegabyteFile(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("big.json");
        Files.write(file, new byte[10 * 1024 * 1024]);
        ScenarioValidationException e = assertThrows(ScenarioValidationException.class, () -> ScenarioParser.parse(file));
        assertTrue(e.getMessage().contains("at most 5242880 bytes"), e::getMessage);
    }

    @Test
    void binaryGarbage() {
        byte[] noise = new byte[4096];
        new Random(42).nextBytes(noise);
        assertTrue(rejected(noise).message().startsWith("not UTF-8 text: byte 0x"));
    }

    @Test
    void invalidUtf8InsideAString() {
        byte[] doc = "{\n  \"name\": \"caf\u00ff\"}".getBytes(StandardCharsets.ISO_8859_1);
        ScenarioError error = rejected(doc);
        assertEquals(2, error.line());
        assertEquals(15, error.column());
        assertTrue(error.message().contains("byte 0xff at offset 16"), error::message);
    }

    @Test
    void nulBytesThatAreValidUtf8() {
        assertTrue(rejected(new byte[64]).message().startsWith("not valid JSON"));
    }

    @Test
    void emptyAndBlank() {
        assertTrue(rejected("").message().contains("the document is empty"));
        assertTrue(rejected(" \n\t\n").message().contains("the document is empty"));
    }

    @Test
    void topLevelArray() {
        ScenarioError error = rejected("[{\"name\": \"x\"}]");
        assertEquals("$", error.path());
        assertTrue(error.message().contains("a scenario is a JSON object"), error::message);
        assertTrue(error.message().contains("starts with an array"), error::message);
    }

    @Test
    void topLevelScalar() {
        assertTrue(rejected("null").message().contains("starts with null"));
    }

    @Test
    void truncatedDocument() {
        ScenarioError error = rejected(TinyScenario.text().substring(0, 200));
        assertTrue(error.message().startsWith("not valid JSON"), error::message);
        assertTrue(error.message().matches("not valid JSON: the file ends before the (object|array) that starts at line \\d+, column \\d+ is closed"),
                error::message);
    }

    @Test
    void numberLongerThanAnyScenarioNeeds() {
        assertTrue(rejected("{\"seed\": " + "9".repeat(5000) + "}").message().contains("a number longer than 100 characters"));
    }

    @Test
    void byteOrderMarkIsAccepted() {
        byte[] text = TinyScenario.text().getBytes(StandardCharsets.UTF_8);
        byte[] withBom = new byte[text.length + 3];
        withBom[0] = (byte) 0xef;
        withBom[1] = (byte) 0xbb;
        withBom[2] = (byte) 0xbf;
        System.arraycopy(text, 0, withBom, 3, text.length);
        assertEquals("tiny", ScenarioParser.parse(withBom).name());
    }
}
