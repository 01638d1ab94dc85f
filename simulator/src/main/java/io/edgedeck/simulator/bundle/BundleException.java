package io.edgedeck.simulator.bundle;

import java.io.IOException;

/** A bundle that cannot be read or written; the message names the file, the entry and what is wrong. */
public final class BundleException extends IOException {
    public BundleException(String message) {
        super(message);
    }

    public BundleException(String message, Throwable cause) {
        super(message, cause);
    }
}
