package io.edgedeck.simulator.server.control;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgedeck.client.model.ChangeRequest;
import io.edgedeck.engine.flags.FlagCommand;
import io.edgedeck.engine.flags.FlagDefinition;
import io.edgedeck.engine.flags.FlagNotFoundException;
import io.edgedeck.engine.flags.FlagRegistry;
import io.edgedeck.engine.flags.FlagUpdate;
import io.edgedeck.engine.flags.Scope;
import io.edgedeck.engine.flags.Variant;
import io.edgedeck.engine.journal.JournalCondition;
import io.edgedeck.engine.journal.JournalRecord;
import io.edgedeck.engine.journal.KeyedRequest;
import io.edgedeck.engine.journal.JournalUnavailableException;
import io.edgedeck.simulator.fleet.ControlApplier;
import io.edgedeck.simulator.fleet.ControlRecord;
import io.edgedeck.simulator.fleet.ControlTarget;
import io.edgedeck.simulator.fleet.ControlWriter;
import io.edgedeck.simulator.fleet.FleetOptions;
import io.edgedeck.simulator.server.http.ApiException;
import io.edgedeck.simulator.show.Show;
import io.edgedeck.simulator.show.ShowChanges;
import io.edgedeck.simulator.show.ShowRunner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * A fleet node's flags and guardrail arming as the fleet's control topic holds them (docs/FLEET.md,
 * "The control topic"). An operator's change on this node is checked against the node's own state,
 * written to the topic as the key's whole new state ({@link ControlWriter}: only while the key is at
 * the control version this node applied), and answered once the write committed and this node's own
 * {@link ControlApplier} applied it. Every node, this one included, applies the topic's records in
 * order to its core: one {@link JournalRecord.ControlApplied} write each, with the control versions
 * it reaches, so a restarted node knows what it has and skips it when it reads the topic again.
 *
 * <p>Flag states (weights, scope, kill), guardrail arming and variants rolled back at PoPs (written by
 * a playbook's run): a record that sets any other kind of key is refused whole, on every node alike. A
 * run of several actions is one record changing every key it touches, applied in one journal write.
 *
 * <p>Threads: {@link #version} and {@link #apply} on the applier's thread (apply hands the change to
 * the engine thread and waits for it); {@link #change} on a request's thread; {@link #changeSoon},
 * {@link #changeSoonOrHere} and {@link #rollbackInFleet} from the engine thread, their writes made on
 * the node's one {@code fleet-writes-NODE} thread, which never blocks the engine.
 */
public final class FleetControl implements ControlTarget, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(FleetControl.class);
    static final String FLAG = "flag/";
    static final String GUARDRAIL = "guardrail/";
    static final String ROLLBACK_AT = "rollback-at/";
    static final String PAUSE = "pause/";
    public static final String CUE = "cue/";
    /** The audit action of a change this node applied from the fleet (made on another node). */
    public static final String FLEET_APPLY = "fleet.apply";
    /** The audit actor of such a change: {@code fleet:} and the node that took the request. */
    public static final String FLEET_ACTOR = "fleet:";

    private final String node;
    private final ShowRunner runner;
    private final Duration timeout;
    /** How long a change a cue fired here is tried through the fleet ({@link FleetOptions#cueWindow}). */
    private Duration cueWindow = FleetOptions.CUE_WINDOW;
    private final Map<String, Long> versions = new ConcurrentHashMap<>();
    /**
     * Per {@code rollback-at/FLAG/VARIANT} key, the fleet's list of PoPs as the newest record of it this node
     * read has it (applied, or skipped as already applied when read again on start).
     */
    private final Map<String, FleetPops> fleetPops = new ConcurrentHashMap<>();
    /** What this node asked for, by control record id, while it waits to be applied. */
    private final Map<String, Asked> asked = new ConcurrentHashMap<>();
    /** Writes proposed on the engine thread (a schedule firing, a guardrail's rollback), one at a time. */
    private final java.util.concurrent.ExecutorService later;
    private ControlWriter writer;
    private ControlApplier applier;
    private volatile boolean closed;
    /** Told of every record this node applied, on the engine thread, once it is journaled. */
    private volatile java.util.function.BiConsumer<Show, JournalRecord.ControlApplied> onApplied = (s, a) -> { };
    /** Where a retry learns of a keyed change applied with nobody waiting; null until {@link #keysIn}. */
    private volatile Idempotency idempotency;
    /** Where a record applying a change request has it marked applied; null until {@link #requestsIn}. */
    private volatile Requests requests;

    /**
     * @param journal the node's journal as read on start: the control versions it applied come back from it
     * @param timeout how long a change may wait for Kafka, and then for this node to apply it
     */
    private FleetControl(String node, ShowRunner runner, List<JournalRecord> journal, Duration timeout) {
        this.node = Objects.requireNonNull(node, "node");
        this.runner = Objects.requireNonNull(runner, "runner");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.later = java.util.concurrent.Executors.newSingleThreadExecutor(Thread.ofPlatform().name("fleet-writes-" + node)
                .daemon(true).factory());
        for (JournalRecord r : journal) {
            if (r instanceof JournalRecord.ControlApplied c) {
                c.versions().forEach((k, v) -> versions.merge(k, v, Math::max));
            }
        }
    }

    /**
     * Opens the node's writer and applier; the applier reads the control topic from the beginning
     * once {@link #startApplying} (after the engine started). Kafka need not be reachable: until it
     * is, the node serves the flags it has and refuses changes.
     */
    public static FleetControl open(FleetOptions fleet, ShowRunner runner, List<JournalRecord> journal, Duration timeout)
            throws IOException {
        FleetControl control = new FleetControl(fleet.nodeId(), runner, journal, timeout);
        control.cueWindow = fleet.cueWindow();
        Map<String, Object> base = fleet.kafkaBase();
        control.writer = new ControlWriter(fleet.topics(), base, fleet.nodeId(), ControlWriter.DEFAULT_TRANSACTIONAL_ID, timeout,
                fleet.controlProducers());
        try {
            control.applier = new ControlApplier(fleet.topics(), base, fleet.nodeId(), control, fleet.controlCheck());
        } catch (RuntimeException e) {
            control.writer.close();
            throw e;
        }
        return control;
    }

    /** How long a change a cue fired on this node is tried through the fleet, from when the node fired the cue. */
    public Duration cueWindow() {
        return cueWindow;
    }

    /** This node's name in the fleet: the issuer of the records it writes. */
    public String node() {
        return node;
    }

    /** Starts reading the control topic. Call once the engine runs. */
    public void startApplying() {
        applier.start();
    }

    /** The applier's offset, lag and counts, for the node's frame and /metrics. */
    public ControlApplier.Status status() {
        return applier.status();
    }

    @Override
    public long version(String key) {
        return versions.getOrDefault(key, 0L);
    }

    /**
     * Per show cue fired from the control topic ({@code cue/NAME}), the version of its record this node fired last,
     * journaled with its firing: named in the node's frame, it tells the aggregator which nodes fired a cue.
     */
    public Map<String, Long> cuesFired() {
        Map<String, Long> fired = new TreeMap<>();
        versions.forEach((key, version) -> {
            if (key.startsWith(CUE)) {
                fired.put(key.substring(CUE.length()), version);
            }
        });
        return fired;
    }

    /** A record this node has applied already, read again (on start): the fleet's list of PoPs it holds is learnt. */
    @Override
    public void skipped(ControlRecord.Change change) {
        if (change.kind().equals("rollback-at")) {
            learn(change);
        }
    }

    /**
     * The fleet's PoPs where a variant is rolled back, at one control version of its {@code rollback-at} key,
     * and the version at which each PoP came into the list (as far as the records still on the topic tell).
     */
    private record FleetPops(long version, java.util.SortedSet<String> pops, Map<String, Long> since) {
    }

    /**
     * Takes in a {@code rollback-at} record's list. A record with {@code cleared} (written by a node that
     * writes the fleet's whole list) is the whole list; one without (from a node that wrote only the PoPs it
     * had) adds its PoPs to what the list held.
     */
    private void learn(ControlRecord.Change c) {
        fleetPops.compute(c.key(), (k, prev) -> {
            if (prev != null && prev.version() >= c.version()) {
                return prev;
            }
            java.util.SortedSet<String> pops = new java.util.TreeSet<>(texts(c, "pops"));
            if (!c.state().has("cleared") && prev != null) {
                pops.addAll(prev.pops());
            }
            Map<String, Long> since = new TreeMap<>();
            for (String pop : pops) {
                since.put(pop, prev != null && prev.pops().contains(pop) ? prev.since().get(pop) : c.version());
            }
            return new FleetPops(c.version(), java.util.Collections.unmodifiableSortedSet(pops), Map.copyOf(since));
        });
    }

    /** The fleet's list of {@code key} at the version this node applied, or null when this node has not read it (yet). */
    private FleetPops fleetPopsNow(String key) {
        long version = version(key);
        FleetPops known = fleetPops.get(key);
        if (version == 0) {
            return new FleetPops(0, java.util.Collections.emptySortedSet(), Map.of());
        }
        return known != null && known.version() == version ? known : null;
    }

    /** The fleet's list of PoPs where {@code flagAndVariant} is rolled back, at the version this node applied; empty while not read. */
    public java.util.Set<String> fleetRolledBackAt(String flagAndVariant) {
        FleetPops fleet = fleetPopsNow(ROLLBACK_AT + flagAndVariant);
        return fleet == null ? java.util.Set.of() : fleet.pops();
    }

    /**
     * Where a variant is rolled back, as a clear on this node sees it: the fleet's list (the PoPs other nodes
     * serve too) and the PoPs where this node has it rolled back on its own. Engine thread.
     */
    public java.util.SortedSet<String> rolledBackAt(Show s, String flagAndVariant) {
        java.util.SortedSet<String> at = new java.util.TreeSet<>(s.core().experiments().rolledBackAt()
                .getOrDefault(flagAndVariant, java.util.Set.of()));
        at.addAll(fleetRolledBackAt(flagAndVariant));
        return at;
    }

    /**
     * The PoP-local rollbacks a clear on this node lifts, for the approval lanes: the fleet's list and this
     * node's own; a rollback numbered by the control version of its key, so a request knows one made since.
     */
    public io.edgedeck.simulator.server.approvals.ApprovalLanes.PopRollbacks popRollbacks() {
        return new io.edgedeck.simulator.server.approvals.ApprovalLanes.PopRollbacks() {
            @Override
            public java.util.Set<String> at(Show s, String target) {
                return rolledBackAt(s, target);
            }

            @Override
            public long newest(Show s, String target) {
                return version(ROLLBACK_AT + target);
            }

            @Override
            public Long ownNewest(Show s, String target) {
                return s.core().experiments().rollbacks(target);
            }

            @Override
            public List<String> since(Show s, String target, long number, Long own, long openedAtMillis) {
                // The fleet's list numbers its rollbacks by control version; one this node made on its own (the fleet
                // did not take it) is in no record, so it is told by the engine's numbering of its rollbacks, which the
                // request recorded; a request journaled before requests did can only tell it by when it was made.
                FleetPops fleet = fleetPopsNow(ROLLBACK_AT + target);
                java.util.SortedSet<String> again = new java.util.TreeSet<>();
                if (fleet != null) {
                    fleet.pops().stream().filter(p -> fleet.since().get(p) > number).forEach(again::add);
                }
                java.util.Set<String> listed = fleet == null ? java.util.Set.of() : fleet.pops();
                (own != null ? s.core().experiments().rolledBackSince(target, own)
                        : s.core().experiments().rolledBackSinceMillis(target, openedAtMillis)).stream()
                        .filter(p -> !listed.contains(p)).forEach(again::add);
                return List.copyOf(again);
            }

            @Override
            public void check(Show s, String flag, String variant, List<String> pops) {
                java.util.Set<String> known = rolledBackAt(s, flag + "/" + variant);
                s.core().experiments().checkRollbackAt(flag, variant, pops.stream().filter(p -> !known.contains(p)).toList());
            }
        };
    }

    // ------------------------------------------------------------------ applying the topic

    /**
     * Hands the record to the engine and waits until it is applied. A journal that cannot be written
     * (a full disk) is not the record's fault: the applier waits here, behind, and tries again each
     * second, rather than skip a record every other node applies.
     */
    @Override
    public void apply(ControlRecord record, long offset) throws Exception {
        boolean warned = false;
        CompletableFuture<Void> applied = submit(record, offset);
        while (true) {
            try {
                applied.get(500, TimeUnit.MILLISECONDS);
                return;
            } catch (TimeoutException e) {
                if (closed) {
                    throw new IllegalStateException("the node is stopping", e);
                }
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof JournalUnavailableException unwritable) || closed) {
                    throw e.getCause() instanceof Exception cause ? cause : e;
                }
                if (!warned) {
                    LOG.warn("fleet node {}: control record {} waits until the journal can be written: {}", node, record.id(),
                            unwritable.getMessage());
                    warned = true;
                }
                Thread.sleep(1_000);
                applied = submit(record, offset);
            }
        }
    }

    private CompletableFuture<Void> submit(ControlRecord record, long offset) {
        return runner.submit(s -> {
            applyOnEngine(s, record, offset);
            return null;
        });
    }

    /**
     * One {@link JournalRecord.ControlApplied} write brings each flag and guardrail to its state in
     * the record. Engine thread.
     */
    private void applyOnEngine(Show s, ControlRecord record, long offset) {
        long now = ShowChanges.now(s);
        boolean here = node.equals(record.issuer());
        ControlRecord.Run run = record.run();
        String actor = here ? record.operator() : FLEET_ACTOR + record.issuer();
        String reason = here ? record.reason() : "by " + record.operator()
                + (run == null ? "" : " (" + run.action() + " " + run.target() + ")") + ": " + record.reason();
        Asked mine = asked.get(record.id());
        // The request that asked for it, which its Idempotency-Key is journaled with: the one waiting here, or, with
        // nobody waiting (this node stopped after the topic took it), the one the record names.
        KeyedRequest keyed = mine != null ? mine.request() : here ? keyedOf(record) : null;
        Map<String, JournalRecord.Step> wantedHere = here && mine != null ? mine.steps() : Map.of();
        List<JournalRecord.Step> steps = new ArrayList<>();
        Map<String, Long> reached = new TreeMap<>();
        List<String> targets = new ArrayList<>();
        List<String> before = new ArrayList<>();
        List<String> after = new ArrayList<>();
        List<String> cuesFired = new ArrayList<>();
        for (ControlRecord.Change c : record.changes()) {
            String name = c.key().substring(c.key().indexOf('/') + 1);
            reached.put(c.key(), c.version());
            switch (c.kind()) {
                case "flag" -> {
                    FlagDefinition current = s.core().experiments().registry().get(name).orElseThrow(() ->
                            new FlagNotFoundException("key", "control key " + c.key() + ": unknown flag '" + name + "'"));
                    FlagState want = FlagState.of(c.key(), c.state());
                    JournalRecord.Step wanted = wantedHere.get(c.key());
                    List<FlagCommand> made = commands(s, current, want, wanted == null ? null : wanted.flag(), actor, reason, now);
                    made.forEach(m -> steps.add(new JournalRecord.Step(m, null, null)));
                    if (!made.isEmpty()) {
                        targets.add(name);
                        before.add(current.summary());
                        after.add(new FlagDefinition(name, current.description(), current.owner(), want.variants(),
                                current.controlVariant(), want.scope(), current.salt(), current.version() + made.size(),
                                want.killed(), current.experimentSeed()).summary());
                    }
                }
                case "guardrail" -> {
                    boolean armed = armedState(c);
                    if (s.core().guardrails().armed(name) != armed) {
                        steps.add(new JournalRecord.Step(null, new JournalRecord.ArmStep(name, armed), null));
                        targets.add(name);
                        before.add(armed ? "disarmed" : "armed");
                        after.add(armed ? "armed" : "disarmed");
                    }
                }
                case "rollback-at" -> {
                    String[] flagAndVariant = c.key().substring(ROLLBACK_AT.length()).split("/", 2);
                    if (flagAndVariant.length != 2) {
                        throw new IllegalArgumentException(c.key() + ": the key is rollback-at/FLAG/VARIANT");
                    }
                    java.util.Set<String> had = s.core().experiments().rolledBackAt().getOrDefault(name, java.util.Set.of());
                    JournalRecord.RollbackAtStep at = rollbackAt(s, c, flagAndVariant, had);
                    JournalRecord.RollbackAtStep lifted = clearedAt(s, c, flagAndVariant, had, fleetPopsNow(c.key()));
                    if (at != null) {
                        steps.add(new JournalRecord.Step(null, null, at));
                    }
                    if (lifted != null) {
                        steps.add(JournalRecord.Step.clearing(lifted));
                    }
                    if (at != null || lifted != null) {
                        java.util.SortedSet<String> left = new java.util.TreeSet<>(had);
                        if (at != null) {
                            left.addAll(at.pops());
                        }
                        if (lifted != null) {
                            left.removeAll(lifted.pops());
                        }
                        targets.add(name);
                        before.add(had.isEmpty() ? "serving" : "control at " + String.join(",", new java.util.TreeSet<>(had)));
                        after.add(left.isEmpty() ? "serving" : "control at " + String.join(",", left));
                    }
                }
                case "pause" -> {
                    JournalRecord.PauseStep pause = pause(s, c);
                    if (pause != null) {
                        steps.add(JournalRecord.Step.pausing(pause));
                        targets.add(name);
                        before.add(pause.paused() ? "serving" : "paused");
                        after.add(pause.paused() ? "paused" : "serving");
                    }
                }
                // A show cue fired for the whole fleet (through the aggregator): fired here as if fired on this node.
                case "cue" -> cuesFired.add(name);
                default -> throw new IllegalArgumentException("control key " + c.key() + ": this node applies flag states"
                        + " (flag/NAME), guardrail arming (guardrail/RULE), PoP-local rollbacks (rollback-at/FLAG/VARIANT),"
                        + " paused variants (pause/FLAG/VARIANT) and show cues (cue/NAME) only");
            }
        }
        boolean asRun = here && run != null;
        // A rollback by hand taken here is recorded as a firing, as on a node in no fleet, journaled just before the
        // record in the same write: the rules watching the variant start their cooldown, and a restart finds it.
        JournalRecord.GuardrailFired fired = here ? manualFiring(s, record, wantedHere, steps, s.core().journal().nextSeq(), now) : null;
        JournalRecord.ControlApplied applied = new JournalRecord.ControlApplied(s.core().journal().nextSeq() + (fired == null ? 0 : 1), now, record.id(),
                offset, record.issuer(), reached, actor, asRun ? run.action() : here ? audited(record, steps) : FLEET_APPLY,
                asRun ? run.target() : String.join(",", targets), asRun ? run.before() : String.join("; ", before),
                asRun ? run.after() : String.join("; ", after), reason, steps);
        // What this node asked to keep with the record (a scheduled change marked fired) goes in the same write,
        // whichever node's copy of the record this is.
        List<JournalRecord> alongside = mine == null ? List.of() : mine.alongside(s, applied.seq() + 1);
        // This node's scheduled change the record fires, with no try of it waiting here (this node stopped after the topic
        // took it, or another node's copy of the same change fired by the same cue record landed first): marked fired in
        // the same write, as the try would have had it.
        Cues schedule = cues;
        List<JournalRecord> scheduled = mine == null && schedule != null
                && (here ? record.scheduled() != null : record.cueFiring() != null)
                ? schedule.firedBy(s, record, applied.seq() + 1 + alongside.size()) : List.of();
        // The change request of this node's the record applies is marked applied in the same write too, whether the
        // request still waits for it or this node stopped first: never a change made with its request still open.
        Requests marks = requests;
        List<JournalRecord> marking = here && record.request() != null && marks != null
                ? marks.marking(s, record.request(), applied.seq() + 1 + alongside.size() + scheduled.size()) : List.of();
        List<JournalRecord> with = new ArrayList<>(alongside);
        with.addAll(scheduled);
        with.addAll(marking);
        // A clear taken here of PoPs only other nodes serve changes nothing here, yet it is this operator's: audited
        // here in the same write, as the PoPs the fleet's list held and holds.
        // So is a run taken here whose every change is at PoPs only other nodes serve (a rollback at fleetPops).
        JournalRecord.Audited own = here && steps.isEmpty() && "variant.rollback-cleared".equals(applied.action())
                ? clearedElsewhere(record, applied, applied.seq() + 1 + with.size())
                : here && steps.isEmpty() && asRun ? new JournalRecord.Audited(applied.seq() + 1 + with.size(), now, actor,
                        run.action(), run.target(), run.before(), run.after(), reason) : null;
        if (own != null) {
            with.add(own);
        }
        // A cue's show.cue entry and the firings of the changes pending on it here go in the same write as the record's
        // versions: a node started again finds both or neither, and fires the cue once.
        List<Cue> cueFirings = new ArrayList<>();
        Cues firer = cues;
        if (!cuesFired.isEmpty() && firer == null) {
            throw new IllegalStateException("control record " + record.id() + " fires a cue, and this node has no schedule yet");
        }
        for (String cue : cuesFired) {
            Cue firing = firer.fire(s, cue, reached.get(CUE + cue), record.id(), actor, reason, applied.seq() + 1 + with.size());
            with.addAll(firing.records());
            cueFirings.add(firing);
        }

        // Applied for the request that asked for it: its Idempotency-Key is journaled in the same write.
        KeyedRequest.during(keyed, () -> {
            s.core().applyControl(fired == null ? List.of() : List.of(fired), applied, with);
            return null;
        });
        if (own != null) {
            s.core().experiments().addAudit(own.atMillis(), own.actor(), own.action(), own.target(), own.before(), own.after(),
                    own.reason());
        }
        cueFirings.forEach(f -> f.journaled(s));
        versions.putAll(reached);
        record.changes().stream().filter(c -> c.kind().equals("rollback-at")).forEach(this::learn);
        if (mine == null && keyed != null && keyed.journaled() && idempotency != null) {
            idempotency.madeUnanswered(keyed);
        }
        if (!alongside.isEmpty()) {
            mine.applied(s, alongside);
        }
        if (!scheduled.isEmpty()) {
            schedule.firedJournaled(s, record, scheduled);
        }
        if (!marking.isEmpty()) {
            marks.marked(s, marking);
        }
        if (here && record.request() != null && marks != null) {
            marks.settled(record.request().id());
        }
        onApplied.accept(s, applied);
    }

    /**
     * The firing of an operator's rollback by hand ({@code flag.rollback}, not a guardrail's) this node took,
     * numbered {@code seq}: the variant its request named while the request waits here, else the one whose whole
     * weight the record's steps move to control (this node stopped after the topic took it). Null for any other
     * record, and for a rollback that moved nothing here with no request waiting to name its variant.
     */
    private static JournalRecord.GuardrailFired manualFiring(Show s, ControlRecord record, Map<String, JournalRecord.Step> wanted,
                                                             List<JournalRecord.Step> steps, long seq, long now) {
        if (!"flag.rollback".equals(record.action()) || record.operator() == null || record.operator().startsWith("guardrail:")
                || record.changes().size() != 1 || !record.changes().getFirst().kind().equals("flag")) {
            return null;
        }
        JournalRecord.Step asked = wanted.get(record.changes().getFirst().key());
        String variant = asked != null && asked.flag() instanceof FlagCommand.Rollback r ? r.variantName() : null;
        String flag = record.changes().getFirst().key().substring("flag/".length());
        for (JournalRecord.Step step : steps) {
            if (variant == null && step.flag() instanceof FlagCommand.Change c && c.update().variants() != null) {
                // Not applied yet: the flag as it is here, before the record; the variant it moves to control.
                FlagDefinition before = s.core().experiments().registry().get(flag).orElse(null);
                variant = before == null ? null : c.update().variants().stream().filter(v -> v.weight() == 0
                        && !v.name().equals(before.controlVariant()) && before.weightOf(v.name()) > 0)
                        .map(io.edgedeck.engine.flags.Variant::name).findFirst().orElse(null);
            }
        }
        if (variant == null) {
            return null;
        }
        return new JournalRecord.GuardrailFired(seq, now, s.core().guardrails().manualFiring(flag, variant, record.operator(),
                record.reason(), now));
    }

    /** The audit entry of this node's clear that served a variant again only at PoPs other nodes serve. */
    private static JournalRecord.Audited clearedElsewhere(ControlRecord record, JournalRecord.ControlApplied applied, long seq) {
        ControlRecord.Change c = record.changes().getFirst();
        java.util.SortedSet<String> after = new java.util.TreeSet<>(texts(c, "pops"));
        java.util.SortedSet<String> before = new java.util.TreeSet<>(after);
        before.addAll(texts(c, "cleared"));
        return new JournalRecord.Audited(seq, applied.atMillis(), applied.actor(), applied.action(),
                c.key().substring(ROLLBACK_AT.length()), "control at " + String.join(",", before),
                after.isEmpty() ? "serving" : "control at " + String.join(",", after), applied.reason());
    }

    /** The request a record of this node's names by its key, or null. */
    private static KeyedRequest keyedOf(ControlRecord record) {
        ControlRecord.IdempotencyKey k = record.idempotencyKey();
        return k == null ? null : new KeyedRequest(k.caller(), k.key(), k.fingerprint(), k.wallMillis());
    }

    /**
     * The node's keys: a record of this node's applied with nobody waiting (it stopped after the topic
     * took it) is journaled with its key, and a retry of that key is then answered as after a restart.
     * Call before {@link #startApplying}.
     */
    public void keysIn(Idempotency keys) {
        this.idempotency = Objects.requireNonNull(keys, "keys");
    }

    /**
     * The node's change requests: a record of this node's that applies one (an approved request applied,
     * an edit that left a request no risk) marks it applied in the same journal write as the change, also
     * when the node applies the record on start after it stopped first. Call before {@link #startApplying}.
     */
    public void requestsIn(Requests requests) {
        this.requests = Objects.requireNonNull(requests, "requests");
    }

    /** Where a record of this node's that applies a change request has it marked applied. Engine thread. */
    /** The node's schedule, which fires a show cue the control topic carries ({@code cue/NAME}). */
    public interface Cues {
        /**
         * The records that fire cue {@code name} (its record {@code recordId} at {@code version}) on this node as
         * {@code actor} with {@code reason}, numbered from {@code seq}, journaled in one write with the record's versions.
         * Engine thread.
         */
        Cue fire(Show s, String name, long version, String recordId, String actor, String reason, long seq);

        /**
         * Per cue fired from the control topic whose changes scheduled here have not all applied, the version fired and
         * why. Any thread.
         */
        Map<String, io.edgedeck.simulator.fleet.NodeFrame.CueNotApplied> notApplied();

        /**
         * The records that mark this node's scheduled change {@code record} fires fired by it, numbered from {@code seq},
         * journaled in one write with the record's versions; empty unless that change is still pending. For a record
         * applied with no try of it waiting here: one of this node's naming its change ({@link ControlRecord#scheduled};
         * it stopped after the topic took it), or another node's copy of a change this node fired with the same cue record
         * ({@link ControlRecord#cueFiring}). Engine thread.
         */
        List<JournalRecord> firedBy(Show s, ControlRecord record, long seq);

        /** They are durable: take them into the schedule. Engine thread. */
        void firedJournaled(Show s, ControlRecord record, List<JournalRecord> records);
    }

    /** A cue's firing on this node: its records, then {@link #journaled} once they are durable. */
    public interface Cue {
        List<JournalRecord> records();

        /** Takes the journaled records in, and sends the changes that go through the fleet. Engine thread. */
        void journaled(Show s);
    }

    private volatile Cues cues;

    /**
     * Per show cue fired from the control topic whose changes scheduled on this node have not all applied: the version
     * fired and why. Named in the node's frame with {@link #cuesFired}. Any thread.
     */
    public Map<String, io.edgedeck.simulator.fleet.NodeFrame.CueNotApplied> cuesNotApplied() {
        Cues firer = cues;
        return firer == null ? Map.of() : firer.notApplied();
    }

    /** Where a cue on the control topic is fired: the node's schedule. */
    public void cuesIn(Cues firer) {
        this.cues = firer;
    }

    public interface Requests {
        /**
         * The records that mark {@code applied} (the request as it stands once applied) applied on this node,
         * numbered from {@code firstSeq}; empty when there is nothing to mark (it is applied already, or this
         * node holds no such request).
         */
        List<JournalRecord> marking(Show s, ChangeRequest applied, long firstSeq);

        /** They are durable: take them into the node's requests. */
        void marked(Show s, List<JournalRecord> records);

        /** The record that applies request {@code id}'s change is applied here, marked or not: it takes decisions again. */
        void settled(long id);
    }

    /** The fleet's Kafka refused a write or could not be reached: nothing was written. */
    private static final class KafkaRefused extends ApiException {
        private final boolean earlierNotThere;

        KafkaRefused(String detail, boolean earlierNotThere) {
            super(503, null, detail);
            this.earlierNotThere = earlierNotThere;
        }
    }

    /** Another node's change of a key won: read once a new producer ended every open transaction, so no earlier try is there. */
    private static final class Conflicted extends ApiException {
        Conflicted(String detail) {
            super(409, null, detail);
        }
    }

    /**
     * A change written to the control topic, or perhaps written, that this node has not applied yet: it may
     * (or, when {@link #written}, will) apply on every node later. What waits on it (a change request being
     * applied) stays waiting until it does.
     */
    public static final class NotAppliedYet extends ApiException {
        private final boolean written;

        NotAppliedYet(int status, String detail, boolean written) {
            super(status, null, detail);
            this.written = written;
        }

        /** True when the topic took the record: this node applies it once it reads that far. */
        public boolean written() {
            return written;
        }
    }

    /**
     * Tells {@code listener}, on the engine thread, of each control record this node applies from now on, once
     * journaled (a guardrail's rollback the fleet's aggregator decided runs the playbooks tied to that rule).
     */
    public void onApplied(java.util.function.BiConsumer<Show, JournalRecord.ControlApplied> listener) {
        this.onApplied = java.util.Objects.requireNonNull(listener, "listener");
    }

    /**
     * The audit action of a change this node's operator asked for, as its record carries it, so the same
     * record audits the same way whether its request still waits or the node applies it on start; for a
     * record from a node that did not carry it, that of the steps made here.
     */
    private static String audited(ControlRecord record, List<JournalRecord.Step> steps) {
        return record.action() != null ? record.action() : action(steps);
    }

    /** The audit action of a change this node's operator asked for: the flag's or guardrail's own. */
    private static String action(List<JournalRecord.Step> steps) {
        if (steps.isEmpty()) {
            return "flag.change";
        }
        JournalRecord.Step first = steps.getFirst();
        if (first.guardrail() != null) {
            return first.guardrail().armed() ? "guardrail.arm" : "guardrail.disarm";
        }
        if (first.flag() == null) {
            // A variant paused, resumed or rolled back at PoPs, audited as on a node in no fleet.
            if (steps.size() > 1) {
                return "flag.change";
            }
            return first.pause() != null ? first.pause().paused() ? "variant.pause" : "variant.resume"
                    : first.rollbackCleared() != null ? "variant.rollback-cleared" : "variant.rollback-at";
        }
        return steps.size() == 1 ? FlagRegistry.action(first.flag()) : "flag.change";
    }

    /**
     * A variant rolled back to control at PoPs: {@code {"pops": ["fra", "ams"], "cleared": ["iad"]}}, every PoP
     * of the fleet where it is, and those a clear serves it at again. A node rolls it back at those of
     * {@code pops} it serves and has not yet; null when that is none.
     */
    private static JournalRecord.RollbackAtStep rollbackAt(Show s, ControlRecord.Change c, String[] flagAndVariant,
                                                          java.util.Set<String> had) {
        var served = s.core().experiments().popIds();
        java.util.TreeSet<String> here = new java.util.TreeSet<>();
        for (String pop : texts(c, "pops")) {
            if (served.contains(pop) && !had.contains(pop)) {
                here.add(pop);
            }
        }
        return here.isEmpty() ? null : new JournalRecord.RollbackAtStep(flagAndVariant[0], flagAndVariant[1], List.copyOf(here));
    }

    /**
     * Where a record of the fleet's whole list (one with {@code cleared}) serves the variant again on this
     * node: the PoPs it clears, and those the list held before (as this node read it) and holds no more, so a
     * node that missed the clear itself (stopped, or the topic compacted it away) clears them too. Without the
     * list before (its record compacted away), every PoP this node has rolled back that the list lacks. A PoP
     * this node rolled back on its own (the fleet did not take it) and the list never held stays. Null when
     * that is none, and for a record without {@code cleared}, which only adds.
     */
    private static JournalRecord.RollbackAtStep clearedAt(Show s, ControlRecord.Change c, String[] flagAndVariant,
                                                          java.util.Set<String> had, FleetPops before) {
        if (!c.state().has("cleared")) {
            return null;
        }
        java.util.Set<String> list = new java.util.HashSet<>(texts(c, "pops"));
        java.util.Set<String> gone = new java.util.TreeSet<>(texts(c, "cleared"));
        (before == null ? had : before.pops()).stream().filter(p -> !list.contains(p)).forEach(gone::add);
        List<String> here = gone.stream().filter(had::contains).filter(p -> !list.contains(p)).sorted().toList();
        return here.isEmpty() ? null : new JournalRecord.RollbackAtStep(flagAndVariant[0], flagAndVariant[1], here);
    }

    /** A list of PoP ids in a {@code rollback-at} record's state ({@code pops}, {@code cleared}), refused by name when it is not one. */
    private static List<String> texts(ControlRecord.Change c, String field) {
        JsonNode list = c.state().get(field);
        if (list == null || !list.isArray()) {
            throw new IllegalArgumentException(c.key() + ": state." + field + " must be a list of PoPs");
        }
        List<String> out = new ArrayList<>();
        for (JsonNode pop : list) {
            if (!pop.isTextual()) {
                throw new IllegalArgumentException(c.key() + ": each of state." + field + " is a PoP id (text)");
            }
            out.add(pop.asText());
        }
        return out;
    }

    /**
     * A variant paused or resumed everywhere: {@code {"paused": true}}. Null when the node has it so
     * already.
     */
    private static JournalRecord.PauseStep pause(Show s, ControlRecord.Change c) {
        String[] flagAndVariant = c.key().substring(PAUSE.length()).split("/", 2);
        if (flagAndVariant.length != 2 || !c.state().path("paused").isBoolean()) {
            throw new IllegalArgumentException(c.key() + ": the key is pause/FLAG/VARIANT and state.paused true or false");
        }
        boolean paused = c.state().get("paused").asBoolean();
        return pausedHere(s, flagAndVariant[0], flagAndVariant[1]) == paused ? null : new JournalRecord.PauseStep(flagAndVariant[0], flagAndVariant[1], paused);
    }

    /** A guardrail's state on the control topic: {@code {"armed": true}}. */
    private static boolean armedState(ControlRecord.Change c) {
        if (!c.state().path("armed").isBoolean()) {
            throw new IllegalArgumentException(c.key() + ": state.armed must be true or false");
        }
        return c.state().get("armed").asBoolean();
    }

    /**
     * The flag commands that bring {@code current} to {@code want}: the command this node's operator
     * asked for when it does exactly that, else a change of weights and scope (if they differ) and
     * then a kill or unkill (if that differs). None when the flag is in that state already.
     */
    private static List<FlagCommand> commands(Show s, FlagDefinition current, FlagState want, FlagCommand asked, String actor,
                                              String reason, long now) {
        if (asked instanceof FlagCommand.Rollback && want.matches(current)) {
            // A rollback of a variant that gets no traffic already (rolled back before, on any node) changes
            // nothing here, as on every other node: applied, it would move this node alone to the next version.
            return List.of();
        }
        if (asked != null) {
            FlagCommand again = restamped(asked, current.version(), now);
            try {
                FlagDefinition result = s.core().experiments().registry().preview(again);
                if (want.matches(result)) {
                    return List.of(again);
                }
            } catch (RuntimeException e) {
                // The flag moved here since it was asked (a guardrail, say): the record's state is what counts.
            }
        }
        List<FlagCommand> made = new ArrayList<>();
        String key = current.key();
        if (!current.variants().equals(want.variants()) || !current.scope().equals(want.scope())) {
            made.add(new FlagCommand.Change(key, current.version(), new FlagUpdate(want.variants(), null, want.scope(), null, null),
                    actor, reason, now));
        }
        if (current.killed() != want.killed()) {
            made.add(want.killed() ? new FlagCommand.Kill(key, actor, reason, now) : new FlagCommand.Unkill(key, actor, reason, now));
        }
        return made;
    }

    private static FlagCommand restamped(FlagCommand c, long version, long now) {
        return switch (c) {
            case FlagCommand.Change x -> new FlagCommand.Change(x.key(), version, x.update(), x.operator(), x.reason(), now);
            case FlagCommand.Kill x -> new FlagCommand.Kill(x.key(), x.operator(), x.reason(), now);
            case FlagCommand.Unkill x -> new FlagCommand.Unkill(x.key(), x.operator(), x.reason(), now);
            case FlagCommand.Rollback x -> new FlagCommand.Rollback(x.key(), x.variantName(), x.operator(), x.reason(), now);
            case FlagCommand.Create x -> x;
        };
    }

    // ------------------------------------------------------------------ an operator's change on this node

    /** A change to propose, made on the engine thread from the flag or guardrail as it is, or an answer instead. */
    public sealed interface Proposal {
        /**
         * Write {@code steps} (flag commands, guardrails armed or disarmed, variants rolled back at PoPs;
         * each flag, guardrail and variant at most once) to the fleet as one record.
         *
         * @param operator who asked, for the record and the audit
         * @param reason   why, as given
         * @param run      for a run of several actions as one, the audit entry of this node; null for one change
         * @param id       null for a new id; else the stem of the record's id, which is derived from it and the keys,
         *                 versions and states the record sets: the same change proposed from the same versions on
         *                 any node has the same id, and a write with an id already on the topic writes nothing
         * @param answer   what to answer once this node applied it; null for the flag's (or guardrail's) view then
         * @param what     how answers name the change, e.g. {@code flag offer-banner}, {@code the run of playbook p}
         * @param alongside records to journal with it on this node, or null
         * @param request   the change request of this node's the write applies, as it stands once applied (marked so in
         *                  the same journal write as the change, by {@link #requestsIn the node's requests}); or null
         */
        record Write(List<JournalRecord.Step> steps, String operator, String reason, ControlRecord.Run run, String id,
                     Object answer, String what, Alongside alongside, ChangeRequest request) implements Proposal {

            public Write {
                steps = List.copyOf(steps);
                if (steps.isEmpty()) {
                    throw new IllegalArgumentException("a write changes at least one thing");
                }
            }

            /** A write that applies no change request. */
            public Write(List<JournalRecord.Step> steps, String operator, String reason, ControlRecord.Run run, String id,
                         Object answer, String what, Alongside alongside) {
                this(steps, operator, reason, run, id, answer, what, alongside, null);
            }

            /** This write, applying {@code applied} (the request as it stands once applied). */
            public Write applying(ChangeRequest applied) {
                return new Write(steps, operator, reason, run, id, answer, what, alongside, applied);
            }

            /** One change: a flag command, a guardrail armed or disarmed, a variant paused, resumed or rolled back or served again at PoPs. */
            public Write(JournalRecord.Step step, String operator, String reason) {
                this(List.of(step), operator, reason, null, null, null, named(step), null);
            }

            /** How answers name a step's change: {@code flag K}, {@code guardrail R}, {@code variant F/V}. */
            private static String named(JournalRecord.Step step) {
                if (step.flag() != null) {
                    return "flag " + step.flag().key();
                }
                if (step.guardrail() != null) {
                    return "guardrail " + step.guardrail().rule();
                }
                if (step.pause() != null) {
                    return "variant " + step.pause().flag() + "/" + step.pause().variant();
                }
                JournalRecord.RollbackAtStep at = step.rollbackCleared() != null ? step.rollbackCleared() : step.rollbackAt();
                return "variant " + at.flag() + "/" + at.variant();
            }

            /** A flag command, by its operator, for its reason. */
            public static Write flag(FlagCommand command) {
                return new Write(new JournalRecord.Step(command, null, null), command.operator(), command.reason());
            }

            /** A guardrail armed or disarmed. */
            public static Write arming(String rule, boolean armed, String operator, String reason) {
                return new Write(new JournalRecord.Step(null, new JournalRecord.ArmStep(rule, armed), null), operator, reason);
            }
        }

        /** Answer {@code answer} without writing anything (held by the approval lanes, or nothing to change). */
        record Answer(Object answer) implements Proposal {
        }
    }

    /**
     * Makes an operator's change through the fleet: {@code propose} runs on the engine thread and names
     * the change (checked there against the flags and guardrails as this node has them: a refusal is
     * the API's 400, 404 or 409 and nothing is written); its result is written to the control topic as
     * one record holding the whole new state of every key it changes, each at its next control version;
     * the answer waits until this node applied it, and is the proposal's answer, or the flag (or the
     * guardrail's status) as it then is.
     *
     * @throws ApiException 409 when a key moved on in the fleet since this node applied it; 503 when
     *                      Kafka did not take the change (nothing changed, unless the message says it may
     *                      yet apply); 500 when it is written but this node did not apply it in time
     */
    public Object change(EngineCommands commands, Function<Show, Proposal> propose) {
        Object prepared = commands.run(() -> ControlApi.onEngine(runner, s -> proposed(s, propose)));
        if (prepared instanceof Proposal.Answer a) {
            return a.answer();
        }
        Prepared ready = (Prepared) prepared;
        Object done = written(ready);
        if (done != null) {
            return done;
        }
        ControlRecord.Change change = ready.record().changes().getFirst();
        String name = change.key().substring(change.key().indexOf('/') + 1);
        // A variant's key (pause/FLAG/VARIANT, rollback-at/FLAG/VARIANT) is answered with its flag.
        return commands.read(ControlApi.onEngine(runner, s -> change.kind().equals("guardrail") ? s.core().guardrails().status(name)
                : ShowChanges.view(s, name.contains("/") ? name.substring(0, name.indexOf('/')) : name)));
    }

    /**
     * What a write proposed from the engine thread came to: {@code made} once this node applied it (or
     * the proposal answered without writing), else the status and detail an operator's change would have
     * been answered with (409 lost to another node's change, 503 Kafka, 500 written but not applied here);
     * {@code mayApply} when the record is, or may be, on the topic (Kafka did not confirm it, or this node
     * has not applied it): it may yet apply on every node. {@code earlierNotThere} when this try's writer ended every
     * transaction an earlier writer left open and read the topic to its end without finding the record: an earlier try
     * of the same change that Kafka did not confirm is not on the topic and cannot land any more. {@code cause}: one of
     * {@link #CAUSES} when not made.
     */
    public record Outcome(boolean made, int status, String detail, boolean mayApply, boolean earlierNotThere, String cause) {
        static Outcome notMade(String cause, int status, String detail) {
            return new Outcome(false, status, detail, false, false, cause);
        }
    }

    /**
     * Why a write of a change this node decided on itself was not made, as {@code /metrics} labels it: {@code kafka}, the
     * fleet's Kafka refused or did not confirm it (or could not be reached); {@code conflict}, another node's change of a key
     * won three times in a row; {@code journal}, this node's journal could not be written; {@code engine}, this node's
     * engine did not take it in time; {@code applying}, it is on the control topic but this node had not applied it in
     * time (or could not); {@code refused}, this node's checks refused it; {@code stopping}, the node was stopping.
     */
    public static final List<String> CAUSES = List.of("kafka", "conflict", "journal", "engine", "applying", "refused", "stopping");

    /** Writes of changes this node decided on itself that were not made, each try, since the node started, by cause. */
    private final Map<String, java.util.concurrent.atomic.AtomicLong> ownRefused = new ConcurrentHashMap<>();

    /**
     * How many writes of changes this node decided on itself (a scheduled change firing, a guardrail's rollback) were not
     * made, each try counted, since the node started, by cause ({@link #CAUSES}, each listed): {@code /metrics}.
     */
    public Map<String, Long> ownWritesRefused() {
        Map<String, Long> out = new java.util.LinkedHashMap<>();
        CAUSES.forEach(c -> out.put(c, ownRefused.containsKey(c) ? ownRefused.get(c).get() : 0L));
        return out;
    }

    /**
     * Makes a change the node decided on itself (a scheduled change firing, a guardrail's rollback)
     * through the fleet, off the engine thread: {@code propose} runs on the engine thread as for
     * {@link #change}, and again after a write lost to another node's change once this node caught up
     * (up to three times). Returns at once; the future completes on the node's fleet-writes thread.
     */
    public CompletableFuture<Outcome> changeSoon(Function<Show, Proposal> propose) {
        return CompletableFuture.supplyAsync(() -> {
            Outcome outcome = trySoon(propose);
            if (!outcome.made()) {
                ownRefused.computeIfAbsent(outcome.cause(), c -> new java.util.concurrent.atomic.AtomicLong()).incrementAndGet();
            }
            return outcome;
        }, later);
    }

    private Outcome trySoon(Function<Show, Proposal> propose) {
        for (int attempt = 1; ; attempt++) {
            try {
                Object prepared = runner.submit(s -> proposed(s, propose)).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                if (!(prepared instanceof Proposal.Answer)) {
                    written((Prepared) prepared);
                }
                return new Outcome(true, 200, "", false, false, null);
            } catch (ApiException e) {
                if (e.status() != 409 || attempt == 3) {
                    // Not applied here, but on the topic (500) or perhaps on it (not confirmed): it may yet apply everywhere.
                    boolean mayApply = e instanceof NotAppliedYet || e.status() == 500;
                    String cause = e instanceof KafkaRefused || e instanceof NotAppliedYet && e.status() == 503 ? "kafka"
                            : e.status() == 409 ? "conflict" : e.status() == 500 ? "applying" : "stopping";
                    boolean earlierNotThere = e instanceof KafkaRefused k && k.earlierNotThere || e instanceof Conflicted;
                    return new Outcome(false, e.status(), e.getMessage(), mayApply, earlierNotThere, cause);
                }
                try {
                    applier.awaitCaughtUp(timeout);
                } catch (InterruptedException stop) {
                    Thread.currentThread().interrupt();
                    return Outcome.notMade("stopping", 503, "the node is stopping");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Outcome.notMade("stopping", 503, "the node is stopping");
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                return Outcome.notMade(cause instanceof JournalUnavailableException ? "journal" : "refused",
                        cause instanceof ApiException api ? api.status() : cause instanceof JournalUnavailableException ? 503 : 400,
                        String.valueOf(cause.getMessage()));
            } catch (TimeoutException e) {
                return Outcome.notMade("engine", 503, "the engine did not take the change within " + EngineCommands.seconds(timeout));
            }
        }
    }

    /**
     * A guardrail's automatic rollback of a variant everywhere, made through the fleet so that every
     * node rolls it back (the guardrail decided on this node's evidence, and its firing is recorded
     * here only). Called on the engine thread once the firing is journaled; returns at once. If the
     * fleet does not take it (Kafka away, five writers in a row ahead of it), this node rolls the variant
     * back on its own flags, as a node in no fleet would: a guardrail's rollback is not left undone
     * here for want of the others; the next record of the flag on the topic replaces it.
     */
    public void rollbackInFleet(String flag, String variant, String actor, String reason, long nowMillis) {
        Function<Show, Boolean> serving = s -> s.core().experiments().registry().get(flag).map(d -> d.weightOf(variant) > 0)
                .orElse(false);
        changeSoonOrHere(s -> serving.apply(s)
                ? Proposal.Write.flag(new FlagCommand.Rollback(flag, variant, actor, reason, ShowChanges.now(s)))
                : new Proposal.Answer(null), actor + "'s rollback of " + flag + "/" + variant, s -> {
            if (serving.apply(s)) {
                s.core().experiments().rollback(flag, variant, actor, reason + " (on this node only: the fleet did not take it)",
                        ShowChanges.now(s));
            }
        });
    }

    /**
     * A guardrail's automatic rollback of a variant at the PoPs where it breached, made through the fleet
     * so that every node serving one of those PoPs rolls the variant back there (a PoP may be served by
     * more than one node). Called on the engine thread once the firing is journaled; returns at once. If
     * the fleet does not take it, this node rolls the variant back at those PoPs on its own, as a node in
     * no fleet would.
     */
    public void rollbackAtInFleet(String flag, String variant, List<String> pops, String actor, String reason, long nowMillis) {
        stepSoonOrHere("rollback of " + flag + "/" + variant + " at " + String.join(",", pops), actor, reason, s -> {
            var already = s.core().experiments().rolledBackAt().getOrDefault(flag + "/" + variant, java.util.Set.of());
            List<String> missing = pops.stream().filter(p -> !already.contains(p)).toList();
            return missing.isEmpty() ? null : new JournalRecord.Step(null, null, new JournalRecord.RollbackAtStep(flag, variant, missing));
        }, (s, step) -> s.core().experiments().rollbackAt(flag, variant, step.rollbackAt().pops(), actor,
                reason + " (on this node only: the fleet did not take it)", ShowChanges.now(s)));
    }

    /**
     * A guardrail's automatic pause of a variant, made through the fleet so that every node pauses it
     * (sends its units to control). Called on the engine thread once the firing is journaled; returns at
     * once. If the fleet does not take it, this node pauses the variant on its own, as a node in no fleet
     * would.
     */
    public void pauseInFleet(String flag, String variant, String actor, String reason, long nowMillis) {
        stepSoonOrHere("pause of " + flag + "/" + variant, actor, reason, s -> pausedHere(s, flag, variant) ? null
                : JournalRecord.Step.pausing(new JournalRecord.PauseStep(flag, variant, true)),
                (s, step) -> s.core().experiments().setPaused(flag, variant, true, actor,
                        reason + " (on this node only: the fleet did not take it)", ShowChanges.now(s)));
    }

    /**
     * {@link #changeSoonOrHere} for one step a guardrail owes: {@code needed} names it from the node's state
     * (null when nothing is left to do, and then nothing is written), and {@code here} makes it on this node
     * alone if the fleet does not take it.
     */
    private void stepSoonOrHere(String what, String actor, String reason, Function<Show, JournalRecord.Step> needed,
                                java.util.function.BiConsumer<Show, JournalRecord.Step> here) {
        changeSoonOrHere(s -> {
            JournalRecord.Step step = needed.apply(s);
            return step == null ? new Proposal.Answer(null)
                    : new Proposal.Write(List.of(step), actor, reason, null, null, null, "the " + what, null);
        }, actor + "'s " + what, s -> {
            JournalRecord.Step step = needed.apply(s);
            if (step != null) {
                here.accept(s, step);
            }
        });
    }

    /** Whether this node has {@code flag}'s {@code variant} paused. Engine thread. */
    private static boolean pausedHere(Show s, String flag, String variant) {
        return s.core().experiments().paused().getOrDefault(flag, java.util.Set.of()).contains(variant);
    }

    /**
     * {@link #changeSoon}, for a change the node owes whatever the fleet does (a guardrail's answer to
     * its firing): if the fleet does not take it, {@code here} makes it on this node alone, on the
     * engine thread, and it is logged. Returns at once.
     */
    public void changeSoonOrHere(Function<Show, Proposal> propose, String what, java.util.function.Consumer<Show> here) {
        changeSoon(propose).thenAccept(outcome -> {
            if (outcome.made() || closed) {
                return;
            }
            LOG.warn("fleet node {}: {} did not go through the fleet ({} {}); made on this node only", node, what,
                    outcome.status(), outcome.detail());
            runner.submit(s -> {
                try {
                    here.accept(s);
                } catch (RuntimeException e) {
                    LOG.error("fleet node {}: {} could not be made on this node either", node, what, e);
                }
                return null;
            });
        });
    }

    /** The proposal made on the engine thread: an answer, or a write ready to go. Engine thread. */
    private Object proposed(Show s, Function<Show, Proposal> propose) {
        Idempotency keys = idempotency;
        if (keys != null) {
            // A retry that came in before this node, started again, applied its first request's record.
            keys.refuseIfMade(KeyedRequest.current());
        }
        Proposal p = propose.apply(s);
        if (p instanceof Proposal.Answer a) {
            return a;
        }
        JournalCondition journal = s.core().journal().condition();
        if (!journal.writable()) {
            // Refused before anything is written to the fleet: this node could not apply it.
            throw JournalUnavailableException.because(journal.problem(), 0, null);
        }
        return prepare(s, (Proposal.Write) p);
    }

    /**
     * Writes a prepared record and waits until this node applied it, then makes sure what the proposal
     * keeps alongside it is journaled (if the record was applied before this node asked for it: another
     * node wrote the same record first). Returns the proposal's answer (null: read the flag).
     */
    private Object written(Prepared ready) {
        ControlRecord record = ready.record();
        String what = ready.write().what();
        Asked mine = new Asked(ready.steps(), ready.write().alongside(), KeyedRequest.current());
        // One kept from an earlier try of the same record, which may yet land (below).
        Asked earlier = asked.put(record.id(), mine);
        // What is kept with a record that may be on the topic stays asked for once this write gave up on it: the applier
        // journals it with the record if it lands (a scheduled change marked fired), whoever waits for it then.
        boolean keep = false;
        boolean made = false;
        try {
            ControlWriter.Written written;
            try {
                written = writer.write(record);
            } catch (ControlWriter.ConflictException e) {
                String key = e.key().substring(e.key().indexOf('/') + 1);
                throw new Conflicted((record.changes().size() == 1 ? what : what + ": " + key)
                        + " was changed in the fleet by another node since this node read it: read it again and make the change"
                        + " against what it is now; nothing changed");
            } catch (ControlWriter.UnavailableException e) {
                LOG.warn("fleet node {}: change of {} refused: {}", node, what, e.getMessage());
                // Kafka's own words when it answered with an error (a transaction's end it failed), else how long it took.
                Throwable cause = e.getCause();
                boolean slow = e.timedOut();
                if (e.mayHaveLanded()) {
                    keep = mine.alongside() != null;
                    throw new NotAppliedYet(503, "the fleet's Kafka did not confirm the change of " + what + (slow ? " within "
                            + EngineCommands.seconds(timeout) : " (Kafka said: " + cause.getMessage() + ")")
                            + ": it may yet apply on every node; read it before sending it again", false);
                }
                throw new KafkaRefused((slow ? "the fleet's Kafka cannot be reached (nothing taken within "
                        + EngineCommands.seconds(timeout) + ")" : "the fleet's Kafka refused the write (Kafka said: " + cause.getMessage()
                        + ")") + ": the change of " + what + " was not made, on this node or any other; this node keeps serving its flags",
                        e.earlierNotThere());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ApiException(503, null, "the node is stopping; the change of " + what + " was not made");
            }
            try {
                awaitApplied(written.offset(), record, what);
            } catch (NotAppliedYet e) {
                keep = mine.alongside() != null;
                throw e;
            }
            made = true;
            if (mine.alongside() != null && !mine.taken()) {
                keepAlongside(mine, what);
            }
            return ready.write().answer();
        } finally {
            if (!keep) {
                if (!made && earlier != null && earlier.alongside() != null) {
                    asked.put(record.id(), earlier);
                } else {
                    asked.remove(record.id());
                }
            }
        }
    }

    /** Journals what a proposal keeps alongside its record in a write of its own: the record was applied without it. */
    private void keepAlongside(Asked mine, String what) {
        try {
            runner.submit(s -> {
                List<JournalRecord> with = mine.alongside(s, s.core().journal().nextSeq());
                if (!with.isEmpty()) {
                    s.core().journal().appendAll(with);
                    mine.applied(s, with);
                }
                return null;
            }).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException(500, null, "the node stopped after " + what + " was applied, before it was noted here");
        } catch (ExecutionException | TimeoutException e) {
            throw new ApiException(500, null, what + " is applied on every node, but this node could not note it: " + e);
        }
    }

    /**
     * The record of a write: each step's key at the next control version with its whole new state, as
     * this node's state and the step make it. Engine thread.
     */
    private Prepared prepare(Show s, Proposal.Write w) {
        List<ControlRecord.Change> changes = new ArrayList<>();
        Map<String, JournalRecord.Step> steps = new TreeMap<>();
        for (JournalRecord.Step step : w.steps()) {
            String key;
            JsonNode state;
            if (step.flag() != null) {
                key = FLAG + step.flag().key();
                state = FlagState.of(s.core().experiments().registry().preview(step.flag())).json();
            } else if (step.guardrail() != null) {
                JournalRecord.ArmStep arm = step.guardrail();
                s.core().guardrails().armed(arm.rule());
                key = GUARDRAIL + arm.rule();
                state = JsonNodeFactory.instance.objectNode().put("armed", arm.armed());
            } else if (step.pause() != null) {
                JournalRecord.PauseStep pause = step.pause();
                s.core().experiments().checkPause(pause.flag(), pause.variant());
                key = PAUSE + pause.flag() + "/" + pause.variant();
                state = JsonNodeFactory.instance.objectNode().put("paused", pause.paused());
            } else {
                // The fleet's whole list, so that the newest record of the key is all a node needs once the topic is
                // compacted: the PoPs it holds and where this node has the variant rolled back, with the step's added
                // or, for a clear, taken out; "cleared" names the PoPs a clear serves the variant at again.
                boolean clearing = step.rollbackCleared() != null;
                JournalRecord.RollbackAtStep at = clearing ? step.rollbackCleared() : step.rollbackAt();
                key = ROLLBACK_AT + at.flag() + "/" + at.variant();
                if (clearing) {
                    popRollbacks().check(s, at.flag(), at.variant(), at.pops());
                } else {
                    s.core().experiments().checkRollbackAtInFleet(at.flag(), at.variant(), at.pops());
                }
                if (fleetPopsNow(key) == null) {
                    throw new ApiException(503, null, "this node has not read the fleet's PoP-local rollbacks of " + at.flag() + "/"
                            + at.variant() + " yet (it is reading the control topic): nothing changed; try again in a moment");
                }
                java.util.SortedSet<String> pops = rolledBackAt(s, at.flag() + "/" + at.variant());
                if (clearing) {
                    at.pops().forEach(pops::remove);
                } else {
                    pops.addAll(at.pops());
                }
                ObjectNode o = JsonNodeFactory.instance.objectNode();
                ArrayNode list = o.putArray("pops");
                pops.forEach(list::add);
                ArrayNode cleared = o.putArray("cleared");
                if (clearing) {
                    at.pops().forEach(cleared::add);
                }
                state = o;
            }
            changes.add(new ControlRecord.Change(key, version(key) + 1, state));
            steps.put(key, step);
        }
        // A stem names what the change is (a schedule's entry): with the keys, versions and states it sets, it
        // makes the same id on every node that proposes it from the same versions, and the writer writes it once.
        String id = w.id() == null ? UUID.randomUUID().toString() : UUID.nameUUIDFromBytes((w.id() + "\n" + changes)
                .getBytes(java.nio.charset.StandardCharsets.UTF_8)).toString();
        // The request's key goes with the record unless it is journaled already: this node journals it with the change
        // when it applies the record, whether the request still waits for it or this node stopped first.
        KeyedRequest asking = KeyedRequest.current();
        ControlRecord.IdempotencyKey key = asking == null || asking.journaled() ? null
                : new ControlRecord.IdempotencyKey(asking.caller(), asking.key(), asking.fingerprint(), asking.wallMillis());
        // What this node audits the change as travels with it (a run's audit entry is its run's).
        return new Prepared(new ControlRecord(1, id, System.currentTimeMillis(), node, w.operator(), w.reason(), changes, w.run(),
                Map.of(), key, w.request(), w.run() == null ? action(w.steps()) : null,
                w.alongside() == null ? null : w.alongside().scheduled(), w.alongside() == null ? null : w.alongside().cueFiring()),
                w, Map.copyOf(steps));
    }

    /** A change ready to write, the proposal it was made from and its steps by key (so this node audits it as asked). */
    private record Prepared(ControlRecord record, Proposal.Write write, Map<String, JournalRecord.Step> steps) {
    }

    /**
     * Records a proposal keeps with its control record, journaled in the same write as the node's
     * {@link JournalRecord.ControlApplied} (a scheduled change marked fired). Engine thread.
     */
    public interface Alongside {
        /**
         * The records, numbered from {@code firstSeq}; empty when nothing is left to keep (another try's record of the same
         * change applied first).
         */
        List<JournalRecord> records(Show s, long firstSeq);

        /** They are durable: take them into the node's state. */
        void applied(Show s, List<JournalRecord> records);

        /**
         * The number of this node's scheduled change the record fires, carried in it ({@link ControlRecord#scheduled}) so
         * that this node marks the change fired when it applies the record with no try waiting; null for any other change.
         */
        default Long scheduled() {
            return null;
        }

        /**
         * Which firing of which scheduled change the record is, the same on every node's copy of the change
         * ({@link ControlRecord#cueFiring}): a node that fired it, setting the same, with the same cue record marks it fired
         * when another node's copy applies there. Null for any other change, and for one no cue record on the topic fired.
         */
        default ControlRecord.CueFiring cueFiring() {
            return null;
        }
    }

    /**
     * What this node asked for with a record: its steps by key, what to keep alongside it (taken once),
     * and the keyed request that asked (null for none).
     */
    private static final class Asked {
        private final Map<String, JournalRecord.Step> steps;
        private final Alongside alongside;
        private final KeyedRequest request;
        private volatile boolean taken;

        Asked(Map<String, JournalRecord.Step> steps, Alongside alongside, KeyedRequest request) {
            this.steps = steps;
            this.alongside = alongside;
            this.request = request;
        }

        KeyedRequest request() {
            return request;
        }

        Map<String, JournalRecord.Step> steps() {
            return steps;
        }

        Alongside alongside() {
            return alongside;
        }

        boolean taken() {
            return taken;
        }

        /** The records to journal now, once; empty when there are none or they were journaled already. Engine thread. */
        List<JournalRecord> alongside(Show s, long firstSeq) {
            return alongside == null || taken ? List.of() : alongside.records(s, firstSeq);
        }

        /** Engine thread. */
        void applied(Show s, List<JournalRecord> records) {
            taken = true;
            alongside.applied(s, records);
        }
    }

    private void awaitApplied(long offset, ControlRecord record, String what) {
        try {
            if (!applier.awaitOffset(offset, timeout)) {
                throw new NotAppliedYet(500, "the change of " + what + " is on the fleet's control topic (offset " + offset
                        + ") and applies on every node, but this node had not applied it within " + EngineCommands.seconds(timeout)
                        + "; read it before changing it again", true);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException(500, null, "the node stopped after the change of " + what
                    + " was written to the fleet; it applies on every node, this one when it starts again");
        }
        if (record.changes().stream().anyMatch(c -> version(c.key()) < c.version())) {
            throw new ApiException(500, null, "the change of " + what + " is on the fleet's control topic (offset " + offset
                    + ") but this node could not apply it (its log says why)");
        }
    }

    @Override
    public void close() {
        closed = true;
        // Only changeSoon's writes run there; those not begun are dropped: none of them was sent.
        List<Runnable> notWritten = later.shutdownNow();
        if (!notWritten.isEmpty()) {
            LOG.warn("fleet node {}: stopped with {} change{} of its own (a scheduled change firing, a guardrail's rollback) waiting"
                    + " to be written to the control topic; {} not sent", node, notWritten.size(), notWritten.size() == 1 ? "" : "s",
                    notWritten.size() == 1 ? "it was" : "they were");
        }
        if (applier != null) {
            applier.close();
        }
        if (writer != null) {
            writer.close();
        }
    }

    /** A flag's whole state as a control record writes it (a fleet's aggregator starts from its configuration's). */
    public static JsonNode flagState(FlagDefinition flag) {
        return FlagState.of(flag).json();
    }

    /**
     * A flag's state on the control topic: {@code {"variants": [{"name", "weight"}...], "scope", "killed"}},
     * variants in bucket order, weights in basis points.
     */
    record FlagState(List<Variant> variants, Scope scope, boolean killed) {

        static FlagState of(FlagDefinition d) {
            return new FlagState(d.variants(), d.scope(), d.killed());
        }

        /** Reads a record's state, refusing one that is not a flag's, naming the field. */
        static FlagState of(String key, JsonNode state) {
            JsonNode variants = state.get("variants");
            if (variants == null || !variants.isArray() || variants.isEmpty()) {
                throw new IllegalArgumentException(key + ": state.variants must be a list of {name, weight}");
            }
            List<Variant> list = new ArrayList<>();
            for (JsonNode v : variants) {
                if (!v.path("name").isTextual() || !v.path("weight").isInt()) {
                    throw new IllegalArgumentException(key + ": each of state.variants needs a name (text) and a weight"
                            + " (basis points)");
                }
                list.add(new Variant(v.get("name").asText(), v.get("weight").asInt()));
            }
            if (!state.path("scope").isTextual()) {
                throw new IllegalArgumentException(key + ": state.scope must be a scope's text, e.g. global");
            }
            Scope scope;
            try {
                scope = Scope.parse(state.get("scope").asText());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(key + ": state.scope: " + e.getMessage(), e);
            }
            if (!state.path("killed").isBoolean()) {
                throw new IllegalArgumentException(key + ": state.killed must be true or false");
            }
            return new FlagState(List.copyOf(list), scope, state.get("killed").asBoolean());
        }

        JsonNode json() {
            ObjectNode o = JsonNodeFactory.instance.objectNode();
            ArrayNode vs = o.putArray("variants");
            variants.forEach(v -> vs.addObject().put("name", v.name()).put("weight", v.weight()));
            o.put("scope", scope.wireName());
            o.put("killed", killed);
            return o;
        }

        boolean matches(FlagDefinition d) {
            return d.variants().equals(variants) && d.scope().equals(scope) && d.killed() == killed;
        }
    }
}
