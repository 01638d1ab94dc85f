package io.edgedeck.simulator.cli;

import io.edgedeck.engine.sentiment.SentimentCommand;
import io.edgedeck.engine.sentiment.SentimentEvaluation;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code sentiment}: one compound score in [-1, 1] per chat line read on stdin, in order; with
 * {@code --evaluate [--tweets FILE]}, the scorer's figures on the labelled sets instead.
 */
final class SentimentSubcommand implements Command {

    @Override
    public String name() {
        return "sentiment";
    }

    @Override
    public String arguments() {
        return "< LINES | --evaluate [--tweets FILE]";
    }

    @Override
    public String summary() {
        return "score chat lines read on stdin, one compound in [-1, 1] each; --evaluate: accuracy on the labelled sets";
    }

    @Override
    public int run(List<String> args, PrintStream out, PrintStream err) throws IOException {
        if (args.isEmpty()) {
            return SentimentCommand.run(System.in, out);
        }
        if (!args.getFirst().equals("--evaluate")) {
            err.println("sentiment: unknown option '" + args.getFirst() + "'; it reads lines on stdin, or takes --evaluate [--tweets FILE]");
            return ExitCode.BAD_INPUT;
        }
        Path tweets = null;
        List<String> rest = args.subList(1, args.size());
        if (!rest.isEmpty()) {
            if (rest.size() != 2 || !rest.getFirst().equals("--tweets")) {
                err.println("usage: sentiment --evaluate [--tweets FILE]");
                return ExitCode.BAD_INPUT;
            }
            try {
                tweets = Path.of(rest.get(1));
            } catch (InvalidPathException e) {
                err.println("--tweets: not a file path: " + rest.get(1));
                return ExitCode.BAD_INPUT;
            }
            if (!Files.isRegularFile(tweets) || !Files.isReadable(tweets)) {
                err.println("--tweets: no readable file at " + tweets);
                return ExitCode.BAD_INPUT;
            }
        }
        try {
            SentimentEvaluation.report(out, tweets);
        } catch (IOException e) {
            err.println("--tweets: " + e.getMessage());
            return ExitCode.BAD_INPUT;
        }
        return ExitCode.OK;
    }
}
