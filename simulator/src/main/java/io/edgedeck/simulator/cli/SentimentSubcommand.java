package io.edgedeck.simulator.cli;

import io.edgedeck.engine.sentiment.SentimentCommand;

import java.io.PrintStream;
import java.util.List;

/** {@code sentiment}: one compound score in [-1, 1] per chat line read on stdin, in order. */
final class SentimentSubcommand implements Command {

    @Override
    public String name() {
        return "sentiment";
    }

    @Override
    public String arguments() {
        return "< LINES";
    }

    @Override
    public String summary() {
        return "read chat lines on stdin; print one compound score in [-1, 1] per line";
    }

    @Override
    public int run(List<String> args, PrintStream out, PrintStream err) {
        if (!args.isEmpty()) {
            err.println("sentiment takes no arguments; it reads lines on stdin");
            return ExitCode.BAD_INPUT;
        }
        return SentimentCommand.run(System.in, out);
    }
}
