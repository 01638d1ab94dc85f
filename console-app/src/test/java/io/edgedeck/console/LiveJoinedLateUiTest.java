package io.edgedeck.console;

import eu.hansolo.tilesfx.Tile;
import io.edgedeck.console.timeline.TimelineViewModel;
import javafx.scene.control.Label;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.util.WaitForAsyncUtils;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A LIVE console that joins a node's show while it runs, on a real node on loopback: the Timeline's
 * latency before it connected comes from the PoPs' history and what no history keeps says where it
 * starts; a variant tile whose units convert more than once never reads as more units converted than
 * were exposed.
 */
@ExtendWith(ApplicationExtension.class)
class LiveJoinedLateUiTest {
    @TempDir
    Path dir;
    @RegisterExtension
    final TestConsoles.Live live = new TestConsoles.Live();
    private final HttpClient http = HttpClient.newHttpClient();

    /** A node whose clock runs {@code rate} times the wall clock's pace, so a show can be under way in a moment. */
    private void startNode(double rate) throws Exception {
        live.node = TestConsoles.startExampleNode(Files.createDirectory(dir.resolve("node")), 0, rate);
    }

    private void connectConsole(FxRobot robot) throws Exception {
        live.connection = TestConsoles.openReconnectingQuickly(live.node);
        live.show(robot, live.connection);
        WaitForAsyncUtils.waitFor(15, TimeUnit.SECONDS, () -> FxLookup.onFx(() -> robot.lookup("#connection-status")
                .tryQueryAs(Label.class).map(Label::getText).orElse("")).startsWith("Online"));
    }

    private void ingest(String events) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(live.node.baseUri().resolve("/ingest/v1/events"))
                .header("Authorization", "Bearer " + Files.readString(live.node.ingestKeyFile()).trim())
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(events)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
    }

    @Test
    void theTimelineDrawsLatencyFromBeforeTheConsoleConnectedAndSaysWhereTheRestStarts(FxRobot robot) throws Exception {
        startNode(20);
        // fra serves 80 ms, then 300 ms, over some 20 engine seconds before any console is there.
        for (int batch = 0; batch < 10; batch++) {
            StringBuilder events = new StringBuilder("[");
            for (int i = 0; i < 20; i++) {
                events.append(i == 0 ? "" : ",").append("{\"id\":\"l-").append(batch).append('-').append(i)
                        .append("\",\"type\":\"latency\",\"pop\":\"fra\",\"ms\":").append(batch < 5 ? 80 : 300).append('}');
            }
            ingest(events.append(']').toString());
            Thread.sleep(100);
        }
        connectConsole(robot);
        TimelineViewModel timeline = live.console.timeline().viewModel();
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> FxLookup.onFx(timeline::latencyBackfilled));
        FxLookup.onFx(() -> {
            long liveFrom = timeline.liveFromMillis();
            assertTrue(liveFrom >= 10_000, "the console joined a show under way: " + liveFrom);
            var before = timeline.samples().stream().filter(s -> s.atMillis() < liveFrom).toList();
            assertTrue(before.stream().anyMatch(s -> s.worstP95Ms() > 70 && s.worstP95Ms() < 90),
                    "fra's 80 ms seconds before the console connected are drawn: " + before);
            assertTrue(before.stream().anyMatch(s -> s.worstP95Ms() > 250 && "fra".equals(s.worstPop())),
                    "and its 300 ms ones: " + before);
            assertTrue(before.stream().allMatch(s -> s.conversion().isEmpty() && Double.isNaN(s.chatMean())),
                    "no conversion or sentiment is made up for the time before: " + before);
            return null;
        });
        robot.interact(() -> live.console.showTab("timeline"));
        String note = FxLookup.onFx(() -> robot.lookup("#timeline-history-note").queryAs(Label.class).getText());
        assertTrue(note.startsWith("p95 before ") && note.contains("from the PoPs' history")
                && note.contains("Conversion and chat sentiment from ") && note.contains("when this console connected"), note);
        TestConsoles.shootIfAsked(live.console, "live-timeline-joined-late");
    }

    @Test
    void aVariantTileWithRepeatBuyersNeverSaysMoreConvertedThanExposed(FxRobot robot) throws Exception {
        startNode(1);
        ingest("[{\"id\":\"e1\",\"type\":\"exposure\",\"flag\":\"checkout-button\",\"variant\":\"control\","
                + "\"targetingKey\":\"cv-unit\",\"pop\":\"fra\"},"
                + "{\"id\":\"c1\",\"type\":\"conversion\",\"name\":\"checkout\",\"targetingKey\":\"cv-unit\"},"
                + "{\"id\":\"c2\",\"type\":\"conversion\",\"name\":\"checkout\",\"targetingKey\":\"cv-unit\"},"
                + "{\"id\":\"c3\",\"type\":\"conversion\",\"name\":\"checkout\",\"targetingKey\":\"cv-unit\"},"
                + "{\"id\":\"t1\",\"type\":\"chat\",\"text\":\"love it\",\"targetingKey\":\"cv-unit\"}]");
        connectConsole(robot);
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> FxLookup.onFx(() -> robot.lookup("#variant-tile-checkout-button-control")
                .tryQueryAs(Tile.class).map(t -> t.getValue() == 300).orElse(false)));
        Tile tile = FxLookup.onFx(() -> robot.lookup("#variant-tile-checkout-button-control").queryAs(Tile.class));
        String text = FxLookup.onFx(tile::getText);
        Matcher ofConverted = Pattern.compile("([\\d,]+) of ([\\d,]+) converted").matcher(text);
        assertFalse(ofConverted.find(), "conversions are events, not units: '" + text + "'");
        assertTrue(text.replace('\u00A0', ' ').startsWith("3 conversions · 1 exposure"), text);
        assertEquals("conv/100 exp", FxLookup.onFx(tile::getUnit), "300 is conversions per 100 exposures, not a share of the units");
        assertEquals(300, FxLookup.onFx(tile::getValue), 1e-9);
        TestConsoles.shootIfAsked(live.console, "live-variant-repeat-buyers");
    }
}
