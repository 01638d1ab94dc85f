package io.edgedeck.console.dashboard;

import io.edgedeck.console.common.StyleClasses;
import io.edgedeck.console.dashboard.EdgeActionsViewModel.EdgeAction;
import javafx.beans.value.ChangeListener;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Tooltip;
import javafx.util.Duration;
import org.controlsfx.control.Notifications;
import org.controlsfx.control.action.Action;

import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Tells the operator when a variant was rolled back, paused or killed: a notification with an
 * Acknowledge button when it happens, and a button in the status bar that opens it again (for the
 * actions not yet acknowledged, else the newest) long after the popup has gone.
 */
public final class EdgeActionsView {
    private final EdgeActionsViewModel viewModel;
    private final Supplier<Node> owner;
    private final Button button = new Button();
    private final ChangeListener<EdgeAction> onNew = (obs, old, action) -> {
        if (action != null) {
            notify(List.of(action));
        }
    };
    private final ChangeListener<Number> onRevision = (obs, old, now) -> refresh();

    /** @param owner the node whose window the notifications belong to */
    public EdgeActionsView(EdgeActionsViewModel viewModel, Supplier<Node> owner) {
        this.viewModel = viewModel;
        this.owner = owner;
        button.setId("edge-actions");
        button.getStyleClass().add(StyleClasses.STATUS_LINK);
        button.setOnAction(e -> reopen());
        viewModel.latestNewProperty().addListener(onNew);
        viewModel.revisionProperty().addListener(onRevision);
        refresh();
    }

    /** The status bar's button. */
    public Button button() {
        return button;
    }

    private void refresh() {
        int total = viewModel.actions().size();
        int fresh = viewModel.unacknowledged().size();
        button.setVisible(total > 0);
        button.setManaged(total > 0);
        button.setText(EdgeActionsViewModel.describeCount(fresh, total));
        button.setTooltip(total == 0 ? null : new Tooltip(viewModel.actions().stream().map(EdgeAction::details)
                .collect(Collectors.joining("\n")) + "\nClick to see them again."));
    }

    /** Shows the notification again: for what is not acknowledged yet, else for the newest action. FX thread. */
    public void reopen() {
        List<EdgeAction> open = viewModel.unacknowledged();
        if (!open.isEmpty()) {
            notify(open);
        } else if (!viewModel.actions().isEmpty()) {
            notify(List.of(viewModel.actions().getFirst()));
        }
    }

    private void notify(List<EdgeAction> actions) {
        Node node = owner.get();
        if (node == null || node.getScene() == null || node.getScene().getWindow() == null) {
            return;
        }
        EdgeAction first = actions.getFirst();
        String title = actions.size() == 1 ? first.headline() : actions.size() + " variants changed at the edge";
        String text = actions.stream().map(EdgeAction::details).collect(Collectors.joining("\n"));
        Action acknowledge = new Action("Acknowledge", e -> actions.forEach(a -> viewModel.acknowledge(a.flag(), a.variant())));
        Notifications.create().owner(node.getScene().getWindow()).title(title).text(text)
                .action(acknowledge).hideAfter(Duration.seconds(20)).showWarning();
    }

    /** Stops following the view model. FX thread. */
    public void dispose() {
        viewModel.latestNewProperty().removeListener(onNew);
        viewModel.revisionProperty().removeListener(onRevision);
    }
}
