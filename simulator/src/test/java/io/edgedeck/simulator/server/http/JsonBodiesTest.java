package io.edgedeck.simulator.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A bad body is answered in the API's words: the field, what it takes, what was sent. */
class JsonBodiesTest {
    enum Colour { RED, GREEN }

    record Part(String name, int weight) {
    }

    record Body(String reason, Long expectedVersion, Double share, Boolean dryRun, Colour colour, List<Part> parts) {
    }

    private static ApiException refused(String json) {
        return assertThrows(ApiException.class,
                () -> JsonBodies.parse(json.getBytes(StandardCharsets.UTF_8), Body.class, "reason"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            fraction for a whole number | {"reason": "x", "expectedVersion": 1e99}        | expectedVersion  | wrong type for 'expectedVersion': must be a whole number, was 1.0E99
            string for a whole number   | {"reason": "x", "expectedVersion": "three"}     | expectedVersion  | wrong type for 'expectedVersion': must be a whole number, was "three"
            beyond any double           | {"reason": "x", "expectedVersion": 1e400}       | expectedVersion  | wrong type for 'expectedVersion': must be a whole number, was 1E+400
            number for a string         | {"reason": 5}                                   | reason           | wrong type for 'reason': must be a string, was 5
            string for true or false    | {"reason": "x", "dryRun": "yes"}                | dryRun           | wrong type for 'dryRun': must be true or false, was "yes"
            unknown enum name           | {"reason": "x", "colour": "blue"}               | colour           | wrong type for 'colour': must be one of RED, GREEN, was "blue"
            object for an array         | {"reason": "x", "parts": {}}                    | parts            | wrong type for 'parts': must be an array
            nested field                | {"reason": "x", "parts": [{"name": "a", "weight": []}]} | parts[0].weight | wrong type for 'parts[0].weight': must be a whole number
            near miss of a field        | {"reason": "x", "expectedVersoin": 1}           | expectedVersoin  | unknown field 'expectedVersoin'; did you mean 'expectedVersion'?
            unrelated field             | {"reason": "x", "zzz": 1}                       | zzz              | unknown field 'zzz'; expected one of colour, dryRun, expectedVersion, parts, reason, share
            """)
    void aWrongFieldIsNamedWithWhatItTakes(String what, String json, String field, String detail) {
        ApiException e = refused(json);
        assertEquals(field, e.field(), what);
        assertTrue(e.getMessage().startsWith(detail), what + ": " + e.getMessage());
    }

    /**
     * A blank text where a number or true/false belongs is a wrong type like any other text: not read
     * as if the field were left out (a {@code revision} the approval then lacks, a {@code revoke} taken
     * as false).
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            blank for a whole number      | {"reason": "x", "expectedVersion": " "}   | expectedVersion | wrong type for 'expectedVersion': must be a whole number, was " "
            blank for a number            | {"reason": "x", "share": "  "}            | share           | wrong type for 'share': must be a number, was "  "
            blank for true or false       | {"reason": "x", "dryRun": " "}            | dryRun          | wrong type for 'dryRun': must be true or false, was " "
            empty for true or false       | {"reason": "x", "dryRun": ""}             | dryRun          | wrong type for 'dryRun': must be true or false, was ""
            blank for an enum             | {"reason": "x", "colour": " "}            | colour          | wrong type for 'colour': must be one of RED, GREEN, was " "
            blank for a nested whole number | {"reason": "x", "parts": [{"name": "a", "weight": " "}]} | parts[0].weight | wrong type for 'parts[0].weight': must be a whole number, was " "
            """)
    void aBlankTextIsNoNumberAndNoAbsentField(String what, String json, String field, String detail) {
        ApiException e = refused(json);
        assertEquals(field, e.field(), what);
        assertEquals(detail, e.getMessage(), what);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            line break that forges a log line | {"reason": "rolled back\\n2026-12-04 INFO approved by admin"} | reason        | U+000A at character 12
            terminal escape                   | {"reason": "\\u001b[2Jfine"}                                   | reason        | U+001B at character 1
            tab                               | {"reason": "a\\tb"}                                            | reason        | U+0009 at character 2
            C1 control                        | {"reason": "a\\u0085b"}                                        | reason        | U+0085 at character 2
            right-to-left override            | {"reason": "ok \\u202Egnp.exe"}                                | reason        | U+202E at character 4
            line separator                    | {"reason": "a\\u2028b"}                                        | reason        | U+2028 at character 2
            right-to-left mark                | {"reason": "a\\u200Fb"}                                        | reason        | U+200F at character 2
            in a list entry                   | {"reason": "x", "parts": [{"name": "a\\u0000", "weight": 1}]}  | parts[0].name | U+0000 at character 2
            """)
    void aControlCharacterInAnyTextIsRefusedNamingTheField(String what, String json, String field, String where) {
        ApiException e = refused(json);
        assertEquals(field, e.field(), what);
        assertTrue(e.getMessage().startsWith("must not contain control characters (" + where + ")"), what + ": " + e.getMessage());
    }

    @Test
    void notANumberIsNotJsonAndTheAnswerNamesNoSwitchOfTheLibrary() {
        ApiException e = refused("{\"reason\": \"x\", \"share\": NaN}");
        assertEquals("body", e.field());
        assertEquals("malformed JSON at line 1, column 29: Non-standard token 'NaN', which is not JSON", e.getMessage());
    }

    @Test
    void textBeyondAsciiThatIsNoControlIsTaken() {
        Body body = JsonBodies.parse("{\"reason\": \"Café — 東京 🎉 \u00a0ok \u200d\"}".getBytes(StandardCharsets.UTF_8),
                Body.class, "reason");
        assertEquals("Café — 東京 🎉 \u00a0ok \u200d", body.reason());
    }

    @Test
    void malformedJsonSaysWhereAndNotTheLibrarysSourceNote() {
        ApiException e = refused("{\"reason\": [1, 2");
        assertEquals("body", e.field());
        assertTrue(e.getMessage().startsWith("malformed JSON at line 1"), e.getMessage());
        assertFalse(e.getMessage().contains("Source"), e.getMessage());
        assertFalse(e.getMessage().contains("StreamReadFeature"), e.getMessage());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            words after the object       | {"reason": "x"} this is not json | 17
            a second body glued on       | {"reason": "x"}{"reason": "y"}   | 16
            stray brackets               | {"reason": "x"},]]]              | 16
            a second value on a new line | {"reason": "x"}\\n 5            | 2
            """)
    void anythingAfterTheObjectIsRefusedNotIgnored(String what, String json, int column) {
        ApiException e = refused(json.replace("\\n", "\n"));
        assertEquals("body", e.field(), what);
        assertTrue(e.getMessage().startsWith("malformed JSON at line"), what + ": " + e.getMessage());
        assertTrue(e.getMessage().contains(", column " + column + ": trailing content after the JSON object"), what + ": " + e.getMessage());
    }

    @Test
    void whiteSpaceAfterTheObjectIsFine() {
        assertEquals("x", JsonBodies.parse("{\"reason\": \"x\"} \r\n\t ".getBytes(StandardCharsets.UTF_8), Body.class, "reason").reason());
    }

    @Test
    void aLongValueIsClippedInTheAnswer() {
        ApiException e = refused("{\"reason\": \"x\", \"dryRun\": \"" + "y".repeat(5000) + "\"}");
        assertTrue(e.getMessage().length() < 200, e.getMessage());
        // Its start and its size, as a peer's value is repeated (PeerValues).
        assertTrue(e.getMessage().endsWith(", was \"" + "y".repeat(40) + "...\" (5000 characters)"), e.getMessage());
    }

    @Test
    void aValueQuotedBackIsWholeUpTo40CharactersAndCutAfterWithItsSize() {
        assertEquals("'fra'", PeerValues.quoted("fra", '\''));
        assertEquals("'" + "a".repeat(40) + "'", PeerValues.quoted("a".repeat(40), '\''));
        assertEquals("'" + "a".repeat(40) + "...' (5000 characters)", PeerValues.quoted("a".repeat(5000), '\''));
        assertEquals("a".repeat(40) + "... (41 characters)", PeerValues.shown("a".repeat(41)));
        assertEquals("null", PeerValues.quoted(null, '\''));
    }
}
