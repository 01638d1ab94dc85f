package io.edgedeck.themes;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ThemeTest {
    private static final Pattern DEFINED = Pattern.compile("(-ed-[a-z-]+)\\s*:");
    private static final Pattern USED = Pattern.compile(":[^;]*?(-ed-[a-z-]+)");

    private static String read(String url) throws IOException {
        try (InputStream in = URI.create(url).toURL().openStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static Set<String> matches(Pattern p, String css) {
        Set<String> out = new TreeSet<>();
        Matcher m = p.matcher(css);
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    @ParameterizedTest
    @EnumSource(Theme.class)
    void everyTokenTheComponentsUseIsDefinedByEachTheme(Theme theme) throws IOException {
        Set<String> used = matches(USED, read(Theme.componentSheetUrl()));
        Set<String> defined = matches(DEFINED, read(theme.tokenSheetUrl()));
        assertFalse(used.isEmpty());
        Set<String> missing = new TreeSet<>(used);
        missing.removeAll(defined);
        assertEquals(Set.of(), missing, theme + " leaves tokens undefined");
    }

    @ParameterizedTest
    @EnumSource(Theme.class)
    void tokenSheetsSetOnlyTokens(Theme theme) throws IOException {
        String css = read(theme.tokenSheetUrl()).replaceAll("/\\*.*?\\*/", "");
        for (String line : css.split("\n")) {
            String t = line.strip();
            if (t.contains(":") ) {
                assertEquals(true, t.startsWith("-ed-"), theme + " sets a non-token property: " + t);
            }
        }
    }

    @Test
    void idsRoundTripAndCycle() {
        for (Theme t : Theme.values()) {
            assertEquals(t, Theme.fromId(t.id()));
        }
        assertEquals(Theme.LIGHT, Theme.DARK.next());
        assertEquals(Theme.DARK, Theme.CONTRAST.next());
        assertThrows(IllegalArgumentException.class, () -> Theme.fromId("neon"));
    }
}
