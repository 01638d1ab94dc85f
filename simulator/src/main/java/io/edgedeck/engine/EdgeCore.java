package io.edgedeck.engine;

import io.edgedeck.client.model.EncoderHealth;
import io.edgedeck.client.model.MetricsFrame;
import io.edgedeck.client.model.ShowState;
import io.edgedeck.engine.chat.Chat;
import io.edgedeck.engine.checkouts.Checkouts;
import io.edgedeck.engine.decisions.DecisionBudget;
import io.edgedeck.engine.experiments.Experiments;
import io.edgedeck.engine.flags.FlagDefinition;
import io.edgedeck.engine.frames.FrameAssembler;
import io.edgedeck.engine.guardrails.Guardrails;
import io.edgedeck.engine.journal.AtIngestJournal;
import io.edgedeck.engine.journal.DurableState;
import io.edgedeck.engine.journal.Journal;
import io.edgedeck.engine.journal.JournalRecord;
import io.edgedeck.engine.pops.EventTally;
import io.edgedeck.engine.pops.Pops;
import io.edgedeck.engine.time.EngineClock;
import io.edgedeck.engine.timeline.Timeline;
import io.edgedeck.engine.triggers.TriggerEngine;
import io.edgedeck.engine.triggers.TriggerLimits;

import java.util.List;
import java.util.Optional;

/**
 * The edge core: what the edge decides and measures, from observations and operator commands only.
 * It never draws a latency or invents a session; producers tell it what happened.
 *
 * <h2>Parts, one job each</h2>
 * <ul>
 *   <li>{@link #pops()}: latency windows, RFC 3550 jitter, history and health per PoP;</li>
 *   <li>{@link #experiments()}: flags and bucketing, and exposures, conversions and chat per variant;</li>
 *   <li>{@link #checkouts()}: checkouts completed, queued and reconciled;</li>
 *   <li>{@link #chat()}: the show's chat, read and scored; {@link #events()}: audience events delivered or lost;</li>
 *   <li>{@link #triggers()}: micro-metric triggers per unit; {@link #guardrails()}: rules over variants;</li>
 *   <li>{@link #decisions()}: how long checkouts and triggered actions took per stage, against their budget;</li>
 *   <li>{@link #journal()} and {@link #timeline()}: what changed; {@link #frame}: the metrics frame.</li>
 * </ul>
 *
 * <h2>Two ways in</h2>
 * An in-process producer (the simulated edge) calls the parts directly with PoP and arm indexes:
 * no lookup and no allocation per event. A live node takes events keyed by string ids through
 * {@link io.edgedeck.engine.ingest.KeyedIntake}, which resolves them and feeds the same parts.
 *
 * <h2>Time and threads</h2>
 * Single-threaded and deterministic: only the engine thread calls it, and time is what its caller
 * says ({@link #advance()} one tick, or {@link #advanceTo} a clock). Opened on a journal that has
 * records, it applies them in order and resumes at the last one's time.
 */
public final class EdgeCore {
    /** Source checkouts started and not yet ended that the core remembers. */
    private static final int MAX_OPEN_CHECKOUTS = 100_000;

    private final CoreConfig config;
    private final Journal journal;
    private final Pops pops;
    private final EventTally events = new EventTally();
    private final Experiments experiments;
    private final Guardrails guardrails;
    private final Checkouts checkouts;
    private final Chat chat;
    private final TriggerEngine triggers;
    private final DecisionBudget decisions = new DecisionBudget();
    private final Timeline timeline;
    private final FrameAssembler frames;
    private long nowMillis;
    /** True once a tick has ended in this process. */
    private boolean ticked;
    /** Engine time the PoPs' own ticks have reached while a live node's ingest log is read back; -1 otherwise. */
    private long readBackMillis = -1;
    /**
     * The journal's records that say how an event is counted, held back until a live node's ingest
     * log is read back ({@link #EdgeCore(CoreConfig, Journal, boolean)}), in journal order.
     */
    private final java.util.ArrayDeque<JournalRecord> heldBack = new java.util.ArrayDeque<>();
    /** The engine time the PoPs' flag versions were last brought to while held-back records were applied. */
    private long heldBackRefreshMillis = Long.MIN_VALUE;
    /**
     * The engine time of the last held-back record placed by its {@link JournalRecord#ingestApplied}:
     * the ingest log records read back after it were applied live no earlier than its tick.
     */
    private long placedMillis = Long.MIN_VALUE;
    /** The first held-back record with an ingest position, or null: the records without one before it go no later. */
    private JournalRecord firstPlaced;
    /**
     * On a live node, how many ingest log records the core has applied (engine thread): written with
     * each change ({@link AtIngestJournal}); negative until the node says.
     */
    private long ingestApplied = -1;
    /** The tick of the last apply tick journaled without a force ({@link #applyingIngestRecord}); engine thread. */
    private long unforcedPlacedMillis = Long.MIN_VALUE;
    /**
     * On a live node, the tick a restart reading the ingest log back places the last record the core
     * applied in ({@link #applyingIngestRecord}): its arrival's, or later. Engine thread.
     */
    private long ingestPlacedMillis = Long.MIN_VALUE;
    /** A live node's journal as the core writes it (the changes carry their ingest position), or null. */
    private final AtIngestJournal atIngest;
    /** The engine time of the last record of the journal the core was opened on. */
    private long restoredMillis;

    public EdgeCore(CoreConfig config, Journal journal) {
        this(config, journal, false);
    }

    /**
     * A core opened on {@code journal}. With {@code readBackFollows} (a live node, whose ingest log is
     * read back next: {@link #startReadBack}) the journal's flag changes, pauses, PoP rollbacks,
     * guardrail arming and firings and the rest of its audit trail made after the show's start are
     * held back and applied in their order as the read-back reaches their engine time
     * ({@link #readBackAt}), so every event read back is counted against the flags as they were when
     * it came, as it was counted then; the core's time is the last record's all the same.
     */
    public EdgeCore(CoreConfig config, Journal journal, boolean readBackFollows) {
        this.config = config;
        this.atIngest = readBackFollows ? new AtIngestJournal(journal, () -> ingestApplied) : null;
        this.journal = readBackFollows ? atIngest : journal;
        this.pops = new Pops(config.pops(), config.noDataAfterMillis());
        this.experiments = new Experiments(config.pops(), config.regions(), this.journal);
        this.guardrails = new Guardrails(config.guardrails(), experiments, this.journal);
        guardrails.baselines(pops::fleetBaselineP95Ms);
        this.checkouts = new Checkouts(config.popIds(), this.journal, this::nowMillis, MAX_OPEN_CHECKOUTS);
        this.chat = new Chat(this.journal, this::nowMillis);
        this.triggers = config.triggers().isEmpty() ? null : new TriggerEngine(config.triggers(), TriggerLimits.DEFAULT);
        this.timeline = new Timeline(experiments);
        // a flag keeps the type its declaration gives it, whatever older changes in the journal did to it
        config.flags().forEach(experiments.registry()::declare);
        if (journal.nextSeq() == 1) {
            journal.append(new JournalRecord.ShowStarted(journal.nextSeq(), 0, config.name(), config.seed(), config.showDocument()));
        } else {
            restoreFrom(journal.records(), readBackFollows);
        }
        pops.startAt(nowMillis);
        boolean flagsHeldBack = heldBack.stream().anyMatch(EdgeCore::mayCreateFlag);
        if (experiments.flagCount() == 0 && !flagsHeldBack) {
            for (FlagDefinition f : config.flags()) {
                experiments.create(f, config.configuredBy(), config.flagsSetUpReason(), nowMillis);
            }
        }
        guardrails.prepare();
        // A rule may watch a flag or variant that appears only later (an operator creates it).
        experiments.registry().subscribe((command, entry) -> guardrails.prepare());
        experiments.refresh(nowMillis);
        this.frames = new FrameAssembler(config.name(), config.seed(), this::nowMillis, pops, checkouts, events, chat,
                experiments, guardrails, triggers, timeline);
    }

    /**
     * Rebuilds the durable state a journal records (queued checkouts, flags, guardrail states, the
     * audit trail) by applying its records in order, and resumes engine time at the last one.
     * Nothing is journaled twice. Fault records belong to the producer that wrote them.
     */
    private void restoreFrom(List<JournalRecord> records, boolean holdBack) {
        for (JournalRecord r : records) {
            nowMillis = Math.max(nowMillis, r.atMillis());
            restoredMillis = nowMillis;
            // A change made at engine time 0 after ingest records were applied is held back all the same.
            if (holdBack && countsAgainst(r) && (r.atMillis() > 0 || placedAfterIngest(r) || !heldBack.isEmpty())) {
                heldBack.add(r);
            } else {
                restore(r);
            }
        }
        nowMillis = (nowMillis + config.tickMillis() - 1) / config.tickMillis() * config.tickMillis();
        experiments.refresh(nowMillis);
        firstPlaced = heldBack.stream().filter(r -> r.ingestApplied() != null).findFirst().orElse(null);
    }

    /**
     * Whether a record says how an event is counted (what a flag serves where, paused variants,
     * PoP-local rollbacks, several of those as one) or is part of the audit trail their entries share
     * (guardrail arming and firings, audited actions), whose order it keeps.
     */
    private static boolean countsAgainst(JournalRecord r) {
        return switch (r) {
            case JournalRecord.FlagChanged f -> true;
            case JournalRecord.VariantPaused v -> true;
            case JournalRecord.VariantRolledBackAt v -> true;
            case JournalRecord.VariantRollbackCleared v -> true;
            case JournalRecord.Audited a -> true;
            case JournalRecord.GuardrailArmed g -> true;
            case JournalRecord.GuardrailFired g -> true;
            case JournalRecord.ActionsApplied a -> true;
            case JournalRecord.ControlApplied c -> true;
            // the tick the core applied an ingest log record in, later than its arrival's
            case JournalRecord.ShowClock c -> c.ingestApplied() != null;
            default -> false;
        };
    }

    private static boolean placedAfterIngest(JournalRecord r) {
        return r.ingestApplied() != null && r.ingestApplied() > 0;
    }

    /** Whether a held-back record may create a flag: then the flags the config sets up are not created again. */
    private static boolean mayCreateFlag(JournalRecord r) {
        return switch (r) {
            case JournalRecord.FlagChanged f -> f.command() instanceof io.edgedeck.engine.flags.FlagCommand.Create;
            case JournalRecord.ActionsApplied a -> a.steps().stream().anyMatch(s -> s.flag() != null);
            case JournalRecord.ControlApplied c -> c.steps().stream().anyMatch(s -> s.flag() != null);
            default -> false;
        };
    }

    /** Applies one journal record again, without journaling it. */
    private void restore(JournalRecord r) {
        switch (r) {
            case JournalRecord.ShowStarted s -> {
                if (!s.scenario().equals(config.name())) {
                    throw new IllegalArgumentException("the journal is of show '" + s.scenario()
                            + "', not '" + config.name() + "'");
                }
            }
            case JournalRecord.FaultApplied f -> {
            }
            case JournalRecord.FaultLifted f -> {
            }
            // a cue fired by hand is the rehearsal's: its show fires it again on a replay and puts it back on a restart
            case JournalRecord.EncoderFaulted e -> {
            }
            case JournalRecord.CueFired c -> {
            }
            case JournalRecord.CheckoutQueued c -> checkouts.replay(c);
            case JournalRecord.CheckoutsReconciled c -> checkouts.replay(c);
            case JournalRecord.CheckoutsState c -> checkouts.replay(c);
            case JournalRecord.FlagChanged f -> experiments.replay(f);
            case JournalRecord.VariantPaused v -> experiments.replay(v);
            case JournalRecord.VariantRolledBackAt v -> experiments.replay(v);
            case JournalRecord.VariantRollbackCleared v -> experiments.replay(v);
            case JournalRecord.Audited a -> experiments.replay(a);
            case JournalRecord.GuardrailArmed g -> guardrails.replay(g);
            case JournalRecord.GuardrailFired g -> guardrails.replay(g);
            case JournalRecord.EmoteValencesLearned e -> chat.replay(e);
            case JournalRecord.ShowClock c -> {
            }
            // the node's approval lanes read their requests back themselves
            case JournalRecord.RequestChanged c -> {
            }
            case JournalRecord.ActionsApplied a -> applyActions(a, false);
            case JournalRecord.ControlApplied c -> applyControl(c, false);
            // the node's playbooks and schedule read their records back themselves
            case JournalRecord.PlaybookSaved p -> {
            }
            case JournalRecord.ScheduleChanged c -> {
            }
            // the node's Idempotency-Keys: it reads them back itself
            case JournalRecord.IdempotencyKey k -> {
            }
            case JournalRecord.IdempotencyAnswer a -> {
            }
        }
    }

    // ---------------------------------------------------------------- time

    /**
     * Ends the tick in progress: the emote valences chat taught are published, each PoP's health
     * for the tick is set, then time moves on one tick; at the end of an engine second the
     * guardrails see the second that just ended before the windows and the history roll; then each
     * PoP takes the flag versions that have reached it.
     */
    public void advance() {
        if (readBackMillis >= 0 || !heldBack.isEmpty()) {
            throw new IllegalStateException("the ingest log is being read back: end it before the core ticks");
        }
        ticked = true;
        int tick = config.tickMillis();
        chat.tick(nowMillis);
        pops.endTick(nowMillis, tick);
        nowMillis += tick;
        if (nowMillis % 1000 == 0) {
            guardrails.evaluate(nowMillis);
            experiments.rollSecond();
            pops.rollSecond(nowMillis / 1000 - 1, nowMillis);
        }
        experiments.refresh(nowMillis);
    }

    /**
     * Starts reading a live node's ingest log back, before the core's first tick: each PoP's measures
     * (latency windows, jitter, history rows, health, baseline, cost bands) go back to engine time 0,
     * where a node that never stopped began them, and end their own ticks and seconds up to each
     * event's arrival ({@link #readBackAt}), so every event read back is in the second it arrived in.
     * The rest of the core stays at {@link #nowMillis()}. Engine thread, before the node serves.
     */
    public void startReadBack() {
        if (ticked) {
            throw new IllegalStateException("an ingest log is read back before the core's first tick");
        }
        pops.startAt(0);
        readBackMillis = 0;
    }

    /**
     * The engine time an ingest log record that arrived at {@code arrivalMillis} and is read back next
     * was taken at live, as far as the journal says: the start of its arrival's tick (live, the core
     * takes a record between ticks, and what sees its events sees that tick's time), or, when later, the tick of the last
     * record placed before it by its ingest position (a change, or the tick the core applied an ingest
     * log record in: the core took this one no sooner). No later than now. Outside a read-back, its
     * arrival.
     */
    public long readBackTakenMillis(long arrivalMillis) {
        // Live, the core takes a record between two ticks: its events are at the start of the tick it is in.
        long arrivalTick = Math.floorDiv(arrivalMillis, config.tickMillis()) * config.tickMillis();
        return Math.min(nowMillis, Math.max(arrivalTick, placedMillis));
    }

    /**
     * Ends the PoPs' ticks up to the one holding engine time {@code atMillis} (no later than now), the
     * arrival of the event read back next. An event older than the tick reached (arrivals a few ms out
     * of order) is in that tick. Outside a read-back ({@link #startReadBack}) the PoPs are where the
     * core's ticks put them, and this does nothing.
     */
    public void readBackAt(long atMillis) {
        if (readBackMillis < 0) {
            return;
        }
        // Applied live after a change placed among the records read back, so no earlier than its tick.
        atMillis = Math.max(atMillis, placedMillis);
        applyHeldBack(atMillis);
        int tick = config.tickMillis();
        long to = Math.min(atMillis, nowMillis);
        // Nothing is observed from the end of the tick the last event read back is in up to this event:
        // whole seconds in which every PoP has settled are closed at once, the other ticks a second at a time.
        while (readBackMillis + tick <= to) {
            if (readBackMillis % 1000 == 0) {
                long closed = pops.closeSettledSeconds(readBackMillis, (to - readBackMillis) / 1000);
                if (closed > 0) {
                    readBackMillis += closed * 1000;
                    continue;
                }
            }
            long ticks = Math.min((1000 - readBackMillis % 1000) / tick, (to - readBackMillis) / tick);
            pops.endTicks(readBackMillis, tick, ticks);
            readBackMillis += ticks * tick;
            if (readBackMillis % 1000 == 0) {
                pops.rollSecond(readBackMillis / 1000 - 1, readBackMillis);
            }
        }
    }

    /**
     * The ingest log record {@code ordinal} (0 for the first) is read back next: the held-back records
     * the core made live after applying that many records and before this one
     * ({@link JournalRecord#ingestApplied} at most {@code ordinal}) are applied first, in journal order,
     * each after the PoPs' flag versions are brought to its tick as they were when it was made. A record
     * without that field (a journal written before it) waits for its engine time ({@link #readBackAt}).
     */
    public void readBackRecord(long ordinal) {
        if (readBackMillis < 0) {
            return;
        }
        while (!heldBack.isEmpty() && placedBy(ordinal)) {
            JournalRecord next = heldBack.peekFirst();
            long tickStart = Math.floorDiv(next.atMillis(), config.tickMillis()) * config.tickMillis();
            if (tickStart > heldBackRefreshMillis) {
                heldBackRefreshMillis = tickStart;
                experiments.refresh(tickStart);
            }
            restore(heldBack.pollFirst());
            placedMillis = Math.max(placedMillis, next.atMillis());
        }
    }

    /**
     * Whether the first held-back record is to be applied before ingest log record {@code ordinal}:
     * it, or a record after it without a position in between (one written before positions were, which
     * keeps its journal order), was made live before the core applied that record.
     */
    private boolean placedBy(long ordinal) {
        JournalRecord next = heldBack.peekFirst();
        JournalRecord placed = next.ingestApplied() != null ? next : firstPlaced;
        return placed != null && placed.ingestApplied() <= ordinal;
    }

    /**
     * How many ingest log records the core has applied, as a live node's intake says after its
     * read-back and as it applies each record since (engine thread): the changes the core journals
     * from now on carry it ({@link JournalRecord#ingestApplied}).
     */
    public void ingestApplied(long records) {
        this.ingestApplied = records;
    }

    /**
     * A live node's core is about to apply ingest log record {@code ordinal}, which arrived at engine
     * time {@code arrivalMillis} (engine thread, before {@link #ingestApplied} counts it). A restart
     * reading the log back places a record in its arrival's tick, or in the one the record before it
     * went to if that is later, but no later than the tick of the journal's last record, where the
     * restarted core resumes. When the core is in a later tick than that now (the record's fsync, or
     * its wait for the engine, outlasted a tick; or the show has journaled nothing since some ticks
     * before the record arrived) and the difference changes how the record counts, the
     * tick is journaled first ({@link JournalRecord.ShowClock#ingestApplied}), so the read-back counts
     * the record in this tick too: the tick is in another second (another history row, and that
     * second's bands and counts), or a PoP took a new flag version after the placed tick. Otherwise
     * nothing is written: read back in an earlier tick of the same second, at the same versions, the
     * record counts as it did live. A change made live in between (a flag change, a pause, a PoP-local
     * rollback, a firing) needs no more: it is journaled with its ingest position, so the read-back
     * makes it before this record and places the record no earlier than its tick; and the version a PoP
     * takes from it shows here as a version taken. That keeps this write, which is forced to the
     * device, off nearly every tick under sustained ingest.
     *
     * @throws io.edgedeck.engine.journal.JournalUnavailableException when that record could not be
     *                                                                written: the caller must not apply the record now
     */
    public void applyingIngestRecord(long ordinal, long arrivalMillis) {
        applyingIngestRecord(ordinal, arrivalMillis, false);
    }

    /**
     * As {@link #applyingIngestRecord(long, long)}, for a record that holds events the triggers see
     * ({@code triggersSee}: a step, a conversion, a unit's chat message, on a core with triggers). A
     * trigger compares the times of a session's events to the millisecond, so such a record applied
     * in a later tick than a restart would place it, even in the same second at the same versions,
     * would let a window hold after a restart what it did not hold live, and a trigger fire (or not)
     * where it did not. The tick is journaled for it too, without a force of its own
     * ({@link Journal#appendUnforced}): the next forced write of the journal makes it durable, and a
     * process killed before that keeps it (the system holds it). Lost with the machine before then,
     * the record is read back in its arrival's tick, as it would be without it; nothing acknowledged
     * rests on it: a restart's other placements do not count on it ({@link #resumedMillis} reads forced
     * records only), a fleet node publishes it only with the forced write that covers it, and a snapshot
     * forces the journal first. One that cannot be written is left out the same way.
     */
    public void applyingIngestRecord(long ordinal, long arrivalMillis, boolean triggersSee) {
        long tick = config.tickMillis();
        long placed = Math.max(Math.floorDiv(arrivalMillis, tick) * tick, ingestPlacedMillis);
        // A restart resumes the core at the journal's last record, and reads no record back in a later tick.
        long readBack = Math.min(placed, resumedMillis());
        if (nowMillis > readBack && placingMatters(readBack)) {
            journal.append(new JournalRecord.ShowClock(journal.nextSeq(), nowMillis, ordinal));
            placed = nowMillis;
        } else if (nowMillis > readBack && triggersSee && triggers != null) {
            if (unforcedPlacedMillis == nowMillis) {
                // This tick is journaled already, for a record applied before this one in it: read back, this record
                // goes no earlier than that one, so there too. That tick's record is lost only with every record
                // written unforced after it, this one's with it: one per tick says what one per record would.
                placed = nowMillis;
            } else {
                try {
                    journal.appendUnforced(new JournalRecord.ShowClock(journal.nextSeq(), nowMillis, ordinal));
                    placed = nowMillis;
                    unforcedPlacedMillis = nowMillis;
                } catch (io.edgedeck.engine.journal.JournalUnavailableException e) {
                    // read back in its arrival's tick, as a record written before this one was
                }
            }
        }
        ingestPlacedMillis = placed;
    }

    /**
     * The tick a restart would resume the core at, by the journal written so far: its last record's
     * (the show journals its clock about once a wall second, so a node stopped or killed now may have
     * journaled nothing since several ticks). Records the node writes past the core's journal may make
     * it later; never earlier, so a record this judges to need its tick journaled may not, never the
     * reverse.
     */
    private long resumedMillis() {
        long last = Math.max(restoredMillis, atIngest == null ? Long.MIN_VALUE : atIngest.writtenMillis());
        return Math.ceilDiv(last, config.tickMillis()) * (long) config.tickMillis();
    }

    /**
     * Whether a record counted now would count otherwise in the earlier tick {@code placedMillis}: in
     * another second, or at a flag version some PoP took after it.
     */
    private boolean placingMatters(long placedMillis) {
        return Math.floorDiv(placedMillis, 1000) != Math.floorDiv(nowMillis, 1000)
                || experiments.versionTakenAtMillis() > placedMillis;
    }

    /** Ends the read-back: the PoPs' ticks reach the core's now, and from here on the core's ticks move them. */
    public void endReadBack() {
        readBackRecord(Long.MAX_VALUE);
        readBackAt(nowMillis);
        readBackMillis = -1;
        while (!heldBack.isEmpty()) {
            restore(heldBack.pollFirst());
        }
        experiments.refresh(nowMillis);
    }

    /**
     * Applies the journal's held-back records made before an event read back next, which came at
     * engine time {@code atMillis}, as the event met them live: the engine took it between two ticks,
     * in the tick holding {@code atMillis}, where each PoP ran the flag versions that had reached it
     * as that tick began, with every pause, PoP-local rollback and change made until then. A change
     * made in that same tick (engine time is kept to the tick) is taken as made before the event.
     */
    private void applyHeldBack(long atMillis) {
        long tickStart = Math.floorDiv(atMillis, config.tickMillis()) * config.tickMillis();
        applyHeldBackBefore(tickStart);
        if (tickStart > heldBackRefreshMillis) {
            heldBackRefreshMillis = tickStart;
            experiments.refresh(tickStart);
        }
        applyHeldBackBefore(atMillis + 1);
    }

    /**
     * Applies, in journal order, the held-back records made before engine time {@code beforeMillis} that
     * carry no ingest position; one that does waits for its place among the records ({@link #readBackRecord}).
     */
    private void applyHeldBackBefore(long beforeMillis) {
        while (!heldBack.isEmpty() && heldBack.peekFirst().ingestApplied() == null
                && heldBack.peekFirst().atMillis() < beforeMillis) {
            restore(heldBack.pollFirst());
        }
    }

    /** Ends every tick the clock has passed. @return how many */
    public int advanceTo(EngineClock clock) {
        long target = clock.nowMillis();
        int ticks = 0;
        while (nowMillis + config.tickMillis() <= target) {
            advance();
            ticks++;
        }
        return ticks;
    }

    public long nowMillis() {
        return nowMillis;
    }

    public int tickMillis() {
        return config.tickMillis();
    }

    public int ticksPerSecond() {
        return 1000 / config.tickMillis();
    }

    // ---------------------------------------------------------------- parts

    public CoreConfig config() {
        return config;
    }

    public Pops pops() {
        return pops;
    }

    public EventTally events() {
        return events;
    }

    public Experiments experiments() {
        return experiments;
    }

    public Guardrails guardrails() {
        return guardrails;
    }

    public Checkouts checkouts() {
        return checkouts;
    }

    public Chat chat() {
        return chat;
    }

    /** The micro-metric triggers; empty when the show has no trigger rules. */
    public Optional<TriggerEngine> triggers() {
        return Optional.ofNullable(triggers);
    }

    public Timeline timeline() {
        return timeline;
    }

    /** The decision budget: the stage times producers report for checkouts and triggered actions. */
    public DecisionBudget decisions() {
        return decisions;
    }

    /**
     * Puts a change to the show that is not a fault (a surge of arrivals, a shift in chat mood) on
     * the timeline, so every cue has its mark. Engine thread.
     */
    public void noteAudienceChange(String label, String origin) {
        timeline.add(new io.edgedeck.client.model.ShowEvent(nowMillis(), "audience", label, null, null, origin));
    }

    public Journal journal() {
        return journal;
    }

    /**
     * A count that moves with every change the next frame would show that time did not make: every
     * record journaled (a flag change, a kill, arming, a rollback, a fault) and every event a producer
     * adds to the timeline (an audience cue). Equal counts, no such change between them. Engine thread.
     */
    public long changeCount() {
        return journal.nextSeq() + timeline.eventsAdded();
    }

    /**
     * Makes several changes as one ({@link JournalRecord.ActionsApplied}): every step is checked
     * against the state now, then (when {@code journal}) the record is made durable, then the steps
     * apply in order with no journal record or audit entry of their own, then the one audit entry
     * that lists them. A step that would be refused refuses the whole record before anything is
     * written or changed. With {@code journal} false the record is already in the journal (a restart).
     * Engine thread.
     *
     * @throws io.edgedeck.engine.flags.FlagValidationException  (or its kinds) when a step would be refused; nothing changed
     * @throws io.edgedeck.engine.journal.JournalUnavailableException when the record cannot be written; nothing changed
     */
    public void applyActions(JournalRecord.ActionsApplied record, boolean journal) {
        applySteps(journal ? List.of(record) : List.of(), record.steps(), record.seq(), record.atMillis(), record.actor(),
                record.reason(), () -> { });
        experiments.addAudit(record.atMillis(), record.actor(), record.action(), record.target(), record.before(), record.after(),
                record.reason(), touched(record.steps()));
    }

    /** The flags and guardrails {@code steps} change, each once, in the order they change them. */
    static List<String> touched(List<JournalRecord.Step> steps) {
        java.util.LinkedHashSet<String> keys = new java.util.LinkedHashSet<>();
        for (JournalRecord.Step s : steps) {
            if (s.flag() != null) {
                keys.add(s.flag().key());
            } else if (s.guardrail() != null) {
                keys.add(s.guardrail().rule());
            } else if (s.rollbackAt() != null) {
                keys.add(s.rollbackAt().flag());
            } else if (s.pause() != null) {
                keys.add(s.pause().flag());
            } else if (s.rollbackCleared() != null) {
                keys.add(s.rollbackCleared().flag());
            }
        }
        return List.copyOf(keys);
    }

    /**
     * Applies a record of the fleet's control topic as {@link #applyActions} applies a playbook's
     * run: every step checked, then (when {@code journal}) the record made durable, then its steps
     * without an audit entry each, then its one entry, or none when it has no steps (the node was
     * already in the record's state; the record is journaled for its versions). Engine thread.
     *
     * @throws io.edgedeck.engine.flags.FlagValidationException  (or its kinds) when a step would be refused; nothing changed
     * @throws io.edgedeck.engine.journal.JournalUnavailableException when the record cannot be written; nothing changed
     */
    public void applyControl(JournalRecord.ControlApplied record, boolean journal) {
        applyControl(record, journal, List.of());
    }

    /**
     * The same, journaled with {@code alongside} (records of the node's own that belong with it, such as
     * a scheduled change marked fired) in one write. Engine thread.
     */
    public void applyControl(JournalRecord.ControlApplied record, List<JournalRecord> alongside) {
        applyControl(List.of(), record, alongside);
    }

    /**
     * The same, with {@code fired} (an operator's rollback by hand taken on this node, recorded as a firing)
     * journaled first in the same write and taken before the record's steps, as a node in no fleet journals and
     * takes a manual rollback's firing before its flag change. Engine thread.
     */
    public void applyControl(List<JournalRecord.GuardrailFired> fired, JournalRecord.ControlApplied record,
                             List<JournalRecord> alongside) {
        List<JournalRecord> toJournal = new java.util.ArrayList<>(fired);
        toJournal.add(record);
        toJournal.addAll(alongside);
        applySteps(toJournal, record.steps(), record.seq(), record.atMillis(), record.actor(), record.reason(),
                () -> fired.forEach(guardrails::replay));
        audited(record);
    }

    private void applyControl(JournalRecord.ControlApplied record, boolean journal, List<JournalRecord> alongside) {
        List<JournalRecord> toJournal = new java.util.ArrayList<>();
        if (journal) {
            toJournal.add(record);
            toJournal.addAll(alongside);
        }
        applySteps(toJournal, record.steps(), record.seq(), record.atMillis(), record.actor(), record.reason(), () -> { });
        audited(record);
    }

    private void audited(JournalRecord.ControlApplied record) {
        if (!record.steps().isEmpty()) {
            experiments.addAudit(record.atMillis(), record.actor(), record.action(), record.target(), record.before(),
                    record.after(), record.reason(), touched(record.steps()));
        }
    }

    private void applySteps(List<JournalRecord> toJournal, List<JournalRecord.Step> steps, long seq, long atMillis, String actor,
                            String reason, Runnable journaled) {
        steps.forEach(this::checkStep);
        if (toJournal.size() == 1) {
            this.journal.append(toJournal.getFirst());
        } else if (!toJournal.isEmpty()) {
            this.journal.appendAll(toJournal);
        }
        journaled.run();
        experiments.quietly(() -> {
            for (JournalRecord.Step s : steps) {
                if (s.flag() != null) {
                    experiments.registry().apply(s.flag());
                } else if (s.guardrail() != null) {
                    guardrails.replay(new JournalRecord.GuardrailArmed(seq, atMillis, s.guardrail().rule(),
                            s.guardrail().armed(), actor, reason));
                } else if (s.pause() != null) {
                    experiments.setPaused(s.pause().flag(), s.pause().variant(), s.pause().paused(), actor, reason, atMillis);
                } else if (s.rollbackCleared() != null) {
                    experiments.clearRollbackAt(s.rollbackCleared().flag(), s.rollbackCleared().variant(),
                            s.rollbackCleared().pops(), actor, reason, atMillis);
                } else {
                    experiments.rollbackAt(s.rollbackAt().flag(), s.rollbackAt().variant(), s.rollbackAt().pops(), actor,
                            reason, atMillis);
                }
            }
        });
    }

    private void checkStep(JournalRecord.Step s) {
        if (s.flag() != null) {
            experiments.registry().checkRecorded(s.flag());
        } else if (s.guardrail() != null) {
            guardrails.armed(s.guardrail().rule());
        } else if (s.rollbackAt() != null) {
            experiments.checkRollbackAt(s.rollbackAt().flag(), s.rollbackAt().variant(), s.rollbackAt().pops());
        } else if (s.pause() != null) {
            experiments.checkPause(s.pause().flag(), s.pause().variant());
        } else if (s.rollbackCleared() != null && !s.rollbackCleared().pops().isEmpty()) {
            experiments.checkRollbackAt(s.rollbackCleared().flag(), s.rollbackCleared().variant(), s.rollbackCleared().pops());
        } else {
            throw new io.edgedeck.engine.flags.FlagValidationException("steps", "a step names no change");
        }
    }

    /**
     * The producer's encoder as a connector last read it (OBS's stream and render statistics): an
     * observation the frames carry for the encoder tile, not part of the show's durable state.
     */
    public void reportEncoder(EncoderHealth health) {
        frames.encoder(health);
    }

    // ---------------------------------------------------------------- read-out

    /**
     * The next metrics frame.
     *
     * @param durationSeconds the show's planned length, or 0 for a node that runs until stopped
     */
    public MetricsFrame frame(ShowState state, double speed, int durationSeconds) {
        MetricsFrame frame = frames.frame(state, speed, durationSeconds);
        return decisions.decisions() == 0 ? frame : frame.withDecisions(decisions.metrics(nowMillis));
    }

    /**
     * What must survive a restart: a fresh core opened on this core's journal rebuilds exactly
     * this (the restart tests check it).
     */
    public DurableState durableState() {
        return new DurableState(checkouts.pendingState(), checkouts.queuedBySourceId(), checkouts.queuedTotal(),
                checkouts.reconciledTotal(), experiments.registry().all(), experiments.audit(), experiments.paused(),
                experiments.rolledBackAt(), guardrails.armed(), guardrails.firings(), journal.nextSeq() - 1);
    }
}
