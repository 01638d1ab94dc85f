package io.edgedeck.console.common;

import javafx.scene.layout.Background;
import javafx.scene.layout.Pane;
import javafx.scene.layout.Region;
import javafx.scene.paint.Color;
import javafx.scene.paint.Paint;

import java.util.EnumMap;
import java.util.Map;

/**
 * The theme's colours as {@link Color} values, for controls that take colours as properties
 * (TilesFX tiles) instead of from CSS. Each colour is read back from an invisible probe region
 * the component sheet fills with a token, so the theme sheets stay the one source of colour.
 * FX thread only.
 */
public final class Palette {

    public enum Token {
        SURFACE("surface"), BORDER("border"), TEXT("text"), TEXT_MUTED("text-muted"), OK("ok"), WARN("warn"), BAD("bad"),
        STALE("stale"),
        /** A chart's data series: the same in every mode, where the accent turns red in a LIVE window. */
        SERIES("series"),
        PROBE_SERIES("probe-series");

        final String styleClass;

        Token(String styleClass) {
            this.styleClass = styleClass;
        }
    }

    private final Pane probes = new Pane();
    private final Map<Token, Region> regions = new EnumMap<>(Token.class);

    public Palette() {
        probes.setManaged(false);
        probes.setVisible(false);
        probes.setMouseTransparent(true);
        for (Token t : Token.values()) {
            Region r = new Region();
            r.getStyleClass().addAll(StyleClasses.PALETTE_PROBE, t.styleClass);
            regions.put(t, r);
            probes.getChildren().add(r);
        }
    }

    /** The node to put somewhere in the scene so the probes get styled. */
    public Pane probes() {
        return probes;
    }

    public Color color(Token token) {
        Region r = regions.get(token);
        r.applyCss();
        Background bg = r.getBackground();
        if (bg != null && !bg.getFills().isEmpty()) {
            Paint p = bg.getFills().getFirst().getFill();
            if (p instanceof Color c) {
                return c;
            }
        }
        return Color.GRAY;
    }

    public Color status(Status s) {
        return color(switch (s) {
            case OK -> Token.OK;
            case WARN -> Token.WARN;
            case BAD -> Token.BAD;
            case STALE -> Token.STALE;
            case NEUTRAL -> Token.TEXT;
        });
    }
}
