package io.edgedeck.console;

import io.edgedeck.client.model.MetricsFrame;
import io.edgedeck.console.common.FrameTicker;

import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * What {@code --report-startup} prints, once: how long after JVM start the first live frame reached
 * the views on the FX thread, and when the pulse that draws it had laid the scene out (what remains is
 * rendering). The JVM's start time is asked for only once the frame is there: asking loads the JDK's
 * management classes (about 40, not in the start-up cache), which before the first frame would be
 * counted in the very figure the report gives.
 */
final class FirstLiveFrameReport implements FrameTicker.Sink {
    private final LongSupplier jvmStartMillis;
    private final LongSupplier clockMillis;
    private final Consumer<Runnable> afterNextLayout;
    private final Consumer<String> out;
    private boolean reported;

    /**
     * @param jvmStartMillis  the JVM's start, ms since the epoch; asked once, after the first frame
     * @param clockMillis     now, ms since the epoch
     * @param afterNextLayout runs its argument once the next pulse has laid the scene out
     * @param out             where the line goes
     */
    FirstLiveFrameReport(LongSupplier jvmStartMillis, LongSupplier clockMillis, Consumer<Runnable> afterNextLayout,
                         Consumer<String> out) {
        this.jvmStartMillis = jvmStartMillis;
        this.clockMillis = clockMillis;
        this.afterNextLayout = afterNextLayout;
        this.out = out;
    }

    @Override
    public void onTick(MetricsFrame frame, boolean fresh, long millisSinceFrame) {
        if (reported) {
            return;
        }
        reported = true;
        long appliedAt = clockMillis.getAsLong();
        afterNextLayout.accept(() -> {
            long laidOutAt = clockMillis.getAsLong();
            long jvmStart = jvmStartMillis.getAsLong();
            out.accept("first live frame " + (appliedAt - jvmStart) + " ms after JVM start (laid out for drawing at "
                    + (laidOutAt - jvmStart) + " ms)");
        });
    }
}
