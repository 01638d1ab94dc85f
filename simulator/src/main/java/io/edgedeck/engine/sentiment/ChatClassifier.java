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
 * <p>Trained deterministically (fixed order and seed, no threads) on every chat development set
 * and training file, and the general-text training lines when {@link #CHOSEN} says so
 * ({@link #developmentLines()}); never on a test set. The build trains it once and puts the weights
 * in the jar ({@link ChatModelFile}); a process loads them on first use, and trains only when the
 * built file is missing or was trained from other lines. The families, the L2 weight, the epochs
 * and the gate in {@link #CHOSEN} were chosen by 10-fold cross-validation on the chat lines; the
 * blend, the general-text choice and how sure the model must be, on those and the general-text
 * development lines ({@code edgedeck-sim sentiment --cross-validate}; figures in docs/SENTIMENT.md). The model keeps 3 MB of weights. Immutable: shared by all threads.
 */
final class ChatClassifier {

    /**
     * @param families what the model sees
     * @param l2       the L2 penalty on every weight touched by an example
     * @param epochs   passes over the training lines (AdaGrad, step {@link #STEP})
     * @param gate     how much of the lexicon's compound a line the model calls neutral keeps
     *                 ({@link #compound(double[], double, double, double)}); not used in training
     * @param blend    the model's share of a positive or negative line's strength, the lexicon's
     *                 compound having the rest ({@link #compound(double[], double, double, double)});
     *                 not used in training
     * @param generalText whether the general-text training lines ({@code eval/general-train.tsv})
     *                 train the model beside the chat lines
     * @param sure     the probability the model needs in its class to overrule the lexicon's class
     *                 ({@link #compound(double[], double, Settings)}); 0: it always does; not used in training
     */
    record Settings(Families families, double l2, int epochs, double gate, double blend, boolean generalText,
                    double sure) {
        @Override
        public String toString() {
            return families + " l2=" + l2 + " epochs=" + epochs + " gate=" + gate + " blend=" + blend
                    + " general-text=" + generalText + " sure=" + sure;
        }

        Settings withGate(double g) {
            return new Settings(families, l2, epochs, g, blend, generalText, sure);
        }

        Settings withBlend(double b) {
            return new Settings(families, l2, epochs, gate, b, generalText, sure);
        }

        Settings withGeneralText(boolean g) {
            return new Settings(families, l2, epochs, gate, blend, g, sure);
        }

        Settings withSure(double s) {
            return new Settings(families, l2, epochs, gate, blend, generalText, s);
        }
    }

    /** Chosen by cross-validation on the development lines (docs/SENTIMENT.md, "The classifier"). */
    static final Settings CHOSEN = new Settings(new Families(true, true, false, true, true, false), 1e-2, 15,
            Double.POSITIVE_INFINITY, 0.0, false, 0);

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

    /** A model from its weights ({@code slot * 3 + class}) and biases, as {@link ChatModelFile} reads it. */
    static ChatClassifier of(float[] weights, double[] bias, Settings settings) {
        return new ChatClassifier(weights, bias, settings);
    }

    float[] weights() {
        return weights;
    }

    double[] bias() {
        return bias;
    }

    /** The model trained on every development line with {@link #CHOSEN}, built once on first use. */
    static ChatClassifier get() {
        return Holder.INSTANCE;
    }

    private static final java.util.concurrent.atomic.AtomicBoolean WARMING = new java.util.concurrent.atomic.AtomicBoolean();

    /**
     * Loads the model (or trains it, when the built file is missing) on a background thread, once per
     * process, so a show does not wait for it at its first message. Whoever triggers it, the model is
     * the same.
     */
    static void warmUp() {
        if (WARMING.compareAndSet(false, true)) {
            Thread.ofVirtual().name("chat-classifier-loading").start(() -> {
                ChatClassifier ignored = Holder.INSTANCE;
            });
        }
    }

    private static final class Holder {
        static final ChatClassifier INSTANCE = built();

        private static ChatClassifier built() {
            return ChatModelFile.load().orElseGet(() -> trainChosen(developmentLines()));
        }
    }

    /** The model with {@link #CHOSEN} trained on {@code lines}, features included. */
    static ChatClassifier trainChosen(List<LabelledText> lines) {
        return train(examples(lines, CHOSEN.families()), CHOSEN);
    }

    /**
     * The lines the shipped model trains on, in file order: every chat development set and training
     * file, and the general-text training lines when {@link #CHOSEN} says so.
     */
    static List<LabelledText> developmentLines() {
        var lines = new ArrayList<LabelledText>();
        for (LabelledSet set : LabelledSet.values()) {
            if (set.file().development() && (set.chat() || CHOSEN.generalText())) {
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
                    families.vader() ? vader.compound(line.text()) : Double.NaN), line.label().ordinal()));
        }
        return out;
    }

    /**
     * Multinomial logistic regression by AdaGrad; the same examples and settings give the same
     * weights. A feature's three class weights sit side by side ({@code slot * 3 + class}), so one
     * feature costs one cache line, in training and in scoring.
     */
    static ChatClassifier train(List<Example> examples, Settings settings) {
        var w = new float[CLASSES * ChatFeatures.DIMENSION];
        var squares = new float[CLASSES * ChatFeatures.DIMENSION];
        var b = new double[CLASSES];
        var bSquares = new double[CLASSES];
        int[] order = new int[examples.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        var random = new SplittableRandom(SEED);
        var p = new double[CLASSES];
        var g = new double[CLASSES];
        double l2 = settings.l2();
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
                for (int k = 0; k < CLASSES; k++) {
                    g[k] = p[k] - (k == ex.label() ? 1 : 0);
                    bSquares[k] += g[k] * g[k];
                    b[k] -= STEP * g[k] / Math.sqrt(bSquares[k] + 1e-8);
                }
                int[] index = ex.x().index();
                float[] value = ex.x().value();
                for (int f = 0; f < index.length; f++) {
                    int at = index[f] * CLASSES;
                    for (int k = 0; k < CLASSES; k++) {
                        double grad = g[k] * value[f] + l2 * w[at + k];
                        squares[at + k] += (float) (grad * grad);
                        w[at + k] -= (float) (STEP * grad / Math.sqrt(squares[at + k] + 1e-8));
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
        double z0 = b[0];
        double z1 = b[1];
        double z2 = b[2];
        int[] index = x.index();
        float[] value = x.value();
        for (int f = 0; f < index.length; f++) {
            int at = index[f] * CLASSES;
            float v = value[f];
            z0 += w[at] * v;
            z1 += w[at + 1] * v;
            z2 += w[at + 2] * v;
        }
        p[0] = z0;
        p[1] = z1;
        p[2] = z2;
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
     * The compound a message gets from its class probabilities and the lexicon's compound. Where
     * the model's most probable class is positive or negative, the compound is on that side of the
     * neutral band (at or above +0.05, at or below -0.05) and its strength is
     * {@code blend * (P(pos) - P(neg)) + (1 - blend) * lexicon}: the model's expected label and the
     * lexicon's compound, weighed. Where it is neutral, the lexicon's compound is shrunk by the
     * model's confidence that the line is neutral: times {@code min(1, gate * (1 - P(neu)))}. So a
     * line the model is sure is neutral stays near 0, and one it hesitates on keeps the lexicon's
     * graded reading (intensifiers, caps, stretched letters, "!"), which can carry it out of the
     * band. A gate of 0 is the old rule (neutral is exactly 0); {@link Double#POSITIVE_INFINITY}
     * keeps the lexicon's compound whole. The blend never changes a line's side, only its strength.
     */
    static double compound(double[] p, double lexiconCompound, double gate, double blend) {
        double band = SentimentEvaluation.COMPOUND_NEUTRAL;
        double strength = blend * (p[0] - p[2]) + (1 - blend) * lexiconCompound;
        if (p[0] >= p[1] && p[0] >= p[2]) {
            return Math.max(band, strength);
        }
        if (p[2] > p[1]) {
            return Math.min(-band, strength);
        }
        double kept = gate == Double.POSITIVE_INFINITY ? 1 : Math.min(1, gate * (1 - p[1]));
        return lexiconCompound * kept;
    }

    /**
     * As {@link #compound(double[], double, double, double)} with the settings' gate and blend, except
     * where the model's class is not the lexicon's and the model's probability for its class is under
     * {@link Settings#sure()}: there the lexicon's compound stands, whole.
     */
    static double compound(double[] p, double lexiconCompound, Settings settings) {
        int model = p[0] >= p[1] && p[0] >= p[2] ? 0 : p[2] > p[1] ? 2 : 1;
        if (p[model] < settings.sure() && model != SentimentEvaluation.ofCompound(lexiconCompound).ordinal()) {
            return lexiconCompound;
        }
        return compound(p, lexiconCompound, settings.gate(), settings.blend());
    }

    /** {@link #compound(double[], double, Settings)} with this model's settings. */
    double compound(double[] p, double lexiconCompound) {
        return compound(p, lexiconCompound, settings);
    }
}
