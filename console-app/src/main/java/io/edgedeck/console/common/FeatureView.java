package io.edgedeck.console.common;

import io.edgedeck.client.model.MetricsFrame;

/** A feature whose view model takes the ticks: the tab's title and the forwarding, once. */
public abstract class FeatureView implements Feature {
    private final String title;
    private final FrameTicker.Sink model;

    protected FeatureView(String title, FrameTicker.Sink model) {
        this.title = title;
        this.model = model;
    }

    @Override
    public final String title() {
        return title;
    }

    @Override
    public final void onTick(MetricsFrame frame, boolean fresh, long millisSinceFrame) {
        model.onTick(frame, fresh, millisSinceFrame);
    }

    @Override
    public final void onPassed(MetricsFrame frame) {
        model.onPassed(frame);
    }
}
