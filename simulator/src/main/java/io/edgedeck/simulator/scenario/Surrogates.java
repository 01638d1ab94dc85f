package io.edgedeck.simulator.scenario;

/**
 * Texts that are not Unicode: a lone half of a UTF-16 surrogate pair, which JSON lets a sender write
 * as an escape ({@code "x\\ud800"}), as a client does that cuts a text in the middle of an emoji. Such
 * a text has no UTF-8 form: written out it becomes another text ({@code x?}), so two names that differ
 * only there would become one. Every text a person or a peer sends the node is refused with it.
 */
public final class Surrogates {
    private Surrogates() {
    }

    /** The index of the first surrogate in {@code text} that is not half of a whole pair, or -1. */
    public static int firstUnpaired(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return i;
            }
        }
        return -1;
    }

    /**
     * What is wrong with {@code text}, e.g. {@code must not contain an unpaired surrogate (U+D800 at
     * character 2)}, or null when it holds none.
     */
    public static String problem(String text) {
        int at = firstUnpaired(text);
        return at < 0 ? null : String.format("must not contain an unpaired surrogate (U+%04X at character %d): "
                + "half of a UTF-16 pair is not text and cannot be kept as sent", (int) text.charAt(at), at + 1);
    }

    /**
     * {@code text} with each unpaired surrogate written as the JSON escape a sender wrote for it
     * ({@code x\\uD800}), so a field's name that holds one can be named in an answer, a log or a counter
     * as text that has a UTF-8 form.
     */
    public static String escaped(String text) {
        if (firstUnpaired(text) < 0) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length() + 6);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                out.append(c).append(text.charAt(++i));
            } else if (Character.isSurrogate(c)) {
                out.append(String.format("\\u%04X", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
