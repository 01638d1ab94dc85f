package io.edgedeck.console.dashboard;

import eu.hansolo.tilesfx.fonts.Fonts;
import javafx.geometry.Bounds;
import javafx.scene.text.Text;
import javafx.scene.text.TextAlignment;

import java.lang.reflect.Field;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keeps the texts TilesFX draws on a show tile at a size a producer reads at arm's length in a dark
 * room: TilesFX sizes a tile's small texts as a share of the tile (its title about 12 px, a footer or a
 * gauge's scale labels 7 to 10 px on a show tile, less where it shrinks one to fit). The skins call these
 * after the stock skin sized its texts. FX thread.
 */
final class TileTexts {
    /**
     * The smallest a tile's text is drawn, in TilesFX's Lato. The theme's smallest text, the PoP tiles' details,
     * is 13 px in the system face (DejaVu Sans on Linux); Lato's small letters are 7% shorter than that face's,
     * so at 13 px it would read as 12 px beside them. At 14 px (the PoP tiles' units' size) its small letters are as
     * tall as the details'.
     */
    static final double MIN_PX = 14;

    private TileTexts() {
    }

    /** One of a stock skin's drawing parts, declared by {@code owner}; null while its constructor has not made it yet. */
    static Object read(Class<?> owner, Object skin, String name) {
        try {
            return FIELDS.computeIfAbsent(owner.getName() + "#" + name, k -> field(owner, name)).get(skin);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("TilesFX's " + owner.getSimpleName() + "." + name + " cannot be read", e);
        }
    }

    /**
     * The parts' fields, looked up once: the skins read them on every redraw and resize, on the FX thread,
     * and a lookup copies the class's fields and checks access each time.
     */
    private static final Map<String, Field> FIELDS = new ConcurrentHashMap<>();

    private static Field field(Class<?> owner, String name) {
        try {
            Field f = owner.getDeclaredField(name);
            f.setAccessible(true);
            return f;
        } catch (NoSuchFieldException e) {
            throw new IllegalStateException("TilesFX's " + owner.getSimpleName() + " has no field " + name, e);
        }
    }

    /** Sets {@code t} in the tile's Lato face at {@link #MIN_PX} where it is smaller; true if it changed. */
    static boolean atLeastMin(Text t) {
        if (t != null && t.getFont().getSize() < MIN_PX) {
            t.setFont(Fonts.latoRegular(MIN_PX));
            return true;
        }
        return false;
    }

    /**
     * The title at {@link #MIN_PX} at least, within {@code room} px: a title of parts (" · ") too long for it
     * loses its last parts, which the tile's tooltip keeps.
     */
    static void title(Text title, double room) {
        if (title == null) {
            return;
        }
        atLeastMin(title);
        String text = title.getText();
        while (title.getLayoutBounds().getWidth() > room && text.lastIndexOf(" · ") > 0) {
            text = text.substring(0, text.lastIndexOf(" · "));
            title.setText(text);
        }
    }

    /**
     * A footer at {@link #MIN_PX} at least, wrapped to the tile's width less its margins and right-aligned,
     * its last line's baseline where the stock skin puts a footer's ({@code baseline}); returns the top of
     * its first line.
     */
    static double footer(Text footer, double width, double size, double baseline) {
        if (footer == null) {
            return baseline;
        }
        atLeastMin(footer);
        double room = width - size * 0.1;
        footer.setLayoutX(0);
        footer.setLayoutY(0);
        footer.setTextOrigin(javafx.geometry.VPos.BASELINE);
        footer.setWrappingWidth(0);
        if (footer.getLayoutBounds().getWidth() > room) {
            footer.setWrappingWidth(room);
            footer.setTextAlignment(TextAlignment.RIGHT);
            footer.setX(size * 0.05);
        } else {
            footer.setX(width - size * 0.05 - footer.getLayoutBounds().getWidth());
        }
        Bounds b = footer.getLayoutBounds();
        double lineHeight = footer.getFont().getSize() * 1.2;
        int lines = (int) Math.max(1, Math.round(b.getHeight() / lineHeight));
        footer.setY(baseline - (lines - 1) * lineHeight);
        return footer.getBoundsInParent().getMinY();
    }

    /** Sets {@code t} at {@link #MIN_PX} at least, keeping its centre across and its foot where they were. */
    static void keepingPlace(Text t) {
        if (t == null) {
            return;
        }
        t.setTranslateX(0);
        t.setTranslateY(0);
        Bounds before = t.getBoundsInParent();
        if (atLeastMin(t)) {
            Bounds after = t.getBoundsInParent();
            t.setTranslateX(before.getCenterX() - after.getCenterX());
            t.setTranslateY(before.getMaxY() - after.getMaxY());
        }
    }
}
