package io.edgedeck.simulator.scenario;

import com.fasterxml.jackson.annotation.JsonValue;

/** The small behaviours a session produces, as triggers name them. */
public enum EventKind {
    VIEW("view"), HOVER("hover"), CLICK("click"), CHAT("chat"), ADD_TO_CART("add-to-cart"), CHECKOUT("checkout");

    private final String wireName;

    EventKind(String wireName) {
        this.wireName = wireName;
    }

    @JsonValue
    public String wireName() {
        return wireName;
    }
}
