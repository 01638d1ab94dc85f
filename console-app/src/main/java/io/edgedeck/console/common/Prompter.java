package io.edgedeck.console.common;

import io.edgedeck.client.model.OperatorAction;
import javafx.beans.value.ObservableStringValue;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.TextField;
import javafx.scene.input.KeyCode;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;

import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * Asks the operator to confirm a change and say why, as an overlay over the main window. Every
 * flag change, kill, arm/disarm and rollback goes through here, so every one carries a reason into
 * the audit log, and the card says whose name the log will show. Rollbacks use a hold-to-confirm button.
 */
public final class Prompter {

    /**
     * What to ask.
     *
     * @param holdToConfirm true for a change a producer must never make by accident (rollback)
     */
    public record Ask(String title, String detail, String confirmLabel, String reason, boolean holdToConfirm) {
    }

    private final ObservableStringValue whoLine;
    private OverlayHost host;
    private Runnable current;

    /** @param whoLine the line that says who the change is recorded under, e.g. "Operator: maya (change in Settings)" */
    public Prompter(ObservableStringValue whoLine) {
        this.whoLine = whoLine;
    }

    /** Where overlays go; the composition root sets it once the main window exists. */
    public void attach(OverlayHost host) {
        this.host = host;
    }

    public boolean isShowing() {
        return current != null;
    }

    /** Shows the question; {@code onConfirm} gets the reason. FX thread. */
    public void ask(Ask ask, Consumer<String> onConfirm) {
        if (host == null || current != null) {
            return;
        }
        Label title = new Label(ask.title());
        title.getStyleClass().add(StyleClasses.PROMPT_TITLE);
        Label detail = new Label(ask.detail());
        detail.setWrapText(true);
        Label who = new Label();
        who.setId("prompt-who");
        who.textProperty().bind(whoLine);
        who.getStyleClass().add(StyleClasses.MUTED);
        // who the node will audit is read whole, however long the name: it wraps rather than ends in "…"
        who.setWrapText(true);
        TextField reason = new TextField(ask.reason());
        reason.setId("prompt-reason");
        reason.setPromptText("why: goes into the audit log");
        Label reasonLabel = new Label("Reason");
        reasonLabel.setLabelFor(reason);
        // The node takes a reason of at most MAX_REASON_CHARS, on one line: said here as it nears that, and a reason the
        // node would refuse (too long, or holding a control character) is refused before sending, the field named.
        Label length = new Label();
        length.setId("prompt-reason-length");
        length.setWrapText(true);
        length.textProperty().bind(reason.textProperty().map(Prompter::lengthNote));
        length.visibleProperty().bind(length.textProperty().isNotEmpty());
        length.managedProperty().bind(length.visibleProperty());
        reason.textProperty().subscribe(t -> length.getStyleClass().setAll(List.of("label",
                refused(t) ? StyleClasses.STATUS_PREFIX + "bad" : StyleClasses.MUTED)));

        Button cancel = new Button("Cancel");
        cancel.setId("prompt-cancel");
        cancel.setCancelButton(true);
        Button confirm = new Button(ask.confirmLabel());
        confirm.setId("prompt-confirm");
        confirm.disableProperty().bind(reason.textProperty().map(t -> t.isBlank() || refused(t)));
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        HBox buttons = new HBox(12, cancel, spacer, confirm);
        buttons.setAlignment(Pos.CENTER_RIGHT);

        VBox card = new VBox(12, title, detail, who, reasonLabel, reason, length);
        card.getStyleClass().add(StyleClasses.PROMPT_CARD);
        card.setMaxSize(640, Region.USE_PREF_SIZE);
        StackPane backdrop = new StackPane(card);
        backdrop.getStyleClass().add(StyleClasses.OVERLAY_BACKDROP);
        backdrop.setId("prompt");

        HoldToConfirm[] hold = new HoldToConfirm[1];
        Runnable close = () -> {
            if (hold[0] != null) {
                hold[0].dispose();
            }
            host.hideOverlay(backdrop);
            current = null;
        };
        Runnable accept = () -> {
            String why = reason.getText().strip();
            close.run();
            onConfirm.accept(why);
        };
        if (ask.holdToConfirm()) {
            confirm.getStyleClass().add(StyleClasses.DANGER_BUTTON);
            confirm.setMaxWidth(Double.MAX_VALUE);
            ProgressBar progress = new ProgressBar(0);
            progress.setId("prompt-progress");
            progress.setMaxWidth(Double.MAX_VALUE);
            progress.getStyleClass().add(StyleClasses.HOLD_PROGRESS);
            Label hint = new Label("Hold the button (or the space bar on it) for "
                    + (long) HoldToConfirm.HOLD.toMillis() + " ms. Letting go early cancels.");
            hint.getStyleClass().add(StyleClasses.MUTED);
            hint.setWrapText(true);
            hold[0] = new HoldToConfirm(confirm, progress, accept);
            buttons.getChildren().remove(confirm);
            card.getChildren().addAll(confirm, progress, hint, buttons);
        } else {
            confirm.setDefaultButton(true);
            confirm.setOnAction(e -> accept.run());
            card.getChildren().add(buttons);
        }
        cancel.setOnAction(e -> close.run());
        backdrop.setOnKeyPressed(e -> {
            if (e.getCode() == KeyCode.ESCAPE) {
                close.run();
                e.consume();
            }
        });
        current = close;
        host.showOverlay(backdrop);
        if (ask.holdToConfirm()) {
            confirm.requestFocus();
        } else {
            reason.requestFocus();
            reason.selectAll();
        }
    }

    /** True when a node would refuse the reason as it would be sent (stripped): longer than it takes, or not one line. */
    static boolean refused(String text) {
        String sent = text.strip();
        return sent.length() > OperatorAction.MAX_REASON_CHARS || controlAt(sent) >= 0;
    }

    /** Where the first character a node refuses in a text is, or -1. */
    private static int controlAt(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (OperatorAction.isControl(text.charAt(i))) {
                return i;
            }
        }
        return -1;
    }

    /**
     * Nothing while the reason is well within the node's bound; its length against the bound from 90% of
     * it on; past it, by how much, as the reason the confirm button is off; and, as that reason too, a
     * character the node refuses (a mark pasted with text from a chat, say), named by its code and place.
     */
    static String lengthNote(String text) {
        String sent = text.strip();
        int n = sent.length();
        int max = OperatorAction.MAX_REASON_CHARS;
        if (n > max) {
            return String.format(Locale.ROOT, "%,d characters: %,d over the %,d a node takes. Shorten the reason to confirm.",
                    n, n - max, max);
        }
        int control = controlAt(sent);
        if (control >= 0) {
            return String.format(Locale.ROOT, "Reason: character %d is U+%04X, a control character (a line break, or a mark"
                    + " that turns or hides text) a node refuses. Take it out to confirm.", control + 1, (int) sent.charAt(control));
        }
        return n * 10 >= max * 9 ? String.format(Locale.ROOT, "%,d of %,d characters", n, max) : "";
    }

    /** Closes whatever is asked now, as Cancel would. FX thread. */
    public void dismiss() {
        if (current != null) {
            current.run();
        }
    }
}
