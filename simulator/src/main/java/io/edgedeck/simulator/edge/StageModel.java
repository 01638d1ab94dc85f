package io.edgedeck.simulator.edge;

import java.util.SplittableRandom;

/**
 * The simulated edge's model of a decision's stages (docs/DECISION-BUDGET.md states it):
 * <ul>
 *   <li><b>validate</b>: the request that carries the decision reaching the PoP and being checked
 *   there: the latency the edge drew for that very request (queueing and faults included);</li>
 *   <li><b>enrich</b>: looking up the session's cart and profile, which live at its home PoP: one
 *   request's latency drawn from the home PoP's model, plus one from the serving PoP's model when the
 *   session was served elsewhere (the lookup crosses to home and back);</li>
 *   <li><b>act</b>, for a checkout: the acquirer's authorisation, {@code acquirerBaseMs} times a
 *   lognormal factor of median 1 (σ 0.3) plus the PoP's acquirer slowdown, given up at the
 *   authorisation timeout (then the checkout is queued); a PoP that cannot reach the acquirer at all
 *   (partitioned, or the session's home is down) queues at once, one local write drawn from its own
 *   model. For a triggered action: the action's push to the screen, one request drawn from the
 *   serving PoP's model.</li>
 * </ul>
 * Every draw comes from streams of their own ({@code stages/<pop>}, {@code acquirer}), so adding the
 * model left every other number of a show as it was. Engine thread.
 */
final class StageModel {
    private static final double ACQUIRER_SIGMA = 0.3;

    private final LatencySampler[] samplers;
    private final SplittableRandom acquirer;

    StageModel(EdgeModel model) {
        samplers = new LatencySampler[model.pops().size()];
        for (int i = 0; i < samplers.length; i++) {
            PopSpec spec = model.pops().get(i);
            samplers[i] = new LatencySampler(spec.latency(), Rng.forPurpose(model.seed(), "stages/" + spec.id()));
        }
        acquirer = Rng.forPurpose(model.seed(), "acquirer");
    }

    /** One request's latency at a PoP, with the faults in force there. */
    double requestMs(SimulatedPop p) {
        return samplers[p.index].sample(p.stormJitterMs(), p.shiftMs());
    }

    double enrichMs(SimulatedPop home, SimulatedPop served) {
        double lookup = requestMs(home);
        return served.index == home.index ? lookup : lookup + requestMs(served);
    }

    /** The acquirer's time to authorise at a PoP, before any timeout. */
    double acquirerMs(double baseMs, SimulatedPop at) {
        return baseMs * Math.exp(ACQUIRER_SIGMA * Rng.gaussian(acquirer)) + at.acquirerExtraMs();
    }
}
