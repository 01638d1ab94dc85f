package io.edgedeck.simulator.cli;

import java.io.PrintStream;
import java.util.List;

/**
 * One subcommand of the command line. Adding a command is one class and one entry in
 * {@link Main#COMMANDS}; usage text is built from the entries.
 */
interface Command {

    /** The word that selects it, e.g. {@code validate}. */
    String name();

    /** Its arguments as usage shows them, e.g. {@code FILE}; empty when it takes none. */
    String arguments();

    /** One line saying what it does. */
    String summary();

    /**
     * Runs with the arguments after the command word.
     *
     * @return the process exit code, one of {@link ExitCode}'s
     */
    int run(List<String> args, PrintStream out, PrintStream err) throws Exception;
}
