package io.edgedeck.simulator.server.operators;

/** A request about operators that cannot be done as asked: a name taken or unknown, a token file that exists. */
public final class OperatorException extends Exception {
    public OperatorException(String message) {
        super(message);
    }
}
