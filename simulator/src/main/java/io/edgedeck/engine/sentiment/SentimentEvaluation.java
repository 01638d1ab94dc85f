package io.edgedeck.engine.sentiment;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Measures the chat scorer against plain VADER: Pearson r and 3-class accuracy on the VADER tweet
 * ground truth (path given as the first argument; skipped when absent), and 3-class accuracy on
 * the labelled live-chat set shipped in this jar. The figures in docs/SENTIMENT.md come from here.
 */
public final class SentimentEvaluation {

    /** Compound scores inside this band are neutral (VADER's own convention). */
    static final double COMPOUND_NEUTRAL = 0.05;
    /** Mean human ratings (-4..4) inside this band are neutral. */
    static final double RATING_NEUTRAL = 0.5;
    static final String CHAT_SET = "io/edgedeck/engine/sentiment/live-chat-labelled.tsv";

    public enum Polarity { POS, NEU, NEG }

    public record RatedText(double rating, String text) {}

    public record LabelledText(Polarity label, String text) {}

    public record TweetFigures(int texts, double pearson, double accuracy) {}

    private SentimentEvaluation() {}

    public static void main(String[] args) throws IOException {
        PrintStream out = System.out;
        var ours = new ChatSentimentScorer();
        var vader = ChatSentimentScorer.plainVader();
        if (args.length > 0 && Files.isRegularFile(Path.of(args[0]))) {
            List<RatedText> tweets = readTweets(Path.of(args[0]));
            print(out, "tweets (" + args[0] + ")", "chat scorer", tweetFigures(ours, tweets));
            print(out, "tweets (" + args[0] + ")", "plain VADER", tweetFigures(vader, tweets));
        } else {
            out.println("tweets: no ground-truth file given or found"
                    + (args.length > 0 ? " at " + args[0] : "") + "; skipped");
        }
        List<LabelledText> chat = readChatSet();
        out.printf(Locale.ROOT, "live chat (%d lines): 3-class accuracy chat scorer %.3f, plain VADER %.3f%n",
                chat.size(), accuracy(ours, chat), accuracy(vader, chat));
    }

    private static void print(PrintStream out, String set, String scorer, TweetFigures f) {
        out.printf(Locale.ROOT, "%s, %d texts, %s: Pearson r %.3f, 3-class accuracy %.3f%n",
                set, f.texts(), scorer, f.pearson(), f.accuracy());
    }

    public static Polarity ofCompound(double compound) {
        return compound >= COMPOUND_NEUTRAL ? Polarity.POS : compound <= -COMPOUND_NEUTRAL ? Polarity.NEG : Polarity.NEU;
    }

    public static Polarity ofRating(double rating) {
        return rating >= RATING_NEUTRAL ? Polarity.POS : rating <= -RATING_NEUTRAL ? Polarity.NEG : Polarity.NEU;
    }

    public static TweetFigures tweetFigures(ChatSentimentScorer scorer, List<RatedText> tweets) {
        double[] x = new double[tweets.size()];
        double[] y = new double[tweets.size()];
        int correct = 0;
        for (int i = 0; i < tweets.size(); i++) {
            RatedText t = tweets.get(i);
            x[i] = scorer.compound(t.text());
            y[i] = t.rating();
            if (ofCompound(x[i]) == ofRating(y[i])) {
                correct++;
            }
        }
        return new TweetFigures(tweets.size(), pearson(x, y), tweets.isEmpty() ? 0 : (double) correct / tweets.size());
    }

    public static double accuracy(ChatSentimentScorer scorer, List<LabelledText> set) {
        int correct = 0;
        for (LabelledText line : set) {
            if (ofCompound(scorer.compound(line.text())) == line.label()) {
                correct++;
            }
        }
        return set.isEmpty() ? 0 : (double) correct / set.size();
    }

    static double pearson(double[] x, double[] y) {
        int n = x.length;
        double mx = 0;
        double my = 0;
        for (int i = 0; i < n; i++) {
            mx += x[i];
            my += y[i];
        }
        mx /= n;
        my /= n;
        double sxy = 0;
        double sxx = 0;
        double syy = 0;
        for (int i = 0; i < n; i++) {
            sxy += (x[i] - mx) * (y[i] - my);
            sxx += (x[i] - mx) * (x[i] - mx);
            syy += (y[i] - my) * (y[i] - my);
        }
        return sxx == 0 || syy == 0 ? 0 : sxy / Math.sqrt(sxx * syy);
    }

    /** Columns: id, mean rating, text (the text may itself contain tabs). */
    public static List<RatedText> readTweets(Path file) throws IOException {
        var tweets = new ArrayList<RatedText>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            String[] cols = line.split("\t", 3);
            if (cols.length == 3) {
                tweets.add(new RatedText(Double.parseDouble(cols[1].strip()), cols[2]));
            }
        }
        return tweets;
    }

    /** The labelled live-chat set from the classpath; columns: label (pos, neu, neg), text. */
    public static List<LabelledText> readChatSet() {
        InputStream in = SentimentEvaluation.class.getClassLoader().getResourceAsStream(CHAT_SET);
        if (in == null) {
            throw new IllegalStateException("missing classpath resource " + CHAT_SET);
        }
        var set = new ArrayList<LabelledText>();
        try (var reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] cols = line.split("\t", 2);
                if (cols.length == 2) {
                    set.add(new LabelledText(Polarity.valueOf(cols[0].strip().toUpperCase(Locale.ROOT)), cols[1]));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return set;
    }
}
