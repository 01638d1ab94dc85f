package io.edgedeck.console.common;

import javafx.beans.value.ObservableStringValue;
import javafx.beans.value.ObservableValue;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.layout.VBox;

import java.util.List;

/**
 * The top of a tab that lists what a node keeps (requests, playbooks): its title, a sentence on what it
 * is for, a summary line, why the list could not be read (only when it could not), and the outcome of
 * the last step taken from this console (only once there is one), coloured by whether it worked.
 */
public final class ListHeader {
    private ListHeader() {
    }

    /**
     * The tab's view: the header above {@code content}.
     *
     * @param idPrefix the labels are {@code idPrefix-summary}, {@code -problem} and {@code -message}; the view {@code idPrefix-view}
     */
    public static VBox view(String idPrefix, String title, String heading, ObservableStringValue summary,
                            ObservableStringValue problem, ObservableStringValue message, ObservableValue<Status> messageStatus,
                            Node... content) {
        Label titleLabel = new Label(title);
        titleLabel.getStyleClass().add(StyleClasses.VIEW_TITLE);
        Label headingLabel = new Label(heading);
        headingLabel.setWrapText(true);
        Label summaryLabel = new Label();
        summaryLabel.setId(idPrefix + "-summary");
        summaryLabel.getStyleClass().add(StyleClasses.STRONG);
        summaryLabel.textProperty().bind(summary);
        Label problemLabel = problem(idPrefix + "-problem", problem);
        Label messageLabel = new Label();
        messageLabel.setId(idPrefix + "-message");
        Outcome.show(messageLabel, message, messageStatus);
        VBox view = new VBox(10, titleLabel, headingLabel, summaryLabel, problemLabel, messageLabel);
        view.getChildren().addAll(List.of(content));
        view.getStyleClass().add(StyleClasses.VIEW);
        view.setId(idPrefix + "-view");
        return view;
    }

    /** Why a list could not be read, as a notice that takes room only while there is one. */
    public static Label problem(String id, ObservableStringValue problem) {
        Label label = new Label();
        label.setId(id);
        label.getStyleClass().add(StyleClasses.NOTICE);
        label.textProperty().bind(problem);
        label.visibleProperty().bind(label.textProperty().isNotEmpty());
        label.managedProperty().bind(label.visibleProperty());
        return label;
    }
}
