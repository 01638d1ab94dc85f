package io.edgedeck.simulator.show;

import io.edgedeck.client.model.CueRequest;
import io.edgedeck.client.model.GuardrailFiring;
import io.edgedeck.client.model.MetricsFrame;
import io.edgedeck.client.model.ShowState;
import io.edgedeck.client.model.VariantMetrics;
import io.edgedeck.engine.CoreConfig;
import io.edgedeck.engine.EdgeCore;
import io.edgedeck.engine.flags.FlagDefinition;
import io.edgedeck.engine.flags.Scope;
import io.edgedeck.engine.flags.Variant;
import io.edgedeck.engine.journal.Journal;
import io.edgedeck.engine.journal.JournalRecord;
import io.edgedeck.engine.time.EngineClock;
import io.edgedeck.engine.time.VirtualClock;
import io.edgedeck.engine.triggers.InteractionKind;
import io.edgedeck.engine.triggers.TriggerAction;
import io.edgedeck.engine.triggers.TriggerRule;
import io.edgedeck.simulator.chat.PhraseLanguages;
import io.edgedeck.simulator.edge.EdgeModel;
import io.edgedeck.simulator.edge.Fault;
import io.edgedeck.simulator.edge.FaultKind;
import io.edgedeck.simulator.edge.RegionSpec;
import io.edgedeck.simulator.edge.SimulatedEdge;
import io.edgedeck.simulator.report.RunReport;
import io.edgedeck.simulator.scenario.FlagScope;
import io.edgedeck.simulator.scenario.FlagSpec;
import io.edgedeck.simulator.scenario.Scenario;
import io.edgedeck.simulator.scenario.TriggerSpec;
import io.edgedeck.simulator.traffic.AudienceModel;

import java.util.ArrayList;
import java.util.List;

/**
 * One rehearsal: the edge core, fed in-process by the simulated edge and the audience driving it,
 * and the cue timeline, stepped one tick at a time. Deterministic and single-threaded;
 * {@link ShowRunner} puts it on a thread and paces it.
 */
public final class Show {
    /** Who the scenario's own set-up is attributed to in the audit trail. */
    public static final String SCENARIO_OPERATOR = "scenario";
    /** The audit action of a cue fired by hand on a node. */
    public static final String CUE_AUDIT = "show.cue";
    /** The timeline's mark where a restarted rehearsal resumed from its journal alone. */
    public static final String RESTART_MARK = "restarted: resumed from the journal alone; sessions and PoP counters start"
            + " again from zero";
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Show.class);

    private final ShowDefinition definition;
    private final EdgeCore core;
    private final SimulatedEdge edge;
    private final AudienceModel audience;
    /** The rehearsal's engine time: one tick per step, whatever the wall clock does. */
    private final VirtualClock clock;
    private final List<TimedCue> cues;
    private int nextCue;
    /** Actions fired by hand that end later (a surge, a shift in mood), by engine time. */
    private final java.util.PriorityQueue<TimedCue> pending =
            new java.util.PriorityQueue<>(java.util.Comparator.comparingLong(TimedCue::atMillis));
    /** Operator commands of a recorded show, replayed at their engine times (see {@link #replay}). */
    private final java.util.ArrayDeque<JournalRecord> replayed = new java.util.ArrayDeque<>();
    /** A live node's wall clock, or null in a rehearsal. */
    private final EngineClock live;
    private final HandFiredCues handFired;
    /** The producer's encoder as a rehearsal plays it: streaming from the start, in the frames once a cue makes it part of the show. */
    private final SimulatedEncoder encoder;
    /** Why a restart resumed this rehearsal from its journal alone, or null (see {@link #resumedFromJournalAlone}). */
    private String resumedFromJournalAlone;

    public Show(ShowDefinition definition, Journal journal) {
        this(definition, coreConfig(definition.scenario(), definition.seed()), journal, null);
    }

    /**
     * A rehearsal on {@code journal}, as a node starts one on its data directory: a new show on an
     * empty journal; on a journal that holds a show (a restart, after a crash or {@code kill -9}),
     * the show played again from its start up to where the journal left it, with the operators'
     * commands the journal holds at their times (as {@code replay} plays them), so it comes back
     * with everything a show that never stopped would have: the audience's sessions, each PoP's
     * request counters, latency windows and history, each variant's counts, chat, the encoder's
     * window. The rehearsal is deterministic from its seed, so what it makes again is what it made
     * before; it is checked against the state the journal keeps (flags, audit trail, guardrails,
     * pauses, rollbacks, checkouts), and should it differ the show resumes from the journal alone, as
     * {@link #Show(ShowDefinition, Journal)} does, with a warning naming what differed.
     */
    public static Show open(ShowDefinition definition, Journal journal) {
        return open(definition, journal, new RestoreProgress());
    }

    /** As {@link #open(ShowDefinition, Journal)}, telling {@code progress} how far the show has been played again. */
    public static Show open(ShowDefinition definition, Journal journal, RestoreProgress progress) {
        List<JournalRecord> records = journal.records();
        if (journal.nextSeq() == 1 || records.isEmpty()) {
            return new Show(definition, journal);
        }
        CoreConfig config = coreConfig(definition.scenario(), definition.seed());
        // What the journal keeps, from a core restored on a copy of its records: where the show resumes, and the state to match.
        PlayedAgain.Copy copy = PlayedAgain.readOnly(records);
        EdgeCore kept = new EdgeCore(config.withShowDocument(definition.document()), copy.journal());
        if (copy.written() && kept.nowMillis() == 0) {
            // The show's start is journaled and its set-up (the flags it creates next) is not: a node stopped between
            // the two. Nothing had happened yet, so the show starts from there, as a new one, its set-up journaled now.
            LOG.info("Rehearsal: its journal holds the show's start and nothing after it; the show starts from there");
            return new Show(definition, journal);
        }
        long started = System.nanoTime();
        io.edgedeck.engine.journal.CatchUpJournal again = new io.edgedeck.engine.journal.CatchUpJournal();
        String differs;
        Show show = null;
        List<JournalRecord> completing = List.of();
        if (copy.written()) {
            // Records after the show's start and none of its set-up: there is no show to play again to match them.
            differs = null;
        } else {
            try {
                show = new Show(definition, config, again, null);
                show.catchUp(records, kept.nowMillis(), progress);
                differs = String.join("; ", PlayedAgain.differences(show.core().durableState(), again.records(),
                        kept.durableState(), records, kept.nowMillis()));
                if (!differs.isEmpty()) {
                    // The node may have been killed inside the tick that starts where the journal left it, its
                    // records of that tick written, or some of them: play that tick too, and the rest of its records complete the journal.
                    completing = show.completeTheTick(config, definition, records, kept.nowMillis(), again, journal.nextSeq());
                    if (completing != null) {
                        differs = "";
                    }
                }
            } catch (RuntimeException e) {
                differs = "playing it again stopped on an error (" + e + ")";
            }
        }
        if (differs != null && differs.isEmpty()) {
            again.attach(journal);
            if (!completing.isEmpty()) {
                List<JournalRecord> rest = completing;
                // The show's own records, as the tick wrote them live: nobody waits on them, so a full disk holds them.
                journal.holdingWhenUnwritable(() -> journal.appendAll(rest));
            }
            LOG.info("Rehearsal played again from its start to {} ms, where its journal left it, in {} ms", kept.nowMillis(),
                    (System.nanoTime() - started) / 1_000_000);
            return show;
        }
        String resumed = "resumed from the journal alone at " + PlayedAgain.seconds(kept.nowMillis()) + " of show time: ";
        String restarting = "; the audience's sessions and the PoPs' requests per second, counters, windows and history start"
                + " again from zero at the restart";
        String why = differs == null
                ? resumed + "the journal holds the show's start and records after it but no set-up of the show's flags, so the"
                        + " show was not played again. Its flags are set up as at the show's start; pauses, rollbacks, guardrails,"
                        + " checkouts and PoP faults are as the journal keeps them" + restarting
                : resumed + "playing the show again from its start did not come back to what the journal keeps (" + differs
                        + "). Flags, pauses, rollbacks, guardrails, checkouts and PoP faults are as the journal keeps them" + restarting;
        LOG.warn("Rehearsal {}", why);
        Show alone = new Show(definition, journal);
        alone.resumedFromJournalAlone = why;
        // On the console's timeline too, where a producer sees the throughput start again from zero.
        alone.core().timeline().add(new io.edgedeck.client.model.ShowEvent(kept.nowMillis(), "node", RESTART_MARK, null, null,
                "node"));
        return alone;
    }

    /**
     * Plays the tick that starts at {@code atMillis}, where the journal {@code records} left the show, and
     * checks that the journal holds the first records of it the show made and nothing else of it: a node
     * killed while that tick was being journaled (the tick's records are appended one by one as the show makes
     * them, a queued checkout each, stamped with the tick's start) left them, or some of them, and nothing
     * after. Returns the tick's records the journal lacks, numbered from {@code nextSeq}, when what the
     * show made then is the durable state of the journal with them; null when it is not.
     */
    private List<JournalRecord> completeTheTick(CoreConfig config, ShowDefinition definition, List<JournalRecord> records,
            long atMillis, io.edgedeck.engine.journal.CatchUpJournal again, long nextSeq) {
        int before = again.records().size();
        step();
        List<JournalRecord> tick = List.copyOf(again.records().subList(before, again.records().size()));
        List<JournalRecord> written = records.stream().filter(r -> r.atMillis() >= atMillis && madeInATick(r)).toList();
        if (written.size() > tick.size()) {
            return null;
        }
        for (int i = 0; i < written.size(); i++) {
            if (!io.edgedeck.engine.journal.CatchUpJournal.sameButNumber(written.get(i), tick.get(i))) {
                return null;
            }
        }
        List<JournalRecord> rest = new ArrayList<>();
        for (JournalRecord r : tick.subList(written.size(), tick.size())) {
            rest.add(io.edgedeck.engine.journal.CatchUpJournal.numbered(r, nextSeq + rest.size()));
        }
        List<JournalRecord> whole = new ArrayList<>(records);
        whole.addAll(rest);
        EdgeCore kept = new EdgeCore(config.withShowDocument(definition.document()), PlayedAgain.readOnly(whole).journal());
        return PlayedAgain.differences(core.durableState(), again.records(), kept.durableState(), whole, core.nowMillis()).isEmpty()
                ? rest : null;
    }

    /** True for a record a rehearsal's tick makes by itself (not an operator's, nor the node's own bookkeeping). */
    private static boolean madeInATick(JournalRecord r) {
        return !isOperatorCommand(r) && !(r instanceof JournalRecord.Audited) && switch (r) {
            case JournalRecord.ShowClock c -> false;
            case JournalRecord.ShowStarted s -> false;
            case JournalRecord.CheckoutsState c -> false;
            case JournalRecord.IdempotencyKey k -> false;
            case JournalRecord.IdempotencyAnswer a -> false;
            case JournalRecord.RequestChanged c -> false;
            case JournalRecord.PlaybookSaved p -> false;
            case JournalRecord.ScheduleChanged c -> false;
            default -> true;
        };
    }

    /**
     * Why this rehearsal, restarted on its journal, resumed from the journal alone rather than playing
     * its show again (its sessions and the PoPs' counters started again from zero then), in words; null
     * when it did not.
     */
    public String resumedFromJournalAlone() {
        return resumedFromJournalAlone;
    }

    /**
     * Plays this fresh show up to engine time {@code untilMillis} with the operators' commands of
     * {@code records} at their times, and every audited action of theirs (a pause, a change request)
     * into the audit trail where it was, so the trail reads as the journal's.
     */
    private void catchUp(List<JournalRecord> records, long untilMillis, RestoreProgress progress) {
        progress.playing(untilMillis);
        for (JournalRecord r : records) {
            if (isOperatorCommand(r) || r instanceof JournalRecord.Audited) {
                replayed.add(r);
            }
        }
        while (core.nowMillis() < untilMillis) {
            step();
            progress.reached(core.nowMillis());
        }
        // What the node did between the tick that ended there and the next, as it did it.
        while (!replayed.isEmpty() && replayed.peek().atMillis() <= core.nowMillis()) {
            applyReplayed(replayed.poll());
        }
        replayed.clear();
    }

    /**
     * A live node's show: the core {@code config} describes, on the wall clock {@code live}, fed
     * only by what arrives over the node's API. The scenario in {@code definition} names the show;
     * its audience never plays, its cues never fire, and no simulated PoP reports its health, so
     * every PoP's health is judged from what it observed.
     */
    public static Show live(ShowDefinition definition, CoreConfig config, Journal journal, EngineClock live) {
        return new Show(definition, config, journal, java.util.Objects.requireNonNull(live, "live clock"));
    }

    private Show(ShowDefinition definition, CoreConfig config, Journal journal, EngineClock live) {
        this.definition = definition;
        this.live = live;
        Scenario scenario = definition.scenario();
        this.encoder = new SimulatedEncoder(scenario.encoder().bitrateKbps());
        // A live node reads its ingest log back next, each event against the flags as they were when it came.
        this.core = new EdgeCore(config.withShowDocument(definition.document()), journal, live != null);
        this.clock = new VirtualClock(core.nowMillis());
        this.edge = new SimulatedEdge(EdgeModel.of(definition.seed(), core.tickMillis(), scenario.pops(), scenario.regions()),
                core);
        double[] shares = scenario.regions().stream().mapToDouble(RegionSpec::share).toArray();
        this.audience = new AudienceModel(scenario.audience(), shares, scenario.flags(), core, edge, definition.seed());
        if (live == null) {
            // A rehearsal's chat is the audience's own lines, whose languages ship with the pools. A live
            // node's chat is real and mostly not in that table, so its detector loads as the node starts.
            core.chat().knowLanguages(PhraseLanguages.heldApart());
        }
        this.cues = live == null ? CueTimeline.of(scenario.cues()) : List.of();
        this.handFired = new HandFiredCues(this, core, edge, audience, pending::add);
        if (live == null) {
            // A rehearsal restarted from its journal puts back the cues fired by hand that were still in force.
            for (JournalRecord r : core.journal().records()) {
                CueRequest cue = handFiredCue(r);
                long until = r instanceof JournalRecord.CueFired c ? c.untilMillis()
                        : r instanceof JournalRecord.EncoderFaulted e ? e.untilMillis() : 0;
                if (cue != null && until > core.nowMillis()) {
                    handFired.resume(cue, until);
                } else if (cue != null && SimulatedEncoder.Kind.of(cue.type()) != null) {
                    // An encoder fault that had ended is streamed again where it was, for the window that held it.
                    encoder.ended(SimulatedEncoder.Kind.of(cue.type()), cue.magnitude(), until - cue.durationSeconds() * 1000L, until);
                }
            }
        }
        while (nextCue < cues.size() && cues.get(nextCue).atMillis() < core.nowMillis()) {
            // A rehearsal restarted inside a scripted surge, mood shift or encoder fault starts it again, to end
            // when it would have; a scripted PoP fault is back from its journal records, as one fired by hand is.
            TimedCue past = cues.get(nextCue++);
            if (past.inForceUntilMillis() > core.nowMillis()) {
                past.action().apply(this);
            } else if (past.ended() != null) {
                // A scenario's encoder fault that had ended is streamed again where it was, as one fired by hand is.
                past.ended().apply(this);
            }
        }
        // The encoder's window and how long its bitrate has been low count from each fault's start, not the restart.
        encoder.catchUp(core.nowMillis(), core.tickMillis());
        if (scenario.cues().stream().anyMatch(io.edgedeck.simulator.scenario.Cue::onEncoder) && live == null) {
            // A show rehearsing its encoder has one from the start, streaming cleanly until its fault.
            encoder.attach();
        }
    }

    /**
     * The edge core a scenario describes: its PoPs, flags, triggers and guardrails; its audience
     * and cues are the simulator's.
     */
    public static CoreConfig coreConfig(Scenario scenario, long seed) {
        return CoreConfig.of(scenario.name(), seed, scenario.frameMillis(), EdgeModel.sites(scenario.pops()),
                        scenario.regions().stream().map(RegionSpec::id).toList())
                .withFlags(SCENARIO_OPERATOR, scenario.flags().stream().map(f -> definition(f, seed)).toList())
                .withTriggers(scenario.triggers().stream().map(Show::rule).toList())
                .withGuardrails(scenario.guardrails());
    }

    /** A flag of the show as the engine holds it at the start. */
    public static FlagDefinition definition(FlagSpec f, long seed) {
        int[] bp = f.weightsBasisPoints();
        List<Variant> variants = new ArrayList<>();
        for (int i = 0; i < bp.length; i++) {
            variants.add(new Variant(f.variants().get(i).name(), bp[i]));
        }
        Scope scope = switch (f.scope()) {
            case FlagScope.Global g -> Scope.GLOBAL;
            case FlagScope.Region r -> new Scope.Region(r.id());
            case FlagScope.Pop p -> new Scope.Pop(p.id());
            case FlagScope.Tenant t -> new Scope.Tenant(t.id());
        };
        return new FlagDefinition(f.key(), f.description(), f.owner(), variants, f.control(), scope,
                f.salt() == null ? f.key() : f.salt(), 0, false, seed);
    }

    static TriggerRule rule(TriggerSpec t) {
        return new TriggerRule(t.id(), t.kinds().stream().map(k -> InteractionKind.valueOf(k.name())).toList(),
                t.count(), t.withinSeconds() * 1000L, t.ordered(), TriggerAction.valueOf(t.action().name()));
    }

    public ShowDefinition definition() {
        return definition;
    }

    /** The edge core: what the edge decided and measured. */
    public EdgeCore core() {
        return core;
    }

    /** The simulated edge feeding it. */
    public SimulatedEdge edge() {
        return edge;
    }

    public AudienceModel audience() {
        return audience;
    }

    /** The rehearsal's encoder, which its encoder cues act on. */
    SimulatedEncoder encoder() {
        return encoder;
    }

    /**
     * Shows {@code tap} every observation the simulated edge and the audience hand the core from now
     * on, at the moment they hand it. Engine thread, before the show steps.
     */
    public void tap(io.edgedeck.simulator.edge.ObservationTap tap) {
        edge.tap(tap);
        audience.tap(tap);
    }

    /** The cue timeline, in time order, for the console's timeline view. */
    public List<TimedCue> cues() {
        return cues;
    }

    public long durationMillis() {
        return definition.durationSeconds() * 1000L;
    }

    public boolean finished() {
        return live == null && core.nowMillis() >= durationMillis();
    }

    /** True on a live node: the wall clock moves the core, real sources feed it. */
    public boolean live() {
        return live != null;
    }

    /**
     * On a live node, how long until the wall clock passes the end of the tick in progress (0 when
     * it has); in a rehearsal always 0.
     */
    public long millisToNextTick() {
        return live == null ? 0 : Math.max(0, core.nowMillis() + core.tickMillis() - live.nowMillis());
    }

    /** A live node's wall clock, or null in a rehearsal. */
    public EngineClock liveClock() {
        return live;
    }

    /**
     * Plays one engine tick: the cues due now, the audience's actions, the simulated PoPs' end of
     * tick (queues, reconciliations, their state told to the core), the virtual clock one tick on and
     * the core with it, then the faults whose time ran out.
     */
    public void step() {
        if (live != null) {
            // One tick at a time, so every frame boundary is seen even while the core catches up.
            if (millisToNextTick() == 0) {
                core.advance();
            }
            return;
        }
        while (!replayed.isEmpty() && replayed.peek().atMillis() <= core.nowMillis()) {
            applyReplayed(replayed.poll());
        }
        while (nextCue < cues.size() && cues.get(nextCue).atMillis() <= core.nowMillis()) {
            cues.get(nextCue++).action().apply(this);
        }
        while (!pending.isEmpty() && pending.peek().atMillis() <= core.nowMillis()) {
            pending.poll().action().apply(this);
        }
        audience.tick();
        edge.endTick();
        // The encoder streams in every rehearsal, read as a live node reads OBS so its healthy bitrate and
        // frame window are there when a fault is fired by hand; the frames carry it once a cue made it part of the show.
        encoder.stream(core.nowMillis(), core.nowMillis() + core.tickMillis());
        var read = encoder.health(core.nowMillis() + core.tickMillis());
        if (encoder.present()) {
            core.reportEncoder(read);
        }
        clock.advance(core.tickMillis());
        core.advanceTo(clock);
        edge.expireFaults();
    }

    /**
     * Plays a recorded show again: this show must be the recording's scenario and seed, fresh, and
     * the records are its journal. Only what operators did is taken from the recording (faults
     * applied or lifted by hand, surges, mood shifts and encoder faults fired by hand, flag changes, kills, arming, manual rollbacks, pauses), each at its
     * recorded engine time; everything else (traffic, cues, expiries, automatic firings, queued
     * checkouts) the engine produces again by itself, identically, because the show is
     * deterministic.
     */
    public void replay(List<JournalRecord> recording) {
        JournalRecord.ShowStarted start = recording.isEmpty() ? null
                : recording.getFirst() instanceof JournalRecord.ShowStarted s ? s : null;
        if (start == null) {
            throw new IllegalArgumentException("a recording starts with show.started; this one does not");
        }
        if (!start.scenario().equals(definition.name()) || start.seed() != definition.seed()) {
            throw new IllegalArgumentException("the recording is of " + start.scenario() + " with seed " + start.seed()
                    + ", not " + definition.name() + " with seed " + definition.seed());
        }
        if (core.nowMillis() != 0) {
            throw new IllegalStateException("a recording replays into a fresh show only");
        }
        for (JournalRecord r : recording) {
            if (isOperatorCommand(r)) {
                replayed.add(r);
            }
        }
    }

    static boolean isOperatorCommand(JournalRecord r) {
        return switch (r) {
            case JournalRecord.FaultApplied f -> !f.origin().equals("cue");
            case JournalRecord.FaultLifted f -> !f.origin().equals("cue") && !f.origin().equals("expired");
            case JournalRecord.EncoderFaulted e -> !e.origin().equals("cue");
            case JournalRecord.CueFired c -> true;
            case JournalRecord.FlagChanged f -> !f.command().operator().equals(SCENARIO_OPERATOR)
                    && !f.command().operator().equals(io.edgedeck.engine.CoreConfig.NODE_CONFIG)
                    && !f.command().operator().startsWith("guardrail:")
                    // a manual rollback is replayed through its firing, which makes the change again
                    && !(f.command() instanceof io.edgedeck.engine.flags.FlagCommand.Rollback);
            case JournalRecord.GuardrailArmed a -> true;
            case JournalRecord.GuardrailFired f -> !f.firing().automatic();
            case JournalRecord.VariantPaused v -> !v.operator().startsWith("guardrail:");
            case JournalRecord.VariantRolledBackAt v -> !v.operator().startsWith("guardrail:");
            case JournalRecord.VariantRollbackCleared v -> true;
            case JournalRecord.ShowStarted s -> false;
            // an audit record carries no effect of its own: what it describes replays (or not) by its own records;
            // a node audits a cue fired by hand right after firing it, so the replay audits it again there
            case JournalRecord.Audited a -> a.action().equals(CUE_AUDIT);
            case JournalRecord.CheckoutQueued c -> false;
            case JournalRecord.CheckoutsReconciled c -> false;
            case JournalRecord.CheckoutsState c -> false;
            case JournalRecord.EmoteValencesLearned e -> false;
            case JournalRecord.ShowClock c -> false;
            case JournalRecord.RequestChanged c -> false;
            // a playbook's run or a scheduled change firing is the node's: a replay has no node, so it is replayed as recorded
            case JournalRecord.ActionsApplied a -> true;
            // the fleet's change as this node applied it: a replay has no fleet, so it is replayed as recorded
            case JournalRecord.ControlApplied c -> !c.steps().isEmpty();
            case JournalRecord.PlaybookSaved p -> false;
            case JournalRecord.ScheduleChanged c -> false;
            // a request's Idempotency-Key and answer are the node's, and change nothing
            case JournalRecord.IdempotencyKey k -> false;
            case JournalRecord.IdempotencyAnswer a -> false;
        };
    }

    /**
     * The cue fired by hand a {@code cue.fired} record (or an older journal's {@code encoder.fault})
     * holds, or null for any other record.
     */
    private static CueRequest handFiredCue(JournalRecord r) {
        return switch (r) {
            case JournalRecord.CueFired c -> c.cue();
            case JournalRecord.EncoderFaulted e -> new CueRequest(e.fault(), List.of(), e.magnitude(),
                    (int) ((e.untilMillis() - e.atMillis()) / 1000), null, null, e.origin());
            default -> null;
        };
    }

    private void applyReplayed(JournalRecord r) {
        long now = core.nowMillis();
        switch (r) {
            case JournalRecord.FaultApplied f -> edge.applyFault(f.pop(), Fault.of(FaultKind.fromWireName(f.fault()), f.magnitude()),
                    f.untilMillis() < 0 ? 0 : f.untilMillis() - f.atMillis(), f.origin());
            case JournalRecord.FaultLifted f -> edge.liftFault(f.pop(), FaultKind.fromWireName(f.fault()), f.origin());
            case JournalRecord.EncoderFaulted e -> handFired.journaled(handFiredCue(e));
            case JournalRecord.CueFired c -> handFired.journaled(c.cue());
            case JournalRecord.FlagChanged f -> core.experiments().registry().apply(f.command());
            case JournalRecord.GuardrailArmed a -> core.guardrails().setArmed(a.rule(), a.armed(), a.operator(), a.reason(), now);
            case JournalRecord.GuardrailFired f -> core.guardrails().fireRollback(f.firing().flag(), f.firing().variant(),
                    f.firing().actor(), f.firing().reason(), now);
            case JournalRecord.VariantPaused v -> core.experiments().setPaused(v.flag(), v.variant(), v.paused(), v.operator(),
                    v.reason(), now);
            case JournalRecord.VariantRolledBackAt v -> core.experiments().rollbackAt(v.flag(), v.variant(), v.pops(),
                    v.operator(), v.reason(), now);
            case JournalRecord.VariantRollbackCleared v -> core.experiments().clearRollbackAt(v.flag(), v.variant(), v.pops(),
                    v.operator(), v.reason(), now);
            case JournalRecord.Audited a -> core.experiments().audited(now, a.actor(), a.action(), a.target(), a.before(), a.after(),
                    a.reason());
            case JournalRecord.ActionsApplied a -> core.applyActions(new JournalRecord.ActionsApplied(core.journal().nextSeq(), now,
                    a.actor(), a.action(), a.target(), a.before(), a.after(), a.reason(), a.steps()), true);
            case JournalRecord.ControlApplied c -> core.applyActions(new JournalRecord.ActionsApplied(core.journal().nextSeq(), now,
                    c.actor(), c.action(), c.target(), c.before(), c.after(), c.reason(), c.steps()), true);
            default -> throw new IllegalArgumentException("not an operator command: " + r);
        }
    }

    /**
     * Fires a fault or a shift now, by hand ({@link HandFiredCues}). Engine thread.
     *
     * @throws io.edgedeck.engine.flags.FlagValidationException naming the field at fault
     */
    public void fireCue(CueRequest cue) {
        if (live != null) {
            throw new io.edgedeck.engine.flags.FlagValidationException("type", "a live node has no simulated edge or"
                    + " audience: faults, surges and mood shifts are cues of a rehearsal; on a live node they happen for real");
        }
        handFired.fire(cue);
    }

    /**
     * True once after the last step changed something a producer waits to see confirmed (a PoP
     * acknowledged a flag version): the runner publishes a frame then, between cadence frames.
     */
    public boolean takeUrgentFrame() {
        return core.experiments().takeAcknowledgementChange();
    }

    /** True when the engine time just reached a frame boundary. */
    public boolean atFrameBoundary() {
        return core.nowMillis() % definition.scenario().frameMillis() == 0;
    }

    /** Every variant's counts and chat reaction index now. */
    public List<VariantMetrics> variantMetrics() {
        return core.experiments().variantMetrics(core.nowMillis());
    }

    /** Every guardrail firing so far, in the run report's shape. */
    public List<RunReport.GuardrailFiring> guardrailFirings() {
        return core.guardrails().firings().stream().map(Show::reportFiring).toList();
    }

    private static RunReport.GuardrailFiring reportFiring(GuardrailFiring f) {
        return new RunReport.GuardrailFiring(f.atMillis() / 1000.0, f.rule(), f.flag(), f.variant(), f.action().wireName(), f.pops(),
                f.reason());
    }

    /** A snapshot of everything, numbered in order. */
    public MetricsFrame frame(ShowState state, double speed) {
        // A live node has no planned end: its frames say so with a duration of 0.
        return core.frame(state, speed, live == null ? definition.durationSeconds() : 0);
    }
}
