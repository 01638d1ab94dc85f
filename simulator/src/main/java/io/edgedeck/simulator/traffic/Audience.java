package io.edgedeck.simulator.traffic;

import io.edgedeck.client.model.EventCounts;
import io.edgedeck.engine.EdgeEngine;
import io.edgedeck.engine.Rng;
import io.edgedeck.engine.sentiment.ChatSentimentScorer;
import io.edgedeck.engine.sentiment.ChatTextGenerator;
import io.edgedeck.engine.sentiment.ReactionIndex;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The simulated audience: sessions arrive, view, hover, click, chat and check out, and every
 * action is a request to the edge from the session's region.
 *
 * <p>Sessions are kept as parallel primitive arrays, and each tick draws the number of arrivals,
 * departures and actions from Poisson distributions over the whole population, then picks the
 * sessions they belong to at random. The cost of a tick follows the number of events, not the
 * number of sessions, which is what lets a show hold a million concurrent sessions. Because dwell
 * times are exponential and actions are Poisson per session, this is the same process as
 * simulating each session on its own.
 */
public final class Audience {
    private static final byte NONE = 0;
    private static final byte IN_CART = 1;

    private final TrafficProfile profile;
    private final EdgeEngine engine;
    private final SplittableRandom random;
    private final double[] regionCumulative;
    private final double actionsPerSecond;
    private final double[] kindCumulative;
    private final ChatTextGenerator chatText;
    private final ChatSentimentScorer scorer;
    private final ReactionIndex reactions = new ReactionIndex();
    private final SplittableRandom chatRandom;
    private TrafficProfile.ChatMood mood;

    private int[] route = new int[1024];
    private long[] unit = new long[1024];
    private byte[] cart = new byte[1024];
    private int active;
    private long nextUnit = 1;
    private double surge = 1.0;

    private long eventsTotal;
    private long eventsDelivered;
    private long eventsLost;
    private long sessionsArrived;
    private long chatMessages;

    public Audience(TrafficProfile profile, EdgeEngine engine, long seed, ChatSentimentScorer scorer) {
        this.profile = profile;
        this.scorer = scorer;
        this.mood = profile.chatMood();
        this.chatRandom = Rng.forPurpose(seed, "chat");
        this.chatText = new ChatTextGenerator(Rng.forPurpose(seed, "chat-text"));
        this.engine = engine;
        this.random = Rng.forPurpose(seed, "audience");
        this.regionCumulative = cumulative(profile.regionShares().stream().mapToDouble(Double::doubleValue).toArray());
        double[] perMinute = {profile.viewsPerMinute(), profile.hoversPerMinute(), profile.clicksPerMinute(), profile.chatPerMinute()};
        this.actionsPerSecond = Arrays.stream(perMinute).sum() / 60.0;
        this.kindCumulative = cumulative(perMinute);
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

    /** Multiplies arrivals, e.g. 5 for a viral surge; 1 is the profile's own rate. */
    public void setSurge(double multiplier) {
        this.surge = multiplier;
    }

    /** Plays one tick of audience behaviour against the engine, at the engine's current time. */
    public void tick() {
        double dt = engine.config().tickMillis() / 1000.0;
        double seconds = engine.nowMillis() / 1000.0;
        long arrivals = Rng.poisson(random, profile.arrivalRate(seconds) * surge * dt);
        for (long i = 0; i < arrivals; i++) {
            arrive();
        }
        long departures = Math.min(active, Rng.poisson(random, active * dt / profile.meanDwellSeconds()));
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
            int n = route.length * 2;
            route = Arrays.copyOf(route, n);
            unit = Arrays.copyOf(unit, n);
            cart = Arrays.copyOf(cart, n);
        }
        route[active] = engine.pickRoute(pick(regionCumulative, random.nextDouble()), random.nextDouble());
        unit[active] = nextUnit++;
        cart[active] = NONE;
        active++;
        sessionsArrived++;
    }

    private void depart(int slot) {
        int last = --active;
        route[slot] = route[last];
        unit[slot] = unit[last];
        cart[slot] = cart[last];
    }

    private void act(int slot) {
        int kind = pick(kindCumulative, random.nextDouble());
        int r = route[slot];
        if (kind == 2) {
            // A click: fill the cart, or check out what is in it.
            if (cart[slot] == IN_CART && random.nextDouble() < profile.checkoutProbability()) {
                cart[slot] = NONE;
                eventsTotal++;
                eventsDelivered++;
                engine.checkout(r);
                return;
            }
            if (cart[slot] == NONE && random.nextDouble() < profile.addToCartProbability()) {
                cart[slot] = IN_CART;
            }
        } else if (kind == 3) {
            sendChat();
        }
        eventsTotal++;
        if (engine.serve(r) >= 0) {
            eventsDelivered++;
        } else {
            eventsLost++;
        }
    }

    /** One chat message: text in the current mood, scored as the engine would score real chat. */
    private void sendChat() {
        double u = chatRandom.nextDouble();
        ChatTextGenerator.Mood m = u < mood.positive() ? ChatTextGenerator.Mood.POSITIVE
                : u < mood.positive() + mood.neutral() ? ChatTextGenerator.Mood.NEUTRAL
                : ChatTextGenerator.Mood.NEGATIVE;
        String text = chatText.next(m);
        reactions.record(engine.nowMillis(), text, scorer.compound(text));
        chatMessages++;
    }

    /** Changes the mood of chat from now on, as a sentiment-shift cue does. */
    public void setChatMood(TrafficProfile.ChatMood mood) {
        this.mood = mood;
    }

    public io.edgedeck.client.model.ChatMetrics chat() {
        ReactionIndex.ReactionSnapshot s = reactions.snapshot(engine.nowMillis());
        return new io.edgedeck.client.model.ChatMetrics(s.messages(), s.messagesPerMinute(), s.spikeRatio(),
                s.netSentiment(), s.meanScore(), s.topEmotes());
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

    public long chatMessages() {
        return chatMessages;
    }

    public EventCounts events() {
        return new EventCounts(eventsTotal, eventsDelivered, eventsLost);
    }
}
