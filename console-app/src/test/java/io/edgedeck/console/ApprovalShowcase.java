package io.edgedeck.console;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgedeck.client.EdgeConnection;
import io.edgedeck.client.model.Role;
import io.edgedeck.console.common.Snapshots;
import io.edgedeck.console.connection.Connections;
import io.edgedeck.simulator.scenario.NodeConfigParser;
import io.edgedeck.simulator.server.EdgeNode;
import io.edgedeck.simulator.server.operators.OperatorStore;
import javafx.application.Platform;
import javafx.scene.Node;
import javafx.scene.Parent;
import javafx.scene.control.ButtonBase;
import javafx.scene.control.Labeled;
import javafx.scene.control.TextField;
import javafx.stage.Stage;

import java.net.InetAddress;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.StringJoiner;
import java.util.concurrent.Callable;
import java.util.concurrent.FutureTask;

/**
 * Two people at one live node, each in a console window, photographed at the moments README's "Two people
 * for a risky change" shows: a {@code serve --live} node on loopback with docs/examples/node-config.json and
 * its approval lanes (a treatment above 60%, unkill, disarm), alice (an operator) and bob (an approver) added
 * as {@code operators add} adds them, and request latencies posted to its ingest API at each PoP, so the
 * status bars read a live node. alice raises the treatment to 70% from her Flags tab: held, her window is
 * written as {@code console-approval-held-dark.png}; bob's Requests tab offers him the approval:
 * {@code console-approval-requests-dark.png}; bob approves, alice applies it and opens the flag's history:
 * {@code console-flag-history-dark.png}. Each shot waits until what its window shows is the node's news
 * (the status bar's requests line included), and the program exits once the three are written.
 *
 * <p>Arguments: the node configuration to start from (docs/examples/node-config.json), a work directory
 * (the node's data and the people's tokens) and the directory the PNGs go to. Run it on a display
 * (xvfb-run), as docs/screenshots.sh does.
 */
public final class ApprovalShowcase {
    private static final String FLAG = "checkout-button";
    private static final Duration PATIENCE = Duration.ofSeconds(60);

    private ApprovalShowcase() {
    }

    public static void main(String[] args) throws Exception {
        Path work = Files.createDirectories(Path.of(args[1]));
        Path out = Files.createDirectories(Path.of(args[2]));
        ObjectNode config = (ObjectNode) new ObjectMapper().readTree(Files.readAllBytes(Path.of(args[0])));
        config.putObject("approvals").put("variantAbovePercent", 60).put("unkill", true).put("disarm", true);
        Path data = Files.createDirectories(work.resolve("node"));
        EdgeNode node = EdgeNode.start(EdgeNode.Config.live(NodeConfigParser.parse(new ObjectMapper().writeValueAsBytes(config)),
                InetAddress.getLoopbackAddress(), 0, data));
        // as the stage manager's account adds them, whoever runs the program: the audit names it (os:stage-manager)
        OperatorStore people = new OperatorStore(data, Clock.systemUTC(), "stage-manager");
        Path aliceToken = people.add("alice", Role.OPERATOR, work.resolve("alice.token")).tokenFile();
        Path bobToken = people.add("bob", Role.APPROVER, work.resolve("bob.token")).tokenFile();
        List<String> pops = config.withArray("pops").valueStream().map(p -> p.get("id").asText()).toList();
        Thread sender = Thread.ofPlatform().daemon().name("showcase-latencies").start(() -> sendLatencies(node, pops));

        EdgeConnection aliceConnection = connect(node, aliceToken);
        EdgeConnection bobConnection = connect(node, bobToken);
        Platform.startup(() -> { });
        Console alice = onFx(() -> open(aliceConnection, 0));
        Console bob = onFx(() -> open(bobConnection, 40));
        await("alice's console knows her", () -> text(alice, "#acting-as").equals("acting as alice (operator)"));
        await("bob's console knows him", () -> text(bob, "#acting-as").equals("acting as bob (approver)"));

        // alice raises the treatment to 70%: over the 60% lane, so it is held as request #1, not applied
        onFx(() -> alice.showTab("flags"));
        await("alice's Weights button", () -> visible(alice, "#weights-" + FLAG));
        fire(alice, "#weights-" + FLAG);
        type(alice, "#weight-control", "30");
        type(alice, "#weight-treatment", "70");
        fire(alice, "#weights-next");
        confirm(alice, "ramp for the drop");
        await("alice's row says held", () -> text(alice, "#held-" + FLAG).equals("held: request #1, waiting for an approver"));
        await("alice's status bar counts her request", () -> text(alice, "#requests-status").equals("requests: 1 open"));
        await("alice's audit shows her request", () -> onFx(() -> ((javafx.scene.control.TableView<?>) find(alice, "#audit-table"))
                .getItems().stream().anyMatch(e -> e instanceof io.edgedeck.client.model.AuditEntry a
                        && a.actor().equals("alice") && a.action().equals("request.open"))));
        shoot(alice, out.resolve("console-approval-held-dark.png"));

        // bob's Requests tab offers him the approval of alice's request
        onFx(() -> bob.showTab("requests"));
        await("bob is offered the approval", () -> visible(bob, "#approve-1") && visible(bob, "#reject-1"));
        await("bob's status bar counts it", () -> text(bob, "#requests-status").equals("requests: 1 open · 1 waiting for your approval"));
        shoot(bob, out.resolve("console-approval-requests-dark.png"));

        // bob approves; alice applies it and opens the flag's history: the even split, then her ramp
        fire(bob, "#approve-1");
        confirm(bob, "checked with the producer");
        await("bob's approval", () -> text(bob, "#requests-message").startsWith("Approved request #1"));
        onFx(() -> alice.showTab("requests"));
        await("alice is offered the apply", () -> visible(alice, "#apply-1"));
        fire(alice, "#apply-1");
        await("alice's apply", () -> text(alice, "#requests-message").startsWith("Applied request #1"));
        onFx(() -> alice.showTab("flags"));
        await("the held line gone and the row at v2", () -> !visible(alice, "#held-" + FLAG) && visible(alice, "#history-" + FLAG));
        await("alice's status bar has no request open", () -> text(alice, "#requests-status").equals("requests: none open"));
        fire(alice, "#history-" + FLAG);
        await("the history's versions", () -> visible(alice, "#restore-v1"));
        shoot(alice, out.resolve("console-flag-history-dark.png"));

        onFx(() -> {
            alice.dispose();
            bob.dispose();
            return null;
        });
        sender.interrupt();
        sender.join();
        node.close();
        Platform.exit();
        System.exit(0);
    }

    /** A LIVE connection as {@code --connect URL --token-file FILE} opens it. */
    private static EdgeConnection connect(EdgeNode node, Path tokenFile) throws Exception {
        return Connections.open(ConsoleOptions.parse(List.of("--connect", node.baseUri().toString(), "--token-file", tokenFile.toString())));
    }

    /** A console window for {@code connection}, in the dark theme at the docs' 1320x820. FX thread. */
    private static Console open(EdgeConnection connection, double at) {
        Stage stage = new Stage();
        Console console = TestConsoles.show(stage, connection);
        stage.setX(at);
        stage.setY(at);
        return console;
    }

    /** Posts a batch of request latencies at every PoP five times a second, as an edge's log shipper would, until interrupted. */
    private static void sendLatencies(EdgeNode node, List<String> pops) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        Random rnd = new Random(2612);
        try {
            String key = Files.readString(node.dataDir().resolve("ingest-key")).trim();
            for (long batch = 0; !Thread.currentThread().isInterrupted(); batch++) {
                StringJoiner body = new StringJoiner("\n");
                for (String pop : pops) {
                    for (int i = 0; i < 20; i++) {
                        body.add(String.format(Locale.ROOT, "{\"id\": \"%s-%d-%d\", \"type\": \"latency\", \"pop\": \"%s\", \"ms\": %.1f}",
                                pop, batch, i, pop, Math.exp(3.3 + 0.3 * rnd.nextGaussian())));
                    }
                }
                http.send(HttpRequest.newBuilder(node.baseUri().resolve("/ingest/v1/events")).timeout(Duration.ofSeconds(10))
                        .header("Authorization", "Bearer " + key).header("Content-Type", "application/x-ndjson")
                        .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(), HttpResponse.BodyHandlers.discarding());
                Thread.sleep(200);
            }
        } catch (java.io.IOException e) {
            System.out.println("latencies stopped: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Runs {@code work} on the FX thread and waits for its result (PreflightShowcase too). */
    static <T> T onFx(Callable<T> work) throws Exception {
        FutureTask<T> task = new FutureTask<>(work);
        Platform.runLater(task);
        return task.get();
    }

    private static void onFx(Runnable work) throws Exception {
        onFx(() -> {
            work.run();
            return null;
        });
    }

    /** The node {@code query} finds in the console's window, or null. FX thread. */
    static Node find(Console c, String query) {
        return c.scene().getRoot().lookup(query);
    }

    static String text(Console c, String query) throws Exception {
        return onFx(() -> find(c, query) instanceof Labeled l && l.getText() != null ? l.getText() : "");
    }

    private static boolean visible(Console c, String query) throws Exception {
        return onFx(() -> find(c, query) != null && find(c, query).isVisible());
    }

    /** Presses a button as its click does, in that console's window (two windows share the screen). */
    private static void fire(Console c, String query) throws Exception {
        onFx(() -> {
            ButtonBase button = (ButtonBase) find(c, query);
            if (button == null || button.isDisabled()) {
                throw new IllegalStateException(query + " is " + (button == null ? "not there" : "disabled"));
            }
            button.fire();
        });
    }

    private static void type(Console c, String query, String text) throws Exception {
        onFx(() -> ((TextField) find(c, query)).setText(text));
    }

    /** Gives the reason the change's prompt asks for, and confirms it. */
    private static void confirm(Console c, String reason) throws Exception {
        await("the reason prompt", () -> visible(c, "#prompt-confirm"));
        type(c, "#prompt-reason", reason);
        fire(c, "#prompt-confirm");
    }

    private static void await(String what, Callable<Boolean> condition) throws Exception {
        await(what, PATIENCE, condition);
    }

    /** Waits until {@code condition} holds, at most {@code patience}, then one pulse more (PreflightShowcase too). */
    static void await(String what, Duration patience, Callable<Boolean> condition) throws Exception {
        long until = System.nanoTime() + patience.toNanos();
        while (!condition.call()) {
            if (System.nanoTime() > until) {
                throw new IllegalStateException("timed out waiting for " + what);
            }
            Thread.sleep(100);
        }
        // one more pulse, so what the condition saw is drawn
        Thread.sleep(300);
    }

    /** Writes the console's window as a PNG, as {@code --screenshot} does. */
    private static void shoot(Console c, Path file) throws Exception {
        Snapshots.writePng(onFx(() -> Snapshots.capture((Parent) c.scene().getRoot())), file);
        System.out.println("Wrote " + file);
    }
}
