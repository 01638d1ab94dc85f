package io.edgedeck.simulator.connectors;

/**
 * A connectors config that cannot run, naming the JSON path of the field at fault and its line.
 */
public final class ConnectorConfigException extends Exception {
    private final String path;
    private final int line;
    private final String reason;

    public ConnectorConfigException(String path, String message, int line) {
        super(path + (line > 0 ? " (line " + line + ")" : "") + ": " + message);
        this.path = path;
        this.line = line;
        this.reason = message;
    }

    /** What is wrong, without the path and line. */
    public String reason() {
        return reason;
    }

    /** The JSON path, e.g. {@code connectors.cdnLogs[0].pops}. */
    public String path() {
        return path;
    }

    /** The 1-based line in the JSON text, or -1 when not known. */
    public int line() {
        return line;
    }
}
