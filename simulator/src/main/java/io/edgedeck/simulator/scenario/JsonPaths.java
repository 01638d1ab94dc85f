package io.edgedeck.simulator.scenario;

import java.util.regex.Pattern;

/** JSON path strings in the {@code $.a.b[2]} form errors use. */
final class JsonPaths {
    static final String ROOT = "$";
    private static final Pattern PLAIN_NAME = Pattern.compile("[A-Za-z_$][A-Za-z0-9_$]*");

    private JsonPaths() {
    }

    static String field(String parent, String name) {
        if (PLAIN_NAME.matcher(name).matches()) return parent + "." + name;
        return parent + "['" + name.replace("\\", "\\\\").replace("'", "\\'") + "']";
    }

    static String index(String parent, int index) {
        return parent + "[" + index + "]";
    }

    /** The enclosing value's path, or null for the root. */
    static String parent(String path) {
        if (path.equals(ROOT)) return null;
        int cut;
        if (path.endsWith("']")) cut = path.lastIndexOf("['");
        else if (path.endsWith("]")) cut = path.lastIndexOf('[');
        else cut = path.lastIndexOf('.');
        return cut <= 0 ? ROOT : path.substring(0, cut);
    }
}
