package io.edgedeck.engine.sentiment;

import io.edgedeck.engine.sentiment.ChatTokenizer.Kind;
import io.edgedeck.engine.sentiment.ChatTokenizer.Token;
import java.util.List;

/**
 * The rules that look at a whole message rather than one word: which clauses ask for information,
 * replies that only acknowledge, sarcasm from a bare positive opener, "but", the emphasis of "!"
 * and "?", and VADER's normalisation of the sum to [-1, 1].
 *
 * <p>Immutable: shared by every thread that uses its scorer.
 */
final class MessageRules {

    private static final double SQRT_ALPHA = Math.sqrt(15.0);
    /** What a positive word is worth, turned against itself, in a sarcastic message. */
    static final double SARCASM_SCALAR = -0.5;

    private final Lexicons lex;

    MessageRules(Lexicons lex) {
        this.lex = lex;
    }

    static double emphasised(double sum, double emphasis) {
        return sum > 0 ? sum + emphasis : sum < 0 ? sum - emphasis : sum;
    }

    /** "ok", "ok ok", "fair", "true": a reply that only acknowledges says nothing about the show. */
    boolean onlyAcknowledges(List<Token> tokens) {
        for (Token t : tokens) {
            if (t.kind() != Kind.WORD || !lex.acks.contains(t.key())) {
                return false;
            }
        }
        return true;
    }

    /**
     * Per token: whether it stands in a clause that asks for information ("what size is the
     * hoodie", "fits true to size?"), rather than exclaims ("how is this so good??").
     */
    static boolean[] informationQuestions(List<Token> tokens) {
        int n = tokens.size();
        boolean[] asking = new boolean[n];
        int start = 0;
        for (int i = 0; i < n; i++) {
            Token t = tokens.get(i);
            if (t.clauseEnd() || i == n - 1) {
                boolean question = !t.emphatic() && i - start < ChatRules.QUESTION_MAX_WORDS
                        && (asksAt(tokens, start, i) || t.question() && !exclaims(tokens, start, i));
                for (int k = start; k <= i; k++) {
                    asking[k] = question;
                }
                start = i + 1;
            }
        }
        return asking;
    }

    /** "what size...", "how much...", "is it...", "can you...": a clause that opens by asking. */
    static boolean asksAt(List<Token> tokens, int start, int end) {
        String first = TokenValence.key(tokens, start);
        String second = start < end ? TokenValence.key(tokens, start + 1) : "";
        return ChatRules.WH_OPENERS.contains(first) && !(first.equals("what") && second.equals("a"))
                || first.equals("how") && ChatRules.HOW_INFORMATION.contains(second)
                || ChatRules.AUX_OPENERS.contains(first) && ChatRules.ASKED_ABOUT.contains(second);
    }

    /** "how cool is that?", "what a drop?": a question mark on an exclamation. */
    static boolean exclaims(List<Token> tokens, int start, int end) {
        for (int k = start; k < end; k++) {
            String word = TokenValence.key(tokens, k);
            if (word.equals("how") && !ChatRules.HOW_INFORMATION.contains(TokenValence.key(tokens, k + 1))
                    || word.equals("what") && TokenValence.key(tokens, k + 1).equals("a")) {
                return true;
            }
        }
        return false;
    }

    /**
     * Sarcasm without a marker: a bare positive opener before a negative remark ("great, it
     * crashed", "nice one, charged twice", "great another L", "thanks for the 502", "love how the
     * site dies", "love waiting for nothing"). The
     * opener's praise is meant against the remark, so it counts half, negative.
     */
    void sarcasticOpener(List<Token> tokens, double[] sentiments) {
        int n = tokens.size();
        int end = -1;
        for (int i = 0; i + 1 < n && i < 3; i++) {
            Token t = tokens.get(i);
            if (t.clauseEnd()) {
                end = i;
                break;
            }
            if (ChatRules.REMARK_STARTS.contains(TokenValence.key(tokens, i + 1))) {
                end = i;
                break;
            }
            if (TokenValence.key(tokens, i).equals("love") && ChatRules.LOVE_HOW.contains(TokenValence.key(tokens, i + 1))) {
                end = i + 1;
                break;
            }
            if (TokenValence.key(tokens, i).equals("love") && gerund(TokenValence.key(tokens, i + 1))) {
                end = i;
                break;
            }
        }
        if (end < 0 || end >= n - 1) {
            return;
        }
        boolean praise = false;
        for (int i = 0; i <= end; i++) {
            String k = TokenValence.key(tokens, i);
            if (lex.interjections.contains(k) && sentiments[i] > 0) {
                praise = true;
            } else if (!ChatRules.OPENER_FILLERS.contains(k) && !ChatRules.LOVE_HOW.contains(k) && sentiments[i] == 0
                    || sentiments[i] < 0) {
                return;
            }
        }
        double rest = 0;
        for (int i = end + 1; i < n; i++) {
            rest += sentiments[i];
        }
        if (praise && rest < 0) {
            for (int i = 0; i <= end; i++) {
                if (sentiments[i] > 0) {
                    sentiments[i] *= SARCASM_SCALAR;
                }
            }
        }
    }

    static boolean gerund(String word) {
        return word.length() >= 5 && word.endsWith("ing");
    }

    /**
     * A complaint shaped as a question ("why is it always sold out", "why do they never fix the
     * audio", "how is the site still down"): a clause opening with "why", or "how is/are/come",
     * that holds "always", "never", "still", "again"... gets a mild negative weight on its opener.
     */
    static void complaintQuestions(List<Token> tokens, double[] sentiments) {
        int start = 0;
        for (int i = 0; i < tokens.size(); i++) {
            if (tokens.get(i).clauseEnd() || i == tokens.size() - 1) {
                String first = TokenValence.key(tokens, start);
                String second = start < i ? TokenValence.key(tokens, start + 1) : "";
                if (first.equals("why") || first.equals("how") && (second.equals("is") || second.equals("are")
                        || second.equals("come") || second.equals("hows"))) {
                    for (int k = start + 1; k <= i; k++) {
                        if (ChatRules.COMPLAINT_MARKS.contains(TokenValence.key(tokens, k))) {
                            sentiments[start] += ChatRules.COMPLAINT_QUESTION;
                            break;
                        }
                    }
                }
                start = i + 1;
            }
        }
    }

    /** What follows "but" is what the writer means: it counts 1.5x, what precedes it 0.5x. */
    static void butCheck(List<Token> tokens, double[] sentiments) {
        for (int b = 0; b < tokens.size(); b++) {
            if (tokens.get(b).key().equals("but")) {
                for (int i = 0; i < sentiments.length; i++) {
                    if (i < b) {
                        sentiments[i] *= 0.5;
                    } else if (i > b) {
                        sentiments[i] *= 1.5;
                    }
                }
                return;
            }
        }
    }

    static int wordTokens(List<Token> tokens) {
        int count = 0;
        for (Token t : tokens) {
            if (t.kind() != Kind.EMOJI) {
                count++;
            }
        }
        return count;
    }

    static double punctuationEmphasis(String text) {
        int exclamations = 0;
        int questions = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '!') {
                exclamations++;
            } else if (c == '?') {
                questions++;
            }
        }
        double emphasis = Math.min(exclamations, 4) * 0.292;
        if (questions > 1) {
            emphasis += questions <= 3 ? questions * 0.18 : 0.96;
        }
        return emphasis;
    }

    static double normalize(double score) {
        if (Double.isNaN(score)) {
            return 0.0;
        }
        // hypot rather than sqrt(x*x + alpha): no overflow to Infinity on absurdly long messages.
        double normalized = Double.isInfinite(score) ? Math.signum(score) : score / Math.hypot(score, SQRT_ALPHA);
        return Math.max(-1.0, Math.min(1.0, normalized));
    }
}
