package io.edgedeck.console.common;

import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.value.ObservableValue;
import javafx.scene.control.Label;

/**
 * The outcome of the last step a person took from a tab: its words, and whether it worked. A label
 * shows it green when it did, red when it did not, amber when part of it did, and in the text colour
 * while it waits or only explains: never in the accent colour, which is red in a LIVE window and
 * would make a success read as a failure. FX thread.
 */
public final class Outcome {
    private final ReadOnlyStringWrapper text = new ReadOnlyStringWrapper(this, "text", "");
    private final ReadOnlyObjectWrapper<Status> status = new ReadOnlyObjectWrapper<>(this, "status", Status.NEUTRAL);

    /** Under way, or a sentence that is neither a success nor a failure ("nothing to run"). */
    public void say(String words) {
        set(words, Status.NEUTRAL);
    }

    public void done(String words) {
        set(words, Status.OK);
    }

    /** Done in part: some of it failed. */
    public void partly(String words) {
        set(words, Status.WARN);
    }

    public void failed(String words) {
        set(words, Status.BAD);
    }

    private void set(String words, Status now) {
        status.set(now);
        text.set(words);
    }

    public ReadOnlyStringProperty textProperty() {
        return text.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<Status> statusProperty() {
        return status.getReadOnlyProperty();
    }

    /** Makes {@code label} show an outcome's text in its status's colour. */
    public static void show(Label label, ObservableValue<String> text, ObservableValue<Status> status) {
        label.getStyleClass().add(StyleClasses.ACTION_MESSAGE);
        label.setWrapText(true);
        label.textProperty().bind(text);
        label.managedProperty().bind(label.textProperty().isNotEmpty());
        // The view lives as long as its window: the subscription needs no removal.
        status.subscribe((was, now) -> {
            if (was != null) {
                label.getStyleClass().remove(was.styleClass());
            }
            label.getStyleClass().add(now.styleClass());
        });
        label.getStyleClass().add(status.getValue().styleClass());
    }
}
