package io.edgedeck.console;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The two launchers, ./edgedeck and edgedeck.cmd, keep in step where Windows cannot be run here: each
 * leaves out a start-up cache older than the console jar, which the JVM would refuse quietly, and says
 * so in the same words.
 */
class LaunchScriptsTest {
    private static final String STALE = "edgedeck: the start-up cache is older than the console (built with"
            + " -Dedgedeck.aot.skip=true?); starting without it. To start faster: ";

    @Test
    void bothLaunchersLeaveOutACacheOlderThanTheJarAndSaySoAlike() throws Exception {
        String sh = Files.readString(Path.of("..", "edgedeck")).replace("\" \\\n        \"", " ");
        assertTrue(sh.contains("[ \"$jar\" -nt \"$aot\" ]"), "./edgedeck compares the cache's age with the jar's");
        assertTrue(sh.contains(STALE + "./mvnw -q -B -pl console-app -am package -DskipTests"), "./edgedeck says why");

        String cmd = Files.readString(Path.of("..", "edgedeck.cmd")).replace("^(", "(").replace("^)", ")");
        int compared = cmd.indexOf("(Get-Item -LiteralPath $env:JAR).LastWriteTime -gt (Get-Item -LiteralPath $env:AOT).LastWriteTime");
        assertTrue(compared > 0, "edgedeck.cmd compares the cache's age with the jar's");
        assertTrue(cmd.contains(STALE + "mvnw.cmd -q -B -pl console-app -am package -DskipTests"), "edgedeck.cmd says why in the same words");
        int used = cmd.indexOf("set \"CACHE=-XX:AOTCache=");
        assertTrue(used > compared && cmd.lastIndexOf("set \"CACHE=-XX:AOTCache=") == used
                && cmd.substring(compared, used).contains(") else ("), "edgedeck.cmd passes the cache only when it is not older");
    }
}
