package io.edgedeck.console.approvals;

import io.edgedeck.client.model.Caller;
import io.edgedeck.client.model.ChangeRequest;
import io.edgedeck.client.model.FlagChange;
import io.edgedeck.client.model.Role;
import io.edgedeck.client.model.VariantView;
import io.edgedeck.console.approvals.RequestsViewModel.Step;
import io.edgedeck.console.common.Background;
import io.edgedeck.console.common.LiveClocks;
import io.edgedeck.console.common.Status;
import io.edgedeck.console.connection.ConsoleSession;
import io.edgedeck.console.connection.Connections;
import javafx.beans.property.SimpleObjectProperty;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which steps each person is offered on a request, and how the list reads, fresh and stale. */
class RequestsViewModelTest {

    private static ChangeRequest request(long id, ChangeRequest.State state, String requester, String decidedBy) {
        return new ChangeRequest(id, state, requester, ChangeRequest.FLAG_CHANGE, "checkout-button",
                new FlagChange(1, List.of(new VariantView("control", 3000), new VariantView("treatment", 7000)), null, requester,
                        "ramp"), "ramp", List.of("raises treatment of checkout-button to 70.00%, above 60.00%"), 1, 60_000,
                decidedBy, decidedBy == null ? null : 61_000L, decidedBy == null ? null : "ok",
                state == ChangeRequest.State.APPLIED ? "alice" : null, state == ChangeRequest.State.APPLIED ? 62_000L : null);
    }

    @ParameterizedTest(name = "{0} as {1} ({2}): {3}")
    @CsvSource({
            "pending,  alice, operator, EDIT WITHDRAW",
            "pending,  bob,   approver, APPROVE REJECT",
            "pending,  carol, operator, ''",
            "pending,  dave,  viewer,   ''",
            "pending,  admin, admin,    APPROVE REJECT",
            "approved, alice, operator, APPLY EDIT WITHDRAW",
            "approved, carol, operator, APPLY",
            "approved, bob,   approver, APPLY REJECT",
            "approved, dave,  viewer,   ''",
            "rejected, bob,   approver, ''",
            "applied,  alice, operator, ''",
    })
    void eachPersonIsOfferedWhatTheNodeAllowsThem(String state, String name, String role, String steps) {
        ChangeRequest r = request(1, ChangeRequest.State.of(state), "alice", state.equals("pending") ? null : "bob");
        List<Step> expected = steps.isBlank() ? List.of() : Arrays.stream(steps.split(" ")).map(Step::valueOf).toList();
        assertEquals(expected, RequestsViewModel.offers(r, new Caller(name, Role.of(role))));
    }

    @Test
    void theWeightsAnApproverApprovesComeFirstInTheRow() throws Exception {
        var connection = Connections.rehearse("steady-show", 7L, 1);
        try {
            RequestsViewModel vm = new RequestsViewModel(new ConsoleSession(connection, Background.sameThread()),
                    new SimpleObjectProperty<>(new Caller("bob", Role.APPROVER)), Background.sameThread(), () -> { });
            vm.answered(List.of(request(1, ChangeRequest.State.PENDING, "alice", null)), 1_000);
            assertEquals("control=30.0% treatment=70.0% for checkout-button", RequestsViewModel.numbersFirst(vm.rows().getFirst()));
        } finally {
            connection.close();
        }
    }

    @Test
    void nothingIsOfferedBeforeTheNodeSaysWhoTheTokenIs() {
        assertEquals(List.of(), RequestsViewModel.offers(request(1, ChangeRequest.State.PENDING, "alice", null), null));
    }

    @Test
    void openRequestsComeFirstAndAStaleListOffersNothing() throws Exception {
        var connection = Connections.rehearse("steady-show", 7L, 1);
        try {
            SimpleObjectProperty<Caller> who = new SimpleObjectProperty<>(new Caller("bob", Role.APPROVER));
            RequestsViewModel vm = new RequestsViewModel(new ConsoleSession(connection, Background.sameThread()), who,
                    Background.sameThread(), () -> { });
            assertEquals("requests: asking the node…", vm.summaryProperty().get());
            vm.answered(List.of(request(1, ChangeRequest.State.APPLIED, "carol", "bob"),
                    request(2, ChangeRequest.State.PENDING, "alice", null)), 1_000);
            assertEquals(List.of(2L, 1L), vm.rows().stream().map(RequestsViewModel.Row::id).toList());
            assertEquals(List.of(Step.APPROVE, Step.REJECT), vm.rows().getFirst().offers());
            assertEquals(Status.WARN, vm.rows().getFirst().status());
            assertEquals(Status.STALE, vm.rows().getLast().status(), "a decided request is grey");
            assertEquals("applied by alice", vm.rows().getLast().state());
            assertEquals("requests: 1 open · 1 waiting for your approval", vm.summaryProperty().get());

            vm.refresh(1_000 + RequestsViewModel.STALE_AFTER_MILLIS + 1);
            assertTrue(vm.rows().stream().allMatch(r -> r.offers().isEmpty() && r.status() == Status.STALE),
                    "no decision is offered on a list that may be old");
            assertEquals("requests: not heard from the node for 10 s", vm.summaryProperty().get());
            // It goes on counting, as the frames' "Numbers stale for 50 s" beside it does.
            vm.refresh(51_000);
            assertEquals("requests: not heard from the node for 50 s", vm.summaryProperty().get());

            who.set(new Caller("alice", Role.OPERATOR));
            vm.answered(List.of(request(2, ChangeRequest.State.PENDING, "alice", null)), 20_000);
            assertEquals(List.of(Step.EDIT, Step.WITHDRAW), vm.rows().getFirst().offers(), "the caller changed: her own request");
            vm.dispose();
        } finally {
            connection.close();
        }
    }

    /**
     * An approved request the node lists as stale (its apply can only be refused: the flag moved on, through the
     * fleet's control topic or here) is not offered to apply nor counted "to apply"; its row says why, in grey.
     */
    @Test
    void aStaleApprovedRequestIsNotOfferedToApplyAndSaysWhy() throws Exception {
        String why = "request #1 can no longer apply: flag checkout-button is at version 3, not 1; reject or withdraw it, or edit it";
        ChangeRequest stale = request(1, ChangeRequest.State.APPROVED, "alice", "bob").withStale(why);
        assertEquals(List.of(Step.EDIT, Step.WITHDRAW), RequestsViewModel.offers(stale, new Caller("alice", Role.OPERATOR)));
        assertEquals(List.of(Step.REJECT), RequestsViewModel.offers(stale, new Caller("bob", Role.APPROVER)));
        var connection = Connections.rehearse("steady-show", 7L, 1);
        try {
            RequestsViewModel vm = new RequestsViewModel(new ConsoleSession(connection, Background.sameThread()),
                    new SimpleObjectProperty<>(new Caller("carol", Role.OPERATOR)), Background.sameThread(), () -> { });
            vm.answered(List.of(stale, request(2, ChangeRequest.State.APPROVED, "alice", "bob")), 1_000);
            assertEquals(List.of(), vm.rows().getFirst().offers(), "carol may only apply, and this one cannot");
            assertEquals(Status.STALE, vm.rows().getFirst().status());
            assertEquals("stale (approved by bob): " + why, vm.rows().getFirst().state());
            assertEquals(List.of(Step.APPLY), vm.rows().getLast().offers());
            assertEquals("requests: 2 open · 1 approved, to apply · 1 stale, to reject or withdraw", vm.summaryProperty().get());
            vm.dispose();
        } finally {
            connection.close();
        }
    }

    /** A waiting request the node lists as stale (its flag moved on) is not offered to approve: the node would refuse it. */
    @Test
    void aStaleWaitingRequestIsNotOfferedToApproveAndSaysWhy() {
        String why = "request #1 can no longer apply: flag checkout-button is at version 3, the change was based on version 1; reject or withdraw it, or edit it";
        ChangeRequest stale = request(1, ChangeRequest.State.PENDING, "alice", null).withStale(why);
        assertEquals(List.of(Step.REJECT), RequestsViewModel.offers(stale, new Caller("bob", Role.APPROVER)));
        assertEquals(List.of(Step.EDIT, Step.WITHDRAW), RequestsViewModel.offers(stale, new Caller("alice", Role.OPERATOR)));
        assertEquals("stale (waiting for an approver): " + why, RequestsViewModel.state(stale));
        assertEquals("stale: request #1 can no longer apply (reject or withdraw it)",
                io.edgedeck.console.flags.FlagsViewModel.heldText(stale), "its flag's row does not say it waits for an approver");
    }

    @Test
    void aRequestIsDatedOnTheWallClockOnALiveNodeAndOnTheShowsInARehearsal() throws Exception {
        var connection = Connections.rehearse("steady-show", 7L, 1);
        try {
            RequestsViewModel vm = new RequestsViewModel(new ConsoleSession(connection, Background.sameThread()),
                    new SimpleObjectProperty<>(new Caller("bob", Role.APPROVER)), Background.sameThread(), () -> { });
            vm.showTimesBy(LiveClocks.rehearsal());
            vm.answered(List.of(request(1, ChangeRequest.State.PENDING, "alice", null)), 1_000);
            assertEquals("01:00", vm.rows().getFirst().when());
            vm.showTimesBy(LiveClocks.live());
            assertEquals(LiveClocks.wall(60_000), vm.rows().getFirst().when(), "opened at engine 01:00, on the wall clock");
            vm.dispose();
        } finally {
            connection.close();
        }
    }
}
