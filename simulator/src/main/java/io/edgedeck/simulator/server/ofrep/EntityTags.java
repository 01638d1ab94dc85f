package io.edgedeck.simulator.server.ofrep;

/**
 * {@code If-None-Match} as RFC 9110 (section 13.1.2) reads it: {@code *}, or a list of entity tags, each
 * strong ({@code "abc"}) or weak ({@code W/"abc"}), compared weakly (the opaque tags alone, whatever
 * {@code W/} either carries). OFREP's bulk evaluation answers 304 when the answer's tag matches any
 * of them; a proxy or CDN may send a list, or weaken a tag it passes on.
 */
public final class EntityTags {
    private EntityTags() {
    }

    /**
     * Whether {@code ifNoneMatch} (the field's value, or several field lines joined with commas; null
     * when absent) matches {@code etag}, the tag of the answer: {@code *}, or any tag in the list whose
     * opaque tag is {@code etag}'s. A list element that is not an entity tag matches nothing, and the
     * rest of the list is still read.
     */
    public static boolean matches(String ifNoneMatch, String etag) {
        if (ifNoneMatch == null || etag == null) {
            return false;
        }
        String wanted = opaque(etag);
        int i = 0;
        int n = ifNoneMatch.length();
        while (i < n) {
            char c = ifNoneMatch.charAt(i);
            if (c == ',' || c == ' ' || c == '\t') {
                i++;
                continue;
            }
            int start = ifNoneMatch.startsWith("W/", i) ? i + 2 : i;
            if (start < n && ifNoneMatch.charAt(start) == '"') {
                int end = ifNoneMatch.indexOf('"', start + 1);
                if (end < 0) {
                    return false;
                }
                if (ifNoneMatch.substring(start, end + 1).equals(wanted)) {
                    return true;
                }
                i = end + 1;
            } else {
                // "*", or not an entity tag: on to the next element
                int comma = ifNoneMatch.indexOf(',', i);
                int next = comma < 0 ? n : comma;
                if (c == '*' && ifNoneMatch.substring(i + 1, next).isBlank()) {
                    return true;
                }
                i = next + 1;
            }
        }
        return false;
    }

    /** The quoted opaque tag of {@code etag}, without a weak prefix. */
    private static String opaque(String etag) {
        return etag.startsWith("W/") ? etag.substring(2) : etag;
    }
}
