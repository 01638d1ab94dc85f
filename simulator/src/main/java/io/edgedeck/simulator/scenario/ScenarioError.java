package io.edgedeck.simulator.scenario;

/**
 * One thing wrong with a scenario document.
 *
 * @param path    JSON path of the offending value, e.g. {@code $.pops[2].latency.loss}
 * @param line    1-based line of the value (or of its nearest enclosing value when it is missing)
 * @param column  1-based column on that line
 * @param message what is wrong and, where possible, what would be right
 */
public record ScenarioError(String path, int line, int column, String message) {

    /** The form people read: {@code line 14, $.pops[2].latency.loss: must be between 0 and 1, was 1.5}. */
    @Override
    public String toString() {
        return "line " + line + ", " + path + ": " + message;
    }

    /** The form editors and compilers use: {@code FILE:14:9: $.pops[2].latency.loss: must be ...}. */
    public String toString(String file) {
        return file + ":" + line + ":" + column + ": " + path + ": " + message;
    }
}
