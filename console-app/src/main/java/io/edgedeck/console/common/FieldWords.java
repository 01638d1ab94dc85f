package io.edgedeck.console.common;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The request field a node names in a refusal ({@code variants[1].weight}), in words a producer reads ("the weight of
 * variant 2"), and a refusal's message that names it.
 */
public final class FieldWords {
    private static final Pattern SEGMENT = Pattern.compile("([A-Za-z][A-Za-z0-9_-]*)(?:\\[(\\d+)])?");
    /** A detail that reads on from its field's name: "is required", "must not be empty". */
    private static final Pattern PREDICATE = Pattern.compile("(is|are|must|may|cannot|was|were|has|have|should)\\b");
    /** Fields whose name alone does not say what they are to a producer. */
    private static final Map<String, String> NAMED = Map.of(
            "expectedVersion", "the flag's version the change started from",
            "Idempotency-Key", "the request's Idempotency-Key",
            "Origin", "the page's origin",
            "operator", "who acts",
            "pops", "the PoPs",
            "durationSeconds", "the duration (seconds)");
    /** Words of a segment that are not plain English words. */
    private static final Map<String, String> WORDS = Map.of("pop", "PoP", "pops", "PoPs", "id", "name");

    private FieldWords() {
    }

    /** {@code field} in words, e.g. "the weight of variant 2" for {@code variants[1].weight}, "the reason" for {@code reason}. */
    public static String inWords(String field) {
        String named = NAMED.get(field);
        if (named != null) {
            return named;
        }
        List<String> parts = new ArrayList<>();
        boolean lastIndexed = false;
        for (String segment : field.split("\\.")) {
            Matcher m = SEGMENT.matcher(segment);
            if (!m.matches()) {
                return field; // not a path of names: as the node wrote it
            }
            String words = words(m.group(1));
            if (m.group(2) != null) {
                words = singular(words) + " " + (Integer.parseInt(m.group(2)) + 1);
            }
            parts.add(words);
            lastIndexed = m.group(2) != null;
        }
        // The innermost first: "variants[1].weight" is the weight of variant 2, "pops[2]" PoP 3.
        java.util.Collections.reverse(parts);
        return (lastIndexed ? "" : "the ") + String.join(" of ", parts);
    }

    /**
     * What a refusal says to a producer: the node's own words, after the field they are about, in words, when the
     * refusal names one ("the reason is required", "the variants: weights add up to 9000"). A detail that starts with the
     * field's path (as the engine writes it) loses the path; one that names what the field is about already ("weight of
     * 'treatment' is -1000") is left as the node wrote it.
     */
    public static String naming(String field, String detail) {
        if (field == null || field.isBlank()) {
            return detail;
        }
        String said = detail.startsWith(field + ": ") ? detail.substring(field.length() + 2) : detail;
        String words = inWords(field);
        // "must not be empty" and "is required" read on from the field's name: "the reason is required". Such words
        // need it even when they name the field further on ("is 5000 characters long; a reason is at most 1000").
        if (PREDICATE.matcher(said).lookingAt()) {
            return words + " " + said;
        }
        return names(said, field) ? said : words + ": " + said;
    }

    /** True when {@code detail} already names what {@code field} is about ("weight of 'treatment' is -1000"). */
    private static boolean names(String detail, String field) {
        String[] segments = field.split("\\.");
        Matcher m = SEGMENT.matcher(segments[segments.length - 1]);
        if (!m.matches()) {
            return false;
        }
        String last = singular(words(m.group(1))).toLowerCase(Locale.ROOT);
        return detail.toLowerCase(Locale.ROOT).matches("(?s).*\\b" + Pattern.quote(last) + ".*");
    }

    /** "durationSeconds" as "duration seconds", "pop" as "PoP". */
    private static String words(String name) {
        String known = WORDS.get(name);
        if (known != null) {
            return known;
        }
        return name.replaceAll("([a-z0-9])([A-Z])", "$1 $2").replace('-', ' ').replace('_', ' ').toLowerCase(Locale.ROOT);
    }

    private static String singular(String words) {
        if (words.endsWith("ies")) {
            return words.substring(0, words.length() - 3) + "y";
        }
        return words.endsWith("s") && !words.endsWith("ss") ? words.substring(0, words.length() - 1) : words;
    }
}
