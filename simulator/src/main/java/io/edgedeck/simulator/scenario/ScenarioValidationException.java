package io.edgedeck.simulator.scenario;

import java.util.List;
import java.util.stream.Collectors;

/** A scenario document that cannot be used, with everything found wrong with it, in document order. */
public final class ScenarioValidationException extends RuntimeException {

    private final List<ScenarioError> errors;

    public ScenarioValidationException(List<ScenarioError> errors) {
        super(errors.stream().map(ScenarioError::toString).collect(Collectors.joining("\n")));
        if (errors.isEmpty()) throw new IllegalArgumentException("a validation failure needs at least one error");
        this.errors = List.copyOf(errors);
    }

    public List<ScenarioError> errors() {
        return errors;
    }
}
