package io.edgedeck.themes;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every theme is read at arm's length in a dark room: every text colour the component sheet puts on a
 * colour must reach WCAG AA's 4.5:1 in each of them, and the high-contrast theme (for glare and weak
 * eyes) takes its body text to 7:1. The sheet cannot say which text is large (sizes are inherited and
 * set from code), so 4.5:1 holds for all of it, not the 3:1 AA allows for large text.
 * The pairs come from the sheet itself (a rule's text fill against its own background, else against
 * the window's surfaces, or the mode banner's colours under it), so a new rule is checked as it is written.
 */
class ContrastRatioTest {
    private static final Pattern RULE = Pattern.compile("([^{}]+)\\{([^}]*)}");
    private static final Pattern TOKEN = Pattern.compile("(-ed-[a-z-]+)\\s*:\\s*(#[0-9a-fA-F]{6})");
    private static final List<String> SURFACES = List.of("-ed-bg", "-ed-surface", "-ed-surface-raised");
    private static final List<String> BANNERS = List.of("-ed-live", "-ed-rehearsal", "-ed-offline");
    /** The accent follows the mode (.main-window.live and the others): each value it can take. */
    private static final List<String> ACCENTS = List.of("-ed-accent", "-ed-live", "-ed-rehearsal", "-ed-offline");

    private static String read(String url) throws IOException {
        try (InputStream in = URI.create(url).toURL().openStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).replaceAll("(?s)/\\*.*?\\*/", "");
        }
    }

    private static Map<String, String> tokens(Theme theme) throws IOException {
        Map<String, String> out = new LinkedHashMap<>();
        Matcher m = TOKEN.matcher(read(theme.tokenSheetUrl()));
        while (m.find()) {
            out.put(m.group(1), m.group(2));
        }
        return out;
    }

    private static String declared(String body, String property) {
        Matcher m = Pattern.compile("(?<![a-z-])" + Pattern.quote(property) + "\\s*:\\s*([^;]+);").matcher(body);
        return m.find() ? m.group(1).strip() : null;
    }

    /** The colours a value can be in this theme: a literal, a token, or the accent in each mode. */
    private static List<String> colours(String value, Map<String, String> tokens) {
        if (value.startsWith("#")) {
            return List.of(value);
        }
        List<String> names = value.equals("-ed-accent") ? ACCENTS : List.of(value);
        List<String> out = new ArrayList<>();
        for (String name : names) {
            out.add(java.util.Objects.requireNonNull(tokens.get(name), name + " is not defined"));
        }
        return out;
    }

    static double ratio(String a, String b) {
        double la = luminance(a);
        double lb = luminance(b);
        return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
    }

    private static double luminance(String hex) {
        int rgb = Integer.parseInt(hex.substring(1), 16);
        double[] c = {(rgb >> 16 & 0xff) / 255.0, (rgb >> 8 & 0xff) / 255.0, (rgb & 0xff) / 255.0};
        for (int i = 0; i < 3; i++) {
            c[i] = c[i] <= 0.03928 ? c[i] / 12.92 : Math.pow((c[i] + 0.055) / 1.055, 2.4);
        }
        return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
    }

    /** Every text fill of the component sheet with the fills under it, as "selector: text on fill = ratio". */
    private static List<String> below(Theme theme, double least) throws IOException {
        Map<String, String> tokens = tokens(theme);
        List<String> low = new ArrayList<>();
        Matcher rule = RULE.matcher(read(Theme.componentSheetUrl()));
        while (rule.find()) {
            String selector = rule.group(1).strip();
            String text = declared(rule.group(2), "-fx-text-fill");
            if (text == null) {
                continue;
            }
            String background = declared(rule.group(2), "-fx-background-color");
            List<String> under;
            if (background != null && !background.equals("transparent")) {
                String[] layers = background.split(",");
                under = List.of(layers[layers.length - 1].strip());
            } else {
                under = selector.contains(".mode-banner") ? BANNERS : SURFACES;
            }
            for (String fill : under) {
                for (String t : colours(text, tokens)) {
                    for (String f : colours(fill, tokens)) {
                        double r = ratio(t, f);
                        if (r < least) {
                            low.add(String.format(Locale.ROOT, "%s: %s on %s = %.2f", selector, t, f, r));
                        }
                    }
                }
            }
        }
        return low;
    }

    @ParameterizedTest
    @EnumSource(Theme.class)
    void everyTextTheThemeDrawsReachesFourAndAHalfToOne(Theme theme) throws IOException {
        assertEquals(List.of(), below(theme, 4.5));
    }

    /**
     * Stale figures stay legible but must not pass for live ones: a grey (no hue to read as ok, warn
     * or bad) with less contrast than the text on every surface.
     */
    @ParameterizedTest
    @EnumSource(Theme.class)
    void staleIsAGreyDimmerThanTheText(Theme theme) throws IOException {
        Map<String, String> tokens = tokens(theme);
        String stale = tokens.get("-ed-stale");
        int rgb = Integer.parseInt(stale.substring(1), 16);
        int[] c = {rgb >> 16 & 0xff, rgb >> 8 & 0xff, rgb & 0xff};
        int spread = Math.max(c[0], Math.max(c[1], c[2])) - Math.min(c[0], Math.min(c[1], c[2]));
        assertTrue(spread <= 32, stale + " is tinted, not grey");
        for (String surface : SURFACES) {
            String fill = tokens.get(surface);
            assertTrue(ratio(stale, fill) < ratio(tokens.get("-ed-text"), fill) * 0.6,
                    "stale " + stale + " is nearly as strong as the text on " + surface);
        }
    }

    /**
     * A PoP tile at rest (no status outline) stands apart from the window it lies on, so the wall reads as tiles
     * and not as loose numbers: its edge (its border, else its fill) against the background reaches WCAG's 3:1 for
     * a component's boundary in the high-contrast theme, and 1.3:1 in the others, where a fill one step off the
     * background (1.1:1) left the tile's extent to guess in a dark room.
     */
    @ParameterizedTest
    @EnumSource(Theme.class)
    void aHealthyPopTileHasAnEdgeAgainstTheBackground(Theme theme) throws IOException {
        Map<String, String> tokens = tokens(theme);
        String body = null;
        Matcher rule = RULE.matcher(read(Theme.componentSheetUrl()));
        while (rule.find()) {
            if (rule.group(1).strip().equals(".pop-tile")) {
                body = rule.group(2);
            }
        }
        assertTrue(body != null, "the component sheet has no .pop-tile rule");
        List<String> edges = new ArrayList<>();
        String border = declared(body, "-fx-border-color");
        if (border != null && !border.equals("transparent")) {
            edges.add(border);
        }
        String fill = declared(body, "-fx-background-color");
        if (fill != null && !fill.equals("transparent")) {
            edges.add(fill);
        }
        String bg = tokens.get("-ed-bg");
        double best = 1;
        for (String edge : edges) {
            for (String c : colours(edge, tokens)) {
                best = Math.max(best, ratio(c, bg));
            }
        }
        double least = theme == Theme.CONTRAST ? 3 : 1.3;
        assertTrue(best >= least, String.format(Locale.ROOT, "%s: a healthy PoP tile's edge %s on the background %s is %.2f:1, under %.1f:1",
                theme, edges, bg, best, least));
    }

    @Test
    void theHighContrastThemesBodyTextReachesSevenToOne() throws IOException {
        Map<String, String> tokens = tokens(Theme.CONTRAST);
        for (String text : List.of("-ed-text", "-ed-text-muted", "-ed-stale", "-ed-ok", "-ed-warn", "-ed-accent")) {
            for (String surface : SURFACES) {
                double r = ratio(tokens.get(text), tokens.get(surface));
                assertTrue(r >= 7, text + " on " + surface + " is " + r + ":1");
            }
        }
    }

    @Test
    void theRatioIsWcags() {
        assertEquals(21.0, ratio("#ffffff", "#000000"), 1e-9);
        assertEquals(1.0, ratio("#777777", "#777777"), 1e-9);
        // WCAG's own example: #777777 on white is just under 4.5:1.
        assertEquals(4.48, ratio("#777777", "#ffffff"), 0.01);
        assertFalse(ratio("#ffffff", "#ff2a2a") >= 4.5);
    }
}
