package io.edgedeck.engine.sentiment;

import io.edgedeck.engine.sentiment.ChatClassifier.Example;
import io.edgedeck.engine.sentiment.ChatClassifier.Settings;
import io.edgedeck.engine.sentiment.ChatFeatures.Families;
import io.edgedeck.engine.sentiment.SentimentEvaluation.LabelledSet;
import io.edgedeck.engine.sentiment.SentimentEvaluation.LabelledText;
import io.edgedeck.engine.sentiment.SentimentEvaluation.RatedText;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * How {@link ChatClassifier#CHOSEN} was chosen: 10-fold cross-validation over the chat development
 * lines (every chat development set and training file; never a test set), and the choices made on
 * general text ({@link #generalReport}, {@link #sureReport}), printed by
 * {@code edgedeck-sim sentiment --cross-validate}.
 *
 * <p>Each line is scored by a model trained on the other nine folds. Accuracy is reported on two
 * groups: the lines the lexicon and rules were tuned on (development sets 1-4), where the lexicon's
 * compound is a feature that looks better than it is, and the lines nothing was tuned on
 * (development set 5 and the training file). Settings are chosen on the second group, the honest
 * one: on it a model that trusts the lexicon too much pays for it. The gate
 * ({@link ChatClassifier#compound(double[], double, double, double)}) is chosen in the same run, on the same
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
                grid.add(new Settings(f, l2, 15, 0, ChatClassifier.CHOSEN.blend(), ChatClassifier.CHOSEN.generalText(),
                        ChatClassifier.CHOSEN.sure()));
            }
        }
        return grid;
    }

    /**
     * How much of the lexicon's compound a line the model calls neutral keeps
     * ({@link ChatClassifier#compound(double[], double, double, double)}): 0 is none (the score is exactly 0),
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
     * The chat development lines, whether the lexicon was tuned on each, and the lexicon's compound and
     * class of each; and the general-text training lines, which every fold trains on and no figure
     * here scores (the chat figures stay figures on chat).
     */
    record Development(List<LabelledText> lines, List<Boolean> tuned, double[] lexiconCompound, int[] lexiconClass,
                       List<LabelledText> general) {

        static Development read() {
            var lines = new ArrayList<LabelledText>();
            var tuned = new ArrayList<Boolean>();
            var general = new ArrayList<LabelledText>();
            for (LabelledSet set : LabelledSet.values()) {
                if (set.file().development() && !set.chat()) {
                    general.addAll(SentimentEvaluation.requireSet(set));
                } else if (set.file().development()) {
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
            return new Development(List.copyOf(lines), List.copyOf(tuned), compound, classes, List.copyOf(general));
        }

        /** The lexicon and rules alone, no training. */
        Figures lexiconAlone() {
            return figures(null, lexiconClass, lines, tuned);
        }

        /**
         * A setting's out-of-fold figures on the chat lines; every fold also trains on the general-text
         * lines when the setting says so.
         */
        Figures crossValidated(Settings settings, List<Example> examples) {
            return figures(settings, crossValidate(examples, settings, folds(lines.size()), lexiconCompound,
                    settings.generalText() ? ChatClassifier.examples(general, settings.families()) : List.of()), lines, tuned);
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
        Map<Families, List<Example>> generalExamples = new HashMap<>();
        var all = new ArrayList<Figures>();
        int[] fold = folds(lines.size());
        for (Settings s : grid()) {
            List<Example> ex = examples.computeIfAbsent(s.families(), f -> ChatClassifier.examples(lines, f));
            double[][] p = outOfFold(ex, s, fold, s.generalText()
                    ? generalExamples.computeIfAbsent(s.families(), f -> ChatClassifier.examples(dev.general(), f)) : List.of());
            var row = new StringBuilder();
            Figures first = null;
            for (double gate : GATES) {
                Figures f = figures(s.withGate(gate), predicted(p, dev.lexiconCompound(), s.withGate(gate)), lines, tuned);
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

    /** The model's shares of a positive or negative line's strength tried ({@link Settings#blend()}). */
    static final double[] BLENDS = {0, 0.25, 0.5, 0.75, 1};

    /** One row of {@link #generalReport}: with or without the general-text training lines, one blend. */
    record GeneralFigures(boolean general, double blend, double chatUntouched, double chatR, double generalR,
                          double generalAccuracy) {}

    /**
     * What the general-text lines are for, on development data only: the chosen model's out-of-fold
     * accuracy on the untouched chat lines without and with the general-text training lines in every
     * fold, and, for each blend, the Pearson r of the score with the chat labels read as -1/0/+1 (out of
     * fold, untouched lines) and with the ratings of the general-text development lines (a model
     * trained on every training line; those lines are never trained on).
     *
     * <p>The rules, fixed before the figures were read: the general-text lines are trained on when the
     * chat accuracy with them is no lower than without them; the blend is the one with the best r on
     * the general-text development lines.
     */
    public static void generalReport(PrintStream out) {
        List<GeneralFigures> rows = general();
        Development dev = Development.read();
        var lexicon = ChatSentimentScorer.lexiconOnly();
        List<RatedText> rated = SentimentEvaluation.generalDevelopment();
        out.printf(Locale.ROOT, "%d chat lines (%d untouched), %d general-text training lines, %d rated general-text "
                + "development lines%n", dev.lines().size(), dev.tuned().stream().filter(t -> !t).count(),
                dev.general().size(), rated.size());
        out.printf(Locale.ROOT, "lexicon and rules alone: chat r %.3f, general r %.3f, general accuracy %.3f%n",
                pearson(dev.lexiconCompound(), chatTruth(dev), dev.tuned()),
                SentimentEvaluation.tweetFigures(lexicon, rated).pearson(), SentimentEvaluation.tweetFigures(lexicon, rated).accuracy());
        out.println("general lines  blend  chat untouched accuracy  chat r (untouched)  general r  general accuracy");
        for (GeneralFigures f : rows) {
            out.printf(Locale.ROOT, "%-13s  %.2f   %.3f                    %.3f               %.3f      %.3f%n",
                    f.general() ? "trained on" : "left out", f.blend(), f.chatUntouched(), f.chatR(), f.generalR(),
                    f.generalAccuracy());
        }
        GeneralFigures chosen = chooseGeneral(rows);
        out.printf(Locale.ROOT, "chosen: general lines %s, blend %.2f%s%n", chosen.general() ? "trained on" : "left out",
                chosen.blend(), chosen.general() == ChatClassifier.CHOSEN.generalText()
                        && chosen.blend() == ChatClassifier.CHOSEN.blend() ? " (the shipped setting)" : "; shipped: "
                        + ChatClassifier.CHOSEN);
    }

    /** The rules of {@link #generalReport}. */
    static GeneralFigures chooseGeneral(List<GeneralFigures> rows) {
        double without = rows.stream().filter(f -> !f.general()).mapToDouble(GeneralFigures::chatUntouched).max().orElseThrow();
        double with = rows.stream().filter(GeneralFigures::general).mapToDouble(GeneralFigures::chatUntouched).max().orElseThrow();
        boolean general = with >= without;
        return rows.stream().filter(f -> f.general() == general)
                .max(java.util.Comparator.comparingDouble(GeneralFigures::generalR)).orElseThrow();
    }

    /** The figures of {@link #generalReport}, for the chosen model's families, L2, epochs and gate; every blend. */
    static List<GeneralFigures> general() {
        Development dev = Development.read();
        Settings settings = ChatClassifier.CHOSEN;
        List<Example> chat = ChatClassifier.examples(dev.lines(), settings.families());
        List<Example> generalTraining = ChatClassifier.examples(dev.general(), settings.families());
        List<RatedText> rated = SentimentEvaluation.generalDevelopment();
        double[] truth = chatTruth(dev);
        int[] fold = folds(dev.lines().size());
        var rows = new ArrayList<GeneralFigures>();
        for (boolean withGeneral : new boolean[]{false, true}) {
            List<Example> always = withGeneral ? generalTraining : List.of();
            settings = settings.withGeneralText(withGeneral);
            double[][] p = outOfFold(chat, settings, fold, always);
            double accuracy = figures(settings, predicted(p, dev.lexiconCompound(), settings), dev.lines(),
                    dev.tuned()).untouched();
            var training = new ArrayList<Example>(chat);
            training.addAll(always);
            ChatClassifier model = ChatClassifier.train(training, settings);
            for (double blend : BLENDS) {
                double[] chatScore = scores(p, dev.lexiconCompound(), settings.withBlend(blend));
                double[] general = rated(model, settings.withBlend(blend), rated);
                rows.add(new GeneralFigures(withGeneral, blend, accuracy, pearson(chatScore, truth, dev.tuned()),
                        general[0], general[1]));
            }
        }
        return rows;
    }

    private static double[] scores(double[][] p, double[] lexiconCompound, Settings settings) {
        var score = new double[p.length];
        for (int i = 0; i < p.length; i++) {
            score[i] = p[i] == null ? 0 : ChatClassifier.compound(p[i], lexiconCompound[i], settings);
        }
        return score;
    }

    /** The probabilities the model needs to overrule the lexicon's class that are tried ({@link Settings#sure()}). */
    static final double[] SURE = {0, 0.5, 0.6, 0.7, 0.8, 0.9};

    /**
     * One row of {@link #sureReport}: out-of-fold accuracy on the untouched chat lines; r and accuracy
     * on the rated general-text lines; and, when the general-text training lines do not train the
     * shipped model, r (with -1/0/+1) and accuracy on them too, unseen by it.
     */
    record SureFigures(double sure, double chatUntouched, double generalR, double generalAccuracy, double generalTrainR,
                       double generalTrainAccuracy) {}

    /**
     * How sure the model must be to overrule the lexicon's class, with the chosen blend and general-text
     * choice. The rule, fixed before the figures were read: among the settings whose chat accuracy is no
     * lower than with no such threshold (0), the best r on the rated general-text lines.
     */
    public static void sureReport(PrintStream out) {
        List<SureFigures> rows = sure();
        out.println("sure   chat untouched accuracy  general r  general accuracy  general training r  general training accuracy");
        for (SureFigures f : rows) {
            out.printf(Locale.ROOT, "%.2f   %.3f                    %.3f      %.3f             %.3f               %.3f%n",
                    f.sure(), f.chatUntouched(), f.generalR(), f.generalAccuracy(), f.generalTrainR(), f.generalTrainAccuracy());
        }
        SureFigures chosen = chooseSure(rows);
        out.printf(Locale.ROOT, "chosen: sure %.2f%s%n", chosen.sure(), chosen.sure() == ChatClassifier.CHOSEN.sure()
                ? " (the shipped setting)" : "; shipped: " + ChatClassifier.CHOSEN);
    }

    /** The rule of {@link #sureReport}. */
    static SureFigures chooseSure(List<SureFigures> rows) {
        double always = rows.stream().filter(f -> f.sure() == 0).findFirst().orElseThrow().chatUntouched();
        return rows.stream().filter(f -> f.chatUntouched() >= always)
                .max(java.util.Comparator.comparingDouble(SureFigures::generalR)).orElseThrow();
    }

    /** The figures of {@link #sureReport}. */
    static List<SureFigures> sure() {
        Development dev = Development.read();
        Settings settings = ChatClassifier.CHOSEN;
        List<Example> chat = ChatClassifier.examples(dev.lines(), settings.families());
        List<Example> generalTraining = ChatClassifier.examples(dev.general(), settings.families());
        List<Example> always = settings.generalText() ? generalTraining : List.of();
        double[][] p = outOfFold(chat, settings, folds(dev.lines().size()), always);
        var training = new ArrayList<Example>(chat);
        training.addAll(always);
        ChatClassifier model = ChatClassifier.train(training, settings);
        List<RatedText> rated = SentimentEvaluation.generalDevelopment();
        List<RatedText> generalLines = dev.general().stream().map(l -> new RatedText(switch (l.label()) {
            case POS -> 1;
            case NEU -> 0;
            case NEG -> -1;
        }, l.text())).toList();
        var rows = new ArrayList<SureFigures>();
        for (double sure : SURE) {
            Settings s = settings.withSure(sure);
            double chatAccuracy = figures(s, predicted(p, dev.lexiconCompound(), s), dev.lines(), dev.tuned()).untouched();
            double[] gen = rated(model, s, rated);
            double[] train = settings.generalText() ? new double[]{Double.NaN, Double.NaN} : rated(model, s, generalLines);
            rows.add(new SureFigures(sure, chatAccuracy, gen[0], gen[1], train[0], train[1]));
        }
        return rows;
    }

    /**
     * Pearson r and 3-class accuracy of {@code model} with {@code settings} on rated lines (the rating's
     * class by {@link SentimentEvaluation#ofRating}), each scored as the chat scorer would.
     */
    private static double[] rated(ChatClassifier model, Settings settings, List<RatedText> lines) {
        var lexicon = ChatSentimentScorer.lexiconOnly();
        List<Example> examples = ChatClassifier.examples(lines.stream()
                .map(r -> new LabelledText(SentimentEvaluation.ofRating(r.rating()), r.text())).toList(), settings.families());
        var score = new double[lines.size()];
        var rating = new double[lines.size()];
        var confusion = new int[3][3];
        for (int i = 0; i < score.length; i++) {
            Example e = examples.get(i);
            score[i] = e.x() == null ? 0 : ChatClassifier.compound(model.probabilities(e.x()),
                    lexicon.compound(lines.get(i).text()), settings);
            rating[i] = lines.get(i).rating();
            confusion[SentimentEvaluation.ofRating(rating[i]).ordinal()][SentimentEvaluation.ofCompound(score[i]).ordinal()]++;
        }
        return new double[]{SentimentEvaluation.pearson(score, rating), SentimentEvaluation.accuracy(confusion)};
    }

    /** The chat lines' labels as +1, 0, -1. */
    private static double[] chatTruth(Development dev) {
        return dev.lines().stream().mapToDouble(l -> switch (l.label()) {
            case POS -> 1;
            case NEU -> 0;
            case NEG -> -1;
        }).toArray();
    }

    /** Pearson r over the untouched lines only. */
    private static double pearson(double[] x, double[] y, List<Boolean> tuned) {
        var xs = new ArrayList<Double>();
        var ys = new ArrayList<Double>();
        for (int i = 0; i < x.length; i++) {
            if (!tuned.get(i)) {
                xs.add(x[i]);
                ys.add(y[i]);
            }
        }
        return SentimentEvaluation.pearson(xs.stream().mapToDouble(Double::doubleValue).toArray(),
                ys.stream().mapToDouble(Double::doubleValue).toArray());
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

    private static int[] predicted(double[][] p, double[] lexiconCompound, Settings settings) {
        var predicted = new int[p.length];
        for (int i = 0; i < p.length; i++) {
            double c = p[i] == null ? 0 : ChatClassifier.compound(p[i], lexiconCompound[i], settings);
            predicted[i] = SentimentEvaluation.ofCompound(c).ordinal();
        }
        return predicted;
    }

    /**
     * Each line's class probabilities from a model trained without its fold (and on every line of
     * {@code always}); null for a line the scorer leaves at 0 before any model.
     */
    static double[][] outOfFold(List<Example> examples, Settings settings, int[] fold, List<Example> always) {
        var probabilities = new double[examples.size()][];
        for (int k = 0; k < FOLDS; k++) {
            var train = new ArrayList<Example>(always);
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
    static int[] crossValidate(List<Example> examples, Settings settings, int[] fold, double[] lexiconCompound,
                               List<Example> always) {
        return predicted(outOfFold(examples, settings, fold, always), lexiconCompound, settings);
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
