package io.edgedeck.console;

import io.edgedeck.client.EdgeConnection;
import io.edgedeck.client.model.Caller;
import io.edgedeck.client.model.ChangeRequest;
import io.edgedeck.client.model.Playbook;
import io.edgedeck.client.model.Role;
import io.edgedeck.client.model.ScheduledChange;
import io.edgedeck.console.approvals.RequestsView;
import io.edgedeck.console.approvals.RequestsViewModel;
import io.edgedeck.console.common.Background;
import io.edgedeck.console.common.NodePoller;
import io.edgedeck.console.common.Prompter;
import io.edgedeck.console.connection.ConsoleSession;
import io.edgedeck.console.playbooks.PlaybooksView;
import io.edgedeck.console.playbooks.PlaybooksViewModel;
import io.edgedeck.console.playbooks.ScheduleView;
import io.edgedeck.console.playbooks.ScheduleViewModel;
import io.edgedeck.console.triggers.TriggersFeature;
import io.edgedeck.simulator.server.EdgeNode;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.util.WaitForAsyncUtils;

import java.nio.file.Path;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The Requests, Triggers, Schedule and Playbooks pollers on a real node: when the console hears from the node again
 * each asks at once, rather than show what it last heard before the drop until its next period (the Sources line's
 * is {@code SourcesReconnectUiTest}). Each is built with a period of an hour: a second question within a test can
 * only be the one the reconnect asks.
 */
@ExtendWith(ApplicationExtension.class)
class PollersReconnectUiTest {
    private static final long HOUR_MILLIS = 3_600_000;

    @TempDir
    Path dir;
    private EdgeNode node;
    private EdgeConnection connection;
    private ConsoleSession session;
    private final AtomicInteger asked = new AtomicInteger();
    /** The node's answers: one question at a time, so the reconnect's question waits for the first answer. */
    private final AtomicInteger answers = new AtomicInteger();
    private Runnable dispose = () -> { };
    private final Prompter prompter = new Prompter(new SimpleStringProperty(""));

    @BeforeEach
    void start() throws Exception {
        node = TestConsoles.startExampleNode(dir, 0);
        connection = TestConsoles.connect(node);
        session = new ConsoleSession(connection, Background.sameThread());
    }

    @AfterEach
    void close(FxRobot robot) {
        robot.interact(dispose);
        connection.close();
        node.close();
    }

    /** A poller of the hour that counts the questions it puts to the node, and its answers. */
    private <T> NodePoller<T> counted(Function<EdgeConnection, CompletableFuture<T>> question) {
        return new NodePoller<>("reconnect-test", HOUR_MILLIS, () -> {
            asked.incrementAndGet();
            return question.apply(connection).whenComplete((answer, failure) -> answers.incrementAndGet());
        });
    }

    /** The connection drops and comes back, as the console tells every tab: the node is asked again at once. */
    private void askedAgainOnReconnect(FxRobot robot, Consumer<Boolean> connectionOnline) throws Exception {
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> answers.get() == 1);
        assertEquals(1, asked.get(), "asked once as it started");
        robot.interact(() -> connectionOnline.accept(false));
        robot.interact(() -> connectionOnline.accept(true));
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> asked.get() == 2);
    }

    /** Builds a tab on the FX thread, to be let go of after the test. */
    private <V> V built(FxRobot robot, Supplier<V> build, Consumer<V> release) {
        List<V> made = new ArrayList<>();
        robot.interact(() -> made.add(build.get()));
        dispose = () -> release.accept(made.getFirst());
        return made.getFirst();
    }

    @Test
    void requestsAreAskedAtOnce(FxRobot robot) throws Exception {
        NodePoller<List<ChangeRequest>> poller = counted(EdgeConnection::requests);
        RequestsView view = built(robot, () -> new RequestsView(new RequestsViewModel(session,
                new SimpleObjectProperty<>(new Caller("stage-producer", Role.OPERATOR)), Background.sameThread(), poller::askNow),
                poller, prompter, System::currentTimeMillis), RequestsView::dispose);
        askedAgainOnReconnect(robot, view::connectionOnline);
    }

    @Test
    void scheduledChangesAreAskedAtOnce(FxRobot robot) throws Exception {
        NodePoller<List<ScheduledChange>> poller = counted(EdgeConnection::scheduledChanges);
        ScheduleView view = built(robot, () -> new ScheduleView(new ScheduleViewModel(session, new SimpleBooleanProperty(true),
                Background.sameThread(), poller::askNow, ZoneId.of("UTC")), poller, prompter, System::currentTimeMillis),
                ScheduleView::dispose);
        askedAgainOnReconnect(robot, view::connectionOnline);
    }

    @Test
    void playbooksAreAskedAtOnce(FxRobot robot) throws Exception {
        NodePoller<List<Playbook>> poller = counted(EdgeConnection::playbookList);
        PlaybooksView view = built(robot, () -> new PlaybooksView(new PlaybooksViewModel(session, new SimpleBooleanProperty(true),
                Background.sameThread(), poller::askNow), poller, prompter, System::currentTimeMillis), PlaybooksView::dispose);
        askedAgainOnReconnect(robot, view::connectionOnline);
    }

    @Test
    void theTriggerAuditIsAskedAtOnce(FxRobot robot) throws Exception {
        Supplier<EdgeConnection> countedConnection = () -> {
            asked.incrementAndGet();
            return connection;
        };
        TriggersFeature triggers = built(robot, () -> new TriggersFeature(countedConnection, System::currentTimeMillis, HOUR_MILLIS),
                TriggersFeature::dispose);
        // The audit's answer, taken as the frame tick takes it.
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> {
            robot.interact(triggers::takeAnswer);
            if (triggers.model().answeredProperty().get()) {
                answers.set(1);
            }
            return answers.get() == 1;
        });
        askedAgainOnReconnect(robot, triggers::connectionOnline);
    }
}
