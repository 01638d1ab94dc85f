package io.edgedeck.simulator.cli;

import io.edgedeck.engine.sentiment.ClassifierSelection;
import io.edgedeck.engine.sentiment.SentimentCommand;
import io.edgedeck.engine.sentiment.SentimentEvaluation;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code sentiment}: one compound score in [-1, 1] per chat line read on stdin, in order, or, for a line the
 * engine counts but does not score (a language it does not read, or a misnamed line), "counted, not scored"
 * with the language and why; with
 * {@code --evaluate [--development-only] [--tweets FILE]}, the scorer's figures on the labelled sets instead;
 * with {@code --labelled FILE}, the shipped scorer's accuracy on a labelled file;
 * with {@code --cross-validate}, the cross-validation on the development lines that chose the classifier's settings.
 */
@Command(name = "sentiment", description = "read chat lines on stdin; print one compound score in [-1, 1] per line, or "
        + "'counted, not scored' with the language and why for a line the engine leaves out; "
        + "--evaluate: accuracy on the labelled chat sets (docs/SENTIMENT.md)", mixinStandardHelpOptions = true)
final class SentimentSubcommand implements Callable<Integer> {

    @Option(names = "--evaluate", description = "print 3-class accuracy and macro-F1 on the development and test sets, "
            + "for the chat scorer and plain VADER, instead of scoring stdin")
    boolean evaluate;

    @Option(names = "--development-only", description = "with --evaluate: the development sets only; the blind test "
            + "set is neither read nor scored (measure with this while changing the scorer)")
    boolean developmentOnly;

    @Option(names = "--tweets", paramLabel = "FILE",
            description = "with --evaluate: the VADER tweets ground truth (id, mean rating, text), for Pearson r")
    Path tweets;

    @Option(names = "--labelled", paramLabel = "FILE", description = "score a labelled file (label<TAB>text, label "
            + "pos, neu or neg, as the sets in eval/) with the shipped scorer and print 3-class accuracy, macro-F1 and "
            + "the confusion matrix, instead of scoring stdin")
    Path labelled;

    @Option(names = "--cross-validate", description = "print the 10-fold cross-validation on the development lines "
            + "that chose the chat classifier's settings (no test set is read)")
    boolean crossValidate;

    @Option(names = "--general-only", description = "with --cross-validate: only the part that chose whether the "
            + "general-text lines train the classifier and how its probabilities and the lexicon make the score")
    boolean generalOnly;

    @Spec
    CommandSpec spec;

    private final PrintStream out;
    private final PrintStream err;

    SentimentSubcommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    @Override
    public Integer call() {
        if (labelled != null) {
            if (evaluate || crossValidate || generalOnly || tweets != null || developmentOnly) {
                throw new ParameterException(spec.commandLine(), "--labelled stands alone");
            }
            if (!Files.isRegularFile(labelled) || !Files.isReadable(labelled)) {
                err.println("--labelled: no readable file at " + labelled);
                return ExitCode.BAD_INPUT;
            }
            try {
                SentimentEvaluation.reportFile(out, labelled);
            } catch (IOException | IllegalStateException | java.io.UncheckedIOException e) {
                err.println("--labelled: " + e.getMessage());
                return ExitCode.BAD_INPUT;
            }
            return ExitCode.OK;
        }
        if (crossValidate) {
            if (evaluate || tweets != null || developmentOnly) {
                throw new ParameterException(spec.commandLine(), "--cross-validate stands alone");
            }
            if (!generalOnly) {
                ClassifierSelection.report(out);
            }
            ClassifierSelection.generalReport(out);
            ClassifierSelection.sureReport(out);
            return ExitCode.OK;
        }
        if (generalOnly) {
            throw new ParameterException(spec.commandLine(), "--general-only goes with --cross-validate");
        }
        if (!evaluate) {
            if (tweets != null) {
                throw new ParameterException(spec.commandLine(), "--tweets goes with --evaluate");
            }
            if (developmentOnly) {
                throw new ParameterException(spec.commandLine(), "--development-only goes with --evaluate");
            }
            return SentimentCommand.run(System.in, out);
        }
        if (tweets != null && (!Files.isRegularFile(tweets) || !Files.isReadable(tweets))) {
            err.println("--tweets: no readable file at " + tweets);
            return ExitCode.BAD_INPUT;
        }
        try {
            SentimentEvaluation.report(out, tweets, developmentOnly);
        } catch (IOException e) {
            err.println("--tweets: " + e.getMessage());
            return ExitCode.BAD_INPUT;
        }
        return ExitCode.OK;
    }
}
