package io.edgedeck.engine.triggers;

/** What the edge does for a session when a trigger fires. */
public enum TriggerAction {
    SURFACE_CHECKOUT, PIN_OFFER, GRANT_BADGE
}
