package io.edgedeck.console.common;

import io.edgedeck.themes.Theme;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonBase;
import javafx.scene.control.ToggleButton;
import javafx.scene.layout.HBox;
import javafx.scene.layout.StackPane;
import javafx.stage.Stage;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A producer who moves through the console with the keyboard must see where they are. The buttons
 * that paint a fill of their own (Save, Start, Kill, a selected span, the status bar's link) replace
 * the default focus ring with that fill, so each must draw a ring of its own when it has the focus, one that
 * stands out 3:1 from what it covers.
 */
@ExtendWith(ApplicationExtension.class)
class FocusRingUiTest {
    private Stage stage;

    @Start
    void start(Stage stage) {
        this.stage = stage;
    }

    private static BufferedImage picture(StackPane around) {
        around.applyCss();
        around.layout();
        return Snapshots.capture(around);
    }

    /**
     * How many rows and columns have a pixel the focus changes by 3:1 or more (WCAG 1.4.11: an indicator stands
     * 3:1 from what it covers). A ring around the button spans its height and width; a faint glow spans nothing,
     * and a fill drawn one pixel shorter spans one row.
     */
    private static int[] changedRowsAndColumns(BufferedImage before, BufferedImage after) {
        assertEquals(before.getWidth(), after.getWidth());
        assertEquals(before.getHeight(), after.getHeight());
        java.util.Set<Integer> rows = new java.util.HashSet<>();
        java.util.Set<Integer> columns = new java.util.HashSet<>();
        for (int y = 0; y < before.getHeight(); y++) {
            for (int x = 0; x < before.getWidth(); x++) {
                if (ratio(before.getRGB(x, y), after.getRGB(x, y)) >= 3) {
                    rows.add(y);
                    columns.add(x);
                }
            }
        }
        return new int[] {rows.size(), columns.size()};
    }

    private static double ratio(int a, int b) {
        double la = luminance(a);
        double lb = luminance(b);
        return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
    }

    private static double luminance(int argb) {
        double[] c = {(argb >> 16 & 0xff) / 255.0, (argb >> 8 & 0xff) / 255.0, (argb & 0xff) / 255.0};
        for (int i = 0; i < 3; i++) {
            c[i] = c[i] <= 0.03928 ? c[i] / 12.92 : Math.pow((c[i] + 0.055) / 1.055, 2.4);
        }
        return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
    }

    @ParameterizedTest
    @EnumSource(value = Theme.class, names = {"DARK", "CONTRAST"})
    void everyButtonShowsWhenItHasTheFocus(Theme theme, FxRobot robot) {
        List<Supplier<ButtonBase>> kinds = List.of(
                () -> new Button("Plain"),
                () -> styled(new Button("Save"), StyleClasses.ACCENT_BUTTON),
                () -> styled(new Button("Kill"), StyleClasses.DANGER_BUTTON),
                () -> styled(new Button("1 edge action"), StyleClasses.STATUS_LINK),
                () -> {
                    ToggleButton t = new ToggleButton("15 min");
                    t.setSelected(true);
                    return t;
                });
        List<String> unseen = new ArrayList<>();
        for (Supplier<ButtonBase> kind : kinds) {
            robot.interact(() -> {
                ButtonBase target = kind.get();
                Button other = new Button("elsewhere");
                StackPane around = new StackPane(target);
                around.setStyle("-fx-padding: 12; -fx-background-color: -ed-bg;");
                if (target.getStyleClass().contains(StyleClasses.STATUS_LINK)) {
                    around.getStyleClass().add(StyleClasses.STATUS_BAR);
                }
                HBox root = new HBox(20, around, other);
                root.getStyleClass().add("root");
                Scene scene = new Scene(root, 400, 120);
                scene.getStylesheets().setAll(theme.tokenSheetUrl(), Theme.componentSheetUrl());
                stage.setScene(scene);
                stage.show();
                other.requestFocus();
                BufferedImage unfocused = picture(around);
                target.requestFocus();
                assertTrue(target.isFocused(), target.getText() + " took the focus");
                BufferedImage focused = picture(around);
                int[] changed = changedRowsAndColumns(unfocused, focused);
                if (changed[0] < target.getHeight() / 2 || changed[1] < target.getWidth() / 2) {
                    unseen.add(target.getText() + " " + target.getStyleClass() + ": " + changed[0] + " rows, " + changed[1]
                            + " columns changed 3:1");
                }
            });
        }
        assertEquals(List.of(), unseen, theme + ": the focus draws no ring around these");
    }

    private static Button styled(Button button, String styleClass) {
        button.getStyleClass().add(styleClass);
        return button;
    }
}
