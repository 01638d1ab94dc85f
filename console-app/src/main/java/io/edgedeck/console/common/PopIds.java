package io.edgedeck.console.common;

import java.util.Locale;

/** A PoP's id as every tab writes it for a person: in capitals, "SYD" for the node's {@code syd}. */
public final class PopIds {
    private PopIds() {
    }

    /** "FRA" for {@code fra}: ids stay as the node sends them everywhere else (lookups, pins, files). */
    public static String shown(String popId) {
        return popId.toUpperCase(Locale.ROOT);
    }
}
