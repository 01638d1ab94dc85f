package io.edgedeck.simulator.server.ofrep;

import io.edgedeck.simulator.server.http.PeerValues;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgedeck.engine.experiments.Experiments.FlagSnapshot;
import io.edgedeck.engine.flags.FlagDefinition;
import io.edgedeck.engine.flags.FlagEvaluator;
import io.edgedeck.engine.flags.Variant;
import io.edgedeck.simulator.scenario.Suggestions;
import io.edgedeck.simulator.scenario.Surrogates;
import io.edgedeck.simulator.server.Secrets;
import io.edgedeck.simulator.server.http.JsonBodies;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * The OpenFeature Remote Evaluation Protocol (OFREP) over EdgeDeck flags: single and bulk
 * evaluation and the configuration endpoint, in the protocol's shapes. Evaluation uses the same
 * bucketing as the engine (the context's {@code targetingKey} is the bucketing unit), so an
 * application using an OpenFeature SDK sees exactly the variant the edge serves that unit.
 *
 * <p>Context attributes {@code pop}, {@code region} and {@code tenant} place the evaluation: with
 * {@code pop}, the version that PoP runs now (which may lag a change by its propagation delay);
 * without it, the latest version. Thread-safe: it reads immutable flag snapshots.
 */
public final class OfrepEvaluator {
    /** A response: status, JSON body (null for 304), and ETag (or null). */
    public record Response(int status, String body, String etag) {
    }

    /**
     * A field sent twice in a context ({@code targetingKey} twice) is refused, not resolved to the last one;
     * so is anything after the body's object (a second body glued on), not dropped.
     */
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();
    private static final String CONFIGURATION = """
            {"name":"EdgeDeck","capabilities":{"cacheInvalidation":{"polling":{"enabled":true,"minPollingIntervalMs":1000}},\
            "flagEvaluation":{"supportedTypes":["boolean","string"]}}}""";

    private final Supplier<FlagSnapshot> snapshots;
    private final Map<String, String> regionOfPop;
    private final Set<String> regions;
    private final Set<String> tenants;
    private final LiveObserver live;

    /** A variant served to a unit by one evaluation. */
    public record Served(String flag, long version, String variant) {
    }

    /**
     * What a live node does with evaluations: each one with a {@code targetingKey} is an exposure of
     * that unit; and a flag {@code trigger.<id>} is true for a unit while that trigger's action is
     * pending for it. Called on the evaluating (HTTP) thread; must not block.
     */
    public interface LiveObserver {
        /** The unit was served these variants at {@code pop} (null: the node's default PoP). */
        void served(String targetingKey, String pop, List<Served> served);

        /** The node's trigger ids. */
        List<String> triggers();

        /** True while trigger {@code trigger}'s action is pending for the unit. */
        boolean pending(String trigger, String targetingKey);

        /** The PoP an evaluation whose context names none is counted at. */
        String defaultPop();

        /**
         * Whether the node counts the unit as in {@code variant} of {@code flag} already (exposed to
         * it, by an evaluation or an ingested exposure): such a unit stays in a paused variant. May
         * wait briefly for the engine thread; null when the node cannot tell in time.
         */
        Boolean inVariant(String targetingKey, String flag, String variant);

        /**
         * Names the answers {@link #inVariant} gives now, for every unit at once: it changes whenever
         * one of them may have changed (a unit entered or left a paused variant, or was forgotten while
         * in one), and differs from every name an earlier run of the node gave. Which variants are
         * paused is the flag snapshot's. Any thread; never waits.
         */
        String placements();

        /**
         * Names the exposures the node could not make durable so far: it changes each time the ingest
         * log could not take one (once the unit's next evaluation would log it again), and differs from
         * every name an earlier run of the node gave. Any thread; never waits.
         */
        String unrecorded();
    }

    /** Metadata {@code override}: the variant the split chose is rolled back to control at this PoP. */
    public static final String ROLLED_BACK_AT_POP = "rolled-back-at-pop";
    /** Metadata {@code override}: the variant the split chose is paused, and the unit was not in it. */
    public static final String PAUSED = "paused";
    /**
     * The variant is paused and the node could not tell in time whether the unit is in it: served
     * control, and not counted, so a guess never moves a unit out of the variant it is in.
     */
    public static final String PAUSED_UNPLACED = "paused-unplaced";

    private static final String KEY_REQUIRED = "context.targetingKey is required: it is the unit flags bucket on";

    /** The prefix of the flags that answer whether a trigger's action is pending for a unit. */
    public static final String TRIGGER_PREFIX = "trigger.";

    /**
     * @param snapshots   the engine's newest flag snapshot
     * @param regionOfPop every PoP's region, to place an evaluation that names only its PoP; a context's
     *                    {@code pop} and {@code region} must be among them
     * @param tenants     the tenants a context's {@code tenant} may name, those a flag's scope may name
     */
    public OfrepEvaluator(Supplier<FlagSnapshot> snapshots, Map<String, String> regionOfPop, Collection<String> tenants) {
        this(snapshots, regionOfPop, tenants, null);
    }

    /** An evaluator on a live node: {@code live} learns every evaluation and answers {@code trigger.<id>}. */
    public OfrepEvaluator(Supplier<FlagSnapshot> snapshots, Map<String, String> regionOfPop, Collection<String> tenants,
                          LiveObserver live) {
        this.snapshots = snapshots;
        this.regionOfPop = Map.copyOf(regionOfPop);
        this.regions = new TreeSet<>(regionOfPop.values());
        this.tenants = new TreeSet<>(tenants);
        this.live = live;
    }

    private record Context(String targetingKey, String pop, String region, String tenant) {
    }

    /** Why a request cannot be evaluated: an OpenFeature error code and details. */
    private static final class Refusal extends Exception {
        final String code;

        Refusal(String code, String details) {
            super(details);
            this.code = code;
        }
    }

    public Response evaluate(String key, byte[] body) {
        FlagSnapshot snapshot = snapshots.get();
        FlagEvaluator latest = snapshot.latest().get(key);
        boolean trigger = latest == null && isTrigger(key);
        if (latest == null && !trigger) {
            return error(404, key, "FLAG_NOT_FOUND", "no flag " + PeerValues.quoted(key, '\'') + " on this node");
        }
        Context context;
        try {
            context = context(body);
        } catch (Refusal r) {
            return error(400, key, r.code, r.getMessage());
        }
        if (context.targetingKey() == null && (trigger || needsUnit(key, snapshot, context))) {
            return error(400, key, "TARGETING_KEY_MISSING", KEY_REQUIRED);
        }
        // The same object as the flag's entry in a bulk evaluation with this context.
        if (trigger) {
            return new Response(200, write(triggerResult(key, context)), null);
        }
        List<Served> served = new ArrayList<>(1);
        ObjectNode result = result(key, snapshot, context, served, new AskingTheNode(context.targetingKey()));
        observe(context, served);
        return new Response(200, write(result), null);
    }

    /**
     * Whether flag {@code key} (one of the snapshot's) needs the context's unit to be evaluated: every
     * flag does but one that is live and killed where the evaluation is made, whose answer is its
     * control for everyone (and counts no one).
     */
    private static boolean needsUnit(String key, FlagSnapshot snapshot, Context c) {
        FlagEvaluator ev = c.pop() == null ? snapshot.latest().get(key) : snapshot.atPop().getOrDefault(key, Map.of()).get(c.pop());
        return ev == null || !ev.live() || !ev.definition().killed();
    }

    /** A flag's entry in a bulk evaluation without a unit, when the flag needs one: OFREP's failure for that flag alone. */
    private static ObjectNode missingUnit(String key) {
        return JSON.createObjectNode().put("key", key).put("errorCode", "TARGETING_KEY_MISSING").put("errorDetails", KEY_REQUIRED);
    }

    private boolean isTrigger(String key) {
        return live != null && key.startsWith(TRIGGER_PREFIX) && live.triggers().contains(key.substring(TRIGGER_PREFIX.length()));
    }

    private ObjectNode triggerResult(String key, Context c) {
        boolean pending = live.pending(key.substring(TRIGGER_PREFIX.length()), c.targetingKey());
        // Not pending is the flag's default: no rule of the trigger matched the unit.
        ObjectNode node = JSON.createObjectNode().put("key", key).put("reason", pending ? "TARGETING_MATCH" : "DEFAULT")
                .put("variant", pending ? FlagDefinition.ON : FlagDefinition.OFF).put("value", pending);
        node.putObject("metadata").put("trigger", key.substring(TRIGGER_PREFIX.length()));
        return node;
    }

    private void observe(Context c, List<Served> served) {
        if (live != null && c.targetingKey() != null && !served.isEmpty()) {
            live.served(c.targetingKey(), c.pop(), served);
        }
    }

    /**
     * The bulk evaluation. Its ETag names what the answer is made of without asking the engine: the
     * flag snapshot, the context, the pending triggers, and, when the unit's bucket falls in a paused
     * variant, the node's {@linkplain LiveObserver#placements placements} as read before the snapshot.
     * So a poll whose ETag still matches is answered 304 without the engine's wait: were any answer
     * about a paused variant different, the placements would have changed since. An answer the node
     * could not place in time gets an ETag no poll matches, so it is made again on the next one. The
     * ETag names the exposures the node could not make durable too ({@link LiveObserver#unrecorded}):
     * a unit whose exposure the ingest log did not take is answered 200 on its next poll, and that
     * evaluation logs its exposure again, where a 304 would have left it uncounted for good.
     */
    public Response evaluateAll(byte[] body, String ifNoneMatch) {
        // Read first: a unit that enters or leaves a paused variant after this changes the next poll's ETag.
        String placements = live == null ? "" : live.placements();
        String unrecorded = live == null ? "" : "|unrecorded " + live.unrecorded();
        FlagSnapshot snapshot = snapshots.get();
        Context context;
        try {
            context = context(body);
        } catch (Refusal r) {
            ObjectNode failure = JSON.createObjectNode().put("errorCode", r.code).put("errorDetails", r.getMessage());
            return new Response(400, write(failure), null);
        }
        boolean unit = context.targetingKey() != null;
        // A trigger's action becoming pending changes the answer as much as a new flag version does.
        String pending = live == null || !unit ? "" : live.triggers().stream()
                .filter(t -> live.pending(t, context.targetingKey())).toList().toString();
        // First without the engine: a flag whose answer depends on whether the unit is in a paused
        // variant is noted, and answered only if the ETag did not match. Without a unit, a flag that
        // needs one is answered TARGETING_KEY_MISSING on its own, as OFREP has a bulk answer fail per flag.
        List<String> keys = List.copyOf(snapshot.latest().keySet());
        List<Served> served = new ArrayList<>();
        List<ObjectNode> results = new ArrayList<>(keys.size());
        List<Integer> asked = new ArrayList<>();
        for (String key : keys) {
            int at = results.size();
            results.add(!unit && needsUnit(key, snapshot, context) ? missingUnit(key) : result(key, snapshot, context, served,
                    (flag, variant) -> {
                        asked.add(at);
                        return null;
                    }));
        }
        String variants = results.stream().map(r -> r.get("key").asText() + "="
                + r.path("variant").asText(r.path("errorCode").asText())).toList().toString();
        String etag = etag(snapshot.stamp() + "|" + context + "|" + pending + "|" + variants + unrecorded
                + (asked.isEmpty() ? "" : "|placed " + placements));
        if (EntityTags.matches(ifNoneMatch, etag)) {
            return new Response(304, null, etag);
        }
        if (!asked.isEmpty()) {
            // One wait for the engine per evaluation: once it did not answer in time, later paused flags do not wait again.
            AskingTheNode node = new AskingTheNode(context.targetingKey());
            for (int at : asked) {
                results.set(at, result(keys.get(at), snapshot, context, served, node));
            }
            if (node.late) {
                etag = etag(snapshot.stamp() + "|" + context + "|" + pending + "|" + variants + unrecorded + "|not placed in time");
            }
        }
        ObjectNode out = JSON.createObjectNode();
        ArrayNode flags = out.putArray("flags");
        results.forEach(flags::add);
        if (live != null) {
            for (String trigger : live.triggers()) {
                if (!snapshot.latest().containsKey(TRIGGER_PREFIX + trigger)) {
                    flags.add(unit ? triggerResult(TRIGGER_PREFIX + trigger, context) : missingUnit(TRIGGER_PREFIX + trigger));
                }
            }
        }
        observe(context, served);
        return new Response(200, write(out), etag);
    }

    public Response configuration(String ifNoneMatch) {
        return configurationAnswer(ifNoneMatch);
    }

    /** The configuration endpoint's answer, the same on every node and at the fleet's aggregator. */
    public static Response configurationAnswer(String ifNoneMatch) {
        String etag = etag(CONFIGURATION);
        return EntityTags.matches(ifNoneMatch, etag) ? new Response(304, null, etag) : new Response(200, CONFIGURATION, etag);
    }

    /** Whether a unit is in a paused variant of a flag: true, false, or null when it is not known (in time). */
    private interface Placer {
        Boolean isIn(String flag, String variant);
    }

    /** Asks the node; once an answer came late, the rest of the evaluation is not known either, at once. */
    private final class AskingTheNode implements Placer {
        private final String targetingKey;
        boolean late;

        AskingTheNode(String targetingKey) {
            this.targetingKey = targetingKey;
        }

        @Override
        public Boolean isIn(String flag, String variant) {
            Boolean in = late ? null : live.inVariant(targetingKey, flag, variant);
            late = in == null;
            return in;
        }
    }

    /**
     * One flag's result; a variant served by a live split, a single variant or a kill is added to {@code served}.
     * {@code placer} says whether the unit is in a paused variant its bucket falls in (asked on a live node only).
     */
    private ObjectNode result(String key, FlagSnapshot snapshot, Context c, List<Served> served, Placer placer) {
        FlagEvaluator ev = c.pop() == null ? snapshot.latest().get(key)
                : snapshot.atPop().getOrDefault(key, Map.of()).get(c.pop());
        FlagDefinition d = (ev != null ? ev : snapshot.latest().get(key)).definition();
        String reason;
        int index;
        String override = null;
        if (ev == null || !ev.live()) {
            index = d.variantIndex(d.controlVariant());
            reason = "DEFAULT";
        } else if (d.killed()) {
            index = ev.controlIndex();
            reason = "DISABLED";
        } else if (!ev.inScope(c.pop(), c.region(), c.tenant())) {
            index = ev.controlIndex();
            reason = "DEFAULT";
        } else {
            index = ev.evaluate(c.targetingKey(), c.pop(), c.region(), c.tenant());
            override = override(key, d.variants().get(index).name(), index == ev.controlIndex(), snapshot, c, placer);
            if (override != null) {
                index = ev.controlIndex();
                reason = "TARGETING_MATCH";
            } else {
                long serving = d.variants().stream().filter(v -> v.weight() > 0).count();
                reason = serving > 1 ? "SPLIT" : "STATIC";
            }
        }
        String variant = d.variants().get(index).name();
        if (!reason.equals("DEFAULT") && !PAUSED_UNPLACED.equals(override)) {
            served.add(new Served(key, d.version(), variant));
        }
        ObjectNode node = JSON.createObjectNode().put("key", key).put("reason", reason).put("variant", variant);
        if (d.booleanValued()) {
            node.put("value", variant.equals(FlagDefinition.ON));
        } else {
            node.put("value", variant);
        }
        ObjectNode meta = node.putObject("metadata");
        meta.put("version", d.version());
        if (ev != null && c.targetingKey() != null) {
            meta.put("bucket", ev.bucket(c.targetingKey()));
        }
        if (c.pop() != null) {
            meta.put("pop", c.pop());
        }
        if (override != null) {
            meta.put("override", override);
        }
        return node;
    }

    /**
     * Why a unit the split puts in {@code variant} is served control instead, or null: the variant is
     * rolled back at the evaluation's PoP, or it
     * is paused and the unit is not in it already. As the engine assigns its own audience.
     */
    private String override(String flag, String variant, boolean control, FlagSnapshot snapshot, Context c,
                            Placer placer) {
        if (control) {
            return null;
        }
        if (c.pop() != null && snapshot.isRolledBackAt(flag, variant, c.pop())) {
            return ROLLED_BACK_AT_POP;
        }
        if (snapshot.isPaused(flag, variant)) {
            Boolean in = live == null || c.targetingKey() == null ? Boolean.FALSE : placer.isIn(flag, variant);
            if (in == null) {
                return PAUSED_UNPLACED;
            }
            if (!in) {
                return PAUSED;
            }
        }
        return null;
    }

    /** The request's context; a {@code targetingKey} that is empty is none (null). */
    private Context context(byte[] body) throws Refusal {
        JsonNode root;
        try {
            root = body == null || body.length == 0 ? JSON.createObjectNode() : JsonBodies.readOne(JSON, body);
        } catch (com.fasterxml.jackson.core.exc.StreamConstraintsException e) {
            throw new Refusal("PARSE_ERROR", "the request body is " + JsonBodies.overLimit(e));
        } catch (JsonBodies.TrailingContent e) {
            throw new Refusal("PARSE_ERROR", "the request body has " + e.getOriginalMessage() + " (line "
                    + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")");
        } catch (IOException e) {
            String twice = e instanceof JsonProcessingException j ? JsonBodies.duplicateField(j) : null;
            if (twice != null) {
                throw new Refusal("INVALID_CONTEXT", JsonBodies.duplicateProblem(twice));
            }
            if (e instanceof JsonProcessingException j) {
                String where = j.getLocation() == null ? ""
                        : " (line " + j.getLocation().getLineNr() + ", column " + j.getLocation().getColumnNr() + ")";
                throw new Refusal("PARSE_ERROR", "the request body is not JSON" + where + ": " + JsonBodies.withoutSource(j.getOriginalMessage()));
            }
            throw new Refusal("PARSE_ERROR", "the request body could not be read: " + e.getMessage());
        }
        if (root == null || !root.isObject()) {
            throw new Refusal("PARSE_ERROR", "the request body must be a JSON object");
        }
        JsonNode ctx = root.get("context");
        if (ctx == null || ctx.isNull()) {
            ctx = JSON.createObjectNode();
        }
        if (!ctx.isObject()) {
            throw new Refusal("INVALID_CONTEXT", "context must be an object");
        }
        refuseUnpaired(ctx, "context");
        String key = text(ctx, "targetingKey");
        if (key != null && key.isEmpty()) {
            key = null;
        }
        int longest = io.edgedeck.engine.ingest.IngestLimits.DEFAULT.maxIdChars();
        if (key != null && key.length() > longest) {
            // The node could not count the unit's exposure: refused, rather than served and never counted.
            throw new Refusal("INVALID_CONTEXT", "context.targetingKey is " + key.length() + " characters; at most " + longest);
        }
        String pop = text(ctx, "pop");
        // A misspelt region or tenant would be served every scoped flag's default with no error anywhere.
        String region = known(text(ctx, "region"), "region", regions);
        String tenant = known(text(ctx, "tenant"), "tenant", tenants);
        if (pop == null && live != null) {
            // A live node counts an evaluation that names no PoP at its default PoP: it is evaluated there
            // too, with the version, scope and PoP-local rollbacks in force there.
            pop = live.defaultPop();
        }
        if (pop != null) {
            String popRegion = regionOfPop.get(pop);
            if (popRegion == null) {
                throw new Refusal("INVALID_CONTEXT", "context.pop '" + pop + "' is not a PoP of this node; PoPs: "
                        + String.join(", ", new java.util.TreeSet<>(regionOfPop.keySet())));
            }
            region = region == null ? popRegion : region;
        }
        return new Context(key, pop, region, tenant);
    }

    /** {@code value} of context field {@code field} when it is null or one of {@code known}; else a refusal naming both. */
    private static String known(String value, String field, Set<String> known) throws Refusal {
        if (value != null && !known.contains(value)) {
            throw new Refusal("INVALID_CONTEXT", "context." + field + " '" + value + "' is not a " + field + " of this node; "
                    + field + "s: " + String.join(", ", known) + Suggestions.didYouMean(value, known));
        }
        return value;
    }

    /**
     * Half of a UTF-16 surrogate pair anywhere in the context, in a value or a name ({@link Surrogates}):
     * a unit so named could be neither bucketed nor counted as sent, as what it is has no UTF-8 form.
     */
    private static void refuseUnpaired(JsonNode node, String path) throws Refusal {
        if (node.isTextual() && Surrogates.problem(node.textValue()) != null) {
            throw new Refusal("INVALID_CONTEXT", path + " " + Surrogates.problem(node.textValue()));
        }
        int i = 0;
        for (Map.Entry<String, JsonNode> field : node.properties()) {
            if (Surrogates.problem(field.getKey()) != null) {
                throw new Refusal("INVALID_CONTEXT", "a field's name in " + path + " " + Surrogates.problem(field.getKey()));
            }
            refuseUnpaired(field.getValue(), path + "." + field.getKey());
        }
        for (JsonNode element : node.isArray() ? node : List.<JsonNode>of()) {
            refuseUnpaired(element, path + "[" + i++ + "]");
        }
    }

    private static String text(JsonNode ctx, String field) throws Refusal {
        JsonNode v = ctx.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw new Refusal("INVALID_CONTEXT", "context." + field + " must be a string");
        }
        return v.asText();
    }

    /**
     * A failed evaluation of flag {@code key}. The key is echoed as the protocol asks, cut at the longest
     * name the node takes ({@link JsonBodies#MAX_NAME_CHARS}): a longer one names no flag, and a caller's
     * megabyte of path is not sent back whole.
     */
    private static Response error(int status, String key, String code, String details) {
        String echoed = key.length() <= JsonBodies.MAX_NAME_CHARS ? key : key.substring(0, JsonBodies.MAX_NAME_CHARS) + "...";
        ObjectNode node = JSON.createObjectNode().put("key", echoed).put("errorCode", code).put("errorDetails", details);
        return new Response(status, write(node), null);
    }

    private static String write(JsonNode node) {
        try {
            return JSON.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an OFREP response could not be written", e);
        }
    }

    private static String etag(String content) {
        // 96 bits of the content's SHA-256 (24 hex digits)
        return "\"" + Secrets.sha256(content.getBytes(StandardCharsets.UTF_8)).substring(0, 24) + "\"";
    }
}
