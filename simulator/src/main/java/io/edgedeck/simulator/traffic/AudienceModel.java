package io.edgedeck.simulator.traffic;

import io.edgedeck.engine.EdgeCore;
import io.edgedeck.engine.chat.Chat;
import io.edgedeck.engine.experiments.Experiments;
import io.edgedeck.engine.pops.EventTally;
import io.edgedeck.engine.sentiment.ChatSentiment;
import io.edgedeck.engine.triggers.InteractionKind;
import io.edgedeck.engine.triggers.SessionTriggerState;
import io.edgedeck.engine.triggers.TriggerAction;
import io.edgedeck.engine.triggers.TriggerEngine;
import io.edgedeck.engine.triggers.TriggerFiring;
import io.edgedeck.simulator.chat.ChatTextGenerator;
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
 * <p>Sessions are kept as parallel primitive arrays, and each tick draws the number of arrivals,
 * departures and actions from Poisson distributions over the whole population, then picks the
 * sessions they belong to at random. The cost of a tick follows the number of events, not the
 * number of sessions. Because dwell times are exponential and actions are Poisson per session,
 * this is the same process as simulating each session on its own. The session arrays and the
 * actions that read and write several of them at once stay together in this one class (a little
 * over 350 lines); what a variant does to a session is in {@link VariantEffects}.
 *
 * <p>Owned by the engine thread.
 */
public final class AudienceModel {
    private static final byte NONE = 0;
    private static final byte IN_CART = 1;
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
    private final ChatTextGenerator chatText;
    private final double[] regionCumulative;
    private final double actionsPerSecond;
    private final double[] kindCumulative;
    private final double addToCartPerClick;
    private final double checkoutPerClick;
    private final String[] tenants;
    private final VariantEffects effects;
    private final TriggerEngine triggers;

    // Per session, by slot.
    private int[] route = new int[1024];
    private long[] unit = new long[1024];
    private byte[] cart = new byte[1024];
    private int[] tenant = new int[1024];
    private long[] nextEventId = new long[1024];
    private SessionTriggerState[] triggerState = new SessionTriggerState[1024];
    /** [flag][slot]: the arm a session is in (-1 none) and the flag version it was assigned under. */
    private int[][] armOf = new int[0][];
    private long[][] versionOf = new long[0][];
    /** Per flag and session: whether a flag change has moved it from the arm it was first put in. */
    private boolean[][] movedOf = new boolean[0][];
    private int active;
    private long nextUnit = 1;
    private double surge = 1.0;

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
        this.effects = new VariantEffects(flags, spec.chat(), experiments);
        this.random = Rng.forPurpose(seed, "audience");
        this.chatRandom = Rng.forPurpose(seed, "chat");
        this.chatText = new ChatTextGenerator(Rng.forPurpose(seed, "chat-text"));
        this.regionCumulative = cumulative(regionShares);
        this.tenants = spec.tenants().isEmpty() ? new String[]{"main"} : spec.tenants().toArray(String[]::new);
        Audience.SessionSpec s = spec.session();
        double[] perMinute = {s.viewsPerMinute(), s.hoversPerMinute(), s.clicksPerMinute(), s.chatPerMinute()};
        this.actionsPerSecond = Arrays.stream(perMinute).sum() / 60.0;
        this.kindCumulative = cumulative(perMinute);
        // The scenario gives per-session chances; a session decides on each click, so spread each
        // chance over the clicks a session makes while it stays (half of them, for checkout, since
        // those come after the cart is filled).
        double clicksPerSession = Math.max(1e-9, s.clicksPerMinute() * s.meanDwellSeconds() / 60.0);
        this.addToCartPerClick = perClick(s.addToCartProbability(), clicksPerSession);
        this.checkoutPerClick = perClick(s.checkoutProbability(), Math.max(1, clicksPerSession / 2));
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

    /** Multiplies arrivals, e.g. 5 for a viral surge; 1 is the scenario's own rate. */
    public void setSurge(double multiplier) {
        this.surge = multiplier;
    }

    /**
     * Sessions in {@code variant} of {@code flag} chat in {@code mood} from now on; null returns
     * them to the variant's own mood.
     */
    public void shiftMood(String flag, String variant, ChatMix mood) {
        effects.shiftMood(flag, variant, mood);
    }

    /** Plays one tick of audience behaviour against the edge, at the core's current time. */
    public void tick() {
        double dt = core.tickMillis() / 1000.0;
        double seconds = core.nowMillis() / 1000.0;
        long arrivals = Rng.poisson(random, spec.arrivalRateAt(seconds) * surge * dt);
        for (long i = 0; i < arrivals; i++) {
            arrive();
        }
        long departures = Math.min(active, Rng.poisson(random, active * dt / spec.session().meanDwellSeconds()));
        for (long i = 0; i < departures; i++) {
            depart(random.nextInt(active));
        }
        if (active == 0) {
            return;
        }
        long actions = Rng.poisson(random, active * actionsPerSecond * dt);
        for (long i = 0; i < actions; i++) {
            act(random.nextInt(active));
        }
    }

    private void arrive() {
        if (active == route.length) {
            grow(route.length * 2);
        }
        ensureFlagColumns();
        route[active] = edge.pickRoute(pick(regionCumulative, random.nextDouble()), random.nextDouble());
        unit[active] = nextUnit++;
        cart[active] = NONE;
        tenant[active] = tenants.length == 1 ? 0 : random.nextInt(tenants.length);
        nextEventId[active] = 1;
        triggerState[active] = triggers == null ? null : triggers.newSession(core.nowMillis());
        for (int f = 0; f < armOf.length; f++) {
            armOf[f][active] = -1;
            versionOf[f][active] = -1;
            movedOf[f][active] = false;
        }
        active++;
        sessionsArrived++;
        assign(active - 1);
    }

    private void grow(int n) {
        route = Arrays.copyOf(route, n);
        unit = Arrays.copyOf(unit, n);
        cart = Arrays.copyOf(cart, n);
        tenant = Arrays.copyOf(tenant, n);
        nextEventId = Arrays.copyOf(nextEventId, n);
        triggerState = Arrays.copyOf(triggerState, n);
        for (int f = 0; f < armOf.length; f++) {
            armOf[f] = Arrays.copyOf(armOf[f], n);
            versionOf[f] = Arrays.copyOf(versionOf[f], n);
            movedOf[f] = Arrays.copyOf(movedOf[f], n);
        }
    }

    /** Flags can be created while a show runs: give every session a column for each new one. */
    private void ensureFlagColumns() {
        int flags = experiments.flagCount();
        if (flags == armOf.length) {
            return;
        }
        int old = armOf.length;
        armOf = Arrays.copyOf(armOf, flags);
        versionOf = Arrays.copyOf(versionOf, flags);
        movedOf = Arrays.copyOf(movedOf, flags);
        for (int f = old; f < flags; f++) {
            armOf[f] = new int[route.length];
            versionOf[f] = new long[route.length];
            movedOf[f] = new boolean[route.length];
            Arrays.fill(armOf[f], -1);
            Arrays.fill(versionOf[f], -1);
        }
    }

    private void depart(int slot) {
        int last = --active;
        route[slot] = route[last];
        unit[slot] = unit[last];
        cart[slot] = cart[last];
        tenant[slot] = tenant[last];
        nextEventId[slot] = nextEventId[last];
        triggerState[slot] = triggerState[last];
        triggerState[last] = null;
        for (int f = 0; f < armOf.length; f++) {
            armOf[f][slot] = armOf[f][last];
            versionOf[f][slot] = versionOf[f][last];
            movedOf[f][slot] = movedOf[f][last];
        }
    }

    /**
     * Re-evaluates a session's flags where its home PoP now runs a different version: a rollback
     * or a ramp reaches the session as soon as it reaches the PoP. A session that leaves the arm it
     * was in joins its new arm's moved cohort, never its exposures.
     */
    private void assign(int slot) {
        int home = edge.homePop(route[slot]);
        for (int f = 0; f < armOf.length; f++) {
            long live = experiments.assignmentStamp(f, home);
            if (live == versionOf[f][slot]) {
                continue;
            }
            versionOf[f][slot] = live;
            int current = armOf[f][slot];
            int next = experiments.assign(f, home, "u" + unit[slot], edge.regionId(edge.regionOfRoute(route[slot])),
                    tenants[tenant[slot]], current);
            if (next != current) {
                armOf[f][slot] = next;
                movedOf[f][slot] |= current >= 0;
                if (next >= 0 && movedOf[f][slot]) {
                    experiments.moveIn(next);
                } else if (next >= 0) {
                    experiments.expose(next, home);
                }
            }
        }
    }

    private void act(int slot) {
        ensureFlagColumns();
        assign(slot);
        int kind = pick(kindCumulative, random.nextDouble());
        int r = route[slot];
        if (kind == 2 && cart[slot] == IN_CART && random.nextDouble() < checkoutPerClick * conversionMultiplier(slot)) {
            cart[slot] = NONE;
            events.delivered();
            edge.checkout(r);
            int home = edge.homePop(r);
            for (int f = 0; f < armOf.length; f++) {
                int arm = armOf[f][slot];
                if (arm >= 0 && movedOf[f][slot]) {
                    experiments.convertMoved(arm);
                } else if (arm >= 0) {
                    experiments.convert(arm, home);
                }
            }
            trigger(slot, InteractionKind.CHECKOUT, false);
            return;
        }
        if (kind == 2 && cart[slot] == NONE && random.nextDouble() < addToCartPerClick) {
            cart[slot] = IN_CART;
        }
        if (kind == 3) {
            sendChat(slot);
        }
        boolean lost = edge.serve(r) < 0;
        if (lost) {
            events.lost();
        } else {
            events.delivered();
        }
        double latency = edge.lastLatencyMs();
        for (int[] arms : armOf) {
            if (arms[slot] >= 0) experiments.request(arms[slot], latency, lost);
        }
        trigger(slot, KINDS[kind], lost);
        if (kind == 2 && cart[slot] == IN_CART) {
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
        long eventId = nextEventId[slot]++;
        long micros = (long) (edge.lastLatencyMs() * 1000);
        List<TriggerFiring> fired = triggers.onInteraction(triggerState[slot], kind, eventId, core.nowMillis(), micros);
        if (lost) {
            triggers.onInteraction(triggerState[slot], kind, eventId, core.nowMillis(), micros);
        }
        for (TriggerFiring f : fired) {
            if (f.action() == TriggerAction.SURFACE_CHECKOUT) {
                // A one-click checkout puts the offer in front of the buyer.
                cart[slot] = IN_CART;
            }
        }
    }

    private double conversionMultiplier(int slot) {
        double m = 1;
        for (int[] arms : armOf) {
            int a = arms[slot];
            if (a >= 0) {
                m *= effects.conversionMultiplier(a);
            }
        }
        return m;
    }

    private ChatMix moodOf(int slot) {
        ChatMix mood = effects.baseMood();
        for (int[] arms : armOf) {
            int a = arms[slot];
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
        ChatSentiment.Reading reading = chat.read(null, chatText.next(m), List.of());
        chat.message(reading);
        int home = edge.homePop(route[slot]);
        for (int[] arms : armOf) {
            if (arms[slot] >= 0) experiments.chat(arms[slot], home, reading, core.nowMillis());
        }
    }

    private static int pick(double[] cumulative, double u) {
        for (int i = 0; i < cumulative.length - 1; i++) {
            if (u < cumulative[i]) {
                return i;
            }
        }
        return cumulative.length - 1;
    }

    public int activeSessions() {
        return active;
    }

    public long sessionsArrived() {
        return sessionsArrived;
    }
}
