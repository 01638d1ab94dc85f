package io.edgedeck.console;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LauncherTest {

    @Test
    void aMissingGtkNamesThePackagesToInstall() {
        String said = Launcher.displayProblem(new UnsupportedOperationException("Unable to load glass GTK library."));
        assertTrue(said.startsWith("Unable to load glass GTK library."), said);
        assertTrue(said.contains("libgtk-3-0") && said.contains("libxtst6"), said);
    }

    @Test
    void noDisplaySaysHowToStartWithoutOne() {
        String said = Launcher.displayProblem(new UnsupportedOperationException("Unable to open DISPLAY"));
        assertTrue(said.contains("xvfb-run"), said);
    }

    @Test
    void anyOtherProblemIsTheToolkitsOwnWords() {
        assertEquals("Graphics Device initialization failed for :  es2, sw",
                Launcher.displayProblem(new RuntimeException("Graphics Device initialization failed for :  es2, sw")));
        assertEquals("java.lang.IllegalStateException", Launcher.displayProblem(new IllegalStateException()));
    }

    @Test
    void theToolkitStartsBeforeTheCommandLineIsReadOnlyWhereADisplayIsNamedAndNoHelpIsAsked() {
        java.util.Map<String, String> x11 = java.util.Map.of("DISPLAY", ":0");
        String[] show = {"--rehearsal", "steady-show"};
        assertTrue(Launcher.toolkitMayStartFirst(show, x11, "Linux"));
        assertTrue(Launcher.toolkitMayStartFirst(show, java.util.Map.of("WAYLAND_DISPLAY", "wayland-0"), "Linux"));
        assertFalse(Launcher.toolkitMayStartFirst(show, java.util.Map.of(), "Linux"), "no display: the options speak first");
        assertFalse(Launcher.toolkitMayStartFirst(show, java.util.Map.of("DISPLAY", " "), "Linux"));
        assertTrue(Launcher.toolkitMayStartFirst(show, java.util.Map.of(), "Windows 11"));
        assertTrue(Launcher.toolkitMayStartFirst(show, java.util.Map.of(), "Mac OS X"));
        for (String asks : new String[]{"--help", "-h", "-help", "--version", "-V", "-hV", "-Vh"}) {
            assertFalse(Launcher.toolkitMayStartFirst(new String[]{"--speed", "2", asks}, x11, "Linux"), asks);
            assertFalse(Launcher.toolkitMayStartFirst(new String[]{asks}, java.util.Map.of(), "Windows 11"), asks);
        }
        assertTrue(Launcher.toolkitMayStartFirst(new String[]{"--rehearsal", "help"}, x11, "Linux"), "a value, not the help");
    }
}
