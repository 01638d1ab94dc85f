package io.edgedeck.engine.sentiment;

import io.edgedeck.engine.sentiment.ChatClassifier.Example;
import io.edgedeck.engine.sentiment.ChatClassifier.Settings;
import io.edgedeck.engine.sentiment.ChatFeatures.Families;
import io.edgedeck.engine.sentiment.SentimentEvaluation.LabelledSet;
import io.edgedeck.engine.sentiment.SentimentEvaluation.LabelledText;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * How {@link ChatClassifier#CHOSEN} was chosen: 10-fold cross-validation over the development lines
 * (every development set and the training file; never a test set), printed by
 * {@code edgedeck-sim sentiment --cross-validate}.
 *
 * <p>Each line is scored by a model trained on the other nine folds. Accuracy is reported on two
 * groups: the lines the lexicon and rules were tuned on (development sets 1-4), where the lexicon's
 * compound is a feature that looks better than it is, and the lines nothing was tuned on
 * (development set 5 and the training file). Settings are chosen on the second group, the honest
 * one: on it a model that trusts the lexicon too much pays for it. The gate
 * ({@link ChatClassifier#compound(double[], double, double)}) is chosen in the same run, on the same
 * out-of-fold probabilities: it changes no model, only how its probabilities and the lexicon's
 * compound make the score.
 */
public final class ClassifierSelection {

    static final int FOLDS = 10;

    /** The models tried: feature families by L2 weight, 15 epochs each (their gate is set by {@link #GATES}). */
    static List<Settings> grid() {
        List<Families> families = List.of(
                new Families(true, false, false, true, true, false),
                new Families(true, true, false, true, true, false),
                new Families(true, true, true, true, true, false),
                new Families(true, true, true, true, true, true),
                new Families(true, true, false, true, true, true),
                new Families(true, true, true, true, false, false));
        var grid = new ArrayList<Settings>();
        for (Families f : families) {
            for (double l2 : new double[]{1e-5, 1e-4, 1e-3, 1e-2}) {
                grid.add(new Settings(f, l2, 15, 0));
            }
        }
        return grid;
    }

    /**
     * How much of the lexicon's compound a line the model calls neutral keeps
     * ({@link ChatClassifier#compound(double[], double, double)}): 0 is none (the score is exactly 0),
     * infinity all of it.
     */
    static final double[] GATES = {0, 0.5, 1, 2, 4, Double.POSITIVE_INFINITY};

    /** Out-of-fold figures of one setting: accuracy on the tuned-on lines, on the untouched lines, and on all. */
    record Figures(Settings settings, double tunedOn, double untouched, double all, double macroF1Untouched) {}

    private ClassifierSelection() {}

    private static boolean tunedOn(LabelledSet set) {
        return set == LabelledSet.DEV || set == LabelledSet.DEV2 || set == LabelledSet.DEV3 || set == LabelledSet.DEV4;
    }

    /**
     * The development lines, whether the lexicon was tuned on each, and the lexicon's compound and
     * class of each.
     */
    record Development(List<LabelledText> lines, List<Boolean> tuned, double[] lexiconCompound, int[] lexiconClass) {

        static Development read() {
            var lines = new ArrayList<LabelledText>();
            var tuned = new ArrayList<Boolean>();
            for (LabelledSet set : LabelledSet.values()) {
                if (set.development()) {
                    for (LabelledText line : SentimentEvaluation.requireSet(set)) {
                        lines.add(line);
                        tuned.add(tunedOn(set));
                    }
                }
            }
            var lexicon = ChatSentimentScorer.lexiconOnly();
            var compound = new double[lines.size()];
            var classes = new int[lines.size()];
            for (int i = 0; i < lines.size(); i++) {
                compound[i] = lexicon.compound(lines.get(i).text());
                classes[i] = SentimentEvaluation.ofCompound(compound[i]).ordinal();
            }
            return new Development(List.copyOf(lines), List.copyOf(tuned), compound, classes);
        }

        /** The lexicon and rules alone, no training. */
        Figures lexiconAlone() {
            return figures(null, lexiconClass, lines, tuned);
        }

        /** A setting's out-of-fold figures. */
        Figures crossValidated(Settings settings, List<Example> examples) {
            return figures(settings, crossValidate(examples, settings, folds(lines.size()), lexiconCompound), lines, tuned);
        }
    }

    /**
     * Prints the lexicon alone and every setting of the grid, and which one the rule below chooses.
     *
     * <p>The rule, fixed before any figure was seen: take the best accuracy on the untouched lines
     * over every model and gate; every setting within one standard error of it (sqrt(a(1-a)/n),
     * about 0.01 on 1,000 lines: the noise of the lines themselves) is as good; among those, take
     * the largest gate, the one that keeps most of the lexicon's graded reading, then the best
     * accuracy. The output is meant to be a graded score, and a difference inside the noise is no
     * reason to flatten it.
     */
    public static void report(PrintStream out) {
        Development dev = Development.read();
        List<LabelledText> lines = dev.lines();
        List<Boolean> tuned = dev.tuned();
        long untouched = tuned.stream().filter(t -> !t).count();
        out.printf(Locale.ROOT, "%d development lines: %d the lexicon was tuned on (development 1-4), %d untouched "
                + "(development 5, training 1-2); %d-fold cross-validation%n", lines.size(), lines.size() - untouched,
                untouched, FOLDS);
        out.println("scorer (gate 0)                               tuned-on  untouched  all     untouched macro-F1"
                + "   untouched accuracy by gate " + gateNames());
        Figures lex = dev.lexiconAlone();
        out.printf(Locale.ROOT, "%-45s %.3f     %.3f      %.3f   %.3f%n", "lexicon and rules alone (no CV)",
                lex.tunedOn(), lex.untouched(), lex.all(), lex.macroF1Untouched());
        Map<Families, List<Example>> examples = new HashMap<>();
        var all = new ArrayList<Figures>();
        int[] fold = folds(lines.size());
        for (Settings s : grid()) {
            List<Example> ex = examples.computeIfAbsent(s.families(), f -> ChatClassifier.examples(lines, f));
            double[][] p = outOfFold(ex, s, fold);
            var row = new StringBuilder();
            Figures first = null;
            for (double gate : GATES) {
                Figures f = figures(s.withGate(gate), predicted(p, dev.lexiconCompound(), gate), lines, tuned);
                all.add(f);
                first = first == null ? f : first;
                row.append(String.format(Locale.ROOT, " %.3f", f.untouched()));
            }
            out.printf(Locale.ROOT, "%-45s %.3f     %.3f      %.3f   %.3f                %s%n", "classifier " + s.withGate(0),
                    first.tunedOn(), first.untouched(), first.all(), first.macroF1Untouched(), row);
        }
        Figures best = all.stream().max(java.util.Comparator.comparingDouble(Figures::untouched)).orElseThrow();
        double se = Math.sqrt(best.untouched() * (1 - best.untouched()) / untouched);
        Figures chosen = choose(all, untouched);
        out.printf(Locale.ROOT, "best on the untouched lines: %s, %.3f; one standard error %.3f%n", best.settings(),
                best.untouched(), se);
        out.printf(Locale.ROOT, "chosen (largest gate within one standard error): %s, %.3f (tuned-on %.3f, all %.3f)%s%n",
                chosen.settings(), chosen.untouched(), chosen.tunedOn(), chosen.all(),
                chosen.settings().equals(ChatClassifier.CHOSEN) ? " (the shipped setting)" : "; shipped: " + ChatClassifier.CHOSEN);
    }

    /** The rule of {@link #report}: within one standard error of the best, the largest gate, then the best accuracy. */
    static Figures choose(List<Figures> all, long untouchedLines) {
        Figures best = all.stream().max(java.util.Comparator.comparingDouble(Figures::untouched)).orElseThrow();
        double se = Math.sqrt(best.untouched() * (1 - best.untouched()) / untouchedLines);
        Figures chosen = null;
        for (Figures f : all) {
            if (f.untouched() < best.untouched() - se) {
                continue;
            }
            if (chosen == null || f.settings().gate() > chosen.settings().gate()
                    || (f.settings().gate() == chosen.settings().gate() && f.untouched() > chosen.untouched() + 1e-9)) {
                chosen = f;
            }
        }
        return chosen;
    }

    private static String gateNames() {
        var names = new StringBuilder();
        for (double g : GATES) {
            names.append(g == Double.POSITIVE_INFINITY ? " inf" : String.format(Locale.ROOT, " %.1f", g));
        }
        return names.toString().strip();
    }

    private static int[] predicted(double[][] p, double[] lexiconCompound, double gate) {
        var predicted = new int[p.length];
        for (int i = 0; i < p.length; i++) {
            double c = p[i] == null ? 0 : ChatClassifier.compound(p[i], lexiconCompound[i], gate);
            predicted[i] = SentimentEvaluation.ofCompound(c).ordinal();
        }
        return predicted;
    }

    /**
     * Each line's class probabilities from a model trained without its fold; null for a line the
     * scorer leaves at 0 before any model.
     */
    static double[][] outOfFold(List<Example> examples, Settings settings, int[] fold) {
        var probabilities = new double[examples.size()][];
        for (int k = 0; k < FOLDS; k++) {
            var train = new ArrayList<Example>();
            for (int i = 0; i < examples.size(); i++) {
                if (fold[i] != k) {
                    train.add(examples.get(i));
                }
            }
            ChatClassifier model = ChatClassifier.train(train, settings);
            for (int i = 0; i < examples.size(); i++) {
                if (fold[i] == k && examples.get(i).x() != null) {
                    probabilities[i] = model.probabilities(examples.get(i).x());
                }
            }
        }
        return probabilities;
    }

    /** The class each line gets from a model trained without its fold, combined with the lexicon as the scorer does. */
    static int[] crossValidate(List<Example> examples, Settings settings, int[] fold, double[] lexiconCompound) {
        return predicted(outOfFold(examples, settings, fold), lexiconCompound, settings.gate());
    }

    /** Line i's fold: a fixed shuffle, so every run splits alike. */
    static int[] folds(int n) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        var random = new SplittableRandom(ChatClassifier.SEED);
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        int[] fold = new int[n];
        for (int i = 0; i < n; i++) {
            fold[order[i]] = i % FOLDS;
        }
        return fold;
    }

    static Figures figures(Settings settings, int[] predicted, List<LabelledText> lines, List<Boolean> tuned) {
        var tunedConfusion = new int[3][3];
        var untouchedConfusion = new int[3][3];
        var all = new int[3][3];
        for (int i = 0; i < lines.size(); i++) {
            int truth = lines.get(i).label().ordinal();
            (tuned.get(i) ? tunedConfusion : untouchedConfusion)[truth][predicted[i]]++;
            all[truth][predicted[i]]++;
        }
        return new Figures(settings, SentimentEvaluation.accuracy(tunedConfusion),
                SentimentEvaluation.accuracy(untouchedConfusion), SentimentEvaluation.accuracy(all),
                SentimentEvaluation.macroF1(untouchedConfusion));
    }
}
