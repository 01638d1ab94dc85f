package io.edgedeck.console;

import javafx.scene.input.KeyCode;

/** The key the platform's SHORTCUT modifier means, for tests that press shortcuts. */
final class ShortcutKeys {
    static final KeyCode CONTROL = System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).startsWith("mac")
            ? KeyCode.COMMAND : KeyCode.CONTROL;

    private ShortcutKeys() {
    }
}
