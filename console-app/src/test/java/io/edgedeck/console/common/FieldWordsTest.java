package io.edgedeck.console.common;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The field a node refused, in a producer's words, in the message that says why. */
class FieldWordsTest {
    @Test
    void aFieldPathReadsAsWords() {
        assertEquals("the weight of variant 2", FieldWords.inWords("variants[1].weight"));
        assertEquals("the reason", FieldWords.inWords("reason"));
        assertEquals("PoP 3", FieldWords.inWords("pops[2]"));
        assertEquals("the magnitude", FieldWords.inWords("magnitude"));
        assertEquals("the flag's version the change started from", FieldWords.inWords("expectedVersion"));
    }

    @Test
    void aRefusalNamesItsFieldUnlessItsWordsDoAlready() {
        assertEquals("the reason is required", FieldWords.naming("reason", "is required"));
        assertEquals("the speed must be between 0 and 10000, was -1", FieldWords.naming("speed", "must be between 0 and 10000, was -1"));
        assertEquals("the variants: weights add up to 9000 (90%)", FieldWords.naming("variants", "variants: weights add up to 9000 (90%)"));
        assertEquals("weight of 'treatment' is -1000", FieldWords.naming("variants[1].weight", "variants[1].weight: weight of 'treatment' is -1000"));
        assertEquals("a rollback needs a reason", FieldWords.naming(null, "a rollback needs a reason"));
        // words that read on from the field's name need it, even when they name the field further on
        assertEquals("the reason is 1200 characters long; a reason is at most 1000 characters; nothing changed",
                FieldWords.naming("reason", "is 1200 characters long; a reason is at most 1000 characters; nothing changed"));
    }
}
