package io.edgedeck.console.common;

import io.edgedeck.client.EdgeConnection;
import io.edgedeck.client.model.ChatMetrics;
import io.edgedeck.client.model.MetricsFrame;
import io.edgedeck.client.model.PopHealth;
import io.edgedeck.console.Frames;
import io.edgedeck.console.timeline.TimelineViewModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * What a chart keeps is a function of the frames the engine published, not of when the console's ticks
 * fell: frames that arrive between two ticks reach the sinks too, in order.
 */
@ExtendWith(ApplicationExtension.class)
class FrameTickerTest {

    /** A connection whose frames the test hands over, as a connection's own thread would. */
    static final class Feed {
        final List<Consumer<MetricsFrame>> listeners = new ArrayList<>();
        final EdgeConnection connection = (EdgeConnection) Proxy.newProxyInstance(EdgeConnection.class.getClassLoader(),
                new Class<?>[] {EdgeConnection.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "subscribeFrames" -> {
                        @SuppressWarnings("unchecked")
                        Consumer<MetricsFrame> listener = (Consumer<MetricsFrame>) args[0];
                        listeners.add(listener);
                        yield (io.edgedeck.client.Subscription) () -> listeners.remove(listener);
                    }
                    case "latestFrame" -> Optional.empty();
                    case "hasHistory" -> false;
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    default -> throw new UnsupportedOperationException(method.getName());
                });

        void publish(MetricsFrame frame) {
            listeners.forEach(l -> l.accept(frame));
        }
    }

    static MetricsFrame frame(long engineMillis) {
        // p95 and chat change every frame, so a sample taken from another frame of its second would differ
        return Frames.frame(engineMillis, List.of(Frames.pop("fra", 40 + engineMillis / 250.0, PopHealth.UP)), null,
                new ChatMetrics(10, 5, 1, 20, (engineMillis % 1000) / 1000.0, List.of()), null, null, null, null);
    }

    /** The Timeline's samples after the frames of 0-10 s, ticked after every {@code framesPerTick} frames. */
    private static List<TimelineViewModel.Sample> timelineTicked(FxRobot robot, int framesPerTick) {
        Feed feed = new Feed();
        TimelineViewModel timeline = new TimelineViewModel();
        FrameTicker[] ticker = new FrameTicker[1];
        robot.interact(() -> {
            ticker[0] = new FrameTicker(feed.connection, () -> 0L);
            ticker[0].addSink(timeline);
        });
        for (long ms = 0; ms < 10_000; ms += 250) {
            feed.publish(frame(ms));
            if ((ms / 250 + 1) % framesPerTick == 0) {
                robot.interact(ticker[0]::tick);
            }
        }
        robot.interact(ticker[0]::tick);
        robot.interact(ticker[0]::close);
        return List.copyOf(timeline.samples());
    }

    @Test
    void theTimelineIsTheSameHoweverTheTicksFell(FxRobot robot) {
        List<TimelineViewModel.Sample> everyFrame = timelineTicked(robot, 1);
        List<TimelineViewModel.Sample> everySeventh = timelineTicked(robot, 7);
        List<TimelineViewModel.Sample> once = timelineTicked(robot, 1000);
        assertEquals(10, everyFrame.size(), "one sample per engine second: " + everyFrame);
        assertEquals(everyFrame, everySeventh);
        assertEquals(everyFrame, once);
        assertEquals(List.of(), everyFrame.stream().filter(TimelineViewModel.Sample::afterGap).toList(), "no frame was missed");
    }

    /** A sink or a per-tick action let go of (a tab taken away) runs no more from the next tick on; the others still do. */
    @Test
    void aRemovedSinkOrActionRunsNoMore(FxRobot robot) {
        Feed feed = new Feed();
        List<String> ran = new ArrayList<>();
        FrameTicker[] ticker = new FrameTicker[1];
        javafx.util.Subscription[] gone = new javafx.util.Subscription[2];
        robot.interact(() -> {
            ticker[0] = new FrameTicker(feed.connection, () -> 0L);
            gone[0] = ticker[0].addEveryTick(() -> ran.add("gone's action"));
            ticker[0].addEveryTick(() -> ran.add("kept's action"));
            gone[1] = ticker[0].addSink((frame, fresh, since) -> ran.add("gone's sink"));
            ticker[0].addSink((frame, fresh, since) -> ran.add("kept's sink"));
        });
        feed.publish(frame(0));
        robot.interact(ticker[0]::tick);
        assertEquals(List.of("gone's action", "kept's action", "gone's sink", "kept's sink"), ran);
        ran.clear();
        robot.interact(() -> {
            gone[0].unsubscribe();
            gone[1].unsubscribe();
        });
        feed.publish(frame(250));
        robot.interact(ticker[0]::tick);
        robot.interact(ticker[0]::tick);
        assertEquals(List.of("kept's action", "kept's sink", "kept's action", "kept's sink"), ran);
        robot.interact(() -> {
            assertEquals(1, ticker[0].everyTickActions());
            ticker[0].close();
        });
    }
    /**
     * Ten ticks a second on pulses that come on time (60 a second), and a pulse a second late ticks once, with the
     * newest frame, not once for every tenth of a second it missed: each of those would apply the frames that came
     * meanwhile and make that pulse longer still.
     */
    @Test
    void aLatePulseTicksOnceAndOnTimeTenASecond(FxRobot robot) {
        Feed feed = new Feed();
        List<Long> ticked = new ArrayList<>();
        FrameTicker[] ticker = new FrameTicker[1];
        robot.interact(() -> {
            ticker[0] = new FrameTicker(feed.connection, () -> 0L);
            ticker[0].addSink((frame, fresh, since) -> ticked.add(frame.engineMillis()));
        });
        long pulse = 1_000_000_000L / 60;
        long[] now = {5_000_000_000L};
        long[] engineMillis = {0};
        Runnable secondOnTime = () -> {
            for (int i = 0; i < 60; i++) {
                feed.publish(frame(engineMillis[0] += 250));
                now[0] += pulse;
                ticker[0].onPulse(now[0]);
            }
        };
        robot.interact(() -> {
            // as start() does, without the pulses of the toolkit's own clock: the test gives the pulses
            feed.publish(frame(engineMillis[0]));
            ticker[0].tick();
            ticker[0].onPulse(now[0]);
            secondOnTime.run();
        });
        assertEquals(11, ticked.size(), "start's tick and ten a second: " + ticked);
        robot.interact(() -> {
            for (int i = 0; i < 40; i++) {
                feed.publish(frame(engineMillis[0] += 250));
            }
            now[0] += 1_000_000_000L;
            ticker[0].onPulse(now[0]);
        });
        assertEquals(12, ticked.size(), "one tick for the late pulse: " + ticked);
        assertEquals(engineMillis[0], ticked.getLast(), "with the newest frame");
        robot.interact(secondOnTime);
        assertEquals(22, ticked.size(), "ten a second again after it: " + ticked);
        robot.interact(ticker[0]::close);
    }
}
