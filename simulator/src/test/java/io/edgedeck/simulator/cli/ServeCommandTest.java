package io.edgedeck.simulator.cli;

import io.edgedeck.simulator.scenario.ScenarioCatalog;
import io.edgedeck.simulator.server.EdgeNode;
import io.edgedeck.simulator.show.ShowDefinition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ServeCommandTest {

    @Test
    void defaultsServeTheSteadyShowOnLoopbackAtOneX() throws Exception {
        ServeCommand.Options o = ServeCommand.parse(List.of());
        assertEquals(ServeCommand.DEFAULT_PORT, o.port());
        assertTrue(o.bind().isLoopbackAddress());
        assertEquals("steady-show", o.scenario());
        assertEquals(1.0, o.speed());
        assertEquals(Path.of("edgedeck-node"), o.dataDir());
        assertEquals(0.0, ServeCommand.parse(List.of("--speed", "max")).speed());
        var e = assertThrows(RunCommand.UsageError.class, () -> ServeCommand.parse(List.of("--port", "70000")));
        assertTrue(e.getMessage().contains("--port"), e.getMessage());
    }

    @Test
    void aDataDirOfAnotherShowExitsWithStatus2AndSaysWhichShowItHolds(@TempDir Path dir) throws Exception {
        ShowDefinition steady = ShowDefinition.of(ScenarioCatalog.resolve("steady-show"));
        try (EdgeNode first = EdgeNode.start(new EdgeNode.Config(steady, 1, InetAddress.getLoopbackAddress(), 0, dir))) {
            assertTrue(first.baseUri().toString().startsWith("http://127.0.0.1:"));
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(new String[] {"serve", "--scenario", "pop-outage", "--port", "0", "--data-dir", dir.toString()},
                new PrintStream(out), new PrintStream(err));
        assertEquals(2, code);
        assertTrue(err.toString().contains("holds the journal of show 'steady-show'"), err.toString());
    }
}
