package io.edgedeck.client.model;

/**
 * Who a node acts for on a call ({@code GET /api/v1/me}): the person a personal token was made for,
 * or {@code admin} for the node owner's own token. The audit names this person for every change
 * they make, whatever a request body says.
 *
 * @param name the person's name, as {@code edgedeck-sim operators add NAME} gave it, or {@code admin}
 * @param role what they may do
 */
public record Caller(String name, Role role) {
    /** The node owner's token: every right, audited as {@code admin}. */
    public static final String ADMIN = "admin";

    /** "alice (operator)": how the console names who it acts as. */
    public String describe() {
        return name + " (" + role.id() + ")";
    }
}
