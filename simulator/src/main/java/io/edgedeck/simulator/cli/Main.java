package io.edgedeck.simulator.cli;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The headless command line ({@code java -jar edgedeck-sim.jar COMMAND ...}). Exit codes: 0 done,
 * 2 bad input (arguments or files), 1 internal error. Errors are messages, never stack traces.
 */
public final class Main {

    /** Every command, in the order usage lists them. */
    static final List<Command> COMMANDS = List.of(new RunCommand(), new ScenariosCommand(), new ValidateCommand(),
            new SweepCommand(), new ReplayCommand(), new ServeCommand(), new BundleCommand(), new SentimentSubcommand());

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs one command line and returns its exit code, writing only to {@code out} and {@code err}. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0 || List.of("--help", "-h", "help").contains(args[0])) {
            out.print(usage());
            return ExitCode.OK;
        }
        Optional<Command> command = COMMANDS.stream().filter(c -> c.name().equals(args[0])).findFirst();
        if (command.isEmpty()) {
            err.println("unknown command '" + args[0] + "'");
            err.print(usage());
            return ExitCode.BAD_INPUT;
        }
        try {
            return command.get().run(Arrays.asList(args).subList(1, args.length), out, err);
        } catch (Exception | StackOverflowError | OutOfMemoryError e) {
            err.println("internal error in " + args[0] + ": " + e);
            return ExitCode.INTERNAL_ERROR;
        } finally {
            out.flush();
            err.flush();
        }
    }

    static String usage() {
        StringBuilder text = new StringBuilder("usage: edgedeck-sim COMMAND [ARGS]\n\ncommands:\n");
        int width = COMMANDS.stream().mapToInt(c -> (c.name() + " " + c.arguments()).trim().length()).max().orElse(0);
        for (Command c : COMMANDS) {
            text.append(String.format("  %-" + width + "s  %s%n", (c.name() + " " + c.arguments()).trim(), c.summary()));
        }
        text.append("\nexit codes: 0 ok, 2 bad input, 1 internal error\n");
        return text.toString();
    }
}
