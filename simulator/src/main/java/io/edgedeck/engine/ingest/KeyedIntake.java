package io.edgedeck.engine.ingest;

import io.edgedeck.client.ingest.IngestEvent;
import io.edgedeck.engine.EdgeCore;
import io.edgedeck.engine.chat.Chat;
import io.edgedeck.engine.decisions.DecisionBudget;
import io.edgedeck.engine.experiments.Arm;
import io.edgedeck.engine.experiments.Experiments;
import io.edgedeck.engine.flags.FlagDefinition;
import io.edgedeck.engine.flags.Variant;
import io.edgedeck.engine.sentiment.ChatSentiment;
import io.edgedeck.engine.time.EngineClock;
import io.edgedeck.engine.triggers.InteractionKind;
import io.edgedeck.engine.triggers.TriggerEngine;
import io.edgedeck.engine.triggers.TriggerFiring;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The edge core's keyed path: observations from a live node's sources ({@link IngestEvent}s from
 * the ingest API, OFREP evaluations, connectors), named by string ids, resolved and fed to the same
 * parts the simulated edge feeds by index.
 *
 * <h2>What it does with each event</h2>
 * <ul>
 *   <li>Checks it and refuses it, naming the field, when anything is wrong; a refused event changes
 *   nothing and its id is not remembered as counted, so a corrected event with the same id is taken;
 *   the refusal (id, field and code) is remembered for the dedupe window ({@link #firstRefusal}), so
 *   the same event refused again for the same fault (its batch sent again) is not counted as refused
 *   twice, and the same id refused for another fault is counted.</li>
 *   <li>Counts a re-sent event once: an id seen within the dedupe window (see {@link IngestLimits};
 *   10 minutes of engine time by default) is a {@linkplain IngestOutcome.Duplicate duplicate}. An
 *   event whose {@code at} is older than that window is refused, so a resend can never slip past
 *   it. Otherwise {@code at} is checked, not used: an event counts when it arrives.</li>
 *   <li><b>exposure</b>: the unit's exposure to the variant counts once per flag version and
 *   variant (the version the PoP runs, or the latest before any PoP runs one; a PoP-local rollback
 *   counts as a new version): the same unit evaluated again counts once. The unit remembers the
 *   variant and the PoP. A unit exposed to another variant of the same flag before (moved by a
 *   rollback or a ramp) joins the new variant's moved cohort instead of its exposures.</li>
 *   <li><b>conversion</b>: counts, with its value, for every variant the unit was exposed to (the
 *   OpenFeature tracking model) and is still in (a unit moved to another variant of a flag counts
 *   for the new one only, in its moved cohort), at the PoP of its latest exposure; a unit never
 *   exposed (or forgotten) converts for no variant. A conversion named after an interaction
 *   ({@code view}, {@code hover}, {@code click}, {@code chat}, {@code add_to_cart}, {@code checkout})
 *   also feeds the unit's micro-metric triggers.</li>
 *   <li><b>latency</b>: a request's latency at a PoP, or its loss; an answer with a 5xx status is
 *   an error with a latency. The audience's own reports and CDN logs (what viewers were served)
 *   feed the PoP's windows, jitter and history; {@code source: probe} (the node's active probes)
 *   feeds the PoP's probe series instead, so the two can be drawn side by side. One that names its
 *   unit ({@code targetingKey}) also counts for every variant the unit is in, as a rehearsal's
 *   session's request does: a variant's latency and error rate (an answer with a 5xx status, or a
 *   loss, is an error), what latency-ratio guardrails judge.</li>
 *   <li><b>step</b>: one of a unit's interactions ({@code view}, {@code hover}, {@code click},
 *   {@code add-to-cart}, {@code checkout}, {@code chat}) for its micro-metric triggers alone: it
 *   counts for no variant, no PoP and no event total.</li>
 *   <li><b>chat</b>: read by the core ({@link ChatSentiment}: its language, its score when the
 *   scorer reads that language, its reactions with the emotes the platform marked, the emote
 *   valences its channel teaches). It counts for the show, and for every variant of its unit when
 *   it names one; it feeds the unit's triggers.</li>
 *   <li><b>checkout</b>: {@code started}, then {@code authorised}, or {@code queued} and later
 *   {@code reconciled}, once per checkout id. One that never reported {@code started} counts as
 *   attempted when it ends; one started and not ended yet is pending (in flight), not lost; a
 *   transition that cannot happen (reconciling one that is not queued, any event for a checkout that
 *   has ended) is refused ({@link CheckoutIntake}). The event that ends
 *   the decision ({@code authorised} or {@code queued}) may carry the app's stage times,
 *   {@code validateMs}, {@code enrichMs} and {@code actMs} (all three or none, 0 to 120000 ms each):
 *   they feed the core's {@linkplain DecisionBudget decision budget}.</li>
 * </ul>
 *
 * <p>Triggers fired for a unit come back in the outcome; the core charges them no decision time
 * (it reads no clock), so the node measures an action's latency from the event's arrival itself.
 *
 * <p>Engine thread only, like the core.
 *
 * <p>Over 350 lines, on purpose: one job, the keyed path, and a fifth of it is the contract above;
 * its checks, dedupe and unit memory each serve every kind of event.
 */
public final class KeyedIntake {
    private static final int MAX_EMOTES = 64;
    /** A unit's trigger state counts time in int ms; past this it starts afresh. */
    private static final long TRIGGER_SPAN_MILLIS = 20L * 24 * 60 * 60 * 1000;

    /**
     * The most one conversion may carry: far above any order, and low enough that no number of them
     * can sum a PoP's or a variant's revenue past what a double holds (it would read "Infinity").
     */
    public static final double MAX_CONVERSION_VALUE = 1e12;
    private static final Logger LOG = LoggerFactory.getLogger(KeyedIntake.class);
    private final EdgeCore core;
    private final EngineClock clock;
    private final IngestLimits limits;
    private final Experiments experiments;
    private final CheckoutIntake checkouts;
    private final Chat chat;
    private final TriggerEngine triggers;
    private final UnitTable units;
    private final EventIdWindow seen;
    /** The ids of events refused within the dedupe window, apart from {@link #seen}: a refused id never makes a duplicate. */
    private final EventIdWindow refusedIds;
    /** Whether {@link #refusedIds} is forgetting refusals before their window has passed (logged as it starts and ends). */
    private boolean refusalsFull;
    private final int defaultPop;
    private final Map<String, Long> accepted = new LinkedHashMap<>();
    private long duplicates;
    private long refused;
    /** Engine time of the events taken again after a restart, when each first arrived; never going back. */
    private long replayedAtMillis = Long.MIN_VALUE;
    private boolean replaying;
    /**
     * Engine time the event taken again after a restart was taken at live (no later than the core's now):
     * the recent windows (chat's minute, the decision budget's) count it only while it is not older
     * than they are, so they say what happened in their last seconds, not the whole log at the
     * restart's instant (a PoP's measures take it in its own tick). Totals count it all the same.
     */
    private long replayedEventMillis;
    /** What the scorer made of the chat message being accepted (engine thread; null for other kinds). */
    private ChatSentiment.Reading chatReading;
    /** What the exposure being accepted was to its arm (engine thread; null for other kinds). */
    private IngestOutcome.Exposure exposureKind;
    /**
     * Changes whenever {@link #isIn} may have changed for a paused variant: a unit entered or left
     * one, or was forgotten while in one. Written on the engine thread only; read by any.
     */
    private volatile long pausedPlacementChanges;

    /**
     * @param clock where an event's {@code at} (epoch ms) is placed on engine time: the wall clock
     *              the node advances the core by
     */
    public KeyedIntake(EdgeCore core, EngineClock clock, IngestLimits limits) {
        this.core = core;
        this.clock = clock;
        this.limits = limits;
        this.experiments = core.experiments();
        this.checkouts = new CheckoutIntake(core.checkouts(), core.pops(), limits.maxRememberedIds());
        this.chat = core.chat();
        this.triggers = core.triggers().orElse(null);
        this.units = new UnitTable(limits.maxUnits(), this::forgotten);
        this.seen = new EventIdWindow(limits.dedupeWindowMillis(), limits.maxRememberedIds());
        this.refusedIds = new EventIdWindow(limits.dedupeWindowMillis(), limits.maxRememberedIds());
        this.defaultPop = limits.defaultPop() == null ? 0 : core.pops().index(limits.defaultPop());
        for (String type : List.of("exposure", "conversion", "latency", "chat", "checkout", "step")) {
            accepted.put(type, 0L);
        }
    }

    /** Takes a batch in order. */
    public List<IngestOutcome> acceptAll(List<IngestEvent> events) {
        List<IngestOutcome> out = new ArrayList<>(events.size());
        for (IngestEvent e : events) {
            out.add(accept(e));
        }
        return out;
    }

    /** Takes one event: counted, a duplicate, or refused with the field at fault. */
    public IngestOutcome accept(IngestEvent event) {
        return accept(event, false, core.nowMillis());
    }

    /**
     * Takes one event that reached the node at {@code arrivalEpochMillis}: as {@link #accept}, with its
     * {@code at} held against the node's clock as it read at the event's arrival, so the same event is
     * judged the same when its batch is read back after a restart ({@link #acceptReplayed}).
     */
    public IngestOutcome accept(IngestEvent event, long arrivalEpochMillis) {
        return accept(event, false, clock.toEngineMillis(arrivalEpochMillis));
    }

    /**
     * Takes an event again from a node's own record of what it accepted, after a restart: as
     * {@link #accept(IngestEvent, long)}, its {@code at} held against the clock at its arrival, not now
     * (the core resumes at its journal's last record, which may be long before the event arrived), so
     * an event refused when it came (too far ahead, older than the dedupe window) is refused again and
     * one taken is taken again. Its unit's triggers, the chat and the decision budget see it when the
     * core took it live: at the start of the tick it arrived in, or in the later tick the journal places
     * it in ({@link EdgeCore#readBackTakenMillis}); no later than the core's now; and its PoP's measures in
     * that tick, within a read-back the core has started ({@link EdgeCore#startReadBack}).
     */
    public IngestOutcome acceptReplayed(IngestEvent event, long arrivalEpochMillis) {
        // its unit's triggers, chat and decisions see it when the core took it live (its arrival's tick, or the later
        // tick the journal places it in), not all of the log at the restart's instant
        replayedEventMillis = core.readBackTakenMillis(clock.toEngineMillis(arrivalEpochMillis));
        replayedAtMillis = Math.max(replayedAtMillis, replayedEventMillis);
        // and its PoP's measures in the second it came in
        core.readBackAt(replayedEventMillis);
        replaying = true;
        try {
            return accept(event, true, clock.toEngineMillis(arrivalEpochMillis));
        } finally {
            replaying = false;
        }
    }

    /**
     * {@code arrivedAt}: the engine time the event's {@code at} is judged against, and the time its id
     * is remembered from: so an id sent again after the dedupe window is new again when the log is read
     * back after a restart too, where every event is read at the restart's moment.
     */
    private IngestOutcome accept(IngestEvent event, boolean replayed, long arrivedAt) {
        String id = event == null ? null : event.id();
        try {
            if (event == null) {
                throw new Refusal("type", "an event is required", "event-required");
            }
            key("id", id);
            if (seen.contains(id, arrivedAt)) {
                duplicates++;
                return new IngestOutcome.Duplicate(id);
            }
            checkAt(event.at(), arrivedAt);
            chatReading = null;
            exposureKind = null;
            List<TriggerFiring> firings = switch (event) {
                case IngestEvent.Exposure e -> exposure(e, arrivedAt);
                case IngestEvent.Conversion c -> conversion(c);
                case IngestEvent.Latency l -> latency(l);
                case IngestEvent.Chat c -> chat(c, replayed);
                case IngestEvent.Checkout c -> checkout(c);
                case IngestEvent.Step s -> step(s);
            };
            seen.add(id, arrivedAt);
            accepted.merge(event.type(), 1L, Long::sum);
            return new IngestOutcome.Accepted(id, firings, chatReading, exposureKind);
        } catch (Refusal r) {
            refused++;
            return new IngestOutcome.Refused(id, r.field, r.getMessage(), r.code);
        }
    }

    /**
     * Whether a refusal, known by {@code refusal} (what its caller tells refusals apart by: the refused
     * event's id with the field and the refusal's code, so the same id refused for another fault is another
     * refusal), which reached the node at {@code arrivalEpochMillis}, is the first so known within the
     * dedupe window, remembering it if so: an event refused again for the same fault (its batch sent
     * again after a 503 or a lost answer, live or read back from the ingest log) is refused again and
     * counted as refused once. A refusal known by nothing (null, blank: its event has no id the core
     * would take) cannot be told apart from another, and is always the first. What refusals are known by
     * is held apart from the ids counted, so it never makes a later event a duplicate. Engine thread.
     */
    public boolean firstRefusal(String refusal, long arrivalEpochMillis) {
        if (refusal == null || refusal.isBlank() || refusal.length() > limits.maxIdChars()) {
            return true;
        }
        long at = clock.toEngineMillis(arrivalEpochMillis);
        if (refusedIds.contains(refusal, at)) {
            return false;
        }
        long forgotten = refusedIds.forgotten();
        refusedIds.add(refusal, at);
        boolean forgot = refusedIds.forgotten() > forgotten;
        if (forgot && !refusalsFull) {
            refusalsFull = true;
            LOG.warn("The node holds {} refusals, as many as it keeps for the dedupe window ({} bytes): from now the oldest"
                    + " is forgotten before its {} s, so an event refused then and sent again for the same fault counts as"
                    + " refused again (more than {} different events a second are being refused; the senders' refusals say why)",
                    String.format(Locale.ROOT, "%,d", limits.maxRememberedIds()), String.format(Locale.ROOT, "%,d",
                            refusedIds.bytes()), limits.dedupeWindowMillis() / 1000,
                    String.format(Locale.ROOT, "%,d", limits.maxRememberedIds() * 1000L / limits.dedupeWindowMillis()));
        } else if (refusalsFull && !forgot && roomAgain()) {
            refusalsFull = false;
            LOG.info("The node holds every refusal of its dedupe window again ({} forgotten early since it started)",
                    String.format(Locale.ROOT, "%,d", refusedIds.forgotten()));
        }
        return true;
    }

    /**
     * Whether the refusals' window, which this refusal has just joined without one forgotten (its caller checks that), has
     * room again: a tenth of its bound, at least one, still free. Only then does the node say it holds every refusal again:
     * a rate of refusals hovering at the bound, which frees a slot and fills it again, would otherwise say so every second
     * or two, and warn again each time. A bound of 1 cannot keep a slot free past a refusal: there the slot this one found
     * free (none forgotten for it) is room.
     */
    private boolean roomAgain() {
        int bound = limits.maxRememberedIds();
        int room = Math.max(1, bound / 10);
        return refusedIds.size() <= (bound > room ? bound - room : bound);
    }

    /**
     * Whether refusals are being forgotten before their dedupe window has passed: from the first forgotten early until a
     * refusal joins the window without one forgotten and leaves a tenth of its bound, at least one, free ({@link
     * #roomAgain}; the node logs both, once each).
     */
    boolean forgettingRefusals() {
        return refusalsFull;
    }

    /** Refusals forgotten to make room before their dedupe window had passed, since this was made ({@link #firstRefusal}). */
    public long refusalsForgottenEarly() {
        return refusedIds.forgotten();
    }

    /**
     * Why a number of an event is not taken, for each field checked against a range ({@code ms},
     * {@code value}, {@code validateMs}, {@code enrichMs}, {@code actMs}), the value {@code shown} as its
     * sender wrote it: by {@link #shown(double)} here, or by whoever read it as sent, for a number no
     * double holds ({@code 1e400}, which a double would hold only as infinity).
     */
    public static String outOfRange(String field, String shown) {
        return switch (field) {
            case "ms" -> "must be between 0 and 120000, was " + shown;
            case "value" -> "must be an amount from 0 to 1e12, was " + shown;
            case "validateMs", "enrichMs", "actMs" -> DecisionBudget.outOfRange(shown);
            default -> throw new IllegalArgumentException("no range for " + field);
        };
    }

    /** A number as its sender wrote it, for a refusal: -5 and 0, not -5.0 and 0.0; a fraction as read (12.5). */
    public static String shown(double n) {
        return n == Math.rint(n) && Math.abs(n) < 1e15 ? Long.toString((long) n) : Double.toString(n);
    }

    private void checkAt(Long at, long now) {
        if (at == null) {
            return;
        }
        if (at < 0) {
            throw new Refusal("at", "must be epoch milliseconds, was " + at, "at-negative");
        }
        long engineAt = clock.toEngineMillis(at);
        if (engineAt > now + limits.maxFutureSkewMillis()) {
            // The number changes with every send of the same event: the fault is known by its code.
            throw new Refusal("at", "is " + (engineAt - now) + " ms ahead of the node's clock (at most "
                    + limits.maxFutureSkewMillis() + " ms is taken)" + otherUnit(at, now), "at-ahead");
        }
        if (engineAt < now - limits.dedupeWindowMillis()) {
            // Its hint (another unit) depends on the node's clock too.
            throw new Refusal("at", "is older than the dedupe window of " + limits.dedupeWindowMillis() / 1000
                    + " s: a resend that old could not be told apart" + otherUnit(at, now), "at-too-old");
        }
    }

    /**
     * A hint when {@code at}, refused as epoch milliseconds, would have been taken read as epoch seconds,
     * microseconds or nanoseconds (a sender's unit mistake, {@code date +%s} the commonest), else "".
     */
    private String otherUnit(long at, long now) {
        record Unit(String name, long millis) {
        }
        for (Unit u : List.of(new Unit("seconds", at < Long.MAX_VALUE / 1000 ? at * 1000 : -1),
                new Unit("microseconds", at / 1000), new Unit("nanoseconds", at / 1_000_000))) {
            long engineAt = u.millis() < 0 ? Long.MIN_VALUE : clock.toEngineMillis(u.millis());
            if (engineAt >= now - limits.dedupeWindowMillis() && engineAt <= now + limits.maxFutureSkewMillis()) {
                return "; it looks like epoch " + u.name() + ": send epoch milliseconds";
            }
        }
        return "";
    }

    // ---------------------------------------------------------------- per type: check everything, then apply

    private List<TriggerFiring> exposure(IngestEvent.Exposure e, long arrivedAt) {
        String unitKey = key("targetingKey", e.targetingKey());
        int pop = pop(e.pop());
        String flagKey = key("flag", e.flag());
        FlagDefinition flag = experiments.registry().get(flagKey)
                .orElseThrow(() -> new Refusal("flag", "unknown flag '" + flagKey + "'", "unknown-flag"));
        String variant = key("variant", e.variant());
        if (flag.variantIndex(variant) < 0) {
            throw new Refusal("variant", "flag " + flagKey + " has no variant '" + variant + "'; it has "
                    + flag.variants().stream().map(Variant::name).toList(), "unknown-variant");
        }
        int f = experiments.flagIndexOf(flagKey);
        if (experiments.scopeExcludesPop(f, pop)) {
            // Served control by default, outside the flag's region or PoP: in neither arm.
            exposureKind = IngestOutcome.Exposure.OUT_OF_SCOPE;
            core.events().delivered();
            return List.of();
        }
        Arm arm = experiments.arm(flagKey, variant, true);
        UnitTable.Unit unit = units.touch(unitKey);
        unit.homePop = pop;
        int before = unit.armOf(f);
        if (before != arm.id() && (experiments.isPaused(arm.id()) || before >= 0 && experiments.isPaused(before))) {
            pausedPlacementChanges++;
        }
        switch (unit.expose(f, experiments.exposureStamp(f, pop), arm.id(), limits.maxArmsPerUnit())) {
            case COUNTED -> {
                experiments.expose(arm.id(), pop, arrivedAt);
                exposureKind = IngestOutcome.Exposure.COUNTED;
            }
            case MOVED -> {
                experiments.moveIn(arm.id());
                exposureKind = IngestOutcome.Exposure.MOVED;
            }
            case REPEAT -> exposureKind = IngestOutcome.Exposure.REPEAT;
        }
        core.events().delivered();
        return List.of();
    }

    private List<TriggerFiring> conversion(IngestEvent.Conversion c) {
        String unitKey = key("targetingKey", c.targetingKey());
        String name = key("name", c.name());
        Double value = c.value();
        if (value != null && !(value >= 0 && value <= MAX_CONVERSION_VALUE)) {
            throw new Refusal("value", outOfRange("value", shown(value)), "out-of-range");
        }
        UnitTable.Unit unit = units.touch(unitKey);
        core.pops().converted(unit.homePop >= 0 ? unit.homePop : defaultPop, value == null ? 0 : value);
        for (int i = 0; i < unit.armCount; i++) {
            if (unit.movedInto[i]) {
                experiments.convertMoved(unit.arms[i]);
            } else {
                experiments.convert(unit.arms[i], unit.homePop);
                if (value != null) {
                    experiments.addConversionValue(unit.arms[i], value);
                }
            }
        }
        core.events().delivered();
        if (triggers != null) {
            triggers.onConversion(triggerSession(unit));
        }
        return trigger(unit, interaction(name));
    }

    private List<TriggerFiring> latency(IngestEvent.Latency l) {
        if (l.pop() == null && LatencySource.of(l.source()) == LatencySource.PROBE) {
            // Put at the default PoP, it would be that PoP's probe series measuring something else.
            throw new Refusal("pop", "a probe measures one PoP: name it, one of " + core.config().popIds(), "probe-without-pop");
        }
        int pop = pop(l.pop());
        boolean lost = Boolean.TRUE.equals(l.lost());
        Double ms = l.ms();
        if (lost && ms != null) {
            throw new Refusal("ms", "a lost request has no latency: send ms, or lost true, not both", "lost-with-ms");
        }
        if (!lost && ms == null) {
            throw new Refusal("ms", "is required unless lost is true", "ms-required");
        }
        if (ms != null && !(ms >= 0 && ms <= 120_000)) {
            throw new Refusal("ms", outOfRange("ms", shown(ms)), "out-of-range");
        }
        Integer status = l.status();
        if (status != null && (status < 100 || status > 599)) {
            throw new Refusal("status", "must be an HTTP status from 100 to 599, was " + status, "status-out-of-range");
        }
        LatencySource source = l.source() == null ? LatencySource.AUDIENCE : LatencySource.of(l.source());
        if (source == null) {
            throw new Refusal("source", "must be audience, probe or cdn, was '" + l.source() + "'", "unknown-source");
        }
        String unitKey = l.targetingKey() == null ? null : key("targetingKey", l.targetingKey());
        if (unitKey != null && source == LatencySource.PROBE) {
            throw new Refusal("targetingKey", "a probe's request is no unit's: send targetingKey with audience or cdn latencies",
                    "probe-with-unit");
        }
        if (unitKey != null) {
            UnitTable.Unit unit = units.find(unitKey);
            boolean error = lost || status != null && status >= 500;
            for (int i = 0; unit != null && i < unit.armCount; i++) {
                experiments.request(unit.arms[i], lost ? 0 : ms, error);
            }
        }
        if (source == LatencySource.PROBE) {
            // A probe is the node's own request, not the audience's: its loss is the PoP's probe loss
            // (a target that refuses connections, say), never the show's lost events.
            if (lost) {
                core.pops().probeLost(pop);
            } else {
                core.pops().probed(pop, ms);
            }
            return List.of();
        }
        if (lost) {
            core.pops().lost(pop);
            core.events().lost();
        } else {
            if (status != null && status >= 500) {
                core.pops().failed(pop, ms);
            } else {
                core.pops().served(pop, ms);
            }
            core.events().delivered();
        }
        return List.of();
    }

    private List<TriggerFiring> chat(IngestEvent.Chat c, boolean replayed) {
        String text = c.text();
        if (text == null || text.isBlank()) {
            throw new Refusal("text", "is required", "required");
        }
        if (text.length() > limits.maxTextChars()) {
            throw new Refusal("text", "is longer than " + limits.maxTextChars() + " characters", "too-long");
        }
        String unitKey = c.targetingKey() == null ? null : key("targetingKey", c.targetingKey());
        optionalKey("channel", c.channel());
        optionalKey("user", c.user());
        if (c.emotes() != null) {
            if (c.emotes().size() > MAX_EMOTES) {
                throw new Refusal("emotes", "lists " + c.emotes().size() + " emotes; at most " + MAX_EMOTES, "too-many-emotes");
            }
            for (String emote : c.emotes()) {
                if (emote == null || emote.isBlank() || emote.length() > 64) {
                    throw new Refusal("emotes", "every emote is a name of 1 to 64 characters", "bad-emote");
                }
            }
        }
        List<String> marked = c.emotes() == null ? List.of() : c.emotes();
        // taken again after a restart, its emote evidence may be in the journal's publications already
        ChatSentiment.Reading reading = replayed ? chat.reread(c.channel(), text, marked) : chat.read(c.channel(), text, marked);
        chat.message(reading, eventMillis());
        chatReading = reading;
        core.events().delivered();
        if (unitKey == null) {
            return List.of();
        }
        UnitTable.Unit unit = units.touch(unitKey);
        for (int i = 0; i < unit.armCount; i++) {
            experiments.chat(unit.arms[i], unit.homePop, reading, eventMillis());
        }
        return trigger(unit, InteractionKind.CHAT);
    }

    private List<TriggerFiring> step(IngestEvent.Step s) {
        String unitKey = key("targetingKey", s.targetingKey());
        String name = key("name", s.name());
        InteractionKind kind = interaction(name);
        if (kind == null) {
            throw new Refusal("name", "unknown step '" + name + "'; one of view, hover, click, add-to-cart, checkout, chat",
                    "unknown-step");
        }
        return trigger(units.touch(unitKey), kind);
    }

    private List<TriggerFiring> checkout(IngestEvent.Checkout c) {
        boolean timed = stageTimes(c);
        checkouts.accept(key("checkoutId", c.checkoutId()), pop(c.pop()), c);
        if (timed) {
            core.decisions().record(eventMillis(), c.validateMs(), c.enrichMs(), c.actMs());
        }
        core.events().delivered();
        return List.of();
    }

    /** Checks a checkout's stage times: all three or none, each a time the budget takes. @return true when given */
    private static boolean stageTimes(IngestEvent.Checkout c) {
        Double[] times = {c.validateMs(), c.enrichMs(), c.actMs()};
        String[] fields = {"validateMs", "enrichMs", "actMs"};
        int given = 0;
        for (Double t : times) {
            given += t == null ? 0 : 1;
        }
        if (given == 0) {
            return false;
        }
        for (int i = 0; i < times.length; i++) {
            if (times[i] == null) {
                throw new Refusal(fields[i], "is required with the other stage times: send validateMs, enrichMs and actMs, or none",
                        "stage-times-partial");
            }
            String problem = DecisionBudget.problem(times[i]);
            if (problem != null) {
                throw new Refusal(fields[i], problem, "stage-time-invalid");
            }
        }
        CheckoutState state = CheckoutState.of(c.state());
        if (state == CheckoutState.STARTED || state == CheckoutState.RECONCILED) {
            throw new Refusal("state", "stage times belong on the event that ends the decision, authorised or queued, not "
                    + c.state(), "stage-times-misplaced");
        }
        return true;
    }

    // ---------------------------------------------------------------- helpers

    /** The PoP an event that names none is counted at. */
    public String defaultPop() {
        return core.config().popIds().get(defaultPop);
    }

    /**
     * Whether any of {@code events} would reach the triggers, which compare a session's event times to
     * the millisecond: a step, a conversion or a unit's chat message, on a core with triggers
     * ({@link EdgeCore#applyingIngestRecord(long, long, boolean)}). One the core refuses is counted
     * all the same: this does not check events.
     */
    public boolean triggersSee(List<IngestEvent> events) {
        if (triggers == null) {
            return false;
        }
        for (IngestEvent e : events) {
            if (e instanceof IngestEvent.Step || e instanceof IngestEvent.Conversion
                    || e instanceof IngestEvent.Chat c && c.targetingKey() != null) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether a unit (by its key) is counted in {@code variant} of {@code flag}: exposed to it, or
     * moved into it, and still remembered. A lookup, not the unit's activity: it leaves the unit's
     * place among the least recently active as it was, as a restart's replay of the events does. Engine thread.
     */
    public boolean isIn(String unitKey, String flag, String variant) {
        UnitTable.Unit unit = units.peek(unitKey);
        Arm arm = experiments.arm(flag, variant, false);
        if (unit == null || arm == null) {
            return false;
        }
        // The arm its exposures to this flag were last counted under: what moves it, what a repeat checks.
        int f = experiments.flagIndexOf(flag);
        return f >= 0 && unit.armOf(f) == arm.id();
    }

    /**
     * A count that changes whenever {@link #isIn} may have changed for a variant paused at the time:
     * a unit entered or left one, or was forgotten while in one. Which variants are paused is not in
     * it (the flag snapshot's stamp changes with that). Any thread.
     */
    public long pausedPlacementChanges() {
        return pausedPlacementChanges;
    }

    /** A unit forgotten while in a paused variant is in it no more. */
    private void forgotten(UnitTable.Unit unit) {
        for (int arm : unit.countedArm) {
            if (arm >= 0 && experiments.isPaused(arm)) {
                pausedPlacementChanges++;
                return;
            }
        }
    }

    /**
     * Whether taking {@code e} would change what is counted: false when it repeats the arm and
     * version its unit's exposures to the flag are counted under, or its PoP is outside the flag's
     * scope; true otherwise, a refusal included. Decided by the unit's state, not the event's id,
     * so a unit served one arm, then another, then the first again within the dedupe window moves
     * each time. Engine thread; changes nothing, not even the unit's place among the least recently
     * active (a restart's replay makes no such lookups).
     */
    public boolean wouldCount(IngestEvent.Exposure e) {
        try {
            String unitKey = key("targetingKey", e.targetingKey());
            int pop = pop(e.pop());
            int f = experiments.flagIndexOf(e.flag());
            if (f < 0) {
                return true;
            }
            if (experiments.scopeExcludesPop(f, pop)) {
                return false;
            }
            Arm arm = experiments.arm(e.flag(), e.variant(), false);
            UnitTable.Unit unit = units.peek(unitKey);
            return arm == null || unit == null || !unit.counted(f, experiments.exposureStamp(f, pop), arm.id());
        } catch (Refusal r) {
            return true;
        }
    }

    private String key(String field, String value) {
        if (value == null || value.isBlank()) {
            throw new Refusal(field, "is required", "required");
        }
        if (value.length() > limits.maxIdChars()) {
            throw new Refusal(field, "is longer than " + limits.maxIdChars() + " characters", "too-long");
        }
        return value;
    }

    private void optionalKey(String field, String value) {
        if (value != null) {
            key(field, value);
        }
    }

    private int pop(String id) {
        if (id == null) {
            return defaultPop;
        }
        int pop = core.pops().find(id);
        if (pop < 0) {
            throw new Refusal("pop", "unknown PoP '" + id + "'; this node has " + core.config().popIds(), "unknown-pop");
        }
        return pop;
    }

    /** The interaction a conversion's name stands for, or null. */
    private static InteractionKind interaction(String name) {
        String normal = name.toUpperCase(Locale.ROOT).replace('-', '_');
        for (InteractionKind k : InteractionKind.values()) {
            if (k.name().equals(normal)) {
                return k;
            }
        }
        return null;
    }

    private List<TriggerFiring> trigger(UnitTable.Unit unit, InteractionKind kind) {
        if (triggers == null || kind == null) {
            return List.of();
        }
        return triggers.onInteraction(triggerSession(unit), kind, unit.nextInteraction++, interactionMillis(), 0);
    }

    /** When the event being taken happened: now, or, for one taken again after a restart, when it came. */
    private long eventMillis() {
        return replaying ? replayedEventMillis : core.nowMillis();
    }

    /** When an interaction happened for the triggers: now, or, for an event taken again after a restart, when it came. */
    private long interactionMillis() {
        return replaying ? replayedAtMillis : core.nowMillis();
    }

    /** The unit's trigger session, begun afresh when it has none or it grew too old. */
    private io.edgedeck.engine.triggers.SessionTriggerState triggerSession(UnitTable.Unit unit) {
        long now = interactionMillis();
        if (unit.triggers == null || now - unit.triggers.startedAtMillis() > TRIGGER_SPAN_MILLIS) {
            unit.triggers = triggers.newSession(now);
        }
        return unit.triggers;
    }

    // ---------------------------------------------------------------- read-out

    /**
     * What the keyed path took so far.
     *
     * @param accepted   events counted, per type (exposure, conversion, latency, chat, checkout)
     * @param duplicates events counted once already
     * @param refused    events refused
     * @param units      units remembered now
     */
    public record Counts(Map<String, Long> accepted, long duplicates, long refused, int units) {
        public Counts {
            accepted = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(accepted));
        }
    }

    public Counts counts() {
        return new Counts(accepted, duplicates, refused, units.size());
    }
}
