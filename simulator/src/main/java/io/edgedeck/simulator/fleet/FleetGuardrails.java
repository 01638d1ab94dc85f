package io.edgedeck.simulator.fleet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgedeck.client.model.GuardrailAction;
import io.edgedeck.client.model.GuardrailFiring;
import io.edgedeck.client.model.GuardrailStatus;
import io.edgedeck.engine.experiments.Arm;
import io.edgedeck.engine.guardrails.CountedRule;
import io.edgedeck.engine.guardrails.GuardrailSpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The aggregator's guardrails: each rule a fleet can decide ({@link CountedRule#judgesOnCounts}: a rollback
 * everywhere on conversion lift and chat sentiment) judged once a second on the sum of every node's counts of
 * its two arms, by the same code a node judges its own evidence with (docs/FLEET.md, "Guardrails on the
 * fleet's evidence"). When one fires, the rollback is one flag record on the control topic, which every node
 * applies.
 *
 * <p>What it reads: the nodes' {@link PopSecond} aggregates (each arm's exposures, conversions and chat
 * sentiment per second of event time, {@link #add}), and the control topic as a {@link ControlTarget}: each
 * flag's state (a new record restarts the evidence of the rules on that flag, {@value CountedRule#SETTLE_SECONDS}
 * s after it was written, as a node's restarts once its sessions picked the new version up), each rule's
 * arming, PoP-local rollbacks, and its own rollbacks (the journal of its firings: read back after a restart,
 * each keeps its rule's cooldown and is listed among the firings). A second of event time is judged {@value #SETTLE_MILLIS} ms after it ended,
 * so that every node's aggregate of it has come in; one that comes later still is added to the next second
 * judged, so nothing is dropped or counted twice. Nothing is judged before the aggregator has once read every
 * topic to its end, so a replay rebuilds the evidence a running aggregator had.
 *
 * <p>Threads: the control applier's thread calls {@link #apply}, the aggregator's consumer {@link #add}, the
 * deciding loop {@link #evaluate}; every method is synchronized and short but {@link #evaluate}.
 */
public final class FleetGuardrails implements ControlTarget {

    private static final Logger LOG = LoggerFactory.getLogger(FleetGuardrails.class);
    /** How long after a second of event time ends before it is judged: nodes hand a second out once a second after it ends. */
    public static final long SETTLE_MILLIS = 3_000;
    /** Who writes the fleet's rollbacks (the control records' issuer, and the nodes' audit {@code fleet:aggregator}). */
    public static final String ISSUER = "aggregator";
    /** How the ids of the rollbacks this writes begin. */
    private static final String RECORD_PREFIX = "fleet-guardrail/";

    /**
     * A flag as the node configuration declares it: its control variant and its state as the control topic
     * writes it ({@code {"variants": [{"name", "weight"}...], "scope", "killed"}}, weights in basis points).
     */
    public record Flag(String key, String control, JsonNode state) {
        public Flag {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(control, "control");
            Objects.requireNonNull(state, "state");
        }
    }

    /** A rollback decided here, to be written to the control topic (again, with the same id, until it is). */
    public record Rollback(String rule, ControlRecord record) {
    }

    private static final class Watched {
        final CountedRule rule;
        boolean armed;

        Watched(CountedRule rule) {
            this.rule = rule;
            this.armed = rule.spec().armed();
        }
    }

    private static final class Counts {
        long exposures;
        long conversions;
        long messages;
        double sentimentSum;
        double sentimentSumSq;

        void add(PopSecond.ArmCounts a) {
            exposures += a.exposures();
            conversions += a.conversions();
            messages += a.messages();
            sentimentSum += a.sentimentSum();
            sentimentSumSq += a.sentimentSumSq();
        }

        Arm.WindowStats stats() {
            return new Arm.WindowStats(exposures, conversions, messages, sentimentSum, sentimentSumSq, 0, 0);
        }
    }

    private static final java.time.format.DateTimeFormatter CLOCK = java.time.format.DateTimeFormatter.ofPattern("HH:mm:ss")
            .withZone(java.time.ZoneOffset.UTC);
    private static final Arm.WindowStats NOTHING = new Arm.WindowStats(0, 0, 0, 0, 0, 0, 0);

    private final List<Watched> rules = new ArrayList<>();
    private final Map<String, Flag> flags = new HashMap<>();
    private final Map<String, Long> versions = new HashMap<>();
    /** Seconds of event time not judged yet: per second, per {@code flag/variant} watched. */
    private final NavigableMap<Long, Map<String, Counts>> pending = new TreeMap<>();
    private final TreeSet<String> pops = new TreeSet<>();
    private final List<GuardrailFiring> firings = new ArrayList<>();
    private final Map<String, Rollback> unwritten = new LinkedHashMap<>();
    /** The ids of the rollbacks this aggregator decided or read back from the control topic: each firing once. */
    private final java.util.Set<String> rollbackIds = new java.util.HashSet<>();
    private long judgedThrough = Long.MIN_VALUE;
    /**
     * Whether the aggregator has once read every topic to its end. Until then nothing is judged: a replay reads
     * the partitions out of step, and a PoP's history read after another's had reached now would be taken for
     * late aggregates and counted in one second after the evidence's start.
     */
    private boolean readUp;

    /**
     * @param specs the rules this aggregator decides, each of which must judge on counts
     * @param flags the flags of the node configuration, by key
     * @throws IllegalArgumentException naming the rule and condition when a rule cannot be judged on counts, or
     *                                  naming a rule's unknown flag
     */
    public FleetGuardrails(List<GuardrailSpec> specs, Map<String, Flag> flags) {
        this.flags.putAll(flags);
        for (GuardrailSpec s : specs) {
            if (!flags.containsKey(s.flag())) {
                throw new IllegalArgumentException("guardrail " + s.id() + ": unknown flag '" + s.flag() + "'");
            }
            rules.add(new Watched(new CountedRule(s)));
        }
    }

    /** Adds a node's aggregate: the counts of every arm a rule watches. Aggregator's consumer thread. */
    public synchronized void add(PopSecond s) {
        pops.add(s.pop());
        for (PopSecond.ArmCounts a : s.arms()) {
            String arm = a.flag() + "/" + a.variant();
            if (!watched(a.flag(), a.variant())) {
                continue;
            }
            // A second already judged: its late counts go to the next one judged, never dropped.
            long second = judgedThrough != Long.MIN_VALUE && s.second() <= judgedThrough ? judgedThrough + 1 : s.second();
            pending.computeIfAbsent(second, k -> new HashMap<>()).computeIfAbsent(arm, k -> new Counts()).add(a);
        }
    }

    private boolean watched(String flag, String variant) {
        for (Watched w : rules) {
            GuardrailSpec s = w.rule.spec();
            if (s.flag().equals(flag) && (s.variant().equals(variant) || flags.get(flag).control().equals(variant))) {
                return true;
            }
        }
        return false;
    }

    @Override
    public synchronized long version(String key) {
        return versions.getOrDefault(key, 0L);
    }

    /**
     * A control record: flags' states (their rules' evidence starts again once the change has settled),
     * rules' arming, PoP-local rollbacks (a change of who can be in the variant: the same). Other kinds are a
     * node's business (the aggregator refuses nothing: it only reads).
     */
    @Override
    public synchronized void apply(ControlRecord record, long offset) {
        long settled = record.issuedAtMillis() + CountedRule.SETTLE_SECONDS * 1000L;
        for (ControlRecord.Change c : record.changes()) {
            versions.put(c.key(), c.version());
            String name = c.key().substring(c.key().indexOf('/') + 1);
            switch (c.kind()) {
                case "flag" -> {
                    Flag known = flags.get(name);
                    if (known != null) {
                        flags.put(name, new Flag(name, known.control(), c.state()));
                        restart(name, null, settled);
                    }
                }
                case "guardrail" -> rules.stream().filter(w -> w.rule.spec().id().equals(name))
                        .forEach(w -> w.armed = c.state().path("armed").asBoolean(w.armed));
                case "rollback-at", "pause" -> {
                    String[] flagAndVariant = name.split("/", 2);
                    if (flagAndVariant.length == 2) {
                        restart(flagAndVariant[0], flagAndVariant[1], settled);
                    }
                }
                default -> {
                    // Playbooks and other kinds change nothing a fleet's rule reads.
                }
            }
        }
        String rule = ruleRolledBack(record.id(), record.issuer());
        if (rule != null && rollbackIds.add(record.id())) {
            readBack(rule, record);
        }
    }

    /**
     * A rollback this aggregator wrote before it (re)started, read back from the control topic, which is the
     * journal of its firings: the rule's cooldown runs from it, and the firing is listed again, its reason and the
     * figures that tripped it as written.
     */
    private void readBack(String rule, ControlRecord record) {
        String prefix = "guardrail " + rule + " ";
        String why = record.reason() != null && record.reason().startsWith(prefix) ? record.reason().substring(prefix.length())
                : record.reason();
        for (Watched w : rules) {
            GuardrailSpec s = w.rule.spec();
            if (s.id().equals(rule)) {
                w.rule.firedAt(record.issuedAtMillis());
                firings.add(new GuardrailFiring(record.issuedAtMillis(), s.id(), s.flag(), s.variant(), GuardrailAction.ROLLBACK,
                        List.copyOf(pops), why, true, record.operator(), record.values()));
            }
        }
    }

    private void restart(String flag, String variant, long atMillis) {
        for (Watched w : rules) {
            GuardrailSpec s = w.rule.spec();
            if (s.flag().equals(flag) && (variant == null || s.variant().equals(variant))) {
                w.rule.startAt(atMillis);
            }
        }
    }

    /**
     * Adds every second of event time that ended {@value #SETTLE_MILLIS} ms before {@code nowMillis} (each once,
     * in order, seconds without data as empty ones), then judges every rule at the end of the last. Nothing is
     * judged before the first call with {@code mayAct}: each second of a replay is judged once every partition's
     * aggregates of it are in. A rule that fires while {@code mayAct} (the aggregator has read the fleet's topics
     * to their end: it never acts on a partial replay) and whose variant is still served anywhere gives a rollback
     * to write; the rollbacks not yet written are returned with it, to be written again.
     */
    public synchronized List<Rollback> evaluate(long nowMillis, boolean mayAct) {
        readUp |= mayAct;
        if (!readUp) {
            return List.copyOf(unwritten.values());
        }
        long last = Math.floorDiv(nowMillis - SETTLE_MILLIS, 1000L) - 1;
        long from = judgedThrough != Long.MIN_VALUE ? judgedThrough + 1 : pending.isEmpty() ? Long.MAX_VALUE : pending.firstKey();
        if (from > last) {
            return List.copyOf(unwritten.values());
        }
        for (long second = from; second <= last; second++) {
            Map<String, Counts> counts = pending.remove(second);
            for (Watched w : rules) {
                GuardrailSpec s = w.rule.spec();
                if (!w.rule.started()) {
                    // The evidence of the configuration's own version starts with the fleet's first second.
                    w.rule.startAt(second * 1000L);
                }
                w.rule.addSecond((second + 1) * 1000L, stats(counts, s.flag() + "/" + s.variant()),
                        stats(counts, s.flag() + "/" + flags.get(s.flag()).control()));
            }
        }
        judgedThrough = last;
        long at = (last + 1) * 1000L;
        for (Watched w : rules) {
            GuardrailSpec s = w.rule.spec();
            JsonNode state = flags.get(s.flag()).state();
            boolean serving = weight(state, s.variant()) > 0;
            CountedRule.Outcome o = w.rule.evaluate(at, w.armed, mayAct && serving);
            if (o.fired()) {
                fired(s, at, o, state);
            }
        }
        return List.copyOf(unwritten.values());
    }

    private static Arm.WindowStats stats(Map<String, Counts> counts, String arm) {
        Counts c = counts == null ? null : counts.get(arm);
        return c == null ? NOTHING : c.stats();
    }

    /**
     * The rule whose rollback a control record is, when the fleet's aggregator wrote it for one of its rules
     * ({@code fleet-guardrail/RULE/flag/NAME@VERSION}); null for every other record.
     */
    public static String ruleRolledBack(String recordId, String issuer) {
        if (!ISSUER.equals(issuer) || recordId == null || !recordId.startsWith(RECORD_PREFIX)) {
            return null;
        }
        int end = recordId.indexOf('/', RECORD_PREFIX.length());
        return end < 0 ? null : recordId.substring(RECORD_PREFIX.length(), end);
    }

    private void fired(GuardrailSpec s, long at, CountedRule.Outcome o, JsonNode state) {
        String actor = "guardrail:" + s.id() + "@fleet";
        Long since = o.status().periodSinceMillis();
        String why = "on every node's evidence" + (since == null ? "" : " since " + CLOCK.format(java.time.Instant.ofEpochMilli(since))
                + " UTC") + ": " + o.reason();
        firings.add(new GuardrailFiring(at, s.id(), s.flag(), s.variant(), GuardrailAction.ROLLBACK, List.copyOf(pops),
                why, true, actor, o.values()));
        String key = "flag/" + s.flag();
        long version = versions.getOrDefault(key, 0L) + 1;
        // The same decision on the same version has the same id: written again after a lost answer, it is written once.
        ControlRecord record = new ControlRecord(1, RECORD_PREFIX + s.id() + "/" + key + "@" + version, at, ISSUER, actor,
                "guardrail " + s.id() + " " + why,
                List.of(new ControlRecord.Change(key, version, rolledBack(state, s.variant(), flags.get(s.flag()).control()))),
                null, o.values());
        unwritten.put(s.id(), new Rollback(s.id(), record));
        rollbackIds.add(record.id());
        LOG.warn("fleet guardrail {} fired on the fleet's evidence: rolling {}/{} back on every node ({})", s.id(), s.flag(),
                s.variant(), why);
    }

    /** The rollback was written (or is moot: the flag moved on since): it is not written again. */
    public synchronized void settled(Rollback rollback) {
        unwritten.remove(rollback.rule(), rollback);
    }

    /** A flag's state with {@code variant}'s weight moved to control. */
    static JsonNode rolledBack(JsonNode state, String variant, String control) {
        ObjectNode out = state.deepCopy();
        ArrayNode variants = (ArrayNode) out.get("variants");
        int moved = weight(state, variant);
        for (JsonNode v : variants) {
            String name = v.path("name").asText();
            if (name.equals(variant)) {
                ((ObjectNode) v).put("weight", 0);
            } else if (name.equals(control)) {
                ((ObjectNode) v).put("weight", v.path("weight").asInt() + moved);
            }
        }
        return out;
    }

    private static int weight(JsonNode state, String variant) {
        for (JsonNode v : state.path("variants")) {
            if (v.path("name").asText().equals(variant)) {
                return v.path("weight").asInt();
            }
        }
        return 0;
    }

    /** Every rule's status as of its last judgement (times are epoch ms of event time). */
    public synchronized List<GuardrailStatus> statuses() {
        return rules.stream().map(w -> w.rule.status()).toList();
    }

    /** Every firing of the fleet's rules, those before the aggregator started read back from the control topic (epoch ms). */
    public synchronized List<GuardrailFiring> firings() {
        return List.copyOf(firings);
    }

    /** The rules' ids, for logs and the aggregator's start. */
    public synchronized List<String> ruleIds() {
        return rules.stream().map(w -> w.rule.spec().id()).toList();
    }
}
