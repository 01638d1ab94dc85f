package io.edgedeck.simulator.show;

import io.edgedeck.client.model.GuardrailFiring;
import io.edgedeck.client.model.MetricsFrame;
import io.edgedeck.client.model.ShowState;
import io.edgedeck.client.model.TriggerMetrics;
import io.edgedeck.client.model.VariantMetrics;
import io.edgedeck.engine.EdgeEngine;
import io.edgedeck.engine.EngineConfig;
import io.edgedeck.engine.flags.FlagDefinition;
import io.edgedeck.engine.flags.Scope;
import io.edgedeck.engine.flags.Variant;
import io.edgedeck.engine.journal.Journal;
import io.edgedeck.engine.model.RegionSpec;
import io.edgedeck.engine.sentiment.ChatSentimentScorer;
import io.edgedeck.engine.triggers.InteractionKind;
import io.edgedeck.engine.triggers.TriggerAction;
import io.edgedeck.engine.triggers.TriggerEngine;
import io.edgedeck.engine.triggers.TriggerLimits;
import io.edgedeck.engine.triggers.TriggerRule;
import io.edgedeck.engine.triggers.TriggerStats;
import io.edgedeck.simulator.report.RunReport;
import io.edgedeck.simulator.scenario.FlagScope;
import io.edgedeck.simulator.scenario.FlagSpec;
import io.edgedeck.simulator.scenario.Scenario;
import io.edgedeck.simulator.scenario.TriggerSpec;
import io.edgedeck.simulator.traffic.AudienceModel;

import java.util.ArrayList;
import java.util.List;

/**
 * One show: the engine, the audience driving it, and the cue timeline, stepped one tick at a time.
 * Deterministic and single-threaded; {@link ShowRunner} puts it on a thread and paces it.
 */
public final class Show {
    /** The scorer holds only immutable lexicons: one for every show in the process. */
    private static final ChatSentimentScorer SCORER = new ChatSentimentScorer();
    /** Who the scenario's own set-up is attributed to in the audit trail. */
    public static final String SCENARIO_OPERATOR = "scenario";

    private final ShowDefinition definition;
    private final EdgeEngine engine;
    private final AudienceModel audience;
    private final TriggerEngine triggers;
    private final List<TimedCue> cues;
    private int nextCue;
    private long frameSequence;

    public Show(ShowDefinition definition, Journal journal) {
        this.definition = definition;
        Scenario scenario = definition.scenario();
        this.engine = new EdgeEngine(EngineConfig.of(scenario.name(), definition.seed(), scenario.frameMillis(),
                scenario.pops(), scenario.regions(), scenario.guardrails()), journal);
        if (engine.experiments().flagCount() == 0) {
            for (FlagSpec f : scenario.flags()) {
                engine.experiments().create(definition(f, definition.seed()), SCENARIO_OPERATOR,
                        "flag set up by scenario " + scenario.name(), engine.nowMillis());
            }
        }
        engine.guardrails().prepare();
        engine.experiments().refresh(engine.nowMillis());
        this.triggers = scenario.triggers().isEmpty() ? null
                : new TriggerEngine(scenario.triggers().stream().map(Show::rule).toList(), TriggerLimits.DEFAULT);
        double[] shares = scenario.regions().stream().mapToDouble(RegionSpec::share).toArray();
        this.audience = new AudienceModel(scenario.audience(), shares, scenario.flags(), triggers, engine,
                definition.seed(), SCORER);
        this.cues = CueTimeline.of(scenario.cues());
        while (nextCue < cues.size() && cues.get(nextCue).atMillis() < engine.nowMillis()) {
            nextCue++;
        }
    }

    static FlagDefinition definition(FlagSpec f, long seed) {
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

    public EdgeEngine engine() {
        return engine;
    }

    public AudienceModel audience() {
        return audience;
    }

    /** The cue timeline, in time order, for the console's timeline view. */
    public List<TimedCue> cues() {
        return cues;
    }

    public long durationMillis() {
        return definition.durationSeconds() * 1000L;
    }

    public boolean finished() {
        return engine.nowMillis() >= durationMillis();
    }

    /** Plays one engine tick: the cues due now, the audience's actions, then the engine's bookkeeping. */
    public void step() {
        while (nextCue < cues.size() && cues.get(nextCue).atMillis() <= engine.nowMillis()) {
            cues.get(nextCue++).action().apply(this);
        }
        audience.tick();
        engine.advance();
    }

    /** True when the engine time just reached a frame boundary. */
    public boolean atFrameBoundary() {
        return engine.nowMillis() % definition.scenario().frameMillis() == 0;
    }

    public List<VariantMetrics> variantMetrics() {
        return engine.experiments().variantMetrics();
    }

    public TriggerMetrics triggerMetrics() {
        if (triggers == null) {
            return TriggerMetrics.NONE;
        }
        TriggerStats s = triggers.stats();
        long firings = s.firingsByRule().values().stream().mapToLong(Long::longValue).sum();
        return new TriggerMetrics(s.firingsByRule(), s.rejectedDuplicates(), s.rateLimited(),
                firings == 0 ? 0 : (double) s.decisionLatencyMicrosTotal() / firings, s.decisionLatencyMicrosMax());
    }

    /** Every guardrail firing so far, in the run report's shape. */
    public List<RunReport.GuardrailFiring> guardrailFirings() {
        return engine.guardrails().firings().stream().map(Show::reportFiring).toList();
    }

    private static RunReport.GuardrailFiring reportFiring(GuardrailFiring f) {
        return new RunReport.GuardrailFiring(f.atMillis() / 1000.0, f.rule(), f.flag(), f.variant(), f.action(), f.pops(),
                f.reason());
    }

    /** A snapshot of everything, numbered in order. */
    public MetricsFrame frame(ShowState state, double speed) {
        long now = engine.nowMillis();
        return new MetricsFrame(++frameSequence, now, definition.name(), definition.seed(), state, speed,
                definition.durationSeconds(), engine.popMetrics(), variantMetrics(), engine.checkoutCounts(),
                audience.events(), audience.chat(), engine.experiments().views(now), engine.guardrails().statuses(),
                engine.guardrails().firings(), triggerMetrics());
    }
}
