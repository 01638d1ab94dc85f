package io.edgedeck.console.approvals;

import io.edgedeck.client.EdgeException;
import io.edgedeck.client.http.HttpEdgeConnection;
import io.edgedeck.client.model.Caller;
import io.edgedeck.client.model.ChangeRequest;
import io.edgedeck.client.model.FlagChange;
import io.edgedeck.client.model.FlagView;
import io.edgedeck.client.model.Role;
import io.edgedeck.client.model.VariantView;
import io.edgedeck.console.LanedNodes;
import io.edgedeck.console.common.Background;
import io.edgedeck.console.connection.ConsoleSession;
import io.edgedeck.simulator.server.EdgeNode;
import io.edgedeck.simulator.server.operators.OperatorStore;
import javafx.beans.property.SimpleObjectProperty;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CompletionException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Requests tab's steps against a real node: an approval is of the revision the row showed, so an
 * edit that lands between the list and the click makes the node refuse it, and the tab says why.
 */
class RequestsViewModelNodeTest {
    private static final String FLAG = "checkout-button";

    @TempDir
    Path dir;

    @Test
    void anApprovalIsOfTheRevisionTheRowShowed() throws Exception {
        withAliceAndBob((alice, bob, vm, flag) -> {
            CompletionException held = assertThrows(CompletionException.class,
                    () -> alice.changeFlag(FLAG, ramp(flag.version(), 7000, "ramp")).join());
            ChangeRequest opened = assertInstanceOf(EdgeException.class, held.getCause()).heldRequest();
            vm.answered(bob.requests().join(), System.currentTimeMillis());
            RequestsViewModel.Row shown = vm.rows().getFirst();
            assertEquals(1, shown.request().revision());

            // alice edits while bob reads the row; his approval of what he saw is refused
            alice.editRequest(opened.id(), ramp(flag.version(), 8000, "more")).join();
            vm.approve(shown, "70 is fine");
            awaitMessage(vm, "Not done: ");
            assertTrue(vm.messageProperty().get().contains("is at revision 2, not 1"), vm.messageProperty().get());
            ChangeRequest now = bob.requests().join().getFirst();
            assertEquals(ChangeRequest.State.PENDING, now.state());
            assertNull(now.decidedBy(), "nobody approved 80%");

            // the row as it now stands is approved
            vm.answered(bob.requests().join(), System.currentTimeMillis());
            vm.approve(vm.rows().getFirst(), "80 is fine");
            awaitMessage(vm, "Approved request #" + opened.id());
            assertEquals(List.of(ChangeRequest.State.APPROVED), bob.requests().join().stream().map(ChangeRequest::state).toList());
            assertEquals(2, bob.requests().join().getFirst().revision());
        });
    }

    /**
     * A request whose flag moved on after the row was shown is refused when approved (409, {@code field}
     * {@code expectedVersion}); the tab's message names that field in words before the node's own, and does not call the
     * requester's change the approver's.
     */
    @Test
    void anApprovalOfARequestWhoseFlagMovedOnNamesTheFieldTheNodeRefused() throws Exception {
        withAliceAndBob((alice, bob, vm, flag) -> {
            assertThrows(CompletionException.class, () -> alice.changeFlag(FLAG, ramp(flag.version(), 7000, "ramp")).join());
            vm.answered(bob.requests().join(), System.currentTimeMillis());
            RequestsViewModel.Row shown = vm.rows().getFirst();

            // a change under the lanes' threshold applies at once, and moves the flag past the request's version
            alice.changeFlag(FLAG, ramp(flag.version(), 5500, "a little more")).join();
            vm.approve(shown, "70 is fine");
            awaitMessage(vm, "Not done: ");
            String said = vm.messageProperty().get();
            assertTrue(said.startsWith("Not done: the flag's version the change started from: "), said);
            assertTrue(said.contains("is at version " + (flag.version() + 1)), said);
            assertEquals(ChangeRequest.State.PENDING, bob.requests().join().getFirst().state(), "nothing approved");
        });
    }

    /** What a test does with alice (an operator) and bob (an approver) on a real node, and bob's Requests tab. */
    private interface TwoPeople {
        void run(HttpEdgeConnection alice, HttpEdgeConnection bob, RequestsViewModel bobsRequests, FlagView flag) throws Exception;
    }

    /** Starts a laned node with alice and bob, each connected with a token of their own, and runs {@code test}. */
    private void withAliceAndBob(TwoPeople test) throws Exception {
        Path data = Files.createDirectory(dir.resolve("node"));
        try (EdgeNode node = LanedNodes.start(data)) {
            OperatorStore people = new OperatorStore(data, Clock.systemUTC());
            String aliceToken = Files.readString(people.add("alice", Role.OPERATOR, dir.resolve("alice.token")).tokenFile()).trim();
            String bobToken = Files.readString(people.add("bob", Role.APPROVER, dir.resolve("bob.token")).tokenFile()).trim();
            try (HttpEdgeConnection alice = HttpEdgeConnection.open(node.baseUri(), aliceToken);
                 HttpEdgeConnection bob = HttpEdgeConnection.open(node.baseUri(), bobToken)) {
                ConsoleSession session = new ConsoleSession(bob, Background.sameThread()); // bob's connection: closed above
                await(() -> alice.status().online() && bob.status().online());
                FlagView flag = alice.flags().join().stream().filter(f -> f.key().equals(FLAG)).findFirst().orElseThrow();
                RequestsViewModel vm = new RequestsViewModel(session, new SimpleObjectProperty<>(new Caller("bob", Role.APPROVER)),
                        Background.sameThread(), () -> { });
                test.run(alice, bob, vm, flag);
            }
        }
    }

    private static FlagChange ramp(long version, int treatment, String reason) {
        return new FlagChange(version, List.of(new VariantView("control", 10_000 - treatment), new VariantView("treatment", treatment)),
                null, null, reason);
    }

    private static void awaitMessage(RequestsViewModel vm, String start) throws InterruptedException {
        await(() -> vm.messageProperty().get().startsWith(start));
        assertTrue(vm.messageProperty().get().startsWith(start), "message: " + vm.messageProperty().get());
    }

    private static void await(java.util.function.BooleanSupplier done) throws InterruptedException {
        long until = System.currentTimeMillis() + 20_000;
        while (!done.getAsBoolean()) {
            assertTrue(System.currentTimeMillis() < until, "timed out");
            Thread.sleep(20);
        }
    }
}
