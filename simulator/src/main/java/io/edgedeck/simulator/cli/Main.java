package io.edgedeck.simulator.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.UnmatchedArgumentException;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The headless command line ({@code java -jar edgedeck-sim.jar COMMAND ...}), parsed by picocli:
 * each command is a class whose options are its fields, and help, "did you mean" and the usage
 * errors come from those declarations. Exit codes: 0 done, 2 bad input (arguments or files), 1
 * internal error. Errors are messages, never stack traces.
 */
@Command(name = "edgedeck-sim", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        synopsisSubcommandLabel = "COMMAND",
        description = "EdgeDeck's headless command line: play, check, replay and serve shows; give people tokens for a node.",
        footer = {"", "Exit codes: 0 ok, 2 bad input, 1 internal error.",
                "'edgedeck-sim COMMAND --help' lists a command's options."})
public final class Main implements java.util.concurrent.Callable<Integer> {

    @Spec
    CommandSpec spec;

    /** Every command, in the order usage lists them. */
    static List<Object> commands(PrintStream out, PrintStream err) {
        return List.of(new RunCommand(out, err), new ScenariosCommand(out), new ValidateCommand(out, err),
                new SweepCommand(out, err), new ReplayCommand(out, err), new ServeCommand(out, err), new LoadCommand(out, err),
                new OperatorsCommand(out, err), new BundleCommand(out, err), new SentimentSubcommand(out, err));
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs one command line and returns its exit code, writing only to {@code out} and {@code err}. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        try {
            return commandLine(out, err).execute(args);
        } finally {
            out.flush();
            err.flush();
        }
    }

    static CommandLine commandLine(PrintStream out, PrintStream err) {
        CommandLine line = new CommandLine(new Main());
        for (Object command : commands(out, err)) {
            line.addSubcommand(command);
        }
        line.setOut(new PrintWriter(out, true, StandardCharsets.UTF_8));
        line.setErr(new PrintWriter(err, true, StandardCharsets.UTF_8));
        line.setParameterExceptionHandler(Main::usageError);
        line.setExecutionExceptionHandler((e, command, parsed) -> {
            command.getErr().println("internal error in " + command.getCommandName() + ": " + e);
            return ExitCode.INTERNAL_ERROR;
        });
        line.setCaseInsensitiveEnumValuesAllowed(true);
        return line;
    }

    /** A usage mistake: what was wrong, a suggestion when a name was mistyped, and where help is; exit 2. */
    private static int usageError(ParameterException e, String[] args) {
        CommandLine command = e.getCommandLine();
        PrintWriter err = command.getErr();
        String name = command.getCommandSpec().qualifiedName();
        List<String> unknown = e instanceof CommandLine.MissingParameterException ? unknownOptions(command, args) : List.of();
        if (!unknown.isEmpty()) {
            // an unknown option first: it is often the required one, mistyped
            UnmatchedArgumentException unmatched = new UnmatchedArgumentException(command, unknown);
            err.println(name + ": " + unmatched.getMessage());
            UnmatchedArgumentException.printSuggestions(unmatched, err);
            err.println(name + ": " + e.getMessage());
        } else if (e instanceof UnmatchedArgumentException unmatched && command.getParent() == null
                && !unmatched.getUnmatched().isEmpty() && !unmatched.getUnmatched().getFirst().startsWith("-")) {
            err.println(name + ": unknown command '" + unmatched.getUnmatched().getFirst() + "'");
        } else {
            err.println(name + ": " + e.getMessage());
        }
        UnmatchedArgumentException.printSuggestions(e, err);
        err.println("See '" + name + " --help'.");
        return ExitCode.BAD_INPUT;
    }

    /**
     * The options on the command line that {@code command} does not have, as typed (without a
     * value given with '='): what picocli would have named had a required option not been missing.
     */
    static List<String> unknownOptions(CommandLine command, String[] args) {
        List<String> path = new java.util.ArrayList<>();
        for (CommandLine c = command; c.getParent() != null; c = c.getParent()) {
            path.addFirst(c.getCommandName());
        }
        int i = 0;
        for (String name : path) {
            while (i < args.length && !args[i].equals(name)) {
                i++;
            }
            i++;
        }
        List<String> unknown = new java.util.ArrayList<>();
        for (boolean valueNext = false; i < args.length; i++) {
            String arg = args[i];
            if (valueNext) {
                valueNext = false;
            } else if (arg.equals("--")) {
                break;
            } else if (arg.startsWith("-") && arg.length() > 1) {
                String option = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
                CommandLine.Model.OptionSpec spec = command.getCommandSpec().findOption(option);
                if (spec == null) {
                    unknown.add(option);
                } else {
                    valueNext = !arg.contains("=") && spec.arity().min() > 0;
                }
            }
        }
        return unknown;
    }

    /**
     * No command: the list of commands, on stderr, and exit 2, as for any bad input (a script that
     * passed an empty variable as the command must not take it for success).
     */
    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return ExitCode.BAD_INPUT;
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"edgedeck-sim " + version()};
        }
    }

    static String version() {
        return io.edgedeck.simulator.server.NodeBuild.version();
    }
}
