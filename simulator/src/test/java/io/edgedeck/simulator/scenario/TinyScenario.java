package io.edgedeck.simulator.scenario;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** The smallest complete scenario, as text whose line numbers the error tests rely on. */
final class TinyScenario {
    private TinyScenario() {
    }

    static String text() {
        try (InputStream in = TinyScenario.class.getResourceAsStream("tiny.json")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The tiny scenario with the first occurrence of {@code find} replaced; fails if it is absent. */
    static String with(String find, String replacement) {
        String text = text();
        int at = text.indexOf(find);
        if (at < 0) throw new IllegalArgumentException("tiny.json has no '" + find + "'");
        return text.substring(0, at) + replacement + text.substring(at + find.length());
    }
}
