package io.edgedeck.console.common;

import io.edgedeck.client.model.MetricsFrame;

/**
 * Tells when frames start coming from another show: another scenario or seed, or engine time going
 * backwards (the same show restarted). View models that keep history forget it then, so two
 * rehearsals never share a chart.
 */
public final class ShowChange {
    private String scenario;
    private long seed;
    private long lastMillis = -1;

    /** True for the first frame of a show other than the one before. */
    public boolean isNewShow(MetricsFrame frame) {
        boolean changed = lastMillis >= 0 && (!frame.scenario().equals(scenario) || frame.seed() != seed
                || frame.engineMillis() < lastMillis);
        scenario = frame.scenario();
        seed = frame.seed();
        lastMillis = frame.engineMillis();
        return changed;
    }
}
