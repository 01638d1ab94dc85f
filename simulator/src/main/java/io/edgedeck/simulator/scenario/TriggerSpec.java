package io.edgedeck.simulator.scenario;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;

/**
 * A micro-metric trigger, evaluated per session.
 * <p>
 * Ordered: the session performs {@code kinds} in that order (other events may come between) within
 * {@code withinSeconds}; {@code count} equals the number of kinds. Unordered: any {@code count} events
 * whose kind is among {@code kinds} within {@code withinSeconds}.
 *
 * @param id            unique id, used in metrics and audit
 * @param kinds         the behaviours that count
 * @param count         how many matching events fire the trigger
 * @param withinSeconds the sliding window
 * @param ordered       whether {@code kinds} is a sequence
 * @param action        what fires
 */
public record TriggerSpec(String id, List<EventKind> kinds, int count, int withinSeconds, boolean ordered, Action action) {

    public TriggerSpec {
        kinds = List.copyOf(kinds);
    }

    public enum Action {
        @JsonProperty("surface-checkout") SURFACE_CHECKOUT,
        @JsonProperty("pin-offer") PIN_OFFER,
        @JsonProperty("grant-badge") GRANT_BADGE
    }
}
