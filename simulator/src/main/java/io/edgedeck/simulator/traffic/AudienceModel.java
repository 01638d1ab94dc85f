package io.edgedeck.simulator.traffic;

import io.edgedeck.engine.EdgeCore;
import io.edgedeck.engine.experiments.Arm;
import io.edgedeck.engine.chat.Chat;
import io.edgedeck.engine.experiments.Experiments;
import io.edgedeck.engine.pops.EventTally;
import io.edgedeck.engine.sentiment.ChatSentiment;
import io.edgedeck.engine.triggers.InteractionKind;
import io.edgedeck.engine.triggers.TriggerAction;
import io.edgedeck.engine.triggers.TriggerEngine;
import io.edgedeck.engine.triggers.TriggerFiring;
import io.edgedeck.simulator.chat.ChatTextGenerator;
import io.edgedeck.simulator.edge.ObservationTap;
import io.edgedeck.simulator.edge.Rng;
import io.edgedeck.simulator.edge.SimulatedEdge;
import io.edgedeck.simulator.scenario.Audience;
import io.edgedeck.simulator.scenario.ChatMix;
import io.edgedeck.simulator.scenario.FlagSpec;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The simulated audience: sessions arrive, view, hover, click, chat and check out, and every
 * action is a request to the simulated edge from the session's region. Each session is a unit of
 * the flags' bucketing: the core evaluates the variant its home PoP serves it, and the audience
 * tells the core what happened (exposures when a session enters a variant, conversions when it
 * checks out, chat text in its variant's mood, each request's latency or loss per variant, the
 * interactions its triggers watch) through the core's index-based fast path.
 *
 * <p>Sessions are kept as one record of ints each in one array, and each tick draws the number of
 * arrivals, departures and actions from Poisson distributions over the whole population, then picks
 * the sessions they belong to at random. The cost of a tick follows the number of events, not the
 * number of sessions. Because dwell times are exponential and actions are Poisson per session,
 * this is the same process as simulating each session on its own. A tick's actions are drawn
 * {@value ActionDraws#BATCH} at a time and their sessions' records read together before they are
 * played, so that the misses to memory of sessions picked at random overlap ({@link ActionDraws}:
 * the same draws in the same order as drawing each action as it is played). The session records are in
 * {@link Sessions}; what a variant does to a session is in {@link VariantEffects}. Every exposure,
 * conversion and chat line told to the core is also shown to the {@linkplain #tap tap}, so the same
 * audience can drive a node over the wire.
 *
 * <p>Owned by the engine thread.
 */
public final class AudienceModel {
    private static final InteractionKind[] KINDS = {InteractionKind.VIEW, InteractionKind.HOVER, InteractionKind.CLICK,
            InteractionKind.CHAT};

    private final Audience spec;
    private final EdgeCore core;
    private final SimulatedEdge edge;
    private final Experiments experiments;
    private final Chat chat;
    private final EventTally events;
    private final SplittableRandom random;
    private final SplittableRandom chatRandom;
    /** Order values come from a stream of their own, so a show without them draws exactly as before. */
    private final SplittableRandom orderRandom;
    private final Audience.OrderValue orderValue;
    private final ChatTextGenerator chatText;
    private final double[] regionCumulative;
    private final double actionsPerSecond;
    private final double[] kindCumulative;
    private final double addToCartPerClick;
    private final double checkoutPerClick;
    private final String[] tenants;
    private final VariantEffects effects;
    private final TriggerEngine triggers;

    private final Sessions s;
    private final ActionDraws draws = new ActionDraws();
    private ObservationTap tap = ObservationTap.NONE;
    private long nextUnit = 1;
    private double surge = 1.0;
    /** The surges in force, oldest first; the latest sets {@link #surge}. */
    private final java.util.ArrayList<Surge> surges = new java.util.ArrayList<>();

    private long sessionsArrived;

    /**
     * @param spec         the scenario's audience
     * @param regionShares share of arrivals per region, in the edge model's region order
     * @param flags        the scenario's flags, for the behaviour each variant causes
     * @param core         the edge core the audience's observations go to; its triggers run per session
     * @param edge         the simulated edge that serves the audience's requests
     */
    public AudienceModel(Audience spec, double[] regionShares, List<FlagSpec> flags, EdgeCore core, SimulatedEdge edge,
                         long seed) {
        this.spec = spec;
        this.core = core;
        this.edge = edge;
        this.experiments = core.experiments();
        this.chat = core.chat();
        this.events = core.events();
        this.triggers = core.triggers().orElse(null);
        this.s = new Sessions(triggers == null ? 0 : triggers.recordInts());
        this.effects = new VariantEffects(flags, spec.chat(), experiments);
        this.random = Rng.forPurpose(seed, "audience");
        this.chatRandom = Rng.forPurpose(seed, "chat");
        this.orderRandom = Rng.forPurpose(seed, "order-value");
        this.orderValue = spec.orderValue();
        this.chatText = new ChatTextGenerator(Rng.forPurpose(seed, "chat-text"));
        this.regionCumulative = cumulative(regionShares);
        this.tenants = spec.tenants().isEmpty() ? new String[]{"main"} : spec.tenants().toArray(String[]::new);
        Audience.SessionSpec session = spec.session();
        double[] perMinute = {session.viewsPerMinute(), session.hoversPerMinute(), session.clicksPerMinute(),
                session.chatPerMinute()};
        this.actionsPerSecond = Arrays.stream(perMinute).sum() / 60.0;
        this.kindCumulative = cumulative(perMinute);
        // The scenario gives per-session chances; a session decides on each click, so spread each
        // chance over the clicks a session makes while it stays (half of them, for checkout, since
        // those come after the cart is filled).
        double clicksPerSession = Math.max(1e-9, session.clicksPerMinute() * session.meanDwellSeconds() / 60.0);
        this.addToCartPerClick = perClick(session.addToCartProbability(), clicksPerSession);
        this.checkoutPerClick = perClick(session.checkoutProbability(), Math.max(1, clicksPerSession / 2));
    }

    /** The per-click chance that makes a per-session chance {@code p} over {@code clicks} clicks. */
    static double perClick(double p, double clicks) {
        if (p >= 1) {
            return 1;
        }
        return 1 - Math.pow(1 - p, 1 / clicks);
    }

    private static double[] cumulative(double[] weights) {
        double total = Arrays.stream(weights).sum();
        double[] c = new double[weights.length];
        double run = 0;
        for (int i = 0; i < weights.length; i++) {
            run += weights[i] / total;
            c[i] = run;
        }
        c[c.length - 1] = 1.0;
        return c;
    }

    /**
     * The id a session's unit has in the flags' bucketing and on the wire (an OpenFeature
     * {@code targetingKey}).
     */
    public static String unitKey(long unit) {
        return "u" + unit;
    }

    /** Shows {@code tap} every exposure, conversion and chat line this audience tells the core from now on. Engine thread. */
    public void tap(ObservationTap tap) {
        this.tap = java.util.Objects.requireNonNull(tap, "tap");
    }

    /**
     * One surge of arrivals (a scenario's cue, or one fired by hand), in force from {@link #startSurge}
     * until {@link #endSurge} ends it; compared by identity, so two surges of the same size stay two.
     */
    public static final class Surge {
        private final double multiplier;

        private Surge(double multiplier) {
            this.multiplier = multiplier;
        }
    }

    /**
     * Multiplies arrivals, e.g. 5 for a viral surge, until this surge ends. Surges can overlap (a scenario's
     * and one fired by hand): the latest in force sets the rate, and each ending removes only its own.
     *
     * @return the surge, to end it with
     */
    public Surge startSurge(double multiplier) {
        Surge started = new Surge(multiplier);
        surges.add(started);
        surge = multiplier;
        return started;
    }

    /** Ends one surge: arrivals follow the latest surge still in force, or the scenario's own rate. */
    public void endSurge(Surge ended) {
        surges.remove(ended);
        surge = surges.isEmpty() ? 1.0 : surges.getLast().multiplier;
    }

    /** What arrivals are multiplied by now: the latest surge in force, else 1. */
    public double surge() {
        return surge;
    }

    /**
     * Sessions in {@code variant} of {@code flag} chat in {@code mood} from now on, until this shift
     * ends ({@link #endMoodShift}); overlapping shifts of one variant each end only themselves.
     *
     * @return the shift, to end it with
     */
    public MoodShift shiftMood(String flag, String variant, ChatMix mood) {
        return effects.shiftMood(flag, variant, mood);
    }

    /** The mood shifted onto {@code variant} of {@code flag} now (the latest shift in force), or null when none is. */
    public ChatMix shiftedMood(String flag, String variant) {
        return effects.shiftedMood(flag, variant);
    }

    /** Ends one mood shift: the variant chats in the latest shift still in force, or its own mood. */
    public void endMoodShift(MoodShift shift) {
        effects.endMoodShift(shift);
    }

    /** Plays one tick of audience behaviour against the edge, at the core's current time. */
    public void tick() {
        double dt = core.tickMillis() / 1000.0;
        double seconds = core.nowMillis() / 1000.0;
        long arrivals = Rng.poisson(random, spec.arrivalRateAt(seconds) * surge * dt);
        for (long i = 0; i < arrivals; i++) {
            arrive();
        }
        long departures = Math.min(s.active, Rng.poisson(random, s.active * dt / spec.session().meanDwellSeconds()));
        for (long i = 0; i < departures; i++) {
            s.remove(random.nextInt(s.active));
        }
        if (s.active == 0) {
            return;
        }
        long actions = Rng.poisson(random, s.active * actionsPerSecond * dt);
        for (long done = 0; done < actions; ) {
            int n = draws.draw(random, s.active, kindCumulative, (int) Math.min(ActionDraws.BATCH, actions - done));
            s.touch(draws.slots, n);
            for (int j = 0; j < n; j++) {
                act(draws.slots[j], draws.kinds[j], draws.clickDraws[j]);
            }
            done += n;
        }
    }

    private void arrive() {
        s.ensureFlagColumns(experiments.flagCount());
        int r = edge.pickRoute(pick(regionCumulative, random.nextDouble()), random.nextDouble());
        int t = tenants.length == 1 ? 0 : random.nextInt(tenants.length);
        int slot = s.add(r, nextUnit++, t, triggers, core.nowMillis());
        sessionsArrived++;
        assign(slot);
    }

    /**
     * Re-evaluates a session's flags where its home PoP now runs a different version: a rollback
     * or a ramp reaches the session as soon as it reaches the PoP. A session that leaves the arm it
     * was in joins its new arm's moved cohort, never its exposures. A session the flag's scope
     * leaves out is served control and behaves as control, but is in no arm: it counts for neither.
     * The tap hears of every variant served, in scope or not, as an app evaluating the flag would;
     * a node decides from the unit's region and tenant itself whether it is in the experiment.
     */
    private void assign(int slot) {
        int route = s.route(slot);
        int home = edge.homePop(route);
        for (int f = 0; f < s.flags(); f++) {
            long live = experiments.assignmentStamp(f, home);
            if (live == s.version(slot, f)) {
                continue;
            }
            s.version(slot, f, live);
            int wasServed = s.served(slot, f);
            String region = edge.regionId(edge.regionOfRoute(route));
            String tenant = tenants[s.tenant(slot)];
            int served = experiments.assign(f, home, unitKey(s.unit(slot)), region, tenant, wasServed);
            int next = served >= 0 && experiments.inExperiment(f, home, region, tenant) ? served : -1;
            int current = s.arm(slot, f);
            if (next != current) {
                s.arm(slot, f, next);
                boolean moved = s.moved(slot, f) | current >= 0;
                s.moved(slot, f, moved);
                if (next >= 0 && moved) {
                    experiments.moveIn(next);
                } else if (next >= 0) {
                    experiments.expose(next, home, core.nowMillis());
                }
            }
            if (served != wasServed) {
                s.served(slot, f, served);
                if (served >= 0) {
                    Arm arm = experiments.arm(served);
                    tap.exposed(s.unit(slot), arm.flagKey(), arm.variant(), home, region, tenant);
                }
            }
        }
    }

    /**
     * One action of the session in {@code slot}, of {@code kind}; a click's chance to check out or
     * fill the cart is decided by {@code clickDraw}, drawn for it with the action ({@link ActionDraws}).
     */
    private void act(int slot, int kind, double clickDraw) {
        s.ensureFlagColumns(experiments.flagCount());
        assign(slot);
        int r = s.route(slot);
        if (kind == 2 && s.cart(slot) == Sessions.IN_CART && clickDraw < checkoutPerClick * conversionMultiplier(slot)) {
            s.cart(slot, Sessions.NONE);
            events.delivered();
            edge.checkout(r);
            double value = orderValue == null ? 0 : orderValue.at(orderRandom.nextGaussian());
            tap.converted(s.unit(slot), orderValue == null ? null : value);
            if (triggers != null) {
                triggers.onConversion(s.triggerRecords(), s.triggerBase(slot));
            }
            int home = edge.homePop(r);
            core.pops().converted(home, value);
            for (int f = 0; f < s.flags(); f++) {
                int arm = s.arm(slot, f);
                if (arm >= 0 && s.moved(slot, f)) {
                    experiments.convertMoved(arm);
                } else if (arm >= 0) {
                    experiments.convert(arm, home);
                    if (orderValue != null) {
                        experiments.addConversionValue(arm, value);
                    }
                }
            }
            trigger(slot, InteractionKind.CHECKOUT, false);
            return;
        }
        if (kind == 2 && s.cart(slot) == Sessions.NONE && clickDraw < addToCartPerClick) {
            s.cart(slot, Sessions.IN_CART);
        }
        if (kind == 3) {
            sendChat(slot);
        }
        boolean lost = edge.serve(r) < 0;
        tap.requestOf(s.unit(slot));
        if (lost) {
            events.lost();
        } else {
            events.delivered();
        }
        double latency = edge.lastLatencyMs();
        for (int f = 0; f < s.flags(); f++) {
            int arm = s.arm(slot, f);
            if (arm >= 0) experiments.request(arm, latency, lost);
        }
        trigger(slot, KINDS[kind], lost);
        if (kind == 2 && s.cart(slot) == Sessions.IN_CART) {
            trigger(slot, InteractionKind.ADD_TO_CART, false);
        }
    }

    /**
     * Shows the trigger engine one interaction. A request whose answer was lost is sent again by
     * the client with the same event id, which is how duplicates reach the engine.
     */
    private void trigger(int slot, InteractionKind kind, boolean lost) {
        if (triggers == null) {
            return;
        }
        tap.step(s.unit(slot), kind);
        long eventId = s.takeEventId(slot);
        long micros = (long) (edge.lastLatencyMs() * 1000);
        int base = s.triggerBase(slot);
        List<TriggerFiring> fired = triggers.onInteraction(s.triggerRecords(), base, kind, eventId, core.nowMillis(), micros);
        if (lost) {
            triggers.onInteraction(s.triggerRecords(), base, kind, eventId, core.nowMillis(), micros);
        }
        for (TriggerFiring f : fired) {
            edge.triggered(s.route(slot));
            if (f.action() == TriggerAction.SURFACE_CHECKOUT) {
                // A one-click checkout puts the offer in front of the buyer.
                s.cart(slot, Sessions.IN_CART);
            }
        }
    }

    /** What the variants a session is served (in an experiment or not) do to its chance to check out. */
    private double conversionMultiplier(int slot) {
        double m = 1;
        for (int f = 0; f < s.flags(); f++) {
            int a = s.served(slot, f);
            if (a >= 0) {
                m *= effects.conversionMultiplier(a);
            }
        }
        return m;
    }

    private ChatMix moodOf(int slot) {
        ChatMix mood = effects.baseMood();
        for (int f = 0; f < s.flags(); f++) {
            int a = s.served(slot, f);
            if (a >= 0) {
                ChatMix m = effects.mood(a);
                if (m != null) {
                    mood = m;
                }
            }
        }
        return mood;
    }

    /** One chat message: text in the session's mood, which the core reads as it reads real chat. */
    private void sendChat(int slot) {
        ChatMix mood = moodOf(slot);
        double u = chatRandom.nextDouble();
        ChatTextGenerator.Mood m = u < mood.positive() ? ChatTextGenerator.Mood.POSITIVE
                : u < mood.positive() + mood.neutral() ? ChatTextGenerator.Mood.NEUTRAL
                : ChatTextGenerator.Mood.NEGATIVE;
        String text = chatText.next(m);
        ChatSentiment.Reading reading = chat.read(null, text, List.of());
        chat.message(reading);
        tap.chat(s.unit(slot), text);
        int home = edge.homePop(s.route(slot));
        for (int f = 0; f < s.flags(); f++) {
            int arm = s.arm(slot, f);
            if (arm >= 0) experiments.chat(arm, home, reading, core.nowMillis());
        }
    }

    static int pick(double[] cumulative, double u) {
        for (int i = 0; i < cumulative.length - 1; i++) {
            if (u < cumulative[i]) {
                return i;
            }
        }
        return cumulative.length - 1;
    }

    public int activeSessions() {
        return s.active;
    }

    public long sessionsArrived() {
        return sessionsArrived;
    }
}
