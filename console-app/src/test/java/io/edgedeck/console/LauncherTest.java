package io.edgedeck.console;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
}
