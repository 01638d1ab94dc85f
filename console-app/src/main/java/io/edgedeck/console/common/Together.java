package io.edgedeck.console.common;

/**
 * Words a wrapped line must not break between: a figure and the words that say what it is ("9,434 exposures",
 * "chat net +32%", "≈ 36.6 ms"). Their spaces become no-break spaces, so a text that wraps breaks only where its
 * writer left an ordinary space (between the parts of "a · b · c"), and never leaves a figure alone on a line.
 */
public final class Together {
    /** U+00A0, the space a line is not broken at. */
    public static final char NO_BREAK_SPACE = '\u00A0';

    private Together() {
    }

    /** {@code words} with each space a no-break space. */
    public static String words(String words) {
        return words.replace(' ', NO_BREAK_SPACE);
    }
}
