package io.edgedeck.simulator.scenario;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiConsumer;

/**
 * A document that failed the schema, without the values the schema refused: so the cross-checks
 * (references, cue times) can still run on the rest and every error comes back in one pass. A cue
 * is taken out whole when any of its fields is wrong (its type decides what its fields mean); any
 * other value alone. The cross-checks' paths are those of the pruned tree; {@link #original} puts
 * them back into the file's, and {@link #touches} tells which of them only echo a pruned value.
 */
final class SchemaErrorPruning {
    private static final String CUES = "$.cues";
    private static final Set<String> NAMING_FIELDS = Set.of(".id", ".key", ".name");

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

    /**
     * After the schema refused some values of {@code root}: {@code checks} (which bind the document
     * and add their errors) on the rest of it, their errors added to {@code errors}. Said only of
     * values the refused ones do not touch; nothing more when the rest cannot be read without the
     * refused values (a PoP or a flag is refused whole, or a field that names its element is missing,
     * so references to it would be reported as unknown). A required field that is missing is said
     * once, by the schema: the checks' own words about it are left out.
     */
    static void checkTheRest(ObjectNode root, ErrorCollector errors, SchemaValidator schema,
                             BiConsumer<ObjectNode, ErrorCollector> checks) {
        List<String> paths = errors.errors().stream().map(ScenarioError::path).toList();
        SchemaErrorPruning pruning = of(root, paths);
        if (pruning == null) {
            return;
        }
        Set<String> said = new HashSet<>();
        errors.errors().forEach(e -> said.add(e.path() + "\n" + e.message()));
        ErrorCollector rest = new ErrorCollector(Map.of());
        try {
            // the schema again: it fills in the defaults of the values taken out, and the rest must pass it,
            // but for the required fields already found missing
            ErrorCollector again = new ErrorCollector(Map.of());
            schema.validate(pruning.tree(), again);
            for (ScenarioError e : again.errors()) {
                if (!said.contains(e.path() + "\n" + e.message()) || namesItsElement(e.path())) {
                    return;
                }
            }
            checks.accept(pruning.tree(), rest);
        } catch (RuntimeException e) {
            // the rest is not a document without the refused values: their errors say what to fix first
            return;
        }
        for (ScenarioError e : rest.errors()) {
            String path = pruning.original(e.path());
            if (!pruning.touches(path) && said.add(path + "\n" + e.message())) {
                errors.add(path, e.message());
            }
        }
    }

    /** A PoP's or region's id, a flag's key, a variant's name: what other parts refer to an element by. */
    private static boolean namesItsElement(String path) {
        String parent = JsonPaths.parent(path);
        if (parent == null || parent.equals(JsonPaths.ROOT)) {
            return false;
        }
        return NAMING_FIELDS.contains(path.substring(parent.length())) && lastIndex(parent) >= 0;
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
