package io.edgedeck.engine.sentiment;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Splits a chat line into the tokens the scorer reasons about: words, emotes, emoji clusters and
 * known phrases, each with the punctuation and case that follow it. One pass over the code points,
 * no regular expressions: it runs for every simulated chat message. A chat spelling of a known word
 * is read as that word by {@link ChatSpelling}.
 */
final class ChatTokenizer {

    enum Kind { WORD, EMOTE, EMOJI, PHRASE }

    /**
     * @param text       the token as written, surrounding punctuation removed (unless it is an emoticon)
     * @param key        lower-case lookup key (elongation collapsed in chat mode)
     * @param phraseKey  the key without apostrophes, used to match phrases
     * @param exact      the exact spelling when it is one of the case-sensitive chat words (W, L, F)
     * @param clauseEnd  followed by . ! , ; : ? or the end of the message
     * @param question   followed by a question mark
     * @param emphatic   followed by "!" or by two question marks or more: an exclamation, not a question
     */
    record Token(String text, String key, String phraseKey, Kind kind, String exact,
                 boolean upper, boolean elongated, boolean clauseEnd, boolean question, boolean emphatic) {}

    private ChatTokenizer() {}

    static List<Token> tokenize(String message, boolean chat, Lexicons lex) {
        return tokenize(message, chat, lex, Set.of());
    }

    /**
     * @param marked the exact spellings the chat platform marked as emotes in this message; they are
     *               emotes whatever the lexicon says
     */
    static List<Token> tokenize(String message, boolean chat, Lexicons lex, Set<String> marked) {
        return mergePhrases(split(message, chat, lex, marked), chat, lex);
    }

    /**
     * The chat tokens of a line in a language other than English: words, emotes and emoji as
     * {@link #tokenize} reads them, with no English phrase merged; the language's reading keys the
     * words and merges its own phrases.
     */
    static List<Token> tokenizeWords(String message, Lexicons lex, Set<String> marked) {
        return split(message, true, lex, marked);
    }

    private static List<Token> split(String message, boolean chat, Lexicons lex, Set<String> marked) {
        var tokens = new ArrayList<Token>(Math.min(64, message.length() / 4 + 4));
        int length = message.length();
        int start = -1;
        int i = 0;
        while (i < length) {
            int cp = message.codePointAt(i);
            int width = Character.charCount(cp);
            if (isSeparator(cp)) {
                if (start >= 0) {
                    addWord(tokens, message, start, i, chat, lex, marked);
                    start = -1;
                }
                i += width;
            } else if (chat && isEmojiStart(cp)) {
                if (start >= 0) {
                    addWord(tokens, message, start, i, chat, lex, marked);
                    start = -1;
                }
                int end = emojiEnd(message, i);
                String cluster = message.substring(i, end);
                String key = emojiKey(cluster);
                tokens.add(new Token(cluster, key, key, Kind.EMOJI, null, false, false, false, false, false));
                i = end;
            } else {
                if (start < 0) {
                    start = i;
                }
                i += width;
            }
        }
        if (start >= 0) {
            addWord(tokens, message, start, length, chat, lex, marked);
        }
        return tokens;
    }

    /** The emoji's base code point(s): variation selectors, skin tones and ZWJ tails do not change its meaning here. */
    static String emojiKey(String cluster) {
        int first = cluster.codePointAt(0);
        int next = Character.charCount(first);
        if (isRegionalIndicator(first) && next < cluster.length() && isRegionalIndicator(cluster.codePointAt(next))) {
            return cluster.substring(0, next + Character.charCount(cluster.codePointAt(next)));
        }
        return cluster.substring(0, next);
    }

    static boolean isEmojiStart(int cp) {
        return (cp >= 0x1F000 && cp <= 0x1FAFF && !(cp >= 0x1F3FB && cp <= 0x1F3FF))
                || (cp >= 0x2600 && cp <= 0x27BF)
                || (cp >= 0x2300 && cp <= 0x23FF)
                || (cp >= 0x2B00 && cp <= 0x2BFF)
                || cp == 0x3030 || cp == 0x303D || cp == 0x3297 || cp == 0x3299;
    }

    private static boolean isRegionalIndicator(int cp) {
        return cp >= 0x1F1E6 && cp <= 0x1F1FF;
    }

    private static int emojiEnd(String s, int from) {
        int first = s.codePointAt(from);
        int i = from + Character.charCount(first);
        if (isRegionalIndicator(first) && i < s.length() && isRegionalIndicator(s.codePointAt(i))) {
            return i + Character.charCount(s.codePointAt(i));
        }
        while (i < s.length()) {
            int cp = s.codePointAt(i);
            if (cp == 0xFE0F || cp == 0xFE0E || cp == 0x20E3 || (cp >= 0x1F3FB && cp <= 0x1F3FF)
                    || (cp >= 0xE0020 && cp <= 0xE007F)) {
                i += Character.charCount(cp);
            } else if (cp == 0x200D && i + 1 < s.length()) {
                i += 1;
                i += Character.charCount(s.codePointAt(i));
            } else {
                break;
            }
        }
        return i;
    }

    private static boolean isSeparator(int cp) {
        return Character.isWhitespace(cp) || Character.isSpaceChar(cp) || Character.isISOControl(cp)
                || (Character.getType(cp) == Character.FORMAT && cp != 0x200D);
    }

    static boolean isPunctuation(int cp) {
        if (cp < 0x80) {
            return (cp >= '!' && cp <= '/') || (cp >= ':' && cp <= '@') || (cp >= '[' && cp <= '`') || (cp >= '{' && cp <= '~');
        }
        return switch (Character.getType(cp)) {
            case Character.CONNECTOR_PUNCTUATION, Character.DASH_PUNCTUATION, Character.START_PUNCTUATION,
                 Character.END_PUNCTUATION, Character.INITIAL_QUOTE_PUNCTUATION, Character.FINAL_QUOTE_PUNCTUATION,
                 Character.OTHER_PUNCTUATION -> true;
            default -> false;
        };
    }

    private static void addWord(List<Token> tokens, String message, int from, int to, boolean chat, Lexicons lex,
                                Set<String> marked) {
        String raw = message.substring(from, to);
        if (raw.indexOf('\u2019') >= 0) {
            raw = raw.replace('\u2019', '\'');
        }
        int lead = 0;
        while (lead < raw.length() && isPunctuation(raw.charAt(lead))) {
            lead++;
        }
        int trail = raw.length();
        while (trail > lead && isPunctuation(raw.charAt(trail - 1))) {
            trail--;
        }
        String lowerRaw = raw.toLowerCase(Locale.ROOT);
        String text;
        String key;
        // Emoticons are all punctuation (":)", "<3", ":-/"): keep them whole when the lexicon knows them.
        if (lex.vader.containsKey(lowerRaw) || (chat && knownInChat(lowerRaw, lex)) || lead == trail) {
            text = raw;
            key = lowerRaw;
        } else {
            text = raw.substring(lead, trail);
            key = text.toLowerCase(Locale.ROOT);
        }
        boolean elongated = false;
        boolean isMarked = chat && !marked.isEmpty() && marked.contains(text);
        if (chat && !isMarked) {
            ChatSpelling.Respelled respelled = ChatSpelling.respell(key, lex);
            if (respelled != null) {
                key = respelled.key();
                elongated = respelled.elongated();
            }
        }
        String trailing = raw.substring(trail);
        int questionMarks = count(trailing, '?');
        boolean question = questionMarks > 0;
        boolean clauseEnd = question || containsAny(trailing, ".!,;:\u2026");
        boolean emphatic = questionMarks > 1 || trailing.indexOf('!') >= 0;
        String exact = null;
        if (chat && !isMarked && lex.exactWords.containsKey(text) && cleanEdges(raw, lead, trail)) {
            exact = text;
        } else if (chat && !isMarked && text.length() > 1 && repeats(text) && lex.exactWords.containsKey(text.substring(0, 1))
                && cleanEdges(raw, lead, trail)) {
            // "WWWWWW", "LLLL": the letter typed again and again is the letter, emphasised.
            exact = text.substring(0, 1);
            elongated = true;
        }
        Kind kind = chat && (isMarked || lex.emotes.containsKey(key)) ? Kind.EMOTE : Kind.WORD;
        tokens.add(new Token(text, key, Lexicons.phraseKey(key), kind, exact, isUpper(text), elongated, clauseEnd,
                question, emphatic));
    }

    /** Whether the text is one character repeated ("WWWW"). */
    private static boolean repeats(String text) {
        for (int k = 1; k < text.length(); k++) {
            if (text.charAt(k) != text.charAt(0)) {
                return false;
            }
        }
        return true;
    }

    private static int count(String s, char c) {
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) == c) {
                n++;
            }
        }
        return n;
    }

    /** "W!" is the emote-like W; "w/" (with) is not. */
    private static boolean cleanEdges(String raw, int lead, int trail) {
        if (lead > 0) {
            return false;
        }
        for (int i = trail; i < raw.length(); i++) {
            if ("!.?,".indexOf(raw.charAt(i)) < 0) {
                return false;
            }
        }
        return true;
    }

    private static boolean knownInChat(String key, Lexicons lex) {
        return lex.sarcasmMarkers.contains(key) || lex.chatWords.containsKey(key) || lex.emotes.containsKey(key);
    }

    private static boolean containsAny(String s, String chars) {
        for (int i = 0; i < s.length(); i++) {
            if (chars.indexOf(s.charAt(i)) >= 0) {
                return true;
            }
        }
        return false;
    }

    /** Python's str.isupper(): at least one cased letter and no lower-case one. */
    static boolean isUpper(String s) {
        boolean cased = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isLowerCase(c)) {
                return false;
            }
            if (Character.isUpperCase(c)) {
                cased = true;
            }
        }
        return cased;
    }

    private static List<Token> mergePhrases(List<Token> tokens, boolean chat, Lexicons lex) {
        var byFirst = chat ? lex.allPhrasesByFirst : lex.vaderPhrasesByFirst;
        List<Token> out = null;
        int n = tokens.size();
        for (int i = 0; i < n; i++) {
            Token token = tokens.get(i);
            Lexicons.Phrase match = null;
            if (token.kind() != Kind.EMOJI) {
                List<Lexicons.Phrase> candidates = byFirst.get(token.phraseKey());
                if (candidates != null) {
                    for (Lexicons.Phrase phrase : candidates) {
                        if (matches(tokens, i, phrase.words())) {
                            match = phrase;
                            break;
                        }
                    }
                }
            }
            if (match == null) {
                if (out != null) {
                    out.add(token);
                }
                continue;
            }
            if (out == null) {
                out = new ArrayList<>(tokens.subList(0, i));
            }
            int end = i + match.words().length;
            out.add(phrase(tokens, i, end, match.key()));
            i = end - 1;
        }
        return out == null ? tokens : out;
    }

    /** Tokens {@code from} (inclusive) to {@code end} (exclusive) as one phrase token keyed {@code key}. */
    static Token phrase(List<Token> tokens, int from, int end, String key) {
        var text = new StringBuilder();
        boolean upper = true;
        boolean elongated = false;
        for (int j = from; j < end; j++) {
            Token part = tokens.get(j);
            text.append(j == from ? "" : " ").append(part.text());
            upper &= part.upper();
            elongated |= part.elongated();
        }
        Token last = tokens.get(end - 1);
        return new Token(text.toString(), key, key, Kind.PHRASE, null, upper, elongated, last.clauseEnd(),
                last.question(), last.emphatic());
    }

    private static boolean matches(List<Token> tokens, int from, String[] words) {
        if (from + words.length > tokens.size()) {
            return false;
        }
        for (int k = 1; k < words.length; k++) {
            Token t = tokens.get(from + k);
            if (t.kind() == Kind.EMOJI || !t.phraseKey().equals(words[k])) {
                return false;
            }
        }
        // Only the last word of a phrase may carry clause punctuation: "take, my money" is no phrase.
        for (int k = 0; k < words.length - 1; k++) {
            if (tokens.get(from + k).clauseEnd()) {
                return false;
            }
        }
        return true;
    }
}
