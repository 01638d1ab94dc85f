package io.edgedeck.engine.sentiment;

/**
 * Chat's ways of spelling a word the lexicons know: stretched ("soooo", "noooo"), laughter typed out
 * ("hahahaha", "lololol"), or one letter dropped or doubled ("amazng"). Finds the known word behind
 * such a spelling so the scorer reads it as that word.
 */
final class ChatSpelling {

    /** A spelling read as a known word; {@code elongated} when it was stretched for emphasis. */
    record Respelled(String key, boolean elongated) {
    }

    private ChatSpelling() {
    }

    /**
     * The known word a chat spelling stands for, or null when the key is known as it is or stands
     * for nothing known. A stretched word is tried first, with runs of a letter cut to two, then to one.
     */
    static Respelled respell(String key, Lexicons lex) {
        if (known(key, lex)) {
            return null;
        }
        if (hasRunOfThree(key)) {
            String two = collapse(key, 2);
            if (known(two, lex)) {
                return new Respelled(two, true);
            }
            String one = collapse(key, 1);
            if (known(one, lex)) {
                return new Respelled(one, true);
            }
        }
        String repaired = repair(key, lex);
        return repaired == null ? null : new Respelled(repaired, false);
    }

    /**
     * Chat's way of writing a known word: laughter typed out ("hahahaha", "ahahah", "hehehe",
     * "lololol") as the laughter VADER knows, or a single dropped or doubled letter ("amazng").
     */
    private static String repair(String key, Lexicons lex) {
        if (key.length() >= 4 && isLaughter(key)) {
            return key.charAt(0) == 'l' ? "lol" : "haha";
        }
        return lex.typoOf(key);
    }

    /**
     * Laughter typed out: an h (or a Spanish j) and one vowel strictly alternating, twice each or
     * more (ha, ah, he, ja), or lol extended ("lolol").
     */
    static boolean isLaughter(String key) {
        if (key.length() < 4) {
            return false;
        }
        if (key.startsWith("lol")) {
            for (int i = 0; i < key.length(); i++) {
                if (key.charAt(i) != (i % 2 == 0 ? 'l' : 'o')) {
                    return false;
                }
            }
            return key.length() >= 5;
        }
        char consonant = key.indexOf('j') >= 0 ? 'j' : 'h';
        char vowel = key.charAt(0) == consonant ? key.charAt(1) : key.charAt(0);
        if (vowel != 'a' && vowel != 'e') {
            return false;
        }
        boolean consonantNext = key.charAt(0) == consonant;
        for (int i = 0; i < key.length(); i++) {
            if (key.charAt(i) != (consonantNext ? consonant : vowel)) {
                return false;
            }
            consonantNext = !consonantNext;
        }
        return true;
    }

    private static boolean known(String key, Lexicons lex) {
        return lex.vader.containsKey(key) || lex.boosters.containsKey(key) || lex.chatWords.containsKey(key)
                || lex.emotes.containsKey(key) || lex.chatBoosters.containsKey(key)
                || lex.phraseVocabulary.contains(key) || lex.negators.contains(key) || lex.acks.contains(key)
                || lex.laughterMarkers.contains(key) || lex.afterBoosters.containsKey(key);
    }

    private static boolean hasRunOfThree(String s) {
        for (int i = 2; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isLetter(c) && c == s.charAt(i - 1) && c == s.charAt(i - 2)) {
                return true;
            }
        }
        return false;
    }

    static String collapse(String s, int maxRun) {
        var out = new StringBuilder(s.length());
        int run = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            run = i > 0 && c == s.charAt(i - 1) ? run + 1 : 1;
            if (run <= maxRun || !Character.isLetter(c)) {
                out.append(c);
            }
        }
        return out.toString();
    }
}
