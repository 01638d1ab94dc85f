package io.edgedeck.simulator.scenario;

import com.fasterxml.jackson.core.JsonLocation;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Gathers errors by JSON path and places each at a line and column using the locations the
 * document reader recorded. A path with no location of its own (a missing field) takes its
 * nearest enclosing value's.
 */
final class ErrorCollector {
    private final Map<String, JsonLocation> locations;
    private final List<ScenarioError> errors = new ArrayList<>();

    ErrorCollector(Map<String, JsonLocation> locations) {
        this.locations = locations;
    }

    void add(String path, String message) {
        String at = path;
        JsonLocation location = locations.get(at);
        while (location == null && at != null) {
            at = JsonPaths.parent(at);
            location = at == null ? null : locations.get(at);
        }
        int line = location == null ? 1 : Math.max(1, location.getLineNr());
        int column = location == null ? 1 : Math.max(1, location.getColumnNr());
        errors.add(new ScenarioError(path, line, column, message));
    }

    boolean isEmpty() {
        return errors.isEmpty();
    }

    List<ScenarioError> errors() {
        return errors.stream()
                .sorted(Comparator.comparingInt(ScenarioError::line).thenComparingInt(ScenarioError::column))
                .toList();
    }

    void throwIfAny() {
        if (!errors.isEmpty()) throw new ScenarioValidationException(errors());
    }
}
