package io.edgedeck.simulator.scenario;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * A document that failed the schema, without the values the schema refused: so the cross-checks
 * (references, cue times) can still run on the rest and every error comes back in one pass. A cue
 * is taken out whole when any of its fields is wrong (its type decides what its fields mean); any
 * other value alone. The cross-checks' paths are those of the pruned tree; {@link #original} puts
 * them back into the file's, and {@link #touches} tells which of them only echo a pruned value.
 */
final class SchemaErrorPruning {
    private static final String CUES = "$.cues";

    /** Per array (by its path in the file), the indices taken out of it. */
    private final Map<String, TreeSet<Integer>> removedIndices = new HashMap<>();
    private final List<String> removed = new ArrayList<>();
    private final ObjectNode pruned;

    private SchemaErrorPruning(ObjectNode pruned) {
        this.pruned = pruned;
    }

    /** The document without the values at {@code errorPaths}, or null when the root itself is wrong. */
    static SchemaErrorPruning of(ObjectNode root, List<String> errorPaths) {
        List<String> paths = new ArrayList<>();
        for (String path : errorPaths) {
            String widened = cueOf(path);
            if (widened.equals(JsonPaths.ROOT)
                    || lastIndex(widened) >= 0 && !CUES.equals(JsonPaths.parent(widened))) {
                // an element other than a cue may be named elsewhere (a PoP, a flag): without it the checks would
                // report references to it as errors of their own
                return null;
            }
            paths.add(widened);
        }
        SchemaErrorPruning p = new SchemaErrorPruning(root.deepCopy());
        // outer values first, so a value inside one already taken out is skipped
        paths.sort(Comparator.comparingInt(SchemaErrorPruning::depth));
        for (String path : paths) {
            if (p.removed.stream().noneMatch(r -> within(path, r))) {
                p.removed.add(path);
            }
        }
        // deepest first, and the higher index first within an array, so every path still names its value
        List<String> order = new ArrayList<>(p.removed);
        order.sort(Comparator.comparingInt(SchemaErrorPruning::depth).reversed()
                .thenComparing(Comparator.comparingInt(SchemaErrorPruning::lastIndex).reversed()));
        for (String path : order) {
            p.remove(path);
        }
        return p;
    }

    ObjectNode tree() {
        return pruned;
    }

    /** The path in the file of a value at {@code prunedPath} in the pruned tree. */
    String original(String prunedPath) {
        List<String> steps = new ArrayList<>();
        for (String at = prunedPath; !at.equals(JsonPaths.ROOT); at = JsonPaths.parent(at)) {
            steps.addFirst(at.substring(JsonPaths.parent(at).length()));
        }
        String path = JsonPaths.ROOT;
        for (String step : steps) {
            TreeSet<Integer> gone = removedIndices.get(path);
            if (gone != null && isIndex(step)) {
                int kept = Integer.parseInt(step.substring(1, step.length() - 1));
                int index = -1;
                for (int seen = -1; seen < kept; ) {
                    index++;
                    if (!gone.contains(index)) {
                        seen++;
                    }
                }
                step = "[" + index + "]";
            }
            path += step;
        }
        return path;
    }

    /** Whether a cross-check's error at {@code path} (in the file) is about a value taken out, or one around it. */
    boolean touches(String path) {
        return removed.stream().anyMatch(r -> within(path, r) || within(r, path));
    }

    private void remove(String path) {
        String parentPath = JsonPaths.parent(path);
        JsonNode parent = node(parentPath);
        String step = path.substring(parentPath.length());
        if (parent instanceof ArrayNode array && isIndex(step)) {
            int index = Integer.parseInt(step.substring(1, step.length() - 1));
            array.remove(index);
            removedIndices.computeIfAbsent(parentPath, k -> new TreeSet<>()).add(index);
        } else if (parent instanceof ObjectNode object) {
            object.remove(fieldName(step));
        }
    }

    private JsonNode node(String path) {
        if (path.equals(JsonPaths.ROOT)) {
            return pruned;
        }
        String parentPath = JsonPaths.parent(path);
        JsonNode parent = node(parentPath);
        String step = path.substring(parentPath.length());
        return parent == null ? null : isIndex(step) ? parent.get(Integer.parseInt(step.substring(1, step.length() - 1)))
                : parent.get(fieldName(step));
    }

    /** A cue's whole element for a path inside one, else the path. */
    private static String cueOf(String path) {
        for (String at = path; at != null; at = JsonPaths.parent(at)) {
            if (CUES.equals(JsonPaths.parent(at)) && isIndex(at.substring(CUES.length()))) {
                return at;
            }
        }
        return path;
    }

    private static boolean isIndex(String step) {
        return step.startsWith("[") && !step.startsWith("['");
    }

    private static String fieldName(String step) {
        return step.startsWith("['") ? step.substring(2, step.length() - 2).replace("\\'", "'").replace("\\\\", "\\")
                : step.substring(1);
    }

    private static boolean within(String path, String outer) {
        return path.equals(outer) || path.startsWith(outer) && (path.charAt(outer.length()) == '.' || path.charAt(outer.length()) == '[');
    }

    private static int depth(String path) {
        int depth = 0;
        for (String at = path; !at.equals(JsonPaths.ROOT); at = JsonPaths.parent(at)) {
            depth++;
        }
        return depth;
    }

    private static int lastIndex(String path) {
        String step = path.substring(JsonPaths.parent(path).length());
        return isIndex(step) ? Integer.parseInt(step.substring(1, step.length() - 1)) : -1;
    }
}
