package io.edgedeck.simulator.load;

/** The node could not be driven: unreachable, a key refused, or not the show asked for. The message says which, for a person. */
public final class LoadException extends Exception {
    public LoadException(String message) {
        super(message);
    }

    public LoadException(String message, Throwable cause) {
        super(message, cause);
    }
}
