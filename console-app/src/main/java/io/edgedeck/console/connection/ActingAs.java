package io.edgedeck.console.connection;

import io.edgedeck.client.ConnectionMode;
import io.edgedeck.client.ConnectionStatus;
import io.edgedeck.client.EdgeConnection;
import io.edgedeck.client.Subscription;
import io.edgedeck.client.model.Caller;
import io.edgedeck.console.common.Background;
import javafx.beans.InvalidationListener;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.value.ChangeListener;
import javafx.beans.value.ObservableStringValue;

import java.util.Optional;
import java.util.concurrent.Executor;

/**
 * Who the console acts as, and whether it may change the show. In a rehearsal (or an opened bundle)
 * that is the operator named in Settings, with every right. Live, it is the person the node says the
 * token belongs to ({@code GET /api/v1/me}): the node audits them, whatever Settings say, and a
 * viewer's console offers no changes. Until the node has said, changes are held back.
 *
 * <p>Threads: properties change on the FX thread only. Status changes arrive on the connection's
 * thread; the question to the node runs off the FX thread and its answer comes back through {@code ui}.
 */
public final class ActingAs implements AutoCloseable {
    private final ConsoleSession session;
    private final ObservableStringValue localOperator;
    private final Executor ui;
    private final ReadOnlyObjectWrapper<Caller> caller = new ReadOnlyObjectWrapper<>(this, "caller");
    private final ReadOnlyStringWrapper operator = new ReadOnlyStringWrapper(this, "operator", "");
    private final ReadOnlyStringWrapper statusText = new ReadOnlyStringWrapper(this, "statusText", "");
    private final ReadOnlyStringWrapper promptLine = new ReadOnlyStringWrapper(this, "promptLine", "");
    private final ReadOnlyStringWrapper refusal = new ReadOnlyStringWrapper(this, "refusal", "");
    private final ReadOnlyBooleanWrapper mayChange = new ReadOnlyBooleanWrapper(this, "mayChange", false);
    private final ChangeListener<EdgeConnection> onConnection = (o, old, next) -> attach(next);
    private final InvalidationListener onLocalOperator = o -> update();
    private EdgeConnection watched;
    private Subscription statusSubscription;
    private boolean asking;
    private String problem;
    /** The node stopped the connection for its token: it will not say who the token is, so nobody asks again. */
    private boolean refused;

    /**
     * @param localOperator the operator named in Settings: who a rehearsal acts as
     * @param ui            runs a task on the FX thread: {@code Platform::runLater}; tests pass a direct runner
     */
    public ActingAs(ConsoleSession session, ObservableStringValue localOperator, Executor ui) {
        this.session = session;
        this.localOperator = localOperator;
        this.ui = ui;
        session.connectionProperty().addListener(onConnection);
        localOperator.addListener(onLocalOperator);
        attach(session.connection());
    }

    /** Follows a connection: live, asks the node whenever it is online and has not said yet. FX thread. */
    private void attach(EdgeConnection connection) {
        if (statusSubscription != null) {
            statusSubscription.close();
        }
        watched = connection;
        caller.set(null);
        problem = null;
        asking = false;
        refused = false;
        update();
        if (connection.mode() == ConnectionMode.LIVE) {
            statusSubscription = connection.subscribeStatus(status -> {
                if (status.state() == ConnectionStatus.State.ONLINE) {
                    ui.execute(() -> ask(connection));
                } else if (status.state() == ConnectionStatus.State.OFFLINE) {
                    ui.execute(() -> {
                        if (connection == watched) {
                            refused = true;
                            update();
                        }
                    });
                }
            });
            if (connection.status().online()) {
                ask(connection);
            } else if (connection.status().state() == ConnectionStatus.State.OFFLINE) {
                refused = true;
                update();
            }
        } else {
            statusSubscription = () -> { };
        }
    }

    private void ask(EdgeConnection connection) {
        if (connection != watched || asking || caller.get() != null) {
            return;
        }
        asking = true;
        connection.caller().whenComplete((Optional<Caller> who, Throwable error) -> ui.execute(() -> {
            asking = false;
            if (connection != watched) {
                return;
            }
            if (error != null) {
                problem = Background.describe(error);
            } else {
                problem = who.isEmpty() ? "the node did not say who this token belongs to" : null;
                caller.set(who.orElse(null));
            }
            update();
        }));
    }

    private void update() {
        String local = localOperator.get();
        if (watched.mode() != ConnectionMode.LIVE) {
            operator.set(local);
            statusText.set("");
            promptLine.set("Operator: " + local + " (change in Settings)");
            refusal.set("");
            mayChange.set(true);
            return;
        }
        Caller who = caller.get();
        if (who == null && refused) {
            operator.set(local);
            statusText.set("acting as: nobody, the node did not let this token in");
            promptLine.set("");
            refusal.set("The node did not let this token in: nothing can be changed until the console connects with another");
            mayChange.set(false);
            return;
        }
        if (who == null) {
            operator.set(local);
            // Asked only once the node answers: until then, not "asking".
            statusText.set(problem != null ? "acting as: not known yet" : watched.status().online()
                    ? "acting as: asking the node who this token is" : "acting as: not known until the node answers");
            promptLine.set("");
            refusal.set(problem == null ? "Waiting for the node to say who this token belongs to"
                    : "Who this token belongs to is not known yet (" + problem + "); asked again when the node is back");
            mayChange.set(false);
            return;
        }
        operator.set(who.name());
        boolean may = who.role().mayChange();
        // A fleet aggregator's admin token views, as every token there does, and alone fires a show cue on every node.
        boolean firesFleetCues = !may && watched.hasFleet() && Caller.ADMIN.equals(who.name());
        // The aggregator calls every token a viewer, its admin too: beside the cues that token fires, the role's name
        // would say the opposite of what it may do, so the words say what it is and does.
        if (firesFleetCues) {
            statusText.set("acting as the aggregator's admin · fires show cues on every node (Fleet tab), changes nothing else");
            promptLine.set("Acting as the aggregator's admin: each node audits a cue fired here as fleet:aggregator, by admin");
            refusal.set("The aggregator changes no node's show: its admin token fires show cues on every node, from the Fleet tab");
            mayChange.set(false);
            return;
        }
        statusText.set("acting as " + who.describe() + (may ? "" : " · view only"));
        promptLine.set("Acting as " + who.describe() + ": the node audits this person, the owner of the token");
        refusal.set(may ? "" : "View only: " + who.name() + " is a " + who.role().id()
                + " on this node; changing the show needs the operator role");
        mayChange.set(may);
    }

    /** Who the node says the token belongs to; null in a rehearsal, and live until it has said. */
    public ReadOnlyObjectProperty<Caller> callerProperty() {
        return caller.getReadOnlyProperty();
    }

    /** The name changes are sent under: the node's person live, the Settings name in a rehearsal. */
    public ReadOnlyStringProperty operatorProperty() {
        return operator.getReadOnlyProperty();
    }

    /** For the status bar: "acting as alice (operator)"; empty in a rehearsal. */
    public ReadOnlyStringProperty statusTextProperty() {
        return statusText.getReadOnlyProperty();
    }

    /** For a confirmation: who the change will be recorded under. */
    public ReadOnlyStringProperty promptLineProperty() {
        return promptLine.getReadOnlyProperty();
    }

    /** Why changes are not offered, for a tooltip or a refused shortcut; empty when they are. */
    public ReadOnlyStringProperty refusalProperty() {
        return refusal.getReadOnlyProperty();
    }

    /** True when the console may offer changes: in a rehearsal, or live as an operator or above. */
    public ReadOnlyBooleanProperty mayChangeProperty() {
        return mayChange.getReadOnlyProperty();
    }

    public boolean mayChange() {
        return mayChange.get();
    }

    /** Stops following the session and the connection. FX thread. */
    @Override
    public void close() {
        session.connectionProperty().removeListener(onConnection);
        localOperator.removeListener(onLocalOperator);
        if (statusSubscription != null) {
            statusSubscription.close();
        }
    }
}
