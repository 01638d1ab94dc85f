package io.edgedeck.simulator.cli;

/** What the process exit status means, for scripts that call the command line. */
final class ExitCode {
    static final int OK = 0;
    /** A bug or an environment failure; the message says which. */
    static final int INTERNAL_ERROR = 1;
    /** The input (arguments, a file) was wrong; the message says how. */
    static final int BAD_INPUT = 2;
    /** {@code load}: the node's figures do not agree with the in-process show's within the tolerances. */
    static final int DIFFERS = 3;

    private ExitCode() {
    }
}
