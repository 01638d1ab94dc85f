package io.edgedeck.simulator;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** File attributes for tests that need a file or folder nobody, root included, can change. */
public final class Chattr {
    private Chattr() {
    }

    /**
     * Runs {@code chattr flag file} ({@code +i} makes a file immutable, so even root cannot write it,
     * and a folder that takes no new file); false where it cannot be used (it needs root on a
     * filesystem with immutable files).
     */
    public static boolean chattr(String flag, Path file) throws Exception {
        Process p = new ProcessBuilder("chattr", flag, file.toString()).redirectErrorStream(true).start();
        String said = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return p.waitFor() == 0 && said.isBlank();
    }
}
