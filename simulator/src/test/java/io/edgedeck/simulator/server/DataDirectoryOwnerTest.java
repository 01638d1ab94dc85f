package io.edgedeck.simulator.server;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Issue 16 point 5 with two real processes: a data directory has one node at a time. */
class DataDirectoryOwnerTest {

    @Test
    void aSecondNodeOnTheSameDirectoryExits2NamingTheHoldersPid(@TempDir Path dir) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        try (NodeProcess first = NodeProcess.start("--port", "0", "--data-dir", dir.toString())) {
            try (NodeProcess second = NodeProcess.launch("--port", "0", "--data-dir", dir.toString())) {
                assertEquals(2, second.exitStatus(60), String.join("\n", second.output));
                String said = String.join("\n", second.output);
                assertTrue(said.contains("in use by another node (pid " + first.process.pid() + ")"), said);
                assertTrue(second.base() == null, "the second node never listened");
            }
            HttpResponse<String> health = http.send(HttpRequest.newBuilder(first.base().resolve("/healthz")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, health.statusCode(), "the first node is untouched");
            assertEquals(137, first.kill(), "killed with SIGKILL: no shutdown hook released anything");
            try (NodeProcess third = NodeProcess.start("--port", "0", "--data-dir", dir.toString())) {
                assertTrue(String.join("\n", third.output).contains("state restored from its journal"), third.output.toString());
            }
        }
    }
}
