package io.edgedeck.simulator.scenario;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The small behaviours a session produces, as triggers name them. */
public enum EventKind {
    @JsonProperty("view") VIEW,
    @JsonProperty("hover") HOVER,
    @JsonProperty("click") CLICK,
    @JsonProperty("chat") CHAT,
    @JsonProperty("add-to-cart") ADD_TO_CART,
    @JsonProperty("checkout") CHECKOUT
}
