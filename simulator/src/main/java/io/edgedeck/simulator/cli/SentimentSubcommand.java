package io.edgedeck.simulator.cli;

import io.edgedeck.engine.sentiment.SentimentCommand;
import picocli.CommandLine.Command;

import java.io.PrintStream;
import java.util.concurrent.Callable;

/** {@code sentiment}: one compound score in [-1, 1] per chat line read on stdin, in order. */
@Command(name = "sentiment", description = "read chat lines on stdin; print one compound score in [-1, 1] per line",
        mixinStandardHelpOptions = true)
final class SentimentSubcommand implements Callable<Integer> {
    private final PrintStream out;

    SentimentSubcommand(PrintStream out) {
        this.out = out;
    }

    @Override
    public Integer call() {
        return SentimentCommand.run(System.in, out);
    }
}
