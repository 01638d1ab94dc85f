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

    /**
     * A line from the node ("jitter storm +45 ms at fra for 180 s", "roll back checkout-button/treatment at iad, ord")
     * as the console writes it: each of {@code popIds} named after "at", alone or in a list, in capitals; the rest as
     * sent, a flag or variant that happens to share a PoP's letters included.
     */
    public static String inText(String text, java.util.Collection<String> popIds) {
        if (text == null || popIds.isEmpty()) {
            return text;
        }
        String id = "(?:" + String.join("|", popIds.stream().map(java.util.regex.Pattern::quote).toList()) + ")";
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\bat (" + id + "(?:, ?" + id + ")*)(?![\\w-])").matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, java.util.regex.Matcher.quoteReplacement("at " + m.group(1).toUpperCase(Locale.ROOT)));
        }
        return m.appendTail(out).toString();
    }
}
