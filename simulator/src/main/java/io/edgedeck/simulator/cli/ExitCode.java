package io.edgedeck.simulator.cli;

/** What the process exit status means, for scripts that call the command line. */
final class ExitCode {
    static final int OK = 0;
    /** A bug or an environment failure; the message says which. */
    static final int INTERNAL_ERROR = 1;
    /** The input (arguments, a file) was wrong; the message says how. */
    static final int BAD_INPUT = 2;

    private ExitCode() {
    }
}
