package io.edgedeck.console.common;

import io.edgedeck.client.model.VariantView;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.scene.input.KeyCode;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * A small form of one percentage per variant, over the main window: "Next" checks that they add up
 * to 100 and hands the weights on (to the reason prompt). Used to change a flag's weights and to edit
 * a held change request's. FX thread.
 */
public final class WeightsForm {
    /** All of the audience, in basis points. */
    public static final int ALL = 10_000;
    /** A number as a person types one: digits, at most one decimal point, a minus (refused as out of range). */
    private static final java.util.regex.Pattern PLAIN_DECIMAL = java.util.regex.Pattern.compile("-?(\\d+(\\.\\d*)?|\\.\\d+)");

    private WeightsForm() {
    }

    /**
     * Shows the form.
     *
     * @param title     e.g. "Weights of checkout-button"
     * @param variants  the weights it starts from
     * @param control   the control variant's name, marked as such
     * @param next      gets the new weights once they add up
     */
    public static void show(OverlayHost overlays, String title, List<VariantView> variants, String control,
                            Consumer<List<VariantView>> next) {
        GridPane form = new GridPane();
        form.getStyleClass().add(StyleClasses.FORM);
        List<String> names = new ArrayList<>();
        List<TextField> fields = new ArrayList<>();
        for (VariantView v : variants) {
            TextField f = new TextField(Double.toString(v.weight() / 100.0).replaceAll("\\.0$", ""));
            f.setId("weight-" + v.name());
            f.setPrefColumnCount(6);
            names.add(v.name());
            fields.add(f);
            form.addRow(names.size() - 1, new Label(v.name() + (v.name().equals(control) ? " (control)" : "")), f, new Label("%"));
        }
        Label heading = new Label(title);
        heading.getStyleClass().add(StyleClasses.PROMPT_TITLE);
        Label error = new Label();
        error.getStyleClass().addAll(StyleClasses.ACTION_MESSAGE, Status.BAD.styleClass());
        Button cancel = new Button("Cancel");
        cancel.setCancelButton(true);
        Button ok = new Button("Next: say why");
        ok.setId("weights-next");
        ok.setDefaultButton(true);
        HBox buttons = new HBox(12, cancel, ok);
        buttons.setAlignment(Pos.CENTER_RIGHT);
        VBox card = new VBox(12, heading, new Label("Percent of the audience per variant; they must add up to 100."),
                form, error, buttons);
        card.getStyleClass().add(StyleClasses.PROMPT_CARD);
        card.setMaxSize(560, VBox.USE_PREF_SIZE);
        StackPane backdrop = new StackPane(card);
        backdrop.getStyleClass().add(StyleClasses.OVERLAY_BACKDROP);
        backdrop.setOnKeyPressed(e -> {
            if (e.getCode() == KeyCode.ESCAPE) {
                overlays.hideOverlay(backdrop);
            }
        });
        cancel.setOnAction(e -> overlays.hideOverlay(backdrop));
        ok.setOnAction(e -> {
            try {
                List<VariantView> weights = fromPercents(names, fields.stream().map(TextField::getText).toList());
                overlays.hideOverlay(backdrop);
                next.accept(weights);
            } catch (IllegalArgumentException ex) {
                error.setText(ex.getMessage());
            }
        });
        overlays.showOverlay(backdrop);
        fields.getFirst().requestFocus();
    }

    /**
     * Weights from percentages typed by a person, in basis points summing to 10000.
     *
     * @throws IllegalArgumentException naming what is wrong
     */
    public static List<VariantView> fromPercents(List<String> names, List<String> percents) {
        List<VariantView> out = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            String text = percents.get(i) == null ? "" : percents.get(i).strip().replace("%", "").strip();
            // Plain decimals only: Double.parseDouble also takes "NaN" (which passes every range check and
            // rounds to 0), "Infinity", "50f" and "0x1p6".
            if (!PLAIN_DECIMAL.matcher(text).matches()) {
                throw new IllegalArgumentException(names.get(i) + ": '" + percents.get(i) + "' is not a percentage");
            }
            double pct = Double.parseDouble(text);
            if (pct < 0 || pct > 100) {
                throw new IllegalArgumentException(names.get(i) + ": must be between 0 and 100%");
            }
            int bp = (int) Math.round(pct * 100);
            out.add(new VariantView(names.get(i), bp));
        }
        String wrong = sumProblem(out);
        if (wrong != null) {
            throw new IllegalArgumentException(wrong);
        }
        return out;
    }

    /**
     * What is wrong with the weights' sum, in the form's unit ("the weights add up to 110.00%, not 100%"), or
     * null when they add up to 100%: the engine's own refusal counts in basis points, which the form never shows.
     */
    public static String sumProblem(List<VariantView> weights) {
        long sum = weights.stream().mapToLong(VariantView::weight).sum();
        return sum == ALL ? null : String.format(Locale.ROOT, "the weights add up to %.2f%%, not 100%%", sum / 100.0);
    }
}
