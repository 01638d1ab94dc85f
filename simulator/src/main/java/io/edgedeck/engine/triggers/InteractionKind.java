package io.edgedeck.engine.triggers;

/** The small behaviours of a viewer's session that micro-metric triggers watch. */
public enum InteractionKind {
    VIEW, HOVER, CLICK, CHAT, ADD_TO_CART, CHECKOUT
}
