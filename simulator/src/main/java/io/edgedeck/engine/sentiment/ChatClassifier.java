package io.edgedeck.engine.sentiment;

import io.edgedeck.engine.sentiment.ChatFeatures.Families;
import io.edgedeck.engine.sentiment.ChatFeatures.Vector;
import io.edgedeck.engine.sentiment.SentimentEvaluation.LabelledSet;
import io.edgedeck.engine.sentiment.SentimentEvaluation.LabelledText;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A three-class logistic regression (positive, neutral, negative) over {@link ChatFeatures}: word
 * and letter n-grams with negation scope, the message's shape, and the lexicon scorer's and plain
 * VADER's compounds. It is what lets the chat scorer read lines no lexicon entry or rule was
 * written for: what it learns from is the wording of whole lines, not a list.
 *
 * <p>Trained on first use, deterministically (fixed order and seed, no threads), on every
 * development set and the training file ({@link LabelledSet#development()}); never on a test set.
 * The families, the L2 weight and the epochs in {@link #CHOSEN} were chosen by 10-fold
 * cross-validation on those lines only ({@code edgedeck-sim sentiment --cross-validate}; figures
 * in docs/SENTIMENT.md). Training takes about a second and 6 MB while it runs;
 * the model keeps 3 MB of weights. Immutable once trained: shared by all threads.
 */
final class ChatClassifier {

    /**
     * @param families what the model sees
     * @param l2       the L2 penalty on every weight touched by an example
     * @param epochs   passes over the training lines (AdaGrad, step {@link #STEP})
     */
    record Settings(Families families, double l2, int epochs) {
        @Override
        public String toString() {
            return families + " l2=" + l2 + " epochs=" + epochs;
        }
    }

    /** Chosen by cross-validation on the development lines (docs/SENTIMENT.md, "The classifier"). */
    static final Settings CHOSEN = new Settings(new Families(true, true, false, true, true, false), 1e-3, 15);

    static final double STEP = 0.2;
    static final long SEED = 22;
    private static final int CLASSES = 3;

    /**
     * One line: its features and its label (the ordinal of {@link SentimentEvaluation.Polarity}). The
     * features are null for a line the scorer leaves at 0 before any model ("ok", an emoji-less
     * blank); such a line teaches nothing and is not trained on.
     */
    record Example(Vector x, int label) {}

    private final float[] weights;
    private final double[] bias;
    private final Settings settings;

    private ChatClassifier(float[] weights, double[] bias, Settings settings) {
        this.weights = weights;
        this.bias = bias;
        this.settings = settings;
    }

    Settings settings() {
        return settings;
    }

    /** The model trained on every development line with {@link #CHOSEN}, built once on first use. */
    static ChatClassifier get() {
        return Holder.INSTANCE;
    }

    private static final java.util.concurrent.atomic.AtomicBoolean WARMING = new java.util.concurrent.atomic.AtomicBoolean();

    /**
     * Starts training on a background daemon thread, once per process, so a show does not wait for
     * it at its first message. Training is deterministic: whoever triggers it, the model is the same.
     */
    static void warmUp() {
        if (WARMING.compareAndSet(false, true)) {
            Thread.ofVirtual().name("chat-classifier-training").start(() -> {
                ChatClassifier ignored = Holder.INSTANCE;
            });
        }
    }

    private static final class Holder {
        static final ChatClassifier INSTANCE = train(examples(developmentLines(), CHOSEN.families()), CHOSEN);
    }

    /** Every line of every development set and the training file, in file order. */
    static List<LabelledText> developmentLines() {
        var lines = new ArrayList<LabelledText>();
        for (LabelledSet set : LabelledSet.values()) {
            if (set.development()) {
                lines.addAll(SentimentEvaluation.requireSet(set));
            }
        }
        return lines;
    }

    /** Features of each line as the chat scorer would see it, before any learned emote; one example per line, in order. */
    static List<Example> examples(List<LabelledText> lines, Families families) {
        var lexicon = ChatSentimentScorer.lexiconOnly();
        var vader = ChatSentimentScorer.plainVader();
        var features = new ChatFeatures(Lexicons.get());
        var out = new ArrayList<Example>(lines.size());
        for (LabelledText line : lines) {
            ChatSentimentScorer.Reading reading = lexicon.read(line.text(), EmoteValences.GLOBAL);
            out.add(new Example(reading == null ? null : features.of(line.text(), reading, families,
                    vader.compound(line.text())), line.label().ordinal()));
        }
        return out;
    }

    /** Multinomial logistic regression by AdaGrad; the same examples and settings give the same weights. */
    static ChatClassifier train(List<Example> examples, Settings settings) {
        int d = ChatFeatures.DIMENSION;
        var w = new float[CLASSES * d];
        var squares = new double[CLASSES * d];
        var b = new double[CLASSES];
        var bSquares = new double[CLASSES];
        int[] order = new int[examples.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        var random = new SplittableRandom(SEED);
        var p = new double[CLASSES];
        for (int epoch = 0; epoch < settings.epochs(); epoch++) {
            for (int i = order.length - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
            for (int e : order) {
                Example ex = examples.get(e);
                if (ex.x() == null) {
                    continue;
                }
                probabilities(ex.x(), w, b, p);
                int[] index = ex.x().index();
                float[] value = ex.x().value();
                for (int k = 0; k < CLASSES; k++) {
                    double g = p[k] - (k == ex.label() ? 1 : 0);
                    bSquares[k] += g * g;
                    b[k] -= STEP * g / Math.sqrt(bSquares[k] + 1e-8);
                    int offset = k * d;
                    for (int f = 0; f < index.length; f++) {
                        int at = offset + index[f];
                        double grad = g * value[f] + settings.l2() * w[at];
                        squares[at] += grad * grad;
                        w[at] -= (float) (STEP * grad / Math.sqrt(squares[at] + 1e-8));
                    }
                }
            }
        }
        return new ChatClassifier(w, b, settings);
    }

    /** P(positive), P(neutral), P(negative) for the features of a message. */
    double[] probabilities(Vector x) {
        var p = new double[CLASSES];
        probabilities(x, weights, bias, p);
        return p;
    }

    private static void probabilities(Vector x, float[] w, double[] b, double[] p) {
        int d = ChatFeatures.DIMENSION;
        for (int k = 0; k < CLASSES; k++) {
            double z = b[k];
            int offset = k * d;
            for (int f = 0; f < x.index().length; f++) {
                z += w[offset + x.index()[f]] * x.value()[f];
            }
            p[k] = z;
        }
        softmax(p);
    }

    private static void softmax(double[] z) {
        double max = Math.max(z[0], Math.max(z[1], z[2]));
        double sum = 0;
        for (int k = 0; k < z.length; k++) {
            z[k] = Math.exp(z[k] - max);
            sum += z[k];
        }
        for (int k = 0; k < z.length; k++) {
            z[k] /= sum;
        }
    }

    /**
     * The compound a message gets: the model's most probable class decides the side (positive at
     * or above +0.05, negative at or below -0.05, neutral 0), and the strength of a feeling is the
     * mean of the model's expected label P(pos) - P(neg) and the lexicon's compound, held on that
     * side. So the class is the model's, and how strong a feeling is keeps the lexicon's graded
     * reading (intensifiers, caps, stretched letters, "!").
     */
    static double compound(double[] p, double lexiconCompound) {
        double strength = (p[0] - p[2] + lexiconCompound) / 2;
        double band = SentimentEvaluation.COMPOUND_NEUTRAL;
        if (p[0] >= p[1] && p[0] >= p[2]) {
            return Math.max(band, strength);
        }
        if (p[2] > p[1]) {
            return Math.min(-band, strength);
        }
        return 0.0;
    }
}
