package io.edgedeck.engine.flags;

import java.util.ArrayList;

/**
 * The versions of one flag that some PoP may still be running, oldest first: a version published
 * at {@code t} is live at a PoP from {@code t} plus its propagation delay.
 */
final class FlagVersions {
    /** A version and when it was published. */
    record Published(FlagEvaluator evaluator, long publishedAtMillis) {
        FlagDefinition definition() {
            return evaluator.definition();
        }
    }

    private final FlagEvaluator notYetLive;
    private final ArrayList<Published> versions = new ArrayList<>();

    FlagVersions(FlagEvaluator notYetLive) {
        this.notYetLive = notYetLive;
    }

    Published latest() {
        return versions.getLast();
    }

    void publish(FlagEvaluator evaluator, long atMillis, long maxDelayMillis) {
        versions.add(new Published(evaluator, atMillis));
        // Everything older than the newest version live at every PoP can never be served again.
        int newestEverywhere = -1;
        for (int i = versions.size() - 1; i >= 0; i--) {
            if (versions.get(i).publishedAtMillis() + maxDelayMillis <= atMillis) {
                newestEverywhere = i;
                break;
            }
        }
        if (newestEverywhere > 0) {
            versions.subList(0, newestEverywhere).clear();
        }
    }

    FlagEvaluator liveAt(long nowMillis, long delayMillis) {
        for (int i = versions.size() - 1; i >= 0; i--) {
            Published published = versions.get(i);
            if (published.publishedAtMillis() + delayMillis <= nowMillis) {
                return published.evaluator();
            }
        }
        return notYetLive;
    }
}
