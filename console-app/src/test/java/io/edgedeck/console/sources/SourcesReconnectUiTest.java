package io.edgedeck.console.sources;

import io.edgedeck.client.EdgeConnection;
import io.edgedeck.console.TestConsoles;
import io.edgedeck.simulator.server.EdgeNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.util.WaitForAsyncUtils;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The Sources line on a real node: when the console hears from the node again it asks what feeds it at once,
 * rather than leave "not heard for 12 s" beside a connection that is back until the next period.
 */
@ExtendWith(ApplicationExtension.class)
class SourcesReconnectUiTest {
    @TempDir
    Path dir;
    private EdgeNode node;
    private EdgeConnection connection;
    private SourcesFeature sources;

    @AfterEach
    void close() {
        if (sources != null) {
            WaitForAsyncUtils.waitForAsyncFx(10_000, sources::dispose);
        }
        if (connection != null) {
            connection.close();
        }
        if (node != null) {
            node.close();
        }
    }

    @Test
    void theNodeIsAskedAtOnceWhenTheConnectionComesBack(FxRobot robot) throws Exception {
        node = TestConsoles.startExampleNode(dir, 0);
        connection = TestConsoles.connect(node);
        // Online first: a question asked before the connection is up fails at once ("not connected"), and with a
        // period of an hour it would not be asked again within this test.
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> connection.status().online());
        AtomicInteger asked = new AtomicInteger();
        // A period of an hour: a second question within this test can only be the one the reconnect asks.
        robot.interact(() -> sources = new SourcesFeature(() -> {
            asked.incrementAndGet();
            return connection;
        }, System::currentTimeMillis, 3_600_000));
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> {
            robot.interact(sources::takeAnswer);
            return !sources.model().rows().isEmpty();
        });
        assertEquals(1, asked.get(), "asked once as it started");
        // The connection drops and comes back, as the console tells every feature.
        robot.interact(() -> sources.connectionOnline(false));
        robot.interact(() -> sources.connectionOnline(true));
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> asked.get() == 2);
    }
}
