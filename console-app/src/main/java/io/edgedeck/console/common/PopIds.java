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
     * The PoPs a change names: {@code pops} (where it rolls back, say; null for none) and the PoP its {@code scope} is, when
     * that is {@code pop:ID}; for {@link #inText} where the show's own list is not at hand.
     */
    public static java.util.List<String> named(java.util.List<String> pops, String scope) {
        java.util.List<String> named = new java.util.ArrayList<>(pops == null ? java.util.List.of() : pops);
        if (scope != null && scope.startsWith("pop:") && scope.length() > "pop:".length()) {
            named.add(scope.substring("pop:".length()));
        }
        return java.util.List.copyOf(named);
    }

    /**
     * A flag's scope as the console writes it: a PoP's ({@code pop:fra}) as "pop:FRA"; a region's, a tenant's and
     * "global" as sent. For display only: the scope sent to the node, compared and filtered on stays as the node has it.
     * A plain prefix check, not {@link #inText}: the Flags tab writes each row's scope every frame, and a pattern per
     * PoP scope would push the lists the other tabs ask with out of the patterns kept.
     */
    public static String scope(String scope) {
        return scope != null && scope.startsWith("pop:") && scope.length() > "pop:".length()
                ? "pop:" + shown(scope.substring("pop:".length())) : scope;
    }

    /**
     * A line from the node ("jitter storm +45 ms at fra for 180 s", "roll back checkout-button/treatment at iad, ord",
     * "flag.change offer-banner: v3 ... scope=pop:fra") as the console writes it: each of {@code popIds} named after
     * "at", alone or in a list, or as a PoP scope's {@code pop:ID}, in capitals; the rest as sent, a flag, variant,
     * region or tenant that happens to share a PoP's letters included.
     */
    public static String inText(String text, java.util.Collection<String> popIds) {
        if (text == null || popIds.isEmpty()) {
            return text;
        }
        java.util.regex.Matcher m = afterAt(popIds).matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, java.util.regex.Matcher.quoteReplacement(m.group(1) != null
                    ? "at " + m.group(1).toUpperCase(Locale.ROOT) : "pop:" + m.group(2).toUpperCase(Locale.ROOT)));
        }
        return m.appendTail(out).toString();
    }

    /**
     * How many PoP lists' patterns are kept: each row of the Requests, Playbooks and Schedule tabs asks with its own
     * PoPs and the Timeline with the show's, so a frame's marks and rows alternate between a few lists.
     */
    static final int PATTERNS_KEPT = 16;

    /** The patterns of the lists {@link #inText} was asked with most recently, the one asked longest ago let go first. */
    private static final java.util.Map<java.util.Set<String>, java.util.regex.Pattern> AFTER_AT =
            new java.util.LinkedHashMap<>(PATTERNS_KEPT * 2, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(java.util.Map.Entry<java.util.Set<String>, java.util.regex.Pattern> eldest) {
                    return size() > PATTERNS_KEPT;
                }
            };

    private static final java.util.concurrent.atomic.AtomicLong COMPILED = new java.util.concurrent.atomic.AtomicLong();

    /** How many patterns {@link #inText} has compiled, for a test of its cache. */
    static long compiled() {
        return COMPILED.get();
    }

    private static java.util.regex.Pattern afterAt(java.util.Collection<String> popIds) {
        java.util.Set<String> ids = java.util.Set.copyOf(popIds);
        synchronized (AFTER_AT) {
            return AFTER_AT.computeIfAbsent(ids, PopIds::compile);
        }
    }

    private static java.util.regex.Pattern compile(java.util.Set<String> ids) {
        COMPILED.incrementAndGet();
        String id = "(?:" + String.join("|", ids.stream().map(java.util.regex.Pattern::quote).toList()) + ")";
        return java.util.regex.Pattern.compile("\\bat (" + id + "(?:, ?" + id + ")*)(?![\\w-])"
                + "|(?<![\\w-])pop:(" + id + ")(?![\\w-])");
    }
}
